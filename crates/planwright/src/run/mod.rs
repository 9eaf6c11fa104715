//! `planwright run PLAN`: executes an approved plan step by step, with an agent or without,
//! and counts a step as done only when its Verify commands passed (seed 004's
//! plan-then-execute pattern).
//!
//! The main thread schedules and records; one worker thread per running step starts its
//! processes ([`proc`]) and reports back over a channel. Everything that happens becomes a
//! journal line ([`journal`]), written before it is shown ([`display`]), so `--resume` after a
//! crash knows what a person watching knew.

pub mod display;
pub mod journal;
pub mod proc;
pub mod prompt;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use planwright_core::edit::apply;
use planwright_core::model::{Plan, SectionKind};

use crate::duration::{DEFAULT_AGENT_TIMEOUT, DEFAULT_TIMEOUT, human_duration};
use crate::error::Error;
use crate::work::{Event as ItemEvent, Evidence, Item, ItemStatus, Store, Verification};
use crate::workspace::{Ctx, read, refuse, resolve};
use display::{Display, Mode};
use journal::{Event, Kind, Line, Options, Outcome, Summary};

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
pub fn run(cx: &Ctx<'_>, r: &Request<'_>, out: &mut dyn Write) -> Result<u8, Error> {
    // Nothing a step started outlives the run, not even what left its session.
    let _contained = proc::Containment::new();
    let t = resolve(cx, r.plan)?;
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
        Some(journal::interrupted(cx.root, &t.rel)?.ok_or_else(|| {
            refuse(format!(
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
    let options = merge_options(cx, r, prev_options.as_ref());

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
                return Err(refuse(format!(
                    "{} has no step `{id}`\n  help: its steps are {}",
                    t.rel,
                    ids.join(", ")
                )));
            }
        }
    }

    // Work items: made when missing, so the run can record on them.
    let slug = crate::discover::slug_of(&t.rel);
    let store = Store::new(cx.root, cx.cfg);
    let mut items: HashMap<String, Item> = HashMap::new();
    if let Some(slug) = &slug {
        for i in store.load_plan(slug, &t.rel)? {
            items.insert(i.step.clone(), i);
        }
        if !r.dry_run && items.len() < plan.steps.len() {
            let _lock = crate::write::lock(cx.root)?;
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
            } else if closed {
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
    let _running = run_lock(cx.root, &t.rel)?;

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
            let dir = journal::runs_dir(cx.root).join(&id);
            (id, dir)
        }
    };
    let mut jw = journal::Writer::open(&dir)?;
    if let Some((_, lines)) = &previous {
        kill_leftovers(lines, &run_id);
    }
    let actor = crate::git::actor(cx.root, r.by);
    let mut rec = Recorder {
        root: cx.root,
        rel: &t.rel,
        run_id: &run_id,
        actor: &actor,
        store: &store,
        items: &items,
        journal: &mut jw,
        display: Display::new(r.mode, out),
        markdown: plan.kind.is_markdown_plan(),
        deps: &deps,
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
        root: cx.root,
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
fn merge_options(cx: &Ctx<'_>, r: &Request<'_>, prev: Option<&Options>) -> Options {
    let cfg = cx.cfg;
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
        Err(std::fs::TryLockError::WouldBlock) => Err(refuse(format!(
            "{rel} is being run by another planwright process\n  help: wait for it, or stop it (Ctrl-C) and `planwright run --resume`"
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Kills the process groups a dead runner left running: those its journal names (when their
/// leader is still the same process: see [`proc::kill_leftover`]), and those it started but
/// died before recording (found by the run id in their environment).
fn kill_leftovers(lines: &[Line], run: &str) {
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
    for (pgid, start_time) in live {
        proc::kill_leftover(proc::Group { pgid, start_time });
    }
    for pgid in proc::groups_of_run(run) {
        proc::kill(pgid);
    }
}

/// The ready step to start next: waiting, every dependency satisfied, no declared file shared
/// with a running step; the longest remaining path first, then plan order.
fn pick(
    state: &[State],
    deps: &[Vec<usize>],
    priority: &[f64],
    paths: &[Vec<String>],
) -> Option<usize> {
    let busy: Vec<&String> = state
        .iter()
        .enumerate()
        .filter(|(_, s)| **s == State::Running)
        .flat_map(|(k, _)| paths[k].iter())
        .collect();
    (0..state.len())
        .filter(|&k| state[k] == State::Waiting)
        .filter(|&k| deps[k].iter().all(|&d| state[d].satisfies()))
        .filter(|&k| !paths[k].iter().any(|p| busy.iter().any(|b| overlaps(p, b))))
        .min_by(|&a, &b| {
            priority[b]
                .partial_cmp(&priority[a])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&b))
        })
}

/// The order a run with one job would start the waiting steps in.
fn solo_order(state: &[State], deps: &[Vec<usize>], priority: &[f64]) -> Vec<usize> {
    let mut st = state.to_vec();
    let none: Vec<Vec<String>> = vec![Vec::new(); st.len()];
    let mut order = Vec::new();
    while let Some(k) = pick(&st, deps, priority, &none) {
        st[k] = State::Ended(Outcome::Passed);
        order.push(k);
    }
    // Steps that can never become ready (a dependency that will not run) come last.
    for (k, s) in st.iter().enumerate() {
        if *s == State::Waiting {
            order.push(k);
        }
    }
    order
}

/// Each step's longest weighted path to the end of the plan, itself included.
fn bottom_levels(plan: &Plan, src: &str, deps: &[Vec<usize>]) -> Vec<f64> {
    let weights = planwright_core::graph::weights(plan, src);
    let order = planwright_core::graph::topo_order(deps).unwrap_or_default();
    let mut level = weights.clone();
    for &k in order.iter().rev() {
        for &d in &deps[k] {
            let via = weights[d] + level[k];
            if via > level[d] {
                level[d] = via;
            }
        }
    }
    level
}

/// Every step that waits for `k`, directly or not.
fn dependents_of(deps: &[Vec<usize>], k: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; deps.len()];
    let mut stack = vec![k];
    while let Some(x) = stack.pop() {
        for (i, ds) in deps.iter().enumerate() {
            if !seen[i] && ds.contains(&x) {
                seen[i] = true;
                out.push(i);
                stack.push(i);
            }
        }
    }
    out
}

/// A step as the command line names it: `2.1`, `Step 2.1`, `#2.1`, `plan#2.1`, `2.1.`.
fn step_arg(arg: &str) -> &str {
    let a = arg.rsplit_once('#').map_or(arg, |(_, s)| s).trim();
    let a = match a.get(..4) {
        Some(w) if w.eq_ignore_ascii_case("step") => a[4..].trim_start(),
        _ => a,
    };
    a.trim_end_matches('.')
}

/// The path a Produces or Files entry names: its first code span, else its first word when
/// that looks like a path. Placeholders (`<plan>`) and absolute paths are not paths here.
pub fn path_of(entry: &str) -> Option<String> {
    let raw = match entry.split_once('`') {
        Some((_, rest)) => rest.split_once('`')?.0,
        None => entry.split_whitespace().next()?,
    };
    let p = raw
        .trim()
        .trim_start_matches("./")
        .trim_end_matches([',', ';', ':']);
    let looks = p.contains('/') || p.contains('.');
    (looks && !p.is_empty() && !p.contains(['<', '>', ' ']) && !p.starts_with('/'))
        .then(|| p.trim_end_matches('/').to_owned())
}

/// The file `path` names under `root`, or `None` when it would leave the root, by its name
/// or through a symbolic link ([`crate::confine`]). A path that does not exist yet is fine.
pub fn inside(root: &Path, path: &str) -> Option<PathBuf> {
    crate::confine::resolve_rel(root, path).ok()
}

/// Two declared paths touch: the same, one inside the other, or a glob whose fixed prefix
/// covers the other.
pub fn overlaps(a: &str, b: &str) -> bool {
    let stem = |p: &str| -> String {
        match p.find(['*', '?', '[']) {
            Some(i) => p[..i]
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned()),
            None => p.to_owned(),
        }
    };
    let (a, b) = (stem(a), stem(b));
    let within = |x: &str, y: &str| {
        x == y || y.is_empty() || x.strip_prefix(y).is_some_and(|r| r.starts_with('/'))
    };
    within(&a, &b) || within(&b, &a)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Runs one step: the agent (if any) with a fresh prompt, then the Verify commands; on a
/// failure, again with the failure in the prompt, up to the retries.
fn work_step(
    sh: &Shared<'_>,
    k: usize,
    outcomes: &[Option<(Outcome, String)>],
    tx: &mpsc::Sender<Msg>,
) -> StepResult {
    let begin = Instant::now();
    let step = &sh.plan.steps[k];
    let o = sh.options;
    let attempts = 1 + o.retries;
    let name = file_safe(&step.id);
    let log = sh.dir.join(format!("{name}.log"));
    let verify: Vec<String> = step.verify.iter().map(|c| c.text.clone()).collect();
    let end = |outcome, attempt, reason: String, evidence| StepResult {
        outcome,
        attempts: attempt,
        duration: begin.elapsed(),
        reason,
        evidence,
    };
    let mut failure: Option<prompt::Failure> = None;
    let mut evidence = Vec::new();
    for attempt in 1..=attempts {
        let env = vec![
            ("PLANWRIGHT_RUN", sh.run_id.to_owned()),
            ("PLANWRIGHT_RUN_DIR", sh.dir.display().to_string()),
            ("PLANWRIGHT_PLAN", sh.rel.to_owned()),
            ("PLANWRIGHT_STEP", step.id.to_string()),
            ("PLANWRIGHT_ATTEMPT", attempt.to_string()),
        ];
        let exec = |kind: Kind,
                    command: &str,
                    stdin: Option<&Path>,
                    timeout: Duration,
                    env: &[(&str, String)]|
         -> Result<proc::Outcome, String> {
            let spec = proc::Spec {
                command,
                cwd: sh.root,
                stdin,
                log: &log,
                env,
                timeout: Some(timeout),
            };
            let mut pgid = 0;
            let outcome = proc::run(&spec, &STOP, |g| {
                pgid = g.pgid;
                let _ = tx.send(Msg::Journal(Event::ProcessStarted {
                    step: step.id.to_string(),
                    attempt,
                    kind,
                    command: command.to_owned(),
                    pgid: g.pgid,
                    start_time: g.start_time,
                }));
            })
            .map_err(|e| format!("cannot run `{command}`: {e}"))?;
            let _ = tx.send(Msg::Journal(Event::CommandFinished {
                step: step.id.to_string(),
                attempt,
                kind,
                command: command.to_owned(),
                exit_code: outcome.code,
                timed_out: outcome.timed_out,
                duration_ms: millis(outcome.duration),
                output_tail: outcome.tail.clone(),
                pgid: Some(pgid),
            }));
            Ok(outcome)
        };
        if let Some(agent) = &o.agent {
            let text = prompt::build(&prompt::Input {
                root: sh.root,
                rel: sh.rel,
                src: sh.src,
                plan: sh.plan,
                step: k,
                deps: &sh.deps[k],
                outcomes,
                failure: failure.as_ref(),
            });
            let file = sh.dir.join(format!("{name}.prompt-{attempt}.md"));
            if let Err(e) = std::fs::write(&file, text) {
                return end(
                    Outcome::Failed,
                    attempt,
                    format!("cannot write the prompt {}: {e}", file.display()),
                    evidence,
                );
            }
            let mut env = env.clone();
            env.push(("PLANWRIGHT_PROMPT_FILE", file.display().to_string()));
            let timeout = Duration::from_millis(o.agent_timeout_ms);
            let out = match exec(Kind::Agent, agent, Some(&file), timeout, &env) {
                Ok(out) => out,
                Err(e) => return end(Outcome::Failed, attempt, e, evidence),
            };
            if out.interrupted {
                return end(Outcome::Interrupted, attempt, String::new(), evidence);
            }
            if !out.success() {
                failure = Some(prompt::Failure::of(attempt, attempts, agent, out, timeout));
                continue;
            }
        }
        if verify.is_empty() {
            return end(
                Outcome::Unverified,
                attempt,
                "it has no Verify commands; `planwright work done` closes it once checked"
                    .to_owned(),
                evidence,
            );
        }
        evidence.clear();
        failure = None;
        let timeout = Duration::from_millis(o.timeout_ms);
        for cmd in &verify {
            let out = match exec(Kind::Verify, cmd, None, timeout, &env) {
                Ok(out) => out,
                Err(e) => return end(Outcome::Failed, attempt, e, evidence),
            };
            evidence.push(Evidence {
                command: cmd.clone(),
                exit_code: out.code,
                timed_out: out.timed_out,
                duration_ms: millis(out.duration),
                output_tail: out.tail.clone(),
            });
            if out.interrupted {
                return end(Outcome::Interrupted, attempt, String::new(), evidence);
            }
            if !out.success() {
                failure = Some(prompt::Failure::of(attempt, attempts, cmd, out, timeout));
                break;
            }
        }
        if failure.is_none() {
            return end(Outcome::Passed, attempt, String::new(), evidence);
        }
    }
    let reason = failure.map_or_else(String::new, |f| {
        let tries = if attempts > 1 {
            format!(" (after {attempts} attempts)")
        } else {
            String::new()
        };
        format!("`{}` {}{tries}", f.command, f.how)
    });
    end(Outcome::Failed, attempts, reason, evidence)
}

/// A step id as a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes what happens: the journal first, then the work item and the plan's Progress, then
/// the display.
struct Recorder<'a, 'o> {
    root: &'a Path,
    rel: &'a str,
    run_id: &'a str,
    actor: &'a str,
    store: &'a Store,
    items: &'a HashMap<String, Item>,
    journal: &'a mut journal::Writer,
    display: Display<'o>,
    /// The plan is Markdown: its Progress section can take entries.
    markdown: bool,
    deps: &'a [Vec<usize>],
}

impl Recorder<'_, '_> {
    fn emit(&mut self, event: Event) -> Result<(), Error> {
        let line = Line {
            version: journal::VERSION,
            at: journal::now_precise(),
            event,
        };
        self.journal.write(&line)?;
        self.display.show(&line);
        Ok(())
    }

    fn item_event(&self, step: &str, e: ItemEvent) -> Result<(), Error> {
        match self.items.get(step) {
            Some(item) => self.store.record(&item.id, &e),
            None => Ok(()),
        }
    }

    fn started(&mut self, step: &str, title: &str) -> Result<(), Error> {
        self.item_event(
            step,
            ItemEvent {
                at: crate::clock::stamp(),
                by: self.actor.to_owned(),
                what: format!("started by run {}", self.run_id),
                status: Some(ItemStatus::InProgress),
                ..ItemEvent::default()
            },
        )?;
        self.emit(Event::StepStarted {
            step: step.to_owned(),
            title: title.to_owned(),
        })
    }

    /// Records how step `k` ended: item, Progress entry, journal line.
    fn finished(&mut self, plan: &Plan, k: usize, r: &StepResult) -> Result<(), Error> {
        let s = &plan.steps[k];
        let at = crate::clock::stamp();
        let run = self.run_id;
        let (status, what, verification) = match r.outcome {
            Outcome::Passed => (
                Some(ItemStatus::Done),
                format!("done: verification passed in run {run}"),
                true,
            ),
            Outcome::Failed => (
                Some(ItemStatus::Blocked),
                format!("blocked: failed in run {run}"),
                !r.evidence.is_empty(),
            ),
            Outcome::Blocked => (
                Some(ItemStatus::Blocked),
                format!("blocked in run {run}"),
                false,
            ),
            Outcome::Unverified => (
                None,
                format!("unverified: ran in run {run} without Verify commands"),
                false,
            ),
            Outcome::Interrupted => (
                Some(ItemStatus::Todo),
                format!("interrupted in run {run}"),
                false,
            ),
            Outcome::Skipped | Outcome::AlreadyDone => (None, String::new(), false),
        };
        if !what.is_empty() {
            let v = verification.then(|| Verification {
                at: at.clone(),
                by: self.actor.to_owned(),
                passed: r.outcome == Outcome::Passed,
                results: r
                    .evidence
                    .iter()
                    .map(|e| {
                        format!(
                            "exit {}: {}",
                            e.exit_code.map_or("-".to_owned(), |c| c.to_string()),
                            e.command
                        )
                    })
                    .collect(),
                evidence: r.evidence.clone(),
            });
            self.item_event(
                &s.id,
                ItemEvent {
                    at: at.clone(),
                    by: self.actor.to_owned(),
                    what,
                    note: r.reason.clone(),
                    status,
                    verification: v,
                    ..ItemEvent::default()
                },
            )?;
        }
        if r.outcome == Outcome::Passed {
            self.unblock_dependents(plan, k)?;
        }
        if self.markdown {
            self.progress_entry(&s.id, r)?;
        }
        self.emit(Event::StepFinished {
            step: s.id.to_string(),
            title: s.title.value.clone(),
            outcome: r.outcome,
            attempts: r.attempts,
            duration_ms: millis(r.duration),
            reason: r.reason.clone(),
        })
    }

    /// Items a run blocked because step `k` failed go back to `todo` once it passes, so
    /// `next` offers them again. Items blocked for reasons of their own stay blocked.
    fn unblock_dependents(&self, plan: &Plan, k: usize) -> Result<(), Error> {
        for (d, ds) in self.deps.iter().enumerate() {
            if !ds.contains(&k) {
                continue;
            }
            let Some(item) = self.items.get(&*plan.steps[d].id) else {
                continue;
            };
            let by_a_run = item
                .events
                .last()
                .is_some_and(|e| e.what.starts_with("blocked in run "));
            if item.status == ItemStatus::Blocked && by_a_run {
                self.store.record(
                    &item.id,
                    &ItemEvent {
                        at: crate::clock::stamp(),
                        by: self.actor.to_owned(),
                        what: format!(
                            "unblocked: step {} passed in run {}",
                            plan.steps[k].id, self.run_id
                        ),
                        status: Some(ItemStatus::Todo),
                        ..ItemEvent::default()
                    },
                )?;
            }
        }
        Ok(())
    }

    /// A timestamped line in the plan's Progress section (outside the freeze).
    fn progress_entry(&self, step: &str, r: &StepResult) -> Result<(), Error> {
        let run = self.run_id;
        let took = human_duration(r.duration);
        let text = match r.outcome {
            Outcome::Passed => format!(
                "[x] ({}) Step {step} passed its checks ({} command{}, {took}; run {run})",
                crate::clock::stamp(),
                r.evidence.len(),
                if r.evidence.len() == 1 { "" } else { "s" }
            ),
            Outcome::Failed => format!(
                "[ ] ({}) Step {step} failed: {} (run {run})",
                crate::clock::stamp(),
                r.reason
            ),
            Outcome::Blocked => format!(
                "[ ] ({}) Step {step} blocked: {} (run {run})",
                crate::clock::stamp(),
                r.reason
            ),
            Outcome::Unverified => format!(
                "[ ] ({}) Step {step} ran unverified: it has no Verify commands (run {run})",
                crate::clock::stamp()
            ),
            Outcome::Skipped | Outcome::AlreadyDone | Outcome::Interrupted => return Ok(()),
        };
        let path = crate::confine::resolve_rel(self.root, self.rel)?;
        let _lock = crate::write::lock(self.root)?;
        let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
        let entry = format!("- {text}\n");
        let edit = crate::living::edit(&src, &plan, SectionKind::Progress, "Progress", &entry);
        let new = apply(&src, &[edit]).map_err(|e| refuse(e.to_string()))?;
        crate::write::write_atomic(self.root, &path, &new)
    }
}

/// `--dry-run`: the steps in the order a run would start them, with every command.
#[allow(clippy::too_many_arguments)]
fn dry_run(
    rel: &str,
    src: &str,
    plan: &Plan,
    deps: &[Vec<usize>],
    state: &[State],
    order: &[usize],
    options: &Options,
    untrusted: Option<Error>,
    mode: Mode,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    let listed: Vec<usize> = order
        .iter()
        .copied()
        .chain((0..plan.steps.len()).filter(|k| matches!(state[*k], State::Ended(_))))
        .collect();
    if mode == Mode::Json {
        let steps: Vec<serde_json::Value> = listed
            .iter()
            .map(|&k| {
                let s = &plan.steps[k];
                serde_json::json!({
                    "step": s.id,
                    "title": s.title.value,
                    "state": match state[k] {
                        State::Ended(o) => o.as_str(),
                        _ => "will_run",
                    },
                    "depends_on": deps[k].iter().map(|&d| &*plan.steps[d].id).collect::<Vec<_>>(),
                    "agent": options.agent.is_some() && !matches!(state[k], State::Ended(_)),
                    "verify": s.verify.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({
            "version": journal::VERSION,
            "plan": rel,
            "options": options,
            "refused": untrusted.as_ref().map(|e| e.to_string()),
            "steps": steps,
        });
        serde_json::to_writer(&mut *out, &v)
            .map_err(std::io::Error::other)
            .map_err(io)?;
        writeln!(out).map_err(io)?;
        return Ok(crate::EXIT_OK);
    }
    let agent = options
        .agent
        .as_ref()
        .map_or("no agent".to_owned(), |a| format!("agent `{a}`"));
    let timeout = human_duration(Duration::from_millis(options.timeout_ms));
    writeln!(
        out,
        "planwright run {rel} would run {} step{} in this order, up to {} at once, with {agent}.\nEach command runs with `sh -c` from the repository root, with a {timeout} timeout.",
        order.len(),
        if order.len() == 1 { "" } else { "s" },
        options.jobs
    )
    .map_err(io)?;
    if let Some(e) = &untrusted {
        writeln!(
            out,
            "\nBut without --allow-unapproved it would refuse:\n  {}",
            e.to_string().replace('\n', "\n  ")
        )
        .map_err(io)?;
    }
    for &k in &listed {
        let s = &plan.steps[k];
        let (mark, note) = match state[k] {
            State::Ended(o) => ("[x]", format!("  ({})", o.as_str().replace('_', " "))),
            _ if deps[k].is_empty() => ("[ ]", String::new()),
            _ => (
                "[ ]",
                format!(
                    "  (after {})",
                    deps[k]
                        .iter()
                        .map(|&d| &*plan.steps[d].id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        writeln!(out, "\n{mark} {}. {}{note}", s.id, s.title.value).map_err(io)?;
        if matches!(state[k], State::Ended(_)) {
            continue;
        }
        for c in crate::work::entries(src, s, "acceptance criteria") {
            writeln!(out, "      done when: {c}").map_err(io)?;
        }
        if let Some(a) = &options.agent {
            writeln!(out, "      $ {a} < prompt for step {}", s.id).map_err(io)?;
        }
        if s.verify.is_empty() {
            writeln!(
                out,
                "      (no Verify commands: the step would end unverified)"
            )
            .map_err(io)?;
        }
        for c in &s.verify {
            writeln!(out, "      $ {}", c.text).map_err(io)?;
        }
    }
    Ok(crate::EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_as_people_name_them() {
        for a in [
            "2.1",
            "Step 2.1",
            "step 2.1",
            "#2.1",
            "add-batch-mode#2.1",
            "2.1.",
        ] {
            assert_eq!(step_arg(a), "2.1", "{a}");
        }
        assert_eq!(step_arg("S3"), "S3");
    }

    #[test]
    fn paths_and_overlaps() {
        assert_eq!(
            path_of("`docs/batch-format.md` — the format").as_deref(),
            Some("docs/batch-format.md")
        );
        assert_eq!(
            path_of("src/lib.rs, the entry").as_deref(),
            Some("src/lib.rs")
        );
        assert_eq!(path_of("A streaming reader"), None);
        assert_eq!(path_of("`.planwright/work/<plan>/<step>.toml`"), None);
        assert_eq!(path_of("`/etc/passwd`"), None);
        assert!(overlaps("src/a.rs", "src/a.rs"));
        assert!(overlaps("src", "src/a.rs"));
        assert!(overlaps("src/*.rs", "src/a.rs"));
        assert!(!overlaps("src/a.rs", "src/ab.rs"));
        assert!(!overlaps("docs/x.md", "src/x.md"));
        let root = tempfile::tempdir().expect("tempdir");
        assert!(inside(root.path(), "../x").is_none());
        assert!(inside(root.path(), "a/b").is_some());
    }

    #[test]
    fn ready_steps_go_longest_path_first() {
        // 0 → 2 → 3 is the long chain; 1 stands alone.
        let deps = vec![vec![], vec![], vec![0], vec![2]];
        let level = [3.0, 1.0, 2.0, 1.0];
        let st = vec![State::Waiting; 4];
        // After 0, the chain's 2 goes first; 1 and 3 tie and go in plan order.
        assert_eq!(solo_order(&st, &deps, &level), vec![0, 2, 1, 3]);
        let paths = vec![vec!["a".to_owned()], vec!["a/b".to_owned()], vec![], vec![]];
        let mut running = st.clone();
        running[0] = State::Running;
        // 1 shares a path with the running 0; 2 waits for 0.
        assert_eq!(pick(&running, &deps, &level, &paths), None);
        assert_eq!(dependents_of(&deps, 0), vec![2, 3]);
    }
}
