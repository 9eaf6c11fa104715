//! What one plan file says, read once for the ranking.

use super::*;

/// What one plan file says, read once.
pub(super) struct Facts {
    pub(super) rel: String,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) kind: PlanKind,
    pub(super) status: Option<Status>,
    pub(super) status_text: String,
    pub(super) effort: Estimate,
    /// Stated impact, or `None` to infer from the repository.
    pub(super) impact: Option<String>,
    pub(super) features: Vec<String>,
    /// A roadmap's children: (order, plan file).
    pub(super) children: Vec<(f64, String)>,
    pub(super) questions: Vec<String>,
    pub(super) links: Vec<String>,
    /// What the plan itself records, for a plan without work items.
    pub(super) own: Option<crate::work::Progress>,
    pub(super) own_latest: Option<i64>,
}

pub(super) fn facts(t: &crate::discover::Target) -> Option<Facts> {
    let src = std::fs::read_to_string(&t.abs).ok()?;
    let plan = planwright_core::read(&src, t.hint);
    if !plan.kind.is_plan() {
        return None;
    }
    let summary = crate::views::summarize(&t.rel, &src, &plan);
    let effort = match crate::roi::stated(&plan, &src, "effort") {
        Some(v) => Estimate {
            value: v,
            source: "stated",
            reason: "the plan's **Effort:**".into(),
        },
        None => crate::roi::infer_effort(&plan),
    };
    let children = plan
        .child_plans
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let target = planwright_core::rules::link_path(&t.rel, &c.target.as_ref()?.value)?;
            let target = target.trim_end_matches('/');
            let file = if target.ends_with(".md") {
                target.to_owned()
            } else {
                format!("{target}/README.md")
            };
            let order = c
                .order
                .as_ref()
                .and_then(|o| o.value.trim().parse::<f64>().ok())
                .unwrap_or((k + 1) as f64);
            Some((order, file))
        })
        .collect();
    let own_latest = plan
        .progress
        .iter()
        .filter_map(|e| e.timestamp.as_ref().and_then(crate::stats::epoch))
        .max();
    Some(Facts {
        slug: crate::discover::slug_of(&t.rel).unwrap_or_else(|| t.rel.clone()),
        title: plan
            .title
            .as_ref()
            .map_or_else(|| t.rel.clone(), |s| s.value.clone()),
        kind: plan.kind,
        status: plan.status(&src),
        status_text: plan.status_text(&src).map_or("-", |(s, _)| s).to_owned(),
        effort,
        impact: crate::roi::stated(&plan, &src, "impact"),
        features: summary
            .as_ref()
            .map_or_else(Vec::new, |s| s.features().map(str::to_owned).collect()),
        children,
        questions: summary.as_ref().map_or_else(Vec::new, |s| {
            s.questions()
                .filter(|q| !q.to_ascii_lowercase().starts_with("none"))
                .map(str::to_owned)
                .collect()
        }),
        links: crate::roi::linked_plans(&t.rel, &plan),
        own: crate::work::own_progress(&t.rel, &plan, &src),
        own_latest,
        rel: t.rel.clone(),
    })
}
