//! The schemas of the planning and reporting commands: `draft`, `stats`, `roi`, the
//! deviation report, What's Next and `diff`.

use super::*;

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
