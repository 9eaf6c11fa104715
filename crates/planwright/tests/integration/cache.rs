//! The check cache: a cached check says exactly what a check without the cache says, after
//! any sequence of changes to the repository; a damaged, foreign or half-written cache is
//! never trusted.

use planwright::check::{self, CACHE_PATH, Cache};
use planwright::config::Config;
use planwright::discover::Matcher;
use proptest::prelude::*;
use std::path::Path;
use std::time::{Duration, SystemTime};

const SPEC: &str =
    "# Feature: Auth\n\n## Acceptance criteria\n\n- AC-1: users sign in\n- AC-2: users sign out\n";

fn plan(title: &str, status: &str, extra: &str) -> String {
    format!(
        "# Plan: {title}\n\n**Status:** {status}\n**Features:**\n- [auth](../../features/auth/README.md)\n\
         **Source type:** feature\n**Source:** [spec](../../features/auth/README.md)\n**Author:** @a\n\
         **Created:** 2026-01-01\n**Effort:** S\n**Impact:** low\n\n## Context\n\nWhy.\n\n\
         ## Acceptance criteria\n\n- It works\n\n## Steps\n\n### 1. Sign in\n\n**Depends on:** (none)\n\
         **Covers:** AC-1\n**Produces:**\n- `src/in.rs` — sign in\n\n**Acceptance criteria:**\n- Users sign in\n\n\
         **Verify:** `cargo test in`\n\n### 2. Sign out\n\n**Depends on:** Step 1\n**Covers:** AC-2\n\n\
         **Acceptance criteria:**\n- Users sign out\n\n**Verify:** `cargo test out`\n{extra}"
    )
}

/// The variants a plan's text takes: clean, broken in several ways, linking elsewhere.
fn variant(n: u8, title: &str) -> String {
    match n % 7 {
        0 => plan(title, "draft", ""),
        1 => plan(title, "finished", ""),
        2 => plan(title, "draft", "\nSee [notes](../../../docs/notes.md).\n"),
        3 => plan(title, "draft", "\n### 3. Loop\n\n**Depends on:** Step 3\n"),
        4 => plan(title, "in_review", "\n```sh\nunclosed\n"),
        5 => plan(title, "draft", "\nSee [the other plan](../p1/README.md).\n"),
        // A second feature outside the folders a check reads: only the views read it.
        _ => plan(title, "draft", "").replacen(
            "**Features:**\n",
            "**Features:**\n- [other](../../../docs/other.md)\n",
            1,
        ),
    }
}

/// One change to the repository.
#[derive(Clone, Debug)]
enum Op {
    Edit(u8, u8),
    SameSize(u8),
    Touch(u8),
    Rename(u8),
    Delete(u8),
    Add(u8),
    Spec(u8),
    Notes(bool),
    Config(u8),
    /// The plans index: removed, written by `planwright index` (with the features' tables),
    /// or damaged.
    Index(u8),
    /// The feature outside the checked folders: removed, without a Plans table, or with a
    /// stale one.
    Other(u8),
    /// The plans folder's `.gitignore`: removed, or ignoring one plan folder or another
    /// (changing it leaves the folder's own `stat` as it was).
    Ignore(u8),
    /// A plan in a folder inside a plan's folder, or none.
    Nested(u8, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4, 0u8..7).prop_map(|(i, v)| Op::Edit(i, v)),
        (0u8..4).prop_map(Op::SameSize),
        (0u8..4).prop_map(Op::Touch),
        (0u8..4).prop_map(Op::Rename),
        (0u8..4).prop_map(Op::Delete),
        (0u8..6).prop_map(Op::Add),
        (0u8..4).prop_map(Op::Spec),
        any::<bool>().prop_map(Op::Notes),
        (0u8..3).prop_map(Op::Config),
        (0u8..3).prop_map(Op::Index),
        (0u8..3).prop_map(Op::Other),
        (0u8..3).prop_map(Op::Ignore),
        (0u8..4, any::<bool>()).prop_map(|(i, there)| Op::Nested(i, there)),
    ]
}

/// A repository and the clock of its edits: every write gets a modification time of its
/// own, so that a `stat` never hides a change even when the check trusts `stat`s.
struct Repo {
    dir: tempfile::TempDir,
    clock: u64,
}

