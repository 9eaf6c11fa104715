//! Buffers of plans already checked, kept on the thread for the next plan it reads.
//!
//! A plan of 20 steps is about 70 allocations: a list of fields, a title and a command per
//! step. A whole-repository check drops each plan right after checking it and reads the next
//! one on the same thread, so the allocator took back 20 field lists of the same size and
//! handed them out again, past its per-thread cache, for every plan. [`recycle`] keeps them
//! instead (emptied; bounded in number and size), and the parser takes from here first.
//! Nothing depends on it: a plan that is simply dropped is freed as before.

use crate::model::{Field, Plan, Step};
use std::cell::RefCell;

/// At most this many lists and strings are kept per thread: enough for the largest plans
/// seen in practice, small next to the memory of one plan.
const KEEP: usize = 256;
/// Lists and strings that grew larger than this are let go rather than kept.
const FIELDS_CAP: usize = 32;
const STRING_CAP: usize = 256;
const STEPS_CAP: usize = 512;

#[derive(Default)]
struct Spare {
    fields: Vec<Vec<Field>>,
    strings: Vec<String>,
    /// One list of steps: a check reads one plan at a time on a thread.
    steps: Option<Vec<Step>>,
}

thread_local! {
    static SPARE: RefCell<Spare> = RefCell::new(Spare::default());
}

/// Something kept on this thread, if there is one (none while the thread is ending). Nothing
/// here calls back into the parser while the pool is borrowed.
fn take<T>(from: impl FnOnce(&mut Spare) -> Option<T>) -> Option<T> {
    SPARE.try_with(|s| from(&mut s.borrow_mut())).ok().flatten()
}

/// An empty list of fields, with room for `n` of them.
pub(crate) fn fields(n: usize) -> Vec<Field> {
    take(|s| s.fields.pop()).unwrap_or_else(|| Vec::with_capacity(n))
}

/// An empty list of steps, with room for `n` of them.
pub(crate) fn steps(n: usize) -> Vec<Step> {
    let mut v = take(|s| s.steps.take()).unwrap_or_default();
    v.reserve(n);
    v
}

/// An owned copy of `text`.
pub(crate) fn string(text: &str) -> String {
    let mut s = take(|s| s.strings.pop()).unwrap_or_default();
    s.push_str(text);
    s
}

/// Gives the buffers of a plan nobody needs any more to the next plan parsed on this thread.
/// Dropping the plan instead is always correct; this only saves the allocator's work.
pub fn recycle(plan: Plan) {
    let _ = SPARE.try_with(|s| {
        let Ok(mut spare) = s.try_borrow_mut() else {
            return;
        };
        let spare = &mut *spare;
        let mut keep_string = |mut t: String| {
            if spare.strings.len() < KEEP && t.capacity() <= STRING_CAP {
                t.clear();
                spare.strings.push(t);
            }
        };
        let mut steps = plan.steps;
        for step in &mut steps {
            keep_string(std::mem::take(&mut step.title.value));
            for c in step.verify.iter_mut() {
                keep_string(std::mem::take(&mut c.text));
            }
            let mut f = std::mem::take(&mut step.fields);
            if spare.fields.len() < KEEP && f.capacity() <= FIELDS_CAP {
                f.clear();
                spare.fields.push(f);
            }
        }
        if steps.capacity() <= STEPS_CAP {
            steps.clear();
            spare.steps = Some(steps);
        }
        let mut f = plan.fields;
        if spare.fields.len() < KEEP && f.capacity() <= FIELDS_CAP {
            f.clear();
            spare.fields.push(f);
        }
        for s in plan.sections {
            keep_string(s.title.value);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recycled_buffers_come_back_empty() {
        let src = "# T\n\n## Steps\n\n### 1. One\n\n**Verify:** `true`\n**Produces:** x\n";
        let plan = crate::parse::read(src, crate::parse::KindHint::Plan);
        assert_eq!(plan.steps.len(), 1);
        recycle(plan);
        let f = fields(4);
        assert!(f.is_empty());
        assert!(f.capacity() >= 1, "a recycled list keeps its room");
        assert_eq!(string("abc"), "abc");
        // A second parse on the same thread reads the same plan from recycled buffers.
        let again = crate::parse::read(src, crate::parse::KindHint::Plan);
        assert_eq!(again.steps[0].title.value, "One");
        assert_eq!(again.steps[0].fields.len(), 2);
        assert_eq!(again.steps[0].verify[0].text, "true");
    }
}
