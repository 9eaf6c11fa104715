//! A feature's `## Plans` table does not list the plans that touch it.
//!
//! ## What it does
//! For every feature a plan names under Features, regenerates the `## Plans` table of the
//! feature's README (Plan | Status | Author | Approved) and reports the README when it
//! differs. Checked when the whole repository is.
//!
//! ## Why is this bad?
//! Readers of a feature spec need to find the plans that implement it (seed 003); a missing
//! or outdated row hides work in progress, or shows a superseded approach as current.
//!
//! ## Example
//! `spec/features/cli/README.md` without a row for a new plan whose Features lists `cli`.
//!
//! ## Use instead
//! Run `planwright index`: it rewrites only the table, and every other byte of the README
//! stays as it was.

use super::RepoFinding;
use crate::views::{View, ViewKind};

pub const NAME: &str = "stale-backreference";

/// The finding about the feature table or proposal field `v`, which is out of date.
pub fn finding(v: &View) -> RepoFinding {
    let what = if v.kind == ViewKind::ProposalField {
        format!("the Plan field of proposal {} is out of date", v.rel)
    } else {
        format!("the Plans table of {} is out of date", v.rel)
    };
    super::view_finding(NAME, v, what)
}
