//! A Taskmaster or Beads file is not valid JSON.
//!
//! ## What it does
//! Reports the first syntax error of a `tasks.json` (Taskmaster) or of a line of an
//! `issues.jsonl` (Beads): a missing comma, an unterminated string, an issue split over
//! several lines. Everything that could be read is still checked.
//!
//! ## Why is this bad?
//! The tools that own these files refuse to load them, so every task after the error is
//! invisible to them — and to planwright's graph — until the file is repaired.
//!
//! ## Example
//! ```json
//! {"tasks": [{"id": 1, "title": "Setup" "dependencies": []}]}
//! ```
//!
//! ## Use instead
//! ```json
//! {"tasks": [{"id": 1, "title": "Setup", "dependencies": []}]}
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "invalid-json";

use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if let Some(m) = &cx.plan.malformed {
        out.report(m.span, format!("not valid JSON: {}", m.message))
            .help("fix the syntax here; the tool that owns this file cannot load it either");
    }
}
