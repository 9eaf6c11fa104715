//! One file's line of the check cache: how a result and what it depends on are written, and
//! read back. A line is a JSON object whose first key is the file's path (`rel`, the key
//! [`crate::jsonl::Records`] finds it by) and whose last is its summary, read only when the
//! views need it.

use super::super::{FileResult, Finding};
use super::Stamp;
use crate::discover::Target;
use crate::fsenv::{Answer, Stat};
use planwright_core::PlanKind;
use planwright_core::views::Summary;
use serde::{Deserialize, Serialize};

/// A result's file and the answers its check was given.
pub(super) struct Provenance<'a> {
    /// How the file was read (its kind hint).
    pub(super) hint: &'a str,
    pub(super) stat: Stat,
    /// Whether `stat` alone vouches for the bytes (see [`Stat::vouches`]).
    pub(super) trusted: bool,
    /// The bytes' hash: what decides once the `stat` no longer vouches (a file touched, or
    /// a fresh checkout of the same content).
    pub(super) hash: &'a str,
    pub(super) asked: &'a [(String, Answer)],
    pub(super) git: bool,
}

/// This build's name for a rule, when it has that rule.
pub(super) fn rule_named(name: &str) -> Option<&'static str> {
    planwright_core::rules::rule(name).map(|r| r.name)
}

/// A file's line as written.
#[derive(Serialize)]
pub(super) struct LineOut<'a> {
    rel: &'a str,
    hint: &'a str,
    stat: Stat,
    trusted: bool,
    hash: &'a str,
    asked: &'a [(String, Answer)],
    git: bool,
    kind: PlanKind,
    self_containment: f64,
    findings: &'a [Finding],
    summary: Option<&'a Summary>,
}

/// A file's line as read.
#[derive(Deserialize)]
pub(super) struct Line {
    pub(super) rel: String,
    pub(super) hint: String,
    pub(super) stat: Stat,
    pub(super) trusted: bool,
    pub(super) hash: String,
    pub(super) asked: Vec<(String, Answer)>,
    pub(super) git: bool,
    pub(super) kind: PlanKind,
    pub(super) self_containment: f64,
    pub(super) findings: Vec<FindingIn>,
    /// Read only when the views need it (see [`super::Cache::fill_summaries`]).
    #[allow(dead_code)]
    pub(super) summary: serde::de::IgnoredAny,
}

/// A file's line, for its summary alone.
#[derive(Deserialize)]
pub(super) struct SummaryOnly {
    summary: Option<Summary>,
}

/// A [`Finding`] as read: its rule by name.
#[derive(Deserialize)]
pub(super) struct FindingIn {
    rule: String,
    severity: planwright_core::Severity,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: String,
    help: Option<String>,
    start: usize,
    end: usize,
}

impl FindingIn {
    /// The finding, when its rule is one of this build's.
    fn finding(self) -> Option<Finding> {
        Some(Finding {
            rule: rule_named(&self.rule)?,
            severity: self.severity,
            file: self.file,
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
            message: self.message,
            help: self.help,
            start: self.start,
            end: self.end,
        })
    }
}

/// A result's line for the cache, ending with a newline.
pub(super) fn new_line(f: &FileResult, p: &Provenance) -> Option<Stamp> {
    let line = LineOut {
        rel: &f.rel,
        hint: p.hint,
        stat: p.stat,
        trusted: p.trusted,
        hash: p.hash,
        asked: p.asked,
        git: p.git,
        kind: f.kind,
        self_containment: f.self_containment,
        findings: &f.findings,
        summary: f.summary.as_deref(),
    };
    // Most lines fit in one allocation this size, made to measure at the end.
    let mut json = Vec::with_capacity(4096);
    serde_json::to_writer(&mut json, &line).ok()?;
    json.push(b'\n');
    json.shrink_to_fit();
    Some(Stamp::New(json))
}

/// A line's summary, read alone. A line ends with its summary (`,"summary":…}`); no other key
/// in a line is named `summary`, and a key's quotes cannot appear bare inside a string, so the
/// last `,"summary":` is the line's own. Reading only that part skips the rest of the line
/// (a one-plan change parses the summaries of all 10,000 kept lines for the views).
pub(super) fn summary(line: &[u8]) -> Result<Option<Summary>, serde_json::Error> {
    const KEY: &[u8] = b",\"summary\":";
    let line = line.trim_ascii_end();
    match memchr::memmem::rfind(line, KEY) {
        Some(at) if line.ends_with(b"}") => {
            serde_json::from_slice(&line[at + KEY.len()..line.len() - 1])
        }
        _ => serde_json::from_slice::<SummaryOnly>(line).map(|s| s.summary),
    }
}

/// A cached line's result (its summary left for [`super::Cache::fill_summaries`]), when every
/// finding's rule is one of this build's.
pub(super) fn result(line: Line, stamp: Option<Stamp>) -> Option<FileResult> {
    let findings = line
        .findings
        .into_iter()
        .map(FindingIn::finding)
        .collect::<Option<_>>()?;
    Some(FileResult {
        rel: line.rel,
        kind: line.kind,
        self_containment: line.self_containment,
        findings,
        source: None,
        io_error: None,
        summary: None,
        stamp: stamp.map(Box::new),
    })
}

/// A file's bytes as a 64-bit SipHash (std's, with its fixed keys), in hexadecimal: it tells
/// whether bytes whose `stat` changed are still the same, where an accidental collision is
/// out of reach (2^-64) and a deliberate one buys nothing a writer of the cache file could
/// not do directly. Half the cost of SHA-256 on a cold check (21 ms against 44 ms of CPU for
/// the 60 MB of the 10,000-plan bench repository). Stable for a build, which the key names.
pub(super) fn hash(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    format!("{:016x}", h.finish())
}

/// How a file was read, by the hint's name.
pub(super) fn hint(t: &Target) -> &'static str {
    use planwright_core::KindHint;
    match t.hint {
        KindHint::Auto => "Auto",
        KindHint::Plan => "Plan",
        KindHint::Exec => "Exec",
        KindHint::Lite => "Lite",
        KindHint::SpecKit => "SpecKit",
        KindHint::Kiro => "Kiro",
        KindHint::Taskmaster => "Taskmaster",
        KindHint::Beads => "Beads",
    }
}
