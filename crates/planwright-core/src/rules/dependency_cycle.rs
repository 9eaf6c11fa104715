//! Steps depend on each other in a circle.
//!
//! ## What it does
//! Finds every cycle in the steps' dependencies and reports it once, with its whole path
//! (`Step 1 → Step 3 → Step 2 → Step 1`), at the dependency that closes it.
//!
//! ## Why is this bad?
//! No step of a cycle can start, so neither can anything after them; the plan has no valid
//! execution order.
//!
//! ## Example
//! ```markdown
//! ### 1. Schema
//! **Depends on:** Step 2
//! ### 2. Parser
//! **Depends on:** Step 1
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 1. Schema
//! **Depends on:** (none)
//! ### 2. Parser
//! **Depends on:** Step 1
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "dependency-cycle";

use super::{Context, Sink};
use crate::graph;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let steps = &cx.plan.steps;
    if steps.is_empty() || cx.ref_facts().backwards {
        return;
    }
    let deps = cx.deps();
    for cycle in graph::cycles(deps) {
        let first = cycle[0];
        let second = cycle.get(1).copied().unwrap_or(first);
        let mut path: Vec<String> = cycle
            .iter()
            .map(|&i| format!("Step {}", steps[i].id))
            .collect();
        path.push(format!("Step {}", steps[first].id));
        let span = steps[first]
            .depends_on
            .as_ref()
            .and_then(|d| d.refs.iter().find(|r| r.id == steps[second].id))
            .map_or(steps[first].id_span, |r| r.span);
        out.report(span, format!("dependency cycle: {}", path.join(" → ")))
            .help(
                "remove one of these dependencies; a cycle has no order in which its steps can run",
            );
    }
}
