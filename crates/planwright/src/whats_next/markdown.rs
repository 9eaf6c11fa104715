//! The report as Markdown, and keeping an agent's narrative across rewrites.

use super::*;

/// The Generated time of a report's text.
pub fn generated_of(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("**Generated:**"))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// How many completed plans the first report lists.
const FIRST_COMPLETED: usize = 20;

/// The report as Markdown, in the source document's structure.
pub fn to_markdown(w: &WhatsNext) -> String {
    let mut m = format!(
        "# What's Next\n\n**Generated:** {}\n**Mode:** {}{}\n\nWritten by `planwright report next` from the plans, their work items and git; regenerate it rather than editing it.\n\n## Completed Since Last Update\n\n",
        w.generated,
        w.mode,
        if w.mode_note.is_empty() {
            String::new()
        } else {
            format!(" ({})", w.mode_note)
        }
    );
    if w.since.is_none() {
        let _ = writeln!(
            m,
            "First report: {} plan{} completed so far.{}",
            w.completed_total,
            if w.completed_total == 1 { "" } else { "s" },
            if w.completed.is_empty() { "" } else { "\n" }
        );
    } else if w.completed.is_empty() {
        let _ = writeln!(
            m,
            "Nothing completed since {}.",
            w.since.as_deref().unwrap_or("-")
        );
    }
    let shown = if w.since.is_none() {
        FIRST_COMPLETED
    } else {
        usize::MAX
    };
    for c in w.completed.iter().take(shown) {
        let _ = writeln!(
            m,
            "- [{}]({}) — completed {}",
            c.plan,
            link(&c.file),
            c.completed_at
                .as_deref()
                .map_or("-", |t| t.get(..10).unwrap_or(t))
        );
    }
    if w.completed.len() > shown {
        let _ = writeln!(m, "- and {} more", w.completed.len() - shown);
    }
    m.push_str("\n## In Progress\n\n");
    if w.in_progress.is_empty() {
        m.push_str("Nothing in progress.\n");
    }
    for p in &w.in_progress {
        let _ = writeln!(m, "- [{}]({}) — {}", p.plan, link(&p.file), p.summary);
    }
    m.push_str("\n## Recommended Next\n\n");
    if w.recommended.is_empty() {
        m.push_str(if w.waiting.is_empty() {
            "Nothing to start: every plan is completed, in progress or superseded.\n"
        } else {
            "Nothing to start: every plan not started waits for an earlier one.\n"
        });
    }
    for r in &w.recommended {
        let _ = writeln!(
            m,
            "{}. **[{}]({})** — {}",
            r.rank,
            r.plan,
            link(&r.file),
            r.reason
        );
    }
    if w.candidates > w.recommended.len() {
        let _ = writeln!(
            m,
            "\n{} more plan{} could start; `planwright report next --limit N` lists more.",
            w.candidates - w.recommended.len(),
            if w.candidates - w.recommended.len() == 1 {
                ""
            } else {
                "s"
            }
        );
    }
    m.push_str("\n### Reasoning\n\n");
    for l in &w.reasoning {
        let _ = writeln!(m, "- {l}");
    }
    m.push_str("\n## Outstanding Questions\n\n");
    if w.questions.is_empty() {
        m.push_str("None at this time.\n");
    }
    for q in &w.questions {
        let _ = writeln!(m, "- [{}]({}): {}", q.plan, link(&q.file), q.question);
    }
    m
}

/// The sections of a report by heading, in order: (heading line, body).
pub(super) fn sections(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") || line.starts_with("### ") {
            starts.push(at);
        }
        at += line.len();
    }
    for (i, &s) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let block = &text[s..end];
        let nl = block.find('\n').map_or(block.len(), |n| n + 1);
        out.push((block[..nl].trim_end(), &block[nl..]));
    }
    out
}

/// The previous report's narrative (the text after the marker in Reasoning), when the
/// ranking it was written for still holds.
pub(super) fn kept_narrative<'a>(old: &'a str, new: &str) -> Option<&'a str> {
    let old_sections = sections(old);
    let new_sections = sections(new);
    fn body<'s>(s: &[(&'s str, &'s str)], h: &str) -> Option<&'s str> {
        s.iter().find(|(x, _)| *x == h).map(|(_, b)| *b)
    }
    let recommended = "## Recommended Next";
    if body(&old_sections, recommended)? != body(&new_sections, recommended)? {
        return None;
    }
    let reasoning = body(&old_sections, "### Reasoning")?;
    let at = reasoning.find(NARRATIVE)?;
    Some(&reasoning[at..])
}

/// The report's text with `narrative` in Reasoning.
pub(super) fn with_narrative(text: &str, narrative: &str) -> String {
    let Some(at) = text.find("\n## Outstanding Questions") else {
        return text.to_owned();
    };
    let narrative = narrative.trim_end();
    format!("{}\n{narrative}\n{}", &text[..at], &text[at..])
}
