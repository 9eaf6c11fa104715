//! The life of a plan through the commands: submit, approve (and its refusals), the freeze,
//! living sections, supersede; atomic writes under a forced crash; concurrent writers.

use crate::workspace;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.ends_with(".planwright/cache") {
            // Local state of checks run on the example itself, never part of a copy.
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &t);
            if p.ends_with(".planwright") {
                // Nothing but local state in it: no folder either (fails when not empty).
                let _ = std::fs::remove_dir(&t);
            }
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// A fresh copy of the shop example.
pub(crate) fn shop(name: &str) -> PathBuf {
    let dir = workspace()
        .join("target/test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&workspace().join("examples/shop"), &dir);
    dir
}

/// Runs a command in this process, from `dir`, through the library's dispatch: the
/// commands and the services they call, without starting the binary.
pub(crate) fn call(dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::process::ExitStatusExt;
    let (code, stdout, stderr) = planwright::cli::run_in(dir, args);
    Output {
        status: std::process::ExitStatus::from_raw(i32::from(code) << 8),
        stdout,
        stderr: stderr.into_bytes(),
    }
}

/// [`call`], asserting exit 0; its stdout.
pub(crate) fn done(dir: &Path, args: &[&str]) -> String {
    succeeded(&call(dir, args), args)
}

/// The stdout of a command that must have exited 0.
fn succeeded(o: &Output, args: &[&str]) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        err(o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs the binary from `dir`.
pub(crate) fn pw(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planwright"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run")
}

fn pw_env(dir: &Path, args: &[&str], key: &str, value: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planwright"))
        .current_dir(dir)
        .env(key, value)
        .args(args)
        .output()
        .expect("run")
}

pub(crate) fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs planwright and asserts it exits 0; its stdout.
pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    succeeded(&pw(dir, args), args)
}

pub(crate) fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).expect("read")
}

const PLAN: &str = "spec/plans/migrate-to-v2/README.md";

