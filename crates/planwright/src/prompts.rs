//! The planning prompts, filled with the repository's context: decompose a feature spec into a
//! plan, flush a plan's ambiguities, review it for one of the seed passes, and execute one
//! step (the runner's own prompt). Every part of the context is bounded, so a prompt never
//! grows with the repository.

use crate::error::Error;
use crate::workspace::Workspace;
use std::fmt::Write as _;
use std::path::Path;

/// The bounds of each part of the context, in bytes.
const SPEC_BUDGET: usize = 24 * 1024;
const FILE_BUDGET: usize = 4 * 1024;
const FILES_BUDGET: usize = 16 * 1024;
const TREE_ENTRIES: usize = 150;
const PLANS_LISTED: usize = 30;
const CONVENTIONS_BUDGET: usize = 6 * 1024;

/// A review pass of the seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    Completeness,
    Ordering,
    Integration,
}

/// The plan format planwright checks, as an agent needs it.
const FORMAT: &str = "\
Write the plan as Markdown in planwright's format:

```markdown
# Plan: <title>

**Status:** draft
**Features:**
- [<feature>](../../features/<feature>/README.md)
**Source type:** feature
**Source:** [<feature> spec](../../features/<feature>/README.md)
**Author:** @agent
**Created:** <YYYY-MM-DD>

## Context

<the problem and the approach chosen, in a paragraph or two>

## Acceptance criteria

- <what is true when the plan is done, observably>

## Steps

### 1. <one verifiable change>

**Depends on:** (none)
**Covers:** AC-1
**Produces:**
- `path/to/file` — what it holds
**Modifies:**
- `path/to/existing/file` — what changes

**Acceptance criteria:**
- <observable outcome of this step>

**Verify:** `<one command that passes only when the step is done>`

### 2. <next change>

**Depends on:** Step 1 (schema)
...

## Risks and open decisions

- <what could go wrong, what is not decided>

## Outstanding Questions

None at this time.
```

Rules planwright checks: every step has Depends on (a step may only depend on earlier steps;
give each dependency its type in parentheses: schema, interface or infrastructure), Produces,
Acceptance criteria and a Verify command; each requirement of the spec (AC-1, FR-001, …) is
named by a step's **Covers:**; a step that uses a file another step produces depends on that
step; a path under **Modifies:** exists in the repository or is produced by an earlier step;
no step produces more than five files without a Verify command; no step is worded as \"wire
everything together\" without naming its files; no placeholder text is left.";

/// `planwright prompt decompose FEATURE`: the prompt that turns a feature spec into a plan.
pub fn decompose(ws: &Workspace, feature: &str) -> Result<String, Error> {
    let (rel, spec) = read_feature(ws, feature)?;
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# Decompose a feature spec into a development plan\n\nYou are planning the work for the feature spec `{rel}`, quoted below with the repository's context. Decompose it into an ordered, dependency-mapped list of granular steps, each small enough to be verified by one file or one test. Name the files each step produces or modifies, and the command that proves it done. Ask no questions here: what you cannot decide goes under Risks and open decisions.\n"
    );
    section(
        &mut p,
        &format!("The feature spec (`{rel}`)"),
        &spec,
        SPEC_BUDGET,
    );
    context(ws, &mut p, &spec, Some(&rel));
    let _ = writeln!(p, "## The plan format\n\n{FORMAT}\n");
    p.push_str("## Your answer\n\nAnswer with the whole plan, and nothing else: one Markdown document that starts with `# Plan:`.\n");
    Ok(p)
}

/// `planwright prompt ambiguities PLAN`: the prompt that flushes a plan's open questions.
pub fn ambiguities(ws: &Workspace, plan: &str) -> Result<String, Error> {
    let (rel, src) = read_plan(ws, plan)?;
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# Find the ambiguities of a plan before any code is written\n\nRead the plan `{rel}` and the spec it comes from. List what a developer would have to guess: terms with two meanings, missing limits (sizes, timeouts, retries), behaviour the spec leaves open, choices the plan makes without saying why, risks nobody owns.\n"
    );
    section(&mut p, &format!("The plan (`{rel}`)"), &src, SPEC_BUDGET);
    if let Some((srel, spec)) = source_spec(ws, &rel, &src) {
        section(
            &mut p,
            &format!("The spec it comes from (`{srel}`)"),
            &spec,
            SPEC_BUDGET,
        );
    }
    p.push_str("## Your answer\n\nAnswer with exactly two Markdown sections and nothing else:\n\n```markdown\n## Outstanding Questions\n\n- <a question a person must answer before approval>\n\n## Risks and open decisions\n\n- <a risk, or a decision still open, and what it affects>\n```\n\nWrite `None at this time.` under Outstanding Questions when nothing is open.\n");
    Ok(p)
}

