//! A step depends on itself.
//!
//! ## What it does
//! Reports a `Depends on` that names the step it belongs to.
//!
//! ## Why is this bad?
//! A step that waits for itself can never start; usually the number is a typo for the step
//! before it.
//!
//! ## Example
//! ```markdown
//! ### 3. Update CLI entry point
//! **Depends on:** Step 3
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 3. Update CLI entry point
//! **Depends on:** Step 2
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "self-dependency";

use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for step in &cx.plan.steps {
        for r in step.depends_on.iter().flat_map(|d| &d.refs) {
            if r.id == step.id {
                out.report(r.span, format!("step {} depends on itself", step.id))
                    .help("remove it, or name the step this one really waits for");
            }
        }
    }
}
