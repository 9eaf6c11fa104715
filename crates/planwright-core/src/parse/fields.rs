//! Fields: `**Name:** value`, `**Name**: value`, and plain `Name: value` for known names,
//! with the list items that follow them.

use super::Blocks;
use crate::model::{Field, Item};
use crate::span::Span;
use crate::text::normalize_name;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Header,
    Step,
}

/// Names accepted without bold markers.
const PLAIN_HEADER: &[&str] = &[
    "status",
    "features",
    "source type",
    "source",
    "author",
    "approver",
    "created",
    "approved",
    "effort",
    "impact",
    "from",
    "superseded by",
    "supersedes",
    "owner",
];
const PLAIN_STEP_ALL: &[&str] = &[
    "depends on",
    "depends",
    "dependencies",
    "verification",
    "produces",
    "acceptance criteria",
    "verify",
    "estimate",
    "parent",
    "verifies",
    "status",
];

/// Maps the spellings people use to one canonical field name. Known names come back
/// borrowed; only unknown ones allocate.
pub(crate) fn canonical(name: &str) -> Cow<'static, str> {
    let mut buf = [0u8; 48];
    let mut n = 0;
    let mut pending = false;
    for c in name.trim().bytes() {
        if c.is_ascii_alphanumeric() {
            if pending && n > 0 {
                if n == buf.len() {
                    return Cow::Owned(normalize_name(name));
                }
                buf[n] = b' ';
                n += 1;
            }
            pending = false;
            if n == buf.len() {
                return Cow::Owned(normalize_name(name));
            }
            buf[n] = c.to_ascii_lowercase();
            n += 1;
        } else if !c.is_ascii() || c == b'&' || c == b'+' {
            return Cow::Owned(normalize_name(name));
        } else if c != b'\'' {
            pending = true;
        }
    }
    let s = std::str::from_utf8(&buf[..n]).unwrap_or("");
    Cow::Borrowed(match s {
        "depends" | "dependencies" | "dependson" | "depends upon" | "dependency" | "depends on" => "depends on",
        "acceptance" | "acceptance criterion" | "acceptance criteria" => "acceptance criteria",
        "verification" | "verify command" | "verify commands" | "verified by" | "check" | "verify" => "verify",
        "estimated effort" | "estimated" | "time estimate" | "estimate" => "estimate",
        "successor" | "replaced by" | "superseded by" => "superseded by",
        "approved by" | "approver" => "approver",
        "created at" | "created on" | "date created" | "created" => "created",
        "approved at" | "approved on" | "approval date" | "approved" => "approved",
        "status" => "status",
        "features" => "features",
        "source type" => "source type",
        "source" => "source",
        "author" => "author",
        "effort" => "effort",
        "impact" => "impact",
        "produces" => "produces",
        "parent" => "parent",
        "verifies" => "verifies",
        "from" => "from",
        "supersedes" => "supersedes",
        "owner" => "owner",
        "date" => "date",
        "source feature" => "source feature",
        _ => return Cow::Owned(s.to_owned()),
    })
}

/// Recognises a field at the start of a line. Returns (name span, value start).
fn field_head(src: &str, line: Span, scope: Scope) -> Option<(Span, usize)> {
    let text = line.text(src);
    // Most lines are prose without a colon near the start: reject them cheaply.
    if memchr::memchr(b':', &text.as_bytes()[..text.len().min(64)]).is_none() {
        return None;
    }
    let indent = text.len() - text.trim_start().len();
    let mut rest = &text[indent..];
    let mut at = line.start + indent;
    // Optional list marker.
    for marker in ["- ", "* ", "+ "] {
        if let Some(r) = rest.strip_prefix(marker) {
            let r2 = r.trim_start();
            at += marker.len() + (r.len() - r2.len());
            rest = r2;
            break;
        }
    }
    let valid_name = |n: &str| {
        !n.is_empty()
            && n.len() <= 40
            && n.chars().next().is_some_and(char::is_alphabetic)
            && if n.is_ascii() {
                n.bytes().all(|c| c.is_ascii_alphanumeric() || b" -_/()'".contains(&c))
            } else {
                n.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '/' | '(' | ')' | '\''))
            }
    };
    for (open, close_in, close_out) in [("**", ":**", "**:"), ("__", ":__", "__:")] {
        if let Some(r) = rest.strip_prefix(open) {
            let limit = r.len().min(48);
            let window = &r[..floor_boundary(r, limit)];
            if !window.as_bytes().contains(&b':') {
                return None;
            }
            if let Some(i) = find_bytes(window, close_in) {
                let name = &r[..i];
                if valid_name(name.trim()) {
                    let ns = at + open.len();
                    return Some((
                        Span::new(ns, ns + name.trim_end().len()),
                        ns + i + close_in.len(),
                    ));
                }
            }
            if let Some(i) = find_bytes(window, close_out) {
                let name = &r[..i];
                if valid_name(name.trim()) {
                    let ns = at + open.len();
                    return Some((
                        Span::new(ns, ns + name.trim_end().len()),
                        ns + i + close_out.len(),
                    ));
                }
            }
            return None;
        }
    }
    // Plain `Name:` for known names only (checked without allocating: this runs on every
    // line of prose).
    let b = rest.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let colon = b.iter().take(32).position(|&c| c == b':')?;
    let name = &rest[..colon];
    let known = match scope {
        Scope::Header => PLAIN_HEADER,
        Scope::Step => PLAIN_STEP_ALL,
    };
    if known.iter().any(|k| same_name(name, k)) {
        Some((Span::new(at, at + name.len()), at + colon + 1))
    } else {
        None
    }
}

