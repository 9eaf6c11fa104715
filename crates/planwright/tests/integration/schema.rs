//! The JSON Schemas of the machine outputs: snapshotted (a change of shape is deliberate),
//! and every real output of the examples validates against its schema.

use crate::{check_repo, workspace};
use planwright::config::Config;
use planwright::discover::{Matcher, discover, slug_of};

pub(crate) fn validator(v: &serde_json::Value) -> jsonschema::Validator {
    jsonschema::validator_for(v).expect("schema compiles")
}

pub(crate) fn assert_valid(schema: &jsonschema::Validator, value: &serde_json::Value, what: &str) {
    let errors: Vec<String> = schema
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn schemas_are_versioned_and_snapshotted() {
    let all = planwright::schema::all();
    assert_eq!(all["version"], 1);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("schema", serde_json::to_string_pretty(&all).expect("json"));
    });
}

#[test]
fn every_output_of_the_examples_validates() {
    let check = validator(&planwright::schema::one("check").expect("check schema"));
    let show = validator(&planwright::schema::one("show").expect("show schema"));
    let graph = validator(&planwright::schema::one("graph").expect("graph schema"));
    for example in ["examples/shop", "examples/broken"] {
        let root = workspace().join(example);
        let report = check_repo(&root);
        assert_valid(
            &check,
            &planwright::render::json::to_value(&report),
            example,
        );
        let cfg = Config::load(&root).expect("config");
        for t in discover(&root, &Matcher::new(&cfg).expect("matcher")) {
            let Ok(src) = std::fs::read_to_string(&t.abs) else {
                continue;
            };
            let (plan, _) = planwright_core::parse_with(&src, t.hint);
            let name = slug_of(&t.rel).unwrap_or_else(|| t.rel.clone());
            assert_valid(
                &show,
                &planwright::render::show::to_json(&plan, &src, &name, &t.rel),
                &t.rel,
            );
            let g = planwright::graph::Graph::build(&plan, &src, &name, &t.rel);
            assert_valid(&graph, &g.to_json(), &t.rel);
        }
    }
}

#[test]
fn show_reads_like_the_plan() {
    let shop = workspace().join("examples/shop");
    for (rel, key) in [
        ("spec/plans/add-batch-mode/README.md", "add-batch-mode"),
        ("docs/exec-plans/search-ranking.md", "search-ranking"),
    ] {
        let src = std::fs::read_to_string(shop.join(rel)).expect("read");
        let hint = if rel.starts_with("docs") {
            planwright_core::KindHint::Exec
        } else {
            planwright_core::KindHint::Plan
        };
        let (plan, _) = planwright_core::parse_with(&src, hint);
        let json = planwright::render::show::to_json(&plan, &src, key, rel);
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("show__{key}__text"), planwright::render::show::to_text(&plan, &src, rel));
            insta::assert_snapshot!(format!("show__{key}__json"), serde_json::to_string_pretty(&json).expect("json"));
        });
    }
}
