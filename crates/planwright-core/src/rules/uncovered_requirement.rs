//! A requirement of the spec the plan comes from is covered by no step.
//!
//! ## What it does
//! Reads the spec the plan's Source links to and takes its requirements: every list item or
//! heading that starts with an id (`AC-1`, `FR-001`, `NFR-2`, `R1`, `US-3`), or, when it has
//! none, each item of its Acceptance criteria or Requirements section (numbered 1, 2, …). A
//! step covers a requirement by `**Covers:** AC-2` (or `**Covers:** 2` for an unnumbered
//! criterion), by a link to the spec's `#ac-2` anchor, or by naming the id in its text. Each
//! requirement no step covers is reported with the spec's line. `planwright show PLAN` prints
//! the whole coverage matrix.
//!
//! ## Why is this bad?
//! The seeds' completeness pass: a plan that skips a requirement ships a feature that does not
//! do what its spec promised, and nobody notices until review — or after. Naming what each
//! step covers also tells a reviewer why each step is there.
//!
//! ## Example
//! The spec lists `AC-1` … `AC-4`; no step says `Covers: AC-3` or mentions it.
//!
//! ## Use instead
//! ```markdown
//! ### 4. Retry failed deliveries with backoff
//! **Covers:** AC-3
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "uncovered-requirement";

use super::{Context, Sink};
use crate::model::{Plan, PlanKind};

/// One requirement of a spec, and the steps that cover it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// `AC-2`, or `2` for the second unnumbered criterion.
    pub id: String,
    pub text: String,
    /// 1-based line in the spec.
    pub line: usize,
    /// The ids of the steps that cover it.
    pub covered_by: Vec<String>,
}

/// A plan's coverage of its spec's requirements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// The spec's path from the repository root.
    pub spec: String,
    pub requirements: Vec<Requirement>,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some((cov, field)) = coverage_in(cx) else {
        return;
    };
    for r in cov.requirements.iter().filter(|r| r.covered_by.is_empty()) {
        let label = if r.id.bytes().all(|b| b.is_ascii_digit()) {
            format!("criterion {}", r.id)
        } else {
            r.id.clone()
        };
        out.report(
            field.span,
            format!(
                "{label} of {} (line {}) is covered by no step: \"{}\"",
                cov.spec,
                r.line,
                short(&r.text)
            ),
        )
        .help(format!(
            "add `**Covers:** {}` to the step that delivers it, or a step for it",
            r.id
        ));
    }
}

/// The coverage of the plan at `path` (root-relative) of the spec its Source links to, with
/// `env` answering for the repository; `None` when it has no such spec, or the spec lists no
/// requirements.
pub fn coverage(src: &str, plan: &Plan, path: &str, env: &dyn crate::env::Env) -> Option<Coverage> {
    let cx = Context::new(src, plan, Some(path), env);
    coverage_in(&cx).map(|(c, _)| c)
}

/// The repository path of the spec the plan at `path` comes from (its Source link).
pub fn source_spec_path(
    src: &str,
    plan: &Plan,
    path: &str,
    env: &dyn crate::env::Env,
) -> Option<String> {
    let cx = Context::new(src, plan, Some(path), env);
    super::links::source_spec(&cx).map(|(p, _)| p)
}

fn coverage_in<'a>(cx: &'a Context<'_>) -> Option<(Coverage, &'a crate::model::Field)> {
    if cx.plan.kind != PlanKind::Development || cx.plan.steps.is_empty() {
        return None;
    }
    let (spec, field) = super::links::source_spec(cx)?;
    let text = cx.env.read_to_string(&spec)?;
    let mut requirements = requirements_memo(&spec, text);
    if requirements.is_empty() {
        return None;
    }
    for s in &cx.plan.steps {
        let body = s.span.text(cx.src);
        let covers: Vec<String> = s.field("covers").map_or_else(Vec::new, |f| {
            f.value
                .text(cx.src)
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(|t| t.trim_matches(|c: char| "`*[]().;:".contains(c)).to_owned())
                .filter(|t| !t.is_empty())
                .collect()
        });
        let anchors: Vec<String> = cx
            .plan
            .links
            .iter()
            .filter(|l| s.span.start <= l.span.start && l.span.end <= s.span.end)
            .filter_map(|l| {
                l.target
                    .rsplit_once('#')
                    .map(|(_, a)| a.to_ascii_lowercase())
            })
            .collect();
        for r in &mut requirements {
            let numbered = r.id.bytes().all(|b| b.is_ascii_digit());
            let hit = covers.iter().any(|c| c.eq_ignore_ascii_case(&r.id))
                || anchors.iter().any(|a| *a == r.id.to_ascii_lowercase())
                || !numbered && has_word(body, &r.id);
            if hit {
                r.covered_by.push(s.id.to_string());
            }
        }
    }
    Some((Coverage { spec, requirements }, field))
}

