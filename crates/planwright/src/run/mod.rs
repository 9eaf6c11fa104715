//! `planwright run PLAN`: executes an approved plan step by step, with an agent or without,
//! and counts a step as done only when its Verify commands passed (seed 004's
//! plan-then-execute pattern).
//!
//! The main thread schedules and records; one worker thread per running step starts its
//! processes ([`proc`]) and reports back over a channel. Everything that happens becomes a
//! journal line ([`journal`]), written before it is shown ([`display`]), so `--resume` after a
//! crash knows what a person watching knew.

pub mod display;
mod dry;
pub mod journal;
pub mod proc;
pub mod prompt;
mod record;
mod schedule;
mod step;

use dry::dry_run;
use record::Recorder;
use schedule::{bottom_levels, dependents_of, pick, solo_order, step_arg};
pub use schedule::{inside, overlaps, path_of};
use step::{millis, work_step};

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use planwright_core::model::Plan;

use crate::duration::{DEFAULT_AGENT_TIMEOUT, DEFAULT_TIMEOUT};
use crate::error::Error;
use crate::work::{Evidence, Item, Store};
use crate::workspace::{Workspace, read, refuse};
use display::{Display, Mode};
use journal::{Event, Line, Options, Outcome, Summary};

/// Exit code after Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Set by Ctrl-C (or SIGTERM): running groups are killed, nothing new starts.
static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler once: the first signal stops the run cleanly, a second one
/// ends the process at once.
fn install_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(EXIT_INTERRUPTED));
            }
        });
    });
}

/// What the command line asked for. `None` means: from the resumed run, else the
/// configuration, else the default.
pub struct Request<'a> {
    pub plan: &'a str,
    pub jobs: Option<usize>,
    pub agent: Option<String>,
    pub no_agent: bool,
    pub steps: Vec<String>,
    pub dry_run: bool,
    pub resume: bool,
    pub keep_going: bool,
    pub retries: Option<u32>,
    pub timeout: Option<Duration>,
    pub agent_timeout: Option<Duration>,
    pub allow_unapproved: bool,
    pub mode: Mode,
    pub by: Option<&'a str>,
}

/// Where a step stands during a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Not part of this run (`--step` named others).
    Unselected,
    Waiting,
    Running,
    Ended(Outcome),
}

impl State {
    /// Lets its dependents start.
    fn satisfies(self) -> bool {
        matches!(
            self,
            State::Ended(Outcome::Passed | Outcome::Unverified | Outcome::AlreadyDone)
        )
    }
}

/// What a worker reports.
enum Msg {
    /// A journal line the worker composed (a process started or finished).
    Journal(Event),
    Finished {
        k: usize,
        result: StepResult,
    },
}

struct StepResult {
    outcome: Outcome,
    attempts: u32,
    duration: Duration,
    reason: String,
    /// The Verify commands of the last attempt.
    evidence: Vec<Evidence>,
}

/// Everything a worker needs, shared read-only.
struct Shared<'a> {
    root: &'a Path,
    rel: &'a str,
    src: &'a str,
    plan: &'a Plan,
    deps: &'a [Vec<usize>],
    dir: &'a Path,
    run_id: &'a str,
    options: &'a Options,
}

