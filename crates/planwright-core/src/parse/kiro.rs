//! Kiro's `.kiro/specs/*/tasks.md`: a numbered checkbox hierarchy (`- [ ] 1. Title`,
//! `  - [ ] 1.1 Sub-task`), optional tasks (`- [ ]* 2. …`), `(P)` for parallel-eligible, and
//! `_Requirements: 1.1, 4.2_` lines that point into the sibling `requirements.md`.
//!
//! Kiro works through the list in order: a task waits for the sibling before it (and all of
//! that sibling's sub-tasks) unless marked `(P)`; a sub-task waits for what its task waits for.

use super::Blocks;
use super::fields::trim;
use super::speckit::item_text;
use crate::model::{Field, Items, Spanned, Step};
use crate::span::Span;
use std::borrow::Cow;
use std::collections::HashMap;

/// `1.`, `1.1`, `2.3.` at the start: (id end, title start).
fn task_number(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut k = 0;
    let mut seen = false;
    while k < b.len() {
        if b[k].is_ascii_digit() {
            seen = true;
            k += 1;
        } else if b[k] == b'.' && seen && b.get(k + 1).is_some_and(u8::is_ascii_digit) {
            k += 1;
        } else {
            break;
        }
    }
    if !seen {
        return None;
    }
    let id_end = k;
    if b.get(k) == Some(&b'.') {
        k += 1;
    }
    if !matches!(b.get(k), Some(b' ' | b'\t')) {
        return None;
    }
    Some((id_end, k))
}

/// Text of a checkbox item after the box and an optional-task `*`.
fn task_text(src: &str, item: Span) -> Option<(Span, bool, bool)> {
    let (text, done) = item_text(src, item);
    let done = done?;
    let t = text.text(src);
    let (text, optional) = match t.strip_prefix('*') {
        Some(r) => (trim(src, Span::new(text.end - r.len(), text.end)), true),
        None => (text, false),
    };
    Some((text, done, optional))
}

/// At least two numbered checkbox tasks, and a `_Requirements:` line or a nested task.
pub(crate) fn looks_like(src: &str, blocks: &Blocks) -> bool {
    let tasks = blocks
        .all_items
        .iter()
        .filter(|(i, _)| {
            super::speckit::checkbox(src, *i).1.is_some()
                && task_text(src, *i).is_some_and(|(t, _, _)| task_number(t.text(src)).is_some())
        })
        .count();
    tasks >= 2 && (src.contains("_Requirements:") || blocks.all_items.iter().any(|(_, d)| *d > 1))
}

