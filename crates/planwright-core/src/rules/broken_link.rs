//! A relative link points to a file that does not exist, out of the repository, or to a
//! path on someone's machine.
//!
//! ## What it does
//! Resolves every relative link (Features and Source included) against the plan's folder and
//! reports targets that do not exist. Links that climb above the repository root and absolute
//! local paths (`/Users/…`, `C:\…`, `file://…`) are reported with their own message: they
//! cannot work for anyone else, and planwright never looks outside the repository.
//!
//! ## Why is this bad?
//! A plan's links are its context: the feature it implements, the proposal behind it, the
//! acceptance criteria folders. A broken link is missing context for a reviewer and for an
//! agent working from the plan.
//!
//! ## Example
//! ```markdown
//! **Source:** [CLI feature spec](../../features/clii/)
//! See [notes](/Users/alex/notes.md).
//! ```
//!
//! ## Use instead
//! ```markdown
//! **Source:** [CLI feature spec](../../features/cli/)
//! See [notes](../../notes/batch-mode.md).
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "broken-link";

use super::links::{Target, resolve};
use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(path) = cx.path else { return };
    for link in &cx.plan.links {
        match resolve(path, &link.target) {
            Target::Local(p) => {
                if cx.env.exists(&p) == Some(false) {
                    out.report(link.span, format!("link target `{}` does not exist", link.target))
                        .help(format!(
                            "no file or folder `{p}` in the repository; links are relative to the folder of {path}"
                        ));
                }
            }
            Target::OutsideRoot => {
                out.report(link.span, format!("link `{}` climbs out of the repository", link.target))
                    .help("planwright only reads inside the repository; link to a copy inside it, or to a web address");
            }
            Target::AbsoluteLocal => {
                out.report(
                    link.span,
                    format!("link `{}` is an absolute path on one machine", link.target),
                )
                .help("use a path relative to this file, so the link works in every checkout");
            }
            Target::External | Target::Skip => {}
        }
    }
}
