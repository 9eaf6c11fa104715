//! A roadmap's written status disagrees with the status of its child plans.
//!
//! ## What it does
//! Derives a roadmap's status from its children (seed 003): `draft` while any child is a
//! draft, `in_review` when every child is in review or approved, `approved` when every child
//! is approved — and reports the roadmap's Status when it says otherwise. A superseded
//! roadmap is left alone.
//!
//! ## Why is this bad?
//! A roadmap's status is a summary of its children; written by hand it goes stale the moment a
//! child moves, and the index and What's Next then rank the roadmap wrongly.
//!
//! ## Example
//! ```markdown
//! **Status:** approved
//! ...
//! | 2 | [chat-workflow-engine](chat-workflow-engine/) | draft | M | high |
//! ```
//!
//! ## Use instead
//! `**Status:** draft` until every child is approved; `planwright index` writes it.

use super::RepoFinding;
use crate::views::Summary;

pub const NAME: &str = "roadmap-status-mismatch";

/// A finding for every roadmap whose written status differs from the one its children make.
pub fn findings(plans: &[&Summary]) -> Vec<RepoFinding> {
    crate::views::roadmap_mismatches(plans)
        .into_iter()
        .map(|(roadmap, derived)| RepoFinding {
            rule: NAME,
            file: roadmap.rel().to_owned(),
            line: roadmap.status_line,
            start: roadmap.status_span.0,
            end: roadmap.status_span.1,
            message: format!(
                "the roadmap says `{}` but its child plans make it `{}`",
                roadmap.status_text(),
                derived.as_str()
            ),
            help: "run `planwright index`, which writes the derived status".to_owned(),
        })
        .collect()
}
