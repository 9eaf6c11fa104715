//! A step depends on a step that does not exist.
//!
//! ## What it does
//! Reports a `Depends on` reference to a step id that no heading in the plan defines.
//!
//! ## Why is this bad?
//! The dependency is silently lost: the step looks ready to run before the work it needs,
//! and the graph, the critical path and the runner's order are all wrong.
//!
//! ## Example
//! ```markdown
//! ### 1. Define schema
//! ### 2. Implement parser
//! **Depends on:** Step 7
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 1. Define schema
//! ### 2. Implement parser
//! **Depends on:** Step 1
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "dangling-dependency";

use super::{Context, Sink};
use crate::text::did_you_mean;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.ref_facts().dangling {
        return;
    }
    let index = crate::graph::IdIndex::new(cx.plan);
    let mut ids: Vec<&str> = Vec::new();
    for step in &cx.plan.steps {
        for r in step.depends_on.iter().flat_map(|d| &d.refs) {
            if index.get(&r.id).is_some() || r.id == step.id {
                continue;
            }
            if ids.is_empty() {
                ids = cx.plan.steps.iter().map(|s| s.id.as_ref()).collect();
            }
            let d = out.report(
                r.span,
                format!(
                    "step {} depends on step {}, which does not exist",
                    step.id, r.id
                ),
            );
            match did_you_mean(&r.id, ids.iter().copied()) {
                Some(s) if ids.len() > 1 => {
                    d.help(format!("did you mean step {s}? steps here: {}", list(&ids)))
                }
                _ if ids.is_empty() => d.help("this plan has no numbered steps"),
                _ => d.help(format!("steps here: {}", list(&ids))),
            };
        }
    }
}

fn list(ids: &[&str]) -> String {
    if ids.len() > 12 {
        format!(
            "{} … {}",
            ids[..6].join(", "),
            ids[ids.len() - 3..].join(", ")
        )
    } else {
        ids.join(", ")
    }
}
