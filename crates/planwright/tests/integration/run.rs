//! `planwright run` with real processes: files made and verified, failures that block their
//! dependents, a hung command killed with its children, kill -9 then `--resume`, Ctrl-C, a
//! scripted agent fixing a failed check, overlapping Produces, and the trust refusals.

use crate::lifecycle::{err, pw, read};
use crate::schema::{assert_valid, validator};
use crate::workspace;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A repository holding one plan `demo` made of `steps`, submitted and approved (frozen).
pub(crate) fn repo(name: &str, steps: &str) -> PathBuf {
    let dir = workspace()
        .join("target/test-tmp")
        .join(format!("run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec/plans/demo")).expect("mkdir");
    std::fs::create_dir_all(dir.join("spec/features/demo")).expect("mkdir");
    std::fs::write(dir.join("planwright.toml"), "").expect("config");
    std::fs::write(
        dir.join("spec/features/demo/README.md"),
        "# Feature: demo\n\n**Status:** in progress\n\n## Summary\n\nWhat the tests run.\n",
    )
    .expect("feature");
    std::fs::write(
        dir.join("spec/plans/demo/README.md"),
        format!(
            "# Plan: Demo\n\n**Status:** draft\n**Features:**\n- [demo](../../features/demo/README.md)\n**Source type:** feature\n**Source:** [demo](../../features/demo/README.md)\n**Author:** @alex\n**Created:** 2026-11-21\n\n## Context\n\nA plan the tests run.\n\n## Acceptance criteria\n\n- Every step passes\n\n## Steps\n\n{steps}"
        ),
    )
    .expect("plan");
    let o = pw(&dir, &["submit", "demo"]);
    assert!(o.status.success(), "{}", err(&o));
    let o = pw(&dir, &["approve", "demo", "--approver", "@jordan"]);
    assert!(o.status.success(), "{}", err(&o));
    dir
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The events of the plan's only (or latest) run.
fn events(dir: &Path) -> Vec<serde_json::Value> {
    let runs = dir.join(".planwright/runs");
    let mut names: Vec<_> = std::fs::read_dir(&runs)
        .expect("runs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    let text = std::fs::read_to_string(names.last().expect("a run").join("events.jsonl"))
        .expect("journal");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn finished<'a>(ev: &'a [serde_json::Value], step: &str) -> Vec<&'a serde_json::Value> {
    ev.iter()
        .filter(|e| e["event"] == "step_finished" && e["step"] == step)
        .collect()
}

pub(crate) fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z "))
}

