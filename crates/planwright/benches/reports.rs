//! The reports: `planwright report next --full` over a generated repository of N plans
//! (a tenth of them in roadmaps of ten, random Effort and Impact with a fifth left to infer,
//! Progress checkboxes with about a quarter completed and a quarter in progress, work items
//! for one plan in ten), and `planwright report deviation` of one 1,000-step plan whose steps
//! were started, verified (one in ten failing first) and done. Both are timed as processes of
//! the release binary, best of several runs, warm cache.
//!
//! `cargo bench -p planwright --bench reports` (10,000 plans and the 1,000-step plan);
//! `-- --plans 1000` for another size. Targets: `report next --full` on 10,000 plans ≤ 1 s;
//! the deviation report of 1,000 steps ≤ 0.2 s.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;
use common::{Rng, best};

const STEPS: usize = 12;

fn plan(rng: &mut Rng, title: &str, feature: usize, depth: &str) -> (String, usize) {
    let impacts = ["low", "medium", "high", "critical"];
    let efforts = ["XS", "S", "M", "L", "XL"];
    let mut s = format!(
        "# Plan: {title}\n\n**Status:** {}\n**Features:**\n- [f{feature}]({depth}features/f{feature}/README.md)\n",
        ["draft", "in_review", "approved", "approved"][rng.below(4) as usize]
    );
    if rng.below(5) != 0 {
        let _ = write!(
            s,
            "**Effort:** {}\n**Impact:** {}\n",
            efforts[rng.below(5) as usize],
            impacts[rng.below(4) as usize]
        );
    }
    s.push_str("\n## Steps\n\n");
    for n in 1..=STEPS {
        let dep = if n == 1 {
            "(none)".to_owned()
        } else {
            format!("Step {}", 1 + rng.below(n as u64 - 1))
        };
        let _ = write!(
            s,
            "### {n}. Step {n}\n\nDo part {n}.\n\n**Depends on:** {dep}\n\n**Verify:** `cargo test part_{n}`\n\n"
        );
    }
    // A quarter completed, a quarter in progress, the rest not started.
    let done = match rng.below(4) {
        0 => STEPS,
        1 => 1 + rng.below(STEPS as u64 - 1) as usize,
        _ => 0,
    };
    s.push_str("## Progress\n\n");
    for n in 1..=STEPS {
        if n <= done {
            let _ = writeln!(
                s,
                "- [x] (2026-11-{:02} 10:{:02}Z) step {n}",
                1 + rng.below(28),
                rng.below(60)
            );
        } else {
            let _ = writeln!(s, "- [ ] step {n}");
        }
    }
    s.push_str("\n## Outstanding Questions\n\n");
    if rng.below(20) == 0 {
        s.push_str("- Which region goes first?\n");
    } else {
        s.push_str("None at this time.\n");
    }
    (s, done)
}

