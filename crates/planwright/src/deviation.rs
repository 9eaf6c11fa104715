//! `planwright report deviation PLAN`: what happened against what was planned — each step's
//! work item and its verification, the items added on the way and those cancelled, the steps
//! started before what they depend on was done, estimates against durations — and what to learn
//! from the numbers. Written to `spec/plans/<slug>/reports/README.md`, outside the frozen plan;
//! the same state always gives the same bytes.

use crate::error::Error;
use crate::work::{Item, ItemStatus};
use crate::workspace::{Changes, Workspace};
use serde::Serialize;
use std::fmt::Write as _;

/// How one planned step went.
#[derive(Clone, Debug, Serialize)]
pub struct StepRow {
    pub step: String,
    pub title: String,
    /// `done`, `cancelled`, `in_progress`, `blocked`, `todo`, or `no_item`.
    pub status: String,
    /// The last verification passed.
    pub verified: bool,
    /// `exit 0: cmd` per command of the last verification, and when.
    pub evidence: Vec<String>,
    pub verified_at: Option<String>,
    /// Verifications that failed before the last one.
    pub failed_attempts: usize,
    /// Items added under this step on the way (ad-hoc work the plan did not foresee).
    pub added: Vec<String>,
    pub estimate_hours: Option<f64>,
    pub actual_hours: Option<f64>,
    /// Commits naming the step in a `Plan-Step:` trailer: `hash subject`, oldest first.
    pub commits: Vec<String>,
    /// Runs (`planwright run`) that started the step.
    pub runs: Vec<String>,
    /// How many acceptance criteria the step states.
    pub criteria: usize,
}

/// A step started before a step it depends on was done.
#[derive(Clone, Debug, Serialize)]
pub struct Inversion {
    pub step: String,
    pub started: String,
    /// What shows the start: `work item`, `run <id>` or `commit <hash>`.
    pub source: String,
    pub depends_on: String,
    /// When the dependency was done, or `None` when it never was.
    pub dependency_done: Option<String>,
}

/// The report.
#[derive(Clone, Debug, Serialize)]
pub struct Deviation {
    pub plan: String,
    pub file: String,
    pub steps: Vec<StepRow>,
    /// The steps in the plan's order, and in the order they were first started (steps never
    /// started left out).
    pub planned_order: Vec<String>,
    pub execution_order: Vec<String>,
    pub inversions: Vec<Inversion>,
    pub lessons: Vec<String>,
}

/// When a step was first started and last done, by every record: work item events, run
/// journals and commit trailers.
#[derive(Default)]
struct Times {
    /// (seconds since the epoch, what shows it).
    started: Option<(i64, String)>,
    done: Option<i64>,
    /// Done by its work item (which, when present, is the authority on done).
    item_done: bool,
    journal_failed: usize,
    commits: Vec<String>,
    runs: Vec<String>,
}

impl Times {
    fn start(&mut self, at: i64, source: impl FnOnce() -> String) {
        if self.started.as_ref().is_none_or(|(t, _)| at < *t) {
            self.started = Some((at, source()));
        }
    }

    fn finish(&mut self, at: i64) {
        if !self.item_done && self.done.is_none_or(|t| at > t) {
            self.done = Some(at);
        }
    }
}

fn epoch_of(s: &str) -> Option<i64> {
    planwright_core::time::find_timestamp(s, 0).and_then(|t| crate::stats::epoch(&t))
}

fn at(t: i64) -> String {
    crate::clock::rfc3339_of(t.max(0) as u64)
}

