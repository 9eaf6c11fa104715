//! `planwright schema`: JSON Schemas (draft 2020-12) of every machine output — `check`,
//! `show`, `graph`, `list`, work items, `next`, `progress`, `run`'s events and dry run, what a
//! writing command did, `config`, `rules`, and errors — versioned with the wire format. Tests
//! validate real outputs against them and snapshot them, so a change of shape is always
//! deliberate.

use serde_json::{Value, json};

mod reports;
mod work;

pub use reports::*;
pub use work::*;

/// The version of the wire formats these schemas describe.
pub const VERSION: u32 = crate::WIRE_VERSION;

fn nullable(t: &str) -> Value {
    json!({ "type": [t, "null"] })
}

fn strings() -> Value {
    json!({ "type": "array", "items": { "type": "string" } })
}

fn line() -> Value {
    json!({ "type": "integer", "minimum": 1 })
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// RFC 3339 with seconds, UTC: the one timestamp format of machine output.
/// Effort or impact, stated or inferred, with the reason.
fn estimate() -> Value {
    object(
        &["value", "source", "reason"],
        json!({
            "value": { "type": "string" }, "source": { "enum": ["stated", "inferred"] },
            "reason": { "type": "string" }
        }),
    )
}

fn timestamp() -> Value {
    json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" })
}

fn version() -> Value {
    json!({ "const": VERSION })
}

/// `{"version":1,"<key>":[<row>…]}`: the shape of every list output.
fn list_of(title: &str, key: &str, row: Value) -> Value {
    let mut v = object(
        &["version", key],
        json!({ "version": version(), key: { "type": "array", "items": row } }),
    );
    v["title"] = json!(title);
    v
}

/// `planwright check --format json`.
pub fn check() -> Value {
    let diagnostic = object(
        &[
            "rule",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "help",
        ],
        json!({
            "rule": { "type": "string", "pattern": "^[a-z]+(-[a-z]+)*$" },
            "severity": { "enum": ["error", "warning", "info"] },
            "file": { "type": "string" },
            "line": line(), "column": line(), "end_line": line(), "end_column": line(),
            "message": { "type": "string" },
            "help": nullable("string"),
        }),
    );
    let summary = object(
        &["files", "plans", "errors", "warnings", "self_containment"],
        json!({
            "files": { "type": "integer", "minimum": 0 },
            "plans": { "type": "integer", "minimum": 0 },
            "errors": { "type": "integer", "minimum": 0 },
            "warnings": { "type": "integer", "minimum": 0 },
            "self_containment": {
                "type": "object",
                "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1 }
            },
        }),
    );
    let mut v = object(
        &["version", "diagnostics", "summary"],
        json!({
            "version": { "const": VERSION },
            "diagnostics": { "type": "array", "items": diagnostic },
            "summary": summary,
        }),
    );
    v["title"] = json!("planwright check --format json");
    v
}

/// `planwright show --format json`.
pub fn show() -> Value {
    let field = object(
        &["name", "value", "line", "items"],
        json!({ "name": { "type": "string" }, "value": { "type": "string" }, "line": line(), "items": strings() }),
    );
    let step = object(
        &[
            "id",
            "title",
            "line",
            "end_line",
            "depth",
            "parent",
            "depends_on",
            "depends_on_none",
            "produces",
            "acceptance_criteria",
            "verify",
            "estimate",
            "fields",
            "derived",
        ],
        json!({
            "id": { "type": "string" },
            "title": { "type": "string" },
            "line": line(), "end_line": line(),
            "depth": { "type": "integer", "minimum": 1 },
            "parent": nullable("string"),
            "depends_on": { "type": "array", "items": object(&["id", "line", "type"], json!({ "id": { "type": "string" }, "line": line(), "type": { "enum": ["schema", "interface", "infrastructure", null] } })) },
            "depends_on_none": { "type": "boolean" },
            "produces": strings(),
            "acceptance_criteria": strings(),
            "verify": { "type": "array", "items": object(&["command", "line", "expected"], json!({ "command": { "type": "string" }, "line": line(), "expected": nullable("string") })) },
            "estimate": nullable("string"),
            "fields": { "type": "array", "items": field },
            "derived": { "type": "boolean" },
        }),
    );
    let mut v = object(
        &[
            "version",
            "plan",
            "file",
            "kind",
            "title",
            "status",
            "front_matter",
            "header",
            "sections",
            "steps",
            "child_plans",
            "progress",
            "decisions",
            "surprises",
        ],
        json!({
            "version": { "const": VERSION },
            "plan": { "type": "string" },
            "file": { "type": "string" },
            "kind": { "enum": ["development", "specscore", "roadmap", "exec_plan", "lite", "spec_kit", "kiro", "taskmaster", "beads", "document"] },
            "title": nullable("string"),
            "status": { "enum": ["draft", "in_review", "approved", "superseded", "in_progress", "completed", null] },
            "front_matter": { "type": ["object", "null"], "additionalProperties": { "type": "string" } },
            "header": { "type": "array", "items": field },
            "sections": { "type": "array", "items": object(&["title", "kind", "line", "end_line"], json!({
                "title": { "type": "string" }, "kind": { "type": "string" }, "line": line(), "end_line": line()
            })) },
            "steps": { "type": "array", "items": step },
            "roi": object(&["effort", "impact"], json!({ "effort": estimate(), "impact": estimate() })),
            "coverage": object(&["spec", "requirements"], json!({
                "spec": { "type": "string" },
                "requirements": { "type": "array", "items": object(&["id", "text", "line", "covered_by"], json!({
                    "id": { "type": "string" }, "text": { "type": "string" }, "line": line(), "covered_by": strings()
                })) }
            })),
            "child_plans": { "type": "array", "items": object(&["plan", "line"], json!({
                "order": nullable("string"), "plan": { "type": "string" }, "target": nullable("string"),
                "status": nullable("string"), "effort": nullable("string"), "impact": nullable("string"), "line": line()
            })) },
            "progress": { "type": "array", "items": object(&["done", "timestamp", "text", "line"], json!({
                "done": { "type": "boolean" }, "timestamp": nullable("string"), "text": { "type": "string" }, "line": line()
            })) },
            "decisions": { "type": "array", "items": object(&["decision", "line"], json!({
                "decision": { "type": "string" }, "rationale": nullable("string"), "date": nullable("string"),
                "author": nullable("string"), "line": line()
            })) },
            "surprises": { "type": "array", "items": object(&["observation", "line"], json!({
                "observation": { "type": "string" }, "evidence": nullable("string"), "timestamp": nullable("string"), "line": line()
            })) },
        }),
    );
    v["title"] = json!("planwright show --format json");
    v
}

/// `planwright graph --format json`.
pub fn graph() -> Value {
    let node = object(
        &["id", "title", "depends_on"],
        json!({
            "id": { "type": "string" }, "title": { "type": "string" }, "depends_on": strings(),
            "dependency_types": { "type": "object", "additionalProperties": { "enum": ["schema", "interface", "infrastructure"] } },
            "parent": { "type": "string" }, "status": { "type": "string" }
        }),
    );
    let mut v = object(
        &[
            "version",
            "plan",
            "file",
            "kind",
            "nodes",
            "order",
            "waves",
            "critical_path",
            "cycles",
        ],
        json!({
            "version": { "const": VERSION },
            "plan": { "type": "string" },
            "file": { "type": "string" },
            "kind": { "enum": ["plan", "roadmap"] },
            "nodes": { "type": "array", "items": node },
            "order": strings(),
            "waves": { "type": "array", "items": strings() },
            "critical_path": strings(),
            "cycles": { "type": "array", "items": strings() },
        }),
    );
    v["title"] = json!("planwright graph --format json");
    v
}

/// `planwright list --format json`.
pub fn list() -> Value {
    let row = object(
        &[
            "plan", "file", "title", "kind", "status", "features", "steps", "effort", "impact",
        ],
        json!({
            "plan": { "type": "string" }, "file": { "type": "string" },
            "title": { "type": "string" },
            "kind": { "enum": [
                "development", "specscore", "roadmap", "exec_plan", "lite", "spec_kit", "kiro",
                "taskmaster", "beads"
            ] },
            "status": { "type": "string" }, "features": strings(),
            "steps": { "type": "integer", "minimum": 0 },
            "effort": { "type": "string" }, "impact": { "type": "string" }
        }),
    );
    list_of("planwright list --format json", "plans", row)
}

/// What a writing command did: `new`, `submit`, `approve`, `supersede`, `log`, `index`,
/// `init`, `work generate`, `hook install` with `--format json`.
pub fn changes() -> Value {
    let file = object(
        &["path", "action"],
        json!({
            "path": { "type": "string" }, "action": { "enum": ["created", "edited"] },
            "diff": { "type": "string" }, "text": { "type": "string" }
        }),
    );
    let mut v = object(
        &["version", "dry_run", "files", "messages"],
        json!({
            "version": version(), "dry_run": { "type": "boolean" },
            "files": { "type": "array", "items": file }, "messages": strings(),
            "plan": { "type": "string" },
            "status": { "enum": ["draft", "in_review", "approved", "superseded"] },
            "by": { "type": "string" }, "items": strings()
        }),
    );
    v["title"] = json!("what a writing command did (--format json)");
    v
}

/// An error with `--format json`, on standard error.
pub fn error() -> Value {
    let mut v = object(
        &["version", "error"],
        json!({
            "version": version(),
            "error": object(&["kind", "message", "help"], json!({
                "kind": { "enum": ["usage", "not_found", "refused", "io", "conflict"] },
                "message": { "type": "string" }, "help": nullable("string")
            })),
        }),
    );
    v["title"] = json!("an error, with --format json (standard error)");
    v
}

/// `planwright config --format json`: the effective configuration.
pub fn config() -> Value {
    let mut v = object(
        &["version", "config"],
        json!({ "version": version(), "config": { "type": "object" } }),
    );
    v["title"] = json!("planwright config --format json");
    v
}

/// `planwright rules --format json` (one rule: the rule's object with `version`).
pub fn rules() -> Value {
    let rule = object(
        &["name", "default_severity", "summary", "docs"],
        json!({
            "name": { "type": "string", "pattern": "^[a-z]+(-[a-z]+)*$" },
            "default_severity": { "enum": ["error", "warning", "info", "off"] },
            "summary": { "type": "string" }, "docs": { "type": "string" },
            "version": version()
        }),
    );
    let mut v = json!({ "oneOf": [list_of("", "rules", rule.clone()), rule] });
    v["title"] = json!("planwright rules [NAME] --format json");
    v
}

/// All schemas in one document, each under `$defs`.
pub fn all() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://planwright.invalid/schema/v{VERSION}"),
        "title": "planwright wire formats",
        "version": VERSION,
        "$defs": {
            "check": check(), "show": show(), "graph": graph(),
            "work-item": work_item_output(), "work-list": work_list(), "list": list(),
            "next": next(), "progress": progress(), "run-event": run_event(),
            "run-dry": run_dry(), "changes": changes(), "config": config(),
            "rules": rules(), "error": error(), "draft": draft(),
            "stats": stats(), "roi": roi(), "deviation": deviation(),
            "whats-next": whats_next(), "diff": diff()
        },
    })
}

/// The names `planwright schema NAME` takes.
pub const NAMES: &[&str] = &[
    "check",
    "show",
    "graph",
    "list",
    "work-item",
    "work-list",
    "next",
    "progress",
    "run-event",
    "run-dry",
    "changes",
    "config",
    "rules",
    "error",
    "draft",
    "stats",
    "roi",
    "deviation",
    "whats-next",
    "diff",
];

/// One schema by name, as a standalone document.
pub fn one(name: &str) -> Option<Value> {
    let mut v = match name {
        "check" => check(),
        "show" => show(),
        "graph" => graph(),
        "work-item" => work_item_output(),
        "work-list" => work_list(),
        "list" => list(),
        "next" => next(),
        "progress" => progress(),
        "run-event" => run_event(),
        "run-dry" => run_dry(),
        "changes" => changes(),
        "config" => config(),
        "rules" => rules(),
        "error" => error(),
        "draft" => draft(),
        "stats" => stats(),
        "roi" => roi(),
        "deviation" => deviation(),
        "whats-next" => whats_next(),
        "diff" => diff(),
        _ => return None,
    };
    v["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    v["$id"] = json!(format!(
        "https://planwright.invalid/schema/v{VERSION}/{name}"
    ));
    Some(v)
}
