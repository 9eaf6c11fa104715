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

/// What one step needs, read from the last step back (`graph --reverse-read`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReadBack {
    pub step: String,
    pub title: String,
    /// Each step it depends on, with the dependency's type and what that step produces.
    pub needs: Vec<Need>,
    /// Each file it names that another step produces, and whether it depends on that step.
    pub uses: Vec<Use>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Need {
    pub step: String,
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    pub produces: Vec<String>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Use {
    pub file: String,
    pub produced_by: String,
    /// The step waits for the producer (directly or through others).
    pub ordered: bool,
}

/// The seeds' reverse read of a plan: from the last step (in dependency order) back to the
/// first, what each step needs and which step provides it.
pub fn reverse_read(plan: &Plan, src: &str) -> Vec<ReadBack> {
    let g = Graph::build(plan, src, "", "");
    let produced: Vec<Vec<(&str, planwright_core::Span)>> = plan
        .steps
        .iter()
        .map(|s| s.paths(src, "produces"))
        .collect();
    // Everything each step waits for, through others too.
    let n = plan.steps.len();
    let mut before: Vec<Vec<bool>> = vec![vec![false; n]; n];
    for &k in &g.analysis.order {
        for &d in &g.deps[k] {
            before[k][d] = true;
            let (head, tail) = before.split_at_mut(k.max(d));
            let (into, from) = if k > d {
                (&mut tail[0], &head[d])
            } else {
                (&mut head[k], &tail[0])
            };
            for (x, &y) in into.iter_mut().zip(from.iter()) {
                *x |= y;
            }
        }
    }
    let mut order = g.analysis.order.clone();
    order.reverse();
    order
        .into_iter()
        .map(|k| {
            let s = &plan.steps[k];
            let needs = g.deps[k]
                .iter()
                .zip(&g.kinds[k])
                .map(|(&d, kind)| Need {
                    step: plan.steps[d].id.to_string(),
                    kind: *kind,
                    produces: produced[d].iter().map(|(p, _)| (*p).to_owned()).collect(),
                })
                .collect();
            let mut uses = Vec::new();
            for c in s.code_spans(plan) {
                let Some(file) = planwright_core::text::path_in(c.text(src)) else {
                    continue;
                };
                for (j, ps) in produced.iter().enumerate() {
                    if j != k && ps.iter().any(|(p, _)| *p == file) {
                        uses.push(Use {
                            file: file.to_owned(),
                            produced_by: plan.steps[j].id.to_string(),
                            ordered: before[k][j],
                        });
                    }
                }
            }
            ReadBack {
                step: s.id.to_string(),
                title: s.title.value.clone(),
                needs,
                uses,
            }
        })
        .collect()
}
