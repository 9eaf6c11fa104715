//! `planwright draft` and `planwright import`: a plan written by an agent (or pasted from any
//! chat window), checked, and sent back with `check`'s findings until it is clean; then its
//! ambiguities asked for. The plan stays a draft for a person to review.

use crate::error::Error;
use crate::workspace::{Changes, Workspace};
use planwright_core::Severity;
use serde::Serialize;
use std::fmt::Write as _;

/// Where the answers come from.
pub enum Answers<'a> {
    /// A command that reads the prompt on stdin and answers on stdout (`claude -p`, `codex exec -`).
    Agent(&'a str),
    /// One answer given by the user (a file or standard input): one round, no feedback.
    Given(String),
}

/// What `draft` was asked for.
pub struct Request<'a> {
    pub feature: &'a str,
    pub slug: Option<&'a str>,
    pub answers: Answers<'a>,
    pub rounds: u32,
    pub author: &'a str,
    pub date: &'a str,
    /// Skip the ambiguity pass.
    pub no_questions: bool,
}

/// How one round went.
#[derive(Debug, Serialize)]
pub struct Round {
    pub round: u32,
    pub errors: usize,
    pub warnings: usize,
    /// The findings, as they were sent back: `line N: error[rule] message`.
    pub findings: Vec<String>,
}

/// What `draft` did.
#[derive(Debug, Serialize)]
pub struct Drafted {
    pub plan: String,
    pub file: String,
    pub rounds: Vec<Round>,
    /// Clean: no error and no warning in the last round.
    pub clean: bool,
    /// The ambiguity pass filled Outstanding Questions and Risks.
    pub questions_asked: bool,
    #[serde(skip)]
    pub changes: Changes,
}

/// Runs the loop: prompt → answer → plan → check → findings back, at most `rounds` times.
pub fn draft(ws: &Workspace, r: &Request<'_>) -> Result<Drafted, Error> {
    let (_, _) = crate::prompts::read_feature(ws, r.feature)?;
    let slug = r
        .slug
        .map(str::to_owned)
        .unwrap_or_else(|| planwright_core::text::slugify(r.feature.trim_end_matches(".md")));
    let feature_name = feature_name(r.feature);
    let rel = format!("spec/plans/{slug}/README.md");
    let abs = crate::confine::resolve_rel(&ws.root, &rel)?;
    if abs.exists() {
        return Err(crate::error::conflict(format!(
            "{rel} exists already\n  help: pick another --slug, or edit that plan and `planwright check` it"
        )));
    }
    let prompt = crate::prompts::decompose(ws, r.feature)?;
    let mut changes = Changes::new(false);
    let mut rounds = Vec::new();
    let mut ask = prompt.clone();
    let mut text = String::new();
    let max = match r.answers {
        Answers::Agent(_) => r.rounds.max(1),
        Answers::Given(_) => 1,
    };
    for n in 1..=max {
        let answer = match &r.answers {
            Answers::Agent(cmd) => run_agent(ws, cmd, &ask, "planwright prompt decompose")?,
            Answers::Given(a) => a.clone(),
        };
        text = plan_text(&answer, &slug, &feature_name, r.author, r.date)?;
        let (errors, warnings, findings) = check(ws, &rel, &text);
        rounds.push(Round {
            round: n,
            errors,
            warnings,
            findings: findings.clone(),
        });
        if errors + warnings == 0 || n == max {
            break;
        }
        ask = format!(
            "{prompt}\n## Your previous answer\n\n````markdown\n{}\n````\n\n## What `planwright check` found in it\n\n{}\nAnswer again with the whole corrected plan, and nothing else.\n",
            text.trim_end(),
            findings
                .iter()
                .map(|f| format!("- {f}\n"))
                .collect::<String>()
        );
    }
    let _lock = crate::write::lock(&ws.root)?;
    crate::confine::create_dir_all(&ws.root, &ws.root.join(format!("spec/plans/{slug}")))?;
    crate::write::write_atomic(&ws.root, &abs, &text)?;
    let mut questions_asked = false;
    if let (Answers::Agent(cmd), false) = (&r.answers, r.no_questions) {
        let ask = crate::prompts::ambiguities(ws, &rel)?;
        let answer = run_agent(ws, cmd, &ask, "planwright prompt decompose")?;
        if let Some(filled) = with_questions(&text, &answer) {
            crate::write::write_atomic(&ws.root, &abs, &filled)?;
            text = filled;
            questions_asked = true;
        }
    }
    changes.entries.push(crate::workspace::Change::Created {
        rel: rel.clone(),
        text: text.clone(),
    });
    changes.plan = Some(slug.clone());
    changes.status = Some("draft");
    crate::regenerate::update(ws, &mut changes)?;
    let clean = rounds.last().is_some_and(|r| r.errors + r.warnings == 0);
    Ok(Drafted {
        plan: slug,
        file: rel,
        rounds,
        clean,
        questions_asked,
        changes,
    })
}

