//! Rule fixtures: `crates/planwright-core/tests/rules/<rule>/fail/` is a small repository in
//! which the rule fires, `pass/` one in which nothing fires, checked here the whole way
//! through (discovery, the file system, the views). One test per rule, so that one failing
//! rule does not hide the others. The human and JSON output of every failing case is
//! snapshotted (`cargo insta review` to accept changes).

use crate::{check_repo, human};
use planwright_core::rules::RULES;
use std::path::PathBuf;

fn fixture(rule: &str, case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../planwright-core/tests/rules")
        .join(rule)
        .join(case)
}

/// The rule fires on its failing fixture (snapshotted), and nothing fires on its passing one.
fn rule_fixture(name: &str) {
    let root = fixture(name, "fail");
    let report = check_repo(&root);
    assert!(
        report.findings().any(|f| f.rule == name),
        "rule {name} did not fire on {}:\n{}",
        root.display(),
        human(&report)
    );
    let json =
        serde_json::to_string_pretty(&planwright::render::json::to_value(&report)).expect("json");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("{name}__human"), human(&report));
        insta::assert_snapshot!(format!("{name}__json"), json);
    });
    let root = fixture(name, "pass");
    let report = check_repo(&root);
    assert!(
        report.findings().next().is_none(),
        "passing fixture of {name} is not clean:\n{}",
        human(&report)
    );
    assert!(report.plans() > 0, "passing fixture of {name} has no plan");
}

macro_rules! rule_tests {
    ($($rule:ident),* $(,)?) => {
        $(
            #[test]
            fn $rule() {
                rule_fixture(&stringify!($rule).replace('_', "-"));
            }
        )*

        /// Every rule has its test above.
        #[test]
        fn every_rule_has_a_fixture_test() {
            let tested: Vec<String> = [$(stringify!($rule)),*]
                .iter()
                .map(|r| r.replace('_', "-"))
                .collect();
            let rules: Vec<&str> = RULES.iter().map(|r| r.name).collect();
            assert_eq!(tested, rules, "a rule is missing from rule_tests! (in catalogue order)");
        }
    };
}

rule_tests!(
    missing_field,
    missing_section,
    invalid_field_value,
    invalid_slug,
    nesting_too_deep,
    duplicate_step,
    self_dependency,
    dangling_dependency,
    dependency_cycle,
    order_violation,
    graph_section_mismatch,
    broken_link,
    approval_incomplete,
    frozen_plan_modified,
    superseded_without_successor,
    roadmap_with_steps,
    missing_child_plan,
    roadmap_status_mismatch,
    stale_index,
    stale_backreference,
    external_link,
    missing_acceptance_criteria,
    missing_verification,
    placeholder_text,
    missing_living_section,
    unclosed_code_fence,
    over_planning,
    unresolved_requirement,
    invalid_encoding,
    invalid_json,
);
