//! One process of a run: `sh -c COMMAND` from the repository root, in a process group of its
//! own, stdin read from a file and output appended to the step's log file. No pipe connects
//! the runner and the child, so nothing can hang on a full pipe or on a grandchild holding one
//! open. When the leader exits, times out or the run is interrupted, the whole group is
//! signalled: what a command started in the background does not outlive it.
//!
//! A process group does not reach a descendant that started a session of its own (`setsid`).
//! So on Linux the runner is a child sub-reaper ([`contain`]): a descendant whose parent dies
//! is re-parented to the runner rather than to init. Every command also gets a token of its
//! own in its environment (`PLANWRIGHT_PROC`), which its descendants inherit. When a command
//! ends, its group is killed, and then every process the runner adopted that carries the
//! command's token, with its group, round after round as their children are adopted in turn.
//! One that also cleared its environment is still the runner's child, and is killed when the
//! run ends ([`kill_adopted`]). Listing the runner's children costs a few reads of
//! `/proc/self/task/*/children`, not one per process of the machine.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// How long a group has between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_millis(500);
/// How much of a command's output is kept as its tail: lines, then bytes.
pub const TAIL_LINES: usize = 40;
pub const TAIL_BYTES: usize = 4000;

/// The leaders this process started and has not reaped yet: [`kill_adopted`] must never take
/// their exit status from the threads waiting for them. Held while spawning, so a leader is in
/// the set before anything can see it.
static LEADERS: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());
/// Numbers each command's token.
static TOKENS: AtomicU64 = AtomicU64::new(0);
/// The environment variable that marks a command's processes and their descendants.
const TOKEN_VAR: &str = "PLANWRIGHT_PROC";

fn leaders() -> std::sync::MutexGuard<'static, BTreeSet<u32>> {
    LEADERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes this process a child sub-reaper (Linux): descendants of its commands whose parents
/// die are re-parented to it instead of to init, so none escapes by double-forking. Call it
/// once, before the first command starts; elsewhere it does nothing.
pub fn contain() {
    #[cfg(target_os = "linux")]
    {
        let _ = nix::sys::prctl::set_child_subreaper(true);
    }
}

/// What to run.
pub struct Spec<'a> {
    pub command: &'a str,
    pub cwd: &'a Path,
    /// A file to read stdin from; `/dev/null` when absent.
    pub stdin: Option<&'a Path>,
    /// The log file the output is appended to.
    pub log: &'a Path,
    pub env: &'a [(&'a str, String)],
    pub timeout: Option<Duration>,
}

/// How it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The exit code, when the process exited rather than being killed.
    pub code: Option<i32>,
    /// The signal that ended it, when one did.
    pub signal: Option<i32>,
    pub timed_out: bool,
    /// The run was interrupted (Ctrl-C) while it ran.
    pub interrupted: bool,
    pub duration: Duration,
    /// The end of what it printed (stdout and stderr together).
    pub tail: String,
}

impl Outcome {
    pub fn success(&self) -> bool {
        self.code == Some(0) && !self.timed_out && !self.interrupted
    }

    /// `exited with 1`, `timed out after 30 s`, `killed by signal 9`.
    pub fn describe(&self, timeout: Option<Duration>) -> String {
        if self.timed_out {
            return format!(
                "timed out after {}",
                crate::duration::human_duration(timeout.unwrap_or(self.duration))
            );
        }
        if self.interrupted {
            return "was interrupted".to_owned();
        }
        match (self.code, self.signal) {
            (Some(c), _) => format!("exited with {c}"),
            (None, Some(s)) => format!("was killed by signal {s}"),
            (None, None) => "ended without a status".to_owned(),
        }
    }
}

/// A started group, for the journal: its id and the leader's start time (Linux), which tells a
/// later `--resume` whether a live process with that id is still the same one.
#[derive(Clone, Copy, Debug)]
pub struct Group {
    pub pgid: u32,
    pub start_time: Option<u64>,
}

