//! The journal of a run: `.planwright/runs/<run-id>/events.jsonl`, one JSON object a line,
//! each written with a single append so that a kill -9 tears at most the last line (which a
//! reader skips). The same lines are what `--format json` prints, and what `--resume` reads
//! back: the options, the steps that passed, the process groups a dead runner left.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The version of the event shape (`planwright schema run-event`).
pub const VERSION: u32 = 1;

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub version: u32,
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    pub at: String,
    #[serde(flatten)]
    pub event: Event,
}

/// The options a run was started with, kept so that `--resume` runs the same way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub jobs: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Steps named with `--step` (empty: all of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    pub keep_going: bool,
    pub retries: u32,
    /// Per Verify command, in milliseconds.
    pub timeout_ms: u64,
    /// Per agent invocation, in milliseconds.
    pub agent_timeout_ms: u64,
    pub allow_unapproved: bool,
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Its Verify commands passed.
    Passed,
    /// It has no Verify commands: it ran, but nothing shows it is done.
    Unverified,
    /// Its checks (or its agent) failed on every attempt.
    Failed,
    /// A step it depends on failed or was blocked.
    Blocked,
    /// Not started: the run stopped after a failure (without `--keep-going`).
    Skipped,
    /// Done before this run (its work item is done or cancelled).
    AlreadyDone,
    /// Stopped by Ctrl-C or a signal; `--resume` runs it again.
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Unverified => "unverified",
            Outcome::Failed => "failed",
            Outcome::Blocked => "blocked",
            Outcome::Skipped => "skipped",
            Outcome::AlreadyDone => "already_done",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// Which kind of process a command was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Agent,
    Verify,
}

/// Counts and time of a whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub passed: usize,
    pub unverified: usize,
    pub failed: usize,
    pub blocked: usize,
    pub skipped: usize,
    pub already_done: usize,
    pub interrupted: usize,
    pub duration_ms: u64,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        run: String,
        plan: String,
        options: Options,
        /// The steps this run means to run, in the order it would start them alone.
        steps: Vec<String>,
        /// Set when this run continues an interrupted one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resumed: Option<String>,
    },
    StepStarted {
        step: String,
        title: String,
    },
    ProcessStarted {
        step: String,
        attempt: u32,
        kind: Kind,
        command: String,
        pgid: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_time: Option<u64>,
    },
    CommandFinished {
        step: String,
        attempt: u32,
        kind: Kind,
        command: String,
        #[serde(default)]
        exit_code: Option<i32>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        timed_out: bool,
        duration_ms: u64,
        output_tail: String,
        /// The process group it ran in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pgid: Option<u32>,
    },
    StepFinished {
        step: String,
        title: String,
        outcome: Outcome,
        attempts: u32,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    RunFinished {
        run: String,
        summary: Summary,
        exit_code: u8,
    },
    RunInterrupted {
        run: String,
        summary: Summary,
    },
    /// Written by a later run of the same plan into the journal of a run that did not finish
    /// (its runner died, or it was interrupted and not resumed): the run is over, what it left
    /// running was stopped, and `--resume` no longer offers it.
    RunClosed {
        run: String,
        /// The run that closed it.
        by: String,
        /// How many process groups it had left running, now stopped.
        stopped: usize,
    },
}

/// An open journal, appended to.
pub struct Writer {
    pub dir: PathBuf,
    file: File,
}

impl Writer {
    /// Creates `dir` and its `events.jsonl`, or opens them to continue.
    pub fn open(dir: &Path) -> Result<Writer, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join("events.jsonl");
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        // A runner killed mid-write leaves a torn line: end it, so the next line stands alone.
        let len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
        if len > 0 {
            use std::io::{Read, Seek, SeekFrom};
            let mut last = [0u8];
            file.seek(SeekFrom::Start(len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(|e| Error::io(&path, e))?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(|e| Error::io(&path, e))?;
            }
        }
        Ok(Writer {
            dir: dir.to_path_buf(),
            file,
        })
    }

    /// Appends one line in a single write.
    pub fn write(&mut self, line: &Line) -> Result<(), Error> {
        let mut buf = serde_json::to_vec(line)
            .map_err(io::Error::other)
            .map_err(|e| Error::io(self.dir.join("events.jsonl"), e))?;
        buf.push(b'\n');
        if matches!(line.event, Event::StepFinished { .. })
            && crate::write::crash_requested("journal-append")
        {
            // The torn line a crash in mid-write leaves: half of it, then nothing.
            let _ = self.file.write_all(&buf[..buf.len() / 2]);
            std::process::abort();
        }
        self.file
            .write_all(&buf)
            .map_err(|e| Error::io(self.dir.join("events.jsonl"), e))
    }
}

/// The lines of a journal that read; a torn or foreign line is skipped.
pub fn read(dir: &Path) -> Result<Vec<Line>, Error> {
    let path = dir.join("events.jsonl");
    let text = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    Ok(parse(&text))
}

/// The lines of a journal's text that read; a torn or foreign line is skipped.
pub fn parse(text: &[u8]) -> Vec<Line> {
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect()
}

