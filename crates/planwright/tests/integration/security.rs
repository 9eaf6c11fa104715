//! Regression tests for the security defects of issue 19, each named after its defect: what
//! a pull request or a checkout could make planwright do that it promises it cannot.

use crate::lifecycle::{err, ok, pw, read, shop};
use std::os::unix::fs::symlink;

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs planwright and asserts it refuses (exit 2) because a path leads out of the root.
fn refused_outside(dir: &std::path::Path, args: &[&str]) {
    let o = pw(dir, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
    assert!(
        err(&o).contains("outside the repository root"),
        "{args:?}: {}",
        err(&o)
    );
}

/// A file outside the repository with a line that must never show up in planwright's output.
fn outside_secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("secret.md"),
        "# Plan: outside\n\n**Status:** draft\n\nSECRET-LINE\n\n## Steps\n\n### 1. Leak\n\n**Verify:** `touch leaked`\n",
    )
    .expect("write");
    dir
}

mod work_verify {
    use super::*;

    #[test]
    fn work_verify_runs_only_the_approved_plans_commands_not_the_item_files() {
        let dir = shop("sec-verify");
        ok(&dir, &["work", "generate", "add-batch-mode"]);
        let item = dir.join(".planwright/work/add-batch-mode/1.toml");
        let text = std::fs::read_to_string(&item).expect("item");
        assert!(text.contains("test -f docs/batch-format.md"), "{text}");
        std::fs::write(
            &item,
            text.replace("test -f docs/batch-format.md", "touch evil"),
        )
        .expect("write");
        let o = pw(&dir, &["work", "verify", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
        assert!(!dir.join("evil").exists(), "the edited command ran");
        assert!(
            err(&o).contains("not the approved plan's") && err(&o).contains("`touch evil`"),
            "{}",
            err(&o)
        );
        // The user may override, knowingly.
        pw(
            &dir,
            &["work", "verify", "add-batch-mode#1", "--allow-unapproved"],
        );
        assert!(dir.join("evil").exists());
    }

    #[test]
    fn work_verify_refuses_an_item_that_points_at_another_plan() {
        let dir = shop("sec-verify-plan");
        ok(&dir, &["work", "generate", "add-batch-mode"]);
        let item = dir.join(".planwright/work/add-batch-mode/1.toml");
        let text = std::fs::read_to_string(&item).expect("item");
        std::fs::write(
            &item,
            text.replace(
                "plan = \"spec/plans/add-batch-mode/README.md\"",
                "plan = \"../../../etc/passwd\"",
            ),
        )
        .expect("write");
        let o = pw(&dir, &["work", "verify", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
        assert!(err(&o).contains("not the plan of"), "{}", err(&o));
    }

    #[test]
    fn work_verify_refuses_an_ad_hoc_items_own_commands() {
        let dir = shop("sec-verify-adhoc");
        ok(&dir, &["work", "generate", "add-batch-mode"]);
        let added = ok(
            &dir,
            &[
                "work",
                "add",
                "--under",
                "add-batch-mode#1",
                "Extra",
                "--format",
                "json",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&added).expect("json");
        let id = v["id"].as_str().expect("id").to_owned();
        let file = dir
            .join(".planwright/work")
            .join(id.replace('#', "/") + ".toml");
        let mut text = std::fs::read_to_string(&file).expect("item");
        text.push_str("verify = [\"touch evil\"]\n");
        std::fs::write(&file, text).expect("write");
        let o = pw(&dir, &["work", "verify", &id]);
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
        assert!(!dir.join("evil").exists());
    }
}

mod symlinks {
    use super::*;

    #[test]
    fn a_slug_through_a_symlink_out_of_the_root_is_refused() {
        let dir = shop("sec-slug");
        let outside = outside_secret();
        let plan = dir.join("spec/plans/shadow");
        std::fs::create_dir_all(&plan).expect("mkdir");
        symlink(outside.path().join("secret.md"), plan.join("README.md")).expect("ln");
        for args in [
            vec!["check", "shadow"],
            vec!["show", "shadow"],
            vec!["graph", "shadow"],
            vec!["run", "shadow", "--allow-unapproved"],
            vec!["log", "shadow", "progress", "hello"],
            vec!["check", "spec/plans/shadow/README.md"],
        ] {
            let o = pw(&dir, &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
            let all = format!("{}{}", out(&o), err(&o));
            assert!(!all.contains("SECRET-LINE"), "{args:?} printed it: {all}");
            assert!(
                all.contains("outside the repository root"),
                "{args:?}: {all}"
            );
        }
        assert!(
            !dir.join("leaked").exists(),
            "a command of the outside file ran"
        );
        let meta = std::fs::symlink_metadata(plan.join("README.md")).expect("meta");
        assert!(meta.file_type().is_symlink(), "`log` replaced the link");
        assert!(
            !std::fs::read_to_string(outside.path().join("secret.md"))
                .expect("read")
                .contains("hello")
        );
        // The whole-repository check does not follow the link either.
        let o = pw(&dir, &["check"]);
        assert!(!format!("{}{}", out(&o), err(&o)).contains("SECRET-LINE"));
    }

    #[test]
    fn a_link_inside_the_root_stays_a_link_when_written() {
        let dir = shop("sec-inner-link");
        let real = dir.join("spec/plans/search-index/README.md");
        let alias = dir.join("spec/plans/alias");
        std::fs::create_dir_all(&alias).expect("mkdir");
        symlink(&real, alias.join("README.md")).expect("ln");
        ok(&dir, &["log", "alias", "progress", "Through the alias"]);
        assert!(
            std::fs::symlink_metadata(alias.join("README.md"))
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert!(read(&dir, "spec/plans/search-index/README.md").contains("Through the alias"));
    }

    #[test]
    fn new_and_index_refuse_a_feature_folder_linked_out_of_the_root() {
        let dir = shop("sec-feature");
        let outside = tempfile::tempdir().expect("tempdir");
        let readme = "# Feature: linked\n\n## Plans\n\nnothing\n";
        std::fs::write(outside.path().join("README.md"), readme).expect("write");
        symlink(outside.path(), dir.join("spec/features/linked")).expect("ln");
        refused_outside(&dir, &["new", "ok", "--feature", "linked"]);
        assert!(!dir.join("spec/plans/ok").exists(), "half a `new` was done");
        // A plan that names the linked feature, written by hand: `index` refuses too.
        std::fs::create_dir_all(dir.join("spec/plans/by-hand")).expect("mkdir");
        let text = read(&dir, "spec/plans/search-index/README.md")
            .replace("features/search/README.md", "features/linked/README.md");
        std::fs::write(dir.join("spec/plans/by-hand/README.md"), text).expect("write");
        let before = read(&dir, "spec/plans/README.md");
        refused_outside(&dir, &["index"]);
        assert_eq!(
            read(&dir, "spec/plans/README.md"),
            before,
            "index wrote first"
        );
        assert_eq!(
            std::fs::read_to_string(outside.path().join("README.md")).expect("read"),
            readme
        );
    }

    #[test]
    fn new_refuses_a_feature_name_that_climbs_out() {
        let dir = shop("sec-feature-climb");
        for name in ["../../x", "a/b", "..", ".hidden", ""] {
            let o = pw(&dir, &["new", "ok", "--feature", name]);
            assert_eq!(o.status.code(), Some(2), "{name}: {}", out(&o));
            assert!(
                err(&o).contains("not a feature name"),
                "{name}: {}",
                err(&o)
            );
        }
        assert!(!dir.join("spec/plans/ok").exists());
    }

    #[test]
    fn a_sources_glob_that_leaves_the_root_is_refused() {
        let dir = shop("sec-glob");
        for glob in ["../outside/*.md", "/etc/*.md", "docs/../../x.md"] {
            std::fs::write(
                dir.join("planwright.toml"),
                format!("[sources]\nplans = [\"{glob}\"]\n"),
            )
            .expect("write");
            let o = pw(&dir, &["check"]);
            assert_eq!(o.status.code(), Some(2), "{glob}: {}", out(&o));
            assert!(
                err(&o).contains("leaves the repository root"),
                "{}",
                err(&o)
            );
        }
    }

    #[test]
    fn the_work_store_linked_out_of_the_root_is_refused() {
        let dir = shop("sec-store");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.join(".planwright")).expect("mkdir");
        symlink(outside.path(), dir.join(".planwright/work")).expect("ln");
        refused_outside(&dir, &["work", "generate", "add-batch-mode"]);
        assert_eq!(
            std::fs::read_dir(outside.path()).expect("ls").count(),
            0,
            "wrote outside"
        );
    }
}

mod digest {
    use super::*;
    use crate::lifecycle::approved_in_git;

    /// The approved shop plan, committed, then its Digest line deleted and a frozen line
    /// changed: what `check` says of it, as JSON.
    fn without_digest(name: &str, change: bool) -> (std::process::Output, usize) {
        let dir = approved_in_git(name);
        let plan = "spec/plans/search-index/README.md";
        let text = read(&dir, plan);
        let mut kept: String = text
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("**Digest:**"))
            .collect();
        let from = "Changes reach the index within 60 s";
        if change {
            kept = kept.replace(from, "Changes reach the index within 90 s");
        }
        let line = kept
            .lines()
            .position(|l| l.contains("Changes reach the index within"))
            .expect("line")
            + 1;
        std::fs::write(dir.join(plan), kept).expect("write");
        (
            pw(&dir, &["check", "search-index", "--format", "json"]),
            line,
        )
    }

    #[test]
    fn deleting_the_digest_line_does_not_switch_the_freeze_off() {
        let (o, line) = without_digest("sec-digest", true);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let rules: Vec<&str> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["rule"].as_str())
            .collect();
        assert!(rules.contains(&"approval-incomplete"), "{v}");
        assert!(rules.contains(&"frozen-plan-modified"), "{v}");
        assert!(
            out(&o).contains(&format!("line {line} differs from the approved version")),
            "{}",
            out(&o)
        );
    }

    #[test]
    fn an_approved_plan_without_a_digest_is_a_finding_even_unchanged() {
        let (o, _) = without_digest("sec-digest-same", false);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        assert!(out(&o).contains("approval-incomplete"), "{}", out(&o));
        assert!(!out(&o).contains("frozen-plan-modified"), "{}", out(&o));
    }
}

mod setsid {
    use super::*;
    use crate::run::{code, ends, pid_in, repo};

    /// Runs a one-step plan whose Verify is `verify` under a 2 s timeout; its folder.
    fn run_escape(name: &str, verify: &str) -> std::path::PathBuf {
        let dir = repo(
            name,
            &format!("### 1. Escape\n\n**Depends on:** (none)\n\n**Verify:** `{verify}`\n"),
        );
        let o = pw(&dir, &["run", "demo", "--timeout", "2s"]);
        assert_eq!(code(&o), 1, "{}", out(&o));
        dir
    }

    #[test]
    fn a_setsid_child_does_not_survive_the_run_timeout() {
        let dir = run_escape(
            "sec-setsid",
            "sleep 1000 & echo $! > a.pid; setsid sleep 1001 & echo $! > b.pid; sleep 30",
        );
        for f in ["a.pid", "b.pid"] {
            let pid = pid_in(&dir, f);
            assert!(ends(pid), "{f}: process {pid} outlived the step");
        }
    }

    #[test]
    fn a_child_that_leaves_its_session_and_clears_its_environment_dies_with_the_run() {
        let dir = run_escape(
            "sec-setsid-env",
            "setsid env -i sh -c 'sleep 1002 & echo $! > c.pid; wait' & sleep 30",
        );
        let pid = pid_in(&dir, "c.pid");
        assert!(ends(pid), "process {pid} outlived the run");
    }
}

mod hostile {
    use crate::{check_repo, human};

    fn repo(name: &str, plan: &str) -> std::path::PathBuf {
        let dir = crate::workspace()
            .join("target/test-tmp")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec/plans/p")).expect("mkdir");
        std::fs::write(dir.join("spec/plans/p/README.md"), plan).expect("write");
        dir
    }

    #[test]
    fn a_long_line_of_dangling_references_is_quoted_in_a_window_per_finding() {
        let n = 5_000;
        let refs: Vec<String> = (1000..1000 + n).map(|i| format!("Step {i}")).collect();
        let dir = repo(
            "sec-dangling",
            &format!(
                "# Plan: P\n\n**Status:** draft\n\n## Steps\n\n### 1. One\n\n**Depends on:** {}\n",
                refs.join(", ")
            ),
        );
        let report = check_repo(&dir);
        let dangling: Vec<_> = report
            .findings()
            .filter(|f| f.rule == "dangling-dependency")
            .collect();
        assert_eq!(dangling.len(), n);
        // Columns are right even far along the line.
        let last = dangling.last().expect("one");
        let line = format!("**Depends on:** {}", refs.join(", "));
        assert_eq!(last.column, line.rfind("Step").expect("step") + 1);
        let text = human(&report);
        // Each finding quotes a bounded window, not the 50 kB line.
        assert!(
            text.len() < n * 1_000,
            "{} bytes for {n} findings",
            text.len()
        );
        let far = format!(":9:{}", last.column);
        assert!(text.contains(&far), "the location of a cut quote is stated");
    }

    #[test]
    fn a_roadmap_of_many_child_plans_finds_each_rows_link_in_linear_time() {
        let n = 20_000;
        let rows: String = (1..=n)
            .map(|i| format!("| {i} | [child-{i}](child-{i}/) | draft | - | - |\n"))
            .collect();
        let src = format!(
            "# Plan: Big\n\n**Status:** draft\n\n## Child Plans\n\n| Order | Plan | Status | Effort | Impact |\n|---|---|---|---|---|\n{rows}"
        );
        let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
        assert_eq!(plan.child_plans.len(), n);
        for (i, r) in plan.child_plans.iter().enumerate() {
            let t = r.target.as_ref().expect("a link");
            assert_eq!(t.value, format!("child-{}/", i + 1));
        }
        let g = planwright::graph::Graph::build(&plan, &src, "big", "spec/plans/big/README.md");
        let edges: usize = g.to_json()["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["depends_on"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(edges, n - 1, "each order after the one before");
    }
}

/// Issue 22's confinement list, case by case: what a plan names — Produces and Files, an
/// acs/ folder, a slug, the work store's folder, a step — leads nothing outside the root into
/// planwright's reads, writes or the agent's prompt.
mod confinement {
    use super::*;
    use crate::run::{code, repo};

    #[test]
    fn the_agents_prompt_never_quotes_a_file_outside_the_root() {
        let secret = outside_secret();
        let outside = secret.path().join("secret.md");
        let dir = repo(
            "conf-prompt",
            &format!(
                "### 1. Make\n\n**Depends on:** (none)\n**Produces:**\n- `../../../{}` — climbs out\n- `{}` — an absolute path\n- `linked.md` — a link out of the root\n\n**Verify:** `true`\n\n### 2. Use\n\n**Depends on:** Step 1\n**Produces:**\n- `linked.md` — its own, linked out\n\n**Verify:** `true`\n",
                outside.display(),
                outside.display()
            ),
        );
        symlink(&outside, dir.join("linked.md")).expect("symlink");
        std::fs::write(
            dir.join("agent.sh"),
            "cat > \"prompt-$PLANWRIGHT_STEP.md\"\n",
        )
        .expect("agent");
        let o = pw(&dir, &["run", "demo", "--agent", "sh agent.sh"]);
        assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
        for step in ["1", "2"] {
            let prompt = read(&dir, &format!("prompt-{step}.md"));
            assert!(!prompt.contains("SECRET-LINE"), "step {step}: {prompt}");
        }
        let second = read(&dir, "prompt-2.md");
        // The relative path that climbs out and the link are named as not read; an absolute
        // path is not taken for a file of the repository at all; the step's own linked file is
        // left out of "Files this step produces".
        assert_eq!(
            second.matches("(outside the repository: not read)").count(),
            2,
            "{second}"
        );
        assert!(!second.contains("## Files this step produces"), "{second}");
    }

    #[test]
    fn an_acs_folder_linked_out_of_the_root_is_not_read() {
        let secret = outside_secret();
        let dir = shop("conf-acs");
        symlink(secret.path(), dir.join("spec/plans/add-batch-mode/acs")).expect("symlink");
        let o = pw(&dir, &["check", "--format", "json"]);
        assert!(!out(&o).contains("SECRET-LINE") && !err(&o).contains("SECRET-LINE"));
        assert!(!out(&o).contains("acs/secret.md"), "{}", out(&o));
        // Named on the command line, it is refused.
        refused_outside(&dir, &["check", "spec/plans/add-batch-mode/acs/secret.md"]);
    }

    #[test]
    fn slugs_that_climb_out_are_refused_before_any_write() {
        let dir = shop("conf-slug");
        for slug in ["../escape", "a/../../escape", "/tmp/escape", "a/b/c"] {
            let o = pw(&dir, &["new", slug, "--feature", "cli"]);
            assert_eq!(o.status.code(), Some(2), "{slug}: {}", out(&o));
        }
        assert!(!dir.join("../escape").exists());
        assert!(!std::path::Path::new("/tmp/escape").exists());
    }

    #[test]
    fn a_work_dir_outside_the_root_is_a_config_error() {
        for dir_value in ["../elsewhere", "/tmp/elsewhere", "a/../../b"] {
            let dir = shop("conf-workdir");
            std::fs::write(
                dir.join("planwright.toml"),
                format!("[work]\ndir = \"{dir_value}\"\n"),
            )
            .expect("config");
            let o = pw(&dir, &["work", "list"]);
            assert_eq!(o.status.code(), Some(2), "{dir_value}: {}", out(&o));
            assert!(
                err(&o).contains("`dir` must be a folder inside the repository"),
                "{}",
                err(&o)
            );
        }
    }

    #[test]
    fn a_step_name_that_climbs_out_is_not_a_step() {
        let dir = repo(
            "conf-step",
            "### 1. Only\n\n**Depends on:** (none)\n\n**Verify:** `touch ran`\n",
        );
        for step in ["../../x", "/etc/passwd", "1/../.."] {
            let o = pw(&dir, &["run", "demo", "--step", step]);
            assert_eq!(code(&o), 2, "{step}: {}", out(&o));
            assert!(err(&o).contains("has no step"), "{}", err(&o));
        }
        assert!(!dir.join("ran").exists());
        let o = pw(&dir, &["work", "show", "demo#../../x"]);
        assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    }
}
