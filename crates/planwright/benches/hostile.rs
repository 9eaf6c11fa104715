//! Hostile input stays linear (issue 19): one Depends on line with many dangling references,
//! and a roadmap with many Child Plans rows, checked and graphed as the whole `planwright`
//! process, at 10,000 and 100,000, so that the growth shows.
//!
//! ```sh
//! cargo bench -p planwright --bench hostile
//! ```
//!
//! Target: ≤ 1 s for 100,000 (`check --format json`, `graph`); 10× the input costs about 10×.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;
use common::best;

fn repo(name: &str, plan: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../target/bench-hostile/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec/plans/p")).expect("mkdir");
    std::fs::write(dir.join("spec/plans/p/README.md"), plan).expect("write");
    dir
}

fn dangling(n: usize) -> String {
    let refs: Vec<String> = (1000..1000 + n).map(|i| format!("Step {i}")).collect();
    format!(
        "# Plan: P\n\n**Status:** draft\n\n## Steps\n\n### 1. One\n\n**Depends on:** {}\n\n**Verify:** `true`\n",
        refs.join(", ")
    )
}

fn roadmap(n: usize) -> String {
    let rows: String = (1..=n)
        .map(|i| format!("| {i} | [child-{i}](child-{i}/) | draft | - | - |\n"))
        .collect();
    format!(
        "# Plan: Big\n\n**Status:** draft\n\n## Context\n\nMany.\n\n## Child Plans\n\n| Order | Plan | Status | Effort | Impact |\n|---|---|---|---|---|\n{rows}\n## Outstanding Questions\n\nNone at this time.\n"
    )
}

fn time(dir: &Path, args: &[&str]) -> Duration {
    best(3, || {
        let o = Command::new(env!("CARGO_BIN_EXE_planwright"))
            .arg("--root")
            .arg(dir)
            .args(args)
            .output()
            .expect("run planwright");
        assert!(o.status.code().is_some_and(|c| c <= 1), "{args:?} failed");
    })
}

/// Times `check` (JSON and human) and `graph` of a generated repository and prints them.
fn measure(what: &str, n: usize, plan: &str) {
    let d = repo(&format!("{}-{n}", what.replace(' ', "-")), plan);
    let json = time(&d, &["check", "--format", "json", "--no-cache"]);
    let human = time(&d, &["check", "--no-cache"]);
    let graph = time(&d, &["graph", "p"]);
    println!(
        "{what}, {n}: check --format json {:.3} s, check (human) {:.3} s, graph {:.3} s",
        json.as_secs_f64(),
        human.as_secs_f64(),
        graph.as_secs_f64()
    );
}

fn main() {
    for n in [10_000, 100_000] {
        measure("dangling references", n, &dangling(n));
        measure("child plans rows", n, &roadmap(n));
    }
}
