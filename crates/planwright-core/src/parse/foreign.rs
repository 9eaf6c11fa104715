//! The JSON plan formats: Taskmaster's `tasks.json` and Beads' `issues.jsonl`, read into the
//! same model as Markdown plans so that the same rules, `graph` and `show` apply.
//!
//! - Taskmaster: legacy `{"tasks": […]}` or tagged `{"master": {"tasks": […]}, …}`; ids and
//!   dependencies as numbers, strings or dotted `"3.1"`; a subtask's plain number names a
//!   sibling subtask. Tasks of tags other than `master` get the tag as a prefix (`ui:3`).
//! - Beads: one issue object per line; `blocks` edges are dependencies, `parent-child` edges
//!   make the child a sub-step of its parent, other edge types are kept as fields.

use super::{KindHint, empty_plan};
use crate::json::{self, Node};
use crate::model::{Dependencies, Field, Items, Malformed, Plan, PlanKind, Spanned, Step, StepRef};
use crate::span::Span;
use std::borrow::Cow;

/// A JSON plan file, when the hint or the content says it is one.
pub(crate) fn read_json(src: &str, hint: KindHint) -> Option<Plan> {
    let first = src
        .trim_start_matches('\u{feff}')
        .trim_start()
        .as_bytes()
        .first()
        .copied();
    match hint {
        KindHint::Taskmaster => return Some(taskmaster(src)),
        KindHint::Beads => return Some(beads(src)),
        KindHint::Auto if first == Some(b'{') => {}
        _ => return None,
    }
    // Content detection: one object with tasks → Taskmaster; one object per line → Beads.
    match json::parse(src) {
        Ok(root) => {
            let tagged = matches!(&root.value, json::Value::Object(m) if m.iter().any(|(_, v)| v.get("tasks").is_some()));
            (root.get("tasks").is_some() || tagged).then(|| taskmaster(src))
        }
        Err(_) => {
            let line = src.lines().next().unwrap_or("");
            let obj = json::parse(line).ok()?;
            (obj.get("id").is_some() && (obj.get("title").is_some() || obj.get("status").is_some()))
                .then(|| beads(src))
        }
    }
}

fn malformed(plan: &mut Plan, e: &json::Error) {
    if plan.malformed.is_none() {
        plan.malformed = Some(Malformed {
            span: Span::empty(e.offset),
            message: e.message.to_owned(),
        });
    }
}

fn field(name: &'static str, key_span: Span, value: &Node<'_>) -> Field {
    let inner = value.inner_span();
    Field {
        name: Cow::Borrowed(name),
        span: Span::new(key_span.start.min(value.span.start), value.span.end),
        name_span: key_span,
        inline: inner,
        value: inner,
        items: Items::new(),
    }
}

fn new_step(
    id: String,
    id_span: Span,
    title: &Node<'_>,
    span: Span,
    fields: Vec<Field>,
    done: Option<bool>,
) -> Step {
    let title_value = title.as_str().unwrap_or("").to_owned();
    let heading = if title.as_str().is_some() {
        title.inner_span()
    } else {
        id_span
    };
    Step {
        id: crate::model::step_id_from(id),
        id_span,
        title: Spanned {
            value: title_value,
            span: heading,
        },
        heading,
        span,
        depth: 1,
        parent: None,
        fields,
        depends_on: None,
        verify: crate::model::InlineVec::new(),
        verify_span: None,
        after: Vec::new(),
        parallel: false,
        done,
        derived: false,
    }
}

fn is_done(status: Option<&str>) -> Option<bool> {
    let s = status?.to_ascii_lowercase();
    Some(matches!(
        s.as_str(),
        "done" | "completed" | "complete" | "closed" | "resolved"
    ))
}

const NULL: Node<'static> = Node {
    span: Span { start: 0, end: 0 },
    value: json::Value::Null,
};

