//! A superseded plan does not link to the plan that replaced it.
//!
//! ## What it does
//! Checks that a plan with status `superseded` has a `**Superseded by:**` field with a link
//! to its successor.
//!
//! ## Why is this bad?
//! Superseded plans stay as a historical record (seed 003); a reader who lands on one must be
//! able to find the current approach in one click.
//!
//! ## Example
//! ```markdown
//! **Status:** superseded
//! ```
//!
//! ## Use instead
//! ```markdown
//! **Status:** superseded
//! **Superseded by:** [batch-mode-v2](../batch-mode-v2/)
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "superseded-without-successor";

use super::{Context, Sink};
use crate::model::Status;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.plan.kind.has_header() || cx.plan.status(cx.src) != Some(Status::Superseded) {
        return;
    }
    let Some((_, span)) = cx.plan.status_text(cx.src) else {
        return;
    };
    if let Some(f) = cx.plan.field("superseded by") {
        let has_link =
            cx.plan.links.iter().any(|l| {
                f.value.start <= l.span.start && l.span.end <= f.value.end.max(f.span.end)
            });
        if has_link {
            return;
        }
        out.report(f.span, "`Superseded by` names no plan")
            .help("link the successor: **Superseded by:** [new-plan](../new-plan/)");
        return;
    }
    out.report(span, "superseded plan without a link to its successor")
        .help("add **Superseded by:** [new-plan](../new-plan/) under the status");
}
