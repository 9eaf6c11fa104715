//! An ExecPlan's steps as its document has them (seed 001): milestone or phase headings
//! (`## Milestone 2: Import`, `### Phase 3`), or else the numbered items of `## Concrete Steps`
//! (else of `## Plan of Work`). Each step's commands are the inline code of its `Command:`
//! lines and the lines of a code block after "Commands to verify"; an "Expected output:" or
//! "Expected result:" after a command is that command's expected output. Prose dependencies
//! ("depends on Milestone 2", "after M1", "blocked by Phase 1") become dependencies when they
//! name one of the plan's own milestones.
//!
//! Steps read this way are marked [`Step::derived`]: they are the document's structure, and
//! the rules that ask for planwright's step fields leave them alone.

use super::blocks::{Blocks, Heading};
use crate::model::{
    Command, Dependencies, InlineVec, Plan, Spanned, Step, StepId, StepRef, step_id,
};
use crate::span::Span;

/// The derived steps of an ExecPlan; empty when the document has none of these shapes.
pub(crate) fn read(src: &str, blocks: &Blocks, plan: &Plan) -> Vec<Step> {
    let mut steps = milestones(src, blocks);
    if steps.is_empty() {
        steps = milestone_paragraphs(src, blocks, plan);
    }
    if steps.is_empty() {
        for name in ["concrete steps", "plan of work"] {
            steps = numbered_items(src, blocks, plan, name);
            if !steps.is_empty() {
                break;
            }
        }
    }
    if steps.is_empty() {
        steps.extend(concrete_steps_section(src, blocks, plan));
    }
    for s in &mut steps {
        (s.verify, s.verify_span) = commands(src, blocks, s.span);
    }
    let ids: Vec<StepId> = steps.iter().map(|s| s.id.clone()).collect();
    for s in &mut steps {
        s.depends_on = prose_dependencies(src, s, &ids);
    }
    steps
}

/// `Milestone 2: Import` → (`2`, offset of the title in the text), for milestones, phases
/// and stages.
fn milestone_heading(text: &str) -> Option<(&str, usize)> {
    let lower = text.to_ascii_lowercase();
    let word = ["milestone", "phase", "stage"]
        .into_iter()
        .find(|w| lower.starts_with(w))?;
    let rest = &text[word.len()..];
    let id_start = word.len() + (rest.len() - rest.trim_start().len());
    let after = &text[id_start..];
    let id_len = after
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let id = after[..id_len].trim_end_matches('.');
    if id.is_empty() || !id.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let tail = &after[id_len..];
    let sep = tail.len()
        - tail
            .trim_start_matches([':', '.', ')', '-', ' ', '—', '–'])
            .len();
    if id_len < after.len() && sep == 0 {
        // `Phase 2b`, `Milestone 10x`: not a numbered milestone.
        return None;
    }
    Some((id, id_start + id_len + sep))
}

fn milestones(src: &str, blocks: &Blocks) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for (i, h) in blocks.headings.iter().enumerate() {
        if !(2..=4).contains(&h.level) {
            continue;
        }
        let text = h.text.text(src);
        let Some((id, title_at)) = milestone_heading(text) else {
            continue;
        };
        if steps.iter().any(|s| s.id == id) {
            continue;
        }
        let end = next_heading(blocks, i, h).map_or(src.len(), |n| n.span.start);
        let title = text[title_at..].trim();
        let (title, title_span) = if title.is_empty() {
            (text, h.text)
        } else {
            let at = h.text.start + title_at;
            (title, Span::new(at, at + title.len()))
        };
        let id_at = h.text.start + text.find(id).unwrap_or(0);
        steps.push(derived_step(
            id,
            Span::new(id_at, id_at + id.len()),
            title,
            title_span,
            h.span,
            Span::new(h.span.start, trim_end(src, end)),
        ));
    }
    steps
}

