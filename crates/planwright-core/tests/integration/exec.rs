//! Plans as people write them: an ExecPlan's own structure as steps (milestones, milestone
//! paragraphs, Concrete Steps items, their commands and expected output, prose dependencies),
//! real ExecPlans from `../shared/corpus/A/` with counts taken by hand from the files, and the
//! precision fixes found on real text.

use planwright_core::{KindHint, read};
use std::path::PathBuf;

/// Checks `src` with every rule at its default severity, in no repository.
fn check(
    src: &str,
    path: Option<&str>,
    hint: KindHint,
) -> (planwright_core::Plan, Vec<planwright_core::Diagnostic>) {
    planwright_core::check(
        src,
        path,
        &planwright_core::NoEnv,
        &planwright_core::RuleSet::default(),
        hint,
    )
}

fn ids(src: &str) -> Vec<String> {
    read(src, KindHint::Exec)
        .steps
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

#[test]
fn milestone_headings_are_steps_with_their_prose_dependencies() {
    let src = "# Import\n\n## Purpose / Big Picture\n\nx\n\n## Plan of Work\n\n### Milestone 1: Schema\n\nWrite it.\n\n### Milestone 2: Import\n\nThis depends on Milestone 1.\n\n### Milestone 3 — Report\n\nRuns after M2, and after M9 (no such milestone).\n\n## Progress\n\n- [x] (2026-01-02 10:00Z) Schema written\n- [ ] Import\n";
    let plan = read(src, KindHint::Exec);
    let titles: Vec<&str> = plan.steps.iter().map(|s| s.title.value.as_str()).collect();
    assert_eq!(titles, ["Schema", "Import", "Report"]);
    assert!(plan.steps.iter().all(|s| s.derived));
    let deps = |i: usize| -> Vec<String> {
        plan.steps[i]
            .depends_on
            .iter()
            .flat_map(|d| d.refs.iter().map(|r| r.id.to_string()))
            .collect()
    };
    assert_eq!(deps(0), Vec::<String>::new());
    assert_eq!(deps(1), ["1"]);
    assert_eq!(deps(2), ["2"], "M9 names no milestone of the plan");
    let own = planwright_core::progress::own(&plan, src).expect("own progress");
    assert_eq!((own.done, own.total), (1, 2));
    assert_eq!(own.last.as_deref(), Some("2026-01-02T10:00:00Z"));
}

#[test]
fn concrete_steps_items_carry_their_commands_and_expected_output() {
    let src = "# Tenants\n\n## Purpose / Big Picture\n\nx\n\n## Concrete Steps\n\n1. Build the API.\n\n   Command: `dotnet build api.csproj`\n\n   Expected result: the project builds cleanly.\n\n2. Run the tests:\n\n   Commands to verify:\n\n   ```sh\n   $ dotnet test\n   ```\n\n   Expected output:\n\n   ```\n   Passed!\n   ```\n\n1. A second list restarts: not more steps.\n\n## Progress\n\n- [ ] Build\n";
    let plan = read(src, KindHint::Exec);
    assert_eq!(ids(src), ["1", "2"]);
    assert_eq!(plan.steps[0].title.value, "Build the API.");
    assert_eq!(plan.steps[1].title.value, "Run the tests");
    let cmds = |i: usize| -> Vec<(String, Option<String>)> {
        plan.steps[i]
            .verify
            .iter()
            .map(|c| {
                (
                    c.text.clone(),
                    c.expected.map(|e| e.text(src).trim().to_owned()),
                )
            })
            .collect()
    };
    assert_eq!(
        cmds(0),
        [(
            "dotnet build api.csproj".to_owned(),
            Some("the project builds cleanly.".to_owned())
        )]
    );
    assert_eq!(
        cmds(1),
        [("dotnet test".to_owned(), Some("Passed!".to_owned()))]
    );
}

#[test]
fn a_command_block_runs_in_one_shell() {
    let src = "# X

## Purpose / Big Picture

x

## Concrete Steps

From the repository root, run:

    cd apps/web
    $ bun run check

Expected: 0 errors

## Progress

- [ ] x
";
    let plan = read(src, KindHint::Exec);
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].title.value, "Concrete Steps");
    let c = &plan.steps[0].verify[0];
    assert_eq!(c.text, "cd apps/web\nbun run check");
    assert_eq!(c.expected.map(|e| e.text(src)), Some("0 errors"));
}

