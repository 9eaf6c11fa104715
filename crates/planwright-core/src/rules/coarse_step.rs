//! A step produces many files and has no check that could say it is done.
//!
//! ## What it does
//! Reports a step that lists more than five entries under Produces and has no Verify command:
//! no one test or file can tell whether it is finished.
//!
//! ## Why is this bad?
//! The seeds ask for granular steps, each verifiable by one file or one test, so that an
//! agent (or a reviewer) knows exactly when a step is done and a failure points at one thing.
//! A step that makes seven files with nothing to run is several steps in one, and "done" is
//! a guess.
//!
//! ## Example
//! ```markdown
//! ### 3. Build the delivery service
//!
//! **Produces:**
//! - `src/queue.ts`
//! - `src/worker.ts`
//! - `src/retry.ts`
//! - `src/sign.ts`
//! - `src/status.ts`
//! - `src/alerts.ts`
//! ```
//!
//! ## Use instead
//! Split it into steps of one or two files, each with its own `**Verify:**` command, or add
//! the test that checks the whole.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "coarse-step";

use super::{Context, Sink};

/// More Produces entries than this, with no Verify, is too coarse to check.
const MANY: usize = 5;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for s in &cx.plan.steps {
        let Some(f) = s.field("produces") else {
            continue;
        };
        let n = if f.items.is_empty() {
            usize::from(!f.inline.is_empty())
        } else {
            f.items.len()
        };
        if n > MANY && s.verify.is_empty() {
            out.report(
                s.heading,
                format!(
                    "step {} produces {n} files and has no Verify command: nothing can say it is done",
                    s.id
                ),
            )
            .help("split it into steps of a file or two, each with its own **Verify:**, or add the test that checks the whole");
        }
    }
}