/// Paragraphs of `## Plan of Work` that open with a milestone: "Milestone 1 creates two pure
/// modules…". Each runs to the next one or the end of the section; its title is its first
/// sentence.
fn milestone_paragraphs(src: &str, blocks: &Blocks, plan: &Plan) -> Vec<Step> {
    let Some(section) = plan
        .sections
        .iter()
        .find(|s| titled(&s.title.value, "plan of work"))
    else {
        return Vec::new();
    };
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for l in blocks
        .lines
        .iter()
        .filter(|l| section.span.start <= l.start && l.end <= section.span.end)
    {
        if l.code || l.heading || l.blank {
            continue;
        }
        let text = Span::new(l.start, l.end).text(src);
        if let Some((id, _)) = milestone_heading(text)
            && !starts.iter().any(|s| s.1 == id)
        {
            starts.push((l.start, id));
        }
    }
    let mut steps = Vec::with_capacity(starts.len());
    for (k, &(start, id)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(section.span.end, |n| n.0);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let line = &src[start..line_end];
        let sentence = line.find(". ").map_or(line.len(), |i| i + 1);
        let title = line[..sentence].trim();
        let id_at = start + line.find(id).unwrap_or(0);
        steps.push(derived_step(
            id,
            Span::new(id_at, id_at + id.len()),
            title,
            Span::new(start, start + title.len()),
            Span::new(start, line_end),
            Span::new(start, trim_end(src, end)),
        ));
    }
    steps
}

/// Is a section's title `name` (normalised), alone or with a translation (`Plan of Work /
/// 작업 계획`)?
fn titled(title: &str, name: &str) -> bool {
    let n = crate::text::normalize_name(title);
    n == name || crate::model::english_words(&n).is_some_and(|w| w == name)
}

/// A `## Concrete Steps` section written as prose with its commands in code blocks ("From the
/// repository root, run:" and an indented block): one step, the section itself.
fn concrete_steps_section(src: &str, blocks: &Blocks, plan: &Plan) -> Option<Step> {
    let section = plan
        .sections
        .iter()
        .find(|s| titled(&s.title.value, "concrete steps"))?;
    if commands(src, blocks, section.span).0.is_empty() {
        return None;
    }
    Some(derived_step(
        "1",
        section.title.span,
        &section.title.value,
        section.title.span,
        section.heading,
        Span::new(section.span.start, trim_end(src, section.span.end)),
    ))
}

/// The next heading of the same or a higher level after heading `i`.
fn next_heading<'a>(blocks: &'a Blocks, i: usize, h: &Heading) -> Option<&'a Heading> {
    blocks.headings[i + 1..].iter().find(|n| n.level <= h.level)
}

/// The numbered top-level items of the section called `name`: `1. Inspect the API host.`
fn numbered_items(src: &str, blocks: &Blocks, plan: &Plan, name: &str) -> Vec<Step> {
    let Some(section) = plan.sections.iter().find(|s| titled(&s.title.value, name)) else {
        return Vec::new();
    };
    let mut steps: Vec<Step> = Vec::new();
    for item in blocks
        .items
        .iter()
        .filter(|i| section.span.start <= i.start && i.end <= section.span.end)
    {
        let text = item.text(src);
        let lead = text.len() - text.trim_start().len();
        let body = &text[lead..];
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 3 || !matches!(body.as_bytes().get(digits), Some(b'.' | b')')) {
            continue;
        }
        let id = &body[..digits];
        if steps.iter().any(|s| s.id == id) {
            // A second numbered list in the section: the first one is the plan.
            break;
        }
        let first_line = body[digits + 1..].lines().next().unwrap_or("");
        let title = first_line.trim().trim_end_matches(':').trim();
        let id_at = item.start + lead;
        let title_at = id_at + digits + 1 + (first_line.len() - first_line.trim_start().len());
        steps.push(derived_step(
            id,
            Span::new(id_at, id_at + digits),
            title,
            Span::new(title_at, title_at + title.len()),
            Span::new(
                item.start,
                item.start + lead + digits + 1 + first_line.len(),
            ),
            Span::new(item.start, trim_end(src, item.end)),
        ));
    }
    steps
}

