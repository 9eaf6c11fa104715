//! Helping write the plan: the prompts, the draft loop with a scripted agent, `import`, and the
//! webhook example of the source documents, clean and broken.

use crate::lifecycle::{call, copy_dir, done, err};
use crate::workspace;
use std::path::{Path, PathBuf};

/// A copy of `examples/<example>` to work in.
fn example(example: &str, name: &str) -> PathBuf {
    let dir = workspace()
        .join("target/test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&workspace().join("examples").join(example), &dir);
    dir
}

fn rules_fired(dir: &Path) -> Vec<String> {
    let o = call(dir, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or("").to_owned())
        .collect()
}

const NEW_RULES: [&str; 5] = [
    "uncovered-requirement",
    "implicit-dependency",
    "unknown-path",
    "coarse-step",
    "vague-step",
];

#[test]
fn webhook_example_passes_every_pass_and_its_broken_copy_fires_each_rule_once() {
    let clean = example("webhooks", "webhooks-clean");
    assert_eq!(rules_fired(&clean), Vec::<String>::new());
    let broken = example("webhooks-broken", "webhooks-broken");
    let fired = rules_fired(&broken);
    for rule in NEW_RULES {
        assert_eq!(
            fired.iter().filter(|r| *r == rule).count(),
            1,
            "{rule} in {fired:?}"
        );
    }
}

mod prompts {
    use super::*;

    #[test]
    fn each_prompt_is_filled_bounded_and_snapshotted() {
        let dir = example("webhooks", "prompts");
        let cases: [(&str, &[&str]); 6] = [
            ("decompose", &["prompt", "decompose", "webhooks"]),
            (
                "ambiguities",
                &["prompt", "ambiguities", "webhook-delivery"],
            ),
            (
                "review_completeness",
                &[
                    "prompt",
                    "review",
                    "webhook-delivery",
                    "--pass",
                    "completeness",
                ],
            ),
            (
                "review_ordering",
                &["prompt", "review", "webhook-delivery", "--pass", "ordering"],
            ),
            (
                "review_integration",
                &[
                    "prompt",
                    "review",
                    "webhook-delivery",
                    "--pass",
                    "integration",
                ],
            ),
            (
                "execute",
                &["prompt", "execute", "webhook-delivery", "--step", "3"],
            ),
        ];
        for (name, args) in cases {
            let text = done(&dir, args);
            assert!(text.len() < 96 * 1024, "{name}: {} bytes", text.len());
            insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("prompt_{name}"), text);
            });
        }
        let decompose = done(&dir, &["prompt", "decompose", "webhooks"]);
        for part in [
            "AC-3: a failed delivery is retried",
            "## The repository's files",
            "src/",
            "Other active plans",
            "`webhook-delivery` (draft)",
            "**Covers:** AC-1",
            "schema, interface or infrastructure",
        ] {
            assert!(decompose.contains(part), "{part}");
        }
        let o = call(
            &dir,
            &["prompt", "execute", "webhook-delivery", "--step", "9"],
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("has no step `9`"), "{}", err(&o));
    }

    #[test]
    fn a_spec_is_cut_at_its_budget() {
        let dir = example("webhooks", "prompts-budget");
        let spec = dir.join("spec/features/webhooks/README.md");
        let mut text = std::fs::read_to_string(&spec).expect("spec");
        text.push_str(&"padding line of the spec\n".repeat(4000));
        std::fs::write(&spec, text).expect("write");
        let p = done(&dir, &["prompt", "decompose", "webhooks"]);
        assert!(p.contains("more bytes not shown]"));
        assert!(p.len() < 64 * 1024, "{}", p.len());
    }
}

mod draft {
    use super::*;

    /// A plan for the webhook spec: with a cycle and AC-5 uncovered, or fixed.
    fn canned(fixed: bool) -> String {
        let plan = std::fs::read_to_string(
            workspace().join("examples/webhooks/spec/plans/webhook-delivery/README.md"),
        )
        .expect("plan");
        if fixed {
            return plan;
        }
        plan.replace(
            "**Depends on:** (none)\n**Covers:** AC-1",
            "**Depends on:** Step 2\n**Covers:** AC-1",
        )
        .replace("**Covers:** AC-5\n", "")
    }

