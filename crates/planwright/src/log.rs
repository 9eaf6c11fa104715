//! `planwright log`: timestamped entries appended to a plan's living sections (seed 001's
//! ExecPlan style), by byte-range splice. The living sections are outside the freeze, so an
//! approved plan stays approved.

use planwright_core::edit::apply;
use planwright_core::model::SectionKind;

use crate::error::Error;
use crate::living::edit;
use crate::workspace::{Changes, Workspace, read, refuse};

/// Which living section an entry goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `- [x] (2026-11-21 14:05Z) text` under Progress
    Progress,
    /// Decision / Rationale / Date/Author under Decision Log
    Decision,
    /// Observation / Evidence under Surprises & Discoveries
    Surprise,
    /// A dated entry under Outcomes & Retrospective
    Outcome,
}

impl Kind {
    fn section(self) -> (SectionKind, &'static str) {
        match self {
            Kind::Progress => (SectionKind::Progress, "Progress"),
            Kind::Decision => (SectionKind::DecisionLog, "Decision Log"),
            Kind::Surprise => (SectionKind::Surprises, "Surprises & Discoveries"),
            Kind::Outcome => (SectionKind::Outcomes, "Outcomes & Retrospective"),
        }
    }
}

/// What to log.
pub struct Entry<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub evidence: Option<&'a str>,
    pub rationale: Option<&'a str>,
    pub author: Option<&'a str>,
    /// `YYYY-MM-DD HH:MMZ`; now when absent.
    pub at: Option<&'a str>,
    /// A progress item still to do (`- [ ]`).
    pub open: bool,
}

/// The entry's lines, each ending in `\n`.
fn render(e: &Entry<'_>, date: &str, time: &str, author: &str) -> String {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = one_line(e.text);
    match e.kind {
        Kind::Progress => format!(
            "- [{}] ({date} {time}) {text}\n",
            if e.open { ' ' } else { 'x' }
        ),
        Kind::Outcome => format!("- ({date} {time}) {text}\n"),
        Kind::Surprise => {
            let mut s = format!("- Observation: {text}\n");
            if let Some(ev) = e.evidence {
                s.push_str(&format!("  Evidence: {}\n", one_line(ev)));
            }
            s
        }
        Kind::Decision => {
            let mut s = format!("- Decision: {text}\n");
            if let Some(r) = e.rationale {
                s.push_str(&format!("  Rationale: {}\n", one_line(r)));
            }
            s.push_str(&format!("  Date/Author: {date}, {author}\n"));
            s
        }
    }
}

/// Appends one entry to a plan's living section.
pub fn log(ws: &Workspace, arg: &str, e: &Entry<'_>, dry_run: bool) -> Result<Changes, Error> {
    let mut changes = Changes::new(dry_run);
    if e.text.trim().is_empty() {
        return Err(crate::error::usage(
            "the entry is empty\n  help: say what happened, in a sentence",
        ));
    }
    let (date, time) = match e.at {
        Some(at) => parse_at(at)?,
        None => crate::clock::now(),
    };
    // Only a decision names its author (and finding it may ask git).
    let author = if e.kind == Kind::Decision {
        crate::git::actor(&ws.root, e.author)
    } else {
        String::new()
    };
    if e.kind != Kind::Surprise && e.evidence.is_some() {
        return Err(crate::error::usage("--evidence goes with a surprise entry"));
    }
    if e.kind != Kind::Decision && e.rationale.is_some() {
        return Err(crate::error::usage(
            "--rationale goes with a decision entry",
        ));
    }
    if e.kind != Kind::Progress && e.open {
        return Err(crate::error::usage("--open goes with a progress entry"));
    }
    let t = ws.resolve(arg)?;
    let _lock = ws.lock(dry_run)?;
    let (src, plan) = read(&t)?;
    let (kind, heading) = e.kind.section();
    let entry = render(e, &date, &time, &author);
    let new = apply(&src, &[edit(&src, &plan, kind, heading, &entry)])
        .map_err(|err| refuse(err.to_string()))?;
    changes.commit(ws, &t, &src, &new)?;
    changes.plan(&t);
    if !dry_run {
        changes.say(format!("{}: logged under {heading}", t.rel));
    }
    Ok(changes)
}

/// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[Z]` (also with a `T`).
fn parse_at(at: &str) -> Result<(String, String), Error> {
    let bad = || {
        crate::error::usage(format!(
            "`{at}` is not a time planwright can log\n  help: write `2026-11-21 14:05Z` or `2026-11-21`"
        ))
    };
    let (d, t) = match at.trim().split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim_end_matches('Z'))),
        None => (at.trim(), None),
    };
    let db = d.as_bytes();
    let date_ok = db.len() == 10
        && db[4] == b'-'
        && db[7] == b'-'
        && db
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !date_ok {
        return Err(bad());
    }
    let time = match t {
        None => "00:00Z".to_owned(),
        Some(t) => {
            let (h, m) = t.split_once(':').ok_or_else(bad)?;
            let m = m.get(..2).unwrap_or(m);
            match (h.parse::<u8>(), m.parse::<u8>()) {
                (Ok(h), Ok(m)) if h < 24 && m < 60 => format!("{h:02}:{m:02}Z"),
                _ => return Err(bad()),
            }
        }
    };
    Ok((d.to_owned(), time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn logged(src: &str, kind: SectionKind, heading: &str, entry: &str) -> String {
        let plan = planwright_core::read(src, planwright_core::KindHint::Plan);
        apply(src, &[edit(src, &plan, kind, heading, entry)]).expect("apply")
    }

    #[test]
    fn entries_continue_a_list_and_replace_a_placeholder() {
        let src = "# ExecPlan: x\n\n## Progress\n\n- [x] (2026-11-20 09:00Z) One\n\n## Decision Log\n\nNone yet.\n";
        let out = logged(
            src,
            SectionKind::Progress,
            "Progress",
            "- [x] (2026-11-21 10:00Z) Two\n",
        );
        assert_eq!(
            out,
            "# ExecPlan: x\n\n## Progress\n\n- [x] (2026-11-20 09:00Z) One\n- [x] (2026-11-21 10:00Z) Two\n\n## Decision Log\n\nNone yet.\n"
        );
        let out = logged(
            &out,
            SectionKind::DecisionLog,
            "Decision Log",
            "- Decision: d\n  Date/Author: 2026-11-21, @a\n",
        );
        assert!(
            out.ends_with("## Decision Log\n\n- Decision: d\n  Date/Author: 2026-11-21, @a\n"),
            "{out}"
        );
    }

    #[test]
    fn an_empty_section_gets_a_blank_line_then_the_entry() {
        let src = "# ExecPlan: x\n\n## Progress\n\n## Decision Log\n\nNone.\n";
        let out = logged(
            src,
            SectionKind::Progress,
            "Progress",
            "- [x] (2026-11-21 10:00Z) One\n",
        );
        assert_eq!(
            out,
            "# ExecPlan: x\n\n## Progress\n\n- [x] (2026-11-21 10:00Z) One\n\n## Decision Log\n\nNone.\n"
        );
    }

    #[test]
    fn a_missing_section_is_created_at_the_end() {
        let out = logged(
            "# Plan: x\n\n## Steps\n",
            SectionKind::Surprises,
            "Surprises & Discoveries",
            "- Observation: o\n",
        );
        assert_eq!(
            out,
            "# Plan: x\n\n## Steps\n\n## Surprises & Discoveries\n\n- Observation: o\n"
        );
        let out = logged(
            "# Plan: x",
            SectionKind::Progress,
            "Progress",
            "- [x] (d) p\n",
        );
        assert_eq!(out, "# Plan: x\n\n## Progress\n\n- [x] (d) p\n");
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let src = "# ExecPlan: x\r\n\r\n## Progress\r\n\r\n- [x] (2026-11-20 09:00Z) One\r\n";
        let out = logged(
            src,
            SectionKind::Progress,
            "Progress",
            "- [x] (2026-11-21 10:00Z) Two\n",
        );
        assert_eq!(out, format!("{src}- [x] (2026-11-21 10:00Z) Two\r\n"));
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_at("2026-11-21 14:05Z").expect("ok"),
            ("2026-11-21".into(), "14:05Z".into())
        );
        assert_eq!(parse_at("2026-11-21T14:05:33Z").expect("ok").1, "14:05Z");
        assert_eq!(parse_at("2026-11-21").expect("ok").1, "00:00Z");
        assert!(parse_at("yesterday").is_err() && parse_at("2026-11-21 25:00").is_err());
    }

    proptest! {
        /// Everything before the insertion point stays byte-identical, and the entry lands in
        /// the section it was meant for.
        #[test]
        fn logging_only_adds(
            body in "[a-z \\-\\[\\]\\n]{0,80}",
            after in proptest::option::of("[a-z \\n]{0,40}"),
        ) {
            let src = match &after {
                Some(a) => format!("# ExecPlan: x\n\n## Progress\n\n{body}\n## Decision Log\n\n{a}"),
                None => format!("# ExecPlan: x\n\n## Progress\n\n{body}"),
            };
            let entry = "- [x] (2026-11-21 10:00Z) logged\n";
            let out = logged(&src, SectionKind::Progress, "Progress", entry);
            let plan = planwright_core::read(&out, planwright_core::KindHint::Plan);
            let s = plan.section(SectionKind::Progress).expect("progress");
            prop_assert!(out[s.span.start..s.span.end].contains("logged"), "{out}");
            let kept = src.find("## Progress").expect("heading") + "## Progress\n".len();
            prop_assert_eq!(&out[..kept], &src[..kept]);
        }
    }
}