fn feature_name(feature: &str) -> String {
    if feature.ends_with(".md") {
        let parent = std::path::Path::new(feature)
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        parent.unwrap_or_else(|| "feature".to_owned())
    } else {
        feature.to_owned()
    }
}

/// The agent's answer to `prompt`: `sh -c CMD` from the root, the prompt on stdin. `by_hand`
/// is the command that prints the prompt, for the help of a failure.
pub(crate) fn run_agent(
    ws: &Workspace,
    cmd: &str,
    prompt: &str,
    by_hand: &str,
) -> Result<String, Error> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(&ws.root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(|e| crate::error::refused(format!("cannot run the agent `{cmd}`: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // An agent that stops reading early is its own business.
        let _ = stdin.write_all(prompt.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| crate::error::refused(format!("the agent `{cmd}` failed: {e}")))?;
    if !out.status.success() {
        return Err(crate::error::refused(format!(
            "the agent `{cmd}` exited with {}\n  help: run it by hand with the prompt of `{by_hand}`",
            out.status
                .code()
                .map_or("a signal".to_owned(), |c| c.to_string())
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The plan in an answer: a fenced Markdown block holding `# Plan:`, else the text from its
/// first `# ` heading; or, when the answer is JSON, the plan it describes (see [`import`]).
fn plan_text(
    answer: &str,
    slug: &str,
    feature: &str,
    author: &str,
    date: &str,
) -> Result<String, Error> {
    let trimmed = answer.trim();
    if trimmed.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(trimmed)
            .map_err(|e| crate::error::usage(format!("the answer is not valid JSON: {e}")))?;
        return from_json(&v, slug, feature, author, date);
    }
    let fenced = trimmed
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').map_or("", |(_, body)| body))
        .find(|b| b.trim_start().starts_with("# "));
    let text = match fenced {
        Some(b) => b.to_owned(),
        None => match trimmed.find("# ") {
            Some(i) if i == 0 || trimmed[..i].ends_with('\n') => trimmed[i..].to_owned(),
            _ => {
                return Err(crate::error::usage(
                    "the answer holds no plan: no `# Plan:` heading\n  help: the agent must answer with the plan's Markdown",
                ));
            }
        },
    };
    let mut text = text.trim_end().to_owned();
    text.push('\n');
    Ok(text)
}

/// `check`'s findings on the plan text as if it were at `rel`.
fn check(ws: &Workspace, rel: &str, text: &str) -> (usize, usize, Vec<String>) {
    let env = crate::fsenv::FsEnv::new(ws.root.clone());
    let (_, diags) = planwright_core::check(
        text,
        Some(rel),
        &env,
        &ws.config.rules,
        planwright_core::KindHint::Plan,
    );
    let lines = planwright_core::LineIndex::new(text);
    let mut findings = Vec::new();
    let (mut errors, mut warnings) = (0, 0);
    for d in &diags {
        match d.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
            Severity::Off | Severity::Info => continue,
        }
        let line = lines.line_of(d.span.start) + 1;
        let mut f = format!(
            "line {line}: {}[{}] {}",
            d.severity.as_str(),
            d.rule,
            d.message
        );
        if let Some(h) = &d.help {
            let _ = write!(f, " (help: {h})");
        }
        findings.push(f);
    }
    (errors, warnings, findings)
}

/// The plan with the ambiguity pass's two sections put in place of its own (added when
/// missing); `None` when the answer has neither.
fn with_questions(plan: &str, answer: &str) -> Option<String> {
    let mut out = plan.to_owned();
    let mut any = false;
    for heading in ["## Outstanding Questions", "## Risks and open decisions"] {
        let Some(body) = section_body(answer, heading) else {
            continue;
        };
        any = true;
        let block = format!("{heading}\n\n{}\n", body.trim());
        match out.find(&format!("\n{heading}\n")) {
            Some(at) => {
                let start = at + 1;
                let end = out[start + heading.len()..]
                    .find("\n## ")
                    .map_or(out.len(), |e| start + heading.len() + e + 1);
                out.replace_range(start..end, &format!("{block}\n"));
            }
            None => {
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str(&block);
            }
        }
    }
    any.then(|| format!("{}\n", out.trim_end()))
}

fn section_body<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let at = text.find(heading)?;
    let rest = &text[at + heading.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let body = rest[..end].trim();
    (!body.is_empty()).then_some(body.trim_end_matches("```").trim())
}

/// `planwright import PLAN.json`: the JSON shape agent pipelines use, written as a plan.
pub fn import(
    ws: &Workspace,
    json: &str,
    slug: &str,
    feature: &str,
    author: &str,
    date: &str,
    dry_run: bool,
) -> Result<Changes, Error> {
    let v: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| crate::error::usage(format!("not valid JSON: {e}")))?;
    let text = from_json(&v, slug, feature, author, date)?;
    let rel = format!("spec/plans/{slug}/README.md");
    let abs = crate::confine::resolve_rel(&ws.root, &rel)?;
    if abs.exists() {
        return Err(crate::error::conflict(format!(
            "{rel} exists already\n  help: pick another --slug"
        )));
    }
    let mut changes = Changes::new(dry_run);
    changes.plan = Some(slug.to_owned());
    changes.status = Some("draft");
    if !dry_run {
        let _lock = crate::write::lock(&ws.root)?;
        crate::confine::create_dir_all(&ws.root, &ws.root.join(format!("spec/plans/{slug}")))?;
        crate::write::write_atomic(&ws.root, &abs, &text)?;
        changes.say(format!("created {rel}"));
    }
    changes
        .entries
        .push(crate::workspace::Change::Created { rel, text });
    if !dry_run {
        crate::regenerate::update(ws, &mut changes)?;
    }
    Ok(changes)
}

/// `{"summary","steps":[{"order","description","files_to_modify","files_to_create",
/// "validation"}],"test_criteria","risks"}` as a planwright plan: steps in `order`, each
/// depending on the one before (the shape has no dependencies of its own), files to create as
/// Produces, files to modify as Modifies, validation as the Verify command when it reads as
/// one and as the acceptance criterion otherwise.
pub fn from_json(
    v: &serde_json::Value,
    slug: &str,
    feature: &str,
    author: &str,
    date: &str,
) -> Result<String, Error> {
    let bad = |what: &str| {
        crate::error::usage(format!(
            "the plan JSON {what}\n  help: the shape is {{\"summary\",\"steps\":[{{\"order\",\"description\",\"files_to_modify\",\"files_to_create\",\"validation\"}}],\"test_criteria\",\"risks\"}}"
        ))
    };
    let steps = v["steps"]
        .as_array()
        .ok_or_else(|| bad("has no `steps` list"))?;
    if steps.is_empty() {
        return Err(bad("has an empty `steps` list"));
    }
    let text = |x: &serde_json::Value| -> String {
        match x {
            serde_json::Value::String(s) => s.trim().to_owned(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    };
    let list = |x: &serde_json::Value| -> Vec<String> {
        match x {
            serde_json::Value::Array(a) => a.iter().map(text).filter(|s| !s.is_empty()).collect(),
            serde_json::Value::String(s) if !s.trim().is_empty() => vec![s.trim().to_owned()],
            _ => Vec::new(),
        }
    };
    let mut ordered: Vec<&serde_json::Value> = steps.iter().collect();
    ordered.sort_by_key(|s| s["order"].as_u64().unwrap_or(u64::MAX));
    let summary = text(&v["summary"]);
    let title = summary
        .split(['.', '\n'])
        .next()
        .filter(|t| !t.is_empty())
        .map_or_else(|| slug.replace('-', " "), str::to_owned);
    let mut p = format!(
        "# Plan: {title}\n\n**Status:** draft\n**Features:**\n- [{feature}](../../features/{feature}/README.md)\n**Source type:** feature\n**Source:** [{feature} spec](../../features/{feature}/README.md)\n**Author:** {author}\n**Created:** {date}\n\n## Context\n\n{}\n\n## Acceptance criteria\n\n",
        if summary.is_empty() {
            "Imported from a JSON plan."
        } else {
            &summary
        }
    );
    let criteria = list(&v["test_criteria"]);
    if criteria.is_empty() {
        p.push_str("- Every step's validation passes\n");
    }
    for c in &criteria {
        let _ = writeln!(p, "- {c}");
    }
    p.push_str("\n## Steps\n\n");
    for (k, s) in ordered.iter().enumerate() {
        let n = k + 1;
        let description = text(&s["description"]);
        let (head, rest) = description
            .split_once(['.', '\n'])
            .map_or((description.as_str(), ""), |(h, r)| (h, r.trim()));
        let _ = writeln!(
            p,
            "### {n}. {}\n",
            if head.is_empty() { "Step" } else { head.trim() }
        );
        if !rest.is_empty() {
            let _ = writeln!(p, "{rest}\n");
        }
        if n == 1 {
            p.push_str("**Depends on:** (none)\n");
        } else {
            let _ = writeln!(p, "**Depends on:** Step {}", n - 1);
        }
        let create = list(&s["files_to_create"]);
        let modify = list(&s["files_to_modify"]);
        if !create.is_empty() {
            p.push_str("**Produces:**\n");
            for f in &create {
                let _ = writeln!(p, "- `{f}`");
            }
        }
        if !modify.is_empty() {
            p.push_str("**Modifies:**\n");
            for f in &modify {
                let _ = writeln!(p, "- `{f}`");
            }
        }
        let validation = text(&s["validation"]);
        let command = validation
            .strip_prefix('`')
            .and_then(|v| v.strip_suffix('`'));
        p.push_str("\n**Acceptance criteria:**\n");
        match command {
            Some(_) => {
                let _ = writeln!(p, "- `{}` passes", command.unwrap_or_default());
            }
            None if validation.is_empty() => {
                p.push_str("- [what is true when this step is done]\n")
            }
            None => {
                let _ = writeln!(p, "- {validation}");
            }
        }
        if let Some(c) = command {
            let _ = writeln!(p, "\n**Verify:** `{c}`");
        }
        p.push('\n');
    }
    p.push_str("## Risks and open decisions\n\n");
    let risks = list(&v["risks"]);
    if risks.is_empty() {
        p.push_str("- None known.\n");
    }
    for r in &risks {
        let _ = writeln!(p, "- {r}");
    }
    p.push_str("\n## Outstanding Questions\n\nNone at this time.\n");
    Ok(p)
}
