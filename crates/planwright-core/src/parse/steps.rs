//! Steps (`### N. Title`, `#### N.M. Title`, `### Task A1: Title`) with their fields and
//! Verify commands, and a roadmap's `## Child Plans` table.

use super::Blocks;
use super::deps;
use super::fields::{self, Scope};
use crate::model::{ChildPlan, Command, InlineVec, Plan, PlanKind, SectionKind, Spanned, Step};
use crate::span::Span;

/// The most digits in one part of a step number, in a heading as in a reference.
pub(crate) const MAX_DIGITS: usize = 6;

/// Reads a step heading's text: returns (id span, title span) relative to the text start.
pub(crate) fn step_heading(text: &str) -> Option<((usize, usize), (usize, usize))> {
    let mut at = 0;
    let mut rest = text;
    let mut prefixed = false;
    for word in ["step", "task", "phase", "milestone"] {
        if rest.len() > word.len()
            && rest.is_char_boundary(word.len())
            && rest[..word.len()].eq_ignore_ascii_case(word)
            && rest.as_bytes()[word.len()] == b' '
        {
            let r = rest[word.len()..].trim_start();
            at += rest.len() - r.len();
            rest = r;
            prefixed = true;
            break;
        }
    }
    let b = rest.as_bytes();
    let letters = if prefixed {
        b.iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count()
            .min(3)
    } else {
        0
    };
    let mut k = letters;
    let mut seen_digit = false;
    let mut run = 0;
    while k < b.len() {
        if b[k].is_ascii_digit() {
            seen_digit = true;
            run += 1;
            k += 1;
        } else if b[k] == b'.' && seen_digit && b.get(k + 1).is_some_and(u8::is_ascii_digit) {
            run = 0;
            k += 1;
        } else {
            break;
        }
        // A number a reference could not name (`Step 3` reads at most six digits a part)
        // is not a step id.
        if run > MAX_DIGITS {
            return None;
        }
    }
    if !seen_digit {
        return None;
    }
    let id = (at, at + k);
    let after = &rest[k..];
    // What may follow the id.
    let sep_len = if let Some(r) = after.strip_prefix(['.', ':', ')']) {
        1 + (r.len() - r.trim_start().len())
    } else if after.starts_with([' ', '\t']) {
        let r = after.trim_start();
        let mut l = after.len() - r.len();
        if let Some(r2) = r.strip_prefix(['—', '–', '-', ':']) {
            l += r.len() - r2.len();
            l += r2.len() - r2.trim_start().len();
        } else if !prefixed && !rest[..k].contains('.') {
            // `### 2024 roadmap` is not a step.
            return None;
        }
        l
    } else if after.is_empty() {
        if !prefixed {
            return None;
        }
        0
    } else {
        return None;
    };
    if !(prefixed || after.starts_with('.') || after.starts_with(')') || rest[..k].contains('.')) {
        return None;
    }
    let title_start = at + k + sep_len;
    Some((id, (title_start.min(text.len()), text.len())))
}

fn depth_of(id: &str) -> usize {
    id.split('.').count()
}

