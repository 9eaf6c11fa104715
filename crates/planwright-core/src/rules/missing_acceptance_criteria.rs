//! A step does not say when it is done.
//!
//! ## What it does
//! Reports a step of a development plan without `**Acceptance criteria:**`. A sub-step is
//! covered by its parent's criteria, and a grouping heading with no fields of its own
//! (`### 3. Phase: ship it` over `#### 3.1 …`) by its sub-steps' when each has them.
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
    for (i, step) in steps.iter().enumerate() {
        if step.has_acceptance_criteria() {
            continue;
        }
        // A grouping heading (`### 3. Phase: ship it`) with no fields of its own, over
        // sub-steps that each have criteria: the criteria are theirs.
        let mut subs = steps.iter().filter(|s| s.parent == Some(i)).peekable();
        if step.fields.is_empty()
            && subs.peek().is_some()
            && subs.all(|s| s.has_acceptance_criteria())
        {
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
