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
    let deps = crate::graph::effective_dependencies(plan);
    let weights = vec![1.0; steps];
    let chain = crate::graph::analyse(&deps, &weights).critical_path.len();
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
