//! Machine-readable everything: every `--format json` output carries `version` and validates
//! against its published schema, errors are JSON of one of five kinds, and every timestamp
//! is RFC 3339 with seconds, in UTC.

use crate::lifecycle::{call, done, err, shop};
use crate::schema::{assert_valid, validator};
use std::path::Path;

/// A command's JSON output, validated against the schema `schema`.
fn valid(dir: &Path, schema: &str, args: &[&str]) -> serde_json::Value {
    let text = done(dir, args);
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
    assert_eq!(v["version"], 1, "{args:?}: {v}");
    let s = validator(&planwright::schema::one(schema).expect("schema"));
    assert_valid(&s, &v, &format!("{args:?}"));
    v
}

#[test]
fn every_json_output_validates_against_its_schema() {
    let dir = shop("machine-outputs");
    let j = ["--format", "json"];
    let with =
        |args: &[&'static str]| -> Vec<&'static str> { args.iter().chain(&j).copied().collect() };
    valid(&dir, "list", &with(&["list"]));
    valid(&dir, "show", &with(&["show", "add-batch-mode"]));
    valid(&dir, "graph", &with(&["graph", "add-batch-mode"]));
    let v = valid(
        &dir,
        "changes",
        &with(&["new", "dry-one", "--feature", "cli", "--dry-run"]),
    );
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["files"][0]["action"], "created");
    assert!(
        v["files"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("# Plan: Dry one")),
        "{v}"
    );
    let v = valid(
        &dir,
        "changes",
        &with(&["new", "batch-retries", "--feature", "cli"]),
    );
    assert_eq!(
        (v["plan"].as_str(), v["status"].as_str()),
        (Some("batch-retries"), Some("draft"))
    );
    assert!(dir.join("spec/plans/batch-retries/README.md").is_file());
    let v = valid(&dir, "changes", &with(&["submit", "migrate-to-v2"]));
    assert_eq!(v["status"], "in_review");
    let v = valid(
        &dir,
        "changes",
        &with(&[
            "log",
            "add-batch-mode",
            "decision",
            "One batch per file",
            "--rationale",
            "Simpler",
        ]),
    );
    assert_eq!(
        v["files"][0]["path"], "spec/plans/add-batch-mode/README.md",
        "{v}"
    );
    let v = valid(
        &dir,
        "changes",
        &with(&["supersede", "search-index", "--by", "batch-retries"]),
    );
    assert_eq!(
        (v["status"].as_str(), v["by"].as_str()),
        (Some("superseded"), Some("batch-retries"))
    );
    valid(&dir, "changes", &with(&["index"]));
    valid(&dir, "changes", &with(&["init", "--dry-run"]));
    let v = valid(
        &dir,
        "changes",
        &with(&["work", "generate", "add-batch-mode"]),
    );
    assert!(v["items"].as_array().is_some_and(|i| i.len() >= 4), "{v}");
    valid(&dir, "work-list", &with(&["work", "list"]));
    valid(
        &dir,
        "work-item",
        &with(&["work", "show", "add-batch-mode#1"]),
    );
    valid(
        &dir,
        "work-item",
        &with(&["work", "start", "add-batch-mode#1", "--by", "@sam"]),
    );
    valid(
        &dir,
        "work-item",
        &with(&["work", "add", "--under", "add-batch-mode#1", "Handle a BOM"]),
    );
    valid(
        &dir,
        "work-item",
        &with(&["work", "block", "add-batch-mode#2", "--reason", "waiting"]),
    );
    let v = valid(
        &dir,
        "work-item",
        &with(&["work", "done", "add-batch-mode#1", "--no-verify"]),
    );
    assert_eq!(v["status"], "done");
    valid(&dir, "next", &with(&["next"]));
    valid(&dir, "progress", &with(&["progress"]));
    valid(&dir, "check", &with(&["check", "add-batch-mode"]));
    valid(&dir, "config", &with(&["config"]));
    valid(&dir, "rules", &with(&["rules"]));
    valid(&dir, "rules", &with(&["rules", "dependency-cycle"]));
    valid(&dir, "run-dry", &with(&["run", "json-output", "--dry-run"]));
}