impl Repo {
    fn new() -> Repo {
        let mut r = Repo {
            dir: tempfile::tempdir().expect("tempdir"),
            clock: 0,
        };
        r.write("spec/features/auth/README.md", SPEC);
        for i in 0..3 {
            r.write(
                &format!("spec/plans/p{i}/README.md"),
                &variant(i, &format!("P{i}")),
            );
        }
        r
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&mut self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        self.clock += 1;
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 + self.clock);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(when))
            .expect("set mtime");
    }

    /// The plans there are, by folder name, sorted.
    fn plans(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.root().join("spec/plans"))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    fn apply(&mut self, op: &Op) {
        let plans = self.plans();
        let pick = |i: u8| (!plans.is_empty()).then(|| plans[i as usize % plans.len()].clone());
        let file = |p: &str| format!("spec/plans/{p}/README.md");
        match op {
            Op::Edit(i, v) => {
                if let Some(p) = pick(*i) {
                    self.write(&file(&p), &variant(*v, &p));
                }
            }
            Op::SameSize(i) => {
                if let Some(p) = pick(*i) {
                    let text = std::fs::read_to_string(self.root().join(file(&p))).expect("read");
                    // draft ↔ DRAFT, or a letter of the title: the same length either way.
                    let new = if text.contains("draft") {
                        text.replacen("draft", "drafx", 1)
                    } else {
                        text.replacen("Plan: ", "Plan: x", 1)
                            .replacen("\n\n", "\n", 1)
                    };
                    self.write(&file(&p), &new);
                }
            }
            Op::Touch(i) => {
                if let Some(p) = pick(*i) {
                    let text = std::fs::read_to_string(self.root().join(file(&p))).expect("read");
                    self.write(&file(&p), &text);
                }
            }
            Op::Rename(i) => {
                if let Some(p) = pick(*i) {
                    let to = format!("{p}r");
                    std::fs::rename(
                        self.root().join(format!("spec/plans/{p}")),
                        self.root().join(format!("spec/plans/{to}")),
                    )
                    .expect("rename");
                }
            }
            Op::Delete(i) => {
                if let Some(p) = pick(*i) {
                    std::fs::remove_dir_all(self.root().join(format!("spec/plans/{p}")))
                        .expect("delete");
                }
            }
            Op::Add(v) => {
                self.clock += 1;
                let name = format!("n{}", self.clock);
                self.write(&file(&name), &variant(*v, &name));
            }
            Op::Spec(v) => {
                let text = match v {
                    0 => SPEC.to_owned(),
                    1 => format!("{SPEC}- AC-3: users reset a password\n"),
                    // The same length: only the text tells.
                    2 => SPEC.replace("AC-2", "AC-7"),
                    _ => format!("{SPEC}{}", "More words about signing in.\n".repeat(400)),
                };
                self.write("spec/features/auth/README.md", &text);
            }
            Op::Notes(there) => {
                if *there {
                    self.write("docs/notes.md", "# Notes\n");
                } else {
                    let _ = std::fs::remove_file(self.root().join("docs/notes.md"));
                }
            }
            Op::Index(v) => match v {
                0 => {
                    let _ = std::fs::remove_file(self.root().join("spec/plans/README.md"));
                }
                1 => {
                    let root = self.root().to_str().expect("utf-8").to_owned();
                    planwright::cli::run_in(self.root(), &["--root", &root, "index"]);
                }
                _ => self.write("spec/plans/README.md", "# Plans\n\nNot the index.\n"),
            },
            Op::Other(v) => match v {
                0 => {
                    let _ = std::fs::remove_file(self.root().join("docs/other.md"));
                }
                1 => self.write("docs/other.md", "# Other\n"),
                _ => self.write(
                    "docs/other.md",
                    "# Other\n\n## Plans\n\n<!-- planwright:generated -->\n| old |\n<!-- planwright:end -->\n",
                ),
            },
            Op::Ignore(v) => match v {
                0 => {
                    let _ = std::fs::remove_file(self.root().join("spec/plans/.gitignore"));
                }
                1 => self.write("spec/plans/.gitignore", "p1/\n"),
                _ => self.write("spec/plans/.gitignore", "p2/\n"),
            },
            Op::Nested(i, there) => {
                if let Some(p) = pick(*i) {
                    if *there {
                        self.write(&format!("spec/plans/{p}/part/README.md"), &variant(3, "Part"));
                    } else {
                        let _ = std::fs::remove_dir_all(self.root().join(format!("spec/plans/{p}/part")));
                    }
                }
            }
            Op::Config(v) => match v {
                0 => {
                    let _ = std::fs::remove_file(self.root().join("planwright.toml"));
                }
                1 => self.write("planwright.toml", "[rules]\nbroken-link = \"off\"\n"),
                _ => self.write(
                    "planwright.toml",
                    "[rules]\ninvalid-field-value = \"warning\"\n",
                ),
            },
        }
    }
}

