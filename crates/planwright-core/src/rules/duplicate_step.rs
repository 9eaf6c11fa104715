//! Two steps share a number.
//!
//! ## What it does
//! Reports a step or sub-step whose id (`3`, `2.1`, `A1`) was already used earlier in the plan.
//!
//! ## Why is this bad?
//! Dependencies, work items (`plan#2.1`) and the runner name steps by id: with two Step 3s,
//! `Depends on: Step 3` is ambiguous and one of them would never run.
//!
//! ## Example
//! ```markdown
//! ### 3. Update CLI entry point
//! ### 3. Write docs
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 3. Update CLI entry point
//! ### 4. Write docs
//! ```

use super::{Context, Sink};
use crate::lines::LineIndex;
use std::collections::HashMap;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    // Ids that only ever go up (`1`, `2`, `2.1`, `3`) cannot repeat: the usual plan leaves
    // after one look at each neighbour.
    if cx
        .plan
        .steps
        .windows(2)
        .all(|w| numeric_less(&w[0].id, &w[1].id) == Some(true))
    {
        return;
    }
    let index = crate::graph::IdIndex::new(cx.plan);
    if cx
        .plan
        .steps
        .iter()
        .enumerate()
        .all(|(i, s)| index.get(&s.id) == Some(i))
    {
        return;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut index: Option<LineIndex> = None;
    for (i, step) in cx.plan.steps.iter().enumerate() {
        if let Some(&first) = seen.get(step.id.as_str()) {
            let idx = index.get_or_insert_with(|| LineIndex::new(cx.src));
            let line = idx.line_col(cx.src, cx.plan.steps[first].heading.start).0;
            out.report(step.id_span, format!("step {} is defined twice", step.id))
                .help(format!(
                    "the first step {} is on line {line}; renumber one of them",
                    step.id
                ));
        } else {
            seen.insert(&step.id, i);
        }
    }
}

/// Is dotted-number id `a` before `b` (`2` < `2.1` < `10`)? `None` when either is not made
/// of numbers.
fn numeric_less(a: &str, b: &str) -> Option<bool> {
    let mut pa = a.split('.');
    let mut pb = b.split('.');
    loop {
        match (pa.next(), pb.next()) {
            (None, None) => return Some(false),
            (None, Some(_)) => return Some(true),
            (Some(_), None) => return Some(false),
            (Some(x), Some(y)) => {
                let x: u64 = x.parse().ok()?;
                let y: u64 = y.parse().ok()?;
                if x != y {
                    return Some(x < y);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::numeric_less;

    #[test]
    fn dotted_numbers_order() {
        assert_eq!(numeric_less("2", "2.1"), Some(true));
        assert_eq!(numeric_less("2.1", "10"), Some(true));
        assert_eq!(numeric_less("3", "3"), Some(false));
        assert_eq!(numeric_less("2.1", "2"), Some(false));
        assert_eq!(numeric_less("A1", "A2"), None);
    }
}
