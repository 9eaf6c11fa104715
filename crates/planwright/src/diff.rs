//! `planwright diff OLD NEW`: what changed between two plans (a superseded plan and its
//! successor, or two revisions of one plan: `PLAN@<git-rev>`), in the plan's own terms —
//! steps added, removed, renamed, moved, split or merged; dependency edges added and removed;
//! acceptance criteria and Verify commands changed.
//!
//! Steps are matched by title first, then by what they produce, by their number and checks
//! (Verify commands or criteria), and by the words of their titles;
//! a step whose files went to several new steps was split, several whose files went to one
//! were merged. A matched step is moved when it left the order the others keep (the longest
//! run of matched steps in the same order stays put).

use crate::error::Error;
use crate::workspace::Workspace;
use planwright_core::model::{Plan, Step};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A step on one side: its id and title.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StepName {
    pub id: String,
    pub title: String,
}

/// A list that changed: what left and what came.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Changed {
    /// The step (new side).
    pub step: StepName,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// The differences.
#[derive(Clone, Debug, Serialize, Default)]
pub struct Diff {
    pub old: String,
    pub new: String,
    pub added: Vec<StepName>,
    pub removed: Vec<StepName>,
    /// (old, new).
    pub renamed: Vec<(StepName, StepName)>,
    /// Steps that left the order the others keep (new side).
    pub moved: Vec<StepName>,
    /// An old step and the new steps its work went to.
    pub split: Vec<(StepName, Vec<StepName>)>,
    /// Old steps and the new step their work went to.
    pub merged: Vec<(Vec<StepName>, StepName)>,
    /// Dependency edges `A → B` (B depends on A), by new-side ids where the step survived.
    pub edges_added: Vec<(String, String)>,
    pub edges_removed: Vec<(String, String)>,
    pub criteria: Vec<Changed>,
    pub verify: Vec<Changed>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.moved.is_empty()
            && self.split.is_empty()
            && self.merged.is_empty()
            && self.edges_added.is_empty()
            && self.edges_removed.is_empty()
            && self.criteria.is_empty()
            && self.verify.is_empty()
    }
}

/// One side's text: a plan (slug or path), or `PLAN@REV` for the plan as commit REV has it.
pub fn side(ws: &Workspace, arg: &str) -> Result<(String, String), Error> {
    if let Some((plan, rev)) = arg.rsplit_once('@')
        && !rev.is_empty()
        && !plan.is_empty()
    {
        let t = ws.resolve(plan)?;
        let text = crate::git::show(&ws.root, rev, &t.rel).ok_or_else(|| {
            crate::error::not_found(format!(
                "{} is not in commit `{rev}`\n  help: `git log -- {}` lists the commits that have it",
                t.rel, t.rel
            ))
        })?;
        return Ok((format!("{}@{rev}", t.rel), text));
    }
    let t = ws.resolve(arg)?;
    let (src, _) = crate::workspace::read(&t)?;
    Ok((t.rel, src))
}

struct Side<'a> {
    src: &'a str,
    plan: &'a Plan,
}