/// The check's JSON and human outputs, with the cache (opened as of `since`) or without.
fn outputs(root: &Path, cache: Option<SystemTime>) -> (String, String) {
    let cfg = Config::load(root).expect("config");
    let m = Matcher::new(&cfg).expect("matcher");
    let cache = cache.map(|since| Cache::open_at(root, &cfg, since));
    let report = check::run_repo_with(root, &m, &cfg, true, cache.as_ref());
    let mut json = Vec::new();
    planwright::render::json::render(&report, &mut json).expect("json");
    (
        String::from_utf8(json).expect("utf-8"),
        crate::human(&report),
    )
}

/// Checks with the cache twice (the second reads what the first wrote) and without; all
/// three must agree.
fn agree(root: &Path, since: SystemTime) -> Result<(), TestCaseError> {
    let plain = outputs(root, None);
    let first = outputs(root, Some(since));
    prop_assert_eq!(&first, &plain, "the first cached check differs");
    let second = outputs(root, Some(since));
    prop_assert_eq!(&second, &plain, "the check from the cache differs");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// With the real clock: every file was just written, so no `stat` is trusted and each
    /// file's bytes are compared by hash.
    #[test]
    fn the_cached_check_equals_the_uncached_one_after_any_edits(ops in prop::collection::vec(op(), 1..8)) {
        let mut repo = Repo::new();
        agree(repo.root(), SystemTime::now())?;
        for op in &ops {
            repo.apply(op);
            agree(repo.root(), SystemTime::now())?;
        }
    }

    /// With a check that began long after every edit: unchanged `stat`s are trusted, so a
    /// result is reused without reading its file.
    #[test]
    fn trusted_stats_give_the_same_answers(ops in prop::collection::vec(op(), 1..8)) {
        let later = SystemTime::now() + Duration::from_secs(3600);
        let mut repo = Repo::new();
        agree(repo.root(), later)?;
        for op in &ops {
            repo.apply(op);
            agree(repo.root(), later)?;
        }
    }
}

fn cache_text(root: &Path) -> String {
    std::fs::read_to_string(root.join(CACHE_PATH)).expect("the cache was written")
}

