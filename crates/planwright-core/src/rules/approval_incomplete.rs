//! An approved plan does not say who approved it or when.
//!
//! ## What it does
//! Checks that a development plan or roadmap with status `approved` records
//! `**Approver:**`, `**Approved:**` and `**Digest:**` (which `planwright approve` writes).
//!
//! ## Why is this bad?
//! Approval is the review gate of seed 003: it freezes the plan. Without an approver and a
//! date nobody can tell whether the plan was reviewed, by whom, or which version was frozen.
//! Without the digest nothing shows that the content is what was approved: deleting the line
//! would switch the freeze off, so `planwright run` and `work verify` refuse such a plan, and
//! `frozen-plan-modified` compares it with its approved version in git.
//!
//! ## Example
//! ```markdown
//! **Status:** approved
//! **Author:** @alex
//! ```
//!
//! ## Use instead
//! ```markdown
//! **Status:** approved
//! **Author:** @alex
//! **Approver:** @jordan
//! **Approved:** 2026-03-15
//! **Digest:** sha256:9f2c…
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "approval-incomplete";

use super::{Context, Sink};
use crate::model::{PlanKind, Status};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !matches!(cx.plan.kind, PlanKind::Development | PlanKind::Roadmap) {
        return;
    }
    let Some(status) = cx.plan.status(cx.src) else {
        return;
    };
    if status != Status::Approved {
        return;
    }
    let Some((_, span)) = cx.plan.status_text(cx.src) else {
        return;
    };
    let mut missing = Vec::new();
    for (name, example) in [
        ("approver", "**Approver:** @name"),
        ("approved", "**Approved:** YYYY-MM-DD"),
        (
            "digest",
            "**Digest:** sha256:… (`planwright approve` computes it)",
        ),
    ] {
        let empty = cx.plan.field(name).is_none_or(|f| f.value.is_empty());
        if empty {
            missing.push((name, example));
        }
    }
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing
        .iter()
        .map(|(n, _)| format!("`{}`", capital(n)))
        .collect();
    let examples: Vec<&str> = missing.iter().map(|(_, e)| *e).collect();
    out.report(span, format!("approved plan without {}", and_list(&names)))
        .help(format!("record the approval:\n{}", examples.join("\n")));
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[String]) -> String {
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
