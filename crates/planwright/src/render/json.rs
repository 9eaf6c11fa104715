//! The JSON format of `check` (wire format version 1, documented in docs/wire-format.md):
//! `{"version":1,"diagnostics":[…],"summary":{"files","plans","errors","warnings",
//! "self_containment":{file: score}}}`.
//!
//! Written straight from the report, without building a `serde_json::Value` first: on a large
//! repository that tree (a map entry and a copied path per plan) cost more than the writing.
//! Keys come out sorted, as they would from a `Value`.

use crate::check::{Finding, Report};
use planwright_core::Severity;
use serde::Serialize;
use serde::ser::Serializer;
use serde_json::Value;
use std::io::{self, Write};

/// The wire format version; raised on any incompatible change.
pub const VERSION: u32 = crate::WIRE_VERSION;

/// The whole document; fields in key order.
#[derive(Serialize)]
struct Wire<'a> {
    diagnostics: Diagnostics<'a>,
    summary: Summary<'a>,
    version: u32,
}

struct Diagnostics<'a>(&'a Report);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.findings().map(Diagnostic::from))
    }
}

/// One finding; fields in key order.
#[derive(Serialize)]
struct Diagnostic<'a> {
    column: usize,
    end_column: usize,
    end_line: usize,
    file: &'a str,
    help: Option<&'a str>,
    line: usize,
    message: &'a str,
    rule: &'a str,
    severity: &'a str,
}

impl<'a> From<&'a Finding> for Diagnostic<'a> {
    fn from(f: &'a Finding) -> Diagnostic<'a> {
        Diagnostic {
            column: f.column,
            end_column: f.end_column,
            end_line: f.end_line,
            file: &f.file,
            help: f.help.as_deref(),
            line: f.line,
            message: &f.message,
            rule: f.rule,
            severity: f.severity.as_str(),
        }
    }
}

/// Fields in key order.
#[derive(Serialize)]
struct Summary<'a> {
    errors: usize,
    files: usize,
    plans: usize,
    self_containment: Scores<'a>,
    warnings: usize,
}

/// Each plan's self-containment score, rounded to three decimals, by path: sorted, and the
/// last of equal paths kept, as a map would.
struct Scores<'a>(Vec<(&'a str, f64)>);

impl<'a> Scores<'a> {
    fn of(report: &'a Report) -> Scores<'a> {
        let mut scores: Vec<(&str, f64)> = report
            .files
            .iter()
            .filter(|f| f.kind.is_plan() && f.io_error.is_none())
            .map(|f| {
                (
                    f.rel.as_str(),
                    (f.self_containment * 1000.0).round() / 1000.0,
                )
            })
            .collect();
        // A whole-repository report is sorted by path already.
        if !scores.is_sorted_by(|a, b| a.0 < b.0) {
            scores.sort_by(|a, b| a.0.cmp(b.0));
            let mut kept: Vec<(&str, f64)> = Vec::with_capacity(scores.len());
            for s in scores {
                match kept.last_mut() {
                    Some(last) if last.0 == s.0 => *last = s,
                    _ => kept.push(s),
                }
            }
            scores = kept;
        }
        Scores(scores)
    }
}

impl Serialize for Scores<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().copied())
    }
}

fn wire(report: &Report) -> Wire<'_> {
    Wire {
        diagnostics: Diagnostics(report),
        summary: Summary {
            errors: report.count(Severity::Error),
            files: report.files.len(),
            plans: report.plans(),
            self_containment: Scores::of(report),
            warnings: report.count(Severity::Warning),
        },
        version: VERSION,
    }
}

/// The report as a JSON value (for tests and tools that want to look inside it).
pub fn to_value(report: &Report) -> Value {
    serde_json::to_value(wire(report)).unwrap_or(Value::Null)
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // One large buffer: the output of a large repository is a megabyte of scores.
    let mut buf = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer(&mut buf, &wire(report))?;
    writeln!(buf)?;
    buf.flush()
}