#[test]
fn the_life_of_a_plan() {
    let dir = shop("life");
    // draft → in_review
    let o = call(&dir, &["submit", "migrate-to-v2"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(read(&dir, PLAN).contains("**Status:** in_review"));
    let o = call(&dir, &["submit", "migrate-to-v2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already in review"));
    // --dry-run changes nothing
    let before = read(&dir, PLAN);
    let o = call(
        &dir,
        &[
            "approve",
            "migrate-to-v2",
            "--approver",
            "jordan",
            "--date",
            "2026-11-21",
            "--dry-run",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("+**Approver:** @jordan"));
    assert_eq!(read(&dir, PLAN), before);
    // approve: approver, date, digest; everything else byte-identical
    let o = call(
        &dir,
        &[
            "approve",
            "migrate-to-v2",
            "--approver",
            "jordan",
            "--date",
            "2026-11-21",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let approved = read(&dir, PLAN);
    assert!(approved.contains("**Status:** approved\n"));
    assert!(
        approved.contains("**Approver:** @jordan\n**Approved:** 2026-11-21\n**Digest:** sha256:")
    );
    assert_eq!(
        approved
            .replace("**Status:** approved", "**Status:** in_review")
            .lines()
            .filter(|l| !l.starts_with("**Approve") && !l.starts_with("**Digest"))
            .collect::<Vec<_>>(),
        before.lines().collect::<Vec<_>>()
    );
    assert_eq!(
        call(&dir, &["check", "migrate-to-v2"]).status.code(),
        Some(0)
    );
    // a frozen step changes: check fails, naming the rule
    std::fs::write(
        dir.join(PLAN),
        approved.replace("v1 routes answer 410 Gone", "v1 routes answer 404"),
    )
    .expect("write");
    let o = call(&dir, &["check", "migrate-to-v2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("frozen-plan-modified"));
    // reverted, then living sections added: clean
    let living = format!(
        "{approved}\n## Progress\n\n- [x] (2026-11-22 09:00Z) Deprecation header shipped\n\n## Decision Log\n\n- Decision: 410 rather than 404.\n  Rationale: clients can tell removal from a typo.\n  Date/Author: 2026-11-22, @alex\n"
    );
    std::fs::write(dir.join(PLAN), &living).expect("write");
    let o = call(&dir, &["check", "migrate-to-v2"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // superseded by a new plan: both linked, the old one frozen for good
    let o = call(
        &dir,
        &["supersede", "migrate-to-v2", "--by", "search-index"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(read(&dir, PLAN).contains("**Status:** superseded\n"));
    assert!(read(&dir, PLAN).contains("**Superseded by:** [search-index](../search-index/)"));
    assert!(
        read(&dir, "spec/plans/search-index/README.md")
            .contains("**Supersedes:** [migrate-to-v2](../migrate-to-v2/)")
    );
    let o = call(&dir, &["approve", "migrate-to-v2", "--approver", "jordan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("superseded"));
    let o = call(&dir, &["check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn approval_is_refused_with_a_reason() {
    let dir = shop("refuse");
    // Errors under check (as approved: a placeholder) block approval.
    let plan = "spec/plans/search-index/README.md";
    std::fs::write(
        dir.join(plan),
        read(&dir, plan).replace(
            "A product change is searchable within 60 s",
            "A product change is searchable within TBD",
        ),
    )
    .expect("write");
    let o = call(&dir, &["approve", "search-index", "--approver", "kim"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("placeholder-text"), "{}", err(&o));
    // Open questions block approval unless forced, and forcing is recorded.
    let plan = "spec/plans/checkout/checkout-ui/README.md";
    std::fs::write(
        dir.join(plan),
        read(&dir, plan).replace("None at this time.", "- Which payment provider?"),
    )
    .expect("write");
    let o = call(&dir, &["approve", "checkout-ui", "--approver", "kim"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("Outstanding Questions"), "{}", err(&o));
    let o = call(
        &dir,
        &[
            "approve",
            "checkout-ui",
            "--approver",
            "kim",
            "--force",
            "--date",
            "2026-11-21",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = read(&dir, plan);
    assert!(
        text.contains("## Decision Log") && text.contains("approve --force"),
        "{text}"
    );
    assert_eq!(call(&dir, &["check", "checkout-ui"]).status.code(), Some(0));
}

#[test]
fn a_crash_leaves_the_old_file_or_the_new_one() {
    for point in ["mid-write", "before-rename"] {
        let dir = shop(&format!("crash-{point}"));
        let plan = "spec/plans/search-index/README.md";
        let before = read(&dir, plan);
        let o = pw_env(
            &dir,
            &["approve", "search-index", "--approver", "kim"],
            "PLANWRIGHT_CRASH_AT",
            point,
        );
        assert!(
            !o.status.success(),
            "the writer was made to crash at {point}"
        );
        assert_eq!(
            read(&dir, plan),
            before,
            "crash at {point}: the old file is intact"
        );
        // The next run succeeds and leaves a whole new file.
        let o = pw(&dir, &["approve", "search-index", "--approver", "kim"]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let after = read(&dir, plan);
        assert!(after.contains("**Status:** approved") && after.ends_with("None at this time.\n"));
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = shop("concurrent");
    let file = dir.join("spec/plans/search-index/README.md");
    let threads: Vec<_> = (0..8)
        .map(|n| {
            let (dir, file) = (dir.clone(), file.clone());
            std::thread::spawn(move || {
                for k in 0..5 {
                    planwright::write::update(&dir, &file, |t| {
                        Some(format!("{t}- writer {n} line {k}\n"))
                    })
                    .expect("update");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    let text = std::fs::read_to_string(&file).expect("read");
    for n in 0..8 {
        for k in 0..5 {
            assert!(
                text.contains(&format!("- writer {n} line {k}\n")),
                "writer {n} line {k} was lost"
            );
        }
    }
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git")
}

#[test]
fn the_pre_commit_hook_checks_staged_plans() {
    let dir = shop("hook");
    assert!(git(&dir, &["init", "-q"]).status.success());
    assert!(git(&dir, &["add", "-A"]).status.success());
    assert!(git(&dir, &["commit", "-q", "-m", "shop"]).status.success());
    let o = call(&dir, &["hook", "install"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let hook = std::fs::read_to_string(dir.join(".git/hooks/pre-commit")).expect("hook");
    assert!(hook.contains("planwright check --staged"));
    // A broken plan, staged: only it is checked, and the commit is refused.
    let plan = "spec/plans/search-index/README.md";
    std::fs::write(
        dir.join(plan),
        read(&dir, plan).replace("**Depends on:** Step 1", "**Depends on:** Step 9"),
    )
    .expect("write");
    assert!(git(&dir, &["add", plan]).status.success());
    let o = call(&dir, &["check", "--staged", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["summary"]["files"], 1);
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_planwright"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("git")
        .current_dir(&dir)
        .env("PATH", path)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "commit",
            "-q",
            "-m",
            "broken",
        ])
        .output()
        .expect("git commit");
    assert!(!o.status.success(), "the hook refuses the commit");
    // Reinstalling is fine; replacing someone else's hook needs --force.
    std::fs::write(dir.join(".git/hooks/pre-commit"), "#!/bin/sh\nmake lint\n").expect("write");
    assert_eq!(call(&dir, &["hook", "install"]).status.code(), Some(2));
    assert_eq!(
        call(&dir, &["hook", "install", "--force"]).status.code(),
        Some(0)
    );
}

/// A copy of the shop in a git repository, with `search-index` approved and committed.
pub(crate) fn approved_in_git(name: &str) -> PathBuf {
    let dir = shop(name);
    assert!(git(&dir, &["init", "-q"]).status.success());
    let o = call(
        &dir,
        &[
            "approve",
            "search-index",
            "--approver",
            "kim",
            "--date",
            "2026-11-21",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(git(&dir, &["add", "-A"]).status.success());
    assert!(
        git(&dir, &["commit", "-q", "-m", "approve search-index"])
            .status
            .success()
    );
    dir
}

#[test]
fn a_frozen_change_names_its_lines_through_git() {
    let dir = approved_in_git("freeze-git");
    let (line, msg) = change_frozen_line(
        &dir,
        "spec/plans/search-index/README.md",
        "search-index",
        "Changes reach the index within 60 s",
        "Changes reach the index within 90 s",
    );
    assert!(
        msg.contains(&format!("line {line} differs from the approved version")),
        "{msg}"
    );
    // The approved line beside the changed one.
    assert!(
        msg.contains("reads `- Changes reach the index within 90 s` where the approved version read `- Changes reach the index within 60 s`"),
        "{msg}"
    );
}

#[test]
fn new_scaffolds_every_template_and_refuses_bad_names() {
    let dir = shop("new");
    for args in [
        &["new", "export-csv", "--feature", "cli", "--author", "@sam"][..],
        &[
            "new",
            "chat",
            "--roadmap",
            "--feature",
            "cli",
            "--author",
            "@sam",
        ],
        &[
            "new",
            "chat-store",
            "--parent",
            "chat",
            "--feature",
            "cli",
            "--author",
            "@sam",
        ],
        &[
            "new",
            "chat/chat-ui",
            "--feature",
            "cli",
            "--author",
            "@sam",
        ],
        &["new", "oauth", "--template", "exec", "--author", "@sam"],
        &[
            "new",
            "quick-fix",
            "--template",
            "lite",
            "--feature",
            "cli",
            "--author",
            "@sam",
        ],
    ] {
        let o = call(&dir, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
    }
    let roadmap = read(&dir, "spec/plans/chat/README.md");
    assert!(roadmap.contains("| 1 | [chat-store](chat-store/) | draft | - | - |\n| 2 | [chat-ui](chat-ui/) | draft | - | - |\n"), "{roadmap}");
    let plan = read(&dir, "spec/plans/export-csv/README.md");
    assert!(plan.contains("**Author:** @sam\n") && plan.contains("**Status:** draft\n"));
    // Every scaffold checks clean as a draft.
    let o = call(&dir, &["check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // …and every placeholder in the plan template blocks approval until it is filled in.
    assert_eq!(call(&dir, &["submit", "export-csv"]).status.code(), Some(0));
    let o = call(&dir, &["approve", "export-csv", "--approver", "@jo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("has 8 errors") && err(&o).contains("… and 3 more"),
        "{}",
        err(&o)
    );
    // Refusals say why and what to do.
    for (args, why) in [
        (
            &["new", "Bad_Slug", "--feature", "cli"][..],
            "not a valid slug",
        ),
        (&["new", "export-csv", "--feature", "cli"], "exists already"),
        (
            &[
                "new",
                "x",
                "--parent",
                "chat/chat-store",
                "--feature",
                "cli",
            ],
            "two levels at most",
        ),
        (
            &["new", "y", "--parent", "nope", "--feature", "cli"],
            "no roadmap",
        ),
        (&["new", "z"], "--feature"),
    ] {
        let o = call(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(err(&o).contains(why), "{args:?}: {}", err(&o));
    }
}

/// A plan body with no placeholders left, for a plan under the checkout roadmap.
/// Replaces `from` by `to` in the approved plan at `plan` (named `name`) and checks it: the
/// 1-based line changed, and the message of the first finding (the check must fail).
fn change_frozen_line(dir: &Path, plan: &str, name: &str, from: &str, to: &str) -> (usize, String) {
    let text = read(dir, plan);
    let line = text.lines().position(|l| l.contains(from)).expect("line") + 1;
    std::fs::write(dir.join(plan), text.replace(from, to)).expect("write");
    let o = pw(dir, &["check", name, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let msg = v["diagnostics"][0]["message"].as_str().expect("message");
    (line, msg.to_owned())
}

fn real_plan(title: &str) -> String {
    format!(
        "# Plan: {title}\n\n**Status:** draft\n**Features:**\n- [checkout](../../../features/checkout/README.md)\n**Source type:** feature\n**Source:** [checkout feature spec](../../../features/checkout/README.md)\n**Author:** @sam\n**Created:** 2026-11-21\n\n## Context\n\nBatch refunds for returned orders.\n\n## Acceptance criteria\n\n- A batch of 100 refunds completes in one run\n\n## Steps\n\n### 1. Refund queue\n\n**Depends on:** (none)\n\n**Acceptance criteria:**\n- Refunds are queued with their order ids\n\n**Verify:** `cargo test -p checkout refunds::queue`\n\n### 2. Batch runner\n\n**Depends on:** Step 1\n\n**Acceptance criteria:**\n- A failed refund does not stop the batch\n\n**Verify:** `cargo test -p checkout refunds::batch`\n\n## Outstanding Questions\n\nNone at this time.\n"
    )
}

#[test]
fn the_whole_life_of_a_plan_with_its_views() {
    let dir = shop("whole-life");
    assert!(git(&dir, &["init", "-q"]).status.success());
    assert!(git(&dir, &["add", "-A"]).status.success());
    assert!(git(&dir, &["commit", "-q", "-m", "shop"]).status.success());
    let ok = |args: &[&str]| {
        done(&dir, args);
    };
    // new → edit → submit → approve
    ok(&[
        "new",
        "refunds",
        "--parent",
        "checkout",
        "--feature",
        "checkout",
        "--author",
        "@sam",
    ]);
    let plan = "spec/plans/checkout/refunds/README.md";
    assert!(read(&dir, "spec/plans/checkout/README.md").contains("[refunds](refunds/) | draft"));
    assert!(
        read(&dir, "spec/plans/checkout/README.md").contains("**Status:** draft"),
        "a draft child makes the roadmap a draft"
    );
    std::fs::write(dir.join(plan), real_plan("Batch refunds")).expect("write");
    ok(&["submit", "refunds"]);
    ok(&[
        "approve",
        "refunds",
        "--approver",
        "@jordan",
        "--date",
        "2026-11-22",
    ]);
    ok(&["index", "--check"]);
    assert!(git(&dir, &["add", "-A"]).status.success());
    assert!(
        git(&dir, &["commit", "-q", "-m", "approve refunds"])
            .status
            .success()
    );
    // A frozen step changes: check names the line; reverted, it is clean again.
    let approved = read(&dir, plan);
    let (line, msg) = change_frozen_line(
        &dir,
        plan,
        "refunds",
        "A failed refund does not stop the batch",
        "A failed refund stops the batch",
    );
    assert!(
        msg.contains("frozen") && msg.contains(&format!("line {line} ")),
        "{msg}"
    );
    std::fs::write(dir.join(plan), &approved).expect("write");
    // Living sections stay editable.
    std::fs::write(
        dir.join(plan),
        format!("{approved}\n## Progress\n\n- [x] (2026-11-23 10:00Z) Queue merged\n\n## Decision Log\n\n- Decision: one refund per order.\n  Rationale: the provider refunds per charge.\n  Date/Author: 2026-11-23, @sam\n"),
    )
    .expect("write");
    ok(&["check"]);
    // Superseded by a new plan: statuses, links, index, feature table, roadmap status.
    ok(&[
        "new",
        "refunds-v2",
        "--parent",
        "checkout",
        "--feature",
        "checkout",
        "--author",
        "@sam",
    ]);
    std::fs::write(
        dir.join("spec/plans/checkout/refunds-v2/README.md"),
        real_plan("Batch refunds, second take"),
    )
    .expect("write");
    ok(&["submit", "refunds-v2"]);
    ok(&[
        "approve",
        "refunds-v2",
        "--approver",
        "@jordan",
        "--date",
        "2026-11-24",
    ]);
    ok(&["supersede", "refunds", "--by", "refunds-v2"]);
    ok(&["index", "--check"]);
    ok(&["check"]);
    let index = read(&dir, "spec/plans/README.md");
    assert!(
        index.contains("| &nbsp;&nbsp;[refunds](checkout/refunds/) | superseded |"),
        "{index}"
    );
    assert!(
        index.contains("| [refunds](checkout/refunds/) | superseded | 2026-11-24 |"),
        "Recently Closed: {index}"
    );
    let feature = read(&dir, "spec/features/checkout/README.md");
    assert!(
        feature.contains(
            "| [refunds-v2](../../plans/checkout/refunds-v2/) | approved | @sam | 2026-11-24 |"
        ),
        "{feature}"
    );
    let roadmap = read(&dir, "spec/plans/checkout/README.md");
    assert!(
        roadmap.contains("**Status:** in_review"),
        "checkout-ui is still in review, the rest approved: {roadmap}"
    );
}

/// Every command that writes, made to crash inside its write: the file is the old version
/// (or, for a new file, absent), never torn; run again without the crash, it is whole.
#[test]
fn a_crash_in_any_write_leaves_no_torn_file() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "submit",
            &["submit", "migrate-to-v2"],
            "spec/plans/migrate-to-v2/README.md",
        ),
        (
            "log",
            &[
                "log",
                "search-index",
                "progress",
                "Indexed",
                "--at",
                "2026-12-01 10:00Z",
            ],
            "spec/plans/search-index/README.md",
        ),
        ("index", &["index"], "spec/plans/README.md"),
        (
            "new",
            &["new", "fresh-plan", "--feature", "cli", "--author", "@a"],
            "spec/plans/fresh-plan/README.md",
        ),
        (
            "work",
            &["work", "generate", "add-batch-mode"],
            ".planwright/work/add-batch-mode/1.toml",
        ),
        (
            "supersede",
            &["supersede", "search-index", "--by", "migrate-to-v2"],
            "spec/plans/search-index/README.md",
        ),
    ];
    for point in ["mid-write", "before-rename"] {
        for (name, args, file) in cases {
            let dir = shop(&format!("crash-all-{name}-{point}"));
            if *name == "index" {
                // A stale index, for `index` to rewrite.
                let path = dir.join(file);
                let text = read(&dir, file).replacen("| approved |", "| draft |", 1);
                std::fs::write(path, text).expect("stale index");
            }
            let before = std::fs::read_to_string(dir.join(file)).ok();
            let o = pw_env(&dir, args, "PLANWRIGHT_CRASH_AT", point);
            assert!(!o.status.success(), "{name} was made to crash at {point}");
            let after = std::fs::read_to_string(dir.join(file)).ok();
            assert_eq!(
                after, before,
                "{name}, crash at {point}: {file} is the old version"
            );
            let o = pw(&dir, args);
            assert_eq!(o.status.code(), Some(0), "{name}: {}", err(&o));
            let whole = read(&dir, file);
            assert_ne!(Some(&whole), before.as_ref(), "{name}: the write happened");
            assert!(whole.ends_with('\n'), "{name}: {file} is whole");
        }
    }
}

#[test]
fn a_crash_while_recording_a_work_event_loses_nothing_recorded() {
    for point in ["mid-write", "before-rename"] {
        let dir = shop(&format!("crash-event-{point}"));
        done(&dir, &["work", "generate", "add-batch-mode"]);
        let show = |dir: &Path| -> serde_json::Value {
            serde_json::from_str(&done(
                dir,
                &["work", "show", "add-batch-mode#1", "--format", "json"],
            ))
            .expect("json")
        };
        let o = pw_env(
            &dir,
            &["work", "start", "add-batch-mode#1"],
            "PLANWRIGHT_CRASH_AT",
            point,
        );
        assert!(!o.status.success(), "start was made to crash at {point}");
        // The item reads as before: the half-written event is no event.
        assert_eq!(show(&dir)["status"], "todo", "{point}");
        done(&dir, &["work", "start", "add-batch-mode#1"]);
        let item = show(&dir);
        assert_eq!(item["status"], "in_progress", "{point}");
        assert_eq!(item["event"].as_array().map(Vec::len), Some(1), "{item}");
    }
}

#[test]
fn init_sets_a_folder_up_once_and_keeps_what_is_there() {
    // A folder with no repository above it (under target/ the workspace's own root is found).
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_path_buf();
    // A dry run writes nothing.
    let text = done(&dir, &["init", "--dry-run"]);
    assert!(text.contains("would create planwright.toml"), "{text}");
    assert!(!dir.join("planwright.toml").exists());
    // The agents files the user has: theirs stays byte for byte around our section.
    let claude = "# Claude\r\n\r\nUse tabs.\r\n";
    std::fs::write(dir.join("CLAUDE.md"), claude).expect("claude");
    let text = done(&dir, &["init"]);
    for f in [
        "planwright.toml",
        "spec/features/README.md",
        "spec/plans/README.md",
        ".planwright/.gitignore",
        "AGENTS.md",
    ] {
        assert!(text.contains(&format!("created {f}")), "{f}: {text}");
    }
    assert!(text.contains("updated CLAUDE.md"), "{text}");
    let after = read(&dir, "CLAUDE.md");
    assert!(after.starts_with(claude), "{after:?}");
    assert!(
        after.contains("<!-- planwright:begin agents -->\r\n"),
        "line endings kept"
    );
    let agents = read(&dir, "AGENTS.md");
    let section = agents
        .split("<!-- planwright:begin agents -->")
        .nth(1)
        .expect("section");
    assert!(section.lines().count() <= 41, "at most 40 lines: {section}");
    assert_eq!(
        read(&dir, ".planwright/.gitignore"),
        "lock\nruns/\ncache/\n"
    );
    // The result checks clean, and a second run changes nothing.
    assert!(done(&dir, &["check"]).contains("no problems"));
    let texts = || {
        [
            "planwright.toml",
            "AGENTS.md",
            "CLAUDE.md",
            "spec/plans/README.md",
        ]
        .map(|f| read(&dir, f))
    };
    let before = texts();
    assert!(done(&dir, &["init"]).contains("set up for plans already"));
    let again = texts();
    assert_eq!(again, before);
    // An edited section is put back; the user's lines around it stay.
    let edited = read(&dir, "AGENTS.md").replace("Never edit", "Always edit") + "\nMine.\n";
    std::fs::write(dir.join("AGENTS.md"), &edited).expect("edit");
    assert!(done(&dir, &["init"]).contains("updated AGENTS.md"));
    let fixed = read(&dir, "AGENTS.md");
    assert!(
        fixed.contains("Never edit") && fixed.ends_with("\nMine.\n"),
        "{fixed}"
    );
}

/// A plan fresh from `new` is template text, not an over-written plan: over-planning stays
/// quiet, even beside a short spec.
#[test]
fn over_planning_does_not_fire_on_a_fresh_scaffold() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    done(dir, &["init"]);
    std::fs::create_dir_all(dir.join("spec/features/cli")).expect("mkdir");
    std::fs::write(
        dir.join("spec/features/cli/README.md"),
        "# Feature: CLI\n\nShort.\n",
    )
    .expect("spec");
    done(dir, &["new", "first", "--feature", "cli", "--author", "@a"]);
    let o = call(dir, &["check", "--format", "json"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("over-planning"), "{text}");
}
