//! A step does not say when it is done.
//!
//! ## What it does
//! Reports a step of a development plan without `**Acceptance criteria:**`. A sub-step is
//! covered by its parent's criteria.
//!
//! ## Why is this bad?
//! Step-level criteria are what work items, reviewers and tests aim at (seed 003). Without
//! them "done" is whatever the implementer decides.
//!
//! ## Example
//! ```markdown
//! ### 3. Update CLI entry point
//! Add `--batch <file>` and wire it to the parser.
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 3. Update CLI entry point
//! Add `--batch <file>` and wire it to the parser.
//!
//! **Acceptance criteria:**
//! - Help output shows `--batch` with a description
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-acceptance-criteria";

use super::{Context, Sink};
use crate::model::PlanKind;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.plan.kind != PlanKind::Development {
        return;
    }
    let steps = &cx.plan.steps;
    for step in steps {
        if step.has_acceptance_criteria() {
            continue;
        }
        if step
            .parent
            .is_some_and(|p| steps[p].has_acceptance_criteria())
        {
            continue;
        }
        out.report(
            step.heading,
            format!("step {} has no acceptance criteria", step.id),
        )
        .help("add **Acceptance criteria:** with one bullet per checkable outcome");
    }
}
