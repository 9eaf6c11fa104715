//! `planwright report next [--full]`: `spec/plans/WHATS-NEXT.md`, what to work on next across
//! the repository — what was completed since the last report, what is in progress, and the
//! plans to start next, ranked by a deterministic key with the reason for each place.
//!
//! The key, read left to right: ROI (impact over effort, stated or inferred), newly unblocked
//! (a plan before it in its roadmap completed since the last report), momentum (its roadmap is
//! in progress), feature status (closer to stable first), approval, then the name.
//!
//! Incremental mode (the default) reads the previous report and asks git what changed since
//! the commit that last wrote it: nothing relevant, and the file stays as it is; otherwise the
//! report is ranked again from the whole state (a completion anywhere can move any plan) and
//! only the sections that changed are rewritten — a narrative added to Reasoning survives
//! while the ranking holds. `--full` ignores the previous report's sections. Both modes rank
//! the same state the same way.

use crate::error::Error;
use crate::roi::Estimate;
use crate::workspace::{Change, Changes, Workspace};
use planwright_core::model::{PlanKind, Status};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

mod facts;
mod markdown;
mod reasons;

use facts::{Facts, facts};
pub use markdown::{generated_of, to_markdown};
use markdown::{kept_narrative, with_narrative};
use reasons::{blockers, reason, why_before};

/// Where the report lives.
pub const FILE: &str = "spec/plans/WHATS-NEXT.md";

/// Where an agent's narrative begins in Reasoning; kept while the ranking holds.
const NARRATIVE: &str = "<!-- planwright:narrative -->";

/// What the caller asks for.
pub struct Options {
    pub full: bool,
    /// How many plans to recommend.
    pub limit: usize,
    /// The time of the report, seconds since the epoch.
    pub now: i64,
}

/// A completed plan or roadmap.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Completed {
    pub plan: String,
    pub file: String,
    pub completed_at: Option<String>,
}

/// A plan or roadmap with work started and not finished.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct InProgress {
    pub plan: String,
    pub file: String,
    pub kind: &'static str,
    /// `2/4 steps done, no blockers`.
    pub summary: String,
}

/// A plan to start, with the signals of its place.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Recommendation {
    pub rank: usize,
    pub plan: String,
    pub file: String,
    pub title: String,
    pub status: String,
    pub effort: Estimate,
    pub impact: Estimate,
    /// Impact over effort, as `next` ranks work items.
    pub roi: u8,
    /// Plans before it in its roadmap that completed since the last report.
    pub unblocked_by: Vec<String>,
    /// Its roadmap, when that roadmap is in progress.
    pub momentum: Option<String>,
    /// The best status among its features (`stable`, `in progress`, …), when it has any.
    pub feature_status: Option<String>,
    /// One line: why it is here.
    pub reason: String,
}

/// A plan that waits for earlier plans of its roadmap.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Waiting {
    pub plan: String,
    pub file: String,
    pub after: Vec<String>,
}

/// An Outstanding Question of a plan.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Question {
    pub plan: String,
    pub file: String,
    pub question: String,
}

/// The report.
#[derive(Clone, Debug, Serialize)]
pub struct WhatsNext {
    pub generated: String,
    /// `full` or `incremental`.
    pub mode: &'static str,
    /// Why incremental mode fell back to a full report, or what it was incremental over.
    pub mode_note: String,
    /// The previous report's Generated time, which "since the last update" means.
    pub since: Option<String>,
    pub completed: Vec<Completed>,
    /// Completed plans and roadmaps in all (the section lists only the recent ones).
    pub completed_total: usize,
    pub in_progress: Vec<InProgress>,
    pub recommended: Vec<Recommendation>,
    /// Plans that could be recommended, waiting ones left out.
    pub candidates: usize,
    pub waiting: Vec<Waiting>,
    pub reasoning: Vec<String>,
    pub questions: Vec<Question>,
}

/// Where a plan stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Completed,
    InProgress,
    NotStarted,
    Superseded,
}

