//! A roadmap has implementation steps.
//!
//! ## What it does
//! Reports steps (or a `## Steps` section) in a plan that has a `## Child Plans` table.
//!
//! ## Why is this bad?
//! A roadmap orders child plans; it does not implement anything itself (seed 003). Steps in a
//! roadmap are work no child plan owns: nobody reviews them with the child plans and no work
//! items track them.
//!
//! ## Example
//! ```markdown
//! ## Child Plans
//! | Order | Plan | Status | Effort | Impact |
//! ...
//! ## Steps
//! ### 1. Set up the message store
//! ```
//!
//! ## Use instead
//! ```markdown
//! ## Child Plans
//! | Order | Plan | Status | Effort | Impact |
//! | 1 | [chat-infrastructure](chat-infrastructure/) | draft | L | high |
//! ```
//! with the step moved into `chat-infrastructure/README.md`.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "roadmap-with-steps";

use super::{Context, Sink};
use crate::model::{PlanKind, SectionKind};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.plan.kind != PlanKind::Roadmap {
        return;
    }
    let span = cx
        .plan
        .section(SectionKind::Steps)
        .map(|s| s.heading)
        .or_else(|| cx.plan.steps.first().map(|s| s.heading));
    if let Some(span) = span {
        out.report(span, "a roadmap has implementation steps")
            .help("move the steps into a child plan and list it in the Child Plans table");
    }
}
