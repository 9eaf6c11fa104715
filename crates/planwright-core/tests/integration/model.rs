//! What the parser reads from the formats and variants seen in the wild.

use planwright_core::model::{PlanKind, SectionKind, Status};
use planwright_core::{KindHint, parse, parse_with};

const SEED_STYLE: &str = "# Plan: Add batch mode

**Status:** Approved
**Features:**
- [cli](../../features/cli/README.md)
**Source type:** feature
**Source:** [CLI](../../features/cli/)
**Author:** @alex

## Context

Why.

## Steps

### 1. Define batch input schema

**Depends on:** (none)
**Produces:**
- `batch-input-schema.json` — JSON Schema definition

**Acceptance criteria:**
- Schema validates all example inputs
- Handles files up to 50MB without exceeding
256MB memory

**Verify:** `cargo test schema` and `test -f batch-input-schema.json`

### 2. Implement batch parser

**Depends on**: Step 1

#### 2.1. Add streaming support

Depends on: Steps 1 and 2

**Verify:**
```sh
# comment
cargo test streaming \\
  --release
$ make check
```

### 3. Update CLI entry point

**Depends-On:** Step 2.1, Step 1

```markdown
### 9. Not a step
**Depends on:** Step 42
```
";

#[test]
fn seed_003_plan_with_the_usual_variants() {
    let (plan, diags) = parse(SEED_STYLE);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(plan.kind, PlanKind::Development);
    assert_eq!(plan.status(SEED_STYLE), Some(Status::Approved));
    let ids: Vec<&str> = plan.steps.iter().map(|s| &*s.id).collect();
    assert_eq!(
        ids,
        ["1", "2", "2.1", "3"],
        "the heading inside a code fence is not a step"
    );
    let s1 = &plan.steps[0];
    assert!(s1.depends_on.as_ref().is_some_and(|d| d.none));
    let verify: Vec<&str> = s1.verify.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        verify,
        ["cargo test schema", "test -f batch-input-schema.json"]
    );
    let ac = s1.field("acceptance criteria").expect("criteria");
    assert_eq!(
        ac.items.len(),
        2,
        "a lazy continuation line stays in its item"
    );
    assert!(ac.items[1].span.text(SEED_STYLE).ends_with("256MB memory"));
    let deps = |i: usize| -> Vec<String> {
        plan.steps[i]
            .depends_on
            .iter()
            .flat_map(|d| d.refs.iter().map(|r| r.id.to_string()))
            .collect()
    };
    assert_eq!(deps(1), ["1"], "`**Depends on**:` with the colon outside");
    assert_eq!(
        deps(2),
        ["1", "2"],
        "plain `Depends on:` and `Steps 1 and 2`"
    );
    assert_eq!(deps(3), ["2.1", "1"], "`**Depends-On:**`");
    assert_eq!(plan.steps[2].parent, Some(1));
    assert_eq!(plan.steps[2].depth, 2);
    let sub: Vec<&str> = plan.steps[2]
        .verify
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        sub,
        ["cargo test streaming --release", "make check"],
        "fenced sh block, continuations and prompts"
    );
}

#[test]
fn crlf_files_read_like_lf_files() {
    let crlf = SEED_STYLE.replace('\n', "\r\n");
    let (a, _) = parse(SEED_STYLE);
    let (b, diags) = parse(&crlf);
    assert!(diags.is_empty(), "{diags:?}");
    let ids = |p: &planwright_core::Plan| p.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    for step in &b.steps {
        assert!(
            !step.title.value.ends_with('\r'),
            "title {:?}",
            step.title.value
        );
        for f in &step.fields {
            assert!(!f.value.text(&crlf).ends_with('\r'), "field {:?}", f.name);
        }
    }
    let status = b.field("status").expect("status");
    assert_eq!(status.inline.text(&crlf), "Approved");
}

#[test]
fn cr_only_files_are_split_into_the_lines_markdown_sees() {
    // Old Mac line endings: the field reader and the Markdown pass must agree on the lines,
    // or every header field goes missing (issue 19).
    // (Without code fences: pulldown-cmark does not open a fence on a CR-only line.)
    let lf: String = SEED_STYLE
        .split("**Verify:**\n```sh")
        .next()
        .expect("head")
        .to_owned();
    let cr = lf.replace('\n', "\r");
    let (a, _) = parse(&lf);
    let (b, diags) = parse(&cr);
    assert!(diags.is_empty(), "{diags:?}");
    for name in ["status", "features", "source type", "source", "author"] {
        assert!(b.field(name).is_some(), "field {name} not read");
    }
    assert_eq!(
        b.field("status").expect("status").inline.text(&cr),
        "Approved"
    );
    let deps = |p: &planwright_core::Plan| {
        p.steps
            .iter()
            .map(|s| (s.id.clone(), s.depends_on.is_some()))
            .collect::<Vec<_>>()
    };
    assert_eq!(deps(&a), deps(&b));
    // Lines are counted the same way where findings are reported.
    let idx = planwright_core::LineIndex::new(&cr);
    let at = cr.find("**Author:**").expect("author");
    let idx_lf = planwright_core::LineIndex::new(&lf);
    let at_lf = lf.find("**Author:**").expect("author");
    assert_eq!(idx.line_col(&cr, at), idx_lf.line_col(&lf, at_lf));
}

