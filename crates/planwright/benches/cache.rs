//! The check cache's benchmark.
//!
//! ```sh
//! cargo bench -p planwright --bench cache                  # 10,000 plans
//! cargo bench -p planwright --bench cache -- --plans 1000 --rounds 5
//! ```
//!
//! On the `check` bench's generated repository (`target/bench-repo-N/`), runs
//! `planwright check --format json` as a process, the cases interleaved round after round so
//! that a noisy machine hits them alike:
//! - **no cache** (`--no-cache`): every file read and checked, as before the cache existed;
//! - **cold**: the cache removed first, so the check reads everything and writes the cache
//!   (before the check without a cache in odd rounds, after it in even ones);
//! - **warm**: nothing changed since the last check;
//! - **one changed**: one plan edited since the last check.
//!
//! `-- --fresh-copy` instead times the first check of a copy of the repository with its
//! cache copied along (as in CI with the cache restored), against a check without the cache.
//!
//! Prints the median and best wall time of each, and the cold check's time against the
//! check without a cache: the median of each round's own ratio of wall times, and the ratio
//! of the median CPU times (steadier on a shared machine). The outputs of the cases
//! are compared too: a cached check says what an uncached one says.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

/// The CPU time (user and system, milliseconds) of this process's finished children so far.
fn children_cpu_ms() -> f64 {
    let [_, _, user, sys] = common::cpu_times_ms();
    user + sys
}

/// One `planwright check --format json` (and `extra`): its wall time, CPU time (ms) and output.
fn check(root: &Path, extra: &[&str]) -> (Duration, f64, Vec<u8>) {
    let cpu = children_cpu_ms();
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_planwright"))
        .arg("--root")
        .arg(root)
        .args(["check", "--format", "json"])
        .args(extra)
        .output()
        .expect("run planwright");
    let took = t.elapsed();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, children_cpu_ms() - cpu, out.stdout)
}

/// `--phases`: a warm check's phases in this process, medians of 15 (ms): opening the cache,
/// walking and checking (most of it kept), the repository-level findings, the JSON output.
fn phases(root: &Path) {
    let cfg = planwright::config::Config::load(root).expect("config");
    let m = planwright::discover::Matcher::new(&cfg).expect("matcher");
    let report = planwright::check::run_repo_with(root, &m, &cfg, false, None);
    drop(report);
    let (mut open, mut run, mut render) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..15 {
        let t = Instant::now();
        let cache = planwright::check::Cache::open(root, &cfg);
        let t1 = Instant::now();
        let report = planwright::check::run_repo_with(root, &m, &cfg, false, Some(&cache));
        let t2 = Instant::now();
        planwright::render::json::render(&report, &mut std::io::sink()).expect("render");
        let t3 = Instant::now();
        open.push((t1 - t).as_secs_f64() * 1e3);
        run.push((t2 - t1).as_secs_f64() * 1e3);
        render.push((t3 - t2).as_secs_f64() * 1e3);
    }
    println!(
        "warm, in process (medians): open {:.1} ms, walk + check + views {:.1} ms, JSON {:.1} ms",
        median(&mut open),
        median(&mut run),
        median(&mut render)
    );
}

/// `--fresh-copy`: as in CI with the cache restored. Each of five rounds copies the repository
/// with its cache (every file a new `stat`, the same bytes) and times the copy's first check,
/// then a check of it without the cache (medians, ms).
fn fresh_copy(root: &Path) {
    check(root, &[]);
    let copy = root.with_extension("copy");
    let (mut restored, mut none) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let _ = std::fs::remove_dir_all(&copy);
        copy_tree(root, &copy);
        let (t_restored, _, out_restored) = check(&copy, &[]);
        let (t_none, _, out_none) = check(&copy, &["--no-cache"]);
        assert_eq!(
            out_restored, out_none,
            "the restored cache changed the check"
        );
        restored.push(t_restored.as_secs_f64() * 1e3);
        none.push(t_none.as_secs_f64() * 1e3);
    }
    let _ = std::fs::remove_dir_all(&copy);
    println!(
        "fresh copy, cache restored: first check {:.1} ms, without the cache {:.1} ms (medians of 5)",
        median(&mut restored),
        median(&mut none)
    );
}

