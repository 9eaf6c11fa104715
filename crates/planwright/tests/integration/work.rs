//! Execution: living-section logging, work items, progress and next.

use crate::lifecycle::{call, done, err, read, shop};

mod log {
    use super::*;

    #[test]
    fn logging_keeps_an_approved_plan_frozen() {
        let dir = shop("log");
        let ok = |args: &[&str]| super::done(&dir, args);
        ok(&[
            "approve",
            "search-index",
            "--approver",
            "@kim",
            "--date",
            "2026-11-21",
        ]);
        let plan = "spec/plans/search-index/README.md";
        let before = read(&dir, plan);
        ok(&[
            "log",
            "search-index",
            "progress",
            "Indexer merged",
            "--at",
            "2026-11-21 14:05Z",
        ]);
        ok(&[
            "log",
            "search-index",
            "progress",
            "Backfill done",
            "--at",
            "2026-11-22 09:30Z",
        ]);
        ok(&[
            "log",
            "search-index",
            "decision",
            "Rebuild nightly",
            "--rationale",
            "Drift stays under a day",
            "--author",
            "kim",
            "--at",
            "2026-11-22",
        ]);
        ok(&[
            "log",
            "search-index",
            "surprise",
            "Tokenizer splits SKUs",
            "--evidence",
            "SKU-12 finds SKU and 12",
        ]);
        ok(&[
            "log",
            "search-index",
            "outcome",
            "Search is live",
            "--at",
            "2026-11-23 08:00Z",
        ]);
        let after = read(&dir, plan);
        assert!(after.starts_with(&before), "only appended:\n{after}");
        assert!(after.contains("## Progress\n\n- [x] (2026-11-21 14:05Z) Indexer merged\n- [x] (2026-11-22 09:30Z) Backfill done\n"), "{after}");
        assert!(after.contains("- Decision: Rebuild nightly\n  Rationale: Drift stays under a day\n  Date/Author: 2026-11-22, @kim\n"), "{after}");
        assert!(after.contains("## Surprises & Discoveries\n\n- Observation: Tokenizer splits SKUs\n  Evidence: SKU-12 finds SKU and 12\n"), "{after}");
        assert!(
            after.contains("## Outcomes & Retrospective\n\n- (2026-11-23 08:00Z) Search is live\n"),
            "{after}"
        );
        // Still approved, still frozen, still clean.
        assert!(ok(&["check", "search-index"]).contains("no problems"));
        // Dry run writes nothing; bad input is refused with a reason.
        let o = call(
            &dir,
            &["log", "search-index", "progress", "Not yet", "--dry-run"],
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("+- [x] ("));
        assert_eq!(read(&dir, plan), after);
        for (args, why) in [
            (
                &["log", "search-index", "progress", "x", "--at", "soon"][..],
                "not a time",
            ),
            (
                &["log", "search-index", "progress", "x", "--evidence", "e"],
                "--evidence goes with a surprise",
            ),
            (&["log", "search-index", "progress", "  "], "empty"),
            (&["log", "nope", "progress", "x"], "nope"),
        ] {
            let o = call(&dir, args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(err(&o).contains(why), "{args:?}: {}", err(&o));
        }
        assert_eq!(read(&dir, plan), after);
    }
}

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&done(dir, args)).expect("json")
}

mod generate {
    use super::*;

