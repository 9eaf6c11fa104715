//! A roadmap lists a child plan that does not exist.
//!
//! ## What it does
//! Checks every row of a roadmap's `## Child Plans` table: the Plan cell must link to a child
//! plan (a folder with a `README.md`, or a Markdown file) that exists.
//!
//! ## Why is this bad?
//! The roadmap's order, its derived status and the plans index are built from its children;
//! a missing child makes all three wrong, and the work it stood for is planned nowhere.
//!
//! ## Example
//! ```markdown
//! | 2 | [chat-workflow-engine](chat-workflow-engine/) | draft | M | high |
//! ```
//! with no `chat-workflow-engine/README.md` beside the roadmap.
//!
//! ## Use instead
//! Create the child plan (`planwright new chat-feature/chat-workflow-engine`), or remove the
//! row.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-child-plan";

use super::links::{Target, resolve};
use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(path) = cx.path else { return };
    for row in &cx.plan.child_plans {
        let Some(target) = &row.target else {
            out.report(
                row.name.span,
                format!("child plan `{}` has no link", row.name.value),
            )
            .help(format!("link it: [{0}]({0}/)", row.name.value));
            continue;
        };
        let Target::Local(p) = resolve(path, &target.value) else {
            continue;
        };
        let exists = match cx.env.is_dir(&p) {
            Some(true) => cx.env.exists(&format!("{p}/README.md")),
            _ => cx.env.exists(&p),
        };
        if exists == Some(false) {
            out.report(
                target.span,
                format!("child plan `{}` does not exist", row.name.value),
            )
            .help(format!("create `{p}/README.md`, or remove the row"));
        }
    }
}
