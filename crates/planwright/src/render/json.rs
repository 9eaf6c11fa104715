//! The JSON format of `check` (wire format version 1, documented in docs/wire-format.md):
//! `{"version":1,"diagnostics":[…],"summary":{"files","plans","errors","warnings",
//! "self_containment":{file: score}}}`.

use crate::check::Report;
use planwright_core::Severity;
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// The wire format version; raised on any incompatible change.
pub const VERSION: u32 = 1;

pub fn to_value(report: &Report) -> Value {
    let mut diags = Vec::new();
    for f in report.findings() {
        diags.push(json!({
            "rule": f.rule,
            "severity": f.severity.as_str(),
            "file": f.file,
            "line": f.line,
            "column": f.column,
            "end_line": f.end_line,
            "end_column": f.end_column,
            "message": f.message,
            "help": f.help,
        }));
    }
    let mut scores = Map::new();
    for file in report
        .files
        .iter()
        .filter(|f| f.kind.is_plan() && f.io_error.is_none())
    {
        let score = (file.self_containment * 1000.0).round() / 1000.0;
        scores.insert(file.rel.clone(), json!(score));
    }
    json!({
        "version": VERSION,
        "diagnostics": diags,
        "summary": {
            "files": report.files.len(),
            "plans": report.plans(),
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "self_containment": scores,
        }
    })
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &to_value(report))?;
    writeln!(out)
}
