//! A step depends on a step that comes after it.
//!
//! ## What it does
//! Reports a dependency on a later step (other than the step's own sub-steps), and shows an
//! order of the steps that respects every dependency.
//!
//! ## Why is this bad?
//! People and agents read plans top to bottom. A step that needs later work is a hidden
//! ordering mistake (seed 002): whoever follows the document starts it too early.
//!
//! ## Example
//! ```markdown
//! ### 1. Implement parser
//! **Depends on:** Step 2
//! ### 2. Define schema
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 1. Define schema
//! ### 2. Implement parser
//! **Depends on:** Step 1
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "order-violation";

use super::{Context, Sink};
use crate::graph;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let steps = &cx.plan.steps;
    // In JSON task stores the order of the file is not an order of work.
    if steps.len() < 2 || !cx.plan.kind.is_markdown_plan() {
        return;
    }
    if cx.ref_facts().backwards {
        return;
    }
    let deps = cx.deps();
    let mut order_help: Option<Option<String>> = None;
    for (i, step) in steps.iter().enumerate() {
        for &j in &deps[i] {
            if j <= i || is_descendant(cx, j, i) {
                continue;
            }
            let later = &steps[j];
            let span = step
                .depends_on
                .as_ref()
                .and_then(|d| d.refs.iter().find(|r| r.id == later.id))
                .map_or(step.id_span, |r| r.span);
            let help = order_help.get_or_insert_with(|| {
                graph::topo_order(deps).map(|order| {
                    let ids: Vec<&str> = order.iter().map(|&k| steps[k].id.as_ref()).collect();
                    format!(
                        "an order that respects every dependency: {}",
                        ids.join(", ")
                    )
                })
            });
            let d = out.report(
                span,
                format!(
                    "step {} depends on step {}, which comes later in the plan",
                    step.id, later.id
                ),
            );
            match help {
                Some(h) => d.help(format!(
                    "move step {} before step {}; {h}",
                    later.id, step.id
                )),
                None => d.help(format!(
                    "move step {} before step {} (the dependencies also have a cycle)",
                    later.id, step.id
                )),
            };
        }
    }
}

fn is_descendant(cx: &Context<'_>, mut j: usize, ancestor: usize) -> bool {
    while let Some(p) = cx.plan.steps[j].parent {
        if p == ancestor {
            return true;
        }
        j = p;
    }
    false
}
