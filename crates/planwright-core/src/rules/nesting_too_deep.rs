//! A plan nests deeper than two levels: sub-sub-steps, or a child plan of a child plan.
//!
//! ## What it does
//! Reports a step numbered three levels deep (`#### 2.1.1.`) and a plan folder three levels
//! below `spec/plans/` (`roadmap/child/grandchild/`).
//!
//! ## Why is this bad?
//! Seed 003 limits plans to steps and sub-steps, and roadmaps to roadmap → child plan. The
//! limit keeps a plan readable in two minutes; anything deeper is execution detail that
//! belongs in work items, which agents may split as they go.
//!
//! ## Example
//! ```markdown
//! ### 2. Implement batch parser
//! #### 2.1. Add streaming support
//! ##### 2.1.1. Buffer sizes
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 2. Implement batch parser
//! #### 2.1. Add streaming support
//! Choose buffer sizes while streaming (a work item, not a plan step).
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "nesting-too-deep";

use super::invalid_slug::slug_segments;
use super::{Context, Sink, plan_anchor};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let markdown = cx.plan.kind.is_markdown_plan();
    for step in cx.plan.steps.iter().filter(|_| markdown) {
        if step.depth > 2 {
            out.report(
                step.id_span,
                format!(
                    "step {} is nested {} levels deep; plans allow two",
                    step.id, step.depth
                ),
            )
            .help("fold it into its parent sub-step, or leave it to work item decomposition");
        }
    }
    if let Some(path) = cx.path
        && cx.plan.kind.is_plan()
        && let Some(segs) = slug_segments(path)
        && segs.len() > 2
    {
        out.report(
            plan_anchor(cx),
            format!(
                "plan `{}` is nested {} levels deep; roadmaps allow two",
                segs.join("/"),
                segs.len()
            ),
        )
        .help("move it beside its parent: roadmap → child plan is the deepest nesting");
    }
}
