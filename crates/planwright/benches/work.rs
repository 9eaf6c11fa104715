//! `planwright next` and `progress` over many work items: generates `--plans N` approved plans'
//! worth of items (20 per plan, random dependencies, about a third done, a few blocked) under
//! `target/bench-work-N/` and times the commands as processes, best of several runs.
//!
//! `cargo bench -p planwright --bench work` (1,000 plans / 20,000 items, then 10,000 /
//! 200,000); `-- --plans 1000` for one size.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;
use common::{Rng, best};

const STEPS: usize = 20;

fn generate(dir: &Path, plans: usize) {
    let marker = dir.join(".generated");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("spec/plans")).expect("mkdir");
    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ plans as u64);
    let impacts = ["low", "medium", "high", "critical"];
    let efforts = ["XS", "S", "M", "L", "XL"];
    for p in 0..plans {
        let slug = format!("plan-{p:05}");
        let d = dir.join(".planwright/work").join(&slug);
        std::fs::create_dir_all(&d).expect("mkdir");
        let impact = impacts[rng.below(4) as usize];
        let effort = efforts[rng.below(5) as usize];
        for s in 1..=STEPS {
            let mut deps = Vec::new();
            for _ in 0..rng.below(3) {
                if s > 1 {
                    let d = 1 + rng.below(s as u64 - 1) as usize;
                    let id = format!("\"{slug}#{d}\"");
                    if !deps.contains(&id) {
                        deps.push(id);
                    }
                }
            }
            let text = format!(
                "id = \"{slug}#{s}\"\nplan = \"spec/plans/{slug}/README.md\"\nstep = \"{s}\"\ntitle = \"Step {s} of {slug}\"\ndepends_on = [{}]\nverify = [\"cargo test -p {slug} step_{s}\"]\nweight = {}.0\nimpact = \"{impact}\"\neffort = \"{effort}\"\norder = {}\n",
                deps.join(", "),
                1 + rng.below(8),
                s - 1
            );
            std::fs::write(d.join(format!("{s}.toml")), text).expect("write item");
            // The first third of a plan is done; now and then something is blocked.
            let status = if s <= STEPS / 3 {
                Some("done")
            } else if rng.below(50) == 0 {
                Some("blocked")
            } else {
                None
            };
            if let Some(st) = status {
                let e = d.join(format!("{s}.events"));
                std::fs::create_dir_all(&e).expect("mkdir");
                std::fs::write(
                    e.join(format!("{:020}-bench0.toml", 1_700_000_000_000_000_000u64 + s as u64)),
                    format!("at = \"2026-11-21 10:00Z\"\nby = \"@bench\"\nwhat = \"todo → {st}\"\nstatus = \"{st}\"\n"),
                )
                .expect("write event");
            }
        }
    }
    std::fs::write(&marker, "").expect("marker");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<usize> = match args.iter().position(|a| a == "--plans") {
        Some(i) => vec![args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(1000)],
        None => vec![1000, 10_000],
    };
    let exe = env!("CARGO_BIN_EXE_planwright");
    for plans in sizes {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/bench-work-{plans}"));
        let t = Instant::now();
        generate(&dir, plans);
        println!(
            "{plans} plans, {} items (ready in {:.1} s)",
            plans * STEPS,
            t.elapsed().as_secs_f64()
        );
        let run = |args: &[&str]| {
            let o = Command::new(exe)
                .arg("--root")
                .arg(&dir)
                .args(args)
                .output()
                .expect("run planwright");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            o.stdout
        };
        let top = run(&["next", "--limit", "3"]);
        print!("{}", String::from_utf8_lossy(&top));
        let runs = if plans > 5000 { 3 } else { 7 };
        let next = best(runs, || {
            run(&["next", "--format", "json"]);
        });
        let progress = best(runs, || {
            run(&["progress", "--format", "json"]);
        });
        println!(
            "  next:     {:8.1} ms\n  progress: {:8.1} ms",
            next.as_secs_f64() * 1e3,
            progress.as_secs_f64() * 1e3
        );
    }
}
