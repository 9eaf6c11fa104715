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
}

/// A step started before a step it depends on was done.
#[derive(Clone, Debug, Serialize)]
pub struct Inversion {
    pub step: String,
    pub started: String,
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
    pub inversions: Vec<Inversion>,
    pub lessons: Vec<String>,
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
    let mut steps = Vec::new();
    for s in &plan.steps {
        let item = items.iter().find(|i| i.id == id_of(&s.id));
        let added: Vec<String> = items
            .iter()
            .filter(|i| i.step == *s.id && i.id != id_of(&s.id) && i.parent.is_some())
            .map(|i| format!("{} ({})", i.title, i.status.as_str()))
            .collect();
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
                }
            }
        };
        steps.push(row);
    }
    // Order: a step started before a step it depends on was done.
    let deps = planwright_core::graph::effective_dependencies(&plan);
    let mut inversions = Vec::new();
    for (k, s) in plan.steps.iter().enumerate() {
        let Some(item) = items.iter().find(|i| i.id == id_of(&s.id)) else {
            continue;
        };
        let Some(started) = when(item, ItemStatus::InProgress, false) else {
            continue;
        };
        for &d in &deps[k] {
            let dep = &plan.steps[d];
            let done = items
                .iter()
                .find(|i| i.id == id_of(&dep.id))
                .and_then(|i| when(i, ItemStatus::Done, true));
            let before = match &done {
                None => true,
                Some(done) => started < *done,
            };
            if before {
                inversions.push(Inversion {
                    step: s.id.to_string(),
                    started: started.clone(),
                    depends_on: dep.id.to_string(),
                    dependency_done: done,
                });
            }
        }
    }
    let lessons = lessons(&steps, &inversions);
    Ok(Deviation {
        plan: slug,
        file: t.rel,
        steps,
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
    if !retried.is_empty() {
        out.push(format!(
            "Verification failed before passing on step {}: their criteria or commands were not what the work needed first.",
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
    m.push_str("\n## Order\n\n");
    if d.inversions.is_empty() {
        m.push_str("Every step started after what it depends on was done.\n");
    }
    for i in &d.inversions {
        let _ = writeln!(
            m,
            "- Step {} started at {} before step {} was done ({}).",
            i.step,
            i.started,
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
