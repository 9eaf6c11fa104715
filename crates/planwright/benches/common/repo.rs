//! The generator of large repositories the `check` and `cache` benchmarks share: N plans of
//! 20 steps with random dependency DAGs and about 1% defects, a feature spec per 50 plans,
//! under a folder made once (a marker file names the generator's version).

#![allow(dead_code)]

use super::Rng;
use std::path::Path;

const WORDS: &[&str] = &[
    "parser",
    "schema",
    "batch",
    "stream",
    "index",
    "cache",
    "queue",
    "worker",
    "token",
    "session",
    "report",
    "export",
    "import",
    "migration",
    "endpoint",
    "handler",
    "retry",
    "timeout",
    "config",
    "metrics",
    "audit",
];

pub(crate) fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    s
}

pub(crate) fn plan(rng: &mut Rng, i: usize, feature: usize) -> String {
    let defect = rng.below(100) == 0;
    let defect_kind = rng.below(5);
    let status = if defect && defect_kind == 0 {
        "finished"
    } else {
        ["draft", "in_review", "approved"][rng.below(3) as usize]
    };
    let mut s = format!(
        "# Plan: Generated plan {i}\n\n**Status:** {status}\n**Features:**\n- [f{feature}](../../features/f{feature}/README.md)\n\
         **Source type:** feature\n**Source:** [spec](../../features/f{feature}/README.md)\n**Author:** @gen\n**Created:** 2026-01-15\n"
    );
    if status == "approved" {
        s.push_str("**Approver:** @lead\n**Approved:** 2026-01-20\n");
    }
    s.push_str(&format!(
        "\n## Context\n\n{}.\n{}.\n\n## Acceptance criteria\n\n- {}\n- {}\n\n## Steps\n\n",
        sentence(rng, 10),
        sentence(rng, 8),
        sentence(rng, 6),
        sentence(rng, 6)
    ));
    for n in 1..=20u64 {
        let mut deps: Vec<u64> = Vec::new();
        if n > 1 {
            for _ in 0..rng.below(3) {
                let d = 1 + rng.below(n - 1);
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        if defect && defect_kind == 1 && n == 20 {
            deps.push(42); // dangling
        }
        if defect && defect_kind == 2 && n == 3 {
            deps.push(5); // order violation
        }
        deps.sort_unstable();
        let dep_text = if deps.is_empty() {
            "(none)".to_owned()
        } else {
            let v: Vec<String> = deps.iter().map(|d| format!("Step {d}")).collect();
            v.join(", ")
        };
        let link = if defect && defect_kind == 3 && n == 7 {
            " See [notes](missing-notes.md)."
        } else {
            ""
        };
        s.push_str(&format!(
            "### {n}. {}\n\n{}. {}.{link}\n\n**Depends on:** {dep_text}\n**Produces:**\n- `src/{}_{n}.rs`\n\n\
             **Acceptance criteria:**\n- {}\n- {}\n\n**Verify:** `cargo test {}`\n\n",
            sentence(rng, 3),
            sentence(rng, 6),
            sentence(rng, 3),
            WORDS[rng.below(WORDS.len() as u64) as usize],
            sentence(rng, 4),
            sentence(rng, 3),
            WORDS[rng.below(WORDS.len() as u64) as usize],
        ));
    }
    if defect && defect_kind == 4 {
        s.push_str("## Risks and open decisions\n\n```sh\nunclosed\n");
    } else {
        s.push_str("## Risks and open decisions\n\n- None known.\n\n## Outstanding Questions\n\nNone at this time.\n");
    }
    if status == "approved" {
        // Frozen as `planwright approve` leaves it: the digest of this content.
        let parsed = planwright_core::read(&s, planwright_core::KindHint::Plan);
        let digest = planwright_core::digest::digest(&s, &parsed);
        s = s.replacen(
            "**Approved:** 2026-01-20\n",
            &format!("**Approved:** 2026-01-20\n**Digest:** {digest}\n"),
            1,
        );
    }
    s
}

pub(crate) fn generate(dir: &Path, plans: usize) {
    // Versioned: a repository made by an older generator is made again. (3: each step
    // produces a file of its own, as real plans do; random shared names made every pair of
    // unordered steps a hidden order for implicit-dependency.)
    let marker = dir.join(".generated-3");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ plans as u64);
    let features = (plans / 50).max(1);
    for f in 0..features {
        let d = dir.join(format!("spec/features/f{f}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        let mut text = format!("# Feature: f{f}\n\n");
        for _ in 0..120 {
            text.push_str(&sentence(&mut rng, 12));
            text.push_str(".\n");
        }
        std::fs::write(d.join("README.md"), text).expect("write feature");
    }
    for i in 0..plans {
        let d = dir.join(format!("spec/plans/plan-{i:05}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("README.md"), plan(&mut rng, i, i % features)).expect("write plan");
    }
    std::fs::write(&marker, "").expect("marker");
}

/// Writes the generated views (plans index, feature Plans tables) once, as a real repository
/// has them.
pub(crate) fn index(root: &Path) {
    if root.join("spec/plans/README.md").exists() {
        return;
    }
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_planwright"))
        .arg("--root")
        .arg(root)
        .arg("index")
        .output()
        .expect("run planwright index")
        .status
        .success();
    assert!(ok, "planwright index failed on the generated repository");
}
