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