/// Copies the folder `from` to `to`, files and folders alike.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("list").flatten() {
        let (p, t) = (e.path(), to.join(e.file_name()));
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let plans = value("--plans", 10_000);
    let rounds = value("--rounds", 9).max(1);
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/bench-repo-{plans}"));
    common::repo::generate(&dir, plans);
    let root = dir.canonicalize().expect("root");
    common::repo::index(&root);
    let cache = root.join(".planwright/cache/check.json");
    if args.iter().any(|a| a == "--phases") {
        phases(&root);
        return;
    }
    if args.iter().any(|a| a == "--fresh-copy") {
        fresh_copy(&root);
        return;
    }
    let edited = root.join(format!("spec/plans/plan-{:05}/README.md", plans / 2));
    let original = std::fs::read_to_string(&edited).expect("the plan to edit");
    println!(
        "repository: {plans} plans at {}; {rounds} rounds, interleaved",
        root.display()
    );

    // Warm the page cache and the cache file.
    check(&root, &["--no-cache"]);
    check(&root, &[]);
    let (mut none, mut cold, mut warm, mut one, mut ratio) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut cpu_none, mut cpu_cold) = (Vec::new(), Vec::new());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for round in 0..rounds {
        // Every file of the cache goes before a cold check: the results, the views' findings,
        // the folder listings. Odd rounds check cold first, so that neither case always
        // follows the other (and the other's writes).
        let cold_check = || {
            let _ = std::fs::remove_dir_all(root.join(".planwright/cache"));
            check(&root, &[])
        };
        let ((t_none, c_none, out_none), (t_cold, c_cold, out_cold)) = if round % 2 == 0 {
            let none = check(&root, &["--no-cache"]);
            (none, cold_check())
        } else {
            let cold = cold_check();
            (check(&root, &["--no-cache"]), cold)
        };
        let (t_warm, _, out_warm) = check(&root, &[]);
        assert_eq!(
            out_cold, out_none,
            "the cold check differs from the uncached one"
        );
        assert_eq!(
            out_warm, out_none,
            "the warm check differs from the uncached one"
        );
        // One plan edited: a sentence added, or taken away again.
        let text = if round % 2 == 0 {
            format!("{original}\nOne more sentence of context.\n")
        } else {
            original.clone()
        };
        std::fs::write(&edited, text).expect("edit the plan");
        let (t_one, _, out_one) = check(&root, &[]);
        let (_, _, out_one_plain) = check(&root, &["--no-cache"]);
        assert_eq!(out_one, out_one_plain, "the check after an edit differs");
        none.push(ms(t_none));
        cold.push(ms(t_cold));
        warm.push(ms(t_warm));
        one.push(ms(t_one));
        ratio.push(t_cold.as_secs_f64() / t_none.as_secs_f64());
        cpu_none.push(c_none);
        cpu_cold.push(c_cold);
    }
    std::fs::write(&edited, &original).expect("restore the plan");
    let size = std::fs::metadata(&cache).map_or(0, |m| m.len());
    let row = |name: &str, v: &mut Vec<f64>| {
        let best = v.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{name:<34} median {:8.1} ms   best {:8.1} ms",
            median(v),
            best
        );
    };
    row("check --no-cache (every file):", &mut none);
    row("check, cold (writes the cache):", &mut cold);
    row("check, warm (nothing changed):", &mut warm);
    row("check, one plan changed:", &mut one);
    let (cn, cc) = (median(&mut cpu_none), median(&mut cpu_cold));
    println!(
        "cold against no cache: {:.3}x wall (median of the rounds' ratios), {:.3}x CPU ({cc:.0} ms against {cn:.0} ms, medians); cache file {:.1} MB",
        median(&mut ratio),
        cc / cn,
        size as f64 / 1e6
    );
}
