//! The reports from what happened: What's Next across the repository, and the deviation
//! report's execution order from run journals and commit trailers.

use crate::lifecycle::{call, done, err, git};
use std::path::{Path, PathBuf};

/// An empty repository under target/test-tmp, with git.
fn repo(name: &str) -> PathBuf {
    let dir = crate::workspace()
        .join("target/test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    assert!(git(&dir, &["init", "-q"]).status.success());
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn commit(dir: &Path, msg: &str) {
    assert!(git(dir, &["add", "-A"]).status.success());
    let o = git(dir, &["commit", "-q", "-m", msg]);
    assert!(o.status.success(), "{}", err(&o));
}

/// A plan with its Progress checkboxes: `done` of them checked, with a timestamp each.
fn plan(
    title: &str,
    effort: &str,
    impact: &str,
    feature: &str,
    progress: &[(bool, &str)],
) -> String {
    let mut p = format!(
        "# Plan: {title}\n\n**Status:** approved\n**Features:**\n- [{feature}](../../../features/{feature}/README.md)\n**Effort:** {effort}\n**Impact:** {impact}\n\n## Steps\n\n### 1. Do it\n\n**Depends on:** (none)\n\n## Progress\n\n"
    );
    for (done, at) in progress {
        if *done {
            p.push_str(&format!("- [x] ({at}) a step\n"));
        } else {
            p.push_str("- [ ] a step\n");
        }
    }
    p.push_str("\n## Outstanding Questions\n\nNone at this time.\n");
    p
}

mod whats_next {
    use super::*;

    /// Two roadmaps in progress — platform (base started, next-up after it) and tools (tool-a
    /// started, tool-b beside it) — and a standalone plan of the same ROI as tool-b.
    fn history(name: &str) -> PathBuf {
        let dir = repo(name);
        write(
            &dir,
            "spec/features/core/README.md",
            "# Feature: core\n\n**Status:** in progress\n\n## Summary\n\nThe core.\n",
        );
        let roadmap = |title: &str, rows: &[(&str, &str, &str, &str)]| {
            let mut t = format!(
                "# Plan: {title}\n\n**Status:** approved\n**Effort:** L\n**Impact:** high\n\n## Child Plans\n\n| Order | Plan | Status | Effort | Impact |\n|---|---|---|---|---|\n"
            );
            for (order, name, effort, impact) in rows {
                t.push_str(&format!(
                    "| {order} | [{name}]({name}/) | approved | {effort} | {impact} |\n"
                ));
            }
            t + "\n## Outstanding Questions\n\nNone at this time.\n"
        };
        write(
            &dir,
            "spec/plans/platform/README.md",
            &roadmap(
                "Platform roadmap",
                &[("1", "base", "M", "high"), ("2", "next-up", "M", "high")],
            ),
        );
        write(
            &dir,
            "spec/plans/tools/README.md",
            &roadmap(
                "Tools roadmap",
                &[("1", "tool-a", "M", "high"), ("1", "tool-b", "S", "medium")],
            ),
        );
        let started = [(true, "2026-12-01 10:00Z"), (false, "")];
        let fresh = [(false, "")];
        for (rel, title, effort, impact, progress) in [
            ("platform/base", "Base", "M", "high", &started[..]),
            ("platform/next-up", "Next up", "M", "high", &fresh[..]),
            ("tools/tool-a", "Tool A", "M", "high", &started[..]),
            ("tools/tool-b", "Tool B", "S", "medium", &fresh[..]),
        ] {
            write(
                &dir,
                &format!("spec/plans/{rel}/README.md"),
                &plan(title, effort, impact, "core", progress),
            );
        }
        write(
            &dir,
            "spec/plans/alpha-solo/README.md",
            &plan("Alpha solo", "S", "medium", "core", &fresh)
                .replace("../../../features", "../../features"),
        );
        commit(&dir, "plans");
        dir
    }

    fn report(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("spec/plans/WHATS-NEXT.md")).expect("report")
    }

    /// The report without its Mode line.
    fn modeless(text: &str) -> String {
        text.lines()
            .filter(|l| !l.starts_with("**Mode:**"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_roadmap_in_progress_goes_before_an_equal_roi_standalone_plan() {
        let dir = history("whats-next-momentum");
        let text = done(
            &dir,
            &["report", "next", "--full", "--now", "2026-12-02T09:00:00Z"],
        );
        assert_eq!(text, report(&dir), "printed as written");
        for part in [
            "**Generated:** 2026-12-02T09:00:00Z",
            "**Mode:** full",
            "- [platform](platform/) — 0/2 plans done, no blockers",
            "- [platform/base](platform/base/) — 1/2 steps done, no blockers",
            "1. **[tools/tool-b](tools/tool-b/)** — Impact: medium, Effort: S. Advances the tools roadmap, already in progress.",
            "2. **[alpha-solo](alpha-solo/)** — Impact: medium, Effort: S.",
            "- tools/tool-b before alpha-solo: equal ROI (medium/S); momentum: its roadmap tools is in progress and alpha-solo stands alone.",
            "Waiting for earlier plans of their roadmap: platform/next-up (after platform/base).",
        ] {
            assert!(text.contains(part), "{part}\n{text}");
        }
        assert!(!text.contains("**[platform/next-up]"), "{text}");
        let v: serde_json::Value = serde_json::from_str(&done(
            &dir,
            &[
                "report",
                "next",
                "--full",
                "--dry-run",
                "--format",
                "json",
                "--now",
                "2026-12-02T09:00:00Z",
            ],
        ))
        .expect("json");
        crate::schema::assert_valid(
            &crate::schema::validator(&planwright::schema::one("whats-next").expect("schema")),
            &v,
            "whats-next",
        );
        assert_eq!(v["recommended"][0]["momentum"], "tools");
    }

    #[test]
    fn incremental_after_one_completion_equals_a_full_rescan() {
        let dir = history("whats-next-incremental");
        done(&dir, &["report", "next", "--now", "2026-12-02T09:00:00Z"]);
        assert!(report(&dir).contains("**Mode:** full (no previous report)"));
        commit(&dir, "what's next");
        // Nothing changed since: the file stays as it is.
        let before = report(&dir);
        done(&dir, &["report", "next", "--now", "2026-12-02T10:00:00Z"]);
        assert_eq!(report(&dir), before, "nothing relevant changed");
        // Base completes; next-up is unblocked.
        let base = "spec/plans/platform/base/README.md";
        let text = std::fs::read_to_string(dir.join(base)).expect("read");
        write(
            &dir,
            base,
            &text.replace("- [ ] a step", "- [x] (2026-12-03 12:00Z) a step"),
        );
        commit(&dir, "base done");
        done(&dir, &["report", "next", "--now", "2026-12-03T13:00:00Z"]);
        let incremental = report(&dir);
        for part in [
            "**Mode:** incremental (since ",
            "## Completed Since Last Update\n\n- [platform/base](platform/base/) — completed 2026-12-03\n",
            "1. **[platform/next-up](platform/next-up/)** — Impact: high, Effort: M. Unblocked by platform/base completion. Advances the platform roadmap, already in progress.",
            "platform/next-up before tools/tool-b: equal ROI (high/M and medium/S); newly unblocked by platform/base.",
        ] {
            assert!(incremental.contains(part), "{part}\n{incremental}");
        }
        // The same state, rescanned from the report the increment started from.
        write(&dir, "spec/plans/WHATS-NEXT.md", &before);
        done(
            &dir,
            &["report", "next", "--full", "--now", "2026-12-03T13:00:00Z"],
        );
        let full = report(&dir);
        assert!(full.contains("**Mode:** full\n"), "{full}");
        assert_eq!(modeless(&incremental), modeless(&full));
    }

    #[test]
    fn a_narrative_survives_while_the_ranking_holds() {
        let dir = history("whats-next-narrative");
        done(
            &dir,
            &[
                "report",
                "next",
                "--now",
                "2026-12-02T09:00:00Z",
                "--agent",
                "cat >/dev/null; echo 'Tool B keeps the tools moving.'",
            ],
        );
        assert!(report(&dir).contains(
            "<!-- planwright:narrative -->\nTool B keeps the tools moving.\n\n## Outstanding Questions"
        ));
        commit(&dir, "what's next");
        // A question added to a plan: that section changes, the ranking and narrative stay.
        let solo = "spec/plans/alpha-solo/README.md";
        let text = std::fs::read_to_string(dir.join(solo)).expect("read");
        write(
            &dir,
            solo,
            &text.replace("None at this time.", "- Which region first?"),
        );
        done(&dir, &["report", "next", "--now", "2026-12-02T10:00:00Z"]);
        let after = report(&dir);
        assert!(after.contains("Tool B keeps the tools moving."), "{after}");
        assert!(
            after.contains("- [alpha-solo](alpha-solo/): Which region first?"),
            "{after}"
        );
        // --full drops it.
        done(
            &dir,
            &["report", "next", "--full", "--now", "2026-12-02T11:00:00Z"],
        );
        assert!(!report(&dir).contains("Tool B keeps"));
        // An agent that fails is named, and nothing is written.
        let before = report(&dir);
        let o = call(&dir, &["report", "next", "--full", "--agent", "exit 3"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("exited with 3"), "{}", err(&o));
        assert_eq!(report(&dir), before);
    }
}

mod deviation {
    use super::*;
    use planwright::run::journal::{Event, Line, Options, Outcome, Writer};

    fn commit_at(dir: &Path, when: &str, msg: &str) {
        assert!(git(dir, &["add", "-A"]).status.success());
        let o = git(
            dir,
            &["commit", "-q", "--allow-empty", "--date", when, "-m", msg],
        );
        assert!(o.status.success(), "{}", err(&o));
    }

    #[test]
    fn commit_trailers_and_run_journals_give_the_execution_order() {
        let dir = crate::lifecycle::shop("deviation-order");
        assert!(git(&dir, &["init", "-q"]).status.success());
        commit_at(&dir, "2026-10-31T10:00:00Z", "shop");
        // Step 2's work was committed before step 1's, in two commits.
        commit_at(
            &dir,
            "2026-11-01T10:00:00Z",
            "Reader first\n\nPlan-Step: add-batch-mode#2",
        );
        commit_at(
            &dir,
            "2026-11-02T10:00:00Z",
            "Format after\n\nPlan-Step: add-batch-mode#1",
        );
        commit_at(
            &dir,
            "2026-11-04T10:00:00Z",
            "Reader again\n\nPlan-Step: add-batch-mode#2",
        );
        // Another plan's trailer is not this plan's.
        commit_at(
            &dir,
            "2026-11-02T12:00:00Z",
            "Other\n\nPlan-Step: json-output#1",
        );
        // A run started step 3 and failed it twice.
        let run = "20261103T100000.000Z-abcdef";
        let mut w = Writer::open(&dir.join(".planwright/runs").join(run)).expect("journal");
        let line = |at: &str, event: Event| Line {
            version: 1,
            at: at.to_owned(),
            event,
        };
        for l in [
            line(
                "2026-11-03T10:00:00.000Z",
                Event::RunStarted {
                    run: run.to_owned(),
                    plan: "spec/plans/add-batch-mode/README.md".to_owned(),
                    options: Options::default(),
                    steps: vec!["3".to_owned()],
                    resumed: None,
                },
            ),
            line(
                "2026-11-03T10:00:01.000Z",
                Event::StepStarted {
                    step: "3".to_owned(),
                    title: "Wire".to_owned(),
                },
            ),
            line(
                "2026-11-03T10:05:00.000Z",
                Event::StepFinished {
                    step: "3".to_owned(),
                    title: "Wire".to_owned(),
                    outcome: Outcome::Failed,
                    attempts: 2,
                    duration_ms: 299_000,
                    reason: String::new(),
                },
            ),
        ] {
            w.write(&l).expect("write");
        }
        let report = done(
            &dir,
            &["report", "deviation", "add-batch-mode", "--dry-run"],
        );
        for part in [
            "Planned: 1, 2, 2.1, 3.\nExecuted (by first start, from work items, run journals and `Plan-Step:` commit trailers): 2, 1, 3.\n",
            "- Step 2 started at 2026-11-01T10:00:00Z (commit ",
            ") before step 1 was done (done at 2026-11-02T10:00:00Z).",
            "- Step 3 started at 2026-11-03T10:00:01Z (run 20261103T100000.000Z-abcdef) before step 2 was done (done at 2026-11-04T10:00:00Z).",
            "Verification failed on step 3:",
            "| 3. Wire `--batch` into the CLI | no_item | no | 2 |",
            " Reader first; ",
            " Reader again\n",
            "- Step 3: run 20261103T100000.000Z-abcdef\n",
        ] {
            assert!(report.contains(part), "{part}\n{report}");
        }
        assert!(!report.contains("Other"), "{report}");
        let v: serde_json::Value = serde_json::from_str(&done(
            &dir,
            &[
                "report",
                "deviation",
                "add-batch-mode",
                "--dry-run",
                "--format",
                "json",
            ],
        ))
        .expect("json");
        crate::schema::assert_valid(
            &crate::schema::validator(&planwright::schema::one("deviation").expect("schema")),
            &v,
            "deviation",
        );
        assert_eq!(v["execution_order"], serde_json::json!(["2", "1", "3"]));
        assert_eq!(v["steps"][1]["commits"].as_array().map(Vec::len), Some(2));
    }

    /// The report with what changes from run to run replaced: times, run ids, commit hashes.
    fn redacted(text: &str) -> String {
        let mut out = String::new();
        for word in text.split_inclusive([' ', '\n', '(', ')', ';', ',']) {
            let (w, tail) = word.split_at(
                word.len()
                    - word
                        .chars()
                        .last()
                        .filter(|c| " \n();,".contains(*c))
                        .map_or(0, char::len_utf8),
            );
            let b = w.as_bytes();
            let time = b.len() == 20 && b[4] == b'-' && b[10] == b'T' && w.ends_with('Z');
            let run = b.len() == 27 && b[8] == b'T' && w.contains("Z-");
            let hash = b.len() == 10 && w.bytes().all(|c| c.is_ascii_hexdigit());
            out.push_str(if time {
                "[time]"
            } else if run {
                "[run]"
            } else if hash {
                "[hash]"
            } else {
                w
            });
            out.push_str(tail);
        }
        out
    }

    #[test]
    fn a_scripted_history_is_told_event_by_event() {
        let dir = crate::lifecycle::shop("deviation-history");
        assert!(git(&dir, &["init", "-q"]).status.success());
        commit(&dir, "shop, add-batch-mode approved");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        commit(&dir, "work items");
        // Step 1 runs: the agent's first attempt fails its verification, the retry passes.
        done(
            &dir,
            &[
                "run",
                "add-batch-mode",
                "--step",
                "1",
                "--retries",
                "1",
                "--agent",
                "cat >/dev/null; if [ -f .attempt ]; then mkdir -p docs && echo '# Format' > docs/batch-format.md; else touch .attempt; fi",
            ],
        );
        commit(&dir, "Batch format\n\nPlan-Step: add-batch-mode#1");
        // Step 2: complexity found on the way; its sub-step 2.1 is dropped.
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
        // Step 3's work is committed while step 2 is still open.
        commit(&dir, "Wire --batch\n\nPlan-Step: add-batch-mode#3");
        let report = done(&dir, &["report", "deviation", "add-batch-mode"]);
        commit(&dir, "deviation report");
        for part in [
            "| 1. Define the batch input format | done | yes | 1 |",
            "Handle a BOM (todo)",
            "| 2.1. Stream large files | cancelled |",
            "Executed (by first start, from work items, run journals and `Plan-Step:` commit trailers): 1, 2, 3.",
            "- Step 3 started at ",
            "(commit ",
            ") before step 2 was done (never).",
            "Cancelled: step 2.1.",
            "Verification failed on step 1:",
            "1 item was added on the way",
        ] {
            assert!(report.contains(part), "{part}\n{report}");
        }
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("deviation__scripted_history", redacted(&report));
        });
    }

    #[test]
    fn work_done_prints_the_commit_trailer() {
        let dir = crate::lifecycle::shop("deviation-trailer");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        let out = done(&dir, &["work", "done", "add-batch-mode#3", "--no-verify"]);
        assert!(
            out.contains("git commit --trailer 'Plan-Step: add-batch-mode#3'"),
            "{out}"
        );
    }
}

mod roi {
    use super::*;

    #[test]
    fn show_and_check_name_the_inferred_effort_and_impact() {
        let dir = crate::lifecycle::shop("roi-where-people-look");
        let text = done(&dir, &["show", "search-index"]);
        assert!(
            text.contains("Effort and impact\n  effort  S inferred (2 steps, a longest chain of 2, 2 Verify commands)\n  impact  low inferred ("),
            "{text}"
        );
        let v: serde_json::Value =
            serde_json::from_str(&done(&dir, &["show", "search-index", "--format", "json"]))
                .expect("json");
        assert_eq!(v["roi"]["effort"]["source"], "inferred");
        crate::schema::assert_valid(
            &crate::schema::validator(&planwright::schema::one("show").expect("schema")),
            &v,
            "show",
        );
        // A plan that states them shows no block, and its JSON says they are stated.
        assert!(!done(&dir, &["show", "add-batch-mode"]).contains("Effort and impact"));
        // The suggestion: shown, never a failure, not even under --deny-warnings.
        let o = call(&dir, &["check", "--deny-warnings"]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("info[roi-suggestion]: the plan states no Effort or Impact: its size suggests Effort S"), "{out}");
        assert!(out.contains("no problems; 1 suggestion"), "{out}");
        let sarif: serde_json::Value =
            serde_json::from_str(&done(&dir, &["check", "--format", "sarif"])).expect("sarif");
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        assert!(
            results
                .iter()
                .any(|r| r["ruleId"] == "roi-suggestion" && r["level"] == "note"),
            "{results:?}"
        );
        // Accepted: written into the in-review plan, and the suggestion is gone.
        done(&dir, &["roi", "search-index", "--accept"]);
        let out = done(&dir, &["check"]);
        assert!(!out.contains("roi-suggestion"), "{out}");
        // Severity words: "info" in planwright.toml.
        write(
            &dir,
            "planwright.toml",
            "[rules]\nexternal-link = \"info\"\n",
        );
        let o = call(&dir, &["config", "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    }
}
