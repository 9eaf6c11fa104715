//! A Kiro task cites a requirement that `requirements.md` does not define.
//!
//! ## What it does
//! Resolves every reference of a Kiro task's `_Requirements: 1.1, 4.2_` line against the
//! `requirements.md` beside the task list: `4` must be a `### Requirement 4` heading, and
//! `4.2` its second numbered acceptance criterion. Stays silent when there is no
//! `requirements.md` to resolve against.
//!
//! ## Why is this bad?
//! The references are the trace from work to requirement: a dangling one means a task claims
//! to satisfy a criterion that does not exist (renumbered or deleted), and the requirement it
//! really serves goes untraced.
//!
//! ## Example
//! ```markdown
//! - [ ] 2.1 Create wallet connection service
//!   - _Requirements: 1.1, 1.9_
//! ```
//! where Requirement 1 has five acceptance criteria.
//!
//! ## Use instead
//! ```markdown
//! - [ ] 2.1 Create wallet connection service
//!   - _Requirements: 1.1, 1.5_
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "unresolved-requirement";

use super::{Context, Sink};
use crate::model::PlanKind;
use crate::span::Span;
use std::collections::HashMap;

/// Requirement number → number of acceptance criteria, from a Kiro `requirements.md`.
fn requirements(text: &str) -> HashMap<u32, usize> {
    let mut out = HashMap::new();
    let mut current: Option<(u32, usize)> = None; // (number, heading level)
    let mut in_fence = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if t.starts_with('#') {
            let level = t.bytes().take_while(|&b| b == b'#').count();
            let title = t[level..].trim();
            let number = title
                .strip_prefix("Requirement")
                .map(str::trim_start)
                .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<u32>().ok());
            match number {
                Some(n) => {
                    out.entry(n).or_insert(0);
                    current = Some((n, level));
                }
                None => {
                    if current.is_some_and(|(_, l)| level <= l) {
                        current = None;
                    }
                }
            }
            continue;
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && t[digits..].starts_with(". ")
            && let Some((n, _)) = current
        {
            *out.entry(n).or_insert(0) += 1;
        }
    }
    out
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.plan.kind != PlanKind::Kiro {
        return;
    }
    let Some(path) = cx.path else { return };
    let dir = path.rsplit_once('/').map_or("", |p| p.0);
    let sibling = if dir.is_empty() {
        "requirements.md".to_owned()
    } else {
        format!("{dir}/requirements.md")
    };
    let Some(text) = cx.env.read_to_string(&sibling) else {
        return;
    };
    let reqs = requirements(&text);
    if reqs.is_empty() {
        return;
    }
    for step in &cx.plan.steps {
        for f in step.fields.iter().filter(|f| f.name == "requirements") {
            let value = f.value.text(cx.src);
            let mut pos = f.value.start;
            for raw in value.split_inclusive([',', ';', ' ']) {
                let start = pos;
                pos += raw.len();
                let token = raw
                    .trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace() || c == '_');
                if token.is_empty() || !token.as_bytes()[0].is_ascii_digit() {
                    continue; // "Requirement", "Requirements", prose
                }
                let span = Span::new(start, start + token.len());
                let mut parts = token.split('.');
                let Some(Ok(n)) = parts.next().map(str::parse::<u32>) else {
                    continue;
                };
                let criterion: Option<usize> = parts.next().and_then(|c| {
                    c.trim_end_matches(|ch: char| ch.is_ascii_alphabetic())
                        .parse()
                        .ok()
                });
                match (reqs.get(&n), criterion) {
                    (None, _) => {
                        out.report(span, format!("requirement {n} is not in {sibling}"))
                            .help(format!("{sibling} defines requirements {}", list(&reqs)));
                    }
                    (Some(&count), Some(c)) if c == 0 || c > count => {
                        out.report(
                            span,
                            format!("requirement {n} has no acceptance criterion {c}"),
                        )
                        .help(format!(
                            "requirement {n} has {count} numbered acceptance criteria in {sibling}"
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
}

fn list(reqs: &HashMap<u32, usize>) -> String {
    let mut ns: Vec<u32> = reqs.keys().copied().collect();
    ns.sort_unstable();
    match (ns.first(), ns.last()) {
        (Some(a), Some(b)) if ns.len() > 1 => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => "none".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_requirements_and_their_criteria() {
        let text = "# Requirements\n## Requirements\n### Requirement 1\n#### Acceptance Criteria\n1. WHEN a\n2. IF b\n### Requirement 2: Titled\n1. x\n## Non-Functional Requirements\n1. fast\n";
        let r = super::requirements(text);
        assert_eq!(r.get(&1), Some(&2));
        assert_eq!(r.get(&2), Some(&1));
        assert_eq!(r.len(), 2);
    }
}
