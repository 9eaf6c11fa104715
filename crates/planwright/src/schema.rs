//! `planwright schema`: JSON Schemas (draft 2020-12) of the machine outputs — `check`,
//! `show`, `graph`, work items, `next`, `progress` and `run`'s events — versioned with the wire format. A test validates real outputs
//! against them and snapshots them, so a change of shape is always deliberate.

use serde_json::{Value, json};

/// The version of the wire formats these schemas describe.
pub const VERSION: u32 = 1;

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
            "severity": { "enum": ["error", "warning"] },
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
            "depends_on": { "type": "array", "items": object(&["id", "line"], json!({ "id": { "type": "string" }, "line": line() })) },
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

/// A work item: `planwright work show ID --format json` (and each element of `work list`).
/// The stored item file (`.planwright/work/<plan>/<step>.toml`) holds the same keys but the
/// state (`status`, `assignee`, `superseded`, `verification`, `event`), which lives in one
/// event file per change (`<step>.events/<time>-<random>.toml`, the keys of `event` items).
pub fn work_item() -> Value {
    let evidence = object(
        &["command", "duration_ms"],
        json!({
            "command": { "type": "string" }, "exit_code": { "type": "integer" },
            "timed_out": { "type": "boolean" },
            "duration_ms": { "type": "integer", "minimum": 0 },
            "output_tail": { "type": "string" }
        }),
    );
    let verification = object(
        &["at", "by", "passed", "results"],
        json!({
            "at": { "type": "string" }, "by": { "type": "string" },
            "passed": { "type": "boolean" }, "results": strings(),
            "evidence": { "type": "array", "items": evidence }
        }),
    );
    let status = json!({ "enum": ["todo", "in_progress", "blocked", "done", "cancelled"] });
    let event = object(
        &["at", "by", "what"],
        json!({
            "at": { "type": "string" }, "by": { "type": "string" }, "what": { "type": "string" },
            "note": { "type": "string" }, "status": status.clone(),
            "assignee": { "type": "string" }, "superseded": { "type": "boolean" },
            "verification": verification.clone()
        }),
    );
    let mut v = object(
        &[
            "id", "plan", "step", "title", "status", "weight", "order", "event",
        ],
        json!({
            "id": { "type": "string", "pattern": "^[^#]+#[^#/]+$" },
            "plan": { "type": "string" },
            "step": { "type": "string" },
            "title": { "type": "string" },
            "status": status,
            "parent": { "type": "string" },
            "depends_on": strings(),
            "acceptance_criteria": strings(),
            "produces": strings(),
            "verify": strings(),
            "assignee": { "type": "string" },
            "weight": { "type": "number", "minimum": 0 },
            "impact": { "type": "string" },
            "effort": { "type": "string" },
            "order": { "type": "integer", "minimum": 0 },
            "superseded": { "type": "boolean" },
            "verification": verification,
            "event": { "type": "array", "items": event },
        }),
    );
    v["title"] = json!("planwright work item");
    v
}

/// `planwright next --format json`.
pub fn next() -> Value {
    let row = object(
        &[
            "id",
            "title",
            "plan",
            "critical_path",
            "unblocks",
            "impact",
            "effort",
            "reason",
            "source",
        ],
        json!({
            "id": { "type": "string" }, "title": { "type": "string" }, "plan": { "type": "string" },
            "critical_path": { "type": "boolean" }, "unblocks": { "type": "integer", "minimum": 0 },
            "impact": { "type": "string" }, "effort": { "type": "string" }, "reason": { "type": "string" },
            "source": { "enum": ["work_item", "plan"] }
        }),
    );
    json!({ "title": "planwright next --format json", "type": "array", "items": row })
}

/// `planwright progress --format json`.
pub fn progress() -> Value {
    let count = json!({ "type": "integer", "minimum": 0 });
    let row = object(
        &[
            "plan",
            "kind",
            "steps",
            "done",
            "in_progress",
            "blocked",
            "cancelled",
            "critical_remaining",
            "summary",
            "source",
        ],
        json!({
            "plan": { "type": "string" }, "kind": { "enum": ["plan", "roadmap"] },
            "children": strings(), "steps": count.clone(), "done": count.clone(),
            "in_progress": count.clone(), "blocked": count.clone(), "cancelled": count,
            "critical_remaining": strings(), "summary": { "type": "string" },
            "source": { "enum": ["work_items", "progress_checkboxes", "task_checkboxes", "task_status"] }
        }),
    );
    json!({ "title": "planwright progress --format json", "type": "array", "items": row })
}

