//! `planwright schema`: JSON Schemas (draft 2020-12) of every machine output — `check`,
//! `show`, `graph`, `list`, work items, `next`, `progress`, `run`'s events and dry run, what a
//! writing command did, `config`, `rules`, and errors — versioned with the wire format. Tests
//! validate real outputs against them and snapshot them, so a change of shape is always
//! deliberate.

use serde_json::{Value, json};

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

/// `planwright draft FEATURE --format json`: the rounds of the loop and the plan written.
pub fn draft() -> Value {
    let count = json!({ "type": "integer", "minimum": 0 });
    let round = object(
        &["round", "errors", "warnings", "findings"],
        json!({
            "round": { "type": "integer", "minimum": 1 }, "errors": count.clone(),
            "warnings": count, "findings": strings()
        }),
    );
    let mut v = object(
        &[
            "version",
            "plan",
            "file",
            "rounds",
            "clean",
            "questions_asked",
        ],
        json!({
            "version": version(), "plan": { "type": "string" }, "file": { "type": "string" },
            "rounds": { "type": "array", "items": round, "minItems": 1 },
            "clean": { "type": "boolean" }, "questions_asked": { "type": "boolean" }
        }),
    );
    v["title"] = json!("planwright draft FEATURE --format json");
    v
}

/// `planwright stats --format json`.
pub fn stats() -> Value {
    let ratio = json!({ "type": "number", "minimum": 0, "maximum": 1 });
    let fresh = object(
        &["section", "entries", "last_entry", "age_minutes", "stale"],
        json!({
            "section": { "type": "string" }, "entries": { "type": "integer", "minimum": 0 },
            "last_entry": { "anyOf": [timestamp(), { "type": "null" }] },
            "age_minutes": nullable("integer"), "stale": { "type": "boolean" }
        }),
    );
    let row = object(
        &[
            "plan",
            "file",
            "status",
            "in_progress",
            "self_containment",
            "freshness",
            "length",
            "steps",
            "steps_without_verification",
            "cycle_times",
        ],
        json!({
            "plan": { "type": "string" }, "file": { "type": "string" }, "status": { "type": "string" },
            "in_progress": { "type": "boolean" },
            "self_containment": object(&["steps", "decisions", "external_links"], json!({
                "steps": ratio.clone(), "decisions": ratio, "external_links": strings()
            })),
            "freshness": { "type": "array", "items": fresh },
            "length": object(&["plan_bytes", "spec", "spec_bytes", "ratio"], json!({
                "plan_bytes": { "type": "integer", "minimum": 0 }, "spec": nullable("string"),
                "spec_bytes": nullable("integer"), "ratio": nullable("number")
            })),
            "steps": { "type": "integer", "minimum": 0 },
            "steps_without_verification": strings(),
            "cycle_times": { "type": "array", "items": object(&["step", "minutes"], json!({
                "step": { "type": "string" }, "minutes": { "type": "integer", "minimum": 0 }
            })) }
        }),
    );
    list_of("planwright stats --format json", "plans", row)
}

/// `planwright roi PLAN --format json`.
pub fn roi() -> Value {
    let estimate = estimate();
    let mut v = object(
        &["version", "plan", "effort", "impact"],
        json!({
            "version": version(), "plan": { "type": "string" },
            "effort": estimate.clone(), "impact": estimate, "changes": changes()
        }),
    );
    v["title"] = json!("planwright roi PLAN --format json");
    v
}

/// `planwright report deviation PLAN --format json`.
pub fn deviation() -> Value {
    let count = json!({ "type": "integer", "minimum": 0 });
    let step = object(
        &[
            "step",
            "title",
            "status",
            "verified",
            "evidence",
            "verified_at",
            "failed_attempts",
            "added",
            "estimate_hours",
            "actual_hours",
            "commits",
            "runs",
            "criteria",
        ],
        json!({
            "step": { "type": "string" }, "title": { "type": "string" },
            "status": { "enum": ["done", "cancelled", "in_progress", "blocked", "todo", "no_item"] },
            "verified": { "type": "boolean" }, "evidence": strings(),
            "verified_at": { "anyOf": [timestamp(), { "type": "null" }] },
            "failed_attempts": count, "added": strings(),
            "estimate_hours": nullable("number"), "actual_hours": nullable("number"),
            "commits": strings(), "runs": strings(), "criteria": count
        }),
    );
    let inversion = object(
        &["step", "started", "source", "depends_on", "dependency_done"],
        json!({
            "step": { "type": "string" }, "started": timestamp(), "source": { "type": "string" },
            "depends_on": { "type": "string" },
            "dependency_done": { "anyOf": [timestamp(), { "type": "null" }] }
        }),
    );
    let mut v = object(
        &[
            "version",
            "plan",
            "file",
            "steps",
            "planned_order",
            "execution_order",
            "inversions",
            "lessons",
            "current",
        ],
        json!({
            "version": version(), "plan": { "type": "string" }, "file": { "type": "string" },
            "steps": { "type": "array", "items": step },
            "planned_order": strings(), "execution_order": strings(),
            "inversions": { "type": "array", "items": inversion },
            "lessons": strings(), "current": { "type": "boolean" }
        }),
    );
    v["title"] = json!("planwright report deviation PLAN --format json");
    v
}