    #[test]
    fn items_come_from_approved_plans_once() {
        let dir = shop("work-generate");
        assert!(done(&dir, &["work", "generate", "add-batch-mode"]).contains("4 items created"));
        let first = read(&dir, ".planwright/work/add-batch-mode/2.1.toml");
        assert!(
            done(&dir, &["work", "generate", "add-batch-mode"])
                .contains("0 items created, 4 already there")
        );
        assert_eq!(
            read(&dir, ".planwright/work/add-batch-mode/2.1.toml"),
            first,
            "idempotent"
        );
        let items = json(&dir, &["work", "list", "--format", "json"])["items"].clone();
        let ids: Vec<&str> = items
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["id"].as_str().expect("id"))
            .collect();
        assert_eq!(
            ids,
            [
                "add-batch-mode#1",
                "add-batch-mode#2",
                "add-batch-mode#2.1",
                "add-batch-mode#3"
            ]
        );
        let two = &items[1];
        assert_eq!(two["depends_on"], serde_json::json!(["add-batch-mode#1"]));
        assert!(
            two["verify"].as_array().is_some_and(|v| !v.is_empty()),
            "{two}"
        );
        assert_eq!(items[2]["parent"], "add-batch-mode#2");
        // Not approved: refused with the reason and the next step.
        let o = call(&dir, &["work", "generate", "migrate-to-v2"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("not approved") && err(&o).contains("planwright approve"),
            "{}",
            err(&o)
        );
        // A broken item file is an error naming it and its line.
        std::fs::write(
            dir.join(".planwright/work/add-batch-mode/9.toml"),
            "id = \"x\"\nstatus = [\n",
        )
        .expect("write");
        let o = call(&dir, &["work", "list"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("9.toml:") && err(&o).contains("not a work item"),
            "{}",
            err(&o)
        );
    }

    #[test]
    fn a_superseded_plan_marks_its_items() {
        let dir = shop("work-superseded");
        done(&dir, &["work", "generate", "json-output"]);
        done(
            &dir,
            &[
                "new",
                "json-output-v2",
                "--feature",
                "cli",
                "--author",
                "@sam",
            ],
        );
        done(
            &dir,
            &["supersede", "json-output", "--by", "json-output-v2"],
        );
        assert!(done(&dir, &["work", "generate", "json-output"]).contains("marked so"));
        let items = json(&dir, &["work", "list", "--format", "json"])["items"].clone();
        assert!(
            items
                .as_array()
                .expect("array")
                .iter()
                .all(|i| i["superseded"] == true),
            "{items}"
        );
        assert!(done(&dir, &["next"]).contains("nothing is ready"));
    }
}

mod commands {
    use super::*;

