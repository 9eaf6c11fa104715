//! Fields: `**Name:** value`, `**Name**: value`, and plain `Name: value` for known names,
//! with the list items that follow them.

use super::Blocks;
use crate::model::{Field, Item, Items};
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

/// The first letters (either case) of a list of plain names.
const fn first_letters(names: &[&str]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < names.len() {
        let c = names[i].as_bytes()[0];
        t[c.to_ascii_lowercase() as usize] = true;
        t[c.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    t
}

static HEADER_STARTS: [bool; 256] = first_letters(PLAIN_HEADER);
static STEP_STARTS: [bool; 256] = first_letters(PLAIN_STEP_ALL);

/// Maps the spellings people use to one canonical field name. Known names come back
/// borrowed; only unknown ones allocate.
pub(crate) fn canonical(name: &str) -> Cow<'static, str> {
    // The spellings of the format itself, as written in almost every plan.
    let exact = match name.as_bytes() {
        b"Depends on" => "depends on",
        b"Produces" => "produces",
        b"Acceptance criteria" => "acceptance criteria",
        b"Verify" => "verify",
        b"Status" => "status",
        b"Features" => "features",
        b"Source type" => "source type",
        b"Source" => "source",
        b"Author" => "author",
        b"Created" => "created",
        b"Approver" => "approver",
        b"Approved" => "approved",
        b"Effort" => "effort",
        b"Impact" => "impact",
        _ => "",
    };
    if !exact.is_empty() {
        return Cow::Borrowed(exact);
    }
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
    let s = &buf[..n];
    Cow::Borrowed(match s {
        b"depends" | b"dependencies" | b"dependson" | b"depends upon" | b"dependency"
        | b"depends on" => "depends on",
        b"acceptance" | b"acceptance criterion" | b"acceptance criteria" => "acceptance criteria",
        b"verification" | b"verify command" | b"verify commands" | b"verified by" | b"check"
        | b"verify" => "verify",
        b"estimated effort" | b"estimated" | b"time estimate" | b"estimate" => "estimate",
        b"successor" | b"replaced by" | b"superseded by" => "superseded by",
        b"approved by" | b"approver" => "approver",
        b"created at" | b"created on" | b"date created" | b"created" => "created",
        b"approved at" | b"approved on" | b"approval date" | b"approved" => "approved",
        b"status" => "status",
        b"features" => "features",
        b"source type" => "source type",
        b"source" => "source",
        b"author" => "author",
        b"effort" => "effort",
        b"impact" => "impact",
        b"produces" => "produces",
        b"parent" => "parent",
        b"verifies" => "verifies",
        b"from" => "from",
        b"supersedes" => "supersedes",
        b"owner" => "owner",
        b"date" => "date",
        b"source feature" => "source feature",
        _ => return Cow::Owned(String::from_utf8_lossy(s).into_owned()),
    })
}

/// Which ASCII bytes a field name may hold: letters, digits and ` -_/()'`.
static NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(b, b' ' | b'-' | b'_' | b'/' | b'(' | b')' | b'\'');
        c += 1;
    }
    t
};

/// The name written between `s` and `e` (the bold markers excluded) when it is a valid field
/// name: the span from `s` to its last non-space character.
fn bold_name(src: &str, s: usize, e: usize) -> Option<Span> {
    let b = src.as_bytes().get(s..e)?;
    let (mut a, mut z) = (0, b.len());
    while a < z && b[a].is_ascii_whitespace() {
        a += 1;
    }
    while z > a && b[z - 1].is_ascii_whitespace() {
        z -= 1;
    }
    let n = &b[a..z];
    let ascii_ok = !n.is_empty()
        && n.len() <= 40
        && n[0].is_ascii_alphabetic()
        && n.iter().all(|&c| NAME_BYTE[usize::from(c)]);
    if ascii_ok {
        return Some(Span::new(s, s + z));
    }
    if n.is_ascii() {
        return None;
    }
    // Names in other scripts: the same test on characters.
    let name = src.get(s..e)?;
    let t = name.trim();
    let ok = !t.is_empty()
        && t.len() <= 40
        && t.chars().next().is_some_and(char::is_alphabetic)
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '/' | '(' | ')' | '\''));
    ok.then(|| Span::new(s, s + name.trim_end().len()))
}

