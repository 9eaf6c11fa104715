//! Properties: `parse` never panics, on any text or bytes, and every span it returns lies
//! inside the input on character boundaries.

use planwright_core::{KindHint, NoEnv, RuleSet, check, parse_bytes, parse_with};
use proptest::prelude::*;
use serde_json::Value;

/// Every `{start, end}` object in the serialised model.
fn spans(v: &Value, out: &mut Vec<(usize, usize)>) {
    match v {
        Value::Object(m) => {
            if m.len() == 2
                && let (Some(s), Some(e)) = (
                    m.get("start").and_then(Value::as_u64),
                    m.get("end").and_then(Value::as_u64),
                )
            {
                out.push((s as usize, e as usize));
                return;
            }
            for x in m.values() {
                spans(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| spans(x, out)),
        _ => {}
    }
}

fn assert_spans_inside(src: &str) {
    for hint in [
        KindHint::Auto,
        KindHint::Plan,
        KindHint::Exec,
        KindHint::Lite,
    ] {
        let (plan, diags) = parse_with(src, hint);
        let mut all = Vec::new();
        spans(
            &serde_json::to_value(&plan).expect("model serialises"),
            &mut all,
        );
        all.extend(diags.iter().map(|d| (d.span.start, d.span.end)));
        let (_, checked) = check(
            src,
            Some("spec/plans/x/README.md"),
            &NoEnv,
            &RuleSet::default(),
            hint,
        );
        all.extend(checked.iter().map(|d| (d.span.start, d.span.end)));
        for (s, e) in all {
            assert!(
                s <= e && e <= src.len(),
                "span {s}..{e} outside 0..{} in {src:?}",
                src.len()
            );
            assert!(
                src.is_char_boundary(s) && src.is_char_boundary(e),
                "span {s}..{e} splits a character in {src:?}"
            );
        }
    }
}

/// Fragments of the syntax planwright reads, so random documents hit its structure.
const FRAGMENTS: &[&str] = &[
    "# Plan: x\n",
    "# PLAN: y\n",
    "# ExecPlan: z\n",
    "## Steps\n",
    "## Tasks\n",
    "## Child Plans\n",
    "## Progress\n",
    "## Decision Log\n",
    "## Surprises & Discoveries\n",
    "## Outcomes and Retrospective\n",
    "### 1. Do\n",
    "### 2. Más\n",
    "#### 2.1. Sub\n",
    "##### 2.1.1. Deep\n",
    "### Task A1: T\n",
    "**Status:** approved\n",
    "**Status**: Draft\n",
    "Status: in review\n",
    "**Depends on:** ",
    "**Depends-On:** —",
    "Depends on: Steps 1 and 2",
    "Step 2.1",
    "(none)",
    "Steps 1-3",
    "**Verify:** `cargo test`\n",
    "**Verify:**\n```sh\nmake\n```\n",
    "**Acceptance criteria:**\n- ok\n",
    "**Produces:**\n- a\n",
    "```",
    "~~~",
    "```sh\n",
    "\n",
    "\r\n",
    "\n\n",
    "- [x] ",
    "- [ ] ",
    "(2025-11-16 14:00Z) ",
    "2025-02-30",
    "(2025-11-16 14:00 EDT)",
    "| 1 | [c](c/) | draft | L | high |\n",
    "| Order | Plan | Status | Effort | Impact |\n",
    "|---|---|---|---|---|\n",
    "[a](../b.md)",
    "[x](/Users/me)",
    "https://example.com ",
    "é",
    "—",
    "\t",
    "   ",
    "---\n",
    "status: draft\n",
    "`",
    "**",
    "[name]",
    "TBD ",
    "Café",
    "Decision: d\n  Rationale: r\n  Date/Author: 2025-11-16, A\n",
    "\u{feff}",
    "🖥️",
    "> quote\n",
    "1. item\n",
    "<!-- c -->\n",
    "    indented\n",
    "\\",
    "|",
    "[",
    "](",
    ")",
    "**Estimate:** 2h\n",
    "**Superseded by:** x\n",
    // ExecPlan shapes: milestones, Concrete Steps, commands and their expected output.
    "## Concrete Steps\n",
    "## Plan of Work\n",
    "### Milestone 2: ",
    "## Phase 1",
    "Milestone 3 ",
    "Command: `make`\n",
    "Commands to verify:\n",
    "Expected output: ok\n",
    "Expected result:\n",
    "```\nout\n```\n",
    "depends on Milestone 1. ",
    "after M2 ",
    "Progress / 진행 상황",
    "2) ",
];

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn structured_documents_never_panic(src in doc()) {
        assert_spans_inside(&src);
    }

    #[test]
    fn any_text_never_panics(src in "\\PC*") {
        assert_spans_inside(&src);
    }

    #[test]
    fn json_like_text_never_panics(src in r#"[\{\}\[\]",:0-9a-z\\ \n-]{0,80}"#) {
        assert_spans_inside(&format!("{{{src}"));
        assert_spans_inside(&format!("{{\"tasks\": [{src}"));
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let (_, diags) = parse_bytes(&bytes, KindHint::Plan);
        for d in &diags {
            prop_assert!(d.span.end <= bytes.len());
        }
        if std::str::from_utf8(&bytes).is_err() {
            prop_assert!(diags.iter().any(|d| d.rule == "invalid-encoding"));
        }
    }
}

#[test]
fn regression_multibyte_after_task_heading() {
    // A heading starting with a three-byte character used to be sliced mid-character.
    assert_spans_inside("## Steps\n### D.1 — `x`\n### 실施\n### 🖥️ Infra\n");
    // A scheme search used to step one byte back from a multi-byte character.
    assert_spans_inside("Caféhttps://example.com ");
    assert_spans_inside("𑚀://");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// An edit changes its own range and nothing else: the bytes before and after it are
    /// identical, whatever the text and wherever the edit.
    #[test]
    fn splices_leave_every_other_byte_alone(
        src in "(\\PC|\\r\\n|\\n){0,200}",
        a in 0usize..400,
        b in 0usize..400,
        text in "[a-z \\n]{0,20}",
    ) {
        let mut cuts: Vec<usize> = (0..=src.len()).filter(|&i| src.is_char_boundary(i)).collect();
        cuts.dedup();
        let x = cuts[a % cuts.len()];
        let y = cuts[b % cuts.len()];
        let (start, end) = (x.min(y), x.max(y));
        let edit = planwright_core::edit::Edit::replace(planwright_core::Span::new(start, end), text.clone());
        let out = planwright_core::edit::apply(&src, &[edit]).expect("a valid edit applies");
        prop_assert!(out.starts_with(&src[..start]));
        prop_assert!(out.ends_with(&src[end..]));
        let eol = planwright_core::edit::line_ending(&src);
        let inserted = if eol == "\n" { text.clone() } else { text.replace('\n', "\r\n") };
        prop_assert_eq!(out.len(), src.len() - (end - start) + inserted.len());
    }
}