/// Compares a written name with a normalised one: ASCII case-insensitive, `-` and `_` as
/// spaces, runs of spaces as one.
fn same_name(written: &str, normalised: &str) -> bool {
    let mut k = normalised.bytes();
    let mut prev_space = true;
    for c in written.trim().bytes() {
        let c = match c {
            b'-' | b'_' | b' ' | b'\t' => b' ',
            c => c.to_ascii_lowercase(),
        };
        if c == b' ' && prev_space {
            continue;
        }
        prev_space = c == b' ';
        if k.next() != Some(c) {
            return false;
        }
    }
    k.next().is_none()
}

/// `haystack.find(needle)` for short needles, without building a searcher.
fn find_bytes(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    let mut i = 0;
    while i + n.len() <= h.len() {
        let at = h[i..h.len() + 1 - n.len()].iter().position(|&c| c == first)? + i;
        if &h[at..at + n.len()] == n {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Is this line the start of a list item? Returns the offset of the item's text.
pub(crate) fn list_marker(src: &str, line: Span) -> Option<usize> {
    let text = line.text(src);
    let t = text.trim_start();
    let indent = text.len() - t.len();
    let b = t.as_bytes();
    let after = if matches!(b.first(), Some(b'-' | b'*' | b'+'))
        && matches!(b.get(1), Some(b' ' | b'\t'))
    {
        1
    } else {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0
            && digits < 10
            && matches!(b.get(digits), Some(b'.' | b')'))
            && matches!(b.get(digits + 1), Some(b' ' | b'\t'))
        {
            digits + 1
        } else {
            return None;
        }
    };
    let mut rest = t[after..].trim_start();
    // A task checkbox.
    for cb in ["[ ] ", "[x] ", "[X] "] {
        if let Some(r) = rest.strip_prefix(cb) {
            rest = r.trim_start();
            break;
        }
    }
    Some(line.start + indent + (t.len() - rest.len()))
}

fn is_indented(src: &str, line: Span) -> bool {
    let t = line.text(src);
    t.starts_with("  ") || t.starts_with('\t')
}

/// Scans `region` for fields. Lines inside code blocks and headings are never fields.
pub(crate) fn scan(src: &str, blocks: &Blocks, region: Span, scope: Scope) -> Vec<Field> {
    let lines = &blocks.lines;
    let first = lines.partition_point(|l| l.start < region.start);
    let last = first + lines[first..].partition_point(|l| l.start < region.end);
    // Each line's field head, computed once (the continuation scan asks again).
    let heads: Vec<Option<(Span, usize)>> = lines[first..last]
        .iter()
        .map(|l| {
            if l.code || l.heading || l.blank {
                None
            } else {
                field_head(src, Span::new(l.start, l.end), scope)
            }
        })
        .collect();
    let head = |k: usize| heads.get(k.wrapping_sub(first)).copied().flatten();
    let mut out: Vec<Field> = Vec::new();
    let mut i = first;
    while i < lines.len() && lines[i].start < region.end {
        let l = lines[i];
        if l.code || l.heading || l.blank {
            i += 1;
            continue;
        }
        let Some((name_span, value_start)) = head(i) else {
            i += 1;
            continue;
        };
        let inline = trim(src, Span::new(value_start.min(l.end), l.end));
        let mut end = l.end;
        let mut items: Vec<Item> = Vec::new();
        let mut j = i + 1;
        let mut last_was_blank = false;
        while j < lines.len() && lines[j].start < region.end {
            let n = lines[j];
            if n.code || n.heading {
                break;
            }
            let nspan = Span::new(n.start, n.end);
            if n.blank {
                if !inline.is_empty() && items.is_empty() {
                    break;
                }
                // Continue over blank lines only into a list or indented text.
                let next = (j + 1..last).find(|&k| !lines[k].blank);
                match next.map(|k| (k, lines[k])) {
                    Some((k, x))
                        if !x.code
                            && !x.heading
                            && (list_marker(src, Span::new(x.start, x.end)).is_some()
                                || is_indented(src, Span::new(x.start, x.end)))
                            && head(k).is_none() => {}
                    _ => break,
                }
                last_was_blank = true;
                j += 1;
                continue;
            }
            if head(j).is_some() {
                break;
            }
            if let Some(text_start) = list_marker(src, nspan) {
                items.push(Item {
                    span: trim(src, Span::new(text_start, n.end)),
                });
            } else if last_was_blank && !is_indented(src, nspan) {
                break;
            } else if let Some(last) = items.last_mut() {
                last.span.end = trim(src, nspan).end.max(last.span.end);
            } else if !inline.is_empty() || items.is_empty() {
                // Lazy continuation of the inline text.
            }
            end = n.end;
            last_was_blank = false;
            j += 1;
        }
        if items.is_empty() && !inline.is_empty() {
            items.push(Item { span: inline });
        }
        let value = trim(src, Span::new(inline.start.min(end), end));
        let name = canonical(name_span.text(src));
        out.push(Field {
            name,
            span: Span::new(name_span.start.saturating_sub(2).max(l.start), end),
            name_span,
            inline,
            value,
            items,
        });
        i = j;
    }
    out
}

/// Trims whitespace off both ends of a span.
pub(crate) fn trim(src: &str, span: Span) -> Span {
    let t = span.text(src);
    let lead = t.len() - t.trim_start().len();
    let trimmed = t.trim();
    Span::new(span.start + lead, span.start + lead + trimmed.len())
}
