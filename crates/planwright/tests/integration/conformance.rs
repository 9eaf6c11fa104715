//! Conformance over ../shared/corpus (real plans from public repositories), when present:
//! every file is checked without a crash, and the number of findings per rule per file is
//! snapshotted so that changes in behaviour are reviewed rather than unnoticed.

use crate::workspace;
use planwright::check::Report;
use planwright::config::Config;
use planwright::discover::Target;
use planwright_core::KindHint;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> Option<PathBuf> {
    let p = workspace().join("../shared/corpus");
    p.is_dir()
        .then(|| p.canonicalize().expect("canonical corpus path"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read corpus")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn corpus_checks_without_a_crash_and_counts_are_stable() {
    let Some(root) = corpus() else {
        eprintln!("../shared/corpus is absent; conformance skipped");
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    let targets: Vec<Target> = all
        .iter()
        .map(|p| Target {
            abs: p.clone(),
            rel: planwright::root::relative(&root, p).expect("inside"),
            hint: KindHint::Auto,
        })
        .collect();
    let report: Report =
        planwright::check::run(&root, &targets, &Config::default(), false).expect("runs");
    let crashed: Vec<_> = report.io_errors().collect();
    assert!(
        crashed.is_empty(),
        "files that could not be checked: {crashed:?}"
    );
    let mut text = String::new();
    for f in &report.files {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &f.findings {
            *counts.entry(d.rule).or_default() += 1;
        }
        if counts.is_empty() {
            continue;
        }
        let parts: Vec<String> = counts.iter().map(|(r, n)| format!("{r}={n}")).collect();
        writeln!(text, "{} [{}] {}", f.rel, f.kind.as_str(), parts.join(" ")).expect("write");
    }
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("corpus_conformance", text);
    });
}

#[test]
fn corpus_exit_codes_are_0_or_1() {
    let Some(root) = corpus() else { return };
    for kind in ["A", "B", "C", "D", "E", "F", "G", "repos", "scale"] {
        let dir = root.join(kind);
        if !dir.is_dir() {
            continue;
        }
        let mut all = Vec::new();
        files(&dir, &mut all);
        let out = Command::new(env!("CARGO_BIN_EXE_planwright"))
            .arg("--root")
            .arg(&root)
            .arg("check")
            .arg("--format")
            .arg("json")
            .args(&all)
            .output()
            .expect("run planwright");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "kind {kind}: exit {code:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        assert_eq!(
            v["summary"]["files"].as_u64(),
            Some(all.len() as u64),
            "kind {kind}: every file is checked"
        );
    }
}
