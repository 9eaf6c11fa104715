//! A plan's dependency graph as `planwright graph` shows it: the nodes (steps, or a roadmap's
//! child plans), their effective dependencies and the analysis — order, waves of
//! parallel-eligible steps, the critical path and cycles. `render::graph` draws it.

use planwright_core::graph::{Analysis, analyse, effective_dependencies, weights};
use planwright_core::model::{Plan, PlanKind};

/// One node of the graph: a step, or a roadmap's child plan (borrowed from the plan).
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub parent: Option<usize>,
    pub status: Option<&'a str>,
}

/// A plan's graph, ready to render.
#[derive(Clone, Debug)]
pub struct Graph<'a> {
    /// The plan's name (slug, or path when it has none) and its file.
    pub plan: String,
    pub file: String,
    pub title: String,
    pub roadmap: bool,
    pub nodes: Vec<Node<'a>>,
    pub deps: Vec<Vec<usize>>,
    /// The type of each edge of `deps` the plan states (`Step 1 (schema)`), aligned with it.
    pub kinds: Vec<Vec<Option<&'static str>>>,
    pub analysis: Analysis,
}

impl<'a> Graph<'a> {
    pub fn build(plan: &'a Plan, src: &str, name: &str, file: &str) -> Graph<'a> {
        let title = plan
            .title
            .as_ref()
            .map_or_else(|| name.to_owned(), |t| t.value.clone());
        if plan.kind == PlanKind::Roadmap {
            return Graph::roadmap(plan, name, file, title);
        }
        let nodes = plan
            .steps
            .iter()
            .map(|s| Node {
                id: &s.id,
                title: &s.title.value,
                parent: s.parent,
                status: None,
            })
            .collect();
        let deps = effective_dependencies(plan);
        let analysis = analyse(&deps, &weights(plan, src));
        let kinds = deps
            .iter()
            .zip(&plan.steps)
            .map(|(ds, s)| {
                let declared = s.depends_on.as_ref().map_or(&[][..], |d| &d.refs[..]);
                ds.iter()
                    .map(|&d| {
                        declared
                            .iter()
                            .find(|r| r.id == plan.steps[d].id)
                            .and_then(|r| r.kind)
                            .map(planwright_core::model::DepKind::as_str)
                    })
                    .collect()
            })
            .collect();
        Graph {
            plan: name.to_owned(),
            file: file.to_owned(),
            title,
            roadmap: false,
            nodes,
            deps,
            kinds,
            analysis,
        }
    }

    /// A roadmap's child plans: rows with the same Order run together, each Order after the
    /// one before.
    fn roadmap(plan: &'a Plan, name: &str, file: &str, title: String) -> Graph<'a> {
        let rows = &plan.child_plans;
        let orders: Vec<f64> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                r.order
                    .as_ref()
                    .and_then(|o| o.value.trim().parse::<f64>().ok())
                    .filter(|o| o.is_finite())
                    .unwrap_or(i as f64 + 1.0)
            })
            .collect();
        let mut levels: Vec<f64> = orders.clone();
        levels.sort_by(f64::total_cmp);
        levels.dedup();
        // The rows of each level, in table order.
        let level_of = |o: f64| levels.partition_point(|l| *l < o);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); levels.len()];
        for (i, &o) in orders.iter().enumerate() {
            members[level_of(o)].push(i);
        }
        let deps: Vec<Vec<usize>> = orders
            .iter()
            .map(|&o| match level_of(o).checked_sub(1) {
                Some(prev) => members[prev].clone(),
                None => Vec::new(),
            })
            .collect();
        let nodes = rows
            .iter()
            .map(|r| Node {
                id: &r.name.value,
                title: &r.name.value,
                parent: None,
                status: r.status.as_ref().map(|s| s.value.as_str()),
            })
            .collect();
        let analysis = analyse(&deps, &vec![1.0; rows.len()]);
        Graph {
            plan: name.to_owned(),
            file: file.to_owned(),
            title,
            roadmap: true,
            nodes,
            kinds: deps.iter().map(|d| vec![None; d.len()]).collect(),
            deps,
            analysis,
        }
    }
}