pub(crate) fn read(src: &str, blocks: &Blocks) -> Vec<Step> {
    // Task items in document order, with where their own text ends (before a nested task).
    let tasks: Vec<(Span, Span, bool, bool)> = blocks
        .all_items
        .iter()
        .filter_map(|(item, _)| {
            let (text, done, optional) = task_text(src, *item)?;
            task_number(text.text(src))?;
            Some((*item, text, done, optional))
        })
        .collect();
    let mut steps: Vec<Step> = Vec::new();
    let mut state: HashMap<Option<usize>, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (n, &(item, text, done, optional)) in tasks.iter().enumerate() {
        let own_end = tasks[n + 1..]
            .iter()
            .map(|t| t.0.start)
            .find(|&s| s < item.end)
            .unwrap_or(item.end);
        let t = text.text(src);
        let Some((id_end, title_start)) = task_number(t) else {
            continue;
        };
        let id = t[..id_end].to_owned();
        let first_line_end = t.find('\n').unwrap_or(t.len());
        let raw_title = &t[title_start.min(first_line_end)..first_line_end];
        let parallel = raw_title.contains("(P)");
        let title = raw_title.replace("(P)", "").trim().to_owned();
        let title_span = trim(
            src,
            Span::new(
                text.start + title_start.min(first_line_end),
                text.start + first_line_end,
            ),
        );
        // `_Requirements: 1.1, 4.2_` in the task's own text.
        let mut fields = Vec::new();
        let own = Span::new(text.start, own_end.max(text.start));
        let mut pos = own.start;
        for line in own.text(src).split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let l = line.trim_end();
            if let Some(at) = l.find("_Requirements:") {
                let vs = start + at + "_Requirements:".len();
                let ve = start + l.trim_end_matches('_').len();
                let value = trim(src, Span::new(vs, ve.max(vs)));
                fields.push(Field {
                    name: Cow::Borrowed("requirements"),
                    span: Span::new(start + at, start + l.len()),
                    name_span: Span::new(start + at + 1, start + at + "_Requirements".len()),
                    inline: value,
                    value,
                    items: Items::new(),
                });
            }
        }
        let depth = id.split('.').count();
        let parent = if depth > 1 {
            let pid = id.rsplit_once('.').map_or("", |p| p.0);
            steps.iter().rposition(|s| s.id == pid)
        } else {
            None
        };
        let index = steps.len();
        let (base, group) = state.entry(parent).or_default();
        let after = if parallel || group.is_empty() {
            base.clone()
        } else {
            group.clone()
        };
        if parallel {
            group.push(index);
        } else {
            *base = vec![index];
            group.clear();
        }
        let id_span = Span::new(text.start, text.start + id_end);
        steps.push(Step {
            id: crate::model::step_id_from(id),
            id_span,
            title: Spanned {
                value: title,
                span: title_span,
            },
            heading: Span::new(item.start, text.start + first_line_end),
            span: Span::new(item.start, own_end.max(item.start)),
            depth,
            parent,
            fields,
            depends_on: None,
            verify: crate::model::InlineVec::new(),
            verify_span: None,
            after,
            parallel,
            done: Some(done),
            derived: false,
        });
        let _ = optional;
    }
    // A task waits for the whole of the sibling before it, sub-tasks included.
    let descendants = |i: usize, steps: &[Step]| -> Vec<usize> {
        (0..steps.len())
            .filter(|&d| {
                let mut p = steps[d].parent;
                while let Some(x) = p {
                    if x == i {
                        return true;
                    }
                    p = steps[x].parent;
                }
                false
            })
            .collect()
    };
    for i in 0..steps.len() {
        let extra: Vec<usize> = steps[i]
            .after
            .iter()
            .flat_map(|&a| descendants(a, &steps))
            .collect();
        for d in extra {
            if !steps[i].after.contains(&d) {
                steps[i].after.push(d);
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use crate::model::PlanKind;

    #[test]
    fn hierarchy_requirements_and_order() {
        let src = "# Implementation Plan\n\n- [x] 1. Set up\n  - _Requirements: 1.1, 2.3_\n\n- [ ] 2. Wallet\n  - [x] 2.1 Service\n    - _Requirements: 1.1_\n  - [ ] 2.2 UI (P)\n\n- [ ]* 3. Docs\n";
        let (plan, _) = crate::parse(src);
        assert_eq!(plan.kind, PlanKind::Kiro);
        let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_ref()).collect();
        assert_eq!(ids, ["1", "2", "2.1", "2.2", "3"]);
        assert_eq!(plan.steps[2].parent, Some(1));
        assert_eq!(
            plan.steps[0]
                .field("requirements")
                .map(|f| f.value.text(src)),
            Some("1.1, 2.3")
        );
        assert!(
            plan.steps[1].field("requirements").is_none(),
            "a sub-task's requirements stay with it"
        );
        assert_eq!(plan.steps[3].title.value, "UI");
        assert!(plan.steps[3].parallel);
        let after: Vec<Vec<usize>> = plan.steps.iter().map(|s| s.after.clone()).collect();
        assert_eq!(after, vec![vec![], vec![0], vec![], vec![2], vec![1, 2, 3]]);
    }
}
