//! A plan's folder (or file) name is not a valid slug.
//!
//! ## What it does
//! Checks that every path segment naming a plan under `spec/plans/` — the folder of
//! `spec/plans/{slug}/README.md`, or the file name of `spec/plans/{slug}.md` — is a slug:
//! lower-case letters and digits in words joined by single dashes.
//!
//! ## Why is this bad?
//! The slug is the plan's name everywhere: on the command line, in links, in work item ids
//! (`add-batch-mode#2.1`). Spaces, capitals and underscores break links on some hosts and make
//! names ambiguous.
//!
//! ## Example
//! ```text
//! spec/plans/Add_Batch Mode/README.md
//! ```
//!
//! ## Use instead
//! ```text
//! spec/plans/add-batch-mode/README.md
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "invalid-slug";

use super::{Context, Sink, plan_anchor};
use crate::text::{is_valid_slug, slugify};

/// The slug segments of a plan path under `spec/plans/`.
pub(crate) fn slug_segments(path: &str) -> Option<Vec<&str>> {
    let rest = if let Some(r) = path.strip_prefix("spec/plans/") {
        r
    } else {
        path.split_once("/spec/plans/")?.1
    };
    let mut segs: Vec<&str> = rest.split('/').collect();
    let last = segs.pop()?;
    if last != "README.md" {
        segs.push(last.strip_suffix(".md").unwrap_or(last));
    }
    Some(segs)
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.plan.kind.is_plan() {
        return;
    }
    let Some(path) = cx.path else { return };
    let Some(segs) = slug_segments(path) else {
        return;
    };
    for seg in segs {
        if !is_valid_slug(seg) {
            out.report(plan_anchor(cx), format!("`{seg}` is not a valid plan slug"))
                .help(format!(
                    "rename it to `{}`: lower-case letters and digits joined by single dashes",
                    slugify(seg)
                ));
        }
    }
}