/// The runs folder of a repository.
pub fn runs_dir(root: &Path) -> PathBuf {
    root.join(".planwright").join("runs")
}

/// The runs of `plan` (a path relative to the root), newest first, with their lines.
fn runs_of(root: &Path, plan: &str) -> Result<impl Iterator<Item = (PathBuf, Vec<Line>)>, Error> {
    let dir = runs_dir(root);
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    // Run ids start with the time: the newest sorts last.
    names.sort();
    let plan = plan.to_owned();
    Ok(names.into_iter().rev().filter_map(move |name| {
        let d = dir.join(name);
        // The first line says whose run it is; only the plan's own journals are read whole.
        if !first_line_is_of(&d, &plan) {
            return None;
        }
        let lines = read(&d).ok()?;
        Some((d, lines))
    }))
}

/// Every run of `plan` (a path relative to the root), oldest first, with their lines.
pub fn runs(root: &Path, plan: &str) -> Result<Vec<(PathBuf, Vec<Line>)>, Error> {
    let mut all: Vec<_> = runs_of(root, plan)?.collect();
    all.reverse();
    Ok(all)
}

/// The latest run of `plan` that did not finish, with its lines. `Ok(None)` when the latest
/// run of the plan finished, or there is none.
pub fn interrupted(root: &Path, plan: &str) -> Result<Option<(PathBuf, Vec<Line>)>, Error> {
    Ok(runs_of(root, plan)?
        .next()
        .filter(|(_, lines)| !ended(lines)))
}

/// Has the run these lines record ended for good (finished, or closed by a later run)?
fn ended(lines: &[Line]) -> bool {
    lines
        .iter()
        .any(|l| matches!(l.event, Event::RunFinished { .. } | Event::RunClosed { .. }))
}

/// Every run of `plan` that has not ended, newest first, with its lines.
pub fn unended(root: &Path, plan: &str) -> Result<Vec<(PathBuf, Vec<Line>)>, Error> {
    Ok(runs_of(root, plan)?
        .filter(|(_, lines)| !ended(lines))
        .collect())
}

/// Does the journal in `dir` start a run of `plan`?
fn first_line_is_of(dir: &Path, plan: &str) -> bool {
    use std::io::BufRead;
    let Ok(f) = File::open(dir.join("events.jsonl")) else {
        return false;
    };
    let mut first = String::new();
    if std::io::BufReader::new(f).read_line(&mut first).is_err() {
        return false;
    }
    serde_json::from_str::<Line>(first.trim_end())
        .is_ok_and(|l| matches!(&l.event, Event::RunStarted { plan: p, .. } if p == plan))
}

/// `20261121T101500.123Z-k3x9qa`: sorts by time, never collides.
pub fn new_id() -> String {
    let t = now_precise();
    let compact: String = t[..23].chars().filter(|c| *c != '-' && *c != ':').collect();
    format!("{compact}Z-{}", crate::clock::suffix())
}

/// The current UTC time to the millisecond, `2026-11-21T10:15:00.123Z`, for run ids.
fn now_precise() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (date, _) = crate::clock::civil(d.as_secs());
    let s = d.as_secs() % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(event: Event) -> Line {
        Line {
            version: VERSION,
            at: crate::clock::rfc3339(),
            event,
        }
    }

    fn started(plan: &str) -> Line {
        line(Event::RunStarted {
            run: "r".into(),
            plan: plan.into(),
            options: Options::default(),
            steps: vec!["1".into()],
            resumed: None,
        })
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_the_run_is_resumable() {
        let root = tempfile::tempdir().unwrap();
        let dir = runs_dir(root.path()).join(new_id());
        let mut w = Writer::open(&dir).unwrap();
        w.write(&started("spec/plans/p/README.md")).unwrap();
        w.write(&line(Event::StepFinished {
            step: "1".into(),
            title: "One".into(),
            outcome: Outcome::Passed,
            attempts: 1,
            duration_ms: 3,
            reason: String::new(),
        }))
        .unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.join("events.jsonl"))
            .unwrap();
        f.write_all(br#"{"version":1,"at":"x","event":"step_sta"#)
            .unwrap();
        drop(w);
        let lines = read(&dir).unwrap();
        assert_eq!(lines.len(), 2);
        let (found, _) = interrupted(root.path(), "spec/plans/p/README.md")
            .unwrap()
            .expect("resumable");
        assert_eq!(found, dir);
        assert!(
            interrupted(root.path(), "spec/plans/other/README.md")
                .unwrap()
                .is_none()
        );
        // Resuming opens the journal again.
        let mut w = Writer::open(&dir).unwrap();
        w.write(&line(Event::RunFinished {
            run: "r".into(),
            summary: Summary::default(),
            exit_code: 0,
        }))
        .unwrap();
        // The torn line now sits in the middle; the finish after it still counts.
        assert!(
            interrupted(root.path(), "spec/plans/p/README.md")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn ids_sort_by_time() {
        let a = new_id();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let b = new_id();
        assert!(a < b, "{a} {b}");
        assert_eq!(a.len(), "20261121T101500.123Z-k3x9qa".len());
    }
}