#[test]
fn a_development_plan_keeps_its_written_steps_and_prose_is_no_step() {
    assert!(
        ids("# Plan: X\n\n**Status:** draft\n\n## Steps\n\n### 1. A\n\n**Depends on:** (none)\n")
            .iter()
            .all(|s| s == "1")
    );
    let prose = "# X\n\n## Purpose / Big Picture\n\nx\n\n## Plan of Work\n\nCreate the script. Then the workflow.\n\n## Progress\n\n- [ ] x\n";
    assert!(ids(prose).is_empty());
    // `Phase 2b` is not a numbered phase.
    assert!(ids("# X\n\n## Progress\n\n- [ ] x\n\n### Phase 2b\n\ny\n").is_empty());
}

/// Real ExecPlans: (file, steps, commands, done, total), counted by hand in the files.
const REAL: &[(&str, usize, usize, usize, usize)] = &[
    // `## Concrete Steps`: items 1-10; Progress: 34 `[x]`, 1 `[ ]`.
    (
        "616xold__pocket-cto__plans__FP-0086-benchmark-community-pack-foundation.md",
        10,
        0,
        34,
        35,
    ),
    // `## Concrete Steps`: items 1-6, four `Command:` lines; Progress: 2 `[x]`, 5 `[ ]`.
    (
        "Avanade__CoreEx__.agent__execplans__multi-tenancy-orders.md",
        6,
        4,
        2,
        7,
    ),
    // `## Plan of Work`: paragraphs "Milestone 1" to "Milestone 4"; Progress: 9 `[x]`.
    (
        "cmdclaw__cmdclaw__plans__agentic-app-prompts.md",
        4,
        0,
        9,
        9,
    ),
];

#[test]
fn real_execplans_have_the_steps_and_progress_their_documents_show() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/A");
    if !dir.is_dir() {
        eprintln!("../shared/corpus is absent; the real ExecPlans are skipped");
        return;
    }
    for &(file, steps, commands, done, total) in REAL {
        let src = std::fs::read_to_string(dir.join(file)).expect("corpus file");
        let plan = read(&src, KindHint::Auto);
        assert_eq!(plan.steps.len(), steps, "{file}: steps");
        let found: usize = plan.steps.iter().map(|s| s.verify.len()).sum();
        assert_eq!(found, commands, "{file}: commands");
        let own = planwright_core::progress::own(&plan, &src).expect("progress");
        assert_eq!((own.done, own.total), (done, total), "{file}: progress");
    }
}

#[test]
fn bilingual_and_decorated_living_headings_are_recognised() {
    use planwright_core::model::{SectionKind, section_kind};
    for (title, kind) in [
        ("Progress / 진행 상황", SectionKind::Progress),
        ("Decision Log (결정 로그)", SectionKind::DecisionLog),
        ("🧭 Progress", SectionKind::Progress),
        (
            "Surprises & Discoveries / 예상되는 함정",
            SectionKind::Surprises,
        ),
        (
            "Outcomes & Retrospective / 완료 상태 정의",
            SectionKind::Outcomes,
        ),
        ("진행 상황", SectionKind::Other),
        ("Progress report for the board", SectionKind::Other),
    ] {
        assert_eq!(section_kind(title), kind, "{title}");
    }
}

