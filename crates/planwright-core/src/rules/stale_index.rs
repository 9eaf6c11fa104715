//! The plans index `spec/plans/README.md` does not match the plans.
//!
//! ## What it does
//! Regenerates the index — every plan under `spec/plans/` with its status, features, effort,
//! impact, author and approval date, child plans indented under their roadmap, the Recently
//! Closed plans and the open questions — and reports the file when it differs. Checked when
//! the whole repository is (`planwright check`, `planwright index --check`).
//!
//! ## Why is this bad?
//! The index is where people and agents look first. A hand-maintained index drifts: a plan
//! approved last week still shows as in review, a new plan is missing, a superseded one looks
//! current.
//!
//! ## Example
//! A plan approved with `planwright approve` while the index still says `in_review`.
//!
//! ## Use instead
//! Run `planwright index` (and commit the result); `planwright index --check` in CI keeps it
//! true.

use super::RepoFinding;
use crate::views::View;

pub const NAME: &str = "stale-index";

/// The finding about the plans index `v`, which is out of date.
pub fn finding(v: &View) -> RepoFinding {
    super::view_finding(NAME, v, "the plans index is out of date".to_owned())
}
