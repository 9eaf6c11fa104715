//! `--dry-run`: the checklist of what a run would do, in order.

use std::io::Write;
use std::time::Duration;

use planwright_core::model::Plan;

use super::State;
use super::display::Mode;
use super::journal::{self, Options};
use crate::duration::human_duration;
use crate::error::Error;

/// `--dry-run`: the steps in the order a run would start them, with every command.
#[allow(clippy::too_many_arguments)]
pub(super) fn dry_run(
    rel: &str,
    src: &str,
    plan: &Plan,
    deps: &[Vec<usize>],
    state: &[State],
    order: &[usize],
    options: &Options,
    untrusted: Option<Error>,
    mode: Mode,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    let listed: Vec<usize> = order
        .iter()
        .copied()
        .chain((0..plan.steps.len()).filter(|k| matches!(state[*k], State::Ended(_))))
        .collect();
    if mode == Mode::Json {
        let steps: Vec<serde_json::Value> = listed
            .iter()
            .map(|&k| {
                let s = &plan.steps[k];
                serde_json::json!({
                    "step": s.id,
                    "title": s.title.value,
                    "state": match state[k] {
                        State::Ended(o) => o.as_str(),
                        _ => "will_run",
                    },
                    "depends_on": deps[k].iter().map(|&d| &*plan.steps[d].id).collect::<Vec<_>>(),
                    "agent": options.agent.is_some() && !matches!(state[k], State::Ended(_)),
                    "verify": s.verify.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({
            "version": journal::VERSION,
            "plan": rel,
            "options": options,
            "refused": untrusted.as_ref().map(|e| e.to_string()),
            "steps": steps,
        });
        serde_json::to_writer(&mut *out, &v)
            .map_err(std::io::Error::other)
            .map_err(io)?;
        writeln!(out).map_err(io)?;
        return Ok(crate::EXIT_OK);
    }
    let agent = options
        .agent
        .as_ref()
        .map_or("no agent".to_owned(), |a| format!("agent `{a}`"));
    let timeout = human_duration(Duration::from_millis(options.timeout_ms));
    writeln!(
        out,
        "planwright run {rel} would run {} step{} in this order, up to {} at once, with {agent}.\nEach command runs with `sh -c` from the repository root, with a {timeout} timeout.",
        order.len(),
        if order.len() == 1 { "" } else { "s" },
        options.jobs
    )
    .map_err(io)?;
    if let Some(e) = &untrusted {
        writeln!(
            out,
            "\nBut without --allow-unapproved it would refuse:\n  {}",
            e.to_string().replace('\n', "\n  ")
        )
        .map_err(io)?;
    }
    for &k in &listed {
        let s = &plan.steps[k];
        let (mark, note) = match state[k] {
            State::Ended(o) => ("[x]", format!("  ({})", o.as_str().replace('_', " "))),
            _ if deps[k].is_empty() => ("[ ]", String::new()),
            _ => (
                "[ ]",
                format!(
                    "  (after {})",
                    deps[k]
                        .iter()
                        .map(|&d| &*plan.steps[d].id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        writeln!(out, "\n{mark} {}. {}{note}", s.id, s.title.value).map_err(io)?;
        if matches!(state[k], State::Ended(_)) {
            continue;
        }
        for c in crate::work::entries(src, s, "acceptance criteria") {
            writeln!(out, "      done when: {c}").map_err(io)?;
        }
        if let Some(a) = &options.agent {
            writeln!(out, "      $ {a} < prompt for step {}", s.id).map_err(io)?;
        }
        if s.verify.is_empty() {
            writeln!(
                out,
                "      (no Verify commands: the step would end unverified)"
            )
            .map_err(io)?;
        }
        for c in &s.verify {
            writeln!(out, "      $ {}", c.text).map_err(io)?;
        }
    }
    Ok(crate::EXIT_OK)
}
