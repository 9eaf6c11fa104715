//! `planwright run`'s own cost. Generates plans under `target/bench-run/` and runs them as a
//! user would (the whole process, journal, work items and Progress entries included):
//!
//! - overhead: a chain of 100 steps whose Verify is `true`, one at a time, against 100 bare
//!   `sh -c true` processes started from here; the difference per step is the runner's.
//! - schedule: 100 steps of `sleep 0.1` with random dependencies, `-j 4`, against the lower
//!   bound max(critical path, total work / 4).
//!
//! - scaling: chains of 100, 1,000 and 5,000 steps of `true`: the runner's own cost a step
//!   (the run's time a step less a bare `sh -c true`) must stay flat as the plan grows.
//!
//! `cargo bench -p planwright --bench run`; `-- --quick` runs each once (and scales to 1,000).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::Rng;

/// A repository with one plan `bench` of `deps.len()` steps running `cmd`.
fn repo(name: &str, deps: &[Vec<usize>], cmd: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/bench-run/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec/plans/bench")).expect("mkdir");
    std::fs::write(dir.join("planwright.toml"), "").expect("config");
    let mut plan = String::from("# Plan: Bench\n\n**Status:** draft\n\n## Steps\n\n");
    for (i, ds) in deps.iter().enumerate() {
        let after = if ds.is_empty() {
            "(none)".to_owned()
        } else {
            ds.iter()
                .map(|d| format!("Step {}", d + 1))
                .collect::<Vec<_>>()
                .join(", ")
        };
        plan.push_str(&format!(
            "### {}. Step {}\n\n**Depends on:** {after}\n\n**Verify:** `{cmd}`\n\n",
            i + 1,
            i + 1
        ));
    }
    std::fs::write(dir.join("spec/plans/bench/README.md"), plan).expect("plan");
    dir
}

fn run(dir: &Path, jobs: usize) -> Duration {
    let t = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_planwright"))
        .current_dir(dir)
        .args([
            "run",
            "bench",
            "--allow-unapproved",
            "-j",
            &jobs.to_string(),
        ])
        .output()
        .expect("planwright run");
    let took = t.elapsed();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    took
}

/// Longest chain, in steps.
fn critical(deps: &[Vec<usize>]) -> usize {
    let mut len = vec![1usize; deps.len()];
    for i in 0..deps.len() {
        for &d in &deps[i] {
            len[i] = len[i].max(len[d] + 1);
        }
    }
    len.into_iter().max().unwrap_or(0)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 1 } else { 3 };
    let n = 100;

    // Overhead.
    let chain: Vec<Vec<usize>> = (0..n)
        .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
        .collect();
    let mut best_run = Duration::MAX;
    let mut best_floor = Duration::MAX;
    for r in 0..rounds {
        let dir = repo(&format!("chain-{r}"), &chain, "true");
        best_run = best_run.min(run(&dir, 1));
        let t = Instant::now();
        for _ in 0..n {
            let s = Command::new("sh")
                .args(["-c", "true"])
                .current_dir(&dir)
                .status()
                .expect("sh");
            assert!(s.success());
        }
        best_floor = best_floor.min(t.elapsed());
    }
    let per_step = best_run.saturating_sub(best_floor) / n as u32;
    println!(
        "overhead: {n} chained steps of `true` in {:.3} s; {n} bare `sh -c true` in {:.3} s; runner overhead {:.2} ms a step (target 10 ms)",
        best_run.as_secs_f64(),
        best_floor.as_secs_f64(),
        per_step.as_secs_f64() * 1000.0
    );

    // Schedule.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let dag: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let mut ds = Vec::new();
            if i >= 4 {
                for _ in 0..1 + rng.below(2) {
                    let d = i - 1 - rng.below(8.min(i as u64)) as usize;
                    if !ds.contains(&d) {
                        ds.push(d);
                    }
                }
            }
            ds
        })
        .collect();
    let cp = critical(&dag);
    let jobs = 4;
    let bound = (cp as f64 * 0.1).max(n as f64 * 0.1 / jobs as f64);
    let mut best = Duration::MAX;
    for r in 0..rounds {
        let dir = repo(&format!("dag-{r}"), &dag, "sleep 0.1");
        best = best.min(run(&dir, jobs));
    }
    println!(
        "schedule: {n} steps of `sleep 0.1`, -j {jobs}, critical path {cp} steps: {:.3} s against a bound of {bound:.3} s ({:.1}% over; target 10%)",
        best.as_secs_f64(),
        (best.as_secs_f64() / bound - 1.0) * 100.0
    );

    // Scaling: the runner's own cost per step must not grow with the plan.
    let sizes: &[usize] = if quick {
        &[100, 1000]
    } else {
        &[100, 1000, 5000]
    };
    let mut per: Vec<(usize, f64)> = Vec::new();
    for &size in sizes {
        let chain: Vec<Vec<usize>> = (0..size)
            .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
            .collect();
        let dir = repo(&format!("scale-{size}"), &chain, "true");
        let took = run(&dir, 1);
        let floor = best_floor.as_secs_f64() / n as f64;
        let own = (took.as_secs_f64() / size as f64 - floor).max(0.0) * 1000.0;
        per.push((size, own));
        println!(
            "scaling: {size} chained steps of `true` in {:.2} s: runner overhead {own:.2} ms a step (target 3 ms at 5,000)",
            took.as_secs_f64()
        );
    }
    for w in per.windows(2) {
        let growth = w[1].1 / w[0].1.max(1e-9);
        println!(
            "scaling: {} → {} steps: overhead per step ×{growth:.2} (target ≤ 1.2 per 10×)",
            w[0].0, w[1].0
        );
    }
}
