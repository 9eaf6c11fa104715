//! `planwright export PLAN --to …`: a plan's checked dependency graph handed to the tools that
//! run graphs on many machines (GitHub Actions, Argo Workflows) or track the work (Taskmaster,
//! Beads, GitHub issues). Every format comes from the same steps and effective dependencies;
//! the Verify commands go only into formats that run them, and only from an approved plan
//! whose frozen content is unchanged (the runner's trust gate) unless the caller overrides.
//!
//! Sub-steps: the GitHub Actions and Argo exports fold a sub-step into its step's job (its
//! Verify commands run after the step's own), because a sub-step is part of its step and a
//! separate job would run on a separate machine without the step's files; a dependency on a
//! sub-step becomes one on its step. The trackers keep sub-steps as sub-tasks / child issues.

use crate::error::Error;
use crate::workspace::Workspace;
use planwright_core::model::{Plan, Step};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum To {
    GithubActions,
    Argo,
    Taskmaster,
    Beads,
    GithubIssues,
}

impl To {
    /// Whether the format carries the plan's commands to be run.
    fn runs_commands(self) -> bool {
        matches!(self, To::GithubActions | To::Argo)
    }
}

/// What the caller asks for.
pub struct Options<'a> {
    pub to: To,
    /// Argo's container image.
    pub image: &'a str,
    /// Export the commands of a plan that is not approved, or changed since.
    pub allow_unapproved: bool,
}

/// One step as the exports see it.
struct Node<'p> {
    step: &'p Step,
    /// Index of its top-level step (itself for a step).
    top: usize,
    /// Effective dependencies (a sub-step's include its step's).
    deps: Vec<usize>,
    /// The dependencies the plan declares for the step.
    declared: Vec<usize>,
}

/// The exported text of `arg`'s plan.
pub fn export(ws: &Workspace, arg: &str, opts: &Options<'_>) -> Result<String, Error> {
    let t = ws.resolve(arg)?;
    let (src, plan) = crate::workspace::read(&t)?;
    if plan.steps.is_empty() {
        return Err(crate::error::refused(format!(
            "{} has no steps to export",
            t.rel
        )));
    }
    if opts.to.runs_commands()
        && !opts.allow_unapproved
        && let Err(e) = crate::work::trusted_text(&t.rel, &src, &plan)
    {
        // The runner's refusal: the export carries the commands to be run.
        return Err(e);
    }
    let slug = crate::discover::slug_of(&t.rel).unwrap_or_else(|| t.rel.clone());
    let deps = planwright_core::graph::effective_dependencies(&plan);
    let declared = planwright_core::graph::dependencies(&plan);
    let nodes: Vec<Node<'_>> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut top = k;
            while let Some(p) = plan.steps[top].parent {
                top = p;
            }
            Node {
                step: s,
                top,
                deps: deps[k].clone(),
                declared: declared[k].clone(),
            }
        })
        .collect();
    Ok(match opts.to {
        To::GithubActions => github_actions(&slug, &t.rel, &plan, &src, &nodes),
        To::Argo => argo(&slug, &t.rel, &plan, &nodes, opts.image),
        To::Taskmaster => taskmaster(&slug, &plan, &src, &nodes),
        To::Beads => beads(&slug, &plan, &src, &nodes),
        To::GithubIssues => github_issues(&slug, &t.rel, &plan, &src, &nodes),
    })
}

/// A YAML scalar: a JSON string, which YAML reads as the same string.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A job or task name: `step-2-1`.
fn job(step: &Step) -> String {
    format!("step-{}", dns_name(&step.id))
}

/// Lower-case letters, digits and dashes: a name GitHub's jobs and Kubernetes both take.
fn dns_name(s: &str) -> String {
    let name: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_owned()
}