/// Recognises a field at the start of a line. Returns (name span, value start).
fn field_head(src: &str, line: Span, scope: Scope) -> Option<(Span, usize)> {
    // Byte-level: this runs on every line of every plan. All the bytes looked at are ASCII,
    // so every offset computed here is a character boundary.
    let bytes = src.as_bytes().get(line.start..line.end)?;
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    // Optional list marker.
    if i + 1 < bytes.len() && matches!(bytes[i], b'-' | b'*' | b'+') && bytes[i + 1] == b' ' {
        i += 2;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
    }
    let rest = &bytes[i..];
    let at = line.start + i;
    let first = *rest.first()?;
    if first == b'*' || first == b'_' {
        if rest.get(1) != Some(&first) {
            return None;
        }
        return bold_head(src, at + 2, &rest[2..], first);
    }
    // Plain `Name:` for known names only: most prose leaves at its first letter.
    let starts = match scope {
        Scope::Header => &HEADER_STARTS,
        Scope::Step => &STEP_STARTS,
    };
    if !starts[usize::from(first)] {
        return None;
    }
    // The longest plain name is 19 bytes ("acceptance criteria").
    let colon = rest[..rest.len().min(24)].iter().position(|&c| c == b':')?;
    let name = src.get(at..at + colon)?;
    let known = match scope {
        Scope::Header => PLAIN_HEADER,
        Scope::Step => PLAIN_STEP_ALL,
    };
    if known.iter().any(|k| same_name(name, k)) {
        Some((Span::new(at, at + colon), at + colon + 1))
    } else {
        None
    }
}