fn derived_step(
    id: &str,
    id_span: Span,
    title: &str,
    title_span: Span,
    heading: Span,
    span: Span,
) -> Step {
    Step {
        id: step_id(id),
        id_span,
        title: Spanned {
            value: title.to_owned(),
            span: title_span,
        },
        heading,
        span,
        depth: 1,
        parent: None,
        fields: Vec::new(),
        depends_on: None,
        verify: InlineVec::new(),
        verify_span: None,
        after: Vec::new(),
        parallel: false,
        done: None,
        derived: true,
    }
}

fn trim_end(src: &str, end: usize) -> usize {
    src[..end].trim_end().len()
}

/// A line's text after its list marker, bold marks and spaces, lower-cased.
fn label(line: &str) -> String {
    let t = line.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .unwrap_or(t);
    t.trim_start_matches(['*', '_', ' ']).to_ascii_lowercase()
}

/// The commands of a step and where they are: `Command: `x`` lines, and the lines of the
/// code block after a "Commands to verify" line; each with the expected output that follows.
fn commands(src: &str, blocks: &Blocks, span: Span) -> (InlineVec<Command, 1>, Option<Span>) {
    let mut cmds: InlineVec<Command, 1> = InlineVec::new();
    let mut first: Option<usize> = None;
    let mut last = 0;
    let lines = &blocks.lines;
    let from = lines.partition_point(|l| l.start < span.start);
    let mut k = from;
    while k < lines.len() && lines[k].start < span.end {
        let l = lines[k];
        k += 1;
        if l.code || l.heading || l.blank {
            continue;
        }
        let text = Span::new(l.start, l.end).text(src);
        let lab = label(text);
        if lab.starts_with("command:") || lab.starts_with("commands:") || lab.starts_with("run:") {
            let at = blocks.code_spans.partition_point(|c| c.start < l.start);
            for cs in blocks.code_spans[at..]
                .iter()
                .take_while(|c| c.end <= l.end)
            {
                let (off, inner) = super::steps::code_span_inner(cs.text(src));
                if !inner.is_empty() {
                    cmds.push(Command {
                        text: inner.to_owned(),
                        span: Span::new(cs.start + off, cs.start + off + inner.len()),
                        expected: None,
                    });
                    first.get_or_insert(l.start);
                    last = cs.end;
                }
            }
        } else if lab.contains("commands to verify")
            || lab.starts_with("verify with")
            || (lab.trim_end().ends_with(':')
                && ["run", "validate", "verify", "execute"]
                    .iter()
                    .any(|w| lab.contains(w)))
        {
            // The code block after the line is one command: its lines run in one shell, so
            // that a `cd` holds for the lines after it.
            if let Some(cb) = block_after(blocks, l.end, span.end) {
                let lines: Vec<&str> = body_lines(src, cb.body)
                    .into_iter()
                    .map(|(s, e)| Span::new(s, e).text(src).trim())
                    .map(|t| t.strip_prefix("$ ").unwrap_or(t))
                    .filter(|t| !t.is_empty() && !t.starts_with('#'))
                    .collect();
                if !lines.is_empty() {
                    cmds.push(Command {
                        text: lines.join("\n"),
                        span: cb.body,
                        expected: None,
                    });
                    first.get_or_insert(l.start);
                    last = cb.span.end;
                }
            }
        } else if let Some(cmd) = cmds.last_mut()
            && let Some(e) = expected_on(src, blocks, l, span.end)
        {
            cmd.expected = Some(e);
            last = last.max(e.end);
        }
    }
    let span = first.map(|f| Span::new(f, last.max(f)));
    (cmds, span)
}