/// `planwright prompt review PLAN --pass …`: one of the seeds' three validation passes.
pub fn review(ws: &Workspace, plan: &str, pass: Pass) -> Result<String, Error> {
    let (rel, src) = read_plan(ws, plan)?;
    let (title, ask) = match pass {
        Pass::Completeness => (
            "completeness",
            "Check that every requirement and acceptance criterion of the spec is delivered by some step, and that every step serves one. List each requirement with the step that covers it, and each one no step covers.",
        ),
        Pass::Ordering => (
            "ordering",
            "Read the plan from the last step back: for each step, say what it needs (types, files, services, data) and which earlier step provides it. Report every need that no earlier step provides, and every dependency that is declared but not needed.",
        ),
        Pass::Integration => (
            "integration",
            "Check that the plan's outputs fit the system that exists: files it modifies exist under those names, interfaces it builds on exist with the shape it assumes, it does not produce what another active plan produces, and it follows the project's conventions. Report each mismatch with the file.",
        ),
    };
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# Review a plan: the {title} pass\n\n{ask}\n\nThe plan is `{rel}`. `planwright check` has already run the deterministic part of this pass; look for what it cannot see.\n"
    );
    section(&mut p, &format!("The plan (`{rel}`)"), &src, SPEC_BUDGET);
    let spec = source_spec(ws, &rel, &src);
    if let Some((srel, text)) = &spec {
        section(
            &mut p,
            &format!("The spec it comes from (`{srel}`)"),
            text,
            SPEC_BUDGET,
        );
    }
    if pass == Pass::Integration {
        context(ws, &mut p, &src, Some(&rel));
    }
    p.push_str("## Your answer\n\nA list, one finding per bullet, each naming the step (`Step 3`) and what to change; `No findings.` when there are none.\n");
    Ok(p)
}

/// `planwright prompt execute PLAN --step N`: the prompt `run` gives the agent for one step.
pub fn execute(ws: &Workspace, plan: &str, step: &str) -> Result<String, Error> {
    let t = ws.resolve(plan)?;
    let (src, model) = crate::workspace::read(&t)?;
    let Some(k) = model.steps.iter().position(|s| s.id == step) else {
        let ids: Vec<&str> = model.steps.iter().map(|s| &*s.id).collect();
        return Err(crate::error::not_found(format!(
            "{} has no step `{step}`\n  help: its steps are {}",
            t.rel,
            ids.join(", ")
        )));
    };
    let deps = planwright_core::graph::effective_dependencies(&model);
    let outcomes = vec![None; model.steps.len()];
    Ok(crate::run::prompt::build(&crate::run::prompt::Input {
        root: &ws.root,
        rel: &t.rel,
        src: &src,
        plan: &model,
        step: k,
        deps: &deps[k],
        outcomes: &outcomes,
        failure: None,
    }))
}