#[test]
fn execplan_living_sections_and_timestamps() {
    let src = "# ExecPlan: OAuth

## Purpose / Big Picture

Sign in.

## Progress

- [x] (2025-11-16 14:00Z) Read the code
- [x] (2025-11-16) Wrote the handler
- [ ] (2025-11-16 14:00 EDT) Tested
- [x] 2025-11-16T14:00:05+02:00 Deployed
- [ ] Document it

## Surprises and Discoveries

- Observation: sessions already carry a token.
  Evidence: `token` column.

## Decision Log

- Decision: keep server-side sessions.
  Rationale: every page reads them.
  Date/Author: 2025-11-16, @alex

## Outcomes & Retrospective

Done.
";
    let (plan, diags) = parse(src);
    assert!(diags.is_empty());
    assert_eq!(plan.kind, PlanKind::ExecPlan);
    for kind in SectionKind::LIVING {
        assert!(plan.has_section(kind), "{kind:?}");
    }
    let stamps: Vec<Option<String>> = plan
        .progress
        .iter()
        .map(|p| p.timestamp.as_ref().map(|t| t.iso()))
        .collect();
    assert_eq!(
        stamps,
        [
            Some("2025-11-16T14:00:00Z".to_owned()),
            Some("2025-11-16".to_owned()),
            Some("2025-11-16T14:00:00 EDT".to_owned()),
            Some("2025-11-16T14:00:05+02:00".to_owned()),
            None
        ]
    );
    let done: Vec<bool> = plan.progress.iter().map(|p| p.done).collect();
    assert_eq!(done, [true, true, false, true, false]);
    assert_eq!(plan.progress[0].text.text(src), "Read the code");
    let d = &plan.decisions[0];
    assert_eq!(d.decision.text(src), "keep server-side sessions.");
    assert_eq!(
        d.rationale.map(|r| r.text(src)),
        Some("every page reads them.")
    );
    assert_eq!(d.author.map(|a| a.text(src)), Some("@alex"));
    assert_eq!(
        d.date.as_ref().map(|t| t.iso()),
        Some("2025-11-16".to_owned())
    );
    let s = &plan.surprises[0];
    assert_eq!(s.observation.text(src), "sessions already carry a token.");
    assert_eq!(s.evidence.map(|e| e.text(src)), Some("`token` column."));
}

#[test]
fn specscore_flat_roadmap_and_lite() {
    let flat = "---\nformat: https://specscore.md/plan-specification\nstatus: Draft\n---\n# Plan: V1\n\n## Tasks\n\n### Task A1: Amend\n\n**Depends-On:** —\n**Verifies:** ac-1\n\n### Task A2: Errata\n\n**Depends-On:** Task A1\n";
    let (p, _) = parse(flat);
    assert_eq!(p.kind, PlanKind::SpecScore);
    assert_eq!(p.status(flat), Some(Status::Draft));
    assert_eq!(
        p.steps.iter().map(|s| &*s.id).collect::<Vec<_>>(),
        ["A1", "A2"]
    );
    assert!(p.steps[0].depends_on.as_ref().is_some_and(|d| d.none));
    assert_eq!(
        p.steps[1].depends_on.as_ref().map(|d| &*d.refs[0].id),
        Some("A1")
    );

    let roadmap = "# Plan: Chat\n\n**Status:** draft\n\n## Child Plans\n\n| Order | Plan | Status | Effort | Impact |\n|---|---|---|---|---|\n| 1 | [chat-infra](chat-infra/) | draft | L | high |\n| 2 | [chat-ui](chat-ui/) | In Review | M | - |\n";
    let (r, _) = parse(roadmap);
    assert_eq!(r.kind, PlanKind::Roadmap);
    assert_eq!(r.child_plans.len(), 2);
    assert_eq!(r.child_plans[1].name.value, "chat-ui");
    assert_eq!(
        r.child_plans[1].target.as_ref().map(|t| t.value.as_str()),
        Some("chat-ui/")
    );
    assert_eq!(
        r.child_plans[1].status.as_ref().map(|t| t.value.as_str()),
        Some("In Review")
    );

    let lite = "# PLAN: Onboarding\n\nFrom: [spec](spec.md)\n\n## Outcome\n\nX.\n\n## Phases\n\n1. **Phase 1: Draft** — write\n\n## Next Action\n\nDo it.\n\n## Risks / Open Questions\n\n- Y\n";
    let (l, _) = parse(lite);
    assert_eq!(l.kind, PlanKind::Lite);
    assert!(l.field("from").is_some());
    assert!(l.has_section(SectionKind::NextAction) && l.has_section(SectionKind::Risks));
}

#[test]
fn kind_hints_and_plain_documents() {
    let spec = "# Feature Specification: X\n\n**Status**: Draft\n\n## User stories\n";
    assert_eq!(
        parse(spec).0.kind,
        PlanKind::Document,
        "a spec with a status is not a plan"
    );
    assert_eq!(
        parse_with(spec, KindHint::Plan).0.kind,
        PlanKind::Development
    );
    // Where ExecPlans live, a file with none of the format's sections is no plan (an index,
    // a folder README, an artifact); one with any of them is an ExecPlan.
    assert_eq!(
        parse_with("# Notes\n", KindHint::Exec).0.kind,
        PlanKind::Document
    );
    assert_eq!(
        parse_with("# Notes\n\n## Progress\n\n- [ ] x\n", KindHint::Exec)
            .0
            .kind,
        PlanKind::ExecPlan
    );
}