/// Taskmaster `tasks.json`.
fn taskmaster(src: &str) -> Plan {
    let mut plan = empty_plan(src.len());
    plan.kind = PlanKind::Taskmaster;
    plan.title = Some(Spanned {
        value: "Taskmaster tasks".to_owned(),
        span: Span::empty(0),
    });
    let root = match json::parse(src) {
        Ok(r) => r,
        Err(e) => {
            malformed(&mut plan, &e);
            return plan;
        }
    };
    let mut tags: Vec<(String, &Node<'_>)> = Vec::new();
    if root.get("tasks").is_some() {
        tags.push((String::new(), &root));
    } else if let json::Value::Object(members) = &root.value {
        for (k, v) in members {
            if v.get("tasks").is_some() {
                tags.push((k.to_string(), v));
            }
        }
    }
    let multi = tags.len() > 1;
    for (tag, obj) in tags {
        let prefix = if multi && tag != "master" {
            format!("{tag}:")
        } else {
            String::new()
        };
        let Some(tasks) = obj.get("tasks") else {
            continue;
        };
        for task in tasks.as_array() {
            let Some(id) = task.get("id").and_then(Node::as_id) else {
                continue;
            };
            let id_node = task.get("id").unwrap_or(&NULL);
            let full = format!("{prefix}{id}");
            let status = task.get("status");
            let mut fields = Vec::new();
            if let Some(s) = status {
                fields.push(field("status", s.span, s));
            }
            let mut step = new_step(
                full.clone(),
                id_node.span,
                task.get("title").unwrap_or(&NULL),
                task.span,
                fields,
                is_done(status.and_then(Node::as_str)),
            );
            step.depends_on = deps(task.get("dependencies"), |d, _| format!("{prefix}{d}"));
            let parent_index = plan.steps.len();
            plan.steps.push(step);
            for sub in task.get("subtasks").map(Node::as_array).unwrap_or(&[]) {
                let Some(sid) = sub.get("id").and_then(Node::as_id) else {
                    continue;
                };
                let sid_full = if sid.contains('.') {
                    format!("{prefix}{sid}")
                } else {
                    format!("{full}.{sid}")
                };
                let status = sub.get("status");
                let mut fields = Vec::new();
                if let Some(s) = status {
                    fields.push(field("status", s.span, s));
                }
                let mut step = new_step(
                    sid_full,
                    sub.get("id").unwrap_or(&NULL).span,
                    sub.get("title").unwrap_or(&NULL),
                    sub.span,
                    fields,
                    is_done(status.and_then(Node::as_str)),
                );
                step.depth = 2;
                step.parent = Some(parent_index);
                // A plain number names a sibling subtask; a dotted id names any subtask.
                step.depends_on = deps(sub.get("dependencies"), |d, _| {
                    if d.contains('.') {
                        format!("{prefix}{d}")
                    } else {
                        format!("{full}.{d}")
                    }
                });
                plan.steps.push(step);
            }
        }
    }
    plan
}

/// A `dependencies` array as step references, each with the span of its value.
fn deps(node: Option<&Node<'_>>, name: impl Fn(&str, &Node<'_>) -> String) -> Option<Dependencies> {
    let node = node?;
    let refs: Vec<StepRef> = node
        .as_array()
        .iter()
        .filter_map(|d| {
            let id = d.as_id()?;
            Some(StepRef {
                id: crate::model::step_id_from(name(&id, d)),
                span: d.inner_span(),
                kind: None,
            })
        })
        .collect();
    Some(Dependencies {
        span: node.span,
        none: refs.is_empty(),
        refs: refs.into_iter().collect(),
        unreadable: None,
    })
}

/// Beads `issues.jsonl`.
fn beads(src: &str) -> Plan {
    let mut plan = empty_plan(src.len());
    plan.kind = PlanKind::Beads;
    plan.title = Some(Spanned {
        value: "Beads issues".to_owned(),
        span: Span::empty(0),
    });
    let mut parents: Vec<(usize, String, Span)> = Vec::new();
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let obj = match json::parse_at(src, start) {
            Ok((node, end)) if end <= pos => node,
            Ok(_) => {
                malformed(
                    &mut plan,
                    &json::Error {
                        offset: start,
                        message: "an issue must fit on one line",
                    },
                );
                continue;
            }
            Err(e) => {
                // One issue per line: an error past this line's end is this line's error.
                let end = start + line.trim_end().len();
                let e = json::Error {
                    offset: e.offset.min(end),
                    message: e.message,
                };
                malformed(&mut plan, &e);
                continue;
            }
        };
        if obj
            .get("_type")
            .and_then(Node::as_str)
            .is_some_and(|t| t != "issue")
        {
            continue;
        }
        let Some(id) = obj.get("id").and_then(Node::as_id) else {
            continue;
        };
        let status = obj.get("status");
        let mut fields = Vec::new();
        if let Some(s) = status {
            fields.push(field("status", s.span, s));
        }
        let mut refs = Vec::new();
        let dep_node = obj.get("dependencies");
        for d in dep_node.map(Node::as_array).unwrap_or(&[]) {
            let Some(target) = d.get("depends_on_id") else {
                continue;
            };
            let Some(tid) = target.as_id() else { continue };
            match d.get("type").and_then(Node::as_str).unwrap_or("blocks") {
                "blocks" => refs.push(StepRef {
                    id: crate::model::step_id_from(tid.into_owned()),
                    span: target.inner_span(),
                    kind: None,
                }),
                "parent-child" => {
                    parents.push((plan.steps.len(), tid.into_owned(), target.inner_span()))
                }
                other => {
                    let name: &'static str = match other {
                        "related" => "related",
                        "discovered-from" => "discovered from",
                        "supersedes" => "supersedes",
                        _ => "linked",
                    };
                    fields.push(field(name, d.span, target));
                }
            }
        }
        let mut step = new_step(
            id.into_owned(),
            obj.get("id").unwrap_or(&NULL).span,
            obj.get("title").unwrap_or(&NULL),
            Span::new(start, start + line.trim_end().len()),
            fields,
            is_done(status.and_then(Node::as_str)),
        );
        if let Some(d) = dep_node {
            step.depends_on = Some(Dependencies {
                span: d.span,
                none: refs.is_empty(),
                refs: refs.into_iter().collect(),
                unreadable: None,
            });
        }
        plan.steps.push(step);
    }
    // Parent links, once every issue is known.
    for (child, parent_id, _) in parents {
        if let Some(p) = plan.steps.iter().position(|s| s.id == parent_id)
            && p != child
        {
            plan.steps[child].parent = Some(p);
        }
    }
    for i in 0..plan.steps.len() {
        let mut depth = 1;
        let mut p = plan.steps[i].parent;
        while let Some(x) = p {
            depth += 1;
            if depth > 16 {
                break; // a parent cycle; the graph reports cycles among dependencies only
            }
            p = plan.steps[x].parent;
        }
        plan.steps[i].depth = depth;
    }
    plan
}