/// Runs `spec` to its end. `stop` is polled: when it turns true the group is killed and the
/// outcome says `interrupted`. `started` is told the group as soon as it exists.
pub fn run(spec: &Spec<'_>, stop: &AtomicBool, started: impl FnOnce(Group)) -> io::Result<Outcome> {
    let mut log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(spec.log)?;
    log.write_all(format!("$ {}\n", spec.command).as_bytes())?;
    let from = log.seek(SeekFrom::End(0))?;
    let stdin = match spec.stdin {
        Some(p) => Stdio::from(File::open(p)?),
        None => Stdio::null(),
    };
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(spec.command)
        .current_dir(spec.cwd)
        .stdin(stdin)
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log.try_clone()?))
        .process_group(0);
    for (k, v) in spec.env {
        cmd.env(k, v);
    }
    let token = format!(
        "{}-{}",
        std::process::id(),
        TOKENS.fetch_add(1, Ordering::Relaxed)
    );
    cmd.env(TOKEN_VAR, &token);
    let begin = Instant::now();
    let mut child = {
        let mut set = leaders();
        let child = cmd.spawn()?;
        set.insert(child.id());
        child
    };
    let pgid = child.id();
    started(Group {
        pgid,
        start_time: start_time(pgid),
    });
    // A waiter thread reaps the leader and reports at once; this thread keeps the clock.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let status = child.wait();
        leaders().remove(&pgid);
        let _ = tx.send(status);
    });
    let deadline = spec.timeout.map(|t| begin + t);
    let mut timed_out = false;
    let mut interrupted = false;
    let status = loop {
        let now = Instant::now();
        let mut wait = Duration::from_millis(50);
        if let Some(d) = deadline {
            wait = wait.min(d.saturating_duration_since(now));
        }
        match rx.recv_timeout(wait) {
            Ok(status) => break status?,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other("lost the process's status"));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let late = deadline.is_some_and(|d| Instant::now() >= d);
        let stopping = stop.load(Ordering::SeqCst);
        if late || stopping {
            timed_out = late && !stopping;
            interrupted = stopping;
            terminate(pgid);
            match rx.recv_timeout(GRACE) {
                Ok(status) => break status?,
                Err(_) => {
                    kill(pgid);
                    break rx
                        .recv()
                        .map_err(|_| io::Error::other("lost the process's status"))??;
                }
            }
        }
    };
    let duration = begin.elapsed();
    // Whatever the leader left behind goes with it: its group, and every process that
    // carries its token, in any session.
    kill(pgid);
    kill_tagged(&token);
    Ok(Outcome {
        code: status.code(),
        signal: status.signal(),
        timed_out,
        interrupted,
        duration,
        tail: tail_of(spec.log, from)?,
    })
}

fn terminate(pgid: u32) {
    let _ = killpg(Pid::from_raw(pgid as i32), Signal::SIGTERM);
}

/// SIGKILL to a whole group; a group that is gone already is fine.
pub fn kill(pgid: u32) {
    let _ = killpg(Pid::from_raw(pgid as i32), Signal::SIGKILL);
}

/// Every process id in `/proc` (Linux; elsewhere none).
fn pids() -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .collect()
}

/// Whether `pid`'s environment holds `entry` (`KEY=value`).
fn has_env(pid: u32, entry: &[u8]) -> bool {
    std::fs::read(format!("/proc/{pid}/environ"))
        .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == entry))
}

/// The runner's adopted children: processes whose parent is this one, outside its own
/// process group (every command leader has a group of its own; the helpers the runner starts
/// itself, such as `git`, share its group), and not a leader it is waiting for.
fn adopted() -> Vec<u32> {
    let me = std::process::id();
    let Some(own) = group_of(me) else {
        return Vec::new();
    };
    let kids = children();
    let set = leaders();
    kids.into_iter()
        .filter(|&pid| !set.contains(&pid) && group_of(pid).is_some_and(|g| g != own))
        .collect()
}

/// This process's children: from each thread's `children` list, which costs a few reads
/// rather than one per process of the machine; from every process's parent where the kernel
/// has no such lists.
fn children() -> Vec<u32> {
    let me = std::process::id();
    let mut out = Vec::new();
    let mut listed = false;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(text) = std::fs::read_to_string(t.path().join("children")) {
                listed = true;
                out.extend(
                    text.split_whitespace()
                        .filter_map(|p| p.parse::<u32>().ok()),
                );
            }
        }
    }
    if !listed {
        out = pids()
            .into_iter()
            .filter(|&pid| stat_field::<u32>(pid, 4) == Some(me))
            .collect();
    }
    out
}

