//! Effort inferred from a plan's size, for a plan that states none: its steps, the longest
//! chain of dependencies, its Verify commands and its child plans. (Impact depends on the
//! repository around the plan — what links to it, its features' status — and is inferred by
//! the binary.)

use crate::model::Plan;

/// An inferred effort (`S`, `M`, `L`, `XL`) and the figures it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effort {
    pub value: &'static str,
    pub reason: String,
}

/// The effort a plan's size suggests.
pub fn effort(plan: &Plan) -> Effort {
    let steps = plan.steps.len();
    let chain = longest_chain(&crate::graph::effective_dependencies(plan));
    let verify: usize = plan.steps.iter().map(|s| s.verify.len()).sum();
    let children = plan.child_plans.len();
    let score = steps + chain + children * 4 + verify / 3;
    let value = match score {
        0..=4 => "S",
        5..=12 => "M",
        13..=24 => "L",
        _ => "XL",
    };
    Effort {
        value,
        reason: format!(
            "{steps} step{}, a longest chain of {chain}, {verify} Verify command{}{}",
            if steps == 1 { "" } else { "s" },
            if verify == 1 { "" } else { "s" },
            if children > 0 {
                format!(", {children} child plans")
            } else {
                String::new()
            }
        ),
    }
}

/// How many steps the longest chain of dependencies holds. When every dependency points to an
/// earlier step (the usual plan) one pass in plan order does; otherwise the graph analysis,
/// which copes with cycles.
fn longest_chain(deps: &[Vec<usize>]) -> usize {
    let n = deps.len();
    if deps
        .iter()
        .enumerate()
        .all(|(i, d)| d.iter().all(|&j| j < i))
    {
        let mut len = vec![0usize; n];
        for i in 0..n {
            len[i] = 1 + deps[i].iter().map(|&j| len[j]).max().unwrap_or(0);
        }
        return len.into_iter().max().unwrap_or(0);
    }
    crate::graph::analyse(deps, &vec![1.0; n])
        .critical_path
        .len()
}

#[cfg(test)]
mod tests {
    use super::longest_chain;

    #[test]
    fn the_longest_chain_is_counted_in_steps() {
        assert_eq!(longest_chain(&[]), 0);
        assert_eq!(longest_chain(&[vec![], vec![0], vec![1], vec![0]]), 3);
        // A forward reference takes the graph analysis, with the same answer.
        assert_eq!(longest_chain(&[vec![1], vec![], vec![0]]), 3);
    }
}