    #[test]
    fn a_scripted_agent_converges_in_two_rounds_from_the_first_rounds_findings() {
        let dir = example("webhooks", "draft");
        std::fs::remove_dir_all(dir.join("spec/plans/webhook-delivery")).expect("rm");
        done(&dir, &["index"]);
        std::fs::write(
            dir.join("answer-1.md"),
            format!("Here is the plan:\n\n```markdown\n{}```\n", canned(false)),
        )
        .expect("a1");
        std::fs::write(dir.join("answer-2.md"), canned(true)).expect("a2");
        std::fs::write(
            dir.join("answer-3.md"),
            "## Outstanding Questions\n\n- Which address gets the alert when a merchant has none?\n\n## Risks and open decisions\n\n- A receiver that is slow but succeeds after 10 s gets duplicates.\n",
        )
        .expect("a3");
        // Each call keeps its prompt and answers with the next canned answer.
        std::fs::write(
            dir.join("agent.sh"),
            "n=$(( $(cat n 2>/dev/null || echo 0) + 1 )); echo $n > n; cat > prompt-$n.md; cat answer-$n.md\n",
        )
        .expect("agent");
        let text = done(
            &dir,
            &[
                "draft",
                "webhooks",
                "--agent",
                "sh agent.sh",
                "--slug",
                "webhook-delivery",
            ],
        );
        assert!(text.starts_with("round 1: 2 errors"), "{text}");
        assert!(text.contains("round 2: 0 errors, 0 warnings"), "{text}");
        assert!(!text.contains("round 3"), "{text}");
        let second = std::fs::read_to_string(dir.join("prompt-2.md")).expect("prompt 2");
        assert!(second.contains("error[dependency-cycle]"), "{second}");
        assert!(
            second.contains("warning[uncovered-requirement] AC-5"),
            "{second}"
        );
        assert!(second.contains("## Your previous answer"));
        let third = std::fs::read_to_string(dir.join("prompt-3.md")).expect("prompt 3");
        assert!(third.starts_with("# Find the ambiguities"), "{third}");
        let plan = std::fs::read_to_string(dir.join("spec/plans/webhook-delivery/README.md"))
            .expect("plan");
        assert!(plan.contains("**Status:** draft"));
        assert!(
            plan.contains("- Which address gets the alert when a merchant has none?"),
            "{plan}"
        );
        assert!(
            plan.contains("- A receiver that is slow but succeeds after 10 s gets duplicates."),
            "{plan}"
        );
        assert_eq!(rules_fired(&dir), Vec::<String>::new());
        // A second draft of the same slug would overwrite the plan: refused.
        let o = call(
            &dir,
            &[
                "draft",
                "webhooks",
                "--agent",
                "sh agent.sh",
                "--slug",
                "webhook-delivery",
                "--format",
                "json",
            ],
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("\"kind\":\"conflict\""), "{}", err(&o));
    }

