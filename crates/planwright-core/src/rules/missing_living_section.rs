//! An ExecPlan lacks one of its four living sections.
//!
//! ## What it does
//! Checks that an ExecPlan has `## Progress`, `## Surprises & Discoveries`, `## Decision Log`
//! and `## Outcomes & Retrospective` (names match leniently: any case, `&` or `and`).
//!
//! ## Why is this bad?
//! The living sections are what make an ExecPlan resumable (seed 001): the next session reads
//! Progress to know where to start and the Decision Log to avoid re-deciding. They are
//! mandatory, and planwright's `log` and `run` write into them.
//!
//! ## Example
//! ```markdown
//! # ExecPlan: OAuth2 sign-in
//! ## Purpose / Big Picture
//! ## Progress
//! - [x] (2025-11-16 14:00Z) Read the existing auth code
//! ```
//!
//! ## Use instead
//! ```markdown
//! # ExecPlan: OAuth2 sign-in
//! ## Purpose / Big Picture
//! ## Progress
//! - [x] (2025-11-16 14:00Z) Read the existing auth code
//! ## Surprises & Discoveries
//! ## Decision Log
//! ## Outcomes & Retrospective
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-living-section";

use super::{Context, Sink, plan_anchor};
use crate::model::{PlanKind, SectionKind};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.plan.kind != PlanKind::ExecPlan {
        return;
    }
    for kind in SectionKind::LIVING {
        if !cx.plan.has_section(kind) {
            let name = kind.display_name();
            out.report(
                plan_anchor(cx),
                format!("ExecPlan without a `## {name}` section"),
            )
            .help(format!("add `## {name}`; it stays editable after approval"));
        }
    }
}
