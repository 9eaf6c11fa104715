//! An ExecPlan's steps use acronyms that the plan never defines.
//!
//! ## What it does
//! Collects the acronyms (two to six capital letters, digits after them allowed: `EF`, `TPL`,
//! `S3`) in an ExecPlan's steps, outside code, and reports those that appear nowhere in its
//! Purpose, Context or a Terms / Glossary / Definitions section, and are not spelled out
//! anywhere as `Entity Framework (EF)`. Well-known ones (`API`, `CLI`, `JSON`, `HTTP`, `SQL`,
//! `URL`, `CI`, `PR` and the like) are left alone. One finding per plan, at the first use,
//! listing every term.
//!
//! ## Why is this bad?
//! Seed 001: an ExecPlan must be readable by a newcomer with nothing but the plan. A term the
//! author knows and the reader does not sends the reader (or the agent) to guess.
//!
//! ## Example
//! ```markdown
//! ## Concrete Steps
//!
//! 1. Register the TSR with the EF model cache.
//! ```
//!
//! ## Use instead
//! ```markdown
//! ## Context and Orientation
//!
//! The tenant schema resolver (TSR) picks the SQL schema per request; Entity Framework (EF)
//! caches one model per schema.
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "undefined-term";

use super::{Context, Sink};
use crate::model::{PlanKind, SectionKind};
use crate::span::Span;

/// Acronyms every reader of a software plan knows.
const KNOWN: &[&str] = &[
    "AI", "API", "APIS", "ASCII", "AWS", "CD", "CI", "CLI", "CPU", "CRUD", "CSS", "CSV", "DB",
    "DNS", "DOM", "E2E", "EOF", "FAQ", "GCP", "GPU", "HTML", "HTTP", "HTTPS", "ID", "IDE", "IDS",
    "IO", "IP", "ISO", "JS", "JSON", "JWT", "LLM", "MCP", "MVP", "NOTE", "OK", "OS", "PDF", "PR",
    "PRS", "QA", "RAM", "README", "REST", "SDK", "SQL", "SSH", "SSL", "TCP", "TLS", "TODO", "TS",
    "UDP", "UI", "URI", "URL", "URLS", "UTC", "UTF", "UUID", "UX", "VM", "WIP", "XML", "YAML",
    "TOML", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "AND", "OR", "NOT", "MUST", "SHOULD",
    // Units and file formats.
    "KB", "MB", "GB", "TB", "MS", "PNG", "APNG", "JPG", "JPEG", "GIF", "SVG", "WEBP", "MP3", "MP4",
    "ZIP", "GZ", "TAR", "WASM", "NPM", "GIT",
];

fn is_acronym(w: &str) -> bool {
    let letters = w.bytes().take_while(u8::is_ascii_uppercase).count();
    (2..=6).contains(&letters)
        && w.len() <= 8
        && w[letters..].bytes().all(|b| b.is_ascii_digit())
        && !KNOWN.contains(&w)
}

/// The words of `text` (starting at `at` in the source) with their offsets: runs of ASCII
/// letters and digits (every other byte, multi-byte characters included, separates them). A
/// word joined to the next by `-`, `_` or `.` (`ORD-1001`, `FOO_BAR`), or to the one before by
/// `-` or `_`, is part of a name, not a term.
fn words(text: &str, at: usize) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let joined_after = matches!(bytes.get(i), Some(b'-' | b'_' | b'.'))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
        let joined_before = start > 0 && matches!(bytes[start - 1], b'-' | b'_');
        if !joined_after && !joined_before {
            out.push((at + start, &text[start..i]));
        }
    }
    out
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let plan = cx.plan;
    if plan.kind != PlanKind::ExecPlan || plan.steps.is_empty() {
        return;
    }
    // Both tables are in document order: the one span that could hold `at` is the last to
    // start at or before it.
    let in_code = |at: usize| {
        let span = plan.code_spans.partition_point(|c| c.start <= at);
        let block = plan.code_blocks.partition_point(|b| b.span.start <= at);
        span.checked_sub(1)
            .is_some_and(|i| at < plan.code_spans[i].end)
            || block
                .checked_sub(1)
                .is_some_and(|i| at < plan.code_blocks[i].span.end)
    };
    // Where terms are defined: Purpose, Context, a glossary; and `Spelled Out (TERM)` anywhere.
    let defining = plan.sections.iter().filter(|s| {
        matches!(s.kind, SectionKind::Purpose | SectionKind::Context) || {
            let n = crate::text::normalize_name(&s.title.value);
            ["terms", "glossary", "definitions", "terminology"]
                .iter()
                .any(|t| n.contains(t))
        }
    });
    let mut defined: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for s in defining {
        defined.extend(
            words(s.span.text(cx.src), s.span.start)
                .into_iter()
                .map(|(_, w)| w),
        );
    }
    let src = cx.src;
    let spelled_out = |w: &str| src.contains(&format!("({w})")) || src.contains(&format!("({w}s)"));
    let mut undefined: Vec<(&str, usize)> = Vec::new();
    for step in &plan.steps {
        for (at, w) in words(step.span.text(src), step.span.start) {
            if is_acronym(w)
                && !in_code(at)
                && !defined.contains(w)
                && !spelled_out(w)
                && !undefined.iter().any(|(u, _)| *u == w)
            {
                undefined.push((w, at));
            }
        }
    }
    let Some(&(first, at)) = undefined.iter().min_by_key(|(_, at)| *at) else {
        return;
    };
    let list: Vec<&str> = undefined.iter().map(|(w, _)| *w).collect();
    out.report(
        Span::new(at, at + first.len()),
        format!(
            "the steps use {} not defined in Context or Purpose: {}",
            if list.len() == 1 { "a term" } else { "terms" },
            list.join(", ")
        ),
    )
    .help("say what each one means in `## Context and Orientation`, or spell it out once: `Entity Framework (EF)`");
}
