//! A plan lacks a section its format requires.
//!
//! ## What it does
//! Checks that a development plan has `## Context`, `## Acceptance criteria` and `## Steps`
//! (a roadmap has Context and Acceptance criteria, its Child Plans replace the Steps), and
//! that a lightweight `# PLAN:` has `## Outcome`, `## Phases` and `## Next Action`. Section
//! names match leniently: any case, `&` or `and`.
//!
//! ## Why is this bad?
//! A reviewer reads the Context to judge the approach and the Acceptance criteria to know
//! when the work is done; without Steps there is nothing to execute. A lightweight PLAN
//! without a Next Action does not survive the session boundary it exists for (seed 000).
//!
//! ## Example
//! ```markdown
//! # Plan: Add batch mode
//! ...
//! ## Steps
//! ### 1. Define batch input schema
//! ```
//!
//! ## Use instead
//! ```markdown
//! # Plan: Add batch mode
//! ...
//! ## Context
//! Why this plan exists, in 2-5 sentences.
//!
//! ## Acceptance criteria
//! - All new CLI flags appear in help output
//!
//! ## Steps
//! ### 1. Define batch input schema
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-section";

use super::{Context, Sink, plan_anchor};
use crate::model::{PlanKind, SectionKind};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    let required: &[SectionKind] = match plan.kind {
        PlanKind::Development => &[
            SectionKind::Context,
            SectionKind::AcceptanceCriteria,
            SectionKind::Steps,
        ],
        PlanKind::Roadmap => &[SectionKind::Context, SectionKind::AcceptanceCriteria],
        PlanKind::Lite => &[
            SectionKind::Outcome,
            SectionKind::Phases,
            SectionKind::NextAction,
        ],
        _ => return,
    };
    for kind in required {
        if plan.has_section(*kind) {
            continue;
        }
        if *kind == SectionKind::Steps && !plan.steps.is_empty() {
            continue;
        }
        let name = kind.display_name();
        out.report(plan_anchor(cx), format!("missing section `## {name}`"))
            .help(format!("add a `## {name}` section"));
    }
}
