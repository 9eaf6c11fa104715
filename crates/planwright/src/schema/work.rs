//! The schemas of work items, `next`, `progress` and the runner's events and dry run.

use super::*;

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
            "at": timestamp(), "by": { "type": "string" },
            "passed": { "type": "boolean" }, "results": strings(),
            "evidence": { "type": "array", "items": evidence }
        }),
    );
    let status = json!({ "enum": ["todo", "in_progress", "blocked", "done", "cancelled"] });
    let event = object(
        &["at", "by", "what"],
        json!({
            "at": timestamp(), "by": { "type": "string" }, "what": { "type": "string" },
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

/// One work item as a command prints it (`work show/start/done/block/cancel/add/verify`):
/// the item with the wire `version` beside its fields.
pub fn work_item_output() -> Value {
    let mut v = work_item();
    v["properties"]["version"] = version();
    if let Some(r) = v["required"].as_array_mut() {
        r.insert(0, json!("version"));
    }
    v["title"] = json!("planwright work show|start|done|block|cancel|add|verify --format json");
    v
}

/// `planwright work list --format json`.
pub fn work_list() -> Value {
    list_of("planwright work list --format json", "items", work_item())
}

/// `planwright run PLAN --dry-run --format json`.
pub fn run_dry() -> Value {
    let step = object(
        &["step", "title", "state", "depends_on", "agent", "verify"],
        json!({
            "step": { "type": "string" }, "title": { "type": "string" },
            "state": { "enum": [
                "will_run", "passed", "unverified", "failed", "blocked", "skipped",
                "already_done", "interrupted"
            ] },
            "depends_on": strings(), "agent": { "type": "boolean" }, "verify": strings()
        }),
    );
    let mut v = object(
        &["version", "plan", "options", "refused", "steps"],
        json!({
            "version": version(), "plan": { "type": "string" }, "options": { "type": "object" },
            "refused": nullable("string"), "steps": { "type": "array", "items": step }
        }),
    );
    v["title"] = json!("planwright run PLAN --dry-run --format json");
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
    list_of("planwright next --format json", "items", row)
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
    list_of("planwright progress --format json", "plans", row)
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
        p["at"] = timestamp();
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
