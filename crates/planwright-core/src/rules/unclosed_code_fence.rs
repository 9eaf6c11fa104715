//! A code fence is opened and never closed.
//!
//! ## What it does
//! Reports a fenced code block (```` ``` ```` or `~~~`) that runs to the end of the document
//! (or of its list item or quote) because its closing fence is missing.
//!
//! ## Why is this bad?
//! Everything after the opening fence becomes code: steps, fields and sections below it
//! vanish from the plan without a word, for planwright and for every Markdown viewer.
//!
//! ## Example
//! ````markdown
//! **Verify:**
//! ```sh
//! cargo test
//!
//! ### 3. Update CLI entry point
//! ````
//!
//! ## Use instead
//! ````markdown
//! **Verify:**
//! ```sh
//! cargo test
//! ```
//!
//! ### 3. Update CLI entry point
//! ````

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "unclosed-code-fence";

use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for cb in cx.plan.code_blocks.iter().filter(|c| c.fenced && !c.closed) {
        let fence: String = cb
            .opening
            .text(cx.src)
            .trim_start()
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        out.report(cb.opening, "code fence is never closed")
            .help(format!(
                "close it with `{fence}` on a line of its own; everything after it is read as code"
            ));
    }
}
