//! A step uses a file another step produces, and nothing orders the two.
//!
//! ## What it does
//! Collects the files each step produces (its Produces entries) and the files each step names
//! (its Produces and Modifies entries, and paths in its inline code). When a step names a file
//! that another step produces and neither step depends on the other, directly or through
//! others, it reports the hidden order: "step 5 uses `src/types/order.ts`, produced by step 2,
//! but does not depend on it" — or, when both produce the file, that two unordered steps write
//! it.
//!
//! ## Why is this bad?
//! The seeds' integration pass: the order a plan really needs is in what its steps touch, not
//! only in what its Depends on lines say. Unordered steps may run at the same time (`planwright
//! run -j`, or two agents), and the one that needs the file starts before it exists, or two
//! steps overwrite each other.
//!
//! ## Example
//! ```markdown
//! ### 2. Order types
//! **Depends on:** (none)
//! **Produces:**
//! - `src/types/order.ts`
//!
//! ### 3. Checkout handler
//! **Depends on:** (none)
//!
//! Reads the order shape from `src/types/order.ts`.
//! ```
//!
//! ## Use instead
//! `**Depends on:** Step 2 (schema)` on step 3.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "implicit-dependency";

use super::{Context, Sink};
use crate::span::Span;

/// A plan reported this many times is reported no more (one wrong file can name many steps).
const MAX_FINDINGS: usize = 50;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    let steps = &plan.steps;
    if steps.len() < 2 {
        return;
    }
    let produced: Vec<Vec<(&str, Span)>> =
        steps.iter().map(|s| s.paths(cx.src, "produces")).collect();
    // Every produced path with its step, sorted by path: the producers of a path in one range.
    let mut producers: Vec<(&str, usize)> = produced
        .iter()
        .enumerate()
        .flat_map(|(k, ps)| ps.iter().map(move |(p, _)| (*p, k)))
        .collect();
    if producers.is_empty() {
        return;
    }
    producers.sort_unstable();
    // The graph is built only when two steps name one file (most plans never do).
    let graph = std::cell::OnceCell::new();
    let deps = || graph.get_or_init(|| crate::graph::effective_dependencies(plan));
    let ancestors = |mut k: usize| {
        let mut a = vec![k];
        while let Some(p) = steps[k].parent {
            a.push(p);
            k = p;
        }
        a
    };
    // Does step `a` come after step `b` (or one of `b`'s ancestors) through its dependencies?
    let after = |a: usize, b: usize| {
        let targets = ancestors(b);
        let mut seen = vec![false; steps.len()];
        let mut stack: Vec<usize> = ancestors(a);
        while let Some(x) = stack.pop() {
            for &d in &deps()[x] {
                if targets.contains(&d) {
                    return true;
                }
                if !seen[d] {
                    seen[d] = true;
                    stack.push(d);
                }
            }
        }
        false
    };
    let related = |a: usize, b: usize| ancestors(a).contains(&b) || ancestors(b).contains(&a);
    let mut found = 0;
    let mut said = std::collections::HashSet::new();
    for (k, s) in steps.iter().enumerate() {
        for (path, span) in named(cx, k) {
            let from = producers.partition_point(|(p, _)| *p < path);
            let makers = producers[from..].iter().take_while(|(p, _)| *p == path);
            let own = produced[k].iter().any(|(p, _)| *p == path);
            for &(_, j) in makers {
                if j == k || related(j, k) || after(k, j) || after(j, k) {
                    continue;
                }
                // Both produce it: said once, on the later of the two.
                if own && j > k {
                    continue;
                }
                if !said.insert((j.min(k), j.max(k), path)) {
                    continue;
                }
                let other = &steps[j].id;
                let msg = if own {
                    format!(
                        "steps {other} and {} both produce `{path}`, and neither depends on the other",
                        s.id
                    )
                } else {
                    format!(
                        "step {} uses `{path}`, produced by step {other}, but does not depend on it",
                        s.id
                    )
                };
                out.report(span, msg).help(format!(
                    "add `Step {other}` to step {}'s **Depends on:** (with its type: schema, interface or infrastructure)",
                    s.id
                ));
                found += 1;
                if found == MAX_FINDINGS {
                    return;
                }
            }
        }
    }
}

/// The files step `k` names: its Produces and Modifies entries and the paths in its inline
/// code, each once, with where it is named first.
fn named<'s>(cx: &Context<'s>, k: usize) -> Vec<(&'s str, Span)> {
    let s = &cx.plan.steps[k];
    let mut out = s.paths(cx.src, "produces");
    out.extend(s.paths(cx.src, "modifies"));
    for c in s.code_spans(cx.plan) {
        let inner = c.text(cx.src);
        if inner.contains(char::is_whitespace) {
            continue; // a command, not a path
        }
        if let Some(p) = crate::text::path_in(inner)
            && !out.iter().any(|(q, _)| *q == p)
        {
            out.push((p, *c));
        }
    }
    out
}
