//! The SARIF output validates against the official SARIF 2.1.0 schema.

use crate::{check_repo, workspace};

#[test]
fn sarif_validates_against_the_official_schema() {
    // The official schema's `language` pattern has a stray `]` that strict regex engines
    // reject; it only constrains `run.language`, which planwright does not emit.
    let text = include_str!("../schemas/sarif-schema-2.1.0.json").replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let report = check_repo(&workspace().join("examples/broken"));
    assert!(
        report.findings().count() > 20,
        "the broken example should have many findings"
    );
    let sarif = planwright::render::sarif::to_value(&report, &planwright_core::RuleSet::default());
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    // Character columns, and every rule described once.
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(rules.len(), planwright_core::rules::RULES.len());
}