/// [`requirements`], remembered per thread for the last spec read: the plans of a feature
/// share its spec, and reading its requirements again for each plan was a tenth of a check.
fn requirements_memo(spec: &str, text: String) -> Vec<Requirement> {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Option<(String, String, Vec<Requirement>)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((p, t, r)) = last.as_ref()
            && p == spec
            && *t == text
        {
            return r.clone();
        }
        let r = requirements(&text);
        *last = Some((spec.to_owned(), text, r.clone()));
        r
    })
}

/// Is `word` in `text` on its own (not inside a longer id: `AC-1` is not in `AC-10`)?
fn has_word(text: &str, word: &str) -> bool {
    let b = text.as_bytes();
    let is_id = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    text.match_indices(word).any(|(i, _)| {
        let end = i + word.len();
        let before = i == 0 || !is_id(b[i - 1]);
        // `AC-1.` ends a sentence; `AC-1.2` is another id.
        let after = match b.get(end) {
            None => true,
            Some(b'.') => b.get(end + 1).is_none_or(|d| !d.is_ascii_digit()),
            Some(&c) => !is_id(c),
        };
        before && after
    })
}

/// The id a requirement line starts with: 1 to 4 capitals, an optional dash, digits and
/// optional `.digits` (`AC-1`, `FR-001`, `R1`, `NFR-2.1`).
fn leading_id(line: &str) -> Option<&str> {
    let t = line.trim_start_matches(['*', '_', '`', '[']);
    let b = t.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=4).contains(&letters) {
        return None;
    }
    let mut i = letters;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    i += digits;
    while b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        i += b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    // The id ends the word: `AC-1:`, `AC-1 —`, `**AC-1**`.
    if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(&t[..i])
}

/// A spec's requirements: its id'd list items and headings, else the items of its Acceptance
/// criteria or Requirements section.
fn requirements(spec: &str) -> Vec<Requirement> {
    let mut with_ids: Vec<Requirement> = Vec::new();
    let mut plain: Vec<Requirement> = Vec::new();
    let mut in_section = false;
    let mut fence = false;
    for (n, line) in spec.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if let Some(h) = trimmed.strip_prefix('#') {
            let title = h.trim_start_matches('#').trim();
            let name = crate::text::normalize_name(title);
            in_section = name.starts_with("acceptance criteria")
                || name == "requirements"
                || name.ends_with(" requirements");
            if let Some(id) = leading_id(title) {
                push(&mut with_ids, id, title, n);
            }
            continue;
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| {
                let d = trimmed.bytes().take_while(u8::is_ascii_digit).count();
                (d > 0).then(|| trimmed[d..].strip_prefix(". ")).flatten()
            });
        let Some(item) = item else { continue };
        let item = item.trim_start_matches("[ ] ").trim_start_matches("[x] ");
        if let Some(id) = leading_id(item) {
            push(&mut with_ids, id, item, n);
        } else if in_section && line.len() - trimmed.len() < 2 {
            let id = (plain.len() + 1).to_string();
            push(&mut plain, &id, item, n);
        }
    }
    if with_ids.is_empty() { plain } else { with_ids }
}

fn push(list: &mut Vec<Requirement>, id: &str, text: &str, n: usize) {
    if list.iter().any(|r| r.id == id) {
        return;
    }
    // The text without its id: `AC-1: events are signed` → `events are signed`.
    let t = text.trim().trim_start_matches(['*', '_', '`', '[']);
    let t = t.strip_prefix(id).unwrap_or(t);
    let t = t.trim_start_matches(['*', '_', '`', ']', ':', '—', '–', '-', '.', ' ']);
    list.push(Requirement {
        id: id.to_owned(),
        text: t.to_owned(),
        line: n + 1,
        covered_by: Vec::new(),
    });
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(80).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_plain_criteria() {
        let spec = "# Feature\n\n## Acceptance criteria\n\n- AC-1: events are signed\n- **AC-2** retries back off\n- plain\n\n```\n- AC-9 in code\n```\n";
        let r = requirements(spec);
        assert_eq!(
            r.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["AC-1", "AC-2"]
        );
        assert_eq!(r[0].line, 5);
        let plain = requirements("## Requirements\n\n- one\n- two\n  - nested\n");
        assert_eq!(
            plain.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["1", "2"]
        );
        assert!(requirements("# Notes\n\n- nothing here\n").is_empty());
        assert!(has_word("covers AC-1.", "AC-1"));
        assert!(!has_word("covers AC-10", "AC-1"));
        assert!(!has_word("covers AC-1.2", "AC-1"));
        assert_eq!(leading_id("FR-001 — x"), Some("FR-001"));
        assert_eq!(leading_id("README"), None);
        assert_eq!(leading_id("API keys"), None);
    }
}
