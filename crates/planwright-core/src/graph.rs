//! Graph analysis over a plan's steps: resolved edges, cycles, a stable topological order.

use crate::model::Plan;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// `deps[i]` lists the indices of the steps step `i` depends on (dangling and self refs
/// excluded), in the order written, without duplicates.
pub fn dependencies(plan: &Plan) -> Vec<Vec<usize>> {
    // Sorted (id, index) pairs: the first step of an id wins, as in a map built in order.
    let mut index: Vec<(&str, usize)> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    index.sort_unstable();
    index.dedup_by(|b, a| a.0 == b.0);
    let lookup = |id: &str| {
        index
            .binary_search_by(|(k, _)| (*k).cmp(id))
            .ok()
            .map(|p| index[p].1)
    };
    plan.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut out: Vec<usize> = Vec::new();
            for r in s.depends_on.iter().flat_map(|d| d.refs.iter()) {
                if let Some(j) = lookup(r.id.as_str())
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

/// Does every step depend only on steps before it (document order is then a valid order)?
pub fn points_backwards(deps: &[Vec<usize>]) -> bool {
    deps.iter()
        .enumerate()
        .all(|(i, ds)| ds.iter().all(|&d| d < i))
}

/// A topological order (dependencies first) that keeps document order wherever the
/// dependencies allow it; `None` when there is a cycle.
pub fn topo_order(deps: &[Vec<usize>]) -> Option<Vec<usize>> {
    let n = deps.len();
    let mut indegree = vec![0usize; n];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        indegree[i] = ds.len();
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
    (order.len() == n).then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_whole_cycle() {
        // 0 → 1 → 2 → 0, and 3 alone.
        let deps = vec![vec![1], vec![2], vec![0], vec![]];
        assert_eq!(cycles(&deps), vec![vec![0, 1, 2]]);
        assert_eq!(topo_order(&deps), None);
    }

    #[test]
    fn order_keeps_document_order_when_possible() {
        // 0 depends on 2; 1 free; 2 free.
        let deps = vec![vec![2], vec![], vec![]];
        assert_eq!(topo_order(&deps), Some(vec![1, 2, 0]));
    }
}