pub(crate) fn read(src: &str, blocks: &Blocks, plan: &Plan) -> Vec<Step> {
    let step_sections: Vec<Span> = plan
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Steps)
        .map(|s| s.span)
        .collect();
    let excluded: Vec<Span> = plan
        .sections
        .iter()
        .filter(|s| s.kind != SectionKind::Other && s.kind != SectionKind::Steps)
        .map(|s| s.span)
        .collect();
    let anywhere = matches!(
        plan.kind,
        PlanKind::Development | PlanKind::SpecScore | PlanKind::Roadmap
    );
    // Heading index, id, title.
    let mut candidates: Vec<(usize, Span, Span)> = Vec::with_capacity(blocks.headings.len());
    for (hi, h) in blocks.headings.iter().enumerate() {
        if h.level < 3 {
            continue;
        }
        let inside_steps = step_sections.iter().any(|s| s.contains(h.span.start));
        let allowed = if step_sections.is_empty() {
            anywhere && !excluded.iter().any(|s| s.contains(h.span.start))
        } else {
            inside_steps
        };
        if !allowed {
            continue;
        }
        let text = h.text.text(src);
        if let Some(((is, ie), (ts, te))) = step_heading(text) {
            candidates.push((
                hi,
                Span::new(h.text.start + is, h.text.start + ie),
                Span::new(h.text.start + ts, h.text.start + te),
            ));
        }
    }
    let mut steps: Vec<Step> = Vec::with_capacity(candidates.len());
    let mut toks = Vec::new();
    let mut cursor = fields::Cursor::default();
    for (ci, &(hi, id_span, title_span)) in candidates.iter().enumerate() {
        let h = &blocks.headings[hi];
        let next_step_heading = candidates
            .get(ci + 1)
            .map(|c| blocks.headings[c.0].span.start);
        let next_boundary = blocks.headings[hi + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map(|n| n.span.start);
        let end = [next_step_heading, next_boundary]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(src.len());
        let region = Span::new(h.span.end, end);
        let fields = fields::scan_from(src, blocks, region, Scope::Step, &mut cursor);
        let id = crate::model::step_id(id_span.text(src));
        let depth = depth_of(&id);
        let parent = if depth > 1 {
            let parent_id = id.rsplit_once('.').map_or("", |p| p.0);
            steps.iter().rposition(|s| s.id == parent_id)
        } else {
            None
        };
        let depends_on = fields
            .iter()
            .find(|f| f.name == "depends on")
            .map(|f| deps::parse_with(src, f.value, f.span, &mut toks));
        let (mut verify, verify_span) = verify(src, blocks, &fields, region);
        // "Expected output:" right after the Verify field: the last command's.
        if let (Some(vs), Some(last)) = (verify_span, verify.last_mut()) {
            last.expected = super::exec::expected_after(src, blocks, vs.end, region.end);
        }
        let title = step_title(title_span.text(src));
        steps.push(Step {
            id,
            id_span,
            title: Spanned {
                value: title.to_owned(),
                span: Span::new(title_span.start, title_span.start + title.len()),
            },
            heading: h.span,
            span: Span::new(h.span.start, trim_end(src, end)),
            depth,
            parent,
            fields,
            depends_on,
            verify,
            verify_span,
            after: Vec::new(),
            parallel: false,
            done: None,
            derived: false,
        });
    }
    steps
}

/// A step's title: the heading text after the id, without closing `#`s and spaces.
fn step_title(t: &str) -> &str {
    if !t.is_ascii() {
        return t.trim_end_matches(['#', ' ']).trim();
    }
    // The same on bytes: the usual title is ASCII.
    let b = t.as_bytes();
    let mut e = b.len();
    while e > 0 && matches!(b[e - 1], b'#' | b' ') {
        e -= 1;
    }
    while e > 0 && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    let mut s = 0;
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    &t[s..e]
}

/// The command inside an inline code span (`` `cargo test` ``): where it starts in the span,
/// and its text without the backticks and surrounding spaces.
pub(super) fn code_span_inner(raw: &str) -> (usize, &str) {
    if !raw.is_ascii() {
        let inner = raw.trim_matches('`').trim();
        return (
            raw.len() - raw.trim_start_matches('`').trim_start().len(),
            inner,
        );
    }
    let b = raw.as_bytes();
    let mut s = 0;
    while s < b.len() && b[s] == b'`' {
        s += 1;
    }
    let mut e = b.len();
    while e > s && b[e - 1] == b'`' {
        e -= 1;
    }
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    (s, &raw[s..e])
}

fn trim_end(src: &str, mut end: usize) -> usize {
    let b = src.as_bytes();
    while end > 0 && b.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
        end -= 1;
    }
    end
}

