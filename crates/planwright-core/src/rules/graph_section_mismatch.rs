//! A plan's hand-drawn `## Dependency graph` disagrees with its declared dependencies.
//!
//! ## What it does
//! Reads the optional `## Dependency graph` section — arrows written as text
//! (`Step 1 --> Step 2 --> Step 3`, `1 → 2`) or a Mermaid flowchart whose nodes are named or
//! labelled by step number (`S1["1. Data model"] --> S2`) — and compares it with the steps'
//! `Depends on` fields. It reports an arrow between two steps when the later step does not
//! depend on the earlier one, even indirectly, and a declared dependency between two drawn
//! steps that no path of arrows shows. A sub-step counts as depending on what its step
//! depends on, as `planwright graph` draws it. Nodes that name no step are left out; an arrow
//! drawn twice (a Mermaid block and prose) is reported once.
//!
//! ## Why is this bad?
//! Seed 003 keeps the section optional, but when present reviewers read it instead of the
//! fields: a picture that disagrees with the plan hides a wrong order or a missing dependency.
//! `planwright graph --format mermaid` draws a section that agrees.
//!
//! ## Example
//! ```markdown
//! ### 3. Update CLI entry point
//! **Depends on:** Step 2
//!
//! ## Dependency graph
//! Step 1 --> Step 3
//! ```
//!
//! ## Use instead
//! ```markdown
//! ## Dependency graph
//! Step 1 --> Step 2 --> Step 3
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "graph-section-mismatch";

use super::{Context, Sink};
use crate::model::SectionKind;
use crate::span::Span;
use std::collections::HashMap;

/// A drawn edge: from `a` to `b` (b after a), where it was drawn.
struct Drawn {
    a: usize,
    b: usize,
    span: Span,
}

const ARROWS: &[&str] = &["-.->", "==>", "-->", "->", "→", "⟶"];

