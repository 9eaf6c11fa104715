//! Graph analysis over a plan's steps: resolved edges, cycles, a stable topological order.

use crate::model::Plan;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// `deps[i]` lists the indices of the steps step `i` depends on (dangling and self refs
/// excluded), in the order written, without duplicates.
pub fn dependencies(plan: &Plan) -> Vec<Vec<usize>> {
    let index = IdIndex::new(plan);
    plan.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let refs = s.depends_on.as_ref().map_or(&[][..], |d| &d.refs[..]);
            let mut out: Vec<usize> = Vec::with_capacity(refs.len());
            for r in refs {
                if let Some(j) = index.get(&r.id)
                    && j != i
                    && !out.contains(&j)
                {
                    out.push(j);
                }
            }
            out
        })
        .collect()
}

/// Finds a step by id; the first step of an id wins, as in a map built in document order.
pub(crate) struct IdIndex<'a> {
    plan: &'a Plan,
    /// Sorted `(id, index)` pairs for a long plan; a short one is searched in order, which
    /// is cheaper than sorting or hashing its few dozen short ids.
    sorted: Vec<(&'a str, usize)>,
}

impl<'a> IdIndex<'a> {
    const LINEAR: usize = 64;

    pub(crate) fn new(plan: &'a Plan) -> Self {
        let mut sorted = Vec::new();
        if plan.steps.len() > Self::LINEAR {
            sorted = plan
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| (&*s.id, i))
                .collect();
            sorted.sort_unstable();
        }
        IdIndex { plan, sorted }
    }

    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        if self.plan.steps.len() <= Self::LINEAR {
            return self.plan.steps.iter().position(|s| s.id == id);
        }
        let k = self.sorted.partition_point(|e| e.0 < id);
        self.sorted.get(k).filter(|e| e.0 == id).map(|e| e.1)
    }
}

/// Dependencies as they apply to execution: the declared ones, plus, for a sub-step, its
/// parent's (a sub-step is part of its step and cannot start before the step could). A
/// sub-step that names its own parent keeps just that.
pub fn effective_dependencies(plan: &Plan) -> Vec<Vec<usize>> {
    let mut deps = dependencies(plan);
    for (i, s) in plan.steps.iter().enumerate() {
        for &a in &s.after {
            if a != i && !deps[i].contains(&a) {
                deps[i].push(a);
            }
        }
    }
    for i in 0..plan.steps.len() {
        let mut p = plan.steps[i].parent;
        let mut guard = 0;
        while let Some(parent) = p {
            if deps[i].contains(&parent) || guard > 8 {
                break;
            }
            let inherited: Vec<usize> = deps[parent].iter().copied().filter(|&d| d != i).collect();
            for d in inherited {
                if !deps[i].contains(&d) {
                    deps[i].push(d);
                }
            }
            p = plan.steps[parent].parent;
            guard += 1;
        }
    }
    deps
}

/// Strongly connected components with more than one node, each as one cycle path
/// `[a, b, c]` meaning a → b → c → a ("a depends on b" edges), smallest index first.
pub fn cycles(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    // The usual plan only depends on earlier steps: no cycle is possible.
    if points_backwards(deps) {
        return Vec::new();
    }
    let n = deps.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut comps: Vec<Vec<usize>> = Vec::new();
    // Iterative Tarjan: (node, next edge position)
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if let Some(&w) = deps[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if comp.len() > 1 {
                        comps.push(comp);
                    }
                }
            }
        }
    }
    let mut out: Vec<Vec<usize>> = comps.iter().map(|c| cycle_in(deps, c)).collect();
    out.sort();
    out
}