    #[test]
    fn an_item_moves_with_its_history() {
        let dir = shop("work-commands");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        let item = json(
            &dir,
            &[
                "work",
                "start",
                "add-batch-mode#1",
                "--by",
                "sam",
                "--format",
                "json",
            ],
        );
        assert_eq!(item["status"], "in_progress");
        assert_eq!(item["assignee"], "@sam");
        assert_eq!(item["event"][0]["by"], "@sam");
        // Verify commands stand between an item and done.
        let o = call(&dir, &["work", "done", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("work verify"), "{}", err(&o));
        let o = call(&dir, &["work", "verify", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(1), "the file does not exist yet");
        std::fs::create_dir_all(dir.join("docs")).expect("mkdir");
        std::fs::write(dir.join("docs/batch-format.md"), "# Batch format\n").expect("write");
        done(&dir, &["work", "verify", "add-batch-mode#1"]);
        done(&dir, &["work", "done", "add-batch-mode#1"]);
        // --no-verify is recorded.
        done(&dir, &["work", "start", "add-batch-mode#2"]);
        let item = json(
            &dir,
            &[
                "work",
                "done",
                "add-batch-mode#2",
                "--no-verify",
                "--format",
                "json",
            ],
        );
        let last = item["event"]
            .as_array()
            .and_then(|e| e.last())
            .expect("event");
        assert!(
            last["note"].as_str().expect("note").contains("--no-verify"),
            "{item}"
        );
        // Block needs a reason; closed items stay closed; filters work.
        assert_eq!(
            call(&dir, &["work", "block", "add-batch-mode#3"])
                .status
                .code(),
            Some(2)
        );
        done(
            &dir,
            &[
                "work",
                "block",
                "add-batch-mode#3",
                "--reason",
                "waiting for review",
            ],
        );
        let o = call(&dir, &["work", "start", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("closed item does not reopen"),
            "{}",
            err(&o)
        );
        let closed = json(
            &dir,
            &["work", "list", "--status", "done", "--format", "json"],
        )["items"]
            .clone();
        assert_eq!(closed.as_array().map(Vec::len), Some(2));
        let mine = json(
            &dir,
            &["work", "list", "--assignee", "sam", "--format", "json"],
        )["items"]
            .clone();
        assert_eq!(mine.as_array().map(Vec::len), Some(1));
        // Ad-hoc items live under a step.
        let added = json(
            &dir,
            &[
                "work",
                "add",
                "--under",
                "add-batch-mode#2.1",
                "Handle a BOM",
                "--format",
                "json",
            ],
        );
        let id = added["id"].as_str().expect("id");
        assert!(
            id.starts_with("add-batch-mode#2.1.") && added["parent"] == "add-batch-mode#2.1",
            "{added}"
        );
        assert!(done(&dir, &["work", "show", id]).contains("Handle a BOM"));
        assert!(done(&dir, &["progress", "add-batch-mode"]).contains("2/3 steps done, 1 blocked"));
        assert_eq!(
            call(&dir, &["work", "show", "nope#1"]).status.code(),
            Some(2)
        );
        assert_eq!(
            call(&dir, &["work", "show", "../x#1"]).status.code(),
            Some(2)
        );
    }

    #[test]
    fn commands_run_only_from_unmodified_approved_plans() {
        let dir = shop("work-trust");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        let plan = "spec/plans/add-batch-mode/README.md";
        let text = read(&dir, plan);
        std::fs::write(
            dir.join(plan),
            text.replace("test -f docs/batch-format.md", "touch pwned"),
        )
        .expect("write");
        let o = call(&dir, &["work", "verify", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(!dir.join("pwned").exists());
        // The item keeps the approved command, not the edited one.
        std::fs::write(dir.join(plan), &text).expect("write");
        let o = call(&dir, &["work", "verify", "add-batch-mode#1"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(!dir.join("pwned").exists());
    }
}

mod next {
    use super::*;

    #[test]
    fn next_and_progress_say_what_a_reader_would() {
        let dir = shop("work-next");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        done(&dir, &["work", "generate", "json-output"]);
        let n = json(&dir, &["next", "--format", "json"])["items"].clone();
        let first = &n[0];
        assert_eq!(first["critical_path"], true, "{n}");
        assert!(
            first["reason"]
                .as_str()
                .expect("reason")
                .contains("critical path")
        );
        // Ready only: nothing that waits for an open item.
        let ids: Vec<&str> = n
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["id"].as_str().expect("id"))
            .collect();
        assert!(
            !ids.contains(&"add-batch-mode#2") && ids.contains(&"add-batch-mode#1"),
            "{ids:?}"
        );
        assert_eq!(
            json(&dir, &["next", "--limit", "1", "--format", "json"])["items"]
                .clone()
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        done(&dir, &["work", "start", "add-batch-mode#1"]);
        done(&dir, &["work", "done", "add-batch-mode#1", "--no-verify"]);
        let ids: Vec<String> = json(&dir, &["next", "--format", "json"])["items"]
            .clone()
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .collect();
        assert!(ids.contains(&"add-batch-mode#2".to_owned()), "{ids:?}");
        let p = done(&dir, &["progress"]);
        assert!(
            p.contains("spec/plans/add-batch-mode/README.md: 1/3 steps done, no blockers"),
            "{p}"
        );
    }
}

mod roadmaps {
    use super::*;

    #[test]
    fn progress_sums_a_roadmap_over_its_child_plans() {
        let dir = shop("work-roadmap");
        done(&dir, &["work", "generate", "checkout-api"]);
        done(&dir, &["work", "start", "checkout/checkout-api#1"]);
        done(
            &dir,
            &["work", "done", "checkout/checkout-api#1", "--no-verify"],
        );
        let p = done(&dir, &["progress"]);
        assert!(
            p.contains("spec/plans/checkout/README.md: 0/2 plans done, 1/3 steps done, 1 without items yet, no blockers"),
            "{p}"
        );
        // The roadmap by name: its row first, then its children's.
        let rows = json(&dir, &["progress", "checkout", "--format", "json"])["plans"].clone();
        assert_eq!(rows[0]["kind"], "roadmap");
        assert_eq!(rows[0]["done"], 1);
        assert_eq!(
            rows[0]["children"],
            serde_json::json!([
                "spec/plans/checkout/checkout-api/README.md",
                "spec/plans/checkout/checkout-ui/README.md"
            ])
        );
        assert_eq!(
            rows[1]["plan"],
            "spec/plans/checkout/checkout-api/README.md"
        );
        let schema =
            jsonschema::validator_for(&planwright::schema::one("progress").expect("schema"))
                .expect("valid schema");
        let wrapped = json(&dir, &["progress", "checkout", "--format", "json"]);
        assert!(schema.is_valid(&wrapped), "{wrapped}");
    }
}

mod branches {
    use super::*;
    use crate::lifecycle::git;

    #[test]
    fn two_branches_merge_without_conflict_or_loss() {
        let dir = shop("work-branches");
        assert!(git(&dir, &["init", "-q", "-b", "main"]).status.success());
        assert!(git(&dir, &["add", "-A"]).status.success());
        assert!(git(&dir, &["commit", "-q", "-m", "shop"]).status.success());
        // Both branches generate the same plan's items and work on different ones.
        assert!(git(&dir, &["checkout", "-q", "-b", "a"]).status.success());
        done(&dir, &["work", "generate", "add-batch-mode"]);
        done(&dir, &["work", "start", "add-batch-mode#1", "--by", "ann"]);
        let a_added = json(
            &dir,
            &[
                "work",
                "add",
                "--under",
                "add-batch-mode#2",
                "Found on branch a",
                "--format",
                "json",
            ],
        );
        assert!(git(&dir, &["add", "-A"]).status.success());
        assert!(git(&dir, &["commit", "-q", "-m", "a"]).status.success());
        assert!(git(&dir, &["checkout", "-q", "main"]).status.success());
        assert!(git(&dir, &["checkout", "-q", "-b", "b"]).status.success());
        done(&dir, &["work", "generate", "add-batch-mode"]);
        done(&dir, &["work", "generate", "json-output"]);
        done(
            &dir,
            &[
                "work",
                "block",
                "add-batch-mode#3",
                "--reason",
                "needs design",
                "--by",
                "bob",
            ],
        );
        let b_added = json(
            &dir,
            &[
                "work",
                "add",
                "--under",
                "add-batch-mode#2",
                "Found on branch b",
                "--format",
                "json",
            ],
        );
        assert!(git(&dir, &["add", "-A"]).status.success());
        assert!(git(&dir, &["commit", "-q", "-m", "b"]).status.success());
        let m = git(&dir, &["merge", "-q", "--no-edit", "a"]);
        assert!(
            m.status.success(),
            "merge: {}{}",
            String::from_utf8_lossy(&m.stdout),
            String::from_utf8_lossy(&m.stderr)
        );
        let items = json(&dir, &["work", "list", "--format", "json"])["items"].clone();
        let get = |id: &str| {
            items
                .as_array()
                .expect("array")
                .iter()
                .find(|i| i["id"] == id)
                .cloned()
        };
        assert_eq!(get("add-batch-mode#1").expect("1")["status"], "in_progress");
        assert_eq!(get("add-batch-mode#3").expect("3")["status"], "blocked");
        assert!(
            get(a_added["id"].as_str().expect("id")).is_some()
                && get(b_added["id"].as_str().expect("id")).is_some()
        );
        assert!(get("json-output#1").is_some());
    }

    #[test]
    fn concurrent_updates_to_different_items_lose_nothing() {
        let dir = shop("work-concurrent");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        done(&dir, &["work", "generate", "json-output"]);
        let ids: Vec<String> = json(&dir, &["work", "list", "--format", "json"])["items"]
            .clone()
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .collect();
        let children: Vec<_> = ids
            .iter()
            .map(|id| {
                std::process::Command::new(env!("CARGO_BIN_EXE_planwright"))
                    .current_dir(&dir)
                    .args(["work", "start", id, "--by", "agent"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for mut c in children {
            assert!(c.wait().expect("wait").success());
        }
        let items = json(&dir, &["work", "list", "--format", "json"])["items"].clone();
        assert_eq!(items.as_array().map(Vec::len), Some(ids.len()));
        assert!(
            items
                .as_array()
                .expect("array")
                .iter()
                .all(|i| i["status"] == "in_progress"),
            "{items}"
        );
    }
}

mod schema {
    use super::*;

    #[test]
    fn work_outputs_match_their_schemas() {
        let dir = shop("work-schema");
        done(&dir, &["work", "generate", "add-batch-mode"]);
        done(&dir, &["work", "start", "add-batch-mode#1", "--by", "sam"]);
        done(
            &dir,
            &[
                "work",
                "block",
                "add-batch-mode#1",
                "--reason",
                "no samples",
            ],
        );
        done(
            &dir,
            &["work", "add", "--under", "add-batch-mode#2", "Handle a BOM"],
        );
        for (name, args) in [
            (
                "work-item",
                &["work", "show", "add-batch-mode#1", "--format", "json"][..],
            ),
            ("next", &["next", "--format", "json"]),
            ("progress", &["progress", "--format", "json"]),
        ] {
            let schema = jsonschema::validator_for(&planwright::schema::one(name).expect("schema"))
                .expect("valid schema");
            let value = json(&dir, args);
            let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}\n{value}");
        }
        let list =
            jsonschema::validator_for(&planwright::schema::one("work-list").expect("schema"))
                .expect("valid schema");
        let items = json(&dir, &["work", "list", "--format", "json"]);
        assert!(list.is_valid(&items), "{items}");
    }
}

mod walkthrough {
    use super::*;

    /// The issue's new-user path on the example: approve, generate, work through two items.
    #[test]
    fn approve_generate_and_work_through_a_plan() {
        let dir = shop("work-walkthrough");
        assert!(done(&dir, &["next"]).contains("no work items yet"));
        done(&dir, &["approve", "search-index", "--approver", "@kim"]);
        assert!(done(&dir, &["work", "generate", "search-index"]).contains("2 items created"));
        let n = done(&dir, &["next"]);
        assert!(
            n.starts_with(
                "search-index#1  Nightly rebuild\n    on the critical path; unblocks 1 item"
            ),
            "{n}"
        );
        done(
            &dir,
            &["work", "start", "search-index#1", "--assignee", "kim"],
        );
        done(
            &dir,
            &[
                "work",
                "done",
                "search-index#1",
                "--no-verify",
                "--note",
                "checked in staging",
            ],
        );
        let p = done(&dir, &["progress"]);
        assert!(
            p.contains("1/2 steps done, no blockers")
                && p.contains("critical path left: search-index#2"),
            "{p}"
        );
        assert!(done(&dir, &["next"]).starts_with("search-index#2  Incremental updates"));
        done(&dir, &["work", "start", "search-index#2"]);
        done(&dir, &["work", "done", "search-index#2", "--no-verify"]);
        assert!(done(&dir, &["progress"]).contains("2/2 steps done, no blockers"));
        assert!(done(&dir, &["next"]).contains("nothing left: all 2 items are done or cancelled"));
        done(
            &dir,
            &["log", "search-index", "outcome", "Search index shipped"],
        );
        assert!(done(&dir, &["check"]).contains("no problems"));
    }
}

mod own_progress {
    use super::*;

    #[test]
    fn progress_from_the_plan_when_it_has_no_items() {
        let dir = shop("own-progress");
        let rows = json(&dir, &["progress", "--format", "json"])["plans"].clone();
        let row = |plan: &str| {
            rows.as_array()
                .expect("array")
                .iter()
                .find(|r| r["plan"] == plan)
                .unwrap_or_else(|| panic!("no row for {plan}: {rows}"))
                .clone()
        };
        let exec = row("docs/exec-plans/search-ranking.md");
        assert_eq!(exec["source"], "progress_checkboxes");
        assert_eq!(
            (exec["done"].as_u64(), exec["steps"].as_u64()),
            (Some(2), Some(4))
        );
        assert_eq!(
            exec["summary"],
            "2/4 done (from its Progress checkboxes; last entry 2026-04-12T10:40:00Z)"
        );
        let tm = row(".taskmaster/tasks/tasks.json");
        assert_eq!(tm["source"], "task_status");
        assert_eq!(tm["in_progress"], 1);
        assert_eq!(
            row("specs/004-search-filters/tasks.md")["source"],
            "task_checkboxes"
        );
        // Items take over once they exist, and say so.
        done(&dir, &["work", "generate", "add-batch-mode"]);
        let text = done(&dir, &["progress", "add-batch-mode"]);
        assert!(text.contains("0/3 steps done"), "{text}");
        let rows = json(&dir, &["progress", "add-batch-mode", "--format", "json"])["plans"].clone();
        assert_eq!(rows[0]["source"], "work_items");
    }

    #[test]
    fn next_offers_the_open_tasks_of_plans_without_items() {
        let dir = shop("own-next");
        let text = done(&dir, &["next"]);
        assert!(
            text.contains("no work items yet")
                && text.contains("ready by the plans' own records of their tasks:")
                && text.contains("specs/004-search-filters/tasks.md#T010"),
            "{text}"
        );
        // A task in progress, or one waiting for an open task, is not offered.
        assert!(!text.contains("tasks.json#2 "), "{text}");
        assert!(!text.contains("#T011"), "{text}");
        let rows = json(&dir, &["next", "--format", "json"])["items"].clone();
        assert!(
            rows.as_array()
                .expect("array")
                .iter()
                .all(|r| r["source"] == "plan"),
            "{rows}"
        );
    }
}

mod expected_output {
    use super::*;

    #[test]
    fn work_verify_compares_the_expected_output_the_plan_states() {
        let steps = "### 1. Greet\n\n**Depends on:** (none)\n**Produces:**\n- a greeting\n\n**Acceptance criteria:**\n- It greets\n\n**Verify:** `echo hello world`\n\nExpected output: hello   world\n\n### 2. Part\n\n**Depends on:** Step 1\n**Produces:**\n- a parting\n\n**Acceptance criteria:**\n- It parts\n\n**Verify:** `echo bye`\n\nExpected output:\n\n```\nfarewell\n```\n";
        let dir = crate::run::repo("work-expected", steps);
        done(&dir, &["work", "generate", "demo"]);
        let o = call(&dir, &["work", "verify", "demo#1"]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let o = call(&dir, &["work", "verify", "demo#2"]);
        assert_eq!(o.status.code(), Some(1), "{}", err(&o));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("did not print what the plan expects") && text.contains("✗ farewell"),
            "{text}"
        );
        let item = json(&dir, &["work", "show", "demo#2", "--format", "json"]);
        assert_eq!(item["verification"]["passed"], false, "{item}");
    }
}

mod defects {
    use super::*;

    /// 1; 2←1; 3←1; 4←2,3: the critical path is one path, 1 → 2 → 4, as `graph` draws it.
    #[test]
    fn progress_reports_one_critical_path_as_graph_does() {
        let steps = "### 1. A\n\n**Depends on:** (none)\n\n**Verify:** `true`\n\n### 2. B\n\n**Depends on:** Step 1\n\n**Verify:** `true`\n\n### 3. C\n\n**Depends on:** Step 1\n\n**Verify:** `true`\n\n### 4. D\n\n**Depends on:** Step 2, Step 3\n\n**Verify:** `true`\n";
        let dir = crate::run::repo("critical-diamond", steps);
        done(&dir, &["work", "generate", "demo"]);
        let text = done(&dir, &["progress", "demo"]);
        assert!(
            text.contains("critical path left: demo#1 → demo#2 → demo#4"),
            "{text}"
        );
        let g = done(&dir, &["graph", "demo", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&g).expect("json");
        assert_eq!(v["critical_path"], serde_json::json!(["1", "2", "4"]));
    }

    /// A plan whose steps only form a cycle: `graph` exits 1 and says why it has no path.
    #[test]
    fn graph_on_a_cyclic_plan_exits_1_and_says_why() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        std::fs::create_dir_all(dir.join("spec/plans/c")).expect("mkdir");
        std::fs::write(dir.join("planwright.toml"), "").expect("config");
        std::fs::write(
            dir.join("spec/plans/c/README.md"),
            "# Plan: C\n\n**Status:** draft\n\n## Steps\n\n### 1. A\n\n**Depends on:** Step 2\n\n### 2. B\n\n**Depends on:** Step 1\n",
        )
        .expect("plan");
        let o = call(dir, &["graph", "c"]);
        assert_eq!(o.status.code(), Some(1), "{}", err(&o));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Critical path: none — a cycle"), "{text}");
        let o = call(dir, &["graph", "c", "--format", "json"]);
        assert_eq!(o.status.code(), Some(1));
    }

    /// `log PLAN progress --open` records an item still to do, `- [ ]`.
    #[test]
    fn log_can_record_an_open_progress_item() {
        let dir = shop("log-open");
        done(
            &dir,
            &[
                "log",
                "search-index",
                "progress",
                "Backfill",
                "--open",
                "--at",
                "2026-12-01 09:00Z",
            ],
        );
        assert!(
            read(&dir, "spec/plans/search-index/README.md")
                .contains("- [ ] (2026-12-01 09:00Z) Backfill\n")
        );
        let o = call(&dir, &["log", "search-index", "decision", "x", "--open"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("--open goes with a progress entry"),
            "{}",
            err(&o)
        );
    }

    /// `run` on a superseded plan names its successor instead of suggesting approval.
    #[test]
    fn run_on_a_superseded_plan_names_its_successor() {
        let dir = shop("run-superseded");
        let o = crate::lifecycle::pw(&dir, &["run", "refactor-output"]);
        assert_eq!(o.status.code(), Some(2));
        let e = err(&o);
        assert!(
            e.contains("superseded by json-output") && e.contains("`planwright run json-output`"),
            "{e}"
        );
        assert!(!e.contains("approve"), "{e}");
    }

    /// `supersede --by` a draft goes ahead, with a warning that the successor is unreviewed.
    #[test]
    fn supersede_by_a_draft_warns() {
        let dir = shop("supersede-draft");
        done(
            &dir,
            &[
                "new",
                "json-output-v2",
                "--feature",
                "cli",
                "--author",
                "@sam",
            ],
        );
        let text = done(
            &dir,
            &["supersede", "json-output", "--by", "json-output-v2"],
        );
        assert!(
            text.contains("warning: spec/plans/json-output-v2/README.md is a draft"),
            "{text}"
        );
    }

    /// `work verify --format json` prints the item as JSON; the commands' output goes to stderr.
    #[test]
    fn work_verify_prints_json_when_asked() {
        let steps = "### 1. Greet\n\n**Depends on:** (none)\n**Produces:**\n- a greeting\n\n**Acceptance criteria:**\n- It greets\n\n**Verify:** `echo hello`\n";
        let dir = crate::run::repo("verify-json", steps);
        done(&dir, &["work", "generate", "demo"]);
        let o = crate::lifecycle::pw(&dir, &["work", "verify", "demo#1", "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).expect("standard output is one JSON document");
        assert_eq!(v["id"], "demo#1");
        assert_eq!(v["verification"]["passed"], true, "{v}");
        let e = err(&o);
        assert!(e.contains("$ echo hello") && e.contains("hello"), "{e}");
    }
}
