//! Benchmarks of `graph` and of the foreign formats, with their generators.
//!
//! ```sh
//! cargo bench -p planwright --bench formats
//! ```
//!
//! Targets (issue 3): `graph` of a 10,000-step plan ≤ 50 ms; `check` of a 1,000-issue Beads
//! file ≤ 100 ms; `check` of a 20 MB Taskmaster file ≤ 200 ms. Each is measured as the whole
//! `planwright` process, best of several runs, and in-library for reference.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;
use common::{Rng, best};

const WORDS: &[&str] = &[
    "parse", "index", "cache", "queue", "token", "report", "export", "retry", "config", "audit",
];

fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

fn big_plan(steps: usize) -> String {
    let mut rng = Rng(7);
    let mut s = String::from(
        "# Plan: Ten thousand steps\n\n**Status:** draft\n**Author:** @gen\n\n## Context\n\nGenerated.\n\n## Acceptance criteria\n\n- All steps done\n\n## Steps\n\n",
    );
    for i in 1..=steps as u64 {
        let mut deps: Vec<u64> = (0..rng.below(3))
            .filter(|_| i > 1)
            .map(|_| 1 + rng.below(i - 1))
            .collect();
        deps.sort_unstable();
        deps.dedup();
        let d = if deps.is_empty() {
            "(none)".to_owned()
        } else {
            deps.iter()
                .map(|d| format!("Step {d}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            s,
            "### {i}. {}\n\n**Depends on:** {d}\n**Estimate:** {}h\n**Verify:** `cargo test {}`\n\n",
            words(&mut rng, 3),
            1 + rng.below(8),
            WORDS[(i % 10) as usize]
        );
    }
    s
}

fn beads(issues: usize) -> String {
    let mut rng = Rng(11);
    let mut s = String::new();
    for i in 1..=issues as u64 {
        let mut deps = Vec::new();
        if i > 1 {
            for _ in 0..rng.below(3) {
                let d = 1 + rng.below(i - 1);
                deps.push(format!(
                    r#"{{"issue_id":"bd-{i}","depends_on_id":"bd-{d}","type":"blocks","created_at":"2026-01-01T00:00:00Z"}}"#
                ));
            }
            if rng.below(4) == 0 {
                let p = 1 + rng.below(i - 1);
                deps.push(format!(
                    r#"{{"issue_id":"bd-{i}","depends_on_id":"bd-{p}","type":"parent-child"}}"#
                ));
            }
        }
        let _ = writeln!(
            s,
            r#"{{"_type":"issue","id":"bd-{i}","title":"{}","description":"{}","status":"open","priority":{},"issue_type":"task","dependencies":[{}]}}"#,
            words(&mut rng, 5),
            words(&mut rng, 60),
            rng.below(4),
            deps.join(",")
        );
    }
    s
}

fn taskmaster(target_bytes: usize) -> String {
    let mut rng = Rng(13);
    let mut s = String::from("{\n  \"master\": {\n    \"tasks\": [\n");
    let mut id = 0u64;
    while s.len() < target_bytes {
        id += 1;
        if id > 1 {
            s.push_str(",\n");
        }
        let deps: Vec<String> = (0..rng.below(3))
            .filter(|_| id > 1)
            .map(|_| (1 + rng.below(id - 1)).to_string())
            .collect();
        let mut subs = Vec::new();
        for k in 1..=5u64 {
            let sdeps = if k > 1 {
                format!("[{}]", k - 1)
            } else {
                "[]".to_owned()
            };
            subs.push(format!(
                r#"        {{ "id": {k}, "title": "{}", "description": "{}", "details": "{}", "status": "pending", "dependencies": {sdeps} }}"#,
                words(&mut rng, 4),
                words(&mut rng, 20),
                words(&mut rng, 80)
            ));
        }
        let _ = write!(
            s,
            "      {{ \"id\": {id}, \"title\": \"{}\", \"description\": \"{}\", \"details\": \"{}\", \"testStrategy\": \"{}\", \"status\": \"pending\", \"priority\": \"medium\", \"dependencies\": [{}], \"subtasks\": [\n{}\n      ] }}",
            words(&mut rng, 5),
            words(&mut rng, 30),
            words(&mut rng, 120),
            words(&mut rng, 20),
            deps.join(", "),
            subs.join(",\n")
        );
    }
    s.push_str("\n    ]\n  }\n}\n");
    s
}

fn run(root: &Path, args: &[&str]) -> Option<i32> {
    Command::new(env!("CARGO_BIN_EXE_planwright"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run planwright")
        .status
        .code()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-formats");
    let _ = std::fs::remove_dir_all(&root);
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    };
    let plan = big_plan(10_000);
    write("spec/plans/big/README.md", &plan);
    let b = beads(1_000);
    write(".beads/issues.jsonl", &b);
    let tm = taskmaster(20_000_000);
    write(".taskmaster/tasks/tasks.json", &tm);
    let root = root.canonicalize().expect("root");
    println!(
        "inputs: plan of 10,000 steps ({:.1} MB), Beads file of 1,000 issues ({:.2} MB), Taskmaster file ({:.1} MB)",
        plan.len() as f64 / 1e6,
        b.len() as f64 / 1e6,
        tm.len() as f64 / 1e6
    );

    let lib_graph = best(10, || {
        let (p, _) = planwright_core::parse_with(&plan, planwright_core::KindHint::Plan);
        let g = planwright::graph::Graph::build(&p, &plan, "big", "spec/plans/big/README.md");
        std::hint::black_box(g.to_json());
    });
    let cli_graph = best(30, || {
        assert_eq!(run(&root, &["graph", "big", "--format", "json"]), Some(0));
    });
    let beads_path = root
        .join(".beads/issues.jsonl")
        .to_string_lossy()
        .into_owned();
    let tm_path = root
        .join(".taskmaster/tasks/tasks.json")
        .to_string_lossy()
        .into_owned();
    let cli_beads = best(10, || {
        assert_eq!(
            run(&root, &["check", &beads_path, "--format", "json"]),
            Some(0)
        );
    });
    let lib_tm = best(5, || {
        let (p, _) = planwright_core::parse_with(&tm, planwright_core::KindHint::Taskmaster);
        std::hint::black_box(p.steps.len());
    });
    let cli_tm = best(5, || {
        assert_eq!(
            run(&root, &["check", &tm_path, "--format", "json"]),
            Some(0)
        );
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "graph of 10,000 steps, process:      {:7.1} ms  (target 50 ms; library {:.1} ms)",
        ms(cli_graph),
        ms(lib_graph)
    );
    println!(
        "check of 1,000 Beads issues, process: {:7.1} ms  (target 100 ms)",
        ms(cli_beads)
    );
    println!(
        "check of 20 MB Taskmaster, process:  {:7.1} ms  (target 200 ms; parse alone {:.1} ms)",
        ms(cli_tm),
        ms(lib_tm)
    );
}