/// `planwright run`. Returns the exit code.
pub fn run(ws: &Workspace, r: &Request<'_>, out: &mut dyn Write) -> Result<u8, Error> {
    // Nothing a step started outlives the run, not even what left its session.
    let _contained = proc::Containment::new();
    let t = ws.resolve(r.plan)?;
    let (src, plan) = read(&t)?;
    if plan.steps.is_empty() {
        return Err(refuse(format!("{} has no steps to run", t.rel)));
    }
    let mut deps = planwright_core::graph::effective_dependencies(&plan);
    // A step that waits for a step waits for its sub-steps too: they are part of it.
    let n = plan.steps.len();
    // Each step's sub-steps, at any depth.
    let mut within: Vec<Vec<usize>> = vec![Vec::new(); n];
    for c in 0..n {
        let mut p = plan.steps[c].parent;
        let mut guard = 0;
        while let Some(x) = p
            && guard < 8
        {
            within[x].push(c);
            p = plan.steps[x].parent;
            guard += 1;
        }
    }
    for (k, ds) in deps.iter_mut().enumerate() {
        let mut extra: Vec<usize> = Vec::new();
        for &d in ds.iter() {
            for &c in &within[d] {
                if c != k && !ds.contains(&c) && !extra.contains(&c) {
                    extra.push(c);
                }
            }
        }
        ds.extend(extra);
    }
    if let Some(cycle) = planwright_core::graph::cycles(&deps).first() {
        let ids: Vec<&str> = cycle.iter().map(|&k| &*plan.steps[k].id).collect();
        return Err(refuse(format!(
            "{}: steps {} depend on each other in a cycle; no order can run them\n  help: `planwright check {}` shows where",
            t.rel,
            ids.join(" → "),
            t.rel
        )));
    }

    // What an interrupted run left: its options, how its steps ended, its live groups.
    let previous = if r.resume {
        Some(journal::interrupted(&ws.root, &t.rel)?.ok_or_else(|| {
            crate::error::not_found(format!(
                "no interrupted run of {} to resume\n  help: `planwright run {}` starts a new one",
                t.rel, r.plan
            ))
        })?)
    } else {
        None
    };
    let prev_options = previous.as_ref().and_then(|(_, lines)| {
        lines.iter().find_map(|l| match &l.event {
            Event::RunStarted { options, .. } => Some(options.clone()),
            _ => None,
        })
    });
    let options = merge_options(ws, r, prev_options.as_ref());

    // Trust: the plan's commands run only from an approved, unchanged plan.
    let trust = crate::work::trusted_text(&t.rel, &src, &plan);
    if let Err(e) = &trust
        && !r.allow_unapproved
        && !r.dry_run
    {
        return Err(refuse(e.to_string()));
    }

    // Selection.
    let index: HashMap<&str, usize> = plan
        .steps
        .iter()
        .enumerate()
        .rev()
        .map(|(k, s)| (&*s.id, k))
        .collect();
    let mut selected = vec![options.steps.is_empty(); plan.steps.len()];
    for id in &options.steps {
        let id = step_arg(id);
        match index.get(id) {
            Some(&k) => selected[k] = true,
            None => {
                let ids: Vec<&str> = plan.steps.iter().map(|s| &*s.id).collect();
                return Err(crate::error::not_found(format!(
                    "{} has no step `{id}`\n  help: its steps are {}",
                    t.rel,
                    ids.join(", ")
                )));
            }
        }
    }

    // Work items: made when missing, so the run can record on them.
    let slug = crate::discover::slug_of(&t.rel);
    let store = Store::new(&ws.root, &ws.config);
    let mut items: HashMap<String, Item> = HashMap::new();
    if let Some(slug) = &slug {
        for i in store.load_plan(slug, &t.rel)? {
            items.insert(i.step.clone(), i);
        }
        if !r.dry_run && items.len() < plan.steps.len() {
            let _lock = crate::write::lock(&ws.root)?;
            for i in crate::work::plan_items(&t.rel, &src, &plan, slug)? {
                if !items.contains_key(&i.step) {
                    store.create(&i)?;
                    items.insert(i.step.clone(), i);
                }
            }
        }
    }

    let prev_outcomes: HashMap<String, (Outcome, String)> = previous
        .as_ref()
        .map(|(_, lines)| {
            lines
                .iter()
                .filter_map(|l| match &l.event {
                    Event::StepFinished {
                        step,
                        outcome: o @ (Outcome::Passed | Outcome::Unverified),
                        reason,
                        ..
                    } => Some((step.clone(), (*o, reason.clone()))),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();

    let mut state: Vec<State> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let closed = items.get(&*s.id).is_some_and(|i| i.status.closed());
            // What the resumed run got to counts as this run's; what earlier runs did, as
            // already done.
            if let Some((o, _)) = prev_outcomes.get(&*s.id) {
                State::Ended(*o)
            } else if closed || s.done == Some(true) {
                // Closed as a work item, or marked done in the plan itself (`[x]`, `done`).
                State::Ended(Outcome::AlreadyDone)
            } else if selected[k] {
                State::Waiting
            } else {
                State::Unselected
            }
        })
        .collect();

    // A named step whose dependency is neither done nor named cannot run.
    for k in 0..plan.steps.len() {
        if state[k] != State::Waiting {
            continue;
        }
        for &d in &deps[k] {
            if state[d] == State::Unselected {
                return Err(refuse(format!(
                    "step {} waits for step {}, which is not done and not named\n  help: add `--step {}`, or run it first",
                    plan.steps[k].id, plan.steps[d].id, plan.steps[d].id
                )));
            }
        }
    }

    let priority = bottom_levels(&plan, &src, &deps);
    let order = solo_order(&state, &deps, &priority);
    let paths: Vec<Vec<String>> = plan
        .steps
        .iter()
        .map(|s| {
            ["produces", "files"]
                .iter()
                .flat_map(|f| crate::work::entries(&src, s, f))
                .filter_map(|e| path_of(&e))
                .collect()
        })
        .collect();

    if r.dry_run {
        return dry_run(
            &t.rel,
            &src,
            &plan,
            &deps,
            &state,
            &order,
            &options,
            trust.err(),
            r.mode,
            out,
        );
    }

    // One run of a plan at a time: a second would start the same steps.
    let _running = run_lock(&ws.root, &t.rel)?;

    // The journal.
    let (run_id, dir) = match &previous {
        Some((dir, _)) => (
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            dir.clone(),
        ),
        None => {
            let id = journal::new_id();
            let dir = journal::runs_dir(&ws.root).join(&id);
            (id, dir)
        }
    };
    let mut jw = journal::Writer::open(&dir)?;
    if let Some((_, lines)) = &previous {
        kill_leftovers(lines, &run_id);
    }
    // A new run of the plan ends the runs of it that never did (a runner killed with -9
    // leaves its commands running and its journal open): their groups are stopped first, so
    // that no step runs twice at once, and their journals are closed.
    let mut closed = Vec::new();
    if previous.is_none() && !r.dry_run {
        for (old_dir, lines) in journal::unended(&ws.root, &t.rel)? {
            let old = old_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let stopped = kill_leftovers(&lines, &old);
            let line = journal::Line {
                version: journal::VERSION,
                at: crate::clock::rfc3339(),
                event: Event::RunClosed {
                    run: old,
                    by: run_id.clone(),
                    stopped,
                },
            };
            journal::Writer::open(&old_dir)?.write(&line)?;
            closed.push(line);
        }
    }
    let actor = crate::git::actor(&ws.root, r.by);
    let mut rec = Recorder {
        root: &ws.root,
        rel: &t.rel,
        run_id: &run_id,
        actor: &actor,
        store: &store,
        items: &items,
        journal: &mut jw,
        display: Display::new(r.mode, out),
        markdown: plan.kind.is_markdown_plan(),
        deps: &deps,
        pending: Vec::new(),
        written: std::time::Instant::now(),
    };
    rec.emit(Event::RunStarted {
        run: run_id.clone(),
        plan: t.rel.clone(),
        options: options.clone(),
        steps: order
            .iter()
            .map(|&k| plan.steps[k].id.to_string())
            .collect(),
        resumed: previous.as_ref().map(|_| run_id.clone()),
    })?;
    for line in &closed {
        rec.display.show(line);
    }

    install_handler();
    let started = Instant::now();
    let mut outcomes: Vec<Option<(Outcome, String)>> = state
        .iter()
        .zip(&plan.steps)
        .map(|(s, st)| match s {
            State::Ended(o) => Some((
                *o,
                prev_outcomes
                    .get(&*st.id)
                    .map(|(_, why)| why.clone())
                    .unwrap_or_default(),
            )),
            _ => None,
        })
        .collect();
    let shared = Shared {
        root: &ws.root,
        rel: &t.rel,
        src: &src,
        plan: &plan,
        deps: &deps,
        dir: &dir,
        run_id: &run_id,
        options: &options,
    };
    let mut halted = false;
    let mut failure: Option<Error> = None;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<Msg>();
        let mut running = 0usize;
        // Starts what is ready, before anything is written: recording a step's end is slow
        // (atomic writes), and the next step need not wait for it.
        let start = |state: &mut Vec<State>,
                     outcomes: &[Option<(Outcome, String)>],
                     running: &mut usize|
         -> Vec<usize> {
            let mut started = Vec::new();
            while *running < options.jobs.max(1) && !STOP.load(Ordering::SeqCst) {
                let Some(k) = pick(state, &deps, &priority, &paths) else {
                    break;
                };
                state[k] = State::Running;
                *running += 1;
                let tx = tx.clone();
                let snapshot = outcomes.to_vec();
                let sh = &shared;
                scope.spawn(move || {
                    let result = work_step(sh, k, &snapshot, &tx);
                    let _ = tx.send(Msg::Finished { k, result });
                });
                started.push(k);
            }
            started
        };
        let mut newly: Vec<usize> = Vec::new();
        loop {
            if !halted && failure.is_none() {
                newly.extend(start(&mut state, &outcomes, &mut running));
            }
            for k in newly.drain(..) {
                if let Err(e) = rec.started(&plan.steps[k].id, &plan.steps[k].title.value) {
                    failure.get_or_insert(e);
                }
            }
            if running == 0 {
                break;
            }
            let Ok(msg) = rx.recv() else { break };
            let r = match msg {
                Msg::Journal(event) => rec.emit(event),
                Msg::Finished { k, result } => {
                    running -= 1;
                    state[k] = State::Ended(result.outcome);
                    outcomes[k] = Some((result.outcome, result.reason.clone()));
                    // Nothing that waits for a failed step starts.
                    let mut blocked = Vec::new();
                    if result.outcome == Outcome::Failed {
                        if !options.keep_going {
                            halted = true;
                        }
                        for d in dependents_of(&deps, k) {
                            if state[d] == State::Waiting {
                                state[d] = State::Ended(Outcome::Blocked);
                                let why =
                                    format!("waits for step {}, which failed", plan.steps[k].id);
                                outcomes[d] = Some((Outcome::Blocked, why.clone()));
                                blocked.push((d, why));
                            }
                        }
                    }
                    if !halted && failure.is_none() {
                        newly.extend(start(&mut state, &outcomes, &mut running));
                    }
                    let mut r = rec.finished(&plan, k, &result);
                    for (d, why) in blocked {
                        let res = StepResult {
                            outcome: Outcome::Blocked,
                            attempts: 0,
                            duration: Duration::ZERO,
                            reason: why,
                            evidence: Vec::new(),
                        };
                        r = r.and_then(|()| rec.finished(&plan, d, &res));
                    }
                    r
                }
            };
            if let Err(e) = r {
                // A journal or item that cannot be written: stop starting steps.
                failure.get_or_insert(e);
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }

    let interrupted =
        STOP.load(Ordering::SeqCst) || state.contains(&State::Ended(Outcome::Interrupted));
    if !interrupted {
        for k in order.iter().copied() {
            if state[k] == State::Waiting {
                state[k] = State::Ended(Outcome::Skipped);
                let res = StepResult {
                    outcome: Outcome::Skipped,
                    attempts: 0,
                    duration: Duration::ZERO,
                    reason: "not started after the failure (--keep-going goes on with independent steps)".to_owned(),
                    evidence: Vec::new(),
                };
                rec.finished(&plan, k, &res)?;
            }
        }
    }
    let mut summary = Summary {
        duration_ms: millis(started.elapsed()),
        ..Summary::default()
    };
    for s in &state {
        match s {
            State::Ended(Outcome::Passed) => summary.passed += 1,
            State::Ended(Outcome::Unverified) => summary.unverified += 1,
            State::Ended(Outcome::Failed) => summary.failed += 1,
            State::Ended(Outcome::Blocked) => summary.blocked += 1,
            State::Ended(Outcome::Skipped) => summary.skipped += 1,
            State::Ended(Outcome::AlreadyDone) => summary.already_done += 1,
            State::Ended(Outcome::Interrupted) | State::Waiting | State::Running => {
                summary.interrupted += 1
            }
            State::Unselected => {}
        }
    }
    rec.flush_progress()?;
    if interrupted {
        rec.emit(Event::RunInterrupted {
            run: run_id.clone(),
            summary,
        })?;
        return Ok(EXIT_INTERRUPTED);
    }
    let all_passed = summary.unverified + summary.failed + summary.blocked + summary.skipped == 0;
    let code = if all_passed {
        crate::EXIT_OK
    } else {
        crate::EXIT_FINDINGS
    };
    rec.emit(Event::RunFinished {
        run: run_id.clone(),
        summary,
        exit_code: code,
    })?;
    Ok(code)
}

/// Options from the command line, else the resumed run, else `planwright.toml`, else the
/// defaults. Trust is never carried over: `--allow-unapproved` is asked for each time.
fn merge_options(ws: &Workspace, r: &Request<'_>, prev: Option<&Options>) -> Options {
    let cfg = &ws.config;
    let agent = if r.no_agent {
        None
    } else {
        r.agent
            .clone()
            .or_else(|| prev.and_then(|p| p.agent.clone()))
            .or_else(|| cfg.agent_command.clone())
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Options {
        jobs: r
            .jobs
            .or(prev.map(|p| p.jobs))
            .or(cfg.run_jobs)
            .unwrap_or(cores)
            .max(1),
        retries: r
            .retries
            .or(prev.map(|p| p.retries))
            .or(cfg.run_retries)
            .unwrap_or(if agent.is_some() { 2 } else { 0 }),
        agent,
        steps: if r.steps.is_empty() {
            prev.map(|p| p.steps.clone()).unwrap_or_default()
        } else {
            r.steps.clone()
        },
        keep_going: r.keep_going || prev.is_some_and(|p| p.keep_going),
        timeout_ms: millis(
            r.timeout
                .or(prev.map(|p| Duration::from_millis(p.timeout_ms)))
                .or(cfg.run_timeout)
                .unwrap_or(DEFAULT_TIMEOUT),
        ),
        agent_timeout_ms: millis(
            r.agent_timeout
                .or(prev.map(|p| Duration::from_millis(p.agent_timeout_ms)))
                .or(cfg.agent_timeout)
                .unwrap_or(DEFAULT_AGENT_TIMEOUT),
        ),
        allow_unapproved: r.allow_unapproved,
    }
}

/// Holds `.planwright/runs/.<plan>.lock` for the run's duration; refuses when another live
/// process holds it. The operating system releases it when the process dies, however it dies.
fn run_lock(root: &Path, rel: &str) -> Result<std::fs::File, Error> {
    let dir = crate::confine::create_dir_all(root, &journal::runs_dir(root))?;
    let name: String = rel
        .trim_end_matches("/README.md")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!(".{name}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(crate::error::conflict(format!(
            "{rel} is being run by another planwright process\n  help: wait for it, or stop it (Ctrl-C) and `planwright run --resume`"
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Kills the process groups a dead runner left running: those its journal names (when their
/// leader is still the same process: see [`proc::kill_leftover`]), and those it started but
/// died before recording (found by the run id in their environment).
fn kill_leftovers(lines: &[Line], run: &str) -> usize {
    let mut live: HashMap<u32, Option<u64>> = HashMap::new();
    for l in lines {
        match &l.event {
            Event::ProcessStarted {
                pgid, start_time, ..
            } => {
                live.insert(*pgid, *start_time);
            }
            Event::CommandFinished {
                pgid: Some(pgid), ..
            } => {
                live.remove(pgid);
            }
            _ => {}
        }
    }
    let mut stopped = 0;
    for (pgid, start_time) in live {
        if proc::kill_leftover(proc::Group { pgid, start_time }) {
            stopped += 1;
        }
    }
    for pgid in proc::groups_of_run(run) {
        proc::kill(pgid);
        stopped += 1;
    }
    stopped
}