fn entries<'s>(step: &Step, src: &'s str, name: &str) -> Vec<&'s str> {
    step.field(name)
        .map(|f| {
            f.entries()
                .iter()
                .map(|e| e.span.text(src).trim())
                .filter(|e| !e.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The top-level steps a top-level step waits for (sub-steps' dependencies included,
/// each named by its top-level step; itself left out).
fn needs(nodes: &[Node<'_>], top: usize) -> Vec<usize> {
    let mut out: Vec<usize> = nodes
        .iter()
        .filter(|n| n.top == top)
        .flat_map(|n| n.deps.iter().map(|&d| nodes[d].top))
        .filter(|&d| d != top)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The Verify commands of a top-level step and of its sub-steps, in plan order.
fn commands<'p>(nodes: &'p [Node<'p>], top: usize) -> Vec<(&'p Step, &'p str)> {
    nodes
        .iter()
        .filter(|n| n.top == top)
        .flat_map(|n| n.step.verify.iter().map(move |c| (n.step, c.text.as_str())))
        .collect()
}

fn github_actions(slug: &str, rel: &str, plan: &Plan, src: &str, nodes: &[Node<'_>]) -> String {
    let digest = planwright_core::digest::digest(src, plan);
    let title = plan.title.as_ref().map_or(slug, |t| t.value.as_str());
    let mut y = format!(
        "# Generated by `planwright export {slug} --to github-actions` from {rel}\n# (digest {digest}). Export it again when the plan changes; do not edit it.\n# Sub-steps run in their step's job: a sub-step is part of its step, and another job would\n# run on another machine without the step's files.\nname: {}\non:\n  workflow_dispatch:\npermissions:\n  contents: read\njobs:\n  plan-frozen:\n    name: The plan is the approved one\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Install planwright\n        run: command -v planwright || cargo install --locked planwright\n      - name: Check that the plan's frozen content matches its digest\n        run: planwright check {}\n",
        q(title),
        q(rel)
    );
    for (k, n) in nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.step.parent.is_none())
    {
        let mut need = vec!["plan-frozen".to_owned()];
        need.extend(needs(nodes, k).into_iter().map(|d| job(nodes[d].step)));
        let _ = write!(
            y,
            "  {}:\n    name: {}\n    needs: [{}]\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
            job(n.step),
            q(&format!("{}. {}", n.step.id, n.step.title.value)),
            need.join(", ")
        );
        let cmds = commands(nodes, k);
        if cmds.is_empty() {
            let _ = writeln!(
                y,
                "      - name: No Verify command\n        run: echo {}",
                q(&format!(
                    "::warning::step {} has no Verify command: nothing checks it",
                    n.step.id
                ))
            );
        }
        for (s, c) in cmds {
            let _ = writeln!(
                y,
                "      - name: {}\n        run: {}",
                q(&format!("{}: {c}", s.id)),
                q(c)
            );
        }
    }
    y
}

fn argo(slug: &str, rel: &str, plan: &Plan, nodes: &[Node<'_>], image: &str) -> String {
    let name = dns_name(slug);
    let tops: Vec<usize> = (0..nodes.len())
        .filter(|&k| nodes[k].step.parent.is_none())
        .collect();
    let tasks: Vec<Value> = tops
        .iter()
        .map(|&k| {
            let mut t = json!({ "name": job(nodes[k].step), "template": job(nodes[k].step) });
            let d: Vec<String> = needs(nodes, k)
                .into_iter()
                .map(|d| job(nodes[d].step))
                .collect();
            if !d.is_empty() {
                t["dependencies"] = json!(d);
            }
            t
        })
        .collect();
    let mut templates = vec![json!({ "name": "plan", "dag": { "tasks": tasks } })];
    for &k in &tops {
        let cmds = commands(nodes, k);
        let script = if cmds.is_empty() {
            format!(
                "echo 'step {} has no Verify command: nothing checks it'",
                nodes[k].step.id
            )
        } else {
            let mut s = "set -e".to_owned();
            for (_, c) in cmds {
                s.push('\n');
                s.push_str(c);
            }
            s
        };
        templates.push(json!({
            "name": job(nodes[k].step),
            "container": { "image": image, "command": ["sh", "-c"], "args": [script] }
        }));
    }
    let wf = json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "generateName": format!("plan-{name}-"),
            "annotations": {
                "planwright/plan": rel,
                "planwright/title": plan.title.as_ref().map_or(slug, |t| t.value.as_str())
            }
        },
        "spec": { "entrypoint": "plan", "templates": templates }
    });
    serde_json::to_string_pretty(&wf).unwrap_or_default() + "\n"
}

/// Taskmaster's id of a step: its number, or for a sub-step its position under its step.
fn tm_ids(plan: &Plan) -> Vec<(u64, Option<u64>)> {
    let mut out = Vec::new();
    let mut top = 0u64;
    let mut sub = 0u64;
    for s in &plan.steps {
        if s.parent.is_none() {
            top += 1;
            sub = 0;
            out.push((top, None));
        } else {
            sub += 1;
            out.push((top, Some(sub)));
        }
    }
    out
}

fn taskmaster(slug: &str, plan: &Plan, src: &str, nodes: &[Node<'_>]) -> String {
    let ids = tm_ids(plan);
    let status = |s: &Step| match planwright_core::progress::task_state(s, src) {
        Some(planwright_core::progress::TaskState::Done) => "done",
        Some(planwright_core::progress::TaskState::InProgress) => "in-progress",
        Some(planwright_core::progress::TaskState::Cancelled) => "cancelled",
        Some(planwright_core::progress::TaskState::Blocked) => "deferred",
        _ => "pending",
    };
    let details = |s: &Step| {
        let mut d = String::new();
        for c in entries(s, src, "acceptance criteria") {
            let _ = writeln!(d, "- {c}");
        }
        d.trim_end().to_owned()
    };
    let mut tasks: Vec<Value> = Vec::new();
    for (k, n) in nodes.iter().enumerate() {
        let (top, sub) = ids[k];
        match sub {
            None => {
                let deps: Vec<u64> = n
                    .deps
                    .iter()
                    .filter(|&&d| nodes[d].step.parent.is_none())
                    .map(|&d| ids[d].0)
                    .collect();
                tasks.push(json!({
                    "id": top,
                    "title": n.step.title.value,
                    "description": format!("Step {} of {slug}", n.step.id),
                    "details": details(n.step),
                    "testStrategy": n.step.verify.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\n"),
                    "status": status(n.step),
                    "dependencies": deps,
                    "priority": "medium",
                    "subtasks": []
                }));
            }
            Some(sub) => {
                // Its own dependencies (its step's are implied): a sibling sub-task by its
                // number, another step's sub-task dotted. Taskmaster's sub-tasks cannot name
                // a step; such a dependency goes to the step, which the sub-task waits for.
                let mut deps: Vec<Value> = Vec::new();
                let mut onto_parent: Vec<u64> = Vec::new();
                for &d in n.declared.iter().filter(|&&d| d != n.top) {
                    match ids[d] {
                        (t, Some(s2)) if t == top => deps.push(json!(s2)),
                        (t, Some(s2)) => deps.push(json!(format!("{t}.{s2}"))),
                        (t, None) => onto_parent.push(t),
                    }
                }
                if let Some(parent) = tasks.last_mut()
                    && let Some(pd) = parent["dependencies"].as_array_mut()
                {
                    for t in onto_parent {
                        if !pd.contains(&json!(t)) {
                            pd.push(json!(t));
                        }
                    }
                }
                if let Some(parent) = tasks.last_mut()
                    && let Some(subs) = parent["subtasks"].as_array_mut()
                {
                    subs.push(json!({
                        "id": sub,
                        "title": n.step.title.value,
                        "details": details(n.step),
                        "status": status(n.step),
                        "dependencies": deps
                    }));
                }
            }
        }
    }
    let doc = json!({ "master": { "tasks": tasks, "metadata": { "description": format!("Exported by planwright from {slug}") } } });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn beads(slug: &str, plan: &Plan, src: &str, nodes: &[Node<'_>]) -> String {
    let prefix: String = slug
        .rsplit('/')
        .next()
        .unwrap_or(slug)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = |s: &Step| format!("{prefix}-{}", s.id);
    let mut out = String::new();
    for n in nodes {
        let closed = matches!(
            planwright_core::progress::task_state(n.step, src),
            Some(planwright_core::progress::TaskState::Done)
        );
        let mut deps: Vec<Value> = Vec::new();
        if let Some(p) = n.step.parent {
            deps.push(json!({ "issue_id": id(n.step), "depends_on_id": id(&plan.steps[p]), "type": "parent-child" }));
        }
        for &d in &n.deps {
            if Some(d) == n.step.parent {
                continue;
            }
            deps.push(json!({ "issue_id": id(n.step), "depends_on_id": id(nodes[d].step), "type": "blocks" }));
        }
        let mut issue = json!({
            "_type": "issue",
            "id": id(n.step),
            "title": n.step.title.value,
            "description": entries(n.step, src, "acceptance criteria").iter().map(|c| format!("- {c}")).collect::<Vec<_>>().join("\n"),
            "status": if closed { "closed" } else { "open" },
            "issue_type": "task",
            "priority": 2
        });
        if !deps.is_empty() {
            issue["dependencies"] = json!(deps);
        }
        out.push_str(&issue.to_string());
        out.push('\n');
    }
    out
}

/// Text for inside single quotes, where `\u{1}N\u{2}` becomes the shell's `$issue_N`: the
/// number of an issue created earlier in the script.
fn quoted(text: &str) -> String {
    text.replace('\'', "'\\''")
        .replace('\u{1}', "'\"$issue_")
        .replace('\u{2}', "\"'")
}

/// A shell word in single quotes.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn github_issues(slug: &str, rel: &str, plan: &Plan, src: &str, nodes: &[Node<'_>]) -> String {
    let title = plan.title.as_ref().map_or(slug, |t| t.value.as_str());
    let mut s = format!(
        "#!/bin/sh\n# Generated by `planwright export {slug} --to github-issues` from {rel}.\n# Creates one issue per step, then a parent issue with a task list of them. Review it,\n# then run it where `gh` is logged in to the repository; planwright never runs it.\nset -eu\n\n"
    );
    for (k, n) in nodes.iter().enumerate() {
        let mut body = format!("Step {} of [{slug}]({rel}).\n", n.step.id);
        if !n.deps.is_empty() {
            body.push_str("\nDepends on:\n");
            for &d in &n.deps {
                let _ = writeln!(
                    body,
                    "- Step {}: {} (#\u{1}{}\u{2})",
                    nodes[d].step.id, nodes[d].step.title.value, d
                );
            }
        }
        let criteria = entries(n.step, src, "acceptance criteria");
        if !criteria.is_empty() {
            body.push_str("\nAcceptance criteria:\n");
            for c in criteria {
                let _ = writeln!(body, "- [ ] {c}");
            }
        }
        if !n.step.verify.is_empty() {
            body.push_str("\nVerify:\n");
            for c in n.step.verify.iter() {
                let _ = writeln!(body, "- `{}`", c.text);
            }
        }
        let body = quoted(&body);
        let _ = writeln!(
            s,
            "issue_{k}=$(gh issue create --title {} --body '{body}' | sed 's#.*/##')",
            sh(&format!("{}. {}", n.step.id, n.step.title.value))
        );
    }
    let mut list = format!("Plan: [{slug}]({rel})\n\n");
    for (k, n) in nodes.iter().enumerate() {
        let _ = writeln!(list, "- [ ] #\u{1}{k}\u{2} {}", n.step.title.value);
    }
    let list = quoted(&list);
    let _ = writeln!(s, "\ngh issue create --title {} --body '{list}'", sh(title));
    s
}
