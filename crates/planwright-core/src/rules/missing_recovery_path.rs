//! A risky step of an ExecPlan says nothing about how to recover from it.
//!
//! ## What it does
//! In an ExecPlan without an `## Idempotence and Recovery` section, reports each step that
//! does something hard to undo — it migrates, drops, deletes, removes, deploys, releases,
//! publishes, overwrites, force-pushes or touches production — when its own text says nothing
//! about recovery ("if this fails", "roll back", "revert", "undo", "restore", "back up",
//! "retry", "idempotent", "safe to run again").
//!
//! ## Why is this bad?
//! Seed 001 asks every ExecPlan to say how to retry or back out of a step that can go wrong
//! halfway: an agent that meets a failed migration with no recovery path improvises, and the
//! improvisation is where data is lost.
//!
//! ## Example
//! ```markdown
//! ## Concrete Steps
//!
//! 1. Drop the legacy `orders_v1` table.
//! ```
//!
//! ## Use instead
//! ```markdown
//! 1. Drop the legacy `orders_v1` table. Back it up first with `pg_dump -t orders_v1`; if
//!    this fails, restore it from that dump.
//! ```
//! or an `## Idempotence and Recovery` section for the whole plan.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-recovery-path";

use super::{Context, Sink};
use crate::model::PlanKind;

/// Words of a step that does something hard to undo.
const RISKY: &[&str] = &[
    "migrate",
    "migration",
    "drop ",
    "delete",
    "remove",
    "deploy",
    "release",
    "publish",
    "overwrite",
    "force-push",
    "push --force",
    "--force",
    "rm -rf",
    "production",
    "truncate",
];

/// Words that say how to recover.
const RECOVERY: &[&str] = &[
    "if this fails",
    "if it fails",
    "if that fails",
    "on failure",
    "roll back",
    "rollback",
    "revert",
    "undo",
    "restore",
    "back up",
    "backup",
    "retry",
    "idempotent",
    "safe to run again",
    "safe to re-run",
    "safe to rerun",
    "more than once",
    "recover",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.plan.kind != PlanKind::ExecPlan {
        return;
    }
    let has_section = cx.plan.sections.iter().any(|s| {
        let n = crate::text::normalize_name(&s.title.value);
        n.contains("recovery") || n.contains("idempotence")
    });
    if has_section {
        return;
    }
    for step in &cx.plan.steps {
        let text = step.span.text(cx.src).to_ascii_lowercase();
        let Some(risk) = RISKY.iter().find(|r| text.contains(*r)) else {
            continue;
        };
        if RECOVERY.iter().any(|r| text.contains(r)) {
            continue;
        }
        out.report(
            step.heading,
            format!(
                "step {} is risky (`{}`) and says nothing about recovering from it",
                step.id,
                risk.trim()
            ),
        )
        .help("say what to do if it fails halfway (retry, roll back, restore), or add `## Idempotence and Recovery`");
    }
}
