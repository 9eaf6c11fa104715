//! The rules on their fixtures (`tests/rules/<rule>/{fail,pass}/`), with the core alone: every
//! plan file of a fixture checked with an environment over its folder, then the
//! repository-level rules over the plans' summaries and the views' files. One test per rule,
//! so that one failing rule does not hide the others. (The binary's tests run the same
//! fixtures through discovery and the file system, and snapshot the output.)

use planwright_core::rules::{roadmap_status_mismatch, view_findings};
use planwright_core::{Env, KindHint, RuleSet, Severity, views};
use std::path::{Path, PathBuf};

/// How many superseded plans the index lists by default (`[index] recently_closed`).
const RECENTLY_CLOSED: usize = 5;

/// The fixture's folder as the rules see a repository.
struct DirEnv(PathBuf);

impl Env for DirEnv {
    fn exists(&self, rel: &str) -> Option<bool> {
        Some(self.0.join(rel).exists())
    }
    fn is_dir(&self, rel: &str) -> Option<bool> {
        Some(self.0.join(rel).is_dir())
    }
    fn file_len(&self, rel: &str) -> Option<u64> {
        std::fs::metadata(self.0.join(rel)).ok().map(|m| m.len())
    }
    fn read_to_string(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(rel)).ok()
    }
}

/// The plan files of a fixture, as the default configuration finds them, with their kind.
fn plan_files(root: &Path) -> Vec<(String, KindHint)> {
    let mut all = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("fixture folder").flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            let parts: Vec<&str> = rel.split('/').collect();
            let hint = match parts.as_slice() {
                ["spec", "plans", "README.md"] => continue,
                ["spec", "plans", ..] if rel.ends_with(".md") => KindHint::Plan,
                [".kiro", "specs", _, "tasks.md"] => KindHint::Kiro,
                ["specs", _, "tasks.md"] => KindHint::SpecKit,
                [".taskmaster", "tasks", "tasks.json"] => KindHint::Taskmaster,
                [".beads", "issues.jsonl"] => KindHint::Beads,
                _ => continue,
            };
            all.push((rel, hint));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Every rule that fires on the fixture, with the file it fires in and how serious it is.
fn findings(root: &Path) -> Vec<(&'static str, String, Severity)> {
    let env = DirEnv(root.to_path_buf());
    let rules = RuleSet::default();
    let mut out = Vec::new();
    let mut summaries = Vec::new();
    for (rel, hint) in plan_files(root) {
        let bytes = std::fs::read(root.join(&rel)).expect("fixture file");
        let (plan, diags) = planwright_core::check_bytes(&bytes, Some(&rel), &env, &rules, hint);
        out.extend(diags.into_iter().map(|d| (d.rule, rel.clone(), d.severity)));
        if let Ok(src) = std::str::from_utf8(&bytes) {
            summaries.extend(views::summarize(&rel, src, &plan));
        }
    }
    let refs: Vec<&views::Summary> = summaries.iter().collect();
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    let stale = views::stale(&refs, RECENTLY_CLOSED, &read);
    let repo = roadmap_status_mismatch::findings(&refs)
        .into_iter()
        .chain(view_findings(&stale));
    out.extend(repo.map(|f| (f.rule, f.file, Severity::Error)));
    out
}

/// The rule fires on its failing fixture, and nothing fires on its passing one.
fn rule_fixture(name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rules")
        .join(name);
    let fail = findings(&dir.join("fail"));
    assert!(
        fail.iter().any(|(r, _, _)| *r == name),
        "rule {name} did not fire on its failing fixture; found {fail:?}"
    );
    // Another rule's suggestion (severity info) is no problem of the fixture.
    let pass: Vec<_> = findings(&dir.join("pass"))
        .into_iter()
        .filter(|(r, _, s)| *r == name || *s > Severity::Info)
        .collect();
    assert!(
        pass.is_empty(),
        "passing fixture of {name} is not clean: {pass:?}"
    );
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
