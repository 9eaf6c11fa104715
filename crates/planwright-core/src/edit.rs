//! Edits to plan files as byte-range splices: everything outside an edited range stays
//! byte-identical, and inserted text takes the file's own line endings. Markdown is never
//! re-rendered.

use crate::span::Span;
use std::fmt;

/// Replace the bytes of `span` with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn replace(span: Span, text: impl Into<String>) -> Self {
        Edit {
            span,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            span: Span::empty(at),
            text: text.into(),
        }
    }
}

/// Edits that cannot be applied together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    OutOfBounds(Span),
    NotCharBoundary(Span),
    Overlap(Span, Span),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::OutOfBounds(s) => {
                write!(f, "edit {}..{} is outside the file", s.start, s.end)
            }
            EditError::NotCharBoundary(s) => {
                write!(f, "edit {}..{} splits a character", s.start, s.end)
            }
            EditError::Overlap(a, b) => write!(
                f,
                "edits {}..{} and {}..{} overlap",
                a.start, a.end, b.start, b.end
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// The line ending a file uses: `\r\n` when its first line ends so, else `\n`.
pub fn line_ending(src: &str) -> &'static str {
    match src.find('\n') {
        Some(i) if i > 0 && src.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Applies edits (in any order; they must not overlap) and returns the new text. Inserted
/// text written with `\n` gets the file's line ending.
pub fn apply(src: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    for e in &sorted {
        if e.span.end > src.len() || e.span.start > e.span.end {
            return Err(EditError::OutOfBounds(e.span));
        }
        if !src.is_char_boundary(e.span.start) || !src.is_char_boundary(e.span.end) {
            return Err(EditError::NotCharBoundary(e.span));
        }
    }
    for w in sorted.windows(2) {
        // Two insertions at one place are fine (kept in the given order); ranges may touch.
        if w[1].span.start < w[0].span.end {
            return Err(EditError::Overlap(w[0].span, w[1].span));
        }
    }
    let eol = line_ending(src);
    let mut out =
        String::with_capacity(src.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for e in sorted {
        out.push_str(&src[pos..e.span.start]);
        if eol == "\n" {
            out.push_str(&e.text);
        } else {
            out.push_str(&e.text.replace("\r\n", "\n").replace('\n', eol));
        }
        pos = e.span.end;
    }
    out.push_str(&src[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_keep_the_rest_and_the_line_endings() {
        let src = "a\r\nStatus: draft\r\nz\r\n";
        let at = src.find("draft").unwrap();
        let out = apply(
            src,
            &[
                Edit::replace(Span::new(at, at + 5), "approved"),
                Edit::insert(src.len() - 3, "x\ny\n"),
            ],
        )
        .unwrap();
        assert_eq!(out, "a\r\nStatus: approved\r\nx\r\ny\r\nz\r\n");
        assert!(
            apply(
                "ab",
                &[
                    Edit::replace(Span::new(0, 2), ""),
                    Edit::replace(Span::new(1, 2), "")
                ]
            )
            .is_err()
        );
        assert!(apply("é", &[Edit::replace(Span::new(1, 2), "")]).is_err());
    }
}
