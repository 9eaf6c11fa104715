//! `planwright show`: the typed model of one plan, with spans turned into line numbers, as
//! text for people or JSON for agents (wire format in docs/wire-format.md).

use planwright_core::model::{Field, Plan, Step};
use planwright_core::{LineIndex, Span};
use serde_json::{Value, json};
use std::fmt::Write;

struct Ctx<'a> {
    src: &'a str,
    idx: LineIndex,
}

impl Ctx<'_> {
    fn line(&self, s: Span) -> usize {
        self.idx.line_col(self.src, s.start).0
    }
    fn end_line(&self, s: Span) -> usize {
        self.idx
            .line_col(self.src, s.end.saturating_sub(1).max(s.start))
            .0
    }
    fn text(&self, s: Span) -> &str {
        s.text(self.src)
    }
}

fn field_json(c: &Ctx<'_>, f: &Field) -> Value {
    json!({
        "name": f.name,
        "value": c.text(f.value),
        "line": c.line(f.span),
        "items": f.entries().iter().map(|i| c.text(i.span)).collect::<Vec<_>>(),
    })
}

fn entries(c: &Ctx<'_>, step: &Step, name: &str) -> Vec<String> {
    step.field(name)
        .map(|f| {
            f.entries()
                .iter()
                .map(|i| c.text(i.span).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn step_json(c: &Ctx<'_>, plan: &Plan, s: &Step) -> Value {
    let deps: Vec<Value> = s
        .depends_on
        .iter()
        .flat_map(|d| d.refs.iter())
        .map(|r| {
            json!({
                "id": r.id,
                "line": c.line(r.span),
                "type": r.kind.map(planwright_core::model::DepKind::as_str),
            })
        })
        .collect();
    json!({
        "id": s.id,
        "title": s.title.value,
        "line": c.line(s.heading),
        "end_line": c.end_line(s.span),
        "depth": s.depth,
        "parent": s.parent.map(|p| plan.steps[p].id.clone()),
        "depends_on": deps,
        "depends_on_none": s.depends_on.as_ref().is_some_and(|d| d.none),
        "produces": entries(c, s, "produces"),
        "acceptance_criteria": entries(c, s, "acceptance criteria"),
        "verify": s.verify.iter().map(|v| json!({
            "command": v.text,
            "line": c.line(v.span),
            "expected": v.expected.map(|e| c.text(e)),
        })).collect::<Vec<_>>(),
        "estimate": s.field("estimate").map(|f| c.text(f.inline)),
        "fields": s.fields.iter().map(|f| field_json(c, f)).collect::<Vec<_>>(),
        "derived": s.derived,
    })
}

/// The JSON form of a plan's model.
pub fn to_json(plan: &Plan, src: &str, name: &str, file: &str) -> Value {
    let c = Ctx {
        src,
        idx: LineIndex::new(src),
    };
    let ts = |t: &Option<planwright_core::time::Timestamp>| {
        t.as_ref().map(planwright_core::time::Timestamp::iso)
    };
    json!({
        "version": 1,
        "plan": name,
        "file": file,
        "kind": plan.kind.as_str(),
        "title": plan.title.as_ref().map(|t| t.value.clone()),
        "status": plan.status(src).map(|s| s.as_str()),
        "front_matter": plan.front_matter.as_ref().map(|fm| {
            fm.entries.iter().map(|e| (e.key.clone(), json!(e.value))).collect::<serde_json::Map<_, _>>()
        }),
        "header": plan.fields.iter().map(|f| field_json(&c, f)).collect::<Vec<_>>(),
        "sections": plan.sections.iter().map(|s| json!({
            "title": s.title.value,
            "kind": serde_json::to_value(s.kind).unwrap_or(Value::Null),
            "line": c.line(s.heading),
            "end_line": c.end_line(s.span),
        })).collect::<Vec<_>>(),
        "steps": plan.steps.iter().map(|s| step_json(&c, plan, s)).collect::<Vec<_>>(),
        "child_plans": plan.child_plans.iter().map(|r| json!({
            "order": r.order.as_ref().map(|o| o.value.clone()),
            "plan": r.name.value,
            "target": r.target.as_ref().map(|t| t.value.clone()),
            "status": r.status.as_ref().map(|s| s.value.clone()),
            "effort": r.effort.as_ref().map(|s| s.value.clone()),
            "impact": r.impact.as_ref().map(|s| s.value.clone()),
            "line": c.line(r.span),
        })).collect::<Vec<_>>(),
        "progress": plan.progress.iter().map(|p| json!({
            "done": p.done,
            "timestamp": ts(&p.timestamp),
            "text": c.text(p.text),
            "line": c.line(p.span),
        })).collect::<Vec<_>>(),
        "decisions": plan.decisions.iter().map(|d| json!({
            "decision": c.text(d.decision),
            "rationale": d.rationale.map(|r| c.text(r)),
            "date": ts(&d.date),
            "author": d.author.map(|a| c.text(a)),
            "line": c.line(d.span),
        })).collect::<Vec<_>>(),
        "surprises": plan.surprises.iter().map(|s| json!({
            "observation": c.text(s.observation),
            "evidence": s.evidence.map(|e| c.text(e)),
            "timestamp": ts(&s.timestamp),
            "line": c.line(s.span),
        })).collect::<Vec<_>>(),
    })
}

/// The text form: what a person wants to see of the model.
pub fn to_text(plan: &Plan, src: &str, file: &str) -> String {
    let c = Ctx {
        src,
        idx: LineIndex::new(src),
    };
    let mut out = String::new();
    let title = plan
        .title
        .as_ref()
        .map_or("(untitled)", |t| t.value.as_str());
    let _ = writeln!(
        out,
        "{title}\n{file} — {}",
        plan.kind.as_str().replace('_', " ")
    );
    if !plan.fields.is_empty() {
        out.push('\n');
        let width = plan
            .fields
            .iter()
            .map(|f| f.name.chars().count())
            .max()
            .unwrap_or(0);
        for f in &plan.fields {
            let items: Vec<&str> = f.entries().iter().map(|i| c.text(i.span)).collect();
            let _ = writeln!(out, "  {:width$}  {}", f.name, items.join("; "));
        }
    }
    if !plan.steps.is_empty() {
        let _ = writeln!(out, "\nSteps");
        for s in &plan.steps {
            let indent = "  ".repeat(s.depth);
            let _ = writeln!(
                out,
                "{indent}{} {}  (line {})",
                s.id,
                s.title.value,
                c.line(s.heading)
            );
            let more = format!("{indent}    ");
            if let Some(d) = &s.depends_on {
                let ids: Vec<&str> = d.refs.iter().map(|r| &*r.id).collect();
                let v = if d.none || ids.is_empty() {
                    "(none)".to_owned()
                } else {
                    ids.join(", ")
                };
                let _ = writeln!(out, "{more}depends on: {v}");
            }
            for (label, name) in [
                ("produces", "produces"),
                ("criteria", "acceptance criteria"),
            ] {
                for e in entries(&c, s, name) {
                    let _ = writeln!(out, "{more}{label}: {e}");
                }
            }
            for v in &s.verify {
                let _ = writeln!(out, "{more}verify: {}", v.text);
                if let Some(e) = v.expected {
                    for line in c.text(e).lines() {
                        let _ = writeln!(out, "{more}  expect: {line}");
                    }
                }
            }
        }
    }
    if !plan.child_plans.is_empty() {
        let _ = writeln!(out, "\nChild plans");
        for r in &plan.child_plans {
            let status = r.status.as_ref().map_or("-", |s| s.value.as_str());
            let order = r.order.as_ref().map_or("-", |s| s.value.as_str());
            let _ = writeln!(out, "  {order}. {} [{status}]", r.name.value);
        }
    }
    for (name, n) in [
        ("Progress", plan.progress.len()),
        ("Decisions", plan.decisions.len()),
        ("Surprises", plan.surprises.len()),
    ] {
        if n == 0 {
            continue;
        }
        let _ = writeln!(out, "\n{name}");
        match name {
            "Progress" => {
                for p in &plan.progress {
                    let mark = if p.done { "x" } else { " " };
                    let when = p
                        .timestamp
                        .as_ref()
                        .map(|t| format!("{} ", t.iso()))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  [{mark}] {when}{}", c.text(p.text));
                }
            }
            "Decisions" => {
                for d in &plan.decisions {
                    let when = d
                        .date
                        .as_ref()
                        .map(|t| format!("{} ", t.iso()))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  {when}{}", c.text(d.decision));
                }
            }
            _ => {
                for s in &plan.surprises {
                    let _ = writeln!(out, "  {}", c.text(s.observation));
                }
            }
        }
    }
    out
}

/// The coverage matrix: each requirement of the spec and the steps that cover it.
pub fn coverage_text(c: &planwright_core::rules::uncovered_requirement::Coverage) -> String {
    let mut out = format!("\ncoverage of {}:\n", c.spec);
    let width = c.requirements.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &c.requirements {
        let by = if r.covered_by.is_empty() {
            "NOT COVERED".to_owned()
        } else {
            format!("step {}", r.covered_by.join(", "))
        };
        out.push_str(&format!("  {:<width$}  {by:<14} {}\n", r.id, r.text));
    }
    out
}

/// [`coverage_text`] as JSON: `{"spec","requirements":[{"id","text","line","covered_by"}]}`.
pub fn coverage_json(c: &planwright_core::rules::uncovered_requirement::Coverage) -> Value {
    json!({
        "spec": c.spec,
        "requirements": c.requirements.iter().map(|r| json!({
            "id": r.id, "text": r.text, "line": r.line, "covered_by": r.covered_by,
        })).collect::<Vec<_>>(),
    })
}