    #[test]
    fn without_an_agent_the_prompt_is_printed_and_an_answer_read_from_a_file() {
        let dir = example("webhooks", "draft-by-hand");
        let prompt = done(&dir, &["draft", "webhooks"]);
        assert!(prompt.starts_with("# Decompose a feature spec"), "{prompt}");
        std::fs::write(dir.join("answer.md"), canned(true)).expect("answer");
        let out = done(
            &dir,
            &[
                "draft",
                "webhooks",
                "--answer",
                "answer.md",
                "--slug",
                "by-hand",
                "--format",
                "json",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        crate::schema::assert_valid(
            &crate::schema::validator(&planwright::schema::one("draft").expect("schema")),
            &v,
            "draft",
        );
        assert_eq!(v["clean"], true, "{v}");
        assert_eq!(v["rounds"][0]["errors"], 0, "{v}");
        assert!(dir.join("spec/plans/by-hand/README.md").is_file());
    }
}

#[test]
fn import_writes_the_json_plan_shape_as_a_plan() {
    let dir = example("webhooks", "import");
    let json = r#"{"summary":"Deliver webhooks. Signed, retried.","steps":[
        {"order":2,"description":"Sign payloads. HMAC-SHA256 of the body.","files_to_create":["src/webhooks/sign.ts"],"files_to_modify":[],"validation":"`npm test -- sign`"},
        {"order":1,"description":"Store subscriptions","files_to_create":["src/db/webhooks.sql"],"files_to_modify":["src/server.ts"],"validation":"a subscription round-trips"}],
        "test_criteria":["npm test passes"],"risks":["duplicates after timeouts"]}"#;
    std::fs::write(dir.join("plan.json"), json).expect("json");
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &[
            "import",
            "plan.json",
            "--slug",
            "imported",
            "--feature",
            "webhooks",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    assert_eq!(v["plan"], "imported");
    let plan = std::fs::read_to_string(dir.join("spec/plans/imported/README.md")).expect("plan");
    assert!(plan.starts_with("# Plan: Deliver webhooks\n"), "{plan}");
    let store = plan
        .find("### 1. Store subscriptions")
        .expect("step 1 first");
    let sign = plan.find("### 2. Sign payloads").expect("step 2");
    assert!(store < sign);
    assert!(
        plan.contains("**Depends on:** Step 1\n**Produces:**\n- `src/webhooks/sign.ts`"),
        "{plan}"
    );
    assert!(plan.contains("**Modifies:**\n- `src/server.ts`"), "{plan}");
    assert!(plan.contains("**Verify:** `npm test -- sign`"), "{plan}");
    assert!(plan.contains("- duplicates after timeouts"));
    let o = call(
        &dir,
        &[
            "import",
            "plan.json",
            "--slug",
            "imported",
            "--feature",
            "webhooks",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a second import does not overwrite"
    );
    let o = call(
        &dir,
        &[
            "import",
            "answer.json",
            "--slug",
            "x",
            "--feature",
            "webhooks",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn show_prints_the_coverage_matrix_and_graph_reads_the_plan_backwards() {
    let dir = example("webhooks-broken", "coverage");
    let text = done(&dir, &["show", "webhook-delivery"]);
    assert!(
        text.contains("coverage of spec/features/webhooks/README.md:"),
        "{text}"
    );
    assert!(text.contains("  AC-3  step 3 "), "{text}");
    assert!(text.contains("  AC-5  NOT COVERED "), "{text}");
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &["show", "webhook-delivery", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(
        v["coverage"]["requirements"][4]["covered_by"],
        serde_json::json!([])
    );
    assert_eq!(
        v["coverage"]["requirements"][0]["covered_by"],
        serde_json::json!(["1"])
    );
    crate::schema::assert_valid(
        &crate::schema::validator(&planwright::schema::one("show").expect("schema")),
        &v,
        "show with coverage",
    );
    let read = done(&dir, &["graph", "webhook-delivery", "--reverse-read"]);
    let last = read
        .find("Step 7. Wire everything together")
        .expect("last first");
    let first = read.find("Step 1. Subscription").expect("first last");
    assert!(last < first, "{read}");
    assert!(
        read.contains("  needs step 1 (schema), which produces `src/db/webhooks.sql`"),
        "{read}"
    );
    assert!(
        read.contains(
            "uses `src/routes/deliveries.ts`, produced by step 4 — which it does not wait for"
        ),
        "{read}"
    );
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &[
            "graph",
            "webhook-delivery",
            "--reverse-read",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    assert_eq!(v["steps"][0]["step"], "7");
    assert_eq!(v["version"], 1);
}

#[test]
fn new_suggests_the_kind_of_plan_the_spec_calls_for() {
    let dir = example("webhooks", "new-kind");
    std::fs::create_dir_all(dir.join("spec/features/tiny")).expect("mkdir");
    std::fs::write(
        dir.join("spec/features/tiny/README.md"),
        "# Feature: tiny\n\n**Status:** draft\n\n## Summary\n\nRename a flag.\n",
    )
    .expect("spec");
    let out = done(&dir, &["new", "rename-flag", "--feature", "tiny"]);
    assert!(out.contains("`--template lite`"), "{out}");
    let out = done(&dir, &["new", "more-webhooks", "--feature", "webhooks"]);
    assert!(!out.contains("--template"), "{out}");
}

#[test]
fn stats_measure_freshness_self_containment_and_cycle_times() {
    let dir = crate::lifecycle::shop("stats");
    done(&dir, &["work", "generate", "add-batch-mode"]);
    done(&dir, &["work", "start", "add-batch-mode#1"]);
    done(
        &dir,
        &[
            "log",
            "add-batch-mode",
            "progress",
            "Format drafted",
            "--open",
            "--at",
            "2026-12-03 10:00Z",
        ],
    );
    done(&dir, &["work", "done", "add-batch-mode#1", "--no-verify"]);
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &[
            "stats",
            "add-batch-mode",
            "--now",
            "2026-12-03T11:00:00Z",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    crate::schema::assert_valid(
        &crate::schema::validator(&planwright::schema::one("stats").expect("schema")),
        &v,
        "stats",
    );
    let s = &v["plans"][0];
    assert_eq!(s["in_progress"], true, "{s}");
    let progress = &s["freshness"][0];
    assert_eq!(progress["last_entry"], "2026-12-03T10:00:00Z", "{s}");
    assert_eq!(progress["age_minutes"], 60);
    assert_eq!(progress["stale"], true, "an hour is over the 15 min limit");
    assert_eq!(s["cycle_times"][0]["step"], "1", "{s}");
    assert_eq!(s["self_containment"]["steps"], 1.0);
    // The whole repository, as text; the corpus's long ExecPlan reads plausibly.
    let text = done(
        &dir,
        &[
            "stats",
            "--now",
            "2026-12-03T11:00:00Z",
            "--stale-after",
            "2h",
        ],
    );
    assert!(
        text.contains("add-batch-mode (approved, in progress)"),
        "{text}"
    );
    assert!(!text.contains("STALE"), "{text}");
    let corpus = workspace().join("../shared/corpus/A");
    if corpus.is_dir() {
        let (code, out, err) = planwright::cli::run_in(
            &corpus,
            &[
                "--root",
                ".",
                "stats",
                "616xold__pocket-cto__plans__FP-0086-benchmark-community-pack-foundation.md",
                "--now",
                "2026-12-03T16:00:00Z",
            ],
        );
        let out = String::from_utf8_lossy(&out);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Progress                35 entries"), "{out}");
    }
}

#[test]
fn roi_infers_effort_and_impact_and_accept_writes_them_into_a_draft() {
    let dir = example("webhooks", "roi");
    let plan = "spec/plans/webhook-delivery/README.md";
    let text = std::fs::read_to_string(dir.join(plan)).expect("plan");
    let bare = text.replace("**Effort:** M\n**Impact:** high\n", "");
    std::fs::write(dir.join(plan), &bare).expect("write");
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &["roi", "webhook-delivery", "--format", "json"],
    ))
    .expect("json");
    crate::schema::assert_valid(
        &crate::schema::validator(&planwright::schema::one("roi").expect("schema")),
        &v,
        "roi",
    );
    assert_eq!(v["effort"]["source"], "inferred");
    assert_eq!(v["effort"]["value"], "M", "{v}");
    assert!(
        v["effort"]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("5 steps, a longest chain of 4")),
        "{v}"
    );
    assert_eq!(v["impact"]["value"], "low", "{v}");
    done(&dir, &["roi", "webhook-delivery", "--accept"]);
    let after = std::fs::read_to_string(dir.join(plan)).expect("plan");
    assert!(
        after.contains("**Created:** 2026-12-03\n**Effort:** M\n**Impact:** low\n"),
        "{after}"
    );
    assert_eq!(
        after.len(),
        bare.len() + "**Effort:** M\n**Impact:** low\n".len()
    );
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &["roi", "webhook-delivery", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(v["effort"]["source"], "stated");
    // A frozen plan is not written to.
    let shop = crate::lifecycle::shop("roi-frozen");
    let o = call(
        &shop,
        &["roi", "add-batch-mode", "--accept", "--format", "json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "stated values need no writing: {}",
        err(&o)
    );
    let src = std::fs::read_to_string(shop.join("spec/plans/json-output/README.md")).expect("plan");
    std::fs::write(
        shop.join("spec/plans/json-output/README.md"),
        src.replace("**Effort:** M\n", "")
            .replace("**Effort:** S\n", "")
            .replace("**Effort:** L\n", ""),
    )
    .expect("write");
    let o = call(
        &shop,
        &["roi", "json-output", "--accept", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("\"kind\":\"refused\""), "{}", err(&o));
}

#[test]
fn the_deviation_report_names_each_event_of_a_scripted_history() {
    let dir = crate::lifecycle::shop("deviation");
    done(&dir, &["work", "generate", "add-batch-mode"]);
    // Step 1: started, verified too early (its file is missing), then done after a pass.
    done(&dir, &["work", "start", "add-batch-mode#1"]);
    let o = call(&dir, &["work", "verify", "add-batch-mode#1"]);
    assert_eq!(o.status.code(), Some(1), "the first verification fails");
    std::fs::create_dir_all(dir.join("docs")).expect("mkdir");
    std::fs::write(dir.join("docs/batch-format.md"), "# Format\n").expect("write");
    done(&dir, &["work", "verify", "add-batch-mode#1"]);
    done(&dir, &["work", "done", "add-batch-mode#1"]);
    // Step 2: complexity found on the way; step 2.1 dropped; step 3 started before step 2 ended.
    done(&dir, &["work", "start", "add-batch-mode#2"]);
    done(
        &dir,
        &["work", "add", "--under", "add-batch-mode#2", "Handle a BOM"],
    );
    done(
        &dir,
        &[
            "work",
            "cancel",
            "add-batch-mode#2.1",
            "--reason",
            "streaming is not needed",
        ],
    );
    done(&dir, &["work", "start", "add-batch-mode#3"]);
    let text = done(&dir, &["report", "deviation", "add-batch-mode"]);
    let report = std::fs::read_to_string(dir.join("spec/plans/add-batch-mode/reports/README.md"))
        .expect("report written");
    assert_eq!(text, report);
    for part in [
        "| 1. Define the batch input format | done | yes | 1 |",
        "Handle a BOM (todo)",
        "| 2.1. ",
        "| cancelled |",
        "- Step 3 started at ",
        "before step 2 was done (never).",
        "- Step 1 (passed, ",
        "exit 0: test -f docs/batch-format.md",
        "1 of 4 steps done, 0 of them as planned",
        "Verification failed on step 1:",
        "1 item was added on the way",
        "Cancelled: step 2.1.",
    ] {
        assert!(report.contains(part), "{part}\n{report}");
    }
    // Byte-stable, checkable, and not a plan itself.
    assert_eq!(
        done(&dir, &["report", "deviation", "add-batch-mode"]),
        report
    );
    let o = call(&dir, &["report", "deviation", "add-batch-mode", "--check"]);
    assert_eq!(o.status.code(), Some(0));
    done(&dir, &["work", "done", "add-batch-mode#3", "--no-verify"]);
    let o = call(&dir, &["report", "deviation", "add-batch-mode", "--check"]);
    assert_eq!(o.status.code(), Some(1), "a new event makes it stale");
    // The report is no plan: nothing but the shop's own findings.
    assert_eq!(
        rules_fired(&dir)
            .iter()
            .filter(|r| !["broken-link", "roi-suggestion"].contains(&r.as_str()))
            .count(),
        0
    );
    let v: serde_json::Value = serde_json::from_str(&done(
        &dir,
        &["report", "deviation", "add-batch-mode", "--format", "json"],
    ))
    .expect("json");
    crate::schema::assert_valid(
        &crate::schema::validator(&planwright::schema::one("deviation").expect("schema")),
        &v,
        "deviation",
    );
}
