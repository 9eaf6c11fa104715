//! The graph analysis agrees with petgraph on random graphs: cycles, topological order,
//! waves and the critical path.

use petgraph::algo::{is_cyclic_directed, tarjan_scc};
use petgraph::graph::DiGraph;
use planwright_core::graph::{analyse, cycles};
use proptest::prelude::*;

/// Random dependency lists: `deps[i]` holds distinct indices other than `i`.
fn graph() -> impl Strategy<Value = Vec<Vec<usize>>> {
    (1usize..10).prop_flat_map(|n| {
        prop::collection::vec(prop::collection::btree_set(0..n, 0..4), n).prop_map(move |sets| {
            sets.into_iter()
                .enumerate()
                .map(|(i, s)| s.into_iter().filter(|&d| d != i).collect())
                .collect()
        })
    })
}

fn petgraph_of(deps: &[Vec<usize>]) -> DiGraph<(), ()> {
    let mut g = DiGraph::new();
    let nodes: Vec<_> = (0..deps.len()).map(|_| g.add_node(())).collect();
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            g.add_edge(nodes[d], nodes[i], ());
        }
    }
    g
}

/// Longest path weight ending anywhere, by brute-force search over simple paths.
fn longest(deps: &[Vec<usize>], w: &[f64]) -> f64 {
    fn go(deps: &[Vec<usize>], w: &[f64], i: usize, seen: &mut Vec<bool>) -> f64 {
        seen[i] = true;
        let mut best = 0.0f64;
        for &d in &deps[i] {
            if !seen[d] {
                best = best.max(go(deps, w, d, seen));
            }
        }
        seen[i] = false;
        w[i] + best
    }
    (0..deps.len())
        .map(|i| go(deps, w, i, &mut vec![false; deps.len()]))
        .fold(0.0, f64::max)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn agrees_with_petgraph(deps in graph(), weights in prop::collection::vec(1u8..5, 10)) {
        let n = deps.len();
        let w: Vec<f64> = weights.iter().take(n).map(|&x| f64::from(x)).collect();
        let g = petgraph_of(&deps);
        let a = analyse(&deps, &w);
        // Cycles: one per strongly connected component with more than one node, each a real
        // cycle inside its component.
        let sccs: Vec<Vec<usize>> = tarjan_scc(&g)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| c.into_iter().map(|x| x.index()).collect())
            .collect();
        prop_assert_eq!(a.cycles.len(), sccs.len());
        prop_assert_eq!(cycles(&deps), a.cycles.clone());
        for cycle in &a.cycles {
            let comp = sccs.iter().find(|c| c.contains(&cycle[0])).expect("cycle in an SCC");
            for (k, &x) in cycle.iter().enumerate() {
                let next = cycle[(k + 1) % cycle.len()];
                prop_assert!(comp.contains(&x));
                prop_assert!(deps[x].contains(&next), "{} does not depend on {}", x, next);
            }
        }
        // Order: complete exactly when acyclic, and every edge respected.
        prop_assert_eq!(a.order.len() == n, !is_cyclic_directed(&g));
        let pos = |x: usize| a.order.iter().position(|&y| y == x);
        for &i in &a.order {
            for &d in &deps[i] {
                prop_assert!(pos(d).is_some_and(|p| p < pos(i).unwrap_or(0)));
            }
        }
        // Waves: every ordered step in one wave, after all its dependencies, and as early as
        // possible.
        let wave_of = |x: usize| a.waves.iter().position(|w| w.contains(&x));
        prop_assert_eq!(a.waves.iter().map(Vec::len).sum::<usize>(), a.order.len());
        for &i in &a.order {
            let wi = wave_of(i).expect("in a wave");
            for &d in &deps[i] {
                prop_assert!(wave_of(d).expect("dep in a wave") < wi);
            }
            if wi > 0 {
                prop_assert!(deps[i].iter().any(|&d| wave_of(d) == Some(wi - 1)));
            }
        }
        // Critical path: a chain of dependencies, as heavy as the heaviest path.
        if a.order.len() == n && n > 0 {
            for pair in a.critical_path.windows(2) {
                prop_assert!(deps[pair[1]].contains(&pair[0]));
            }
            let weight: f64 = a.critical_path.iter().map(|&i| w[i]).sum();
            prop_assert_eq!(weight, a.critical_weight);
            prop_assert_eq!(weight, longest(&deps, &w));
        }
    }
}
