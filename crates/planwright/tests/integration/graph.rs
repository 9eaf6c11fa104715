//! `planwright graph` on the examples: every format snapshotted, and the JSON shape checked.

use crate::workspace;
use planwright::graph::Graph;
use std::process::Command;

/// Builds the graph of an example plan and hands it to `f` (the graph borrows the plan).
fn with_graph<T>(root: &str, rel: &str, name: &str, f: impl FnOnce(&Graph<'_>) -> T) -> T {
    let src = std::fs::read_to_string(workspace().join(root).join(rel)).expect("read plan");
    let hint = match rel {
        r if r.ends_with(".json") => planwright_core::KindHint::Taskmaster,
        r if r.ends_with(".jsonl") => planwright_core::KindHint::Beads,
        r if r.starts_with(".kiro") => planwright_core::KindHint::Kiro,
        r if r.starts_with("specs/") => planwright_core::KindHint::SpecKit,
        _ => planwright_core::KindHint::Plan,
    };
    let (plan, _) = planwright_core::parse_with(&src, hint);
    f(&Graph::build(&plan, &src, name, rel))
}

#[test]
fn every_format_of_a_plan_a_roadmap_and_a_cycle() {
    let cases = [
        (
            "examples/shop",
            "spec/plans/add-batch-mode/README.md",
            "add-batch-mode",
        ),
        ("examples/shop", "spec/plans/checkout/README.md", "checkout"),
        (
            "examples/shop",
            "spec/plans/checkout/checkout-api/README.md",
            "checkout/checkout-api",
        ),
        ("examples/broken", "spec/plans/tangled/README.md", "tangled"),
        (
            "examples/shop",
            "specs/004-search-filters/tasks.md",
            "spec-kit-search-filters",
        ),
        (
            "examples/shop",
            ".kiro/specs/search-suggestions/tasks.md",
            "kiro-search-suggestions",
        ),
        (
            "examples/shop",
            ".taskmaster/tasks/tasks.json",
            "taskmaster",
        ),
        ("examples/shop", ".beads/issues.jsonl", "beads"),
    ];
    for (root, rel, name) in cases {
        let rendered = with_graph(root, rel, name, |g| {
            [g.to_text(), g.to_mermaid(), g.to_dot(), g.to_json_line()]
        });
        let key = name.replace('/', "__");
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            for (text, ext) in rendered.iter().zip(["text", "mermaid", "dot", "json"]) {
                insta::assert_snapshot!(format!("graph__{key}__{ext}"), text);
            }
        });
    }
}

#[test]
fn json_shape_and_parallel_waves() {
    let v = with_graph(
        "examples/shop",
        "spec/plans/checkout/checkout-api/README.md",
        "checkout/checkout-api",
        |g| g.to_json(),
    );
    for key in ["plan", "nodes", "order", "waves", "critical_path", "cycles"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    // Steps 1 and 2 have no dependencies: they run together; step 3 waits for both.
    assert_eq!(v["waves"], serde_json::json!([["1", "2"], ["3"]]));
    assert_eq!(v["nodes"][2]["depends_on"], serde_json::json!(["1", "2"]));
    let cyc = with_graph(
        "examples/broken",
        "spec/plans/tangled/README.md",
        "tangled",
        |g| g.to_json(),
    );
    assert_eq!(cyc["cycles"], serde_json::json!([["5", "6"]]));
}

#[test]
fn the_command_resolves_slugs_and_refuses_ambiguity() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_planwright"))
            .current_dir(workspace())
            .args(args)
            .output()
            .expect("run")
    };
    let o = run(&[
        "--root",
        "examples/shop",
        "graph",
        "checkout-api",
        "--format",
        "mermaid",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("flowchart TD\n"));
    let o = run(&[
        "--root",
        "examples/shop",
        "graph",
        "examples/shop/spec/plans",
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a folder of many plans is refused"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("graph shows one plan"));
    let o = run(&["--root", "examples/shop", "graph", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn dependency_types_label_the_edges_in_every_format() {
    let src = "# Plan: Typed\n\n## Steps\n\n### 1. Schema\n\n**Depends on:** (none)\n\n### 2. API\n\n**Depends on:** Step 1 (schema)\n\n### 3. Deploy\n\n**Depends on:** Step 1, Step 2 (interface)\n";
    let plan = planwright_core::read(src, planwright_core::KindHint::Plan);
    let g = Graph::build(&plan, src, "typed", "spec/plans/typed/README.md");
    let json = g.to_json();
    assert_eq!(
        json["nodes"][1]["dependency_types"],
        serde_json::json!({ "1": "schema" })
    );
    assert_eq!(
        json["nodes"][2]["dependency_types"],
        serde_json::json!({ "2": "interface" })
    );
    assert!(json["nodes"][0].get("dependency_types").is_none());
    let mermaid = g.to_mermaid();
    assert!(mermaid.contains("s1 -->|schema| s2"), "{mermaid}");
    assert!(mermaid.contains("s1 --> s3"), "{mermaid}");
    let dot = g.to_dot();
    assert!(
        dot.contains("\"2\" -> \"3\" [label=\"interface\"];"),
        "{dot}"
    );
    let show = planwright::render::show::to_json(&plan, src, "typed", "spec/plans/typed/README.md");
    assert_eq!(show["steps"][2]["depends_on"][1]["type"], "interface");
    assert_eq!(
        show["steps"][2]["depends_on"][0]["type"],
        serde_json::Value::Null
    );
}