#[test]
fn a_mismatch_drawn_in_mermaid_and_in_prose_is_reported_once() {
    let src = "# Plan: X\n\n**Status:** draft\n\n## Steps\n\n### 1. A\n\n**Depends on:** (none)\n\n### 2. B\n\n**Depends on:** (none)\n\n## Dependency graph\n\n```mermaid\nflowchart TD\n  S1 --> S2\n```\n\nStep 1 --> Step 2\n";
    let (_, diags) = check(src, None, KindHint::Plan);
    let n = diags
        .iter()
        .filter(|d| d.rule == "graph-section-mismatch")
        .count();
    assert_eq!(n, 1, "{diags:#?}");
}

#[test]
fn an_unknown_task_status_is_a_finding_not_silence() {
    let src = r#"{"tasks": [
  {"id": 1, "title": "Setup", "status": "done", "dependencies": []},
  {"id": 2, "title": "Build", "status": "in-progress", "dependencies": [1]},
  {"id": 3, "title": "Ship", "status": "wip", "dependencies": [2]}
]}"#;
    let (plan, diags) = check(
        src,
        Some(".taskmaster/tasks/tasks.json"),
        KindHint::Taskmaster,
    );
    let found: Vec<&str> = diags
        .iter()
        .filter(|d| d.rule == "invalid-field-value")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(found, ["`wip` is not a task status planwright knows"]);
    let own = planwright_core::progress::own(&plan, src).expect("progress");
    assert_eq!((own.done, own.in_progress, own.total), (1, 1, 3));
}

#[test]
fn an_index_or_a_folder_readme_under_an_exec_glob_is_no_plan() {
    use planwright_core::PlanKind;
    let artifact = "# Benchmark output\n\nrun 1: 12 ms\n";
    assert_eq!(read(artifact, KindHint::Exec).kind, PlanKind::Document);
    let titled = "# ExecPlan: Half\n\nNothing else yet.\n";
    assert_eq!(read(titled, KindHint::Exec).kind, PlanKind::ExecPlan);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/A");
    if !dir.is_dir() {
        return;
    }
    for (file, kind) in [
        // "# Execution Plans" with sections on templates and folders: an index.
        (
            "DMontgomery40__ragweld__docs__exec-plans__index.md",
            PlanKind::Document,
        ),
        // "Put substantial in-progress execution plans here.": a folder README.
        (
            "AndrewIngram__tupl__docs__exec-plans__active__README.md",
            PlanKind::Document,
        ),
        (
            "Avanade__CoreEx__.agent__execplans__multi-tenancy-orders.md",
            PlanKind::ExecPlan,
        ),
    ] {
        let src = std::fs::read_to_string(dir.join(file)).expect("corpus file");
        assert_eq!(read(&src, KindHint::Exec).kind, kind, "{file}");
    }
}

#[test]
fn the_lite_template_is_only_the_files_that_look_like_it() {
    use planwright_core::PlanKind;
    let lite = "# PLAN: Ship search\n\n## Outcome\n\nSearch works.\n\n## Phases\n\n1. Index\n";
    assert_eq!(read(lite, KindHint::Lite).kind, PlanKind::Lite);
    let notes = "# Session notes\n\nTried the indexer; it is slow.\n";
    assert_eq!(read(notes, KindHint::Lite).kind, PlanKind::Document);
}

#[test]
fn urls_in_indented_code_blocks_are_not_external_links() {
    // As ExecPlans write commands: indented blocks at the top level and inside list items.
    let src = "# ExecPlan: Probe\n\n## Purpose / Big Picture\n\nCheck the service.\n\n## Concrete Steps\n\nFrom the repository root, run:\n\n    curl -k https://localhost:62023/health\n\n1. Probe the tenant API.\n\n       curl -k https://localhost:62023/api/orders\n\n## Progress\n\n- [ ] Probed\n\nSee https://example.com/docs for more.\n";
    let (_, diags) = check(src, None, KindHint::Exec);
    let external: Vec<String> = diags
        .iter()
        .filter(|d| d.rule == "external-link")
        .map(|d| d.span.text(src).to_owned())
        .collect();
    assert_eq!(external, ["https://example.com/docs"]);
}
