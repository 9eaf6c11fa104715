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

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "duplicate-step";

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
        if let Some(&first) = seen.get(step.id.as_ref()) {
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
/// of numbers. Byte-level: it runs on every pair of neighbouring steps.
fn numeric_less(a: &str, b: &str) -> Option<bool> {
    fn number(s: &[u8], at: usize) -> Option<(u64, usize)> {
        let mut v = 0u64;
        let mut k = at;
        while let Some(d) = s.get(k).filter(|c| c.is_ascii_digit()) {
            v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            k += 1;
        }
        (k > at).then_some((v, k))
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        let (x, ni) = number(a, i)?;
        let (y, nj) = number(b, j)?;
        if x != y {
            return Some(x < y);
        }
        match (a.get(ni), b.get(nj)) {
            (None, None) | (Some(b'.'), None) => return Some(false),
            (None, Some(b'.')) => return Some(true),
            (Some(b'.'), Some(b'.')) => (i, j) = (ni + 1, nj + 1),
            _ => return None,
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
