//! Writing down what happens in a run: the journal first, then the work item and the
//! plan's Progress, then the display.

use std::collections::HashMap;
use std::path::Path;

use planwright_core::edit::apply;
use planwright_core::model::{Plan, SectionKind};

use super::StepResult;
use super::display::Display;
use super::journal::{self, Event, Line, Outcome};
use super::step::millis;
use crate::duration::human_duration;
use crate::error::Error;
use crate::work::{Event as ItemEvent, Item, ItemStatus, Store, Verification};
use crate::workspace::refuse;

/// Writes what happens: the journal first, then the work item and the plan's Progress, then
/// the display.
pub(super) struct Recorder<'a, 'o> {
    pub(super) root: &'a Path,
    pub(super) rel: &'a str,
    pub(super) run_id: &'a str,
    pub(super) actor: &'a str,
    pub(super) store: &'a Store,
    pub(super) items: &'a HashMap<String, Item>,
    pub(super) journal: &'a mut journal::Writer,
    pub(super) display: Display<'o>,
    /// The plan is Markdown: its Progress section can take entries.
    pub(super) markdown: bool,
    pub(super) deps: &'a [Vec<usize>],
    /// Progress entries not yet in the plan, and when the plan was last written: the plan is
    /// rewritten at most every [`PROGRESS_EVERY`] (and at the end), not once per step, which
    /// made a run of thousands of steps quadratic (each write reads and parses the whole plan).
    pub(super) pending: Vec<String>,
    pub(super) written: std::time::Instant,
}

/// How often a run writes its Progress entries into the plan, at most.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

impl Drop for Recorder<'_, '_> {
    fn drop(&mut self) {
        // A run that stopped on an error still leaves its entries in the plan.
        let _ = self.flush_progress();
    }
}

impl Recorder<'_, '_> {
    pub(super) fn emit(&mut self, event: Event) -> Result<(), Error> {
        let line = Line {
            version: journal::VERSION,
            at: crate::clock::rfc3339(),
            event,
        };
        self.journal.write(&line)?;
        self.display.show(&line);
        Ok(())
    }

    pub(super) fn item_event(&self, step: &str, e: ItemEvent) -> Result<(), Error> {
        match self.items.get(step) {
            Some(item) => self.store.record(&item.id, &e),
            None => Ok(()),
        }
    }

    pub(super) fn started(&mut self, step: &str, title: &str) -> Result<(), Error> {
        self.item_event(
            step,
            ItemEvent {
                at: crate::clock::rfc3339(),
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
    pub(super) fn finished(&mut self, plan: &Plan, k: usize, r: &StepResult) -> Result<(), Error> {
        let s = &plan.steps[k];
        let at = crate::clock::rfc3339();
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
    pub(super) fn unblock_dependents(&self, plan: &Plan, k: usize) -> Result<(), Error> {
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
                        at: crate::clock::rfc3339(),
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

    /// A timestamped line for the plan's Progress section (outside the freeze), written with
    /// the others pending once [`PROGRESS_EVERY`] has passed.
    pub(super) fn progress_entry(&mut self, step: &str, r: &StepResult) -> Result<(), Error> {
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
        self.pending.push(format!("- {text}\n"));
        if self.written.elapsed() >= PROGRESS_EVERY {
            self.flush_progress()?;
        }
        Ok(())
    }

    /// Writes the pending Progress entries into the plan, in one edit.
    pub(super) fn flush_progress(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let entries: String = self.pending.concat();
        let path = crate::confine::resolve_rel(self.root, self.rel)?;
        let _lock = crate::write::lock(self.root)?;
        let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
        let edit = crate::living::edit(&src, &plan, SectionKind::Progress, "Progress", &entries);
        let new = apply(&src, &[edit]).map_err(|e| refuse(e.to_string()))?;
        crate::write::write_atomic(self.root, &path, &new)?;
        self.pending.clear();
        self.written = std::time::Instant::now();
        Ok(())
    }
}
