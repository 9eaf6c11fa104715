//! Rule fixtures: `tests/data/<rule>/fail/` is a small repository in which the rule fires,
//! `pass/` one in which nothing fires. The human and JSON output of every failing case is
//! snapshotted (`cargo insta review` to accept changes).

use crate::{check_repo, human};
use planwright_core::rules::RULES;
use std::path::PathBuf;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

#[test]
fn every_rule_fires_on_its_failing_fixture() {
    for rule in RULES {
        let root = data().join(rule.name).join("fail");
        let report = check_repo(&root);
        assert!(
            report.findings().any(|f| f.rule == rule.name),
            "rule {} did not fire on {}:\n{}",
            rule.name,
            root.display(),
            human(&report)
        );
        let json = serde_json::to_string_pretty(&planwright::render::json::to_value(&report))
            .expect("json");
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{}__human", rule.name), human(&report));
            insta::assert_snapshot!(format!("{}__json", rule.name), json);
        });
    }
}

#[test]
fn every_passing_fixture_is_clean() {
    for rule in RULES {
        let root = data().join(rule.name).join("pass");
        let report = check_repo(&root);
        assert!(
            report.findings().next().is_none(),
            "passing fixture of {} is not clean:\n{}",
            rule.name,
            human(&report)
        );
        assert!(
            report.plans() > 0,
            "passing fixture of {} has no plan",
            rule.name
        );
    }
}