/// Seconds since the epoch of an RFC 3339 (or planwright) timestamp.
fn epoch_of(s: &str) -> Option<i64> {
    planwright_core::time::find_timestamp(s, 0).and_then(|t| crate::stats::epoch(&t))
}

/// The link to a plan from `spec/plans/WHATS-NEXT.md`.
fn link(rel: &str) -> String {
    match rel
        .strip_prefix("spec/plans/")
        .and_then(|r| r.strip_suffix("README.md"))
    {
        Some(folder) => folder.to_owned(),
        None => match rel.strip_prefix("spec/plans/") {
            Some(r) => r.to_owned(),
            None => format!("../../{rel}"),
        },
    }
}

/// The report of the repository's current state. `previous` is the text of the report on
/// disk, whose Generated time "since the last update" means.
pub fn compute(
    ws: &Workspace,
    previous: Option<&str>,
    mode: &'static str,
    mode_note: String,
    opts: &Options,
) -> Result<WhatsNext, Error> {
    let matcher = crate::discover::Matcher::new(&ws.config)?;
    let parts = matcher.walk(
        &ws.root,
        None,
        Vec::new,
        |all: &mut Vec<Facts>, t| all.extend(facts(&t)),
        |all| all,
    );
    let mut plans: Vec<Facts> = parts.into_iter().flatten().collect();
    plans.sort_by(|a, b| a.rel.cmp(&b.rel));
    let index: HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(k, f)| (f.rel.as_str(), k))
        .collect();

    // Work items: progress and the latest event per plan.
    let items = crate::work::Store::new(&ws.root, &ws.config).load()?;
    let rows: HashMap<String, crate::work::Progress> = crate::work::progress(&items)
        .into_iter()
        .map(|r| (r.plan.clone(), r))
        .collect();
    let mut latest: HashMap<&str, i64> = HashMap::new();
    for i in items.iter().filter(|i| !i.superseded) {
        if let Some(t) = i.events.iter().filter_map(|e| epoch_of(&e.at)).max() {
            let e = latest.entry(i.plan.as_str()).or_insert(t);
            *e = (*e).max(t);
        }
    }

    // Each plan's state, steps and completion time; roadmaps after their children.
    let n = plans.len();
    let mut state = vec![State::NotStarted; n];
    let mut summary = vec![String::new(); n];
    let mut completed_at: Vec<Option<i64>> = vec![None; n];
    for (k, f) in plans.iter().enumerate() {
        if f.status == Some(Status::Superseded) {
            state[k] = State::Superseded;
            continue;
        }
        if f.kind == PlanKind::Roadmap {
            continue;
        }
        let row = rows.get(&f.rel).or(f.own.as_ref());
        let (steps, done, started, blocked) = row.map_or((0, 0, 0, 0), |r| {
            (r.steps, r.done, r.in_progress + r.done, r.blocked)
        });
        state[k] = if (steps > 0 && done == steps) || f.status == Some(Status::Completed) {
            State::Completed
        } else if started > 0 || blocked > 0 || f.status == Some(Status::InProgress) {
            State::InProgress
        } else {
            State::NotStarted
        };
        summary[k] = format!("{done}/{steps} steps done, {}", blockers(blocked));
        completed_at[k] = if rows.contains_key(&f.rel) {
            latest.get(f.rel.as_str()).copied()
        } else {
            f.own_latest
        };
    }
    // Roadmaps, deepest first, so that a roadmap of roadmaps sees its children's state.
    let mut roadmaps: Vec<usize> = (0..n)
        .filter(|&k| plans[k].kind == PlanKind::Roadmap && state[k] != State::Superseded)
        .collect();
    roadmaps.sort_by_key(|&k| std::cmp::Reverse(plans[k].rel.matches('/').count()));
    let mut parent_of: HashMap<usize, usize> = HashMap::new();
    for &r in &roadmaps {
        let kids: Vec<usize> = plans[r]
            .children
            .iter()
            .filter_map(|(_, c)| index.get(c.as_str()).copied())
            .filter(|&c| state[c] != State::Superseded)
            .collect();
        for &c in &kids {
            parent_of.entry(c).or_insert(r);
        }
        let total = plans[r].children.len();
        let done = kids
            .iter()
            .filter(|&&c| state[c] == State::Completed)
            .count();
        let started = kids
            .iter()
            .filter(|&&c| state[c] != State::NotStarted)
            .count();
        let blocked: usize = kids
            .iter()
            .filter_map(|&c| rows.get(&plans[c].rel))
            .map(|r| r.blocked)
            .sum();
        state[r] = if total > 0 && done == total {
            State::Completed
        } else if started > 0 {
            State::InProgress
        } else {
            State::NotStarted
        };
        summary[r] = format!("{done}/{total} plans done, {}", blockers(blocked));
        completed_at[r] = kids.iter().filter_map(|&c| completed_at[c]).max();
    }

    let since = previous.and_then(generated_of);
    let since_epoch = since.as_deref().and_then(epoch_of);
    let recent = |k: usize| {
        state[k] == State::Completed
            && since_epoch.is_some_and(|s| completed_at[k].is_some_and(|t| t > s))
    };

    let completed_total = (0..n).filter(|&k| state[k] == State::Completed).count();
    // The first report lists what was completed before it (the first of them).
    let completed: Vec<Completed> = (0..n)
        .filter(|&k| recent(k) || (since_epoch.is_none() && state[k] == State::Completed))
        .map(|k| Completed {
            plan: plans[k].slug.clone(),
            file: plans[k].rel.clone(),
            completed_at: completed_at[k].map(|t| crate::clock::rfc3339_of(t.max(0) as u64)),
        })
        .collect();
    let in_progress: Vec<InProgress> = (0..n)
        .filter(|&k| state[k] == State::InProgress)
        .map(|k| InProgress {
            plan: plans[k].slug.clone(),
            file: plans[k].rel.clone(),
            kind: if plans[k].kind == PlanKind::Roadmap {
                "roadmap"
            } else {
                "plan"
            },
            summary: summary[k].clone(),
        })
        .collect();

    // Impact inferred from the plans that link to each plan, and from its features.
    let mut linked_from: HashMap<&str, usize> = HashMap::new();
    for f in &plans {
        for l in &f.links {
            *linked_from.entry(l.as_str()).or_default() += 1;
        }
    }
    let mut feature_status: HashMap<&str, String> = HashMap::new();
    for f in &plans {
        for feat in &f.features {
            feature_status
                .entry(feat.as_str())
                .or_insert_with(|| crate::roi::feature_status(&ws.root, feat));
        }
    }
    let best_feature = |k: usize| -> Option<&str> {
        plans[k]
            .features
            .iter()
            .filter_map(|f| feature_status.get(f.as_str()).map(String::as_str))
            .filter(|s| !s.is_empty())
            .max_by_key(|s| crate::roi::feature_stage(s))
    };

    // Candidates and those that wait.
    let mut waiting = Vec::new();
    let mut cands: Vec<(usize, Recommendation)> = Vec::new();
    for k in 0..n {
        if state[k] != State::NotStarted || plans[k].kind == PlanKind::Roadmap {
            continue;
        }
        let f = &plans[k];
        // The plans before it in its roadmap's order.
        let before: Vec<usize> = parent_of.get(&k).map_or_else(Vec::new, |&r| {
            let mine = plans[r]
                .children
                .iter()
                .find(|(_, c)| *c == f.rel)
                .map_or(f64::MAX, |(o, _)| *o);
            plans[r]
                .children
                .iter()
                .filter(|(o, _)| *o < mine)
                .filter_map(|(_, c)| index.get(c.as_str()).copied())
                .filter(|&c| state[c] != State::Superseded)
                .collect()
        });
        let open: Vec<usize> = before
            .iter()
            .copied()
            .filter(|&c| state[c] != State::Completed)
            .collect();
        if !open.is_empty() {
            waiting.push(Waiting {
                plan: f.slug.clone(),
                file: f.rel.clone(),
                after: open.iter().map(|&c| plans[c].slug.clone()).collect(),
            });
            continue;
        }
        let impact = match &f.impact {
            Some(v) => Estimate {
                value: v.clone(),
                source: "stated",
                reason: "the plan's **Impact:**".into(),
            },
            None => {
                let (mut stable, mut building) = (0, 0);
                for feat in &f.features {
                    match feature_status
                        .get(feat.as_str())
                        .map_or(0, |s| crate::roi::feature_stage(s))
                    {
                        3 => stable += 1,
                        2 => building += 1,
                        _ => {}
                    }
                }
                crate::roi::impact_from(
                    linked_from.get(f.rel.as_str()).copied().unwrap_or(0),
                    stable,
                    building,
                )
            }
        };
        let roi = crate::work::rank::impact_rank(&impact.value) * 8
            / crate::work::rank::effort_rank(&f.effort.value);
        let unblocked_by: Vec<String> = before
            .iter()
            .filter(|&&c| recent(c))
            .map(|&c| plans[c].slug.clone())
            .collect();
        let momentum = parent_of
            .get(&k)
            .filter(|&&r| state[r] == State::InProgress)
            .map(|&r| plans[r].slug.clone());
        cands.push((
            k,
            Recommendation {
                rank: 0,
                plan: f.slug.clone(),
                file: f.rel.clone(),
                title: f.title.clone(),
                status: f.status_text.clone(),
                effort: f.effort.clone(),
                impact,
                roi,
                unblocked_by,
                momentum,
                feature_status: best_feature(k).map(str::to_owned),
                reason: String::new(),
            },
        ));
    }
    let candidates = cands.len();
    let approval = |k: usize| match plans[k].status {
        Some(Status::Approved) => 3u8,
        Some(Status::InReview) => 2,
        Some(Status::Draft) => 1,
        _ => 0,
    };
    let key = |(k, r): &(usize, Recommendation)| {
        (
            std::cmp::Reverse(r.roi),
            std::cmp::Reverse(!r.unblocked_by.is_empty()),
            std::cmp::Reverse(r.momentum.is_some()),
            std::cmp::Reverse(
                r.feature_status
                    .as_deref()
                    .map_or(0, crate::roi::feature_stage),
            ),
            std::cmp::Reverse(approval(*k)),
            plans[*k].slug.clone(),
        )
    };
    if opts.limit < cands.len() {
        cands.select_nth_unstable_by_key(opts.limit, key);
        cands.truncate(opts.limit);
    }
    cands.sort_by_key(key);
    let mut recommended: Vec<Recommendation> = Vec::new();
    let mut reasoning = vec![
        "Ranked by ROI (impact over effort, inferred where a plan states none), then what recent completions unblock, then momentum (a roadmap in progress), then feature status (closer to stable first), then approval, then name.".to_owned(),
    ];
    for (pos, (k, mut r)) in cands.into_iter().enumerate() {
        r.rank = pos + 1;
        r.reason = reason(&r, approval(k));
        if let Some(prev) = recommended.last() {
            reasoning.push(format!(
                "{} before {}: {}.",
                prev.plan,
                r.plan,
                why_before(prev, &r, &plans, &index)
            ));
        }
        recommended.push(r);
    }
    if !waiting.is_empty() {
        let names: Vec<String> = waiting
            .iter()
            .take(10)
            .map(|w| format!("{} (after {})", w.plan, w.after.join(", ")))
            .collect();
        reasoning.push(format!(
            "Waiting for earlier plans of their roadmap: {}{}.",
            names.join("; "),
            if waiting.len() > 10 {
                format!("; and {} more", waiting.len() - 10)
            } else {
                String::new()
            }
        ));
    }
    let inferred = recommended
        .iter()
        .filter(|r| r.effort.source == "inferred" || r.impact.source == "inferred")
        .count();
    if inferred > 0 {
        reasoning.push(format!(
            "Effort or impact inferred for {inferred} of the recommended plans: `planwright roi PLAN` says why, and `--accept` writes them into a draft."
        ));
    }
    let plans = &plans;
    let questions = (0..n)
        .filter(|&k| matches!(state[k], State::NotStarted | State::InProgress))
        .flat_map(|k| {
            plans[k].questions.iter().map(move |q| Question {
                plan: plans[k].slug.clone(),
                file: plans[k].rel.clone(),
                question: q.clone(),
            })
        })
        .collect();
    Ok(WhatsNext {
        generated: crate::clock::rfc3339_of(opts.now.max(0) as u64),
        mode,
        mode_note,
        since,
        completed,
        completed_total,
        in_progress,
        recommended,
        candidates,
        waiting,
        reasoning,
        questions,
    })
}

