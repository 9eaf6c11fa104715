//! End-to-end runs of the `planwright` binary: exit codes, help, suggestions, the JSON
//! contract, colour rules and root handling.

use crate::workspace;
use std::path::Path;
use std::process::{Command, Output};

fn planwright(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planwright"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run planwright")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_clean_example_checks_clean() {
    let o = planwright(&workspace().join("examples/shop"), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("no problems"), "{}", stdout(&o));
}

#[test]
fn every_rule_fires_in_the_broken_example() {
    let o = planwright(
        &workspace(),
        &["--root", "examples/broken", "check", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let fired: std::collections::BTreeSet<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    for rule in planwright_core::rules::RULES {
        assert!(
            fired.contains(rule.name),
            "rule {} does not fire in examples/broken",
            rule.name
        );
    }
    // The file that is not UTF-8 is reported, and the others are still checked.
    assert!(v["summary"]["files"].as_u64().expect("files") >= 9);
}

#[test]
fn json_follows_the_contract() {
    let o = planwright(
        &workspace(),
        &["--root", "examples/broken", "check", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    for key in ["files", "plans", "errors", "warnings"] {
        assert!(v["summary"][key].is_u64(), "summary.{key}");
    }
    let d = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| {
            d["rule"] == "invalid-field-value"
                && d["message"].as_str().is_some_and(|m| m.contains("done"))
        })
        .expect("the bad status is reported");
    assert_eq!(d["file"], "spec/plans/Bad_Slug/README.md");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(13))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(3), Some(17))
    );
    assert!(d["help"].as_str().is_some_and(|h| h.contains("draft")));
    let scores = v["summary"]["self_containment"]
        .as_object()
        .expect("scores");
    assert!(
        scores["spec/plans/frozen/README.md"]
            .as_f64()
            .expect("score")
            < 1.0
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let dir = tempdir("columns");
    std::fs::create_dir_all(dir.join("spec/plans/café")).expect("mkdir");
    std::fs::write(
        dir.join("spec/plans/café/README.md"),
        "# Plan: Café\n\n**Status:** draft\n**Features:**\n- [x](x.md)\n**Source type:** feature\n**Source:** [s](x.md)\n**Author:** @a\n**Created:** 2026-01-01\n\n## Context\n\nCafé\tcrème [lien](manque.md)\n\n## Acceptance criteria\n\n- a\n\n## Steps\n\n### 1. A\n\n**Acceptance criteria:**\n- a\n",
    )
    .expect("write");
    std::fs::write(dir.join("spec/plans/café/x.md"), "x").expect("write");
    let o = planwright(&dir, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let d = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["rule"] == "broken-link")
        .expect("broken link found");
    // "Café\tcrème " is 11 characters (13 bytes): the link starts at column 12.
    assert_eq!(d["line"], 13);
    assert_eq!(d["column"], 12);
}

#[test]
fn a_single_plan_by_slug_or_by_path() {
    let shop = workspace().join("examples/shop");
    for arg in [
        "checkout-api",
        "checkout/checkout-api",
        "spec/plans/checkout/checkout-api/README.md",
    ] {
        let o = planwright(&shop, &["check", arg, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{arg}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["summary"]["files"], 1, "{arg}");
    }
    let o = planwright(&shop, &["check", "checkout-apj"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `checkout/checkout-api`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_teaches_and_typos_get_suggestions() {
    let here = workspace();
    let o = planwright(&here, &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("check") && stdout(&o).contains("Examples:"));
    let o = planwright(&here, &["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--format") && stdout(&o).contains("Exit status"));
    let o = planwright(&here, &["chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("check"), "{}", stderr(&o));
    let o = planwright(&here, &["check", "--formt", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format"), "{}", stderr(&o));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let here = workspace();
    let o = planwright(&here, &["--root", "no/such/dir", "check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such directory"), "{}", stderr(&o));
    let o = planwright(&here, &["--root", "examples/shop", "check", "Cargo.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("outside the repository root"),
        "{}",
        stderr(&o)
    );
    let dir = tempdir("badconfig");
    std::fs::write(dir.join("planwright.toml"), "[rulez]\n").expect("write");
    let o = planwright(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `rules`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn no_colour_when_not_a_terminal_and_deny_warnings() {
    let shop = workspace().join("examples/broken");
    let o = planwright(&shop, &["check"]);
    assert!(!stdout(&o).contains('\x1b'), "escape codes in piped output");
    let o = planwright(&shop, &["--color", "always", "check"]);
    assert!(stdout(&o).contains('\x1b'), "--color always colours");
    // Warnings alone exit 0, and 1 with --deny-warnings.
    let dir = repo_with_plans("warn", &["p"], |p| {
        p.replace("## Context\n", "## Context\n\nSee https://example.com.\n")
    });
    assert_eq!(planwright(&dir, &["index"]).status.code(), Some(0));
    let o = planwright(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = planwright(&dir, &["check", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn github_format_is_workflow_commands() {
    let o = planwright(
        &workspace(),
        &["--root", "examples/broken", "check", "--format", "github"],
    );
    let out = stdout(&o);
    assert!(
        out.lines()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{out}"
    );
    assert!(
        out.contains("title=planwright dependency-cycle::dependency cycle"),
        "{out}"
    );
}

#[test]
fn rules_explains_itself() {
    let o = planwright(&workspace(), &["rules", "dependency-cycle"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("## Why is this bad?"));
    let o = planwright(&workspace(), &["rules", "dependency-cycles"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `dependency-cycle`"));
}

/// A repository with the shop's search feature and one copy of its search-index plan per
/// slug (links adjusted to the slug's depth), each passed through `edit`.
fn repo_with_plans(
    name: &str,
    slugs: &[&str],
    edit: impl Fn(String) -> String,
) -> std::path::PathBuf {
    let dir = tempdir(name);
    let shop = workspace().join("examples/shop");
    let plan =
        std::fs::read_to_string(shop.join("spec/plans/search-index/README.md")).expect("read");
    std::fs::create_dir_all(dir.join("spec/features/search")).expect("mkdir");
    std::fs::copy(
        shop.join("spec/features/search/README.md"),
        dir.join("spec/features/search/README.md"),
    )
    .expect("copy");
    for slug in slugs {
        let up = "../".repeat(slug.split('/').count() + 1);
        std::fs::create_dir_all(dir.join("spec/plans").join(slug)).expect("mkdir");
        std::fs::write(
            dir.join("spec/plans").join(slug).join("README.md"),
            edit(plan.replace("../../", &up)),
        )
        .expect("write");
    }
    dir
}

/// A fresh directory under the target folder (tests never write outside the workspace).
fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = workspace()
        .join("target/test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

#[test]
fn gitignored_and_hidden_plans_are_skipped() {
    let dir = repo_with_plans(
        "ignored",
        &["kept", "scratch-one", ".hidden", "nested/deeper-scratch"],
        |p| p,
    );
    std::fs::write(dir.join(".gitignore"), "scratch-*/\n").expect("write");
    std::fs::write(dir.join("spec/plans/nested/.gitignore"), "deeper-*\n").expect("write");
    let o = planwright(&dir, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v["summary"]["plans"],
        1,
        "only spec/plans/kept is checked: {}",
        stdout(&o)
    );
}

#[test]
fn one_file_without_a_repository() {
    // A folder with no planwright.toml, spec/ or .git above it: the file is read alone.
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = "# Import\n\n## Purpose / Big Picture\n\nImport orders.\n\n## Concrete Steps\n\n1. Build it.\n\n   Command: `make build`\n\n   Expected result: it builds.\n\n2. Ship it.\n\n## Progress\n\n- [x] (2026-01-02 10:00Z) Built\n\n## Surprises & Discoveries\n\nNone.\n\n## Decision Log\n\nNone.\n\n## Outcomes & Retrospective\n\nNot yet.\n";
    std::fs::write(dir.path().join("PLAN.md"), plan).expect("write");
    let o = planwright(dir.path(), &["check", "PLAN.md"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("checking the file alone"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("checked 1 file"), "{}", stdout(&o));
    let o = planwright(dir.path(), &["show", "PLAN.md", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["steps"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["steps"][0]["verify"][0]["expected"], "it builds.");
    assert_eq!(v["steps"][0]["derived"], true);
    let o = planwright(dir.path(), &["graph", "PLAN.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Without a file there is still no repository: the usual error.
    let o = planwright(dir.path(), &["check"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{:?} {}{}",
        dir.path(),
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("no repository root found"),
        "{}",
        stderr(&o)
    );
}
