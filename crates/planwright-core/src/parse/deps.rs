//! Reading `Depends on` values: `Step 1`, `Steps 1 and 2`, `Step 2.1`, `1, 3`, `Task A1`,
//! `Steps 1-3`, `(none)`, `—`.

use crate::model::{Dependencies, InlineVec, StepRef};
use crate::span::Span;
use crate::text::is_none_word;

/// Is this token a step id: `3`, `2.1`, `A1`, `B2.3`?
pub(crate) fn is_step_id(t: &str) -> bool {
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters > 3 {
        return false;
    }
    let rest = &t[letters..];
    !rest.is_empty()
        && rest.split('.').all(|p| {
            !p.is_empty()
                && p.len() <= super::steps::MAX_DIGITS
                && p.bytes().all(|b| b.is_ascii_digit())
        })
}

pub(crate) struct Token<'a> {
    text: &'a str,
    span: Span,
    in_parens: bool,
}

fn tokens<'a>(src: &'a str, value: Span, out: &mut Vec<Token<'a>>) {
    let text: &'a str = value.text(src);
    out.clear();
    let mut depth = 0usize;
    let mut cur_start: Option<usize> = None;
    let mut skip_link_target = 0usize;
    let bytes = text.as_bytes();
    let push = |out: &mut Vec<Token<'a>>, s: usize, e: usize, depth: usize| {
        let raw = &text[s..e];
        // Trim Markdown decoration and punctuation (all ASCII) off both ends.
        let rb = raw.as_bytes();
        let deco = |c: u8| b"[]*_`.,;:!?\"'#".contains(&c);
        let lead = rb.iter().take_while(|&&c| deco(c)).count();
        let trail = rb[lead..].iter().rev().take_while(|&&c| deco(c)).count();
        if lead + trail >= rb.len() {
            return;
        }
        let trimmed = &raw[lead..rb.len() - trail];
        let off = lead;
        out.push(Token {
            text: trimmed,
            span: Span::new(value.start + s + off, value.start + s + off + trimmed.len()),
            in_parens: depth > 0,
        });
    };
    let mut i = 0;
    while i < text.len() {
        let c = bytes[i];
        if skip_link_target > 0 {
            if c == b'(' {
                skip_link_target += 1;
            } else if c == b')' {
                skip_link_target -= 1;
            }
            i += 1;
            continue;
        }
        if c == b']' && bytes.get(i + 1) == Some(&b'(') {
            if let Some(s) = cur_start.take() {
                push(out, s, i, depth);
            }
            skip_link_target = 1;
            i += 2;
            continue;
        }
        let sep = c.is_ascii_whitespace()
            || c == b','
            || c == b';'
            || c == b'('
            || c == b')'
            || c == b'/';
        if sep {
            if let Some(s) = cur_start.take() {
                push(out, s, i, depth);
            }
            if c == b'(' {
                depth += 1;
            } else if c == b')' {
                depth = depth.saturating_sub(1);
            }
        } else if cur_start.is_none() {
            cur_start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = cur_start {
        push(out, s, text.len(), depth);
    }
}

/// Splits `a-b` / `a–b` ranges of ids.
fn range(t: &str) -> Option<(&str, &str)> {
    if !t.bytes().any(|b| b == b'-' || b == b'.' || b >= 0x80) {
        return None;
    }
    for sep in ['-', '–', '—'] {
        if let Some((a, b)) = t.split_once(sep)
            && is_step_id(a)
            && is_step_id(b)
        {
            return Some((a, b));
        }
    }
    let (a, b) = t.split_once("..")?;
    (is_step_id(a) && is_step_id(b)).then_some((a, b))
}

fn expand(a: &str, b: &str) -> Option<Vec<String>> {
    let (pa, pb) = (a.rsplit_once('.'), b.rsplit_once('.'));
    let (prefix, x, y) = match (pa, pb) {
        (Some((p1, x)), Some((p2, y))) if p1 == p2 => (format!("{p1}."), x, y),
        (None, None) => {
            let la = a.bytes().take_while(u8::is_ascii_alphabetic).count();
            let lb = b.bytes().take_while(u8::is_ascii_alphabetic).count();
            if a[..la] != b[..lb] {
                return None;
            }
            (a[..la].to_owned(), &a[la..], &b[lb..])
        }
        _ => return None,
    };
    // `T001-T003` keeps its zero padding.
    let width = if x.starts_with('0') { x.len() } else { 0 };
    let (x, y): (u32, u32) = (x.parse().ok()?, y.parse().ok()?);
    if y < x || y - x > 200 {
        return None;
    }
    Some((x..=y).map(|n| format!("{prefix}{n:0width$}")).collect())
}

pub(crate) fn parse(src: &str, value: Span, field_span: Span) -> Dependencies {
    parse_with(src, value, field_span, &mut Vec::new())
}

/// The usual shapes, read in one pass: `Step 1, Step 3`, `Steps 1 and 2`, `1, 2.1`. `None`
/// for anything else, which the general reader below takes; both give the same references
/// and spans (a property test holds them to it).
fn plain_list(text: &str, base: usize) -> Option<InlineVec<StepRef, 2>> {
    let b = text.as_bytes();
    let mut refs = InlineVec::new();
    let mut i = 0;
    'items: loop {
        let item_start = i;
        let mut word = false;
        for w in [&b"steps"[..], b"step", b"tasks", b"task"] {
            if b.len() > i + w.len()
                && b[i..i + w.len()].eq_ignore_ascii_case(w)
                && b[i + w.len()] == b' '
            {
                i += w.len() + 1;
                word = true;
                break;
            }
        }
        let id_start = i;
        loop {
            let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > super::steps::MAX_DIGITS {
                return None;
            }
            i += digits;
            if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 1;
            } else {
                break;
            }
        }
        let start = if word { item_start } else { id_start };
        refs.push(StepRef {
            id: crate::model::step_id(&text[id_start..i]),
            span: Span::new(base + start, base + i),
            kind: None,
        });
        if i == b.len() {
            return Some(refs);
        }
        for sep in [&b", and "[..], b", ", b" and "] {
            if b[i..].starts_with(sep) {
                i += sep.len();
                continue 'items;
            }
        }
        return None;
    }
}

