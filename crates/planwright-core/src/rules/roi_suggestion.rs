//! A draft states no Effort or no Impact: what they would be.
//!
//! ## What it does
//! A suggestion (severity `info`: shown, never a failure) on a planwright plan under
//! `spec/plans/` that is a draft or in review, has steps or child plans, and states no
//! `**Effort:**` or no `**Impact:**`. It gives the effort the plan's size suggests (steps, the
//! longest chain of dependencies, Verify commands, child plans) and points to
//! `planwright roi`, which also infers the impact from the plans that link to it and the
//! status of its features, and writes both into the draft with `--accept`.
//!
//! ## Why is this bad?
//! What's Next ranks plans by impact over effort (seed 003). A plan without them is ranked on
//! a guess; writing them down while the plan is a draft (an approved plan is frozen) makes the
//! ranking the team's own.
//!
//! ## Example
//! ```markdown
//! # Plan: Add batch mode
//!
//! **Status:** draft
//! ```
//!
//! ## Use instead
//! ```markdown
//! **Effort:** M
//! **Impact:** high
//! ```
//! or run `planwright roi add-batch-mode --accept`.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "roi-suggestion";

use super::{Context, Sink};
use crate::model::Status;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(path) = cx.path else {
        return;
    };
    if !path.starts_with("spec/plans/") || !cx.plan.kind.is_plan() {
        return;
    }
    if !matches!(
        cx.plan.status(cx.src),
        Some(Status::Draft | Status::InReview)
    ) {
        return;
    }
    if cx.plan.steps.is_empty() && cx.plan.child_plans.is_empty() {
        return;
    }
    let stated = |name: &str| {
        cx.plan.field(name).is_some_and(|f| {
            let v = crate::text::strip_decoration(f.inline.text(cx.src));
            !v.is_empty() && !v.starts_with('[')
        })
    };
    let (effort, impact) = (stated("effort"), stated("impact"));
    if effort && impact {
        return;
    }
    let Some(span) = cx.plan.title.as_ref().map(|t| t.span) else {
        return;
    };
    let slug = crate::text::slug_of(path).unwrap_or_else(|| path.to_owned());
    let e = crate::estimate::effort(cx.plan);
    let message = match (effort, impact) {
        (false, false) => format!(
            "the plan states no Effort or Impact: its size suggests Effort {} ({})",
            e.value, e.reason
        ),
        (false, true) => format!(
            "the plan states no Effort: its size suggests {} ({})",
            e.value, e.reason
        ),
        _ => "the plan states no Impact, which ranks it in What's Next".to_owned(),
    };
    out.report(span, message).help(format!(
        "`planwright roi {slug}` infers both (impact from the plans that link to it and its features), `--accept` writes them into the draft"
    ));
}
