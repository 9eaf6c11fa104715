//! An approved plan's frozen content changed after approval.
//!
//! ## What it does
//! Recomputes the digest of a plan that records one (`**Digest:** sha256:…`, written by
//! `planwright approve`) and reports a mismatch. The digest covers everything but the Status
//! value, the Superseded by and Supersedes fields, the Digest itself and the four living sections (Progress,
//! Surprises & Discoveries, Decision Log, Outcomes & Retrospective), so logging progress never
//! trips it. `enforce_freeze` in `planwright.toml` makes it an error (`"reject"`, the
//! default), a warning (`"warn"`) or silent (`"off"`).
//!
//! ## Why is this bad?
//! Approval is a review of this exact content (seed 003): a plan edited afterwards is a plan
//! nobody approved, and the retrospective compares work against a moving target.
//!
//! ## Example
//! ```markdown
//! **Status:** approved
//! **Digest:** sha256:9f2c…
//! ...
//! ### 2. Implement the parser (now also the cache)
//! ```
//!
//! ## Use instead
//! Revert the change, or write a new plan and run
//! `planwright supersede old-plan --by new-plan`.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "frozen-plan-modified";

use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(f) = cx.plan.field("digest") else {
        return;
    };
    let recorded = f.inline.text(cx.src).trim();
    if recorded.is_empty() {
        return;
    }
    let actual = crate::digest::digest(cx.src, cx.plan);
    if recorded != actual {
        out.report(f.inline, "the frozen content of this plan changed after approval")
            .help("revert the change, or supersede the plan: `planwright new NEW` then `planwright supersede OLD --by NEW`; living sections (Progress, Decision Log, …) stay editable");
    }
}