/// The step id a node names: by its label (`"1. Data model"`, `Step 2: …`) or its id
/// (`Step 1`, `1`, `S1`, `s2_1`, `T3`).
fn step_of(token: &str, labels: &HashMap<String, String>) -> Option<String> {
    let t = token
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`' || c == '*');
    if t.is_empty() {
        return None;
    }
    let (id, label) = match t.find(['[', '(', '{', '>']) {
        Some(i) => (
            t[..i].trim(),
            Some(
                t[i + 1..]
                    .trim_end_matches([']', ')', '}'])
                    .trim_matches(['"', '[', '(', '{', '/', '\\']),
            ),
        ),
        None => (t, None),
    };
    if let Some(l) = label.and_then(number_at_start) {
        return Some(l);
    }
    if let Some(l) = labels.get(id).and_then(|l| number_at_start(l)) {
        return Some(l);
    }
    if let Some(n) = number_at_start(id) {
        return Some(n);
    }
    // `S1`, `s2_1`, `T3`, `step2`: a short letter prefix, then the number.
    let letters = id.bytes().take_while(u8::is_ascii_alphabetic).count();
    if (1..=5).contains(&letters) {
        let rest = id[letters..]
            .trim_start_matches(['_', '-'])
            .replace(['_', '-'], ".");
        if crate::parse::is_step_id(&rest) {
            return Some(rest);
        }
    }
    None
}

/// A step number at the start of a label: `1. Data model`, `Step 2: Parser`, `2.1 Stream`.
fn number_at_start(label: &str) -> Option<String> {
    let mut l = label.trim().trim_start_matches(['"', '\'']).trim();
    for word in ["step ", "task "] {
        if l.len() > word.len()
            && l.is_char_boundary(word.len())
            && l[..word.len()].eq_ignore_ascii_case(word)
        {
            l = l[word.len()..].trim_start();
        }
    }
    let end = l
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(l.len());
    let cand = l[..end].trim_end_matches('.');
    if cand.bytes().next().is_some_and(|b| b.is_ascii_digit()) && crate::parse::is_step_id(cand) {
        Some(cand.to_owned())
    } else {
        None
    }
}

/// Every step reachable from `from` along `edges` (`edges[x]` = steps drawn after x).
fn reaches(edges: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; edges.len()];
    let mut stack = vec![from];
    while let Some(x) = stack.pop() {
        if x == to {
            return true;
        }
        if std::mem::replace(&mut seen[x], true) {
            continue;
        }
        stack.extend(edges[x].iter().copied());
    }
    false
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    let Some(section) = plan.section(SectionKind::DependencyGraph) else {
        return;
    };
    if plan.steps.is_empty() {
        return;
    }
    let src = cx.src;
    let body = Span::new(section.heading.end, section.span.end);
    let text = body.text(src);
    let index = |id: &str| plan.steps.iter().position(|s| s.id == id);

    // Mermaid node declarations give labels to short ids.
    let mut labels: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(open) = t.find(['[', '(', '{'])
            && !ARROWS.iter().any(|a| t.contains(a))
        {
            let id = t[..open].trim();
            if !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                labels.insert(
                    id.to_owned(),
                    t[open + 1..].trim_end_matches([']', ')', '}']).to_owned(),
                );
            }
        }
    }

    let mut drawn: Vec<Drawn> = Vec::new();
    let mut pos = body.start;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let l = line.trim_end();
        if !ARROWS.iter().any(|a| l.contains(a)) {
            continue;
        }
        // Split on every arrow, dropping Mermaid edge labels (`-->|text|`).
        let mut parts: Vec<&str> = vec![l];
        for arrow in ARROWS {
            parts = parts.iter().flat_map(|p| p.split(arrow)).collect();
        }
        let groups: Vec<Vec<usize>> = parts
            .iter()
            .map(|p| {
                let p = p.trim();
                let p = match p.strip_prefix('|') {
                    Some(r) => r.split_once('|').map_or(r, |x| x.1),
                    None => p,
                };
                p.split('&')
                    .filter_map(|n| step_of(n, &labels))
                    .filter_map(|id| index(&id))
                    .collect()
            })
            .collect();
        let span = Span::new(
            start + (line.len() - line.trim_start().len()),
            start + l.len(),
        );
        for pair in groups.windows(2) {
            for &a in &pair[0] {
                for &b in &pair[1] {
                    if a != b {
                        drawn.push(Drawn { a, b, span });
                    }
                }
            }
        }
    }
    if drawn.is_empty() {
        return;
    }
    let n = plan.steps.len();
    // As `planwright graph` draws it: a sub-step waits for what its step waits for.
    let deps = &crate::graph::effective_dependencies(plan);
    // after[x] = steps that declare a dependency on x.
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            after[d].push(i);
        }
    }
    let mut drawn_after: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut in_drawing = vec![false; n];
    for d in &drawn {
        drawn_after[d.a].push(d.b);
        in_drawing[d.a] = true;
        in_drawing[d.b] = true;
    }
    let id = |i: usize| plan.steps[i].id.as_ref();
    // An arrow drawn twice (in a Mermaid block and again in prose) is one mismatch: reported
    // once, at its first drawing.
    let mut reported = std::collections::HashSet::new();
    for d in &drawn {
        if !reaches(&after, d.a, d.b) && reported.insert((d.a, d.b)) {
            out.report(d.span, format!(
                "the dependency graph draws step {} before step {}, but step {} does not depend on step {}",
                id(d.a),
                id(d.b),
                id(d.b),
                id(d.a)
            ))
            .help(format!(
                "add Step {} to the Depends on of step {}, or fix the drawing (`planwright graph --format mermaid` draws one that agrees)",
                id(d.a),
                id(d.b)
            ));
        }
    }
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            if in_drawing[i] && in_drawing[d] && !reaches(&drawn_after, d, i) {
                out.report(section.heading, format!(
                    "step {} depends on step {}, but the dependency graph does not show it",
                    id(i),
                    id(d)
                ))
                .help(format!(
                    "draw Step {} --> Step {}, or regenerate the section with `planwright graph --format mermaid`",
                    id(d),
                    id(i)
                ));
            }
        }
    }
}
