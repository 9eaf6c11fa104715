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

use super::{Context, Sink};

pub(crate) fn check(_: &Context<'_>, _: &mut Sink) {
    // A repository-level view: compared by the command-line layer, which sees every plan.
}