/// The feature spec `feature` names: a feature folder's name (`spec/features/NAME/`), or a
/// Markdown file's path from the root.
pub fn read_feature(ws: &Workspace, feature: &str) -> Result<(String, String), Error> {
    let rel = if feature.ends_with(".md") {
        feature.trim_start_matches("./").to_owned()
    } else {
        format!("spec/features/{feature}/README.md")
    };
    let path = crate::confine::resolve_rel(&ws.root, &rel)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok((rel, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(crate::error::not_found(format!(
                "no feature spec {rel}\n  help: name a folder under spec/features/, or a Markdown file's path"
            )))
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

fn read_plan(ws: &Workspace, plan: &str) -> Result<(String, String), Error> {
    let t = ws.resolve(plan)?;
    let (src, _) = crate::workspace::read(&t)?;
    Ok((t.rel, src))
}

/// The spec a plan's Source links to, read (bounded by the caller).
fn source_spec(ws: &Workspace, rel: &str, src: &str) -> Option<(String, String)> {
    let plan = planwright_core::read(src, planwright_core::KindHint::Plan);
    let env = crate::fsenv::FsEnv::new(ws.root.clone());
    let cov =
        planwright_core::rules::uncovered_requirement::source_spec_path(src, &plan, rel, &env)?;
    let text = crate::confine::read_to_string(&ws.root, Path::new(&cov)).ok()?;
    Some((cov, text))
}

/// A document under a heading, fenced so that its own headings stay its own, cut at `budget`
/// bytes (on a character boundary) with a note.
fn section(p: &mut String, title: &str, text: &str, budget: usize) {
    let _ = writeln!(p, "## {title}\n\n````markdown");
    p.push_str(&bounded(text, budget));
    if !p.ends_with('\n') {
        p.push('\n');
    }
    p.push_str("````\n\n");
}

fn bounded(text: &str, budget: usize) -> String {
    if text.len() <= budget {
        return text.to_owned();
    }
    let mut end = budget;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n[… {} more bytes not shown]\n",
        &text[..end],
        text.len() - end
    )
}

/// The repository around the work: its file tree, the files `text` names, the other active
/// plans and what they produce, and the project's conventions.
fn context(ws: &Workspace, p: &mut String, text: &str, this: Option<&str>) {
    p.push_str("## The repository's files (the first levels)\n\n```text\n");
    for line in tree(&ws.root) {
        let _ = writeln!(p, "{line}");
    }
    p.push_str("```\n\n");
    let mut named = Vec::new();
    for chunk in text.split('`').skip(1).step_by(2) {
        if let Some(path) = planwright_core::text::path_in(chunk)
            && !named.contains(&path)
        {
            named.push(path);
        }
    }
    let mut budget = FILES_BUDGET;
    let mut quoted = String::new();
    for path in named {
        let Ok(abs) = crate::confine::resolve_rel(&ws.root, path) else {
            continue;
        };
        let Ok(body) = std::fs::read_to_string(&abs) else {
            continue;
        };
        if budget == 0 {
            break;
        }
        let body = bounded(&body, FILE_BUDGET.min(budget));
        budget = budget.saturating_sub(body.len());
        let _ = writeln!(
            quoted,
            "### `{path}`\n\n````text\n{}\n````\n",
            body.trim_end()
        );
    }
    if !quoted.is_empty() {
        let _ = writeln!(p, "## Files the text names, as they are now\n\n{quoted}");
    }
    if let Ok(rows) = crate::plans::list(ws) {
        let active: Vec<_> = rows
            .iter()
            .filter(|r| Some(r.file.as_str()) != this)
            .filter(|r| matches!(r.status.as_str(), "draft" | "in_review" | "approved"))
            .take(PLANS_LISTED)
            .collect();
        if !active.is_empty() {
            p.push_str(
                "## Other active plans, and what they produce (do not collide with them)\n\n",
            );
            for r in active {
                let produces = produced_by(&ws.root, &r.file);
                let _ = writeln!(
                    p,
                    "- `{}` ({}): {}{}",
                    r.plan,
                    r.status,
                    r.title,
                    if produces.is_empty() {
                        String::new()
                    } else {
                        format!(" — produces {}", produces.join(", "))
                    }
                );
            }
            p.push('\n');
        }
    }
    for name in ["AGENTS.md", "CONTRIBUTING.md"] {
        if let Ok(text) = crate::confine::read_to_string(&ws.root, Path::new(name)) {
            section(
                p,
                &format!("The project's conventions (`{name}`)"),
                &text,
                CONVENTIONS_BUDGET,
            );
        }
    }
}

/// The paths a plan's steps produce, at most ten.
fn produced_by(root: &Path, rel: &str) -> Vec<String> {
    let Ok(src) = crate::confine::read_to_string(root, Path::new(rel)) else {
        return Vec::new();
    };
    let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
    let mut out: Vec<String> = plan
        .steps
        .iter()
        .flat_map(|s| s.paths(&src, "produces"))
        .map(|(p, _)| format!("`{p}`"))
        .collect();
    out.truncate(10);
    out
}

/// The repository's first two levels, folders first, without hidden entries and build output.
fn tree(root: &Path) -> Vec<String> {
    let skip =
        |n: &str| n.starts_with('.') || matches!(n, "target" | "node_modules" | "dist" | "build");
    let list = |dir: &Path| -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let is_dir = e.file_type().ok()?.is_dir();
                (!skip(&name)).then_some((name, is_dir))
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let mut out = Vec::new();
    for (name, is_dir) in list(root) {
        if out.len() >= TREE_ENTRIES {
            out.push("…".to_owned());
            break;
        }
        if is_dir {
            out.push(format!("{name}/"));
            for (child, d) in list(&root.join(&name)) {
                if out.len() >= TREE_ENTRIES {
                    break;
                }
                out.push(format!("  {child}{}", if d { "/" } else { "" }));
            }
        } else {
            out.push(name);
        }
    }
    out
}