/// Kills an adopted process and its group, and reaps it (and any adopted child that has
/// exited on its own, so a long run collects no zombies). `which` chooses whom to kill.
/// Killing re-parents the victims' children to the runner in turn, so this goes round until
/// nothing more is killed.
fn kill_adopted_where(which: impl Fn(u32) -> bool) {
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    for _ in 0..16 {
        let orphans = adopted();
        let victims: Vec<u32> = orphans.iter().copied().filter(|&p| which(p)).collect();
        for &pid in &victims {
            if let Some(g) = group_of(pid) {
                let _ = killpg(Pid::from_raw(g as i32), Signal::SIGKILL);
            }
            let _ = nix::sys::signal::kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
        }
        for pid in orphans {
            let killed = victims.contains(&pid);
            let pid = Pid::from_raw(pid as i32);
            // A killed process is a zombie a moment later; give it that moment.
            for _ in 0..if killed { 250 } else { 1 } {
                match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
                    Ok(WaitStatus::StillAlive) => std::thread::sleep(Duration::from_millis(2)),
                    _ => break,
                }
            }
        }
        if victims.is_empty() {
            break;
        }
    }
}

/// Kills what a command left behind outside its group: adopted processes that carry its
/// token (a `setsid` child whose parent died with the group).
fn kill_tagged(token: &str) {
    let entry = format!("{TOKEN_VAR}={token}");
    kill_adopted_where(|pid| has_env(pid, entry.as_bytes()));
}

/// Kills and reaps every process the runner adopted: what the run's commands left behind,
/// even those that left their session and cleared their environment. Call it when the run
/// ends, after the last command.
pub fn kill_adopted() {
    kill_adopted_where(|_| true);
}

/// [`contain`] while it lives, and [`kill_adopted`] when it is dropped, however the run ends.
pub struct Containment(());

impl Containment {
    pub fn new() -> Containment {
        contain();
        Containment(())
    }
}

impl Default for Containment {
    fn default() -> Self {
        Containment::new()
    }
}

impl Drop for Containment {
    fn drop(&mut self) {
        kill_adopted();
    }
}

/// The process groups led by a process whose environment says it was started for `run`
/// (`PLANWRIGHT_RUN=<run>`, which every step command gets): a runner killed between starting
/// a command and writing its group to the journal leaves such a group unrecorded, and a
/// resumed run finds it here. Reads `/proc` (Linux; elsewhere, and for other users'
/// processes, nothing is found). Never the caller's own group.
pub fn groups_of_run(run: &str) -> Vec<u32> {
    let entry = format!("PLANWRIGHT_RUN={run}");
    let me = std::process::id();
    let own_group = group_of(me);
    let mut out: Vec<u32> = pids()
        .into_iter()
        .filter(|&pid| pid != me && group_of(pid) == Some(pid) && Some(pid) != own_group)
        .filter(|&pid| has_env(pid, entry.as_bytes()))
        .collect();
    out.sort_unstable();
    out
}

/// The process group of a process (field 5 of `/proc/PID/stat`).
fn group_of(pid: u32) -> Option<u32> {
    stat_field(pid, 5)
}

/// The start time of a process in clock ticks since boot (field 22 of `/proc/PID/stat`).
pub fn start_time(pid: u32) -> Option<u64> {
    stat_field(pid, 22)
}

/// Field `n` (1-based, as in proc(5)) of `/proc/PID/stat`, from field 3 on.
fn stat_field<T: std::str::FromStr>(pid: u32, n: usize) -> Option<T> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count from the
    // last `)`.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n.checked_sub(3)?)?.parse().ok()
}

/// Kills a group a dead runner left behind, if its leader is still the process that was
/// started (same start time). Returns whether anything was killed.
pub fn kill_leftover(g: Group) -> bool {
    match (g.start_time, start_time(g.pgid)) {
        (Some(recorded), Some(now)) if recorded == now => {
            kill(g.pgid);
            true
        }
        _ => false,
    }
}

/// The last [`TAIL_LINES`] lines (at most [`TAIL_BYTES`] bytes) written to `log` from `from`.
fn tail_of(log: &Path, from: u64) -> io::Result<String> {
    let mut f = File::open(log)?;
    let len = f.metadata()?.len();
    let start = from.max(len.saturating_sub(TAIL_BYTES as u64 * 4));
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(tail(&String::from_utf8_lossy(&buf), start > from))
}

