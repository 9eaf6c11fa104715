//! An approved plan still contains placeholder text.
//!
//! ## What it does
//! In a plan whose status is `approved`, reports `TBD`, `TODO`, `FIXME` and `TBA` as words,
//! and template placeholders in square brackets such as `[name]` or `[short title]` (lower
//! case words in brackets that are not a link or a checkbox). Code is not searched, except
//! for a code span that holds nothing but a placeholder of several words
//! (`` `[a command that passes]` ``).
//!
//! ## Why is this bad?
//! Approval freezes the plan: a placeholder in a frozen plan is a decision nobody made, and
//! it cannot be filled in later without superseding the plan.
//!
//! ## Example
//! ```markdown
//! **Status:** approved
//! ...
//! Error reporting granularity: TBD.
//! ```
//!
//! ## Use instead
//! ```markdown
//! **Status:** approved
//! ...
//! Error reporting granularity: per item, with `--fail-fast` to stop at the first error.
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "placeholder-text";

use super::{Context, Sink};
use crate::model::Status;
use crate::span::Span;

const WORDS: &[&str] = &["TBD", "TODO", "FIXME", "TBA"];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.plan.status(cx.src) != Some(Status::Approved) {
        return;
    }
    let src = cx.src;
    let in_code = |at: usize| {
        cx.plan.code_blocks.iter().any(|c| c.span.contains(at))
            || cx.plan.code_spans.iter().any(|c| c.contains(at))
    };
    // `` `[a command that passes]` ``: a code span that is nothing but a placeholder of
    // several words (`` `[stage]` `` is more likely a one-element list).
    let whole_code_span = |at: usize, len: usize| {
        let text = &src[at..at + len];
        text.contains(' ')
            && cx
                .plan
                .code_spans
                .iter()
                .any(|c| c.contains(at) && c.text(src).trim_matches('`').trim() == text)
    };
    let in_link = |at: usize| cx.plan.links.iter().any(|l| l.span.contains(at));
    let b = src.as_bytes();
    let boundary = |i: usize| i >= b.len() || !b[i].is_ascii_alphanumeric();
    let mut i = 0;
    while i < b.len() {
        match memchr::memchr3(b'T', b'F', b'[', &b[i..]) {
            Some(k) => i += k,
            None => break,
        }
        let c = b[i];
        if c.is_ascii_uppercase() && (i == 0 || boundary(i - 1)) {
            if let Some(w) = WORDS
                .iter()
                .find(|w| b[i..].starts_with(w.as_bytes()) && boundary(i + w.len()))
                && !in_code(i)
            {
                out.report(
                    Span::new(i, i + w.len()),
                    format!("placeholder `{w}` in an approved plan"),
                )
                .help("decide it before approval, or supersede the plan with one that does");
                i += w.len();
                continue;
            }
        } else if c == b'['
            && let Some(len) = bracket_placeholder(&src[i..])
            && (!in_code(i) || whole_code_span(i, len))
            && !in_link(i)
        {
            out.report(
                Span::new(i, i + len),
                format!(
                    "template placeholder `{}` in an approved plan",
                    &src[i..i + len]
                ),
            )
            .help("replace it with the real value");
            i += len;
            continue;
        }
        i += 1;
    }
}

/// `[name]`, `[short title]`, `[spec or issue link]`: lower-case words in brackets not
/// followed by `(`, `[` or `:` (a link or a link definition).
fn bracket_placeholder(s: &str) -> Option<usize> {
    let close = s[1..].find(']')? + 1;
    let inner = &s[1..close];
    if inner.len() < 3 || inner.len() > 40 {
        return None;
    }
    if !inner
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b' ' || b == b'-' || b == b'_')
    {
        return None;
    }
    if !inner.bytes().next().is_some_and(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let after = s.as_bytes().get(close + 1);
    if matches!(after, Some(b'(' | b'[' | b':')) {
        return None;
    }
    Some(close + 1)
}
