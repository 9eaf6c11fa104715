//! A step says to connect or finish things without naming a file.
//!
//! ## What it does
//! Reports a step whose title or text is worded as open-ended glue — "wire everything
//! together", "integrate with the existing …", "hook it all up", "finish the rest" — and that
//! names no file: no Produces path and no path in inline code.
//!
//! ## Why is this bad?
//! Such a step hides the work it stands for: which modules, which interfaces, which files. It
//! cannot be verified by one test, it does not say what it depends on, and it is where a plan
//! quietly runs over. The seeds' ordering and integration passes need each step to name what
//! it touches.
//!
//! ## Example
//! ```markdown
//! ### 6. Wire everything together
//!
//! Integrate with the existing system.
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 6. Route webhook events to the delivery queue
//!
//! **Produces:**
//! - `src/routes/events.ts` — POST /events enqueues a delivery
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "vague-step";

use super::{Context, Sink};

/// Wordings of open-ended glue work (matched in lower case).
const VAGUE: &[&str] = &[
    "wire everything",
    "wire it all",
    "wire up everything",
    "tie everything together",
    "put it all together",
    "put everything together",
    "hook everything up",
    "hook it all up",
    "integrate with the existing",
    "integrate everything",
    "make it all work",
    "make everything work",
    "finish the rest",
    "do the rest",
    "finishing touches",
    "miscellaneous",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    // Markdown plans only: a tracker's issue descriptions are prose of another kind.
    if !cx.plan.kind.is_markdown_plan() {
        return;
    }
    for s in &cx.plan.steps {
        let text = s.span.text(cx.src);
        let lower = text.to_ascii_lowercase();
        let Some(phrase) = VAGUE.iter().find(|p| lower.contains(*p)) else {
            continue;
        };
        let names_a_file = !s.paths(cx.src, "produces").is_empty()
            || !s.paths(cx.src, "modifies").is_empty()
            || cx
                .plan
                .code_spans
                .iter()
                .filter(|c| s.span.start <= c.start && c.end <= s.span.end)
                .any(|c| crate::text::path_of(c.text(cx.src)).is_some());
        if names_a_file {
            continue;
        }
        out.report(
            s.heading,
            format!(
                "step {} says \"{phrase}\" and names no file: nothing says what it touches or when it is done",
                s.id
            ),
        )
        .help("name the files or modules it changes (under **Produces:**) and the check that proves it, or split it");
    }
}