/// The end of `text`, bounded; `cut` says text before it was dropped already.
pub fn tail(text: &str, cut: bool) -> String {
    let text = text.trim_end();
    let mut start = 0;
    let mut dropped = cut;
    if let Some((i, _)) = text.rmatch_indices('\n').nth(TAIL_LINES - 1) {
        start = i + 1;
        dropped = true;
    }
    if text.len() - start > TAIL_BYTES {
        start = text.len() - TAIL_BYTES;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        dropped = true;
    }
    let body = &text[start..];
    if dropped {
        format!("…\n{body}")
    } else {
        body.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn groups_of_a_run_are_found_by_its_id() {
        let run = format!("test-{}", std::process::id());
        let mut child = Command::new("sh")
            .args(["-c", "sleep 30"])
            .env("PLANWRIGHT_RUN", &run)
            .process_group(0)
            .spawn()
            .unwrap();
        let pgid = child.id();
        // `/proc/PID/environ` holds the environment once the process has exec'd.
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut found = groups_of_run(&run);
        while !found.contains(&pgid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            found = groups_of_run(&run);
        }
        assert!(found.contains(&pgid), "{found:?} lacks {pgid}");
        assert!(
            !groups_of_run(&format!("{run}-other")).contains(&pgid),
            "another run's id finds nothing of this one"
        );
        kill(pgid);
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(9));
    }

    fn spec<'a>(dir: &'a Path, log: &'a Path, cmd: &'a str, timeout: Option<Duration>) -> Spec<'a> {
        Spec {
            command: cmd,
            cwd: dir,
            stdin: None,
            log,
            env: &[],
            timeout,
        }
    }

    #[test]
    fn exit_codes_and_output_reach_the_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let stop = AtomicBool::new(false);
        let o = run(
            &spec(dir.path(), &log, "echo out; echo err >&2; exit 3", None),
            &stop,
            |_| {},
        )
        .unwrap();
        assert_eq!(o.code, Some(3));
        assert!(!o.success());
        assert_eq!(o.tail, "out\nerr");
        assert!(
            std::fs::read_to_string(&log)
                .unwrap()
                .starts_with("$ echo out")
        );
    }

    #[test]
    fn a_timeout_kills_the_group_with_its_children() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let pidfile = dir.path().join("child.pid");
        let cmd = format!("sleep 30 & echo $! > {}; wait", pidfile.display());
        let stop = AtomicBool::new(false);
        let o = run(
            &spec(dir.path(), &log, &cmd, Some(Duration::from_millis(300))),
            &stop,
            |_| {},
        )
        .unwrap();
        assert!(o.timed_out);
        assert!(o.duration < Duration::from_secs(5));
        let child: u32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The background sleep is gone (or a zombie about to be reaped by init). SIGKILL is
        // delivered at once but a loaded machine may take a moment to tear the process down.
        let alive = || {
            std::fs::read_to_string(format!("/proc/{child}/stat"))
                .is_ok_and(|s| !s.contains(") Z") && !s.contains(") X"))
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(3);
        while alive() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(), "the child {child} outlived its group");
    }

    #[test]
    fn stdin_comes_from_a_file_and_the_stop_flag_interrupts() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let input = dir.path().join("in");
        std::fs::write(&input, "hello\n").unwrap();
        let stop = AtomicBool::new(false);
        let mut s = spec(dir.path(), &log, "cat", None);
        s.stdin = Some(&input);
        assert_eq!(run(&s, &stop, |_| {}).unwrap().tail, "hello");
        stop.store(true, Ordering::SeqCst);
        let o = run(&spec(dir.path(), &log, "sleep 30", None), &stop, |_| {}).unwrap();
        assert!(o.interrupted && !o.success());
    }

    #[test]
    fn tails_are_bounded() {
        let many: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let t = tail(&many, false);
        assert!(t.starts_with("…\nline 60"));
        assert!(t.ends_with("line 99"));
        let wide = "x".repeat(10_000);
        assert_eq!(tail(&wide, false).len(), TAIL_BYTES + "…\n".len());
        assert_eq!(tail("short", false), "short");
    }
}
