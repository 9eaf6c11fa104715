//! The human format: each finding as rustc shows errors — rule name, location, the source
//! line with a caret, a help line — and a summary.

use crate::check::{FileResult, Finding, Report};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use planwright_core::{LineIndex, Severity};
use std::io::{self, Write};

/// How many source lines of a multi-line span to show.
const MAX_LINES: usize = 4;
/// A quoted source longer than this many bytes is cut to a window around the span: a 1 MB
/// line quoted by each of its 20,000 findings would be 20 GB of output.
const MAX_QUOTE: usize = 480;
/// Bytes of context kept on each side of the span in a cut quote, and of the span itself.
const CONTEXT: usize = 120;

pub fn render(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for file in &report.files {
        if file.findings.is_empty() {
            continue;
        }
        let idx = file.source.as_deref().map(LineIndex::new);
        for f in &file.findings {
            let text = match (&file.source, &idx) {
                (Some(src), Some(idx)) => render_one(&renderer, file, src, idx, f),
                _ => format!(
                    "{}[{}]: {}\n --> {}:{}:{}\n",
                    f.severity, f.rule, f.message, f.file, f.line, f.column
                ),
            };
            writeln!(out, "{text}")?;
            writeln!(out)?;
        }
    }
    summary(report, color, out)
}

fn render_one(
    renderer: &Renderer,
    file: &FileResult,
    src: &str,
    idx: &LineIndex,
    f: &Finding,
) -> String {
    let first = f.line - 1;
    let last = (f.end_line - 1).min(first + MAX_LINES - 1);
    let (start, _) = idx.line_span(src, first);
    let (_, end) = idx.line_span(src, last);
    let snippet_text = &src[start..end];
    let mut s = f.start.clamp(start, end) - start;
    let mut e = f.end.clamp(start, end) - start;
    if e < s {
        e = s;
    }
    while s > 0 && !snippet_text.is_char_boundary(s) {
        s -= 1;
    }
    while e < snippet_text.len() && !snippet_text.is_char_boundary(e) {
        e += 1;
    }
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Info => Level::INFO,
        _ => Level::WARNING,
    };
    let title = level.primary_title(f.message.as_str()).id(f.rule);
    let mut quoted = String::new();
    let mut group = if snippet_text.len() <= MAX_QUOTE {
        title.element(
            Snippet::source(snippet_text)
                .line_start(f.line)
                .path(file.rel.as_str())
                .annotation(AnnotationKind::Primary.span(s..e)),
        )
    } else {
        // A window around the span, marked `…` where cut. The renderer would count the
        // column from the cut line, so the location line is written here.
        let e = e.min(s + CONTEXT);
        let (ws, we) = window(snippet_text, s, e);
        let head = if ws > 0 { "…" } else { "" };
        let tail = if we < snippet_text.len() { "…" } else { "" };
        quoted = format!("{head}{}{tail}", &snippet_text[ws..we]);
        let (s, e) = (s - ws + head.len(), e - ws + head.len());
        title.element(
            Snippet::source(quoted.as_str())
                .line_start(f.line)
                .annotation(AnnotationKind::Primary.span(s..e)),
        )
    };
    if let Some(h) = &f.help {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    let text = renderer.render(&report);
    if quoted.is_empty() {
        return text;
    }
    // After the title line: ` --> path:line:column`, indented like the gutter.
    let (title, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    let pad = " ".repeat(f.end_line.min(f.line + MAX_LINES - 1).to_string().len());
    format!(
        "{title}\n{pad}--> {}:{}:{}\n{rest}",
        file.rel, f.line, f.column
    )
}

/// The byte range of `text` that keeps [`CONTEXT`] bytes on each side of `s..e`, on
/// character boundaries.
fn window(text: &str, s: usize, e: usize) -> (usize, usize) {
    let mut ws = s.saturating_sub(CONTEXT);
    while !text.is_char_boundary(ws) {
        ws -= 1;
    }
    let mut we = (e + CONTEXT).min(text.len());
    while !text.is_char_boundary(we) {
        we += 1;
    }
    (ws, we)
}

/// The closing line: what was checked and what was found.
pub fn summary(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let files = report.files.len();
    let plans = report.plans();
    let with = report
        .files
        .iter()
        .filter(|f| f.findings.iter().any(|d| d.severity > Severity::Info))
        .count();
    let checked = format!(
        "{files} {} ({plans} {})",
        plural(files, "file", "files"),
        plural(plans, "plan", "plans")
    );
    let (bold, red, yellow, green, reset) = if color {
        (
            "\x1b[1m",
            "\x1b[1;31m",
            "\x1b[1;33m",
            "\x1b[1;32m",
            "\x1b[0m",
        )
    } else {
        ("", "", "", "", "")
    };
    let suggestions = if infos > 0 {
        format!("; {infos} {}", plural(infos, "suggestion", "suggestions"))
    } else {
        String::new()
    };
    if errors == 0 && warnings == 0 {
        writeln!(
            out,
            "{green}ok{reset}{bold}: checked {checked}, no problems{reset}{suggestions}"
        )
    } else {
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(format!(
                "{red}{errors} {}{reset}",
                plural(errors, "error", "errors")
            ));
        }
        if warnings > 0 {
            parts.push(format!(
                "{yellow}{warnings} {}{reset}",
                plural(warnings, "warning", "warnings")
            ));
        }
        writeln!(
            out,
            "{bold}checked {checked}:{reset} {} in {with} {}{suggestions}",
            parts.join(", "),
            plural(with, "file", "files")
        )
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_quoted_in_a_window_around_the_span() {
        let line = "x".repeat(1_000_000);
        let (s, e) = window(&line, 500_000, 500_010);
        assert_eq!((s, e), (500_000 - CONTEXT, 500_010 + CONTEXT));
        let (s, e) = window(&line, 3, 5);
        assert_eq!((s, e), (0, 5 + CONTEXT));
        // Character boundaries hold.
        let text = "é".repeat(300);
        let (s, e) = window(&text, 301, 303);
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
    }
}