/// Commands of the Verify field: inline code spans in its value, or the lines of a fenced
/// shell block right after it.
fn verify(
    src: &str,
    blocks: &Blocks,
    fields: &[crate::model::Field],
    region: Span,
) -> (InlineVec<Command, 1>, Option<Span>) {
    let Some(f) = fields.iter().find(|f| f.name == "verify") else {
        return (InlineVec::new(), None);
    };
    let mut cmds = InlineVec::new();
    let mut span = f.span;
    let first = blocks
        .code_spans
        .partition_point(|c| c.start < f.value.start);
    for cs in blocks.code_spans[first..]
        .iter()
        .take_while(|c| c.start < f.value.end)
        .filter(|c| c.end <= f.value.end)
    {
        let raw = cs.text(src);
        let (off, inner) = code_span_inner(raw);
        if !inner.is_empty() {
            cmds.push(Command {
                text: inner.to_owned(),
                span: Span::new(cs.start + off, cs.start + off + inner.len()),
                expected: None,
            });
        }
    }
    // A fenced block directly after the field (only blank lines between).
    let from = blocks
        .code_blocks
        .partition_point(|c| c.span.start < f.span.end);
    if let Some(cb) = blocks.code_blocks[from..]
        .iter()
        .take_while(|c| c.span.start < region.end)
        .find(|c| c.fenced)
    {
        let between = src.get(f.span.end..cb.span.start).unwrap_or("x");
        let shell = matches!(
            cb.info.split_whitespace().next().unwrap_or(""),
            "" | "sh" | "bash" | "shell" | "console" | "zsh"
        );
        if between.trim().is_empty() && shell {
            span = Span::new(f.span.start, cb.span.end);
            let mut pending: Option<(String, usize)> = None;
            let body = cb.body;
            let mut pos = body.start;
            for line in cb.body.text(src).split_inclusive('\n') {
                let start = pos;
                pos += line.len();
                let t = line.trim_end_matches(['\n', '\r']);
                let lead = t.len() - t.trim_start().len();
                let mut t2 = t.trim();
                let mut s = start + lead;
                if let Some(r) = t2.strip_prefix("$ ") {
                    s += 2;
                    t2 = r;
                }
                if pending.is_none() && (t2.is_empty() || t2.starts_with('#')) {
                    continue;
                }
                let (mut text, st) = pending.take().unwrap_or((String::new(), s));
                if let Some(head) = t2.strip_suffix('\\') {
                    text.push_str(head.trim_end());
                    text.push(' ');
                    pending = Some((text, st));
                    continue;
                }
                text.push_str(t2);
                cmds.push(Command {
                    text,
                    span: Span::new(st, s + t2.len()),
                    expected: None,
                });
            }
            if let Some((text, st)) = pending {
                cmds.push(Command {
                    text: text.trim_end().to_owned(),
                    span: Span::new(st, body.end.max(st)),
                    expected: None,
                });
            }
        }
    }
    (cmds, Some(span))
}