/// Has the process ended within a few seconds? A signal is delivered when the process next
/// runs, which on a loaded machine may be a while after `kill` returned.
pub(crate) fn ends(pid: u32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

pub(crate) fn pid_in(dir: &Path, file: &str) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(t) = std::fs::read_to_string(dir.join(file))
            && let Ok(p) = t.trim().parse()
        {
            return p;
        }
        assert!(Instant::now() < deadline, "{file} never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The journal of the one run under `dir`, once it holds `needle`.
fn journal_with(dir: &Path, needle: &str) -> std::path::PathBuf {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = std::fs::read_dir(dir.join(".planwright/runs"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("events.jsonl"))
            .find(|j| std::fs::read_to_string(j).is_ok_and(|t| t.contains(needle)));
        if let Some(j) = found {
            return j;
        }
        assert!(Instant::now() < deadline, "no journal ever held {needle}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_planwright"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

#[test]
fn steps_make_files_and_only_checked_steps_are_done() {
    let dir = repo(
        "files",
        "### 1. Write the greeting\n\n**Depends on:** (none)\n**Produces:**\n- `hello.txt`\n\n**Verify:** `echo hello > hello.txt && grep -q hello hello.txt`\n\n### 2. Copy it\n\n**Depends on:** Step 1\n\n**Verify:**\n```sh\ncp hello.txt copy.txt\ncmp hello.txt copy.txt\n```\n\n### 3. Tell someone\n\n**Depends on:** Step 2\n\n**Acceptance criteria:**\n- Someone knows\n",
    );
    let o = pw(&dir, &["run", "demo"]);
    assert_eq!(code(&o), 1, "an unverified step is not a pass: {}", out(&o));
    let text = out(&o);
    assert!(text.contains("passed     1. Write the greeting"), "{text}");
    assert!(text.contains("unverified 3. Tell someone"), "{text}");
    assert!(text.contains("2 passed, 1 unverified"), "{text}");
    assert_eq!(read(&dir, "copy.txt"), "hello\n");

    // Work items: done with evidence, the unverified one still open.
    let o = pw(&dir, &["work", "show", "demo#2", "--format", "json"]);
    let item: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(item["status"], "done");
    let schema = validator(&planwright::schema::one("work-item").expect("schema"));
    assert_valid(&schema, &item, "a work item with evidence");
    let ev = &item["verification"]["evidence"];
    assert_eq!(ev[0]["command"], "cp hello.txt copy.txt");
    assert_eq!(ev[1]["exit_code"], 0);
    assert!(ev[1]["duration_ms"].is_u64());
    let o = pw(&dir, &["work", "show", "demo#3", "--format", "json"]);
    let item: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(item["status"], "in_progress");

    // The plan's Progress section, outside the freeze: the plan is still clean.
    let plan = read(&dir, "spec/plans/demo/README.md");
    assert!(plan.contains("## Progress\n\n- [x] ("), "{plan}");
    assert!(plan.contains("Step 3 ran unverified"), "{plan}");
    let o = pw(&dir, &["check", "demo"]);
    assert!(o.status.success(), "{}", out(&o));

    // The journal: a log per step, and events in order.
    let ev = events(&dir);
    assert_eq!(ev[0]["event"], "run_started");
    assert_eq!(ev.last().expect("last")["event"], "run_finished");
    assert_eq!(finished(&ev, "2")[0]["outcome"], "passed");
    let run = ev[0]["run"].as_str().expect("id");
    let log = read(&dir, &format!(".planwright/runs/{run}/2.log"));
    assert!(log.contains("$ cmp hello.txt copy.txt"), "{log}");

    // Again: the done steps are not redone, the unverified one is tried again.
    let o = pw(&dir, &["run", "demo", "--format", "json"]);
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let schema = validator(&planwright::schema::one("run-event").expect("schema"));
    for l in lines.iter().chain(&events(&dir)) {
        assert_valid(&schema, l, "a run event");
    }
    let summary = &lines.last().expect("end")["summary"];
    assert_eq!(summary["already_done"], 2);
    assert_eq!(summary["unverified"], 1);
}

#[test]
fn a_failure_blocks_its_dependents_and_keep_going_runs_the_rest() {
    let steps = "### 1. Break\n\n**Depends on:** (none)\n\n**Verify:** `echo broken; exit 3`\n\n### 2. Needs the break\n\n**Depends on:** Step 1\n\n**Verify:** `touch two`\n\n### 3. Independent\n\n**Depends on:** (none)\n\n**Verify:** `touch three`\n";
    let dir = repo("fail", steps);
    let o = pw(&dir, &["run", "demo", "-j", "1"]);
    assert_eq!(code(&o), 1);
    let text = out(&o);
    assert!(text.contains("failed     1. Break"), "{text}");
    assert!(
        text.contains("| broken"),
        "the output tail is shown: {text}"
    );
    assert!(text.contains("blocked    2. Needs the break"), "{text}");
    assert!(text.contains("skipped    3. Independent"), "{text}");
    assert!(!dir.join("two").exists() && !dir.join("three").exists());
    let o = pw(&dir, &["work", "show", "demo#2", "--format", "json"]);
    let item: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(item["status"], "blocked");

    let o = pw(&dir, &["run", "demo", "-j", "1", "--keep-going"]);
    assert_eq!(code(&o), 1);
    let text = out(&o);
    assert!(text.contains("passed     3. Independent"), "{text}");
    assert!(text.contains("blocked    2. Needs the break"), "{text}");
    assert!(dir.join("three").exists() && !dir.join("two").exists());

    // Once the failing step is fixed and passes, what it blocked is offered again.
    let o = pw(&dir, &["run", "demo", "--step", "1", "--allow-unapproved"]);
    assert_eq!(code(&o), 1, "still broken");
    let fixed = read(&dir, "spec/plans/demo/README.md").replace("echo broken; exit 3", "true");
    std::fs::write(dir.join("spec/plans/demo/README.md"), fixed).expect("fix");
    let o = pw(&dir, &["run", "demo", "--step", "1", "--allow-unapproved"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let o = pw(&dir, &["work", "show", "demo#2", "--format", "json"]);
    let item: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(item["status"], "todo");
    let o = pw(&dir, &["next"]);
    assert!(out(&o).contains("demo#2"), "{}", out(&o));
}

#[test]
fn a_hung_command_is_killed_at_its_timeout_with_its_children() {
    let dir = repo(
        "hang",
        "### 1. Hang\n\n**Depends on:** (none)\n\n**Verify:** `sleep 60 & echo $! > child.pid; wait`\n\n### 2. Never\n\n**Depends on:** Step 1\n\n**Verify:** `true`\n",
    );
    let begin = Instant::now();
    let o = pw(&dir, &["run", "demo", "--timeout", "500ms"]);
    assert!(begin.elapsed() < Duration::from_secs(20));
    assert_eq!(code(&o), 1);
    assert!(out(&o).contains("timed out after 0.5 s"), "{}", out(&o));
    let child = pid_in(&dir, "child.pid");
    assert!(ends(child), "the background sleep outlived the timeout");
}

#[test]
fn kill_9_then_resume_redoes_no_passed_step() {
    let dir = repo(
        "resume",
        "### 1. Quick\n\n**Depends on:** (none)\n\n**Verify:** `echo x >> one.count`\n\n### 2. Slow\n\n**Depends on:** Step 1\n\n**Verify:** `echo x >> two.count; test -f go || { sleep 60 & echo $! > sleeper.pid; wait; }`\n\n### 3. Last\n\n**Depends on:** Step 2\n\n**Verify:** `echo x >> three.count`\n",
    );
    let mut child = spawn(&dir, &["run", "demo"]);
    let sleeper = pid_in(&dir, "sleeper.pid");
    // While it runs, nobody else runs the plan.
    let o = pw(&dir, &["run", "demo", "--resume"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("being run by another"), "{}", err(&o));
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    assert!(alive(sleeper), "nothing could have caught SIGKILL");
    std::fs::write(dir.join("go"), "").expect("go");

    let o = pw(&dir, &["run", "demo", "--resume"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(out(&o).starts_with("resuming run"), "{}", out(&o));
    assert!(
        ends(sleeper),
        "the resumed run kills what the dead one left"
    );
    assert_eq!(
        read(&dir, "one.count"),
        "x\n",
        "step 1 passed before the kill"
    );
    assert_eq!(
        read(&dir, "two.count"),
        "x\nx\n",
        "step 2 was cut short, so it ran again"
    );
    assert_eq!(read(&dir, "three.count"), "x\n");
    let ev = events(&dir);
    assert_eq!(
        ev.iter().filter(|e| e["event"] == "run_started").count(),
        2,
        "one journal for the run and its resumption"
    );
    let o = pw(&dir, &["run", "demo", "--resume"]);
    assert_eq!(code(&o), 2, "a finished run has nothing to resume");
}

#[test]
fn resume_kills_a_group_the_dead_runner_never_recorded() {
    let dir = repo(
        "unrecorded",
        "### 1. Wait\n\n**Depends on:** (none)\n\n**Verify:** `test -f go || { sleep 60 & echo $! > sleeper.pid; wait; }`\n",
    );
    let mut child = spawn(&dir, &["run", "demo"]);
    let sleeper = pid_in(&dir, "sleeper.pid");
    // The command can write its pid before the runner has journaled its group: wait for
    // the record, so that taking it out below is what makes the runner's death unrecorded.
    let journal = journal_with(&dir, "\"process_started\"");
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    // As if the runner had died between starting the command and writing down its group.
    let text = std::fs::read_to_string(&journal).expect("journal");
    let kept: String = text
        .split_inclusive('\n')
        .filter(|l| !l.contains("\"process_started\""))
        .collect();
    assert_ne!(kept, text, "the journal had recorded the group");
    std::fs::write(&journal, kept).expect("rewrite journal");
    assert!(alive(sleeper));
    std::fs::write(dir.join("go"), "").expect("go");

    let o = pw(&dir, &["run", "demo", "--resume"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(
        ends(sleeper),
        "the resumed run finds the group by its run id and kills it"
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_a_resumable_journal() {
    let dir = repo(
        "ctrlc",
        "### 1. Wait\n\n**Depends on:** (none)\n\n**Verify:** `sleep 60 & echo $! > sleeper.pid; wait`\n",
    );
    let child = spawn(&dir, &["run", "demo"]);
    let sleeper = pid_in(&dir, "sleeper.pid");
    let o = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(o.success());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(code(&o), 130, "{}", out(&o));
    assert!(out(&o).contains("interrupted"), "{}", out(&o));
    assert!(ends(sleeper), "Ctrl-C kills the running group");
    let ev = events(&dir);
    assert_eq!(ev.last().expect("last")["event"], "run_interrupted");
    let o = pw(&dir, &["run", "demo", "--dry-run", "--resume"]);
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn a_scripted_agent_fixes_a_failed_check_on_retry() {
    let dir = repo(
        "agent",
        "### 1. Make the fix\n\n**Depends on:** (none)\n**Produces:**\n- `fixed.txt` — proof\n\n**Acceptance criteria:**\n- fixed.txt says fixed\n\n**Verify:** `grep -q fixed fixed.txt`\n",
    );
    // The agent keeps each prompt, and fixes the file only once told what failed.
    std::fs::write(
        dir.join("agent.sh"),
        "cat > \"prompt-$PLANWRIGHT_ATTEMPT.md\"\nif grep -q 'previous attempt failed' \"prompt-$PLANWRIGHT_ATTEMPT.md\"; then echo fixed > fixed.txt; else echo draft > fixed.txt; fi\n",
    )
    .expect("agent");
    let o = pw(
        &dir,
        &["run", "demo", "--agent", "sh agent.sh", "--retries", "2"],
    );
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let first = read(&dir, "prompt-1.md");
    assert!(
        first.contains("## The step\n\n### 1. Make the fix"),
        "{first}"
    );
    assert!(first.contains("- fixed.txt says fixed"), "{first}");
    assert!(
        first.contains("# Plan: Demo"),
        "the whole plan is there: {first}"
    );
    assert!(first.contains("draft") || !first.contains("fixed.txt`\n\n  ```"));
    let second = read(&dir, "prompt-2.md");
    assert!(
        second.contains("`grep -q fixed fixed.txt` exited with 1"),
        "{second}"
    );
    assert!(
        second.contains("  ```\ndraft\n  ```"),
        "the file as it is now: {second}"
    );
    let ev = events(&dir);
    assert_eq!(finished(&ev, "1")[0]["attempts"], 2);
}

#[test]
fn steps_with_overlapping_produces_never_run_at_once() {
    let step = |n: u32, file: &str| {
        format!(
            "### {n}. Writer {n}\n\n**Depends on:** (none)\n**Produces:**\n- `{file}`\n\n**Verify:** `mkdir {file}.busy || exit 9; sleep 0.3; rmdir {file}.busy`\n\n"
        )
    };
    let steps = format!(
        "{}{}{}",
        step(1, "out/shared.txt"),
        step(2, "out/shared.txt"),
        step(3, "other.txt")
    );
    let dir = repo("overlap", &steps);
    std::fs::create_dir_all(dir.join("out")).expect("mkdir");
    let o = pw(&dir, &["run", "demo", "-j", "3"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    // From the journal: 1 and 2 never overlap; 3 overlaps one of them.
    let ev = events(&dir);
    let span = |step: &str| {
        let start = ev
            .iter()
            .position(|e| e["event"] == "step_started" && e["step"] == step)
            .expect("start");
        let end = ev
            .iter()
            .position(|e| e["event"] == "step_finished" && e["step"] == step)
            .expect("end");
        (start, end)
    };
    let (s1, e1) = span("1");
    let (s2, e2) = span("2");
    let (s3, e3) = span("3");
    assert!(e1 < s2 || e2 < s1, "1 and 2 ran together");
    assert!(s3 < e1.max(e2) && s1.min(s2) < e3, "3 ran alongside");
}

#[test]
fn unapproved_and_changed_plans_are_refused() {
    let dir = repo(
        "trust",
        "### 1. Touch\n\n**Depends on:** (none)\n\n**Verify:** `touch touched`\n",
    );
    // Changed after approval: the Verify command now does something else.
    let path = dir.join("spec/plans/demo/README.md");
    let plan = read(&dir, "spec/plans/demo/README.md").replace("touch touched", "touch evil");
    std::fs::write(&path, plan).expect("edit");
    let o = pw(&dir, &["run", "demo"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("changed since approval"), "{}", err(&o));
    assert!(!dir.join("evil").exists());
    assert!(
        !dir.join(".planwright/runs").exists(),
        "nothing was journaled"
    );

    // A draft is refused too, unless the user says otherwise.
    let plan = read(&dir, "spec/plans/demo/README.md")
        .replace("**Status:** approved", "**Status:** draft");
    std::fs::write(&path, plan).expect("edit");
    let o = pw(&dir, &["run", "demo"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("not approved"), "{}", err(&o));
    let o = pw(&dir, &["run", "demo", "--allow-unapproved"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(dir.join("evil").exists());
}

#[test]
fn step_selection_and_usage_errors() {
    let dir = repo(
        "select",
        "### 1. One\n\n**Depends on:** (none)\n\n**Verify:** `touch one`\n\n### 2. Two\n\n**Depends on:** Step 1\n\n**Verify:** `touch two`\n",
    );
    let o = pw(&dir, &["run", "demo", "--step", "2"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("waits for step 1"), "{}", err(&o));
    let o = pw(&dir, &["run", "demo", "--step", "9"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("its steps are 1, 2"), "{}", err(&o));
    let o = pw(&dir, &["run", "demo", "--timeout", "soon"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("not a duration"), "{}", err(&o));
    let o = pw(&dir, &["run", "demo", "--step", "1"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(dir.join("one").exists() && !dir.join("two").exists());
    let o = pw(&dir, &["run", "demo", "--step", "2"]);
    assert_eq!(code(&o), 0, "step 1 is done now: {}", err(&o));
}

#[test]
fn a_dry_run_reads_like_a_checklist() {
    let dir = crate::lifecycle::shop("run-dry");
    let o = pw(&dir, &["run", "add-batch-mode", "--dry-run", "-j", "2"]);
    assert!(o.status.success(), "{}", err(&o));
    insta::assert_snapshot!(out(&o));
    assert!(
        !dir.join(".planwright").exists(),
        "a dry run writes nothing"
    );
}

/// An ExecPlan whose Concrete Steps state the expected output of their commands: the step
/// passes when the output holds it, and fails with a diff when it does not.
#[test]
fn an_execplans_expected_output_is_checked() {
    let dir = workspace()
        .join("target/test-tmp")
        .join(format!("run-expected-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs/exec-plans")).expect("mkdir");
    std::fs::write(
        dir.join("planwright.toml"),
        "[sources]\nexec = [\"docs/exec-plans/*.md\"]\n",
    )
    .expect("config");
    let plan = |second: &str| {
        format!(
            "# Greet\n\n## Purpose / Big Picture\n\nSay hello.\n\n## Concrete Steps\n\n1. Greet the world.\n\n   Command: `printf 'hello   world\\nbye\\n'`\n\n   Expected output:\n\n   ```\n   hello world\n   bye\n   ```\n\n2. Count.\n\n   Command: `echo one; echo two`\n\n   Expected result: {second}\n\n## Progress\n\n- [ ] Greeted\n\n## Surprises & Discoveries\n\nNone.\n\n## Decision Log\n\nNone.\n\n## Outcomes & Retrospective\n\nNot yet.\n"
        )
    };
    let file = dir.join("docs/exec-plans/greet.md");
    std::fs::write(&file, plan("two")).expect("plan");
    let args = [
        "run",
        "docs/exec-plans/greet.md",
        "--allow-unapproved",
        "--no-agent",
    ];
    let o = pw(&dir, &args);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    // The second step expects what its command does not print.
    std::fs::write(&file, plan("three")).expect("plan");
    let o = pw(&dir, &args);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    let all = format!("{}{}", out(&o), err(&o));
    assert!(all.contains("did not print what the plan expects"), "{all}");
    assert!(all.contains("✗ three"), "{all}");
}

/// Tasks the plan itself marks done (spec-kit `[x]`, Taskmaster `done`) are not run again.
#[test]
fn tasks_done_in_the_plan_are_already_done() {
    let dir = crate::lifecycle::shop("run-done-tasks");
    let o = pw(
        &dir,
        &[
            "run",
            "specs/004-search-filters/tasks.md",
            "--dry-run",
            "--allow-unapproved",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("[x] T001.") && text.contains("(already done)"),
        "{text}"
    );
    assert!(text.contains("[ ] T010."), "{text}");
    let o = pw(
        &dir,
        &[
            "run",
            ".taskmaster/tasks/tasks.json",
            "--dry-run",
            "--allow-unapproved",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).expect("json");
    let done: Vec<&serde_json::Value> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["state"] == "already_done")
        .collect();
    assert_eq!(done.len(), 2, "{v}");
}

/// `kill -9` of a runner, then a new run (not `--resume`): the dead run's command is stopped
/// before anything starts, so no step runs twice at once, and the dead journal is closed.
#[test]
fn a_new_run_after_kill_9_stops_the_dead_runs_processes() {
    let dir = repo(
        "kill9-new",
        "### 1. Wait\n\n**Depends on:** (none)\n\n**Verify:** `test -f go || { sleep 60 & echo $! > sleeper.pid; wait; }`\n",
    );
    let mut child = spawn(&dir, &["run", "demo"]);
    let sleeper = pid_in(&dir, "sleeper.pid");
    let _ = journal_with(&dir, "\"process_started\"");
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    assert!(alive(sleeper), "nothing could have caught SIGKILL");
    std::fs::write(dir.join("go"), "").expect("go");

    let o = pw(&dir, &["run", "demo"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(
        ends(sleeper),
        "the new run stops what the dead one left running"
    );
    assert!(out(&o).contains("which never finished"), "{}", out(&o));
    // The dead journal is closed: `--resume` has nothing to take up.
    let runs: Vec<_> = std::fs::read_dir(dir.join(".planwright/runs"))
        .expect("runs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .map(|p| p.join("events.jsonl"))
        .collect();
    assert_eq!(runs.len(), 2, "{runs:?}");
    let closed = runs
        .iter()
        .filter(|j| std::fs::read_to_string(j).is_ok_and(|t| t.contains("\"run_closed\"")))
        .count();
    assert_eq!(closed, 1, "the dead run's journal says it was closed");
    let o = pw(&dir, &["run", "demo", "--resume"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
}

/// A Verify command that starts a background child and then fails leaves nothing running.
#[test]
fn a_failing_command_leaves_no_background_child() {
    let dir = repo(
        "bg-fail",
        "### 1. Fail\n\n**Depends on:** (none)\n\n**Verify:** `sleep 1000 & echo $! > bg.pid; exit 1`\n",
    );
    let o = pw(&dir, &["run", "demo"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    let bg = pid_in(&dir, "bg.pid");
    assert!(ends(bg), "the background sleep outlived its failed command");
}

#[test]
fn a_runner_killed_mid_append_leaves_a_journal_that_resumes() {
    let text_of_journal = |p: &Path| std::fs::read_to_string(p).expect("journal");
    let dir = repo(
        "torn-journal",
        "### 1. First\n\n**Depends on:** (none)\n\n**Verify:** `echo x >> one.count`\n\n### 2. Second\n\n**Depends on:** Step 1\n\n**Verify:** `echo x >> two.count`\n",
    );
    let o = Command::new(env!("CARGO_BIN_EXE_planwright"))
        .args(["run", "demo"])
        .current_dir(&dir)
        .env("PLANWRIGHT_CRASH_AT", "journal-append")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), None, "aborted: {}", err(&o));
    let journal = journal_with(&dir, "run_started");
    let text = std::fs::read_to_string(&journal).expect("journal");
    assert!(!text.ends_with('\n'), "the last line is torn: {text}");
    let torn = text.lines().last().expect("a last line");
    assert!(
        torn.contains("\"step_finished\"")
            && serde_json::from_str::<serde_json::Value>(torn).is_err(),
        "{text}"
    );

    let o = pw(&dir, &["run", "demo", "--resume"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    // The step whose journal line was torn had recorded its pass on its work item first: it
    // is not redone. The next one may have started before the crash (the journal is written
    // beside the scheduler); its result was lost with the runner, so the resumed run runs it.
    assert_eq!(read(&dir, "one.count"), "x\n");
    let two = read(&dir, "two.count");
    assert!(two == "x\n" || two == "x\nx\n", "{two:?}");
    let resumed_starts = text_of_journal(&journal)
        .lines()
        .skip_while(|l| {
            !l.contains("\"step_finished\"") || serde_json::from_str::<serde_json::Value>(l).is_ok()
        })
        .filter(|l| l.contains("\"step_started\""))
        .count();
    assert_eq!(resumed_starts, 1, "the resumed run starts step 2 only");
    // Every line but the torn one reads, and the torn one ended where it stopped.
    let text = std::fs::read_to_string(&journal).expect("journal");
    let lines: Vec<&str> = text.lines().collect();
    let unreadable = lines
        .iter()
        .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_err())
        .count();
    assert_eq!(unreadable, 1, "{text}");
    assert!(text.contains("\"run_finished\""), "{text}");
}

/// Runs `command` on an approved one-step plan under the changes that keep or break its
/// approval without touching its words: CRLF line endings (the same content: the approved
/// command runs), a lone CR that Markdown reads as a new line, the plan replaced by a link to
/// an edited copy inside the root, and by a link out of the root (all refused).
fn trust_gate_holds(name: &str, setup: &[&str], command: &[&str]) {
    let dir = repo(
        name,
        "### 1. Touch\n\n**Depends on:** (none)\n\n**Verify:** `touch touched`\n",
    );
    if !setup.is_empty() {
        let o = pw(&dir, setup);
        assert_eq!(code(&o), 0, "{}", err(&o));
    }
    let rel = "spec/plans/demo/README.md";
    let path = dir.join(rel);
    let approved = read(&dir, rel);
    let edited = approved.replace("touch touched", "touch evil");
    std::fs::write(&path, approved.replace('\n', "\r\n")).expect("crlf");
    let o = pw(&dir, command);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(dir.join("touched").exists());
    let sneaky = approved.replace("`touch touched`", "`touch touched`\r`touch evil`");
    std::fs::write(&path, sneaky).expect("cr");
    let o = pw(&dir, command);
    assert_eq!(code(&o), 2, "a lone CR: {}{}", out(&o), err(&o));
    std::fs::write(dir.join("copy.md"), &edited).expect("copy");
    std::fs::remove_file(&path).expect("rm");
    std::os::unix::fs::symlink(dir.join("copy.md"), &path).expect("link");
    let o = pw(&dir, command);
    assert_eq!(
        code(&o),
        2,
        "a link to an edited copy: {}{}",
        out(&o),
        err(&o)
    );
    assert!(err(&o).contains("changed since approval"), "{}", err(&o));
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("plan.md"), &edited).expect("outside");
    std::fs::remove_file(&path).expect("rm");
    std::os::unix::fs::symlink(outside.path().join("plan.md"), &path).expect("link");
    let o = pw(&dir, command);
    assert_eq!(
        code(&o),
        2,
        "a link out of the root: {}{}",
        out(&o),
        err(&o)
    );
    assert!(!dir.join("evil").exists());
}

#[test]
fn the_trust_gate_holds_against_line_endings_and_links() {
    trust_gate_holds("trust-quiet", &[], &["run", "demo", "--step", "1"]);
}

#[test]
fn work_verify_holds_the_same_trust_gate_as_run() {
    trust_gate_holds(
        "trust-verify",
        &["work", "generate", "demo"],
        &["work", "verify", "demo#1"],
    );
}