/// `args` fails with exit 2 and a JSON error of `kind` on standard error.
fn fails_as(dir: &Path, kind: &str, args: &[&str]) -> serde_json::Value {
    let o = call(dir, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
    let text = err(&o);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
    assert_valid(
        &validator(&planwright::schema::one("error").expect("schema")),
        &v,
        &text,
    );
    assert_eq!(v["error"]["kind"], kind, "{args:?}: {v}");
    v
}

#[test]
fn errors_are_json_of_one_of_five_kinds() {
    let dir = shop("machine-errors");
    let v = fails_as(
        &dir,
        "usage",
        &["new", "Bad_Slug", "--feature", "cli", "--format", "json"],
    );
    assert_eq!(
        v["error"]["help"],
        "use lower-case letters and digits joined by dashes, like `bad-slug`"
    );
    // clap's refusals too, when JSON was asked for.
    fails_as(&dir, "usage", &["check", "--bogus", "--format", "json"]);
    let v = fails_as(
        &dir,
        "not_found",
        &["show", "add-batch-mod", "--format", "json"],
    );
    assert_eq!(
        v["error"]["message"],
        "no file, folder or plan named `add-batch-mod`"
    );
    assert_eq!(v["error"]["help"], "did you mean `add-batch-mode`?");
    fails_as(
        &dir,
        "not_found",
        &["work", "show", "add-batch-mode#9", "--format", "json"],
    );
    fails_as(
        &dir,
        "refused",
        &["work", "generate", "migrate-to-v2", "--format", "json"],
    );
    fails_as(
        &dir,
        "refused",
        &["submit", "add-batch-mode", "--format", "json"],
    );
    fails_as(
        &dir,
        "conflict",
        &[
            "new",
            "add-batch-mode",
            "--feature",
            "cli",
            "--format",
            "json",
        ],
    );
    fails_as(
        &dir,
        "conflict",
        &[
            "approve",
            "add-batch-mode",
            "--approver",
            "@r",
            "--format",
            "json",
        ],
    );
    // The repository lock cannot be taken: a folder stands where its file goes.
    let lock = dir.join(".planwright/lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::create_dir_all(&lock).expect("a folder in its place");
    let v = fails_as(
        &dir,
        "io",
        &["log", "add-batch-mode", "progress", "x", "--format", "json"],
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(".planwright/lock")),
        "{v}"
    );
    std::fs::remove_dir(&lock).expect("rmdir");
    // Without --format json, the error is for people.
    let o = call(&dir, &["show", "add-batch-mod"]);
    assert!(
        err(&o).starts_with("error: no file, folder or plan named"),
        "{}",
        err(&o)
    );
}

#[test]
fn timestamps_are_rfc_3339_and_old_ones_still_read() {
    let dir = shop("machine-timestamps");
    done(&dir, &["work", "generate", "add-batch-mode"]);
    let v = valid(
        &dir,
        "work-item",
        &["work", "start", "add-batch-mode#1", "--format", "json"],
    );
    let at = v["event"][0]["at"].as_str().expect("at");
    assert!(
        at.len() == 20 && at.as_bytes()[10] == b'T' && at.ends_with('Z'),
        "{at}"
    );
    // An event written in the earlier minute format reads in the one format.
    let events = dir.join(".planwright/work/add-batch-mode/2.events");
    std::fs::create_dir_all(&events).expect("mkdir");
    std::fs::write(
        events.join("1000-old.toml"),
        "at = \"2026-12-02 20:21Z\"\nby = \"@sam\"\nwhat = \"todo → in_progress\"\nstatus = \"in_progress\"\n",
    )
    .expect("write");
    let v = valid(
        &dir,
        "work-item",
        &["work", "show", "add-batch-mode#2", "--format", "json"],
    );
    assert_eq!(v["event"][0]["at"], "2026-12-02T20:21:00Z", "{v}");
    assert_eq!(v["status"], "in_progress");
}

#[test]
fn hook_install_says_what_it_wrote() {
    let dir = shop("machine-hook");
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&dir)
        .status()
        .expect("git");
    assert!(git.success());
    let v = valid(&dir, "changes", &["hook", "install", "--format", "json"]);
    assert_eq!(v["files"][0]["action"], "created", "{v}");
    assert!(dir.join(".git/hooks/pre-commit").is_file());
    // A hook planwright did not write is in the way.
    std::fs::write(dir.join(".git/hooks/pre-commit"), "#!/bin/sh\nexit 0\n").expect("write");
    fails_as(&dir, "conflict", &["hook", "install", "--format", "json"]);
}