fn generate(dir: &Path, plans: usize) {
    let marker = dir.join(".generated-1");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let mut rng = Rng(0x51_7CC1_B727_220A ^ plans as u64);
    let features = (plans / 50).max(1);
    let statuses = ["draft", "in progress", "stable"];
    for f in 0..features {
        let d = dir.join(format!("spec/features/f{f}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(
            d.join("README.md"),
            format!(
                "# Feature: f{f}\n\n**Status:** {}\n\n## Summary\n\nFeature {f}.\n",
                statuses[rng.below(3) as usize]
            ),
        )
        .expect("write feature");
    }
    let roadmaps = plans / 100;
    let mut written = 0;
    for r in 0..roadmaps {
        let base = dir.join(format!("spec/plans/roadmap-{r:04}"));
        let mut table = String::new();
        for c in 0..9 {
            let feature = rng.below(features as u64) as usize;
            let (text, _) = plan(
                &mut rng,
                &format!("Roadmap {r} child {c}"),
                feature,
                "../../../",
            );
            let d = base.join(format!("child-{c}"));
            std::fs::create_dir_all(&d).expect("mkdir");
            std::fs::write(d.join("README.md"), text).expect("write child");
            let _ = writeln!(
                table,
                "| {} | [child-{c}](child-{c}/) | approved | M | high |",
                1 + c / 3
            );
        }
        std::fs::write(
            base.join("README.md"),
            format!(
                "# Plan: Roadmap {r}\n\n**Status:** approved\n**Effort:** XL\n**Impact:** high\n\n## Child Plans\n\n| Order | Plan | Status | Effort | Impact |\n|---|---|---|---|---|\n{table}\n## Outstanding Questions\n\nNone at this time.\n"
            ),
        )
        .expect("write roadmap");
        written += 10;
    }
    for i in 0..plans.saturating_sub(written) {
        let slug = format!("plan-{i:05}");
        let d = dir.join(format!("spec/plans/{slug}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        let feature = rng.below(features as u64) as usize;
        let (text, _) = plan(&mut rng, &format!("Plan {i}"), feature, "../../");
        std::fs::write(d.join("README.md"), text).expect("write plan");
        // One plan in ten has work items, a third of them done.
        if i % 10 == 0 {
            let w = dir.join(".planwright/work").join(&slug);
            std::fs::create_dir_all(&w).expect("mkdir");
            for s in 1..=STEPS {
                std::fs::write(
                    w.join(format!("{s}.toml")),
                    format!(
                        "id = \"{slug}#{s}\"\nplan = \"spec/plans/{slug}/README.md\"\nstep = \"{s}\"\ntitle = \"Step {s}\"\norder = {}\n",
                        s - 1
                    ),
                )
                .expect("write item");
                if s <= STEPS / 3 {
                    let e = w.join(format!("{s}.events"));
                    std::fs::create_dir_all(&e).expect("mkdir");
                    std::fs::write(
                        e.join(format!("{:020}-bench0.toml", 1_700_000_000_000_000_000u64 + s as u64)),
                        "at = \"2026-11-21T10:00:00Z\"\nby = \"@bench\"\nwhat = \"todo → done\"\nstatus = \"done\"\n",
                    )
                    .expect("write event");
                }
            }
        }
    }
    std::fs::write(&marker, "").expect("marker");
}

/// One approved plan of `steps` steps in a chain of fours, each with an item that was
/// started, verified (one in ten failing first) and done, and a few added items.
fn generate_long(dir: &Path, steps: usize) {
    let marker = dir.join(".generated-1");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let slug = "long";
    let mut s = "# Plan: Long\n\n**Status:** approved\n\n## Steps\n\n".to_owned();
    for n in 1..=steps {
        let dep = if n % 4 == 1 {
            "(none)".to_owned()
        } else {
            format!("Step {}", n - 1)
        };
        let _ = write!(
            s,
            "### {n}. Step {n}\n\n**Depends on:** {dep}\n**Estimate:** 2h\n\n**Verify:** `test -f part_{n}`\n\n"
        );
    }
    let d = dir.join(format!("spec/plans/{slug}"));
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("README.md"), s).expect("write plan");
    let w = dir.join(".planwright/work").join(slug);
    std::fs::create_dir_all(&w).expect("mkdir");
    let mut seq = 0u64;
    let mut event = |e: &Path, at: String, body: &str| {
        seq += 1;
        std::fs::create_dir_all(e).expect("mkdir");
        std::fs::write(
            e.join(format!(
                "{:020}-bench0.toml",
                1_700_000_000_000_000_000u64 + seq
            )),
            format!("at = \"{at}\"\nby = \"@bench\"\n{body}"),
        )
        .expect("write event");
    };
    for n in 1..=steps {
        let deps = if n % 4 == 1 {
            String::new()
        } else {
            format!("\"{slug}#{}\"", n - 1)
        };
        std::fs::write(
            w.join(format!("{n}.toml")),
            format!(
                "id = \"{slug}#{n}\"\nplan = \"spec/plans/{slug}/README.md\"\nstep = \"{n}\"\ntitle = \"Step {n}\"\ndepends_on = [{deps}]\nverify = [\"test -f part_{n}\"]\norder = {}\n",
                n - 1
            ),
        )
        .expect("write item");
        let e = w.join(format!("{n}.events"));
        let hour = |h: usize| format!("2026-11-{:02}T{:02}:00:00Z", 1 + (n / 24) % 28, h % 24);
        event(
            &e,
            hour(n),
            "what = \"todo → in_progress\"\nstatus = \"in_progress\"\n",
        );
        if n % 10 == 0 {
            event(
                &e,
                hour(n),
                &format!(
                    "what = \"verify\"\n[verification]\nat = \"{}\"\npassed = false\nresults = [\"exit 1: test -f part_{n}\"]\n",
                    hour(n)
                ),
            );
        }
        event(
            &e,
            hour(n + 1),
            &format!(
                "what = \"in_progress → done\"\nstatus = \"done\"\n[verification]\nat = \"{}\"\npassed = true\nresults = [\"exit 0: test -f part_{n}\"]\n",
                hour(n + 1)
            ),
        );
        if n % 50 == 0 {
            std::fs::write(
                w.join(format!("{n}.a{n}.toml")),
                format!(
                    "id = \"{slug}#{n}.a{n}\"\nplan = \"spec/plans/{slug}/README.md\"\nstep = \"{n}\"\ntitle = \"Found on the way {n}\"\nparent = \"{slug}#{n}\"\n"
                ),
            )
            .expect("write added item");
        }
    }
    std::fs::write(&marker, "").expect("marker");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let plans = args
        .iter()
        .position(|a| a == "--plans")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let exe = env!("CARGO_BIN_EXE_planwright");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let run = |dir: &Path, args: &[&str]| {
        let o = Command::new(exe)
            .arg("--root")
            .arg(dir)
            .args(args)
            .output()
            .expect("run planwright");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };

    let dir = target.join(format!("bench-reports-{plans}"));
    let t = Instant::now();
    generate(&dir, plans);
    println!(
        "{plans} plans (ready in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    let text = run(&dir, &["report", "next", "--full", "--dry-run"]);
    let text = String::from_utf8_lossy(&text);
    for line in text
        .lines()
        .filter(|l| l.starts_with("1. ") || l.contains("more plans could start"))
    {
        println!("  {line}");
    }
    let next = best(5, || {
        run(&dir, &["report", "next", "--full", "--dry-run"]);
    });
    println!(
        "  report next --full:      {:8.1} ms (target ≤ 1000 ms)",
        next.as_secs_f64() * 1e3
    );

    let long = target.join("bench-reports-long");
    generate_long(&long, 1000);
    let text = run(&long, &["report", "deviation", "long", "--dry-run"]);
    let text = String::from_utf8_lossy(&text);
    for line in text.lines().filter(|l| l.contains(" steps done")) {
        println!("  {line}");
    }
    let dev = best(7, || {
        run(&long, &["report", "deviation", "long", "--dry-run"]);
    });
    println!(
        "  report deviation (1,000 steps): {:8.1} ms (target ≤ 200 ms)",
        dev.as_secs_f64() * 1e3
    );
}
