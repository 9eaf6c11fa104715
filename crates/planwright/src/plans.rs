//! `planwright list`: every plan the configuration finds, one row each — what an agent (or a
//! person new to the repository) reads first.

use crate::discover::{self, Matcher};
use crate::error::Error;
use crate::workspace::Workspace;
use serde::Serialize;

/// One plan: its name, file, title, kind, status, features, size and weight.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The slug (`add-batch-mode`), or the path for a plan outside `spec/plans/`; what every
    /// other command takes as PLAN.
    pub plan: String,
    pub file: String,
    pub title: String,
    pub kind: &'static str,
    /// The Status as written (`-` when there is none).
    pub status: String,
    /// The features it names, by folder under `spec/features/`.
    pub features: Vec<String>,
    pub steps: usize,
    pub effort: String,
    pub impact: String,
}

/// Every plan, sorted by path. Files that are not plans (plain documents) and files that
/// cannot be read as UTF-8 are left out; `planwright check` reports the latter.
pub fn list(ws: &Workspace) -> Result<Vec<Row>, Error> {
    let matcher = Matcher::new(&ws.config)?;
    let mut rows = Vec::new();
    for t in discover::discover(&ws.root, &matcher) {
        let Ok(src) = std::fs::read_to_string(&t.abs) else {
            continue;
        };
        let plan = planwright_core::read(&src, t.hint);
        if !plan.kind.is_plan() {
            continue;
        }
        let summary = crate::views::summarize(&t.rel, &src, &plan);
        let features = summary.as_ref().map_or_else(Vec::new, |s| {
            s.features()
                .filter_map(|f| f.strip_prefix("spec/features/"))
                .map(|f| f.trim_end_matches("/README.md").to_owned())
                .collect()
        });
        let text = |f: fn(&planwright_core::views::Summary) -> &str| {
            summary.as_ref().map_or("-", f).to_owned()
        };
        rows.push(Row {
            plan: discover::slug_of(&t.rel).unwrap_or_else(|| t.rel.clone()),
            title: plan
                .title
                .as_ref()
                .map_or_else(|| t.rel.clone(), |s| s.value.clone()),
            kind: plan.kind.as_str(),
            status: plan.status_text(&src).map_or("-", |(s, _)| s).to_owned(),
            features,
            steps: plan.steps.len(),
            effort: text(|s| s.effort()),
            impact: text(|s| s.impact()),
            file: t.rel,
        });
    }
    Ok(rows)
}