/// A simple cycle through the smallest node of a strongly connected component.
fn cycle_in(deps: &[Vec<usize>], comp: &[usize]) -> Vec<usize> {
    let start = comp.iter().copied().min().unwrap_or(0);
    let in_comp = |x: usize| comp.contains(&x);
    // BFS from start's successors back to start, within the component.
    let mut prev: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::new();
    queue.push_back(start);
    let mut found = None;
    while let Some(v) = queue.pop_front() {
        for &w in &deps[v] {
            if !in_comp(w) {
                continue;
            }
            if w == start {
                found = Some(v);
                break;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
        if found.is_some() {
            break;
        }
    }
    let mut path = Vec::new();
    let mut cur = found.unwrap_or(start);
    while cur != start {
        path.push(cur);
        cur = prev.get(&cur).copied().unwrap_or(start);
    }
    path.push(start);
    path.reverse();
    path
}

/// The shape of a plan's dependency graph, by step index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    /// A topological order (dependencies first, ties by document order) of every step that
    /// is not in a cycle and does not depend on one.
    pub order: Vec<usize>,
    /// Waves of steps that can run at the same time: wave 0 has no dependencies, wave N
    /// depends only on earlier waves.
    pub waves: Vec<Vec<usize>>,
    /// The longest chain by weight, first step first.
    pub critical_path: Vec<usize>,
    /// Total weight of the critical path.
    pub critical_weight: f64,
    /// Every cycle, as in [`cycles`].
    pub cycles: Vec<Vec<usize>>,
}

/// Order, waves, critical path and cycles of a dependency graph. `weights[i]` is step i's
/// weight on the critical path (1.0 when unknown).
pub fn analyse(deps: &[Vec<usize>], weights: &[f64]) -> Analysis {
    let n = deps.len();
    let cycles = cycles(deps);
    let order = kahn(deps);
    let mut level = vec![0usize; n];
    let mut dist = vec![0f64; n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    for &i in &order {
        let w = weights.get(i).copied().unwrap_or(1.0);
        let mut best: Option<usize> = None;
        for &d in &deps[i] {
            level[i] = level[i].max(level[d] + 1);
            if best.is_none_or(|b| dist[d] > dist[b] || (dist[d] == dist[b] && d < b)) {
                best = Some(d);
            }
        }
        dist[i] = w + best.map_or(0.0, |b| dist[b]);
        prev[i] = best;
    }
    let mut waves: Vec<Vec<usize>> = Vec::new();
    for &i in &order {
        if waves.len() <= level[i] {
            waves.resize(level[i] + 1, Vec::new());
        }
        waves[level[i]].push(i);
    }
    for w in &mut waves {
        w.sort_unstable();
    }
    let mut critical_path = Vec::new();
    let mut critical_weight = 0.0;
    if let Some(&end) = order
        .iter()
        .max_by(|&&a, &&b| dist[a].total_cmp(&dist[b]).then(b.cmp(&a)))
    {
        critical_weight = dist[end];
        let mut cur = Some(end);
        while let Some(c) = cur {
            critical_path.push(c);
            cur = prev[c];
        }
        critical_path.reverse();
    }
    Analysis {
        order,
        waves,
        critical_path,
        critical_weight,
        cycles,
    }
}

/// A step's weight for the critical path: its Estimate in hours (`30m`, `2h`, `1.5d` = 12 h,
/// `1w` = 40 h), or 1.0 when it has none.
pub fn weights(plan: &Plan, src: &str) -> Vec<f64> {
    plan.steps
        .iter()
        .map(|s| {
            s.field("estimate")
                .and_then(|f| estimate_hours(crate::text::strip_decoration(f.inline.text(src))))
                .unwrap_or(1.0)
        })
        .collect()
}

/// Hours in an estimate: `30m`, `2h`, `1d` (8 h), `1w` (40 h), `3 days`.
pub fn estimate_hours(v: &str) -> Option<f64> {
    let v = v.trim();
    let num_len = v
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let n: f64 = v.get(..num_len)?.parse().ok()?;
    let unit = v[num_len..].trim();
    let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(unit));
    let factor = if is(&["m", "min", "mins", "minute", "minutes"]) {
        1.0 / 60.0
    } else if is(&["h", "hr", "hrs", "hour", "hours"]) {
        1.0
    } else if is(&["d", "day", "days"]) {
        8.0
    } else if is(&["w", "wk", "week", "weeks"]) {
        40.0
    } else {
        return None;
    };
    Some(n * factor)
}

/// Does every step depend only on steps before it (document order is then a valid order)?
pub fn points_backwards(deps: &[Vec<usize>]) -> bool {
    deps.iter()
        .enumerate()
        .all(|(i, ds)| ds.iter().all(|&d| d < i))
}

/// A topological order (dependencies first) that keeps document order wherever the
/// dependencies allow it; `None` when there is a cycle.
pub fn topo_order(deps: &[Vec<usize>]) -> Option<Vec<usize>> {
    let order = kahn(deps);
    (order.len() == deps.len()).then_some(order)
}

/// Kahn's algorithm with a min-heap: dependencies first, ties by index. Steps in or after a
/// cycle are left out.
fn kahn(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut indegree: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        for &d in &dependents[i] {
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.push(Reverse(d));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_plans_resolve_ids_alike() {
        // The first step of an id wins, whether the index searches in order or sorts.
        for n in [5usize, 100] {
            let mut md = String::from("# Plan: x\n\n**Status:** draft\n\n## Steps\n\n");
            for i in 1..=n {
                md.push_str(&format!("### {i}. S\n\n**Depends on:** Step 1, Step 3\n\n"));
            }
            md.push_str("### 3. Again\n\n**Depends on:** Step 2\n\n");
            let plan = crate::parse::read(&md, crate::parse::KindHint::Plan);
            let index = IdIndex::new(&plan);
            assert_eq!(index.get("3"), Some(2));
            assert_eq!(index.get("999"), None);
            let deps = dependencies(&plan);
            assert_eq!(deps[1], vec![0, 2]);
            assert_eq!(deps[n], vec![1], "the second step 3 depends on step 2");
        }
    }

    #[test]
    fn finds_the_whole_cycle() {
        // 0 → 1 → 2 → 0, and 3 alone.
        let deps = vec![vec![1], vec![2], vec![0], vec![]];
        assert_eq!(cycles(&deps), vec![vec![0, 1, 2]]);
        assert_eq!(topo_order(&deps), None);
    }

    #[test]
    fn waves_and_critical_path() {
        // 0 and 1 free; 2 needs 0; 3 needs 1 and 2.
        let deps = vec![vec![], vec![], vec![0], vec![1, 2]];
        let a = analyse(&deps, &[1.0, 5.0, 1.0, 1.0]);
        assert_eq!(a.order, vec![0, 1, 2, 3]);
        assert_eq!(a.waves, vec![vec![0, 1], vec![2], vec![3]]);
        assert_eq!(
            a.critical_path,
            vec![1, 3],
            "step 1 weighs 5, more than 0 → 2"
        );
        assert_eq!(a.critical_weight, 6.0);
        let b = analyse(&deps, &[1.0; 4]);
        assert_eq!(b.critical_path, vec![0, 2, 3]);
        assert_eq!(estimate_hours("1.5d"), Some(12.0));
        assert_eq!(estimate_hours("soon"), None);
    }

    #[test]
    fn cycles_leave_the_rest_ordered() {
        // 0 free; 1 ↔ 2; 3 needs 1 (so it can never run).
        let deps = vec![vec![], vec![2], vec![1], vec![1]];
        let a = analyse(&deps, &[1.0; 4]);
        assert_eq!(a.order, vec![0]);
        assert_eq!(a.cycles, vec![vec![1, 2]]);
    }

    #[test]
    fn order_keeps_document_order_when_possible() {
        // 0 depends on 2; 1 free; 2 free.
        let deps = vec![vec![2], vec![], vec![]];
        assert_eq!(topo_order(&deps), Some(vec![1, 2, 0]));
    }
}