/// Rows of the `## Child Plans` table.
pub(crate) fn child_plans(src: &str, blocks: &Blocks, plan: &Plan) -> Vec<ChildPlan> {
    let Some(section) = plan.section(SectionKind::ChildPlans) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    let first = blocks
        .lines
        .partition_point(|l| l.start < section.span.start);
    for l in blocks.lines[first..]
        .iter()
        .take_while(|l| l.start < section.span.end)
    {
        if l.code || l.heading {
            continue;
        }
        let text = &src[l.start..l.end];
        let t = text.trim();
        if !t.starts_with('|') {
            if columns.is_some() && !t.is_empty() {
                // Prose after the table ends it.
            }
            continue;
        }
        let cells = cells(src, Span::new(l.start, l.end));
        if cells.iter().all(|c| {
            let s = c.text(src);
            !s.is_empty() && s.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        }) {
            continue;
        }
        let Some(cols) = &columns else {
            columns = Some(
                cells
                    .iter()
                    .map(|c| crate::text::normalize_name(c.text(src)))
                    .collect(),
            );
            continue;
        };
        let get = |name: &str| -> Option<Spanned<String>> {
            let i = cols.iter().position(|c| c == name)?;
            let c = *cells.get(i)?;
            let v = c.text(src);
            (!v.is_empty()).then(|| Spanned {
                value: v.to_owned(),
                span: c,
            })
        };
        let plan_cell = get("plan").or_else(|| {
            cells.get(usize::from(cols.len() > 1)).map(|c| Spanned {
                value: c.text(src).to_owned(),
                span: *c,
            })
        });
        let Some(plan_cell) = plan_cell else { continue };
        // Links are in document order: the first one that starts in the cell, found by
        // bisection (a scan per row made a large roadmap quadratic).
        let at = blocks
            .links
            .partition_point(|lk| lk.span.start < plan_cell.span.start);
        let link = blocks.links[at..]
            .iter()
            .take_while(|lk| lk.span.start < plan_cell.span.end)
            .find(|lk| lk.span.end <= plan_cell.span.end);
        let (name, target) = match link {
            Some(lk) => {
                let raw = lk.span.text(src);
                let name = raw
                    .strip_prefix('[')
                    .and_then(|r| r.split_once("]").map(|p| p.0))
                    .unwrap_or(raw);
                (
                    Spanned {
                        value: name.to_owned(),
                        span: Span::new(lk.span.start + 1, lk.span.start + 1 + name.len()),
                    },
                    Some(Spanned {
                        value: lk.target.clone(),
                        span: lk.span,
                    }),
                )
            }
            None => (plan_cell.clone(), None),
        };
        rows.push(ChildPlan {
            span: Span::new(l.start, l.end),
            order: get("order"),
            name,
            target,
            status: get("status"),
            effort: get("effort"),
            impact: get("impact"),
        });
    }
    rows
}

/// The trimmed cells of a table row.
pub(crate) fn cells(src: &str, line: Span) -> Vec<Span> {
    let text = line.text(src);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '|' if !in_code && !text[..i].ends_with('\\') => {
                if let Some(s) = start {
                    out.push(fields::trim(src, Span::new(line.start + s, line.start + i)));
                }
                start = Some(i + 1);
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        let rest = &text[s..];
        if !rest.trim().is_empty() {
            out.push(fields::trim(src, Span::new(line.start + s, line.end)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{code_span_inner, step_heading, step_title};

    fn id_title(t: &str) -> Option<(&str, &str)> {
        step_heading(t).map(|((a, b), (c, d))| (&t[a..b], &t[c..d]))
    }

    proptest::proptest! {
        // The byte-level trims agree with `str`'s on ASCII text.
        #[test]
        fn ascii_trims_read_alike(t in "[ \t`#a-z]{0,16}") {
            proptest::prop_assert_eq!(step_title(&t), t.trim_end_matches(['#', ' ']).trim());
            let (off, inner) = code_span_inner(&t);
            proptest::prop_assert_eq!(inner, t.trim_matches('`').trim());
            if !inner.is_empty() {
                proptest::prop_assert_eq!(off, t.len() - t.trim_start_matches('`').trim_start().len());
            }
        }
    }

    #[test]
    fn step_headings() {
        assert_eq!(id_title("1. Define schema"), Some(("1", "Define schema")));
        assert_eq!(
            id_title("2.1. Add streaming"),
            Some(("2.1", "Add streaming"))
        );
        assert_eq!(
            id_title("2.1 Add streaming"),
            Some(("2.1", "Add streaming"))
        );
        assert_eq!(
            id_title("Task A1: Amendment visibility"),
            Some(("A1", "Amendment visibility"))
        );
        assert_eq!(id_title("Step 3 — Wire it"), Some(("3", "Wire it")));
        assert_eq!(id_title("Task 4"), Some(("4", "")));
        assert_eq!(id_title("2024 roadmap"), None);
        assert_eq!(id_title("Notes"), None);
        assert_eq!(id_title("3D rendering"), None);
        // A step number that no reference could name is not a step (issue 19).
        assert_eq!(
            id_title("123456. Six digits"),
            Some(("123456", "Six digits"))
        );
        assert_eq!(id_title("1234567. Seven digits"), None);
        assert_eq!(id_title("99999999999999999999. Beyond u64"), None);
        assert_eq!(id_title("1.1234567. Deep"), None);
    }
}
