//! An ExecPlan's acceptance names nothing a reader could observe.
//!
//! ## What it does
//! Reads an ExecPlan's `## Validation and Acceptance` section and reports it when it holds no
//! command (inline or in a code block) and no observable behaviour — nothing that is run,
//! printed, returned, shown, answered or seen (an output, a status, a page, a response) — only
//! statements about the code's insides ("the resolver is implemented", "the module is
//! refactored").
//!
//! ## Why is this bad?
//! Seed 001: acceptance is behaviour a human can verify, phrased as what to run and what to
//! see. "The code compiles and the class exists" passes while the feature does not work; an
//! agent told only that stops too early.
//!
//! ## Example
//! ```markdown
//! ## Validation and Acceptance
//!
//! The tenant resolver is implemented and registered.
//! ```
//!
//! ## Use instead
//! ```markdown
//! ## Validation and Acceptance
//!
//! Run `curl -H "X-Tenant-Id: tenanta" localhost:8080/api/orders/1`: it returns the order;
//! with `tenantb` it answers 404.
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "unobservable-acceptance";

use super::{Context, Sink};
use crate::model::PlanKind;

/// Words of something a reader can observe (matched inside words: `dry-run`, `prints`).
const OBSERVABLE: &[&str] = &[
    "run", "print", "output", "return", "respond", "response", "request", "show", "display", "see",
    "appear", "visible", "exit", "pass", "fail", "status", "http", "page", "screen", "click",
    "open", "log", "error", "message", "user", "test", "report", "answer", "reject", "accept",
    "result", "expect", "observe", "verify", "check",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    if plan.kind != PlanKind::ExecPlan {
        return;
    }
    let Some(section) = plan.sections.iter().find(|s| {
        let n = crate::text::normalize_name(&s.title.value);
        n.starts_with("validation") || n == "acceptance" || n.starts_with("acceptance ")
    }) else {
        return;
    };
    let body = crate::span::Span::new(section.heading.end, section.span.end);
    if body.text(cx.src).trim().is_empty() {
        return;
    }
    let inside = |s: &crate::span::Span| body.start <= s.start && s.end <= body.end;
    if plan.code_spans.iter().any(inside) || plan.code_blocks.iter().any(|b| inside(&b.span)) {
        return;
    }
    let text = body.text(cx.src).to_ascii_lowercase();
    if OBSERVABLE.iter().any(|w| text.contains(w)) {
        return;
    }
    out.report(
        section.heading,
        "the acceptance names nothing a reader could run or see",
    )
    .help("say what to run and what it prints, returns or shows when the work is done");
}
