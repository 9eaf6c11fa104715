//! A step nobody can check.
//!
//! ## What it does
//! Reports a step that has neither a `**Verify:**` command nor acceptance criteria — nothing a
//! machine can run and nothing a person can check against. A sub-step is covered by its
//! parent; a parent whose sub-steps are all covered is covered. Also reports a Verify field
//! that holds no command (commands go in backticks, or in a fenced `sh` block after it).
//!
//! ## Why is this bad?
//! "Done" must mean "checked": the runner marks a step done only when its Verify commands
//! pass, and a step without any check can only ever be declared done, never shown to be.
//!
//! ## Example
//! ```markdown
//! ### 2. Implement batch parser
//! Parse and validate batch input files.
//! **Verify:** run the tests
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 2. Implement batch parser
//! Parse and validate batch input files.
//! **Verify:** `cargo test -p batch parser::`
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-verification";

use super::{Context, Sink};
use crate::model::{PlanKind, Step};

fn covered(steps: &[Step], children: &[Vec<usize>], i: usize) -> bool {
    let s = &steps[i];
    if !s.verify.is_empty() || s.has_acceptance_criteria() || s.field("verifies").is_some() {
        return true;
    }
    if s.parent.is_some_and(|p| {
        let ps = &steps[p];
        !ps.verify.is_empty() || ps.has_acceptance_criteria()
    }) {
        return true;
    }
    let children = &children[i];
    !children.is_empty()
        && children
            .iter()
            .all(|&c| !steps[c].verify.is_empty() || steps[c].has_acceptance_criteria())
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !matches!(cx.plan.kind, PlanKind::Development | PlanKind::SpecScore) {
        return;
    }
    let steps = &cx.plan.steps;
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (c, s) in steps.iter().enumerate() {
        if let Some(p) = s.parent {
            children[p].push(c);
        }
    }
    for (i, step) in steps.iter().enumerate() {
        if let Some(span) = step.verify_span
            && step.verify.is_empty()
        {
            out.report(
                span,
                format!("the Verify field of step {} holds no command", step.id),
            )
            .help("put each command in backticks: **Verify:** `cargo test -p batch`");
            continue;
        }
        if !covered(steps, &children, i) {
            out.report(step.heading, format!("step {} has no verification and no acceptance criteria", step.id))
                .help("add **Verify:** `a command that passes when the step is done`, or **Acceptance criteria:**");
        }
    }
}
