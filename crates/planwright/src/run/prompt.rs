//! The execution prompt (seed 004): built for each attempt from what is on disk at that moment,
//! so an agent never works from stale file contents. The whole plan is there for context; the
//! current step, and only it, is the task.

use std::fmt::Write as _;
use std::path::Path;

use planwright_core::model::Plan;

use super::journal::Outcome;

/// How much of one file the prompt quotes, and of all files together.
const FILE_BUDGET: usize = 16 * 1024;
const TOTAL_BUDGET: usize = 64 * 1024;

/// The failure an attempt is retrying.
pub struct Failure {
    pub attempt: u32,
    pub attempts: u32,
    pub command: String,
    /// `exited with 1`, `timed out after 30 s`.
    pub how: String,
    pub tail: String,
}

impl Failure {
    /// The failure of `command` (one of `attempts`) as `out` tells it.
    pub fn of(
        attempt: u32,
        attempts: u32,
        command: &str,
        out: super::proc::Outcome,
        timeout: std::time::Duration,
    ) -> Failure {
        Failure {
            attempt,
            attempts,
            command: command.to_owned(),
            how: out.describe(Some(timeout)),
            tail: out.tail,
        }
    }
}

/// What the prompt is built from.
pub struct Input<'a> {
    pub root: &'a Path,
    pub rel: &'a str,
    pub src: &'a str,
    pub plan: &'a Plan,
    pub step: usize,
    pub deps: &'a [usize],
    /// How every step of the plan stands so far (`None`: not run yet).
    pub outcomes: &'a [Option<(Outcome, String)>],
    pub failure: Option<&'a Failure>,
}

/// The prompt, Markdown.
pub fn build(i: &Input<'_>) -> String {
    let s = &i.plan.steps[i.step];
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# Implement step {} of an approved plan\n\nYou are implementing step {} (\"{}\") of the plan `{}`, which is quoted in full at the end for context. Implement this step only: do not start other steps, and do not change files this step does not need. When you stop, the runner checks the step by running its Verify commands; it is done only if they pass.\n",
        s.id, s.id, s.title.value, i.rel
    );
    let _ = writeln!(p, "## The step\n\n{}\n", s.span.text(i.src).trim_end());
    let criteria = crate::work::entries(i.src, s, "acceptance criteria");
    if !criteria.is_empty() {
        p.push_str("## Acceptance criteria\n\n");
        for c in &criteria {
            let _ = writeln!(p, "- {c}");
        }
        p.push('\n');
    }
    if s.verify.is_empty() {
        p.push_str("## Verification\n\nThis step has no Verify commands: say plainly what you did, for a person to check.\n\n");
    } else {
        p.push_str("## Verification the runner will run\n\n");
        for c in &s.verify {
            let _ = writeln!(p, "- `{}`", c.text);
        }
        p.push('\n');
    }
    let mut budget = TOTAL_BUDGET;
    if !i.deps.is_empty() {
        p.push_str("## What the steps it depends on produced\n\nAs the files are now, read just before this prompt was written.\n\n");
        for &d in i.deps {
            let ds = &i.plan.steps[d];
            let state = i.outcomes[d]
                .as_ref()
                .map_or("not run in this run", |(o, _)| o.as_str());
            let _ = writeln!(p, "### Step {}. {} ({state})\n", ds.id, ds.title.value);
            let produced = crate::work::entries(i.src, ds, "produces");
            if produced.is_empty() {
                p.push_str("It lists nothing under Produces.\n\n");
            }
            for entry in &produced {
                let _ = writeln!(p, "- {entry}");
                if let Some(path) = super::path_of(entry) {
                    quote(&mut p, i.root, &path, &mut budget);
                }
            }
            p.push('\n');
        }
    }
    let own: Vec<String> = ["produces", "files"]
        .iter()
        .flat_map(|f| crate::work::entries(i.src, s, f))
        .collect();
    let existing: Vec<String> = own
        .iter()
        .filter_map(|e| super::path_of(e))
        .filter(|path| super::inside(i.root, path).is_some_and(|f| f.is_file()))
        .collect();
    if !existing.is_empty() {
        p.push_str("## Files this step produces, as they are now\n\n");
        for path in &existing {
            let _ = writeln!(p, "- `{path}`");
            quote(&mut p, i.root, path, &mut budget);
        }
        p.push('\n');
    }
    let earlier: Vec<String> = i
        .outcomes
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != i.step)
        .filter_map(|(k, o)| {
            let (o, why) = o.as_ref()?;
            let st = &i.plan.steps[k];
            Some(if why.is_empty() {
                format!("- Step {}. {}: {}", st.id, st.title.value, o.as_str())
            } else {
                format!(
                    "- Step {}. {}: {} ({why})",
                    st.id,
                    st.title.value,
                    o.as_str()
                )
            })
        })
        .collect();
    if !earlier.is_empty() {
        p.push_str("## How earlier steps ended\n\n");
        for e in &earlier {
            let _ = writeln!(p, "{e}");
        }
        p.push('\n');
    }
    if let Some(f) = i.failure {
        let _ = writeln!(
            p,
            "## The previous attempt failed\n\nAttempt {} of {}: `{}` {}. Its output ended with:\n\n```text\n{}\n```\n\nFind the cause and fix it; the runner runs the checks again when you stop.\n",
            f.attempt, f.attempts, f.command, f.how, f.tail
        );
    }
    let _ = writeln!(
        p,
        "## The full plan (context only: implement step {} and nothing else)\n\n````markdown\n{}\n````",
        s.id,
        i.src.trim_end()
    );
    p
}

/// Quotes a file under the root, bounded, as a fenced block (or says why not).
fn quote(p: &mut String, root: &Path, path: &str, budget: &mut usize) {
    let Some(file) = super::inside(root, path) else {
        p.push_str("  (outside the repository: not read)\n");
        return;
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let room = FILE_BUDGET.min(*budget);
            let mut cut = text.len().min(room);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            *budget -= cut;
            let fence = if text.contains("```") { "````" } else { "```" };
            let _ = writeln!(p, "\n  {fence}\n{}\n  {fence}", &text[..cut].trim_end());
            if cut < text.len() {
                let _ = writeln!(p, "  (… {} more bytes not quoted)", text.len() - cut);
            }
        }
        Err(_) if file.is_dir() => p.push_str("  (a folder)\n"),
        Err(_) => p.push_str("  (not on disk yet)\n"),
    }
}
