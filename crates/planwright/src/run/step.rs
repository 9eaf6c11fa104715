//! One step on its worker thread: the agent with a fresh prompt, then the Verify commands,
//! again with the failure in the prompt up to the retries.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::journal::{Event, Kind, Outcome};
use super::{Msg, STOP, Shared, StepResult, proc, prompt};
use crate::work::Evidence;

pub(super) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Runs one step: the agent (if any) with a fresh prompt, then the Verify commands; on a
/// failure, again with the failure in the prompt, up to the retries.
pub(super) fn work_step(
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
    // Each Verify command, and the output the plan says it prints.
    let verify: Vec<(String, Option<&str>)> = step
        .verify
        .iter()
        .map(|c| (c.text.clone(), c.expected.map(|e| e.text(sh.src))))
        .collect();
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
        for (cmd, expected) in &verify {
            let before = std::fs::metadata(&log).map_or(0, |m| m.len());
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
            if let Some(expected) = expected
                && let Err(m) =
                    planwright_core::expect::check(expected, &output_since(&log, before))
            {
                failure = Some(prompt::Failure {
                    attempt,
                    attempts,
                    command: cmd.clone(),
                    how: format!(
                        "exited with 0 but did not print what the plan expects (each expected line, in order):\n{}",
                        m.diff().trim_end()
                    ),
                    tail: out.tail,
                });
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

/// What a command appended to the step's log from `from` on, without the `$ command` line
/// that heads it.
fn output_since(log: &Path, from: u64) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(log)
        && f.seek(SeekFrom::Start(from)).is_ok()
    {
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    match text.split_once('\n') {
        Some((_, rest)) => rest.to_owned(),
        None => String::new(),
    }
}

/// A step id as a file name.
pub(super) fn file_safe(id: &str) -> String {
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