impl Side<'_> {
    fn name(&self, k: usize) -> StepName {
        let s = &self.plan.steps[k];
        StepName {
            id: s.id.to_string(),
            title: s.title.value.clone(),
        }
    }

    fn entries(&self, k: usize, field: &str) -> Vec<String> {
        self.plan.steps[k]
            .field(field)
            .map(|f| {
                f.entries()
                    .iter()
                    .map(|e| e.span.text(self.src).trim().to_owned())
                    .filter(|e| !e.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn produces(&self, k: usize) -> BTreeSet<String> {
        self.plan.steps[k]
            .paths(self.src, "produces")
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect()
    }

    fn verify(&self, k: usize) -> Vec<String> {
        self.plan.steps[k]
            .verify
            .iter()
            .map(|c| c.text.clone())
            .collect()
    }
}

fn words(s: &Step) -> BTreeSet<String> {
    s.title
        .value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect()
}

fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// The differences between two plan texts.
pub fn diff(old_name: &str, old_src: &str, new_name: &str, new_src: &str) -> Diff {
    let (op, np) = (
        planwright_core::read(old_src, planwright_core::KindHint::Plan),
        planwright_core::read(new_src, planwright_core::KindHint::Plan),
    );
    let (o, n) = (
        Side {
            src: old_src,
            plan: &op,
        },
        Side {
            src: new_src,
            plan: &np,
        },
    );
    let (no, nn) = (op.steps.len(), np.steps.len());
    let mut to_new: Vec<Option<usize>> = vec![None; no];
    let mut taken = vec![false; nn];
    // 1. The same title.
    for (slot, old) in to_new.iter_mut().zip(&op.steps) {
        if let Some(j) = (0..nn).find(|&j| !taken[j] && np.steps[j].title.value == old.title.value)
        {
            *slot = Some(j);
            taken[j] = true;
        }
    }
    // 2. Renamed: the same files produced, or most of the title's words.
    let mut renamed = Vec::new();
    let unmatched: Vec<usize> = (0..no).filter(|&i| to_new[i].is_none()).collect();
    for i in unmatched {
        let (pi, wi) = (o.produces(i), words(&op.steps[i]));
        let best = (0..nn)
            .filter(|&j| !taken[j])
            .map(|j| {
                let pj = n.produces(j);
                let same_files = !pi.is_empty() && pi == pj;
                // Its number and its checks kept: the same step, retitled.
                let same_checks = op.steps[i].id == np.steps[j].id
                    && ((!o.verify(i).is_empty() && o.verify(i) == n.verify(j))
                        || (!o.entries(i, "acceptance criteria").is_empty()
                            && o.entries(i, "acceptance criteria")
                                == n.entries(j, "acceptance criteria")));
                let score = if same_files {
                    2.0
                } else if same_checks {
                    1.5
                } else {
                    jaccard(&wi, &words(&np.steps[j]))
                };
                (j, score)
            })
            .filter(|&(_, s)| s >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((j, _)) = best {
            to_new[i] = Some(j);
            taken[j] = true;
            renamed.push((o.name(i), n.name(j)));
        }
    }
    // 3. Split and merged, by where the files went.
    let mut split = Vec::new();
    let mut merged = Vec::new();
    let mut explained_old = vec![false; no];
    let mut explained_new = vec![false; nn];
    for i in (0..no).filter(|&i| to_new[i].is_none()) {
        let pi = o.produces(i);
        if pi.is_empty() {
            continue;
        }
        let parts: Vec<usize> = (0..nn)
            .filter(|&j| !taken[j] && !n.produces(j).is_disjoint(&pi))
            .collect();
        if parts.len() >= 2 {
            explained_old[i] = true;
            for &j in &parts {
                explained_new[j] = true;
            }
            split.push((o.name(i), parts.iter().map(|&j| n.name(j)).collect()));
        }
    }
    for j in 0..nn {
        if taken[j] || explained_new[j] {
            continue;
        }
        let pj = n.produces(j);
        if pj.is_empty() {
            continue;
        }
        let parts: Vec<usize> = (0..no)
            .filter(|&i| to_new[i].is_none() && !explained_old[i])
            .filter(|&i| {
                let pi = o.produces(i);
                !pi.is_empty() && pi.is_subset(&pj)
            })
            .collect();
        if parts.len() >= 2 {
            explained_new[j] = true;
            for &i in &parts {
                explained_old[i] = true;
            }
            merged.push((parts.iter().map(|&i| o.name(i)).collect(), n.name(j)));
        }
    }
    let removed: Vec<StepName> = (0..no)
        .filter(|&i| to_new[i].is_none() && !explained_old[i])
        .map(|i| o.name(i))
        .collect();
    let added: Vec<StepName> = (0..nn)
        .filter(|&j| !taken[j] && !explained_new[j])
        .map(|j| n.name(j))
        .collect();
    // 4. Moved: matched steps outside the longest run that keeps its order.
    let pairs: Vec<(usize, usize)> = (0..no).filter_map(|i| Some((i, to_new[i]?))).collect();
    let keep = longest_increasing(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    let mut moved: Vec<StepName> = pairs
        .iter()
        .enumerate()
        .filter(|(k, _)| !keep.contains(k))
        .map(|(_, &(_, j))| n.name(j))
        .collect();
    moved.sort_by(|a, b| a.id.cmp(&b.id));
    // 5. Edges, old ones named by the new ids of their steps.
    let od = planwright_core::graph::dependencies(&op);
    let nd = planwright_core::graph::dependencies(&np);
    let name_old = |i: usize| {
        to_new[i].map_or_else(
            || format!("(old) {}", op.steps[i].id),
            |j| np.steps[j].id.to_string(),
        )
    };
    let old_edges: BTreeSet<(String, String)> = od
        .iter()
        .enumerate()
        .flat_map(|(i, ds)| ds.iter().map(move |&d| (d, i)))
        .map(|(d, i)| (name_old(d), name_old(i)))
        .collect();
    let new_edges: BTreeSet<(String, String)> = nd
        .iter()
        .enumerate()
        .flat_map(|(j, ds)| ds.iter().map(move |&d| (d, j)))
        .map(|(d, j)| (np.steps[d].id.to_string(), np.steps[j].id.to_string()))
        .collect();
    // Edges of steps that came or went are told by the step, not again as edges.
    let gone: BTreeSet<String> = (0..no)
        .filter(|&i| to_new[i].is_none())
        .map(|i| format!("(old) {}", op.steps[i].id))
        .collect();
    let fresh: BTreeSet<String> = (0..nn)
        .filter(|&j| !taken[j])
        .map(|j| np.steps[j].id.to_string())
        .collect();
    let edges_added = new_edges
        .difference(&old_edges)
        .filter(|(a, b)| !fresh.contains(a) && !fresh.contains(b))
        .cloned()
        .collect();
    let edges_removed = old_edges
        .difference(&new_edges)
        .filter(|(a, b)| !gone.contains(a) && !gone.contains(b))
        .cloned()
        .collect();
    // 6. Criteria and Verify of matched steps.
    let mut criteria = Vec::new();
    let mut verify = Vec::new();
    for &(i, j) in &pairs {
        for (list, (a, b)) in [
            (
                &mut criteria,
                (
                    o.entries(i, "acceptance criteria"),
                    n.entries(j, "acceptance criteria"),
                ),
            ),
            (&mut verify, (o.verify(i), n.verify(j))),
        ] {
            if a != b {
                list.push(Changed {
                    step: n.name(j),
                    removed: a.iter().filter(|x| !b.contains(x)).cloned().collect(),
                    added: b.iter().filter(|x| !a.contains(x)).cloned().collect(),
                });
            }
        }
    }
    Diff {
        old: old_name.to_owned(),
        new: new_name.to_owned(),
        added,
        removed,
        renamed,
        moved,
        split,
        merged,
        edges_added,
        edges_removed,
        criteria,
        verify,
    }
}

/// Positions (into `v`) of a longest strictly increasing subsequence.
fn longest_increasing(v: &[usize]) -> BTreeSet<usize> {
    let n = v.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for k in 0..i {
            if v[k] < v[i] && len[k] + 1 > len[i] {
                len[i] = len[k] + 1;
                prev[i] = k;
            }
        }
    }
    let mut out = BTreeSet::new();
    let Some(mut at) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return out;
    };
    loop {
        out.insert(at);
        if prev[at] == usize::MAX {
            break;
        }
        at = prev[at];
    }
    out
}

fn step(s: &StepName) -> String {
    format!("{}. {}", s.id, s.title)
}

/// The differences for people.
pub fn to_text(d: &Diff) -> String {
    let mut m = format!("--- {}\n+++ {}\n", d.old, d.new);
    if d.is_empty() {
        m.push_str("no changes to steps, dependencies, criteria or Verify commands\n");
        return m;
    }
    for s in &d.added {
        let _ = writeln!(m, "added    step {}", step(s));
    }
    for s in &d.removed {
        let _ = writeln!(m, "removed  step {}", step(s));
    }
    for (a, b) in &d.renamed {
        let _ = writeln!(m, "renamed  step {} → {}", step(a), step(b));
    }
    for s in &d.moved {
        let _ = writeln!(m, "moved    step {}", step(s));
    }
    for (a, parts) in &d.split {
        let names: Vec<String> = parts.iter().map(step).collect();
        let _ = writeln!(m, "split    step {} into {}", step(a), names.join("; "));
    }
    for (parts, b) in &d.merged {
        let names: Vec<String> = parts.iter().map(step).collect();
        let _ = writeln!(m, "merged   steps {} into {}", names.join("; "), step(b));
    }
    for (a, b) in &d.edges_added {
        let _ = writeln!(m, "+ edge   step {b} depends on step {a}");
    }
    for (a, b) in &d.edges_removed {
        let _ = writeln!(m, "- edge   step {b} depends on step {a}");
    }
    for (what, list) in [("criteria", &d.criteria), ("verify", &d.verify)] {
        for c in list {
            let _ = writeln!(m, "{what:<8} step {}", step(&c.step));
            for r in &c.removed {
                let _ = writeln!(m, "  - {r}");
            }
            for a in &c.added {
                let _ = writeln!(m, "  + {a}");
            }
        }
    }
    m
}
