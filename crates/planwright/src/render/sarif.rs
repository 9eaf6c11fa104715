//! SARIF 2.1.0 for code scanning. Columns are Unicode code points (`columnKind`), regions
//! end just past the last character, paths are relative to `%SRCROOT%` (the root).

use crate::check::Report;
use planwright_core::Severity;
use planwright_core::rules::{RULES, RuleSet};
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn to_value(report: &Report, rules: &RuleSet) -> Value {
    let descriptors: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let level = match rules.severity(r.name) {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
                Severity::Off => "none",
            };
            json!({
                "id": r.name,
                "name": r.name,
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.summary() },
                "help": { "text": r.docs(), "markdown": r.docs() },
                "defaultConfiguration": { "level": level },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|f| {
            let index = RULES.iter().position(|r| r.name == f.rule).unwrap_or(0);
            let mut text = f.message.clone();
            if let Some(h) = &f.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": match f.severity {
                    Severity::Error => "error",
                    Severity::Info => "note",
                    _ => "warning",
                },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.file), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column.max(if f.end_line == f.line { f.column } else { 1 }),
                        }
                    }
                }]
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "planwright",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://example.invalid/planwright",
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The repository root." } } },
            "results": results,
        }]
    })
}

/// Percent-encodes what a URI reference may not contain.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(report: &Report, rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report, rules))?;
    writeln!(out)
}
