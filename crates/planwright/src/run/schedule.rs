//! Which step starts next: readiness, the longest remaining path first, no two steps with
//! overlapping Produces at once; and the paths a step declares.

use std::path::{Path, PathBuf};

use planwright_core::model::Plan;

use super::State;
use super::journal::Outcome;

/// The ready step to start next: waiting, every dependency satisfied, no declared file shared
/// with a running step; the longest remaining path first, then plan order.
pub(super) fn pick(
    state: &[State],
    deps: &[Vec<usize>],
    priority: &[f64],
    paths: &[Vec<String>],
) -> Option<usize> {
    let busy: Vec<&String> = state
        .iter()
        .enumerate()
        .filter(|(_, s)| **s == State::Running)
        .flat_map(|(k, _)| paths[k].iter())
        .collect();
    (0..state.len())
        .filter(|&k| state[k] == State::Waiting)
        .filter(|&k| deps[k].iter().all(|&d| state[d].satisfies()))
        .filter(|&k| !paths[k].iter().any(|p| busy.iter().any(|b| overlaps(p, b))))
        .min_by(|&a, &b| {
            priority[b]
                .partial_cmp(&priority[a])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&b))
        })
}

/// The order a run with one job would start the waiting steps in.
pub(super) fn solo_order(state: &[State], deps: &[Vec<usize>], priority: &[f64]) -> Vec<usize> {
    let mut st = state.to_vec();
    let none: Vec<Vec<String>> = vec![Vec::new(); st.len()];
    let mut order = Vec::new();
    while let Some(k) = pick(&st, deps, priority, &none) {
        st[k] = State::Ended(Outcome::Passed);
        order.push(k);
    }
    // Steps that can never become ready (a dependency that will not run) come last.
    for (k, s) in st.iter().enumerate() {
        if *s == State::Waiting {
            order.push(k);
        }
    }
    order
}

/// Each step's longest weighted path to the end of the plan, itself included.
pub(super) fn bottom_levels(plan: &Plan, src: &str, deps: &[Vec<usize>]) -> Vec<f64> {
    let weights = planwright_core::graph::weights(plan, src);
    let order = planwright_core::graph::topo_order(deps).unwrap_or_default();
    let mut level = weights.clone();
    for &k in order.iter().rev() {
        for &d in &deps[k] {
            let via = weights[d] + level[k];
            if via > level[d] {
                level[d] = via;
            }
        }
    }
    level
}

/// Every step that waits for `k`, directly or not.
pub(super) fn dependents_of(deps: &[Vec<usize>], k: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; deps.len()];
    let mut stack = vec![k];
    while let Some(x) = stack.pop() {
        for (i, ds) in deps.iter().enumerate() {
            if !seen[i] && ds.contains(&x) {
                seen[i] = true;
                out.push(i);
                stack.push(i);
            }
        }
    }
    out
}

/// A step as the command line names it: `2.1`, `Step 2.1`, `#2.1`, `plan#2.1`, `2.1.`.
pub(super) fn step_arg(arg: &str) -> &str {
    let a = arg.rsplit_once('#').map_or(arg, |(_, s)| s).trim();
    let a = match a.get(..4) {
        Some(w) if w.eq_ignore_ascii_case("step") => a[4..].trim_start(),
        _ => a,
    };
    a.trim_end_matches('.')
}

pub use planwright_core::text::path_of;

/// The file `path` names under `root`, or `None` when it would leave the root, by its name
/// or through a symbolic link ([`crate::confine`]). A path that does not exist yet is fine.
pub fn inside(root: &Path, path: &str) -> Option<PathBuf> {
    crate::confine::resolve_rel(root, path).ok()
}

/// Two declared paths touch: the same, one inside the other, or a glob whose fixed prefix
/// covers the other.
pub fn overlaps(a: &str, b: &str) -> bool {
    let stem = |p: &str| -> String {
        match p.find(['*', '?', '[']) {
            Some(i) => p[..i]
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned()),
            None => p.to_owned(),
        }
    };
    let (a, b) = (stem(a), stem(b));
    let within = |x: &str, y: &str| {
        x == y || y.is_empty() || x.strip_prefix(y).is_some_and(|r| r.starts_with('/'))
    };
    within(&a, &b) || within(&b, &a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_as_people_name_them() {
        for a in [
            "2.1",
            "Step 2.1",
            "step 2.1",
            "#2.1",
            "add-batch-mode#2.1",
            "2.1.",
        ] {
            assert_eq!(step_arg(a), "2.1", "{a}");
        }
        assert_eq!(step_arg("S3"), "S3");
    }

    #[test]
    fn paths_and_overlaps() {
        assert_eq!(
            path_of("`docs/batch-format.md` — the format").as_deref(),
            Some("docs/batch-format.md")
        );
        assert_eq!(
            path_of("src/lib.rs, the entry").as_deref(),
            Some("src/lib.rs")
        );
        assert_eq!(path_of("A streaming reader"), None);
        assert_eq!(path_of("`.planwright/work/<plan>/<step>.toml`"), None);
        assert_eq!(path_of("`/etc/passwd`"), None);
        assert!(overlaps("src/a.rs", "src/a.rs"));
        assert!(overlaps("src", "src/a.rs"));
        assert!(overlaps("src/*.rs", "src/a.rs"));
        assert!(!overlaps("src/a.rs", "src/ab.rs"));
        assert!(!overlaps("docs/x.md", "src/x.md"));
        let root = tempfile::tempdir().expect("tempdir");
        assert!(inside(root.path(), "../x").is_none());
        assert!(inside(root.path(), "a/b").is_some());
    }

    #[test]
    fn ready_steps_go_longest_path_first() {
        // 0 → 2 → 3 is the long chain; 1 stands alone.
        let deps = vec![vec![], vec![], vec![0], vec![2]];
        let level = [3.0, 1.0, 2.0, 1.0];
        let st = vec![State::Waiting; 4];
        // After 0, the chain's 2 goes first; 1 and 3 tie and go in plan order.
        assert_eq!(solo_order(&st, &deps, &level), vec![0, 2, 1, 3]);
        let paths = vec![vec!["a".to_owned()], vec!["a/b".to_owned()], vec![], vec![]];
        let mut running = st.clone();
        running[0] = State::Running;
        // 1 shares a path with the running 0; 2 waits for 0.
        assert_eq!(pick(&running, &deps, &level, &paths), None);
        assert_eq!(dependents_of(&deps, 0), vec![2, 3]);
    }
}
