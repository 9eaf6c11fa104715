//! Buffers of documents already read, kept on the thread for the next document it reads.
//!
//! A check reads thousands of documents per thread, one after the other. The Markdown pass's
//! tables (headings, list items, lines) are kept when a [`super::Blocks`] is dropped. A plan
//! of 20 steps is also about 70 allocations: a list of fields, a title and a command per step;
//! dropping it gave the allocator 20 field lists of the same size, past its per-thread cache,
//! for every plan. [`recycle`] keeps those instead (emptied; bounded in number and size).
//! The parser takes from here first. Nothing depends on it: a plan that is simply dropped is
//! freed as before.

use super::blocks::{Heading, LineInfo};
use crate::model::{Field, Plan, Step};
use crate::span::Span;
use std::cell::RefCell;

/// At most this many lists and strings are kept per thread: enough for the largest plans
/// seen in practice, small next to the memory of one plan.
const KEEP: usize = 256;
/// Lists and strings that grew larger than this are let go rather than kept.
const FIELDS_CAP: usize = 32;
const STRING_CAP: usize = 256;
const STEPS_CAP: usize = 512;

/// The tables of one Markdown pass.
#[derive(Default)]
pub(crate) struct Tables {
    pub headings: Vec<Heading>,
    pub items: Vec<Span>,
    pub all_items: Vec<(Span, usize)>,
    pub lines: Vec<LineInfo>,
}

#[derive(Default)]
struct Spare {
    tables: Tables,
    fields: Vec<Vec<Field>>,
    strings: Vec<String>,
    /// One list of steps: a check reads one plan at a time on a thread.
    steps: Option<Vec<Step>>,
}

impl Spare {
    fn keep_string(&mut self, mut t: String) {
        if self.strings.len() < KEEP && t.capacity() <= STRING_CAP {
            t.clear();
            self.strings.push(t);
        }
    }

    fn keep_fields(&mut self, mut f: Vec<Field>) {
        if self.fields.len() < KEEP && f.capacity() <= FIELDS_CAP {
            f.clear();
            self.fields.push(f);
        }
    }
}

thread_local! {
    static SPARE: RefCell<Spare> = RefCell::new(Spare::default());
}

/// Runs `f` on this thread's pool; `None` while the thread is ending, or if the pool is in
/// use (nothing here calls back into the parser, so it never is).
fn with<T>(f: impl FnOnce(&mut Spare) -> T) -> Option<T> {
    SPARE
        .try_with(|s| s.try_borrow_mut().ok().map(|mut s| f(&mut s)))
        .ok()
        .flatten()
}

/// The tables of the last Markdown pass on this thread, emptied (or new ones).
pub(crate) fn tables() -> Tables {
    with(|s| std::mem::take(&mut s.tables)).unwrap_or_default()
}

/// Keeps a Markdown pass's tables for the next one.
pub(crate) fn keep_tables(mut t: Tables) {
    t.headings.clear();
    t.items.clear();
    t.all_items.clear();
    t.lines.clear();
    with(|s| s.tables = t);
}

/// An empty list of fields, with room for `n` of them.
pub(crate) fn fields(n: usize) -> Vec<Field> {
    let mut v = with(|s| s.fields.pop()).flatten().unwrap_or_default();
    v.reserve(n);
    v
}

/// An empty list of steps, with room for `n` of them.
pub(crate) fn steps(n: usize) -> Vec<Step> {
    let mut v = with(|s| s.steps.take()).flatten().unwrap_or_default();
    v.reserve(n);
    v
}

/// An owned copy of `text`.
pub(crate) fn string(text: &str) -> String {
    let mut s = with(|s| s.strings.pop()).flatten().unwrap_or_default();
    s.push_str(text);
    s
}

/// Gives the buffers of a plan nobody needs any more to the next plan parsed on this thread.
/// Dropping the plan instead is always correct; this only saves the allocator's work.
pub fn recycle(plan: Plan) {
    with(|spare| {
        let mut steps = plan.steps;
        for step in &mut steps {
            spare.keep_string(std::mem::take(&mut step.title.value));
            for c in step.verify.iter_mut() {
                spare.keep_string(std::mem::take(&mut c.text));
            }
            spare.keep_fields(std::mem::take(&mut step.fields));
        }
        if steps.capacity() <= STEPS_CAP {
            steps.clear();
            spare.steps = Some(steps);
        }
        spare.keep_fields(plan.fields);
        for s in plan.sections {
            spare.keep_string(s.title.value);
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