/// The report of `arg`'s plan from its work items.
pub fn deviation(ws: &Workspace, arg: &str) -> Result<Deviation, Error> {
    let t = ws.resolve(arg)?;
    let (src, plan) = crate::workspace::read(&t)?;
    let slug = crate::discover::slug_of(&t.rel).ok_or_else(|| {
        crate::error::refused(format!(
            "{} is not under spec/plans/, so it has no work items to compare",
            t.rel
        ))
    })?;
    let items = crate::work::Store::new(&ws.root, &ws.config).load_plan(&slug, &t.rel)?;
    let id_of = |step: &str| format!("{slug}#{step}");
    let when = |item: &Item, status: ItemStatus, last: bool| -> Option<String> {
        let mut it = item.events.iter().filter(|e| e.status == Some(status));
        let e = if last { it.next_back() } else { it.next() };
        e.map(|e| e.at.clone())
    };
    let hours = |a: &str, b: &str| -> Option<f64> {
        let t = |s: &str| {
            planwright_core::time::find_timestamp(s, 0).and_then(|t| crate::stats::epoch(&t))
        };
        Some(((t(b)? - t(a)?) as f64 / 3600.0 * 10.0).round() / 10.0)
    };
    let mut steps: Vec<StepRow> = Vec::new();
    for s in &plan.steps {
        let item = items.iter().find(|i| i.id == id_of(&s.id));
        let added: Vec<String> = items
            .iter()
            .filter(|i| i.step == *s.id && i.id != id_of(&s.id) && i.parent.is_some())
            .map(|i| format!("{} ({})", i.title, i.status.as_str()))
            .collect();
        let criteria = s
            .field("acceptance criteria")
            .map_or(0, |f| f.entries().len());
        let estimate_hours = s
            .field("estimate")
            .and_then(|f| crate::duration::parse_duration(f.inline.text(&src).trim()).ok())
            .map(|d| d.as_secs_f64() / 3600.0);
        let row = match item {
            None => StepRow {
                step: s.id.to_string(),
                title: s.title.value.clone(),
                status: "no_item".into(),
                verified: false,
                evidence: Vec::new(),
                verified_at: None,
                failed_attempts: 0,
                added,
                estimate_hours,
                actual_hours: None,
                commits: Vec::new(),
                runs: Vec::new(),
                criteria,
            },
            Some(i) => {
                let started = when(i, ItemStatus::InProgress, false);
                let done = when(i, ItemStatus::Done, true);
                StepRow {
                    step: s.id.to_string(),
                    title: s.title.value.clone(),
                    status: i.status.as_str().to_owned(),
                    verified: i.verification.as_ref().is_some_and(|v| v.passed),
                    evidence: i
                        .verification
                        .as_ref()
                        .map_or_else(Vec::new, |v| v.results.clone()),
                    verified_at: i.verification.as_ref().map(|v| v.at.clone()),
                    failed_attempts: i
                        .events
                        .iter()
                        .filter(|e| e.verification.as_ref().is_some_and(|v| !v.passed))
                        .count(),
                    added,
                    estimate_hours,
                    actual_hours: match (&started, &done) {
                        (Some(a), Some(b)) => hours(a, b),
                        _ => None,
                    },
                    commits: Vec::new(),
                    runs: Vec::new(),
                    criteria,
                }
            }
        };
        steps.push(row);
    }
    // Order: when each step was started and done, by every record.
    let mut times: Vec<Times> = plan.steps.iter().map(|_| Times::default()).collect();
    let pos: std::collections::HashMap<&str, usize> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| (&*s.id, k))
        .collect();
    for (k, s) in plan.steps.iter().enumerate() {
        if let Some(item) = items.iter().find(|i| i.id == id_of(&s.id)) {
            if let Some(t) = when(item, ItemStatus::InProgress, false).and_then(|a| epoch_of(&a)) {
                times[k].start(t, || "work item".to_owned());
            }
            if let Some(t) = when(item, ItemStatus::Done, true).and_then(|a| epoch_of(&a)) {
                times[k].done = Some(t);
                times[k].item_done = true;
            }
        }
    }
    for (_, lines) in crate::run::journal::runs(&ws.root, &t.rel)? {
        use crate::run::journal::{Event, Outcome};
        let mut run = String::new();
        for line in &lines {
            let Some(when) = epoch_of(&line.at) else {
                continue;
            };
            match &line.event {
                Event::RunStarted { run: id, .. } => run.clone_from(id),
                Event::StepStarted { step, .. } => {
                    if let Some(&k) = pos.get(step.as_str()) {
                        times[k].start(when, || format!("run {run}"));
                        if !times[k].runs.contains(&run) {
                            times[k].runs.push(run.clone());
                        }
                    }
                }
                Event::StepFinished {
                    step,
                    outcome,
                    attempts,
                    ..
                } => {
                    if let Some(&k) = pos.get(step.as_str()) {
                        let attempts = *attempts as usize;
                        match outcome {
                            Outcome::Passed | Outcome::Unverified => {
                                times[k].journal_failed += attempts.saturating_sub(1);
                                times[k].finish(when);
                            }
                            Outcome::Failed => times[k].journal_failed += attempts,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for c in crate::git::step_commits(&ws.root, &slug) {
        let short = c.hash.get(..10).unwrap_or(&c.hash).to_owned();
        for step in &c.steps {
            let Some(&k) = step
                .strip_prefix(&format!("{slug}#"))
                .and_then(|id| pos.get(id))
            else {
                continue;
            };
            times[k].start(c.at, || format!("commit {short}"));
            times[k].finish(c.at);
            times[k].commits.push(format!("{short} {}", c.subject));
        }
    }
    for (row, t) in steps.iter_mut().zip(&times) {
        row.failed_attempts = row.failed_attempts.max(t.journal_failed);
        row.commits.clone_from(&t.commits);
        row.runs.clone_from(&t.runs);
    }
    // A step started before a step it depends on was done.
    let deps = planwright_core::graph::effective_dependencies(&plan);
    let mut inversions = Vec::new();
    for (k, s) in plan.steps.iter().enumerate() {
        let Some((started, source)) = &times[k].started else {
            continue;
        };
        for &d in &deps[k] {
            let done = times[d].done;
            if done.is_none_or(|done| *started < done) {
                inversions.push(Inversion {
                    step: s.id.to_string(),
                    started: at(*started),
                    source: source.clone(),
                    depends_on: plan.steps[d].id.to_string(),
                    dependency_done: done.map(at),
                });
            }
        }
    }
    let planned_order: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
    let mut started: Vec<(i64, usize)> = times
        .iter()
        .enumerate()
        .filter_map(|(k, t)| Some((t.started.as_ref()?.0, k)))
        .collect();
    started.sort();
    let execution_order = started
        .iter()
        .map(|&(_, k)| plan.steps[k].id.to_string())
        .collect();
    let lessons = lessons(&steps, &inversions);
    Ok(Deviation {
        plan: slug,
        file: t.rel,
        steps,
        planned_order,
        execution_order,
        inversions,
        lessons,
    })
}

/// What the numbers say, in sentences.
fn lessons(steps: &[StepRow], inversions: &[Inversion]) -> Vec<String> {
    let n = steps.len();
    let done = steps.iter().filter(|s| s.status == "done").count();
    let as_planned = steps
        .iter()
        .filter(|s| {
            s.status == "done" && s.verified && s.added.is_empty() && s.failed_attempts == 0
        })
        .count();
    let unverified: Vec<&str> = steps
        .iter()
        .filter(|s| s.status == "done" && !s.verified)
        .map(|s| s.step.as_str())
        .collect();
    let added: usize = steps.iter().map(|s| s.added.len()).sum();
    let cancelled: Vec<&str> = steps
        .iter()
        .filter(|s| s.status == "cancelled")
        .map(|s| s.step.as_str())
        .collect();
    let retried: Vec<&str> = steps
        .iter()
        .filter(|s| s.failed_attempts > 0)
        .map(|s| s.step.as_str())
        .collect();
    let mut out = vec![format!(
        "{done} of {n} steps done, {as_planned} of them as planned (verified, first time, nothing added)."
    )];
    if !unverified.is_empty() {
        out.push(format!(
            "Done without a passing verification: step {}. \"Done\" there is a claim, not a check.",
            unverified.join(", ")
        ));
    }
    let split: Vec<String> = steps
        .iter()
        .filter(|s| !s.added.is_empty() || s.commits.len() > 1)
        .map(|s| {
            let mut what = Vec::new();
            if !s.added.is_empty() {
                what.push(format!("{} items", 1 + s.added.len()));
            }
            if s.commits.len() > 1 {
                what.push(format!("{} commits", s.commits.len()));
            }
            format!("step {} ({})", s.step, what.join(", "))
        })
        .collect();
    if !split.is_empty() {
        out.push(format!(
            "Split: {}. One planned step took several pieces of work.",
            split.join(", ")
        ));
    }
    let unchecked: Vec<&str> = steps
        .iter()
        .filter(|s| s.criteria > 0 && s.status != "cancelled" && !s.verified)
        .map(|s| s.step.as_str())
        .collect();
    if !unchecked.is_empty() {
        out.push(format!(
            "Acceptance criteria with no passing evidence: step {}.",
            unchecked.join(", ")
        ));
    }
    if !retried.is_empty() {
        out.push(format!(
            "Verification failed on step {}: their criteria or commands were not what the work needed first.",
            retried.join(", ")
        ));
    }
    if added > 0 {
        out.push(format!(
            "{added} item{} added on the way: complexity the plan did not foresee; the next plan of this kind can name it.",
            if added == 1 { " was" } else { "s were" }
        ));
    }
    if !cancelled.is_empty() {
        out.push(format!(
            "Cancelled: step {}. Planned work that was not needed, or moved elsewhere.",
            cancelled.join(", ")
        ));
    }
    if !inversions.is_empty() {
        out.push(format!(
            "{} step{} started before a dependency was done: the declared order did not hold, or the dependency was not real.",
            inversions.len(),
            if inversions.len() == 1 { "" } else { "s" }
        ));
    }
    let (est, act): (f64, f64) = steps
        .iter()
        .filter_map(|s| Some((s.estimate_hours?, s.actual_hours?)))
        .fold((0.0, 0.0), |(e, a), (x, y)| (e + x, a + y));
    if est > 0.0 {
        out.push(format!(
            "Estimated steps took {:.1}× their estimates ({act:.1} h against {est:.1} h).",
            act / est
        ));
    }
    out
}

/// The report as Markdown: a generated document, byte-stable for the same state.
pub fn to_markdown(d: &Deviation) -> String {
    let mut m = format!(
        "# Deviation report: {}\n\nGenerated by `planwright report deviation {}` from the plan ([{}](../README.md)) and its work items. Regenerate it; do not edit it.\n\n## Steps\n\n| Step | Status | Verified | Attempts failed | Added on the way | Estimate | Actual |\n|---|---|---|---|---|---|---|\n",
        d.plan, d.plan, d.file
    );
    let h = |x: Option<f64>| x.map_or("-".to_owned(), |h| format!("{h:.1} h"));
    for s in &d.steps {
        let _ = writeln!(
            m,
            "| {}. {} | {} | {} | {} | {} | {} | {} |",
            s.step,
            s.title.replace('|', "\\|"),
            s.status,
            if s.verified { "yes" } else { "no" },
            s.failed_attempts,
            if s.added.is_empty() {
                "-".to_owned()
            } else {
                s.added.join("; ").replace('|', "\\|")
            },
            h(s.estimate_hours),
            h(s.actual_hours)
        );
    }
    m.push_str("\n## Evidence\n\n");
    let mut any = false;
    for s in d.steps.iter().filter(|s| !s.evidence.is_empty()) {
        any = true;
        let _ = writeln!(
            m,
            "- Step {} ({}, {}): {}",
            s.step,
            if s.verified { "passed" } else { "failed" },
            s.verified_at.as_deref().unwrap_or("-"),
            s.evidence.join("; ")
        );
    }
    if !any {
        m.push_str("No verification recorded.\n");
    }
    let traced: Vec<&StepRow> = d
        .steps
        .iter()
        .filter(|s| !s.commits.is_empty() || !s.runs.is_empty())
        .collect();
    if !traced.is_empty() {
        m.push_str("\n## Commits and runs\n\n");
        for s in traced {
            let mut parts = Vec::new();
            if !s.runs.is_empty() {
                parts.push(format!("run {}", s.runs.join(", ")));
            }
            parts.extend(s.commits.iter().cloned());
            let _ = writeln!(m, "- Step {}: {}", s.step, parts.join("; "));
        }
    }
    m.push_str("\n## Order\n\n");
    let _ = writeln!(
        m,
        "Planned: {}.\nExecuted (by first start, from work items, run journals and `Plan-Step:` commit trailers): {}.\n",
        d.planned_order.join(", "),
        if d.execution_order.is_empty() {
            "nothing started yet".to_owned()
        } else {
            d.execution_order.join(", ")
        }
    );
    if d.inversions.is_empty() {
        m.push_str("Every step started after what it depends on was done.\n");
    }
    for i in &d.inversions {
        let _ = writeln!(
            m,
            "- Step {} started at {} ({}) before step {} was done ({}).",
            i.step,
            i.started,
            i.source,
            i.depends_on,
            i.dependency_done
                .as_deref()
                .map_or("never".to_owned(), |t| format!("done at {t}"))
        );
    }
    m.push_str("\n## What to learn\n\n");
    for l in &d.lessons {
        let _ = writeln!(m, "- {l}");
    }
    m
}

/// Writes the report (unless `dry_run`); with `check`, writes nothing and says whether the
/// file on disk is current.
pub fn write(ws: &Workspace, d: &Deviation, dry_run: bool) -> Result<(Changes, bool), Error> {
    let rel = format!("spec/plans/{}/reports/README.md", d.plan);
    let abs = crate::confine::resolve_rel(&ws.root, &rel)?;
    let new = to_markdown(d);
    let old = std::fs::read_to_string(&abs).ok();
    let current = old.as_deref() == Some(new.as_str());
    let mut changes = Changes::new(dry_run);
    changes.plan = Some(d.plan.clone());
    if current {
        return Ok((changes, true));
    }
    if !dry_run {
        let _lock = crate::write::lock(&ws.root)?;
        crate::confine::create_dir_all(&ws.root, abs.parent().unwrap_or(&ws.root))?;
        crate::write::write_atomic(&ws.root, &abs, &new)?;
        changes.say(format!("wrote {rel}"));
    }
    match old {
        Some(old) => changes.edited(&rel, &old, &new),
        None => changes
            .entries
            .push(crate::workspace::Change::Created { rel, text: new }),
    }
    Ok((changes, false))
}
