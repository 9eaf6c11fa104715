//! A plan lacks a header field its format requires, or leaves it empty.
//!
//! ## What it does
//! Checks that a development plan or roadmap (seed 003) declares Status, Features, Source
//! type, Source, Author and Created; that a SpecScore flat plan declares a status (header
//! field or front matter); and that a lightweight `# PLAN:` says where it comes From.
//!
//! ## Why is this bad?
//! These fields are what reviewers, the plans index and every later tool read: without a
//! Status the lifecycle is unknown, without Features no feature links back to the plan,
//! without a Source nobody can tell what the plan implements.
//!
//! ## Example
//! ```markdown
//! # Plan: Add batch mode
//!
//! **Status:** draft
//! **Author:** @alex
//! ```
//!
//! ## Use instead
//! ```markdown
//! # Plan: Add batch mode
//!
//! **Status:** draft
//! **Features:**
//! - [cli](../../features/cli/README.md)
//! **Source type:** feature
//! **Source:** [CLI feature spec](../../features/cli/)
//! **Author:** @alex
//! **Created:** 2026-03-14
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "missing-field";

use super::{Context, Sink, plan_anchor};
use crate::model::PlanKind;

const DEVELOPMENT: &[(&str, &str)] = &[
    ("status", "**Status:** draft"),
    (
        "features",
        "**Features:**\n- [feature](../../features/feature/README.md)",
    ),
    ("source type", "**Source type:** feature"),
    (
        "source",
        "**Source:** [feature spec](../../features/feature/)",
    ),
    ("author", "**Author:** @name"),
    ("created", "**Created:** YYYY-MM-DD"),
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    let required: &[(&str, &str)] = match plan.kind {
        PlanKind::Development | PlanKind::Roadmap => DEVELOPMENT,
        PlanKind::SpecScore => &[("status", "**Status:** draft")],
        PlanKind::Lite => &[("from", "From: [the spec or issue](../spec.md)")],
        _ => return,
    };
    for (name, example) in required {
        match plan.field(name) {
            Some(f) if f.value.is_empty() => {
                out.report(f.span, format!("field `{}` has no value", display(name)))
                    .help(format!("write it like this:\n{example}"));
            }
            Some(_) => {}
            None => {
                if *name == "status" && plan.status_text(cx.src).is_some() {
                    continue;
                }
                out.report(
                    plan_anchor(cx),
                    format!("missing field `{}`", display(name)),
                )
                .help(format!("add it under the title:\n{example}"));
            }
        }
    }
}

fn display(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
