//! An approved plan does not say who approved it or when.
//!
//! ## What it does
//! Checks that a development plan or roadmap with status `approved` (or `superseded`, which
//! was approved before) records both `**Approver:**` and `**Approved:**`.
//!
//! ## Why is this bad?
//! Approval is the review gate of seed 003: it freezes the plan. Without an approver and a
//! date nobody can tell whether the plan was reviewed, by whom, or which version was frozen.
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
//! ```

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
    out.report(
        span,
        format!("approved plan without {}", names.join(" and ")),
    )
    .help(format!("record the approval:\n{}", examples.join("\n")));
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
