//! The rule catalogue `docs/rules.md` is generated from the rules' doc comments; it must be
//! current, and every rule must have complete docs and fixtures.

use planwright_core::rules::{RULES, catalogue_markdown};
use std::path::PathBuf;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn docs_rules_md_is_current() {
    let path = repo_root().join("docs/rules.md");
    let expected = catalogue_markdown() + "\n";
    if std::env::var_os("PLANWRIGHT_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/rules.md");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `cargo run -q -- rules --format markdown > docs/rules.md` \
         (or PLANWRIGHT_BLESS=1 cargo test)"
    );
}

#[test]
fn every_rule_has_four_part_docs() {
    for r in RULES {
        let docs = r.docs();
        for part in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(
                docs.contains(part),
                "rule {} lacks `{part}` in its doc comment",
                r.name
            );
        }
        assert!(
            !r.summary().is_empty(),
            "rule {} has no summary line",
            r.name
        );
        assert!(
            r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "rule name {} is not kebab-case",
            r.name
        );
    }
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let data = repo_root().join("crates/planwright-core/tests/rules");
    for r in RULES {
        let dir = data.join(r.name);
        let fail = dir.join("fail");
        let pass = dir.join("pass");
        assert!(
            fail.is_dir(),
            "rule {} has no failing fixture in {}",
            r.name,
            fail.display()
        );
        assert!(
            pass.is_dir(),
            "rule {} has no passing fixture in {}",
            r.name,
            pass.display()
        );
    }
}

#[test]
fn for_each_rule_names_every_rule_in_catalogue_order() {
    macro_rules! names {
        ($($rule:ident),* $(,)?) => {
            [$(stringify!($rule)),*]
        };
    }
    let listed: Vec<String> = planwright_core::for_each_rule!(names)
        .iter()
        .map(|r| r.replace('_', "-"))
        .collect();
    let rules: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    assert_eq!(
        listed, rules,
        "for_each_rule! must list every rule, in catalogue order"
    );
}