#[cfg(test)]
mod tests {
    use crate::model::PlanKind;

    #[test]
    fn taskmaster_legacy_and_tagged() {
        let legacy = r#"{"tasks": [
  {"id": 1, "title": "Setup", "status": "done", "dependencies": []},
  {"id": 2, "title": "API", "dependencies": [1, "9"], "subtasks": [
    {"id": 1, "title": "Routes", "dependencies": []},
    {"id": 2, "title": "Auth", "dependencies": [1, "1.1"]}
  ]}
]}"#;
        let (p, _) = crate::parse(legacy);
        assert_eq!(p.kind, PlanKind::Taskmaster);
        let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_ref()).collect();
        assert_eq!(ids, ["1", "2", "2.1", "2.2"]);
        let refs = |i: usize| -> Vec<String> {
            p.steps[i]
                .depends_on
                .iter()
                .flat_map(|d| d.refs.iter().map(|r| r.id.to_string()))
                .collect()
        };
        assert_eq!(refs(1), ["1", "9"]);
        assert_eq!(refs(3), ["2.1", "1.1"]);
        assert_eq!(p.steps[3].parent, Some(1));
        assert_eq!(p.steps[0].done, Some(true));
        let tagged = r#"{"master": {"tasks": [{"id": 1, "title": "A"}]}, "ui": {"tasks": [{"id": 1, "title": "B", "dependencies": [1]}]}}"#;
        let (t, _) = crate::parse(tagged);
        let ids: Vec<&str> = t.steps.iter().map(|s| s.id.as_ref()).collect();
        assert_eq!(ids, ["1", "ui:1"]);
    }

    #[test]
    fn beads_lines_and_typed_edges() {
        let src = concat!(
            r#"{"id":"bd-1","title":"Epic","status":"open"}"#,
            "\n",
            r#"{"id":"bd-2","title":"Task","status":"closed","dependencies":[{"issue_id":"bd-2","depends_on_id":"bd-1","type":"parent-child"}]}"#,
            "\n",
            r#"{"id":"bd-3","title":"Next","dependencies":[{"issue_id":"bd-3","depends_on_id":"bd-2","type":"blocks"},{"issue_id":"bd-3","depends_on_id":"bd-9","type":"related"}]}"#,
            "\n",
        );
        let (p, _) = crate::parse(src);
        assert_eq!(p.kind, PlanKind::Beads);
        assert_eq!(p.steps.len(), 3);
        assert_eq!(p.steps[1].parent, Some(0));
        assert_eq!(p.steps[1].depth, 2);
        assert_eq!(
            p.steps[2]
                .depends_on
                .as_ref()
                .map(|d| d.refs[0].id.as_ref()),
            Some("bd-2")
        );
        assert!(p.steps[2].field("related").is_some());
        assert_eq!(p.steps[1].done, Some(true));
        let (bad, _) = crate::parse_with("{\"id\": 1,\n", crate::KindHint::Beads);
        assert!(bad.malformed.is_some());
    }
}