/// What `report next` did.
pub struct Outcome {
    pub report: WhatsNext,
    pub text: String,
    pub changes: Changes,
    /// Incremental mode found nothing relevant changed: the file was left as it is.
    pub unchanged: bool,
}

/// Incremental or full: the report, written unless `dry_run`.
pub fn report(
    ws: &Workspace,
    opts: &Options,
    agent: Option<&str>,
    dry_run: bool,
) -> Result<Outcome, Error> {
    let abs = crate::confine::resolve_rel(&ws.root, FILE)?;
    let old = match std::fs::read_to_string(&abs) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(FILE, e)),
    };
    let (mode, note) = if opts.full {
        ("full", String::new())
    } else {
        match &old {
            None => ("full", "no previous report".to_owned()),
            Some(_) => match crate::git::last_commit_of(&ws.root, FILE) {
                None => ("full", "the previous report is not committed".to_owned()),
                Some(base) => {
                    let changed = crate::git::changed_since(&ws.root, &base)?;
                    let matcher = crate::discover::Matcher::new(&ws.config)?;
                    let work = format!("{}/", ws.config.work_dir.trim_end_matches('/'));
                    let relevant = changed.iter().any(|p| {
                        p != FILE
                            && (matcher.hint(p).is_some()
                                || p.starts_with("spec/features/")
                                || p.starts_with(&work)
                                || p == "planwright.toml")
                    });
                    let short = base.get(..10).unwrap_or(&base).to_owned();
                    if !relevant {
                        let text = old.clone().unwrap_or_default();
                        let report = compute(
                            ws,
                            old.as_deref(),
                            "incremental",
                            format!("since {short}"),
                            opts,
                        )?;
                        let mut changes = Changes::new(dry_run);
                        changes.say(format!(
                            "{FILE} is current: no plan, feature or work item changed since commit {short}"
                        ));
                        return Ok(Outcome {
                            report,
                            text,
                            changes,
                            unchanged: true,
                        });
                    }
                    ("incremental", format!("since {short}"))
                }
            },
        }
    };
    let report = compute(ws, old.as_deref(), mode, note, opts)?;
    let mut text = to_markdown(&report);
    if let Some(cmd) = agent {
        let ask = format!(
            "Below is planwright's What's Next report for this repository, ranked deterministically. Write a short narrative (at most 10 lines of Markdown) for its Reasoning section: dependency unlocks, ROI, momentum, competing priorities. Do not change the ranking.\n\n{text}"
        );
        let answer = crate::draft::run_agent(ws, cmd, &ask, "planwright report next --dry-run")?;
        text = with_narrative(&text, &format!("{NARRATIVE}\n{}", answer.trim()));
    } else if mode == "incremental"
        && let Some(n) = old.as_deref().and_then(|o| kept_narrative(o, &text))
    {
        text = with_narrative(&text, n);
    }
    let mut changes = Changes::new(dry_run);
    if old.as_deref() != Some(text.as_str()) {
        if !dry_run {
            let _lock = crate::write::lock(&ws.root)?;
            crate::write::write_atomic(&ws.root, &abs, &text)?;
            changes.say(format!("wrote {FILE} ({mode})"));
        }
        match &old {
            Some(o) => changes.edited(FILE, o, &text),
            None => changes.entries.push(Change::Created {
                rel: FILE.to_owned(),
                text: text.clone(),
            }),
        }
    }
    Ok(Outcome {
        report,
        text,
        changes,
        unchanged: false,
    })
}
