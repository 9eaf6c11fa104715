//! A step modifies a file that exists nowhere: not in the repository, not made by an earlier step.
//!
//! ## What it does
//! Reads each step's `**Modifies:**` (or `**Files to modify:**`) entries and reports a path
//! that is neither in the repository nor in the Produces of a step before it (earlier in the
//! plan, or one it depends on). Paths with wildcards are not checked.
//!
//! ## Why is this bad?
//! The seeds' integration pass: a plan's outputs must fit the system that exists. A step that
//! modifies `src/servises/mailer.ts` — a typo, a file renamed since, a module the plan assumed —
//! fails the moment an agent starts it, or worse, the agent creates the file and the plan's
//! picture of the code is wrong from then on.
//!
//! ## Example
//! ```markdown
//! ### 4. Send the alert email
//! **Modifies:**
//! - `src/services/mailer.ts`
//! ```
//! (and the repository has `src/mail/mailer.ts`).
//!
//! ## Use instead
//! Name the file as it is (`src/mail/mailer.ts`), or move it under **Produces:** when the step
//! creates it.

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "unknown-path";

use super::{Context, Sink};

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let steps = &cx.plan.steps;
    let mut modified: Vec<(usize, &str, crate::span::Span)> = Vec::new();
    for (k, s) in steps.iter().enumerate() {
        for field in ["modifies", "files to modify"] {
            modified.extend(s.paths(cx.src, field).into_iter().map(|(p, sp)| (k, p, sp)));
        }
    }
    if modified.is_empty() {
        return;
    }
    let deps = cx.deps();
    for (k, path, span) in modified {
        if path.contains(['*', '?', '[']) || path.split('/').any(|c| c == "..") {
            continue;
        }
        if cx.env.exists(path) != Some(false) {
            continue;
        }
        let made_before = steps.iter().enumerate().any(|(j, s)| {
            (j < k || deps[k].contains(&j))
                && s.paths(cx.src, "produces").iter().any(|(p, _)| *p == path)
        });
        if made_before {
            continue;
        }
        out.report(
            span,
            format!(
                "step {} modifies `{path}`, which is not in the repository and no earlier step produces",
                steps[k].id
            ),
        )
        .help("name the file as it is in the repository, or list it under **Produces:** of the step that creates it");
    }
}
