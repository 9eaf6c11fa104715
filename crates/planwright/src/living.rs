//! Entries at the end of a plan's living sections (Progress, Decision Log, Surprises &
//! Discoveries, Outcomes & Retrospective) as byte-range edits: the one splice `log`, the
//! lifecycle's decision entries and the runner's Progress lines share.

use planwright_core::edit::Edit;
use planwright_core::model::{Plan, SectionKind};

/// Placeholder bodies a template leaves in an empty living section; the first entry replaces
/// them.
const EMPTY: &[&str] = &[
    "None yet.",
    "Not started.",
    "None at this time.",
    "None.",
    "(none)",
];

/// The edit that puts `entry` at the end of the `kind` section, or in a new section at the end
/// of the file.
pub fn edit(src: &str, plan: &Plan, kind: SectionKind, heading: &str, entry: &str) -> Edit {
    let Some(s) = plan.section(kind) else {
        let sep = if src.is_empty() || src.ends_with("\n\n") {
            ""
        } else if src.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        return Edit::insert(src.len(), format!("{sep}## {heading}\n\n{entry}"));
    };
    // The body: after the heading line, up to the next section.
    let body_start = src[s.heading.end..s.span.end]
        .find('\n')
        .map_or(s.span.end, |i| s.heading.end + i + 1);
    let body = &src[body_start..s.span.end];
    let trimmed = body.trim();
    if EMPTY.contains(&trimmed) {
        let at = body_start + body.find(trimmed).unwrap_or(0);
        return Edit::replace(
            planwright_core::Span::new(at, at + trimmed.len()),
            entry.trim_end_matches('\n'),
        );
    }
    if trimmed.is_empty() {
        // An empty section: one blank line after the heading, then the entry.
        let (at, lead) = if body.starts_with("\r\n") {
            (body_start + 2, "")
        } else if body.starts_with('\n') {
            (body_start + 1, "")
        } else {
            (body_start, "\n")
        };
        let tail = if s.span.end < src.len() { "\n" } else { "" };
        return Edit::insert(at, format!("{lead}{entry}{tail}"));
    }
    // After the last line with content; a list continues without a blank line.
    let content_end = body_start + body.trim_end().len();
    let line_end = src[content_end..]
        .find('\n')
        .map_or(src.len(), |i| content_end + i + 1);
    let last_line = src[..content_end]
        .rsplit_once('\n')
        .map_or(&src[..content_end], |(_, l)| l);
    let in_list = last_line.starts_with("- ")
        || last_line.starts_with("* ")
        || last_line.starts_with("  ")
        || last_line.starts_with('\t');
    let lead = if line_end == src.len() && !src.ends_with('\n') {
        if in_list { "\n" } else { "\n\n" }
    } else if in_list {
        ""
    } else {
        "\n"
    };
    Edit::insert(line_end, format!("{lead}{entry}"))
}
