//! `planwright roi PLAN [--accept]`: the effort and impact a plan leaves unstated, inferred
//! with the reason, so that ranking (`next`) has something to go on; `--accept` writes them
//! into a draft plan.
//!
//! Effort comes from the plan's size: its steps, the longest chain of dependencies, its Verify
//! commands and its child plans. Impact comes from its place in the repository: how many other
//! plans link to it, and the status of the features it touches (a stable feature's users are
//! real).

use crate::error::Error;
use crate::workspace::{Changes, Workspace};
use planwright_core::model::{Plan, Status};
use serde::Serialize;

/// A value, stated or inferred, and why.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Estimate {
    pub value: String,
    /// `stated` (the plan's own field) or `inferred`.
    pub source: &'static str,
    pub reason: String,
}

/// A plan's effort and impact.
#[derive(Clone, Debug, Serialize)]
pub struct Roi {
    pub plan: String,
    pub effort: Estimate,
    pub impact: Estimate,
}

/// The effort and impact of `arg`; with `accept`, the inferred ones written into the plan
/// (a draft or in review only: an approved plan is frozen).
pub fn roi(
    ws: &Workspace,
    arg: &str,
    accept: bool,
    dry_run: bool,
) -> Result<(Roi, Changes), Error> {
    let t = ws.resolve(arg)?;
    let (src, plan) = crate::workspace::read(&t)?;
    let stated = |name: &str| stated(&plan, &src, name);
    let effort = match stated("effort") {
        Some(v) => Estimate {
            value: v,
            source: "stated",
            reason: "the plan's **Effort:**".into(),
        },
        None => infer_effort(&plan),
    };
    let impact = match stated("impact") {
        Some(v) => Estimate {
            value: v,
            source: "stated",
            reason: "the plan's **Impact:**".into(),
        },
        None => infer_impact(ws, &t.rel, &plan, &src)?,
    };
    let roi = Roi {
        plan: planwright_core::text::slug_of(&t.rel).unwrap_or_else(|| t.rel.clone()),
        effort,
        impact,
    };
    let mut changes = Changes::new(dry_run);
    if accept {
        let mut edits = Vec::new();
        if roi.effort.source == "inferred" {
            edits.push(crate::lifecycle::set_field(
                &src,
                &plan,
                "effort",
                "Effort",
                &roi.effort.value,
            ));
        }
        if roi.impact.source == "inferred" {
            edits.push(crate::lifecycle::set_field(
                &src,
                &plan,
                "impact",
                "Impact",
                &roi.impact.value,
            ));
        }
        // Only what would be written is refused on a frozen plan.
        if !edits.is_empty()
            && matches!(
                plan.status(&src),
                Some(Status::Approved | Status::Superseded)
            )
        {
            return Err(crate::error::refused(format!(
                "{} is {}: its content is frozen\n  help: write the estimates into its successor, or state them before approval",
                t.rel,
                plan.status_text(&src).map_or("-", |(s, _)| s)
            )));
        }
        if !edits.is_empty() {
            let _lock = ws.lock(dry_run)?;
            let new = planwright_core::edit::apply(&src, &edits)
                .map_err(|e| crate::error::refused(e.to_string()))?;
            changes.commit(ws, &t, &src, &new)?;
            changes.plan(&t);
            if !dry_run {
                changes.say(format!(
                    "{}: Effort {}, Impact {} written",
                    t.rel, roi.effort.value, roi.impact.value
                ));
                // The index and the feature tables show them.
                crate::regenerate::update(ws, &mut changes)?;
            }
        }
    }
    Ok((roi, changes))
}

/// A header field's value as the plan states it; `None` when absent, empty or a placeholder.
pub fn stated(plan: &Plan, src: &str, name: &str) -> Option<String> {
    plan.field(name)
        .map(|f| planwright_core::text::strip_decoration(f.inline.text(src)).to_owned())
        .filter(|v| !v.is_empty() && !v.starts_with('['))
}

/// Effort from the plan's size: steps, the longest chain, Verify commands, child plans.
pub fn infer_effort(plan: &Plan) -> Estimate {
    let e = planwright_core::estimate::effort(plan);
    Estimate {
        value: e.value.to_owned(),
        source: "inferred",
        reason: e.reason,
    }
}

fn infer_impact(ws: &Workspace, rel: &str, plan: &Plan, src: &str) -> Result<Estimate, Error> {
    // Other plans that link to this one (its file or its folder).
    let matcher = crate::discover::Matcher::new(&ws.config)?;
    let mut linked_from = 0;
    for t in crate::discover::discover(&ws.root, &matcher) {
        if t.rel == rel {
            continue;
        }
        let Ok(other) = std::fs::read_to_string(&t.abs) else {
            continue;
        };
        let p = planwright_core::read(&other, t.hint);
        if linked_plans(&t.rel, &p).iter().any(|target| target == rel) {
            linked_from += 1;
        }
    }
    let (stable, building) = feature_stages(&ws.root, rel, src, plan);
    Ok(impact_from(linked_from, stable, building))
}

/// The plan files a plan links to (a link to a plan's folder counts as one to its README.md),
/// once each.
pub fn linked_plans(rel: &str, plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = plan
        .links
        .iter()
        .filter_map(|l| planwright_core::rules::link_path(rel, &l.target))
        .map(|t| {
            let t = t.trim_end_matches('/');
            if t.ends_with(".md") || t.ends_with(".json") || t.ends_with(".jsonl") {
                t.to_owned()
            } else {
                format!("{t}/README.md")
            }
        })
        .filter(|t| t != rel)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How many of the plan's features are stable, and how many in progress.
pub fn feature_stages(root: &std::path::Path, rel: &str, src: &str, plan: &Plan) -> (usize, usize) {
    let summary = planwright_core::views::summarize(rel, src, plan);
    let mut stable = 0;
    let mut building = 0;
    for f in summary.iter().flat_map(|s| s.features()) {
        match feature_stage(&feature_status(root, f)) {
            3 => stable += 1,
            2 => building += 1,
            _ => {}
        }
    }
    (stable, building)
}

/// A feature spec's **Status:**, lower case (empty when it has none or cannot be read).
pub fn feature_status(root: &std::path::Path, rel: &str) -> String {
    let text = crate::confine::read_to_string(root, std::path::Path::new(rel)).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("**Status:**"))
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// How close a feature status is to stable: 3 stable, 2 in progress, 1 any other, 0 none.
pub fn feature_stage(status: &str) -> u8 {
    match status {
        "stable" => 3,
        "in progress" | "in_progress" | "beta" => 2,
        "" => 0,
        _ => 1,
    }
}

/// Impact from the plans that link to a plan and its features' stages.
pub fn impact_from(linked_from: usize, stable: usize, building: usize) -> Estimate {
    let score = linked_from * 2 + stable * 2 + building;
    let value = match score {
        0..=1 => "low",
        2..=3 => "medium",
        _ => "high",
    };
    Estimate {
        value: value.to_owned(),
        source: "inferred",
        reason: format!(
            "{linked_from} other plan{} link to it; its features: {stable} stable, {building} in progress",
            if linked_from == 1 { "" } else { "s" }
        ),
    }
}
