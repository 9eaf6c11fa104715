//! spec-kit's `specs/*/tasks.md`: `- [ ] T001 [P] [US1] Description` list items under phase
//! headings. A task waits for the task before it unless marked `[P]`; consecutive `[P]` tasks
//! run together and the next unmarked task waits for all of them. "Depends on T001" / "after
//! T003" in a task's text adds a dependency. Numbering gaps are intentional; the format's
//! legend line (`- [ ] T001 [P] [US1] Description`) is not a task, and neither is a plain
//! bullet that only names one (`- T001: Setup`).

use super::Blocks;
use super::deps;
use super::fields::trim;
use crate::model::{Spanned, Step};
use crate::span::Span;

/// `T001` at the start of `s` (optionally bold): returns (id start, id end) offsets.
fn task_id(s: &str) -> Option<(usize, usize)> {
    let lead = if s.starts_with("**") { 2 } else { 0 };
    let b = s.as_bytes();
    if b.get(lead) != Some(&b'T') {
        return None;
    }
    let digits = b[lead + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let end = lead + 1 + digits;
    match b.get(end) {
        None | Some(b' ' | b'\t' | b'*' | b':' | b'.' | b')') => Some((lead, end)),
        _ => None,
    }
}

/// The text of a list item after its marker and checkbox, and the checkbox state.
pub(crate) fn item_text(src: &str, item: Span) -> (Span, Option<bool>) {
    let (k, done) = checkbox(src, item);
    (trim(src, Span::new(item.start + k, item.end)), done)
}

/// Where a list item's text starts after its marker (and checkbox), and the checkbox state.
/// Byte-level: kind detection asks it of every item of every document.
pub(crate) fn checkbox(src: &str, item: Span) -> (usize, Option<bool>) {
    let b = src.as_bytes().get(item.start..item.end).unwrap_or(&[]);
    let mut k = usize::from(matches!(b.first(), Some(b'-' | b'*' | b'+')));
    while b.get(k) == Some(&b' ') {
        k += 1;
    }
    let done = match b.get(k..k + 3) {
        Some(b"[ ]") => Some(false),
        Some(b"[x]" | b"[X]") => Some(true),
        _ => None,
    };
    (if done.is_some() { k + 3 } else { k }, done)
}

/// Does this document look like a spec-kit task list (at least two `T001`-style items)?
pub(crate) fn looks_like(src: &str, blocks: &Blocks) -> bool {
    blocks
        .items
        .iter()
        .filter(|&&i| {
            if checkbox(src, i).1.is_none() {
                return false;
            }
            let (text, done) = item_text(src, i);
            done.is_some() && task_id(text.text(src)).is_some()
        })
        .nth(1)
        .is_some()
}

pub(crate) fn read(src: &str, blocks: &Blocks) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut base: Vec<usize> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    for &item in &blocks.items {
        let (text, done) = item_text(src, item);
        if done.is_none() {
            continue; // a task is a checkbox item; `- T001: Setup` in a summary only names one
        }
        let t = text.text(src);
        let Some((is, ie)) = task_id(t) else { continue };
        let first_line_end = t.find('\n').unwrap_or(t.len());
        let line = &t[..first_line_end];
        let mut k = ie;
        let lb = line.as_bytes();
        if lb.get(k..k + 2) == Some(b"**") {
            k += 2;
        }
        let mut parallel = false;
        loop {
            while matches!(lb.get(k), Some(b' ' | b':' | b'-')) {
                k += 1;
            }
            let rest = &line[k..];
            if rest.starts_with("[P]") || rest.starts_with("(P)") {
                parallel = true;
                k += 3;
            } else if rest.starts_with('[')
                && let Some(close) = rest.find(']')
                && close <= 12
                && !rest[1..close].contains(' ')
            {
                k += close + 1; // a story tag: [US1]
            } else {
                break;
            }
        }
        let desc = trim(src, Span::new(text.start + k, text.start + first_line_end));
        let d = desc.text(src);
        if d == "Description" || d.contains("[ID]") || d.contains("[P?]") {
            continue; // the format's legend
        }
        let index = steps.len();
        // Dependencies written in the text.
        let mut explicit = Vec::new();
        let lower = t.to_ascii_lowercase();
        for key in ["depends on", "after", "blocked by", "requires"] {
            let mut from = 0;
            while let Some(p) = lower[from..].find(key) {
                let at = from + p + key.len();
                from = at;
                let end = t[at..]
                    .find([')', ';', '\n', '.'])
                    .map_or(t.len(), |e| at + e);
                let span = Span::new(text.start + at, text.start + end);
                let d = deps::parse(src, span, span);
                explicit.extend(d.refs.into_iter().filter(|r| r.id.starts_with('T')));
            }
        }
        // Conventions: `[P]` tasks share the wait of their group; others wait for all
        // before them.
        let after = if parallel || group.is_empty() {
            base.clone()
        } else {
            group.clone()
        };
        if parallel {
            group.push(index);
        } else {
            base = vec![index];
            group.clear();
        }
        let id_span = Span::new(text.start + is, text.start + ie);
        let depends_on = (!explicit.is_empty()).then_some(crate::model::Dependencies {
            span: text,
            none: false,
            refs: explicit.into_iter().collect(),
            unreadable: None,
        });
        steps.push(Step {
            id: crate::model::step_id(id_span.text(src)),
            id_span,
            title: Spanned {
                value: d.to_owned(),
                span: desc,
            },
            heading: Span::new(item.start, text.start + first_line_end),
            span: item,
            depth: 1,
            parent: None,
            fields: Vec::new(),
            depends_on,
            verify: crate::model::InlineVec::new(),
            verify_span: None,
            after,
            parallel,
            done,
            derived: false,
        });
    }
    dependency_section(src, blocks, &mut steps);
    steps
}

