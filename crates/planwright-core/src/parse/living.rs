//! The living sections of an ExecPlan (seed 001): Progress, Surprises & Discoveries,
//! Decision Log. Entries are the top-level list items of those sections.

use super::Blocks;
use super::fields::trim;
use crate::model::{DecisionEntry, Plan, ProgressEntry, SectionKind, SurpriseEntry};
use crate::span::Span;
use crate::time::{find_timestamp, parse_leading_timestamp};

pub(crate) fn read(src: &str, blocks: &Blocks, plan: &mut Plan) {
    let sections: Vec<(SectionKind, Span)> = plan
        .sections
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SectionKind::Progress | SectionKind::DecisionLog | SectionKind::Surprises
            )
        })
        .map(|s| (s.kind, s.span))
        .collect();
    for (kind, span) in sections {
        for &item in blocks.items.iter().filter(|i| span.contains(i.start)) {
            match kind {
                SectionKind::Progress => plan.progress.push(progress(src, item)),
                SectionKind::DecisionLog => plan.decisions.push(decision(src, item)),
                SectionKind::Surprises => plan.surprises.push(surprise(src, item)),
                _ => {}
            }
        }
    }
}

/// The text of a list item after its marker.
fn after_marker(src: &str, item: Span) -> Span {
    let t = item.text(src);
    let b = t.as_bytes();
    let mut k = 0;
    if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        k = 1;
    } else {
        while b.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
        if matches!(b.get(k), Some(b'.' | b')')) {
            k += 1;
        }
    }
    trim(src, Span::new(item.start + k, item.end))
}

fn first_line(src: &str, span: Span) -> Span {
    let t = span.text(src);
    let end = t.find('\n').map_or(t.len(), |i| i);
    trim(src, Span::new(span.start, span.start + end))
}

fn progress(src: &str, item: Span) -> ProgressEntry {
    let mut text = after_marker(src, item);
    let t = text.text(src);
    let mut done = false;
    for (cb, d) in [("[ ]", false), ("[x]", true), ("[X]", true)] {
        if let Some(r) = t.strip_prefix(cb) {
            done = d;
            text = trim(src, Span::new(text.end - r.len(), text.end));
            break;
        }
    }
    let t = text.text(src);
    let mut timestamp = None;
    if let Some((ts, used)) = parse_leading_timestamp(t, text.start) {
        timestamp = Some(ts);
        let rest = &t[used..];
        let rest = rest.trim_start_matches([' ', '-', '–', '—', ':']);
        text = trim(src, Span::new(text.end - rest.len(), text.end));
    } else {
        let line = first_line(src, text);
        timestamp = find_timestamp(line.text(src), line.start).or(timestamp);
    }
    ProgressEntry {
        span: item,
        done,
        timestamp,
        text,
    }
}

/// Finds `Label:` (optionally bold, optionally a list item) at the start of a line of `span`;
/// returns the value span up to the end of that line.
fn labelled(src: &str, span: Span, labels: &[&str]) -> Option<Span> {
    let mut pos = span.start;
    for line in span.text(src).split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body
            .trim_start()
            .trim_start_matches(['-', '*', '+', ' '])
            .trim_start_matches("**");
        for label in labels {
            if t.len() > label.len()
                && t.is_char_boundary(label.len())
                && t[..label.len()].eq_ignore_ascii_case(label)
            {
                let rest = t[label.len()..].trim_start_matches("**");
                if let Some(v) = rest.strip_prefix(':') {
                    let v = v.trim_start_matches("**");
                    let vs = start + body.len() - v.len();
                    return Some(trim(src, Span::new(vs, start + body.len())));
                }
            }
        }
    }
    None
}

fn decision(src: &str, item: Span) -> DecisionEntry {
    let text = after_marker(src, item);
    let decision = labelled(src, text, &["Decision"]).unwrap_or_else(|| first_line(src, text));
    let rationale = labelled(src, text, &["Rationale", "Reason", "Why"]);
    let date_line = labelled(src, text, &["Date/Author", "Date"]);
    let date = date_line
        .and_then(|d| find_timestamp(d.text(src), d.start))
        .or_else(|| find_timestamp(first_line(src, text).text(src), text.start));
    let author = labelled(src, text, &["Author", "By"]).or_else(|| {
        // `Date/Author: 2025-11-16, Alex`
        let d = labelled(src, text, &["Date/Author"])?;
        let t = d.text(src);
        let (_, after) = t.split_once([',', '/', ';'])?;
        let s = d.end - after.len();
        let sp = trim(src, Span::new(s, d.end));
        (!sp.is_empty()).then_some(sp)
    });
    DecisionEntry {
        span: item,
        decision,
        rationale,
        date,
        author,
    }
}

fn surprise(src: &str, item: Span) -> SurpriseEntry {
    let text = after_marker(src, item);
    let observation =
        labelled(src, text, &["Observation"]).unwrap_or_else(|| first_line(src, text));
    let evidence = labelled(src, text, &["Evidence"]);
    let timestamp = find_timestamp(first_line(src, text).text(src), text.start);
    SurpriseEntry {
        span: item,
        observation,
        evidence,
        timestamp,
    }
}
