//! What a run shows as it goes: a live display on a terminal (indicatif), plain lines when
//! the output is not a terminal, JSON lines (the journal's own) under `--format json`. All
//! three are drawn from the same journal events.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::journal::{Event, Kind, Line, Outcome, Summary};
use crate::duration::human_duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Json,
    Plain,
    Live,
}

pub struct Display<'a> {
    mode: Mode,
    out: &'a mut dyn Write,
    live: Option<Live>,
}

struct Live {
    multi: MultiProgress,
    overall: ProgressBar,
    running: HashMap<String, ProgressBar>,
}

impl<'a> Display<'a> {
    pub fn new(mode: Mode, out: &'a mut dyn Write) -> Display<'a> {
        Display {
            mode,
            out,
            live: None,
        }
    }

    /// Shows one event.
    pub fn show(&mut self, l: &Line) {
        match self.mode {
            Mode::Json => {
                if serde_json::to_writer(&mut *self.out, l).is_ok() {
                    let _ = writeln!(self.out);
                    let _ = self.out.flush();
                }
            }
            Mode::Plain => {
                if let Some(t) = text(&l.event) {
                    let _ = writeln!(self.out, "{t}");
                    let _ = self.out.flush();
                }
            }
            Mode::Live => self.live(&l.event),
        }
    }

    fn live(&mut self, e: &Event) {
        if let Event::RunStarted { steps, .. } = e
            && self.live.is_none()
        {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let overall = multi.add(ProgressBar::new(steps.len() as u64));
            overall.set_style(
                ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} steps {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            overall.enable_steady_tick(Duration::from_millis(100));
            self.live = Some(Live {
                multi,
                overall,
                running: HashMap::new(),
            });
        }
        let Some(live) = &mut self.live else {
            if let Some(t) = text(e) {
                let _ = writeln!(self.out, "{t}");
            }
            return;
        };
        match e {
            Event::StepStarted { step, title } => {
                let pb = live
                    .multi
                    .insert_before(&live.overall, ProgressBar::new_spinner());
                pb.set_style(
                    ProgressStyle::with_template("  {spinner} {msg} {elapsed:.dim}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                pb.set_message(format!("{step}. {title}"));
                pb.enable_steady_tick(Duration::from_millis(100));
                live.running.insert(step.clone(), pb);
            }
            Event::ProcessStarted {
                step,
                attempt,
                kind,
                command,
                ..
            } => {
                if let Some(pb) = live.running.get(step) {
                    let what = match kind {
                        Kind::Agent => "agent".to_owned(),
                        Kind::Verify => format!("`{}`", one_line(command, 50)),
                    };
                    let again = if *attempt > 1 {
                        format!(", attempt {attempt}")
                    } else {
                        String::new()
                    };
                    pb.set_message(format!("{step}: {what}{again}"));
                }
            }
            Event::StepFinished { step, .. } => {
                if let Some(pb) = live.running.remove(step) {
                    pb.finish_and_clear();
                    live.multi.remove(&pb);
                }
                live.overall.inc(1);
                if let Some(t) = text(e) {
                    let _ = live.multi.println(t);
                }
            }
            Event::RunFinished { .. } | Event::RunInterrupted { .. } => {
                for (_, pb) in live.running.drain() {
                    pb.finish_and_clear();
                }
                live.overall.finish_and_clear();
                let _ = live.multi.clear();
                if let Some(t) = text(e) {
                    let _ = writeln!(self.out, "{t}");
                }
            }
            other => {
                if let Some(t) = text(other) {
                    let _ = live.multi.println(t);
                }
            }
        }
    }
}

fn one_line(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max - 1).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// The plain line (or lines) for an event; `None` for events only machines need.
pub fn text(e: &Event) -> Option<String> {
    Some(match e {
        Event::RunStarted {
            run,
            plan,
            options,
            steps,
            resumed,
        } => {
            let agent = options
                .agent
                .as_ref()
                .map_or("no agent".to_owned(), |a| format!("agent `{a}`"));
            let verb = if resumed.is_some() {
                "resuming run"
            } else {
                "run"
            };
            format!(
                "{verb} {run} of {plan}: {} step{} to run, up to {} at once, {agent}",
                steps.len(),
                if steps.len() == 1 { "" } else { "s" },
                options.jobs
            )
        }
        Event::StepStarted { step, title } => format!("start      {step}. {title}"),
        Event::RunClosed { run, stopped, .. } => format!(
            "closed     run {run}, which never finished (its runner died or was stopped){}",
            match stopped {
                0 => String::new(),
                1 => "; stopped the 1 process group it left running".to_owned(),
                n => format!("; stopped the {n} process groups it left running"),
            }
        ),
        Event::ProcessStarted { .. } => return None,
        Event::CommandFinished {
            kind,
            command,
            exit_code,
            timed_out,
            duration_ms,
            output_tail,
            attempt,
            ..
        } => {
            let who = match kind {
                Kind::Agent => format!("agent `{}`", one_line(command, 60)),
                Kind::Verify => format!("`{}`", one_line(command, 60)),
            };
            let took = human_duration(Duration::from_millis(*duration_ms));
            let ok = *exit_code == Some(0) && !timed_out;
            if ok {
                return Some(format!("  ok       {who} ({took})"));
            }
            let how = if *timed_out {
                "timed out".to_owned()
            } else {
                exit_code.map_or("was killed".to_owned(), |c| format!("exited with {c}"))
            };
            let mut s = format!("  failed   {who} {how} ({took}, attempt {attempt})");
            let lines: Vec<&str> = output_tail.lines().collect();
            for l in &lines[lines.len().saturating_sub(8)..] {
                s.push_str("\n    | ");
                s.push_str(l);
            }
            s
        }
        Event::StepFinished {
            step,
            title,
            outcome,
            duration_ms,
            reason,
            ..
        } => {
            let took = if matches!(
                outcome,
                Outcome::Passed | Outcome::Failed | Outcome::Unverified
            ) {
                format!(" ({})", human_duration(Duration::from_millis(*duration_ms)))
            } else {
                String::new()
            };
            let why = if reason.is_empty() {
                String::new()
            } else {
                format!(": {reason}")
            };
            format!("{:<10} {step}. {title}{took}{why}", outcome.as_str())
        }
        Event::RunFinished { run, summary, .. } => {
            format!(
                "\n{}\njournal: .planwright/runs/{run}/",
                summary_text(summary)
            )
        }
        Event::RunInterrupted { run, summary } => format!(
            "\ninterrupted: {}\nresume with `planwright run PLAN --resume` (journal: .planwright/runs/{run}/)",
            summary_text(summary)
        ),
    })
}

/// `3 passed, 1 failed, 2 blocked in 4.2 s`.
pub fn summary_text(s: &Summary) -> String {
    let parts: Vec<String> = [
        (s.passed, "passed"),
        (s.unverified, "unverified"),
        (s.failed, "failed"),
        (s.blocked, "blocked"),
        (s.skipped, "skipped"),
        (s.interrupted, "interrupted"),
        (s.already_done, "already done"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    let body = if parts.is_empty() {
        "nothing to run".to_owned()
    } else {
        parts.join(", ")
    };
    format!(
        "{body} in {}",
        human_duration(Duration::from_millis(s.duration_ms))
    )
}
