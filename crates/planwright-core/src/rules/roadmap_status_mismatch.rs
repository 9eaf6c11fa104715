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

use super::{Context, Sink};

pub(crate) fn check(_: &Context<'_>, _: &mut Sink) {
    // Needs the children's files: compared by the command-line layer, which reads them all.
}