/// The "Dependencies" / "Dependencies & Execution Order" section: lines such as
/// `T010, T011 block T013`, `T013 depends on T002`, `T001 → T018`, `Tests (T004-T009) before
/// implementation (T010-T017)`. Statements about phases or stories name no task and are left
/// to the list order.
fn dependency_section(src: &str, blocks: &Blocks, steps: &mut [Step]) {
    let Some((i, h)) =
        blocks.headings.iter().enumerate().find(|(_, h)| {
            h.level <= 3 && h.text.text(src).to_ascii_lowercase().contains("dependenc")
        })
    else {
        return;
    };
    let end = blocks.headings[i + 1..]
        .iter()
        .find(|n| n.level <= h.level)
        .map_or(src.len(), |n| n.span.start);
    let tids = |span: Span| -> Vec<crate::model::StepRef> {
        deps::parse(src, span, span)
            .refs
            .into_iter()
            .filter(|r| r.id.starts_with('T'))
            .collect()
    };
    let first = blocks.lines.partition_point(|l| l.start < h.span.end);
    for line in blocks.lines[first..].iter().take_while(|l| l.start < end) {
        if line.code || line.blank || line.heading {
            continue;
        }
        // One statement per clause: `;` and sentence ends separate unrelated statements.
        let text = &src[line.start..line.end];
        let mut clause_start = 0;
        for (k, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ';')))
        {
            if c != ';' && !(c == '.' && text[k + 1..].starts_with(' ')) {
                continue;
            }
            let clause = Span::new(line.start + clause_start, line.start + k);
            clause_start = k + 1;
            statement(src, clause, &tids, steps);
        }
    }
}

/// One dependency statement: the earliest verb splits the clause; both sides must name
/// tasks, or the clause is prose about phases or stories.
fn statement(
    src: &str,
    clause: Span,
    tids: &dyn Fn(Span) -> Vec<crate::model::StepRef>,
    steps: &mut [Step],
) {
    // (verb, whether the left side comes first)
    const VERBS: &[(&str, bool)] = &[
        (" blocked by ", false),
        (" depends on ", false),
        (" depend on ", false),
        (" requires ", false),
        (" require ", false),
        (" needs ", false),
        (" after ", false),
        (" blocks ", true),
        (" block ", true),
        (" before ", true),
        (" --> ", true),
        (" -> ", true),
        (" → ", true),
    ];
    let lower = clause.text(src).to_ascii_lowercase();
    let Some((p, verb, forward)) = VERBS
        .iter()
        .filter_map(|(v, f)| lower.find(v).map(|p| (p, *v, *f)))
        .min_by_key(|(p, v, _)| (*p, usize::MAX - v.len()))
    else {
        return;
    };
    let left = tids(Span::new(clause.start, clause.start + p));
    let right = tids(Span::new(clause.start + p + verb.len(), clause.end));
    if left.is_empty() || right.is_empty() {
        return;
    }
    let (waiting, waited_for) = if forward {
        (right, left)
    } else {
        (left, right)
    };
    for w in &waiting {
        let Some(step) = steps.iter_mut().find(|s| s.id == w.id) else {
            continue;
        };
        let d = step
            .depends_on
            .get_or_insert_with(|| crate::model::Dependencies {
                span: clause,
                none: false,
                refs: crate::model::InlineVec::new(),
                unreadable: None,
            });
        for r in &waited_for {
            if r.id != w.id && !d.refs.iter().any(|x| x.id == r.id) {
                d.refs.push(r.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::PlanKind;

    #[test]
    fn tasks_markers_and_conventions() {
        let src = "# Tasks: X\n\n## Format\n\n- [ ] T001 [P] [US1] Description\n\n## Phase 1\n\n- [x] T001 Set up\n- [ ] T002 [P] Model A\n- [X] **T003** [P] [US1] Model B\n- [ ] T005 Wire them (depends on T001)\n- [ ] T006 [P] Docs\n\n## Dependencies & Execution Order\n\n- T002, T003 block T006 (models before docs)\n- Setup (T001) before docs (T006)\n- Phase 2 depends on Phase 1\n";
        let (plan, _) = crate::parse(src);
        assert_eq!(plan.kind, PlanKind::SpecKit);
        let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_ref()).collect();
        assert_eq!(
            ids,
            ["T001", "T002", "T003", "T005", "T006"],
            "the legend line is not a task"
        );
        let after: Vec<Vec<usize>> = plan.steps.iter().map(|s| s.after.clone()).collect();
        assert_eq!(after, vec![vec![], vec![0], vec![0], vec![1, 2], vec![3]]);
        assert_eq!(plan.steps[2].title.value, "Model B");
        assert_eq!(plan.steps[2].done, Some(true));
        assert!(plan.steps[1].parallel);
        let explicit: Vec<&str> = plan.steps[3]
            .depends_on
            .iter()
            .flat_map(|d| d.refs.iter().map(|r| r.id.as_ref()))
            .collect();
        assert_eq!(explicit, ["T001"]);
        let docs: Vec<&str> = plan.steps[4]
            .depends_on
            .iter()
            .flat_map(|d| d.refs.iter().map(|r| r.id.as_ref()))
            .collect();
        assert_eq!(
            docs,
            ["T002", "T003", "T001"],
            "from the Dependencies section"
        );
    }
}
