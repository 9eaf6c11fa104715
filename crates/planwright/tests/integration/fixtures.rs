//! Rule fixtures: `crates/planwright-core/tests/rules/<rule>/fail/` is a small repository in
//! which the rule fires, `pass/` one in which nothing fires, checked here the whole way
//! through (discovery, the file system, the views). One test per rule, so that one failing
//! rule does not hide the others. The human and JSON output of every failing case is
//! snapshotted (`cargo insta review` to accept changes).

use crate::{check_with, human};
use planwright_core::Severity;
use std::path::PathBuf;

fn fixture(rule: &str, case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../planwright-core/tests/rules")
        .join(rule)
        .join(case)
}

/// A fixture's check: the rules that are suggestions (severity info) only on their own
/// fixture, so that a fixture's snapshot shows what its rule is about.
fn check_repo(root: &std::path::Path, name: &str) -> planwright::check::Report {
    let mut cfg = planwright::config::Config::load(root).expect("config loads");
    for r in planwright_core::rules::RULES {
        if r.default_severity == Severity::Info && r.name != name {
            let _ = cfg.rules.set(r.name, Severity::Off);
        }
    }
    check_with(root, &cfg)
}

/// The rule fires on its failing fixture (snapshotted), and nothing fires on its passing one.
fn rule_fixture(name: &str) {
    let root = fixture(name, "fail");
    let report = check_repo(&root, name);
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
    let report = check_repo(&root, name);
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
    };
}

planwright_core::for_each_rule!(rule_tests);