#[test]
fn a_whole_check_writes_the_cache_and_a_check_without_it_leaves_it_alone() {
    let repo = Repo::new();
    let root = repo.root().to_str().expect("utf-8");
    let (code, _, _) =
        planwright::cli::run_in(repo.root(), &["--root", root, "check", "--no-cache"]);
    assert_eq!(code, 1, "p1 has an invalid status");
    assert!(
        !repo.root().join(".planwright").exists(),
        "--no-cache writes nothing"
    );
    let (code, out, _) = planwright::cli::run_in(repo.root(), &["--root", root, "check"]);
    assert_eq!(code, 1);
    let text = cache_text(repo.root());
    assert_eq!(
        text.lines().count(),
        4,
        "a header and a line per file:\n{text}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.root().join(".planwright/cache/.gitignore")).expect("ignore"),
        "*\n",
        "the cache never shows in git status"
    );
    // From the cache, the same words.
    let (code, again, _) = planwright::cli::run_in(repo.root(), &["--root", root, "check"]);
    assert_eq!((code, again), (1, out));
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_rewritten() {
    let repo = Repo::new();
    let since = SystemTime::now() + Duration::from_secs(3600);
    let plain = outputs(repo.root(), None);
    outputs(repo.root(), Some(since));
    let good = cache_text(repo.root());
    let path = repo.root().join(CACHE_PATH);
    // A line whose result was altered is used as it is only if its file's stat vouches for
    // it; here the header is what is damaged, or a line cut, or the key of another build.
    let cut = &good[..good.len() / 2];
    let foreign = good.replacen("\"key\":\"", "\"key\":\"0", 1);
    let garbage = "\u{0}\u{1}not json at all\n".to_owned();
    // `{"format":N,`: the layout's number.
    let layout = &good[..=good.find(',').expect("a header")];
    let other_format = good.replacen(layout, "{\"format\":99,", 1);
    for damaged in [
        cut.to_owned(),
        foreign,
        garbage,
        other_format,
        String::new(),
    ] {
        std::fs::write(&path, &damaged).expect("damage");
        assert_eq!(
            outputs(repo.root(), Some(since)),
            plain,
            "from {damaged:.60?}"
        );
        let rewritten = cache_text(repo.root());
        assert!(rewritten.starts_with(layout), "rewritten: {rewritten:.80}");
        assert_eq!(rewritten.lines().count(), good.lines().count());
    }
}

#[test]
fn a_changed_linked_file_or_configuration_is_seen_through_the_cache() {
    let mut repo = Repo::new();
    let since = SystemTime::now() + Duration::from_secs(3600);
    repo.apply(&Op::Edit(0, 2)); // p0 links to docs/notes.md, which is missing
    let before = outputs(repo.root(), Some(since));
    assert!(before.0.contains("broken-link"));
    repo.apply(&Op::Notes(true));
    let after = outputs(repo.root(), Some(since));
    assert!(
        !after.0.contains("broken-link"),
        "the link's target appeared"
    );
    assert_eq!(after, outputs(repo.root(), None));
    repo.apply(&Op::Notes(false));
    repo.apply(&Op::Config(1));
    let off = outputs(repo.root(), Some(since));
    assert!(!off.0.contains("broken-link"), "the rule is off now");
    assert_eq!(off, outputs(repo.root(), None));
    // The spec edited to the same length: its `stat` changed, so its text is read again.
    repo.apply(&Op::Spec(2));
    let renamed = outputs(repo.root(), Some(since));
    assert!(renamed.0.contains("AC-7"), "AC-7 is now uncovered");
    assert_eq!(renamed, outputs(repo.root(), None));
}

#[test]
fn concurrent_checks_each_leave_a_whole_cache() {
    let repo = Repo::new();
    let exe = env!("CARGO_BIN_EXE_planwright");
    let run = || {
        let o = std::process::Command::new(exe)
            .arg("--root")
            .arg(repo.root())
            .args(["check", "--format", "json"])
            .output()
            .expect("run planwright");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let expected = run();
    std::fs::remove_file(repo.root().join(CACHE_PATH)).expect("remove the cache");
    let outs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6).map(|_| s.spawn(run)).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("join"))
            .collect()
    });
    for o in outs {
        assert_eq!(o, expected);
    }
    let text = cache_text(repo.root());
    assert_eq!(text.lines().count(), 4);
    assert_eq!(run(), expected, "the cache left behind is read");
}