/// `planwright report next --format json`.
pub fn whats_next() -> Value {
    let entry = |extra: &[&str], props: Value| {
        let mut req = vec!["plan", "file"];
        req.extend_from_slice(extra);
        let mut p = json!({ "plan": { "type": "string" }, "file": { "type": "string" } });
        for (k, v) in props.as_object().into_iter().flatten() {
            p[k] = v.clone();
        }
        object(&req, p)
    };
    let estimate = estimate();
    let count = json!({ "type": "integer", "minimum": 0 });
    let recommendation = entry(
        &[
            "rank",
            "title",
            "status",
            "effort",
            "impact",
            "roi",
            "unblocked_by",
            "momentum",
            "feature_status",
            "reason",
        ],
        json!({
            "rank": { "type": "integer", "minimum": 1 }, "title": { "type": "string" },
            "status": { "type": "string" }, "effort": estimate.clone(), "impact": estimate,
            "roi": count, "unblocked_by": strings(), "momentum": nullable("string"),
            "feature_status": nullable("string"), "reason": { "type": "string" }
        }),
    );
    let mut v = object(
        &[
            "version",
            "generated",
            "mode",
            "mode_note",
            "since",
            "completed",
            "completed_total",
            "in_progress",
            "recommended",
            "candidates",
            "waiting",
            "reasoning",
            "questions",
            "unchanged",
            "changes",
        ],
        json!({
            "version": version(), "generated": timestamp(), "mode": { "enum": ["full", "incremental"] },
            "mode_note": { "type": "string" }, "since": { "anyOf": [timestamp(), { "type": "null" }] },
            "completed": { "type": "array", "items": entry(&["completed_at"], json!({
                "completed_at": { "anyOf": [timestamp(), { "type": "null" }] } })) },
            "completed_total": count,
            "in_progress": { "type": "array", "items": entry(&["kind", "summary"], json!({
                "kind": { "enum": ["plan", "roadmap"] }, "summary": { "type": "string" } })) },
            "recommended": { "type": "array", "items": recommendation },
            "candidates": count,
            "waiting": { "type": "array", "items": entry(&["after"], json!({ "after": strings() })) },
            "reasoning": strings(),
            "questions": { "type": "array", "items": entry(&["question"], json!({
                "question": { "type": "string" } })) },
            "unchanged": { "type": "boolean" }, "changes": changes()
        }),
    );
    v["title"] = json!("planwright report next --format json");
    v
}

/// `planwright diff OLD NEW --format json`.
pub fn diff() -> Value {
    let step = object(
        &["id", "title"],
        json!({ "id": { "type": "string" }, "title": { "type": "string" } }),
    );
    let steps = json!({ "type": "array", "items": step });
    let pair = |a: Value, b: Value| json!({ "type": "array", "prefixItems": [a, b], "minItems": 2, "maxItems": 2 });
    let edge = pair(json!({ "type": "string" }), json!({ "type": "string" }));
    let changed = object(
        &["step", "removed", "added"],
        json!({ "step": step, "removed": strings(), "added": strings() }),
    );
    let mut v = object(
        &[
            "version",
            "old",
            "new",
            "added",
            "removed",
            "renamed",
            "moved",
            "split",
            "merged",
            "edges_added",
            "edges_removed",
            "criteria",
            "verify",
        ],
        json!({
            "version": version(), "old": { "type": "string" }, "new": { "type": "string" },
            "added": steps, "removed": steps,
            "renamed": { "type": "array", "items": pair(step.clone(), step.clone()) },
            "moved": steps,
            "split": { "type": "array", "items": pair(step.clone(), steps.clone()) },
            "merged": { "type": "array", "items": pair(steps.clone(), step.clone()) },
            "edges_added": { "type": "array", "items": edge },
            "edges_removed": { "type": "array", "items": edge },
            "criteria": { "type": "array", "items": changed },
            "verify": { "type": "array", "items": changed }
        }),
    );
    v["title"] = json!("planwright diff OLD NEW --format json");
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