/// [`parse`] with a token buffer the caller keeps between fields (one allocation a plan
/// rather than one a step).
pub(crate) fn parse_with<'a>(
    src: &'a str,
    value: Span,
    field_span: Span,
    toks: &mut Vec<Token<'a>>,
) -> Dependencies {
    let text = value.text(src);
    let mut deps = Dependencies {
        span: field_span,
        none: false,
        refs: InlineVec::new(),
        unreadable: None,
    };
    // A plain list has a number in its first entry, so it is never a none word: it is read
    // first, and the usual value leaves without the none-word test.
    if let Some(refs) = plain_list(text, value.start) {
        deps.refs = refs;
        return deps;
    }
    let first_word = text.split([',', ';']).next().unwrap_or("");
    if is_none_word(text) || is_none_word(first_word) {
        deps.none = true;
        return deps;
    }
    general(src, value, toks, deps)
}

/// The dependency type in one parenthesised word right after the reference at `k`:
/// `Step 1 (schema)`. A longer aside (`Step 1 (schema from step 9)`) is not a type.
fn kind_after(src: &str, toks: &[Token<'_>], k: usize) -> Option<crate::model::DepKind> {
    let (here, next) = (&toks[k], toks.get(k + 1)?);
    if here.in_parens || !next.in_parens || toks.get(k + 2).is_some_and(|t| t.in_parens) {
        return None;
    }
    let between = src.get(here.span.end..next.span.start)?;
    if between.trim() != "(" {
        return None;
    }
    let after = src.get(next.span.end..)?;
    if !after.trim_start().starts_with(')') {
        return None;
    }
    crate::model::DepKind::parse(next.text)
}

/// Reads any other shape: ranges, `to`, links, parenthesised asides, decoration.
fn general<'a>(
    src: &'a str,
    value: Span,
    toks: &mut Vec<Token<'a>>,
    mut deps: Dependencies,
) -> Dependencies {
    let text = value.text(src);
    tokens(src, value, toks);
    let toks = &*toks;
    for pass_parens in [false, true] {
        let mut refs: InlineVec<StepRef, 2> = InlineVec::new();
        let mut k = 0;
        while k < toks.len() {
            let t = &toks[k];
            if t.in_parens && !pass_parens {
                k += 1;
                continue;
            }
            if ["to", "through", "thru"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(t.text))
                && let (Some(prev), Some(next)) = (refs.last(), toks.get(k + 1))
                && is_step_id(next.text)
                && let Some(ids) = expand(&prev.id, next.text)
            {
                let span = Span::new(prev.span.start, next.span.end);
                refs.pop();
                refs.extend(ids.into_iter().map(|id| StepRef {
                    id: crate::model::step_id_from(id),
                    span,
                    kind: None,
                }));
                k += 2;
                continue;
            }
            if is_step_id(t.text) {
                // `Step 2` is reported as a whole, not only its number.
                let start = match k.checked_sub(1).map(|p| &toks[p]) {
                    Some(prev)
                        if ["step", "steps", "task", "tasks"]
                            .iter()
                            .any(|w| w.eq_ignore_ascii_case(prev.text)) =>
                    {
                        prev.span.start
                    }
                    _ => t.span.start,
                };
                refs.push(StepRef {
                    id: crate::model::step_id(t.text),
                    span: Span::new(start, t.span.end),
                    kind: kind_after(src, toks, k),
                });
            } else if let Some((a, b)) = range(t.text)
                && let Some(ids) = expand(a, b)
            {
                refs.extend(ids.into_iter().map(|id| StepRef {
                    id: crate::model::step_id_from(id),
                    span: t.span,
                    kind: kind_after(src, toks, k),
                }));
            }
            k += 1;
        }
        if !refs.is_empty() {
            deps.refs = refs;
            return deps;
        }
    }
    if !text.trim().is_empty() {
        deps.unreadable = Some(value);
    } else {
        deps.none = true;
    }
    deps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &str) -> Vec<String> {
        parse(s, Span::new(0, s.len()), Span::new(0, s.len()))
            .refs
            .into_iter()
            .map(|r| r.id.into_owned())
            .collect()
    }

    /// The general reader alone (the fast path skipped).
    fn general_refs(s: &str) -> Vec<StepRef> {
        let empty = Dependencies {
            span: Span::new(0, 0),
            none: false,
            refs: InlineVec::new(),
            unreadable: None,
        };
        general(s, Span::new(0, s.len()), &mut Vec::new(), empty)
            .refs
            .into_iter()
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_reads_what_the_general_reader_reads(
            s in "((Steps?|steps?|Tasks?|STEP) )?[0-9]{1,3}(\\.[0-9]{1,2})?((, |, and | and )((Step|step|Task) )?[0-9]{1,3}(\\.[0-9])?){0,4}"
        ) {
            let fast = plain_list(&s, 0);
            proptest::prop_assert!(fast.is_some(), "{s}");
            proptest::prop_assert_eq!(fast.unwrap().into_iter().collect::<Vec<_>>(), general_refs(&s));
        }
    }

    #[test]
    fn the_ways_people_write_dependencies() {
        assert_eq!(ids("Step 1"), ["1"]);
        assert_eq!(ids("Steps 1 and 2"), ["1", "2"]);
        assert_eq!(ids("Step 2.1"), ["2.1"]);
        assert_eq!(ids("Step 1, Step 3"), ["1", "3"]);
        assert_eq!(ids("Task A1, Task A2"), ["A1", "A2"]);
        assert_eq!(ids("Steps 1-3"), ["1", "2", "3"]);
        assert_eq!(ids("Steps 1 to 3"), ["1", "2", "3"]);
        assert_eq!(ids("T002-T004"), ["T002", "T003", "T004"]);
        assert_eq!(ids("Step 1 (schema from step 9)"), ["1"]);
        assert_eq!(ids("[Step 2](#2-implement)"), ["2"]);
        assert_eq!(ids("**Step 4**."), ["4"]);
        for none in ["(none)", "—", "None", "-", "none.", "N/A"] {
            let d = parse(none, Span::new(0, none.len()), Span::new(0, 0));
            assert!(d.none, "{none}");
        }
        let d = parse("the schema work", Span::new(0, 15), Span::new(0, 15));
        assert!(d.unreadable.is_some());
    }

    #[test]
    fn dependency_types_are_read_from_one_word_in_parentheses() {
        let kinds = |s: &str| -> Vec<Option<&'static str>> {
            parse(s, Span::new(0, s.len()), Span::new(0, s.len()))
                .refs
                .into_iter()
                .map(|r| r.kind.map(crate::model::DepKind::as_str))
                .collect()
        };
        assert_eq!(
            kinds("Step 1 (schema), Step 3 (interface)"),
            [Some("schema"), Some("interface")]
        );
        assert_eq!(
            kinds("Step 2 (infrastructure) and Step 4"),
            [Some("infrastructure"), None]
        );
        assert_eq!(kinds("Step 1 (schema from step 9)"), [None]);
        assert_eq!(kinds("Step 1 (optional)"), [None]);
    }
}
