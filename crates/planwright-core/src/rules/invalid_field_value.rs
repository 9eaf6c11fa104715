//! A field holds a value its format does not allow.
//!
//! ## What it does
//! Checks the values planwright reads: Status (draft, in_review, approved, superseded — any
//! case), Effort (S, M, L, XL), Impact (low, medium, high, critical), Source type (feature or
//! change-request), the dates Created and Approved (`YYYY-MM-DD`, a real calendar date, not
//! approved before created), a step's Estimate (`30m`, `2h`, `1.5d`, `1w`), a Depends on
//! that names no step, the Status, Effort and Impact cells of a roadmap's Child Plans, and the
//! `status` of a Taskmaster or Beads task (pending, in-progress, review, blocked, deferred,
//! done, closed, cancelled and the like), from which progress is counted.
//!
//! ## Why is this bad?
//! Tools sort, filter and derive on these values: an unknown status breaks the lifecycle and
//! the index, an unreadable date breaks the Recently Closed list, an Effort of "medium" is
//! silently ignored by prioritisation.
//!
//! ## Example
//! ```markdown
//! **Status:** done
//! **Effort:** medium
//! **Created:** 2026-02-30
//! ```
//!
//! ## Use instead
//! ```markdown
//! **Status:** approved
//! **Effort:** M
//! **Created:** 2026-02-28
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "invalid-field-value";

use super::{Context, Sink};
use crate::model::parse_status;
use crate::model::{PlanKind, Status};
use crate::span::Span;
use crate::text::strip_decoration;
use crate::time::parse_date;

const STATUSES: &str = "draft, in_review, approved, superseded";

/// Task statuses of Taskmaster and Beads, normalised (`in-progress` is `in progress`).
const TASK_STATUSES: &[&str] = &[
    "pending",
    "todo",
    "open",
    "in progress",
    "active",
    "review",
    "blocked",
    "deferred",
    "done",
    "completed",
    "complete",
    "closed",
    "resolved",
    "cancelled",
    "canceled",
    "tombstone",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    let src = cx.src;
    if plan.kind.has_header() {
        if let Some((word, span)) = plan.status_text(src) {
            let ok = match parse_status(word) {
                Some(Status::InProgress | Status::Completed) => plan.kind == PlanKind::SpecScore,
                Some(_) => true,
                None => false,
            };
            if !ok && !word.trim().is_empty() {
                out.report(span, format!("`{}` is not a plan status", strip_decoration(word)))
                    .help(format!(
                        "use one of: {STATUSES}; plans have no done or failed status — execution tracks that"
                    ));
            }
        }
        value_in(cx, out, "effort", &["S", "M", "L", "XL"], false);
        value_in(
            cx,
            out,
            "impact",
            &["low", "medium", "high", "critical"],
            true,
        );
        if let Some(f) = plan.field("source type") {
            let v = strip_decoration(f.inline.text(src))
                .to_ascii_lowercase()
                .replace(['_', ' '], "-");
            if !v.is_empty() && v != "feature" && v != "change-request" && v != "proposal" {
                out.report(
                    f.inline,
                    format!("`{}` is not a source type", f.inline.text(src)),
                )
                .help("use `feature` or `change-request`");
            }
        }
        let created = date(cx, out, "created");
        let approved = date(cx, out, "approved");
        if let (Some((c, _)), Some((a, aspan))) = (created, approved)
            && a < c
        {
            out.report(aspan, "the plan is approved before it was created")
                .help("check the Created and Approved dates");
        }
    }
    let tasks = matches!(plan.kind, PlanKind::Taskmaster | PlanKind::Beads);
    for step in &plan.steps {
        if tasks && let Some(f) = step.field("status") {
            let v = f.value.text(src).trim().trim_matches('"');
            let n = crate::text::normalize_name(v);
            if !n.is_empty() && !TASK_STATUSES.contains(&n.as_str()) {
                out.report(
                    f.value,
                    format!("`{v}` is not a task status planwright knows"),
                )
                .help(format!(
                    "use one of: {}; planwright counts progress from it",
                    TASK_STATUSES.join(", ")
                ));
            }
        }
        if let Some(f) = step.field("estimate") {
            let v = strip_decoration(f.inline.text(src));
            if !v.is_empty() && crate::graph::estimate_hours(v).is_none() {
                out.report(f.inline, format!("`{v}` is not an estimate"))
                    .help("write a number and a unit: `30m`, `2h`, `1.5d`, `1w`");
            }
        }
        if let Some(d) = &step.depends_on
            && let Some(span) = d.unreadable
        {
            out.report(
                span,
                format!("cannot read a step reference in `{}`", span.text(src)),
            )
            .help("write `Step 1`, `Steps 1 and 2`, `Step 2.1`, or `(none)`");
        }
    }
    for row in &plan.child_plans {
        if let Some(s) = &row.status
            && parse_status(&s.value).is_none()
            && !s.value.trim().is_empty()
            && s.value.trim() != "-"
        {
            out.report(s.span, format!("`{}` is not a plan status", s.value))
                .help(format!("use one of: {STATUSES}"));
        }
        for (cell, allowed, lower) in [
            (&row.effort, &["S", "M", "L", "XL"][..], false),
            (
                &row.impact,
                &["low", "medium", "high", "critical"][..],
                true,
            ),
        ] {
            if let Some(c) = cell {
                let v = strip_decoration(&c.value);
                if v != "-" && !v.is_empty() && !matches(v, allowed, lower) {
                    out.report(
                        c.span,
                        format!("`{v}` is not one of {}", allowed.join(", ")),
                    )
                    .help(format!(
                        "use one of: {}, or `-` when unknown",
                        allowed.join(", ")
                    ));
                }
            }
        }
    }
}

fn matches(v: &str, allowed: &[&str], case_insensitive: bool) -> bool {
    allowed.iter().any(|a| {
        if case_insensitive {
            a.eq_ignore_ascii_case(v)
        } else {
            *a == v.to_ascii_uppercase()
        }
    })
}

fn value_in(cx: &Context<'_>, out: &mut Sink, name: &str, allowed: &[&str], lower: bool) {
    let Some(f) = cx.plan.field(name) else { return };
    let v = strip_decoration(f.inline.text(cx.src));
    if v.is_empty() || v == "-" || matches(v, allowed, lower) {
        return;
    }
    out.report(f.inline, format!("`{v}` is not a valid {name}"))
        .help(format!("use one of: {}", allowed.join(", ")));
}

fn date(cx: &Context<'_>, out: &mut Sink, name: &str) -> Option<((u16, u8, u8), Span)> {
    let f = cx.plan.field(name)?;
    let v = strip_decoration(f.inline.text(cx.src));
    if v.is_empty() || v == "-" {
        return None;
    }
    match parse_date(v) {
        Some(d) => Some((d, f.inline)),
        None => {
            out.report(f.inline, format!("`{v}` is not a date"))
                .help("write dates as YYYY-MM-DD, for example 2026-03-14");
            None
        }
    }
}