/// One line of `planwright run --format json`, and of the run's journal
/// (`.planwright/runs/<run-id>/events.jsonl`).
pub fn run_event() -> Value {
    let count = || json!({ "type": "integer", "minimum": 0 });
    let summary = object(
        &[
            "passed",
            "unverified",
            "failed",
            "blocked",
            "skipped",
            "already_done",
            "interrupted",
            "duration_ms",
        ],
        json!({
            "passed": count(), "unverified": count(), "failed": count(), "blocked": count(),
            "skipped": count(), "already_done": count(), "interrupted": count(),
            "duration_ms": count()
        }),
    );
    let options = object(
        &[
            "jobs",
            "keep_going",
            "retries",
            "timeout_ms",
            "agent_timeout_ms",
            "allow_unapproved",
        ],
        json!({
            "jobs": { "type": "integer", "minimum": 1 }, "agent": { "type": "string" },
            "steps": strings(), "keep_going": { "type": "boolean" }, "retries": count(),
            "timeout_ms": count(), "agent_timeout_ms": count(),
            "allow_unapproved": { "type": "boolean" }
        }),
    );
    let kind = json!({ "enum": ["agent", "verify"] });
    let outcome = json!({ "enum": [
        "passed", "unverified", "failed", "blocked", "skipped", "already_done", "interrupted"
    ] });
    let event = |name: &str, required: &[&str], props: Value| {
        let mut req = vec!["version", "at", "event"];
        req.extend_from_slice(required);
        let mut p = props;
        p["event"] = json!({ "const": name });
        p["version"] = json!({ "const": VERSION });
        p["at"] = json!({ "type": "string" });
        object(&req, p)
    };
    json!({
        "title": "planwright run --format json (one object per line)",
        "oneOf": [
            event("run_started", &["run", "plan", "options", "steps"], json!({
                "run": { "type": "string" }, "plan": { "type": "string" },
                "options": options, "steps": strings(), "resumed": { "type": "string" }
            })),
            event("step_started", &["step", "title"], json!({
                "step": { "type": "string" }, "title": { "type": "string" }
            })),
            event("process_started", &["step", "attempt", "kind", "command", "pgid"], json!({
                "step": { "type": "string" }, "attempt": { "type": "integer", "minimum": 1 },
                "kind": kind.clone(), "command": { "type": "string" }, "pgid": count(),
                "start_time": count()
            })),
            event("command_finished", &["step", "attempt", "kind", "command", "exit_code", "duration_ms", "output_tail"], json!({
                "step": { "type": "string" }, "attempt": { "type": "integer", "minimum": 1 },
                "kind": kind, "command": { "type": "string" },
                "exit_code": nullable("integer"), "timed_out": { "type": "boolean" },
                "duration_ms": count(), "output_tail": { "type": "string" }, "pgid": count()
            })),
            event("step_finished", &["step", "title", "outcome", "attempts", "duration_ms"], json!({
                "step": { "type": "string" }, "title": { "type": "string" },
                "outcome": outcome, "attempts": count(), "duration_ms": count(),
                "reason": { "type": "string" }
            })),
            event("run_finished", &["run", "summary", "exit_code"], json!({
                "run": { "type": "string" }, "summary": summary.clone(),
                "exit_code": { "enum": [0, 1] }
            })),
            event("run_interrupted", &["run", "summary"], json!({
                "run": { "type": "string" }, "summary": summary
            })),
            event("run_closed", &["run", "by", "stopped"], json!({
                "run": { "type": "string" }, "by": { "type": "string" }, "stopped": count()
            })),
        ]
    })
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
            "work-item": work_item(), "next": next(), "progress": progress(),
            "run-event": run_event()
        },
    })
}

/// One schema by name, as a standalone document.
pub fn one(name: &str) -> Option<Value> {
    let mut v = match name {
        "check" => check(),
        "show" => show(),
        "graph" => graph(),
        "work-item" => work_item(),
        "next" => next(),
        "progress" => progress(),
        "run-event" => run_event(),
        _ => return None,
    };
    v["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    v["$id"] = json!(format!(
        "https://planwright.invalid/schema/v{VERSION}/{name}"
    ));
    Some(v)
}