/// The expected output stated on the first line after `from` (before `end`) that is not
/// blank, when that line says "Expected output:" (or "Expected result:", "Expected:"): the
/// rest of the line, or the code block after it.
pub(crate) fn expected_after(src: &str, blocks: &Blocks, from: usize, end: usize) -> Option<Span> {
    let lines = &blocks.lines;
    let k = lines.partition_point(|l| l.start < from);
    let l = lines[k..]
        .iter()
        .take_while(|l| l.start < end)
        .find(|l| !l.blank)?;
    if l.code || l.heading {
        return None;
    }
    expected_on(src, blocks, *l, end)
}

/// The expected output a line states ("Expected output: …"), up to `end`.
fn expected_on(src: &str, blocks: &Blocks, l: super::blocks::LineInfo, end: usize) -> Option<Span> {
    let lab = label(Span::new(l.start, l.end).text(src));
    let rest = ["expected output:", "expected result:", "expected:"]
        .iter()
        .find_map(|p| lab.strip_prefix(p))?;
    let e = if rest.trim().is_empty() {
        block_after(blocks, l.end, end)?.body
    } else {
        let at = l.end - rest.trim_start().len();
        Span::new(at, trim_end(src, l.end))
    };
    (!e.is_empty()).then_some(e)
}

/// The first code block starting after `at` and before `end`, with only blank lines before it.
fn block_after(blocks: &Blocks, at: usize, end: usize) -> Option<&crate::model::CodeBlock> {
    let i = blocks.code_blocks.partition_point(|c| c.span.start < at);
    let cb = blocks.code_blocks.get(i).filter(|c| c.span.start < end)?;
    // The lines between, found by position: the table is in order.
    let lines = &blocks.lines;
    let from = lines.partition_point(|l| l.start < at);
    lines[from..]
        .iter()
        .take_while(|l| l.end <= cb.span.start)
        .all(|l| l.blank)
        .then_some(cb)
}

/// The lines of a code block's body, as byte ranges without their terminators.
fn body_lines(src: &str, body: Span) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = body.start;
    for line in body.text(src).split_inclusive('\n') {
        let t = line.trim_end_matches(['\n', '\r']);
        out.push((pos, pos + t.len()));
        pos += line.len();
    }
    out
}

/// "depends on Milestone 2", "after M1", "blocked by Phase 1" in a step's own text, naming
/// another of the plan's milestones.
fn prose_dependencies(src: &str, step: &Step, ids: &[StepId]) -> Option<Dependencies> {
    let text = step.span.text(src);
    let lower = text.to_ascii_lowercase();
    let mut refs: InlineVec<StepRef, 2> = InlineVec::new();
    let mut first: Option<Span> = None;
    for cue in ["depends on ", "blocked by ", "after "] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(cue) {
            let at = from + i + cue.len();
            from = at;
            let rest = &lower[at..];
            let digits_at = if rest.starts_with("milestone ") {
                "milestone ".len()
            } else if rest.starts_with("phase ") {
                "phase ".len()
            } else if rest.starts_with('m') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
                1
            } else {
                continue;
            };
            let n = rest[digits_at..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            if n == 0 {
                continue;
            }
            let id = &rest[digits_at..digits_at + n];
            if id == &*step.id
                || !ids.iter().any(|s| &**s == id)
                || refs.iter().any(|r| &*r.id == id)
            {
                continue;
            }
            let s = step.span.start + at;
            let span = Span::new(s, s + digits_at + n);
            first.get_or_insert(span);
            refs.push(StepRef {
                id: step_id(id),
                span,
                kind: None,
            });
        }
    }
    let span = first?;
    let end = refs.iter().map(|r| r.span.end).max().unwrap_or(span.end);
    Some(Dependencies {
        span: Span::new(span.start, end.max(span.end)),
        none: false,
        refs,
        unreadable: None,
    })
}