/// A bold field name (`r` is the text after the opening marks, `first` the mark character,
/// `ns` where `r` starts).
fn bold_head(src: &str, ns: usize, r: &[u8], first: u8) -> Option<(Span, usize)> {
    let window = &r[..r.len().min(48)];
    // First `:**` (colon inside the bold), else first `**:` (colon outside); a plain loop,
    // the window being too short for a vector search, that stops at the usual first hit.
    let inside = (0..window.len()).find(|&k| {
        window[k] == b':' && r.get(k + 1) == Some(&first) && r.get(k + 2) == Some(&first)
    });
    if let Some(k) = inside
        && let Some(name) = bold_name(src, ns, ns + k)
    {
        return Some((name, ns + k + 3));
    }
    let outside =
        (2..window.len()).find(|&k| window[k] == b':' && r[k - 1] == first && r[k - 2] == first);
    if let Some(k) = outside
        && let Some(name) = bold_name(src, ns, ns + k - 2)
    {
        return Some((name, ns + k + 1));
    }
    None
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

/// Is this line the start of a list item? Returns the offset of the item's text.
pub(crate) fn list_marker(src: &str, line: Span) -> Option<usize> {
    let b = src.as_bytes().get(line.start..line.end)?;
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if b.get(i).is_some_and(|c| *c >= 0x80) {
        // Leading Unicode spaces: the general path.
        return list_marker_slow(src, line);
    }
    let after = if matches!(b.get(i), Some(b'-' | b'*' | b'+'))
        && matches!(b.get(i + 1), Some(b' ' | b'\t'))
    {
        i + 1
    } else {
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0
            && digits < 10
            && matches!(b.get(i + digits), Some(b'.' | b')'))
            && matches!(b.get(i + digits + 1), Some(b' ' | b'\t'))
        {
            i + digits + 1
        } else {
            return None;
        }
    };
    let mut k = after;
    while k < b.len() && b[k].is_ascii_whitespace() {
        k += 1;
    }
    if b.get(k).is_some_and(|c| *c >= 0x80) {
        return list_marker_slow(src, line);
    }
    // A task checkbox.
    if b.len() >= k + 4 && matches!(&b[k..k + 4], b"[ ] " | b"[x] " | b"[X] ") {
        k += 4;
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        if b.get(k).is_some_and(|c| *c >= 0x80) {
            return list_marker_slow(src, line);
        }
    }
    Some(line.start + k)
}

fn list_marker_slow(src: &str, line: Span) -> Option<usize> {
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
    scan_from(src, blocks, region, scope, &mut Cursor::default())
}

/// Where [`scan_from`] left off, and its table of field heads (kept from region to region).
#[derive(Default)]
pub(crate) struct Cursor {
    line: usize,
    heads: Vec<Option<(Span, usize)>>,
}

/// [`scan`], for regions in document order: `cursor` starts at a line at or before the
/// region's first line and is left at the line after it, where the next region starts.
/// Regions following each other are then found by stepping over a line or two instead of a
/// search of the whole table per region.
pub(crate) fn scan_from(
    src: &str,
    blocks: &Blocks,
    region: Span,
    scope: Scope,
    cursor: &mut Cursor,
) -> Vec<Field> {
    let all = &blocks.lines;
    let mut first = cursor.line.min(all.len());
    if first > 0 && all[first - 1].start >= region.start {
        first = all.partition_point(|l| l.start < region.start);
    }
    while first < all.len() && all[first].start < region.start {
        first += 1;
    }
    let mut last = first;
    while last < all.len() && all[last].start < region.end {
        last += 1;
    }
    cursor.line = last;
    let lines = &all[first..last];
    // Every line's field head, once: the field loop and its continuation both ask for it.
    let heads = &mut cursor.heads;
    heads.clear();
    heads.extend(lines.iter().map(|l| {
        if l.code || l.heading || l.blank {
            None
        } else {
            field_head(src, Span::new(l.start, l.end), scope)
        }
    }));
    let mut out: Vec<Field> = Vec::with_capacity(if scope == Scope::Step { 6 } else { 10 });
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let Some((name_span, value_start)) = heads[i] else {
            i += 1;
            continue;
        };
        let inline = trim(src, Span::new(value_start.min(l.end), l.end));
        let mut end = l.end;
        let mut items = Items::new();
        let mut j = i + 1;
        let mut last_was_blank = false;
        while j < lines.len() {
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
                let next = (j + 1..lines.len()).find(|&k| !lines[k].blank);
                match next.map(|k| (k, lines[k])) {
                    Some((k, x))
                        if heads[k].is_none()
                            && !x.code
                            && !x.heading
                            && (list_marker(src, Span::new(x.start, x.end)).is_some()
                                || is_indented(src, Span::new(x.start, x.end))) => {}
                    _ => break,
                }
                last_was_blank = true;
                j += 1;
                continue;
            }
            if heads[j].is_some() {
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
            }
            // Otherwise a lazy continuation of the inline text.
            end = n.end;
            last_was_blank = false;
            j += 1;
        }
        // A value on the field's line alone is its inline text, already trimmed.
        let value = if end == l.end {
            inline
        } else {
            trim(src, Span::new(inline.start.min(end), end))
        };
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

/// Trims whitespace off both ends of a span (ASCII fast path; Unicode spaces at an edge
/// fall back to `str::trim`).
pub(crate) fn trim(src: &str, span: Span) -> Span {
    let Some(b) = src.as_bytes().get(span.start..span.end) else {
        return Span::empty(span.start.min(src.len()));
    };
    let mut s = 0;
    let mut e = b.len();
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    if s < e && (b[s] >= 0x80 || b[e - 1] >= 0x80) {
        let t = &src[span.start + s..span.start + e];
        let lead = t.len() - t.trim_start().len();
        let trimmed = t.trim();
        return Span::new(span.start + s + lead, span.start + s + lead + trimmed.len());
    }
    Span::new(span.start + s, span.start + e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_names() {
        fn head(l: &str) -> Option<(&str, usize)> {
            field_head(l, Span::new(0, l.len()), Scope::Step).map(|(n, v)| (&l[n.range()], v))
        }
        assert_eq!(head("**Depends on:** Step 1"), Some(("Depends on", 15)));
        assert_eq!(head("**Depends on**: Step 1"), Some(("Depends on", 15)));
        assert_eq!(head("- **Verify:** `x`"), Some(("Verify", 13)));
        assert_eq!(head("** Status :** x"), Some((" Status", 13)));
        assert_eq!(head("**1st:** x"), None);
        assert_eq!(head("**Note** this: x"), None);
    }
}