#[test]
fn a_crash_while_writing_the_cache_leaves_the_old_one_or_none() {
    let mut repo = Repo::new();
    let root = repo.root().to_path_buf();
    let exe = env!("CARGO_BIN_EXE_planwright");
    let run = |crash: Option<&str>| {
        let mut c = std::process::Command::new(exe);
        c.arg("--root")
            .arg(&root)
            .args(["check", "--format", "json"]);
        if let Some(point) = crash {
            c.env("PLANWRIGHT_CRASH_AT", point);
        }
        let o = c.output().expect("run planwright");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    for (point, v) in [("mid-write", 3), ("before-rename", 4)] {
        let _ = std::fs::remove_file(repo.root().join(CACHE_PATH));
        let (code, _) = run(Some(point));
        assert_eq!(code, None, "aborted at {point}");
        assert!(
            !repo.root().join(CACHE_PATH).exists(),
            "no cache rather than half of one"
        );
        let whole = run(None);
        let old = cache_text(repo.root());
        repo.apply(&Op::Edit(0, v));
        let (code, _) = run(Some(point));
        assert_eq!(code, None);
        assert_eq!(cache_text(repo.root()), old, "the old cache is still whole");
        let fresh = run(None);
        assert_ne!(fresh, whole, "the edit is seen");
        let _ = std::fs::remove_file(repo.root().join(CACHE_PATH));
        assert_eq!(run(None), fresh);
    }
}

#[test]
#[cfg(unix)]
fn a_plans_folder_reached_through_a_link_is_listed_again_when_its_target_changes() {
    // `spec/plans` is a link to `plans-real`: a plan added there changes the target folder,
    // not the link.
    let mut repo = Repo::new();
    let since = SystemTime::now() + Duration::from_secs(3600);
    std::fs::rename(
        repo.root().join("spec/plans"),
        repo.root().join("plans-real"),
    )
    .expect("move the plans");
    std::os::unix::fs::symlink("../plans-real", repo.root().join("spec/plans")).expect("link");
    let before = outputs(repo.root(), Some(since));
    assert_eq!(before, outputs(repo.root(), None));
    repo.write("plans-real/late/README.md", &variant(3, "Late"));
    let after = outputs(repo.root(), Some(since));
    assert!(
        after.0.contains("late"),
        "the new plan is checked: {}",
        after.0
    );
    assert_eq!(after, outputs(repo.root(), None));
}

#[test]
fn a_result_drawn_from_git_history_is_checked_again_when_head_moves() {
    let dir = crate::lifecycle::shop("cache-git");
    let git = |args: &[&str]| {
        let o = crate::lifecycle::git(&dir, args);
        assert!(o.status.success(), "git {args:?}: {o:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "shop"]);
    // An approved plan whose Digest line is gone and whose frozen content changed: the
    // finding needs git, which holds the approved version.
    let plan = dir.join("spec/plans/json-output/README.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    let digest = text
        .lines()
        .find(|l| l.starts_with("**Digest:**"))
        .expect("a Digest line");
    std::fs::write(
        &plan,
        text.replace(&format!("{digest}\n"), "").replace(
            "### 1. Write down the wire format",
            "### 1. Write down the wire format, briefly",
        ),
    )
    .expect("write");
    // Every `stat` vouches: only the commit can tell the kept result is stale.
    let since = SystemTime::now() + Duration::from_secs(3600);
    let gone = "its Digest line is gone";
    let before = outputs(&dir, Some(since));
    assert!(before.0.contains(gone), "{}", before.0);
    assert_eq!(before, outputs(&dir, None));
    // History rewritten so that no commit ever held the Digest line; the plan is untouched.
    git(&["checkout", "-q", "--orphan", "fresh"]);
    git(&["commit", "-q", "-a", "-m", "again"]);
    let after = outputs(&dir, Some(since));
    assert!(
        !after.0.contains(gone),
        "the kept result outlived its commit"
    );
    assert_eq!(after, outputs(&dir, None));
}

#[test]
fn a_fresh_copy_with_the_cache_restored_reuses_each_result_by_its_content() {
    // As in CI with the cache restored: the same bytes, under new `stat`s everywhere.
    let repo = Repo::new();
    let since = SystemTime::now() + Duration::from_secs(3600);
    let plain = outputs(repo.root(), None);
    // Every `stat` vouches when the cache is written, and each line still keeps its hash.
    outputs(repo.root(), Some(since));
    // Planted in the kept results: a result reused shows it, one checked again does not.
    let planted = cache_text(repo.root()).replace("\"message\":\"", "\"message\":\"planted ");
    assert!(planted.contains("planted "), "the cache holds findings");
    let copy = tempfile::tempdir().expect("tempdir");
    crate::lifecycle::copy_dir(repo.root(), copy.path());
    std::fs::create_dir_all(copy.path().join(".planwright/cache")).expect("mkdir");
    std::fs::write(copy.path().join(CACHE_PATH), planted).expect("restore");
    let restored = outputs(copy.path(), Some(since));
    assert!(
        restored.0.contains("planted "),
        "the results were checked again, not reused by their content"
    );
    // Without the planted words, the same outputs as a check without the cache.
    assert_eq!(restored.0.replace("planted ", ""), plain.0);
}
