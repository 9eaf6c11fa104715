//! A plan's progress as the plan itself records it, for plans without work items: an
//! ExecPlan's Progress checkboxes, or the done state and status of each task in the formats
//! that keep one (spec-kit and Kiro `[x]`, Taskmaster and Beads `status`).

use crate::model::{Plan, PlanKind};
use serde::Serialize;

/// Where a plan's own progress was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The `- [x]` / `- [ ]` entries of the Progress section.
    ProgressCheckboxes,
    /// Each task's `[x]` checkbox (spec-kit, Kiro).
    TaskCheckboxes,
    /// Each task's `status` (Taskmaster, Beads).
    TaskStatus,
}

impl Source {
    /// How the source reads in a sentence: "from its Progress checkboxes".
    pub fn describe(self) -> &'static str {
        match self {
            Source::ProgressCheckboxes => "its Progress checkboxes",
            Source::TaskCheckboxes => "its tasks' checkboxes",
            Source::TaskStatus => "its tasks' status",
        }
    }
}

/// What a plan says of its own progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Own {
    pub source: Source,
    pub total: usize,
    pub done: usize,
    pub in_progress: usize,
    pub cancelled: usize,
    /// The time of the newest dated Progress entry, as ISO 8601.
    pub last: Option<String>,
}

/// Where one task stands by the plan's own record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Open,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

/// A task's state from its `[x]` or its `status`; `None` for a step that records none.
pub fn task_state(step: &crate::model::Step, src: &str) -> Option<TaskState> {
    let done = step.done?;
    let status = step
        .field("status")
        .map(|f| crate::text::normalize_name(f.value.text(src).trim_matches(['"', ' '])))
        .unwrap_or_default();
    Some(match status.as_str() {
        "cancelled" | "canceled" => TaskState::Cancelled,
        "in progress" | "inprogress" | "active" | "doing" | "review" => TaskState::InProgress,
        "blocked" | "deferred" => TaskState::Blocked,
        _ if done => TaskState::Done,
        _ => TaskState::Open,
    })
}

/// The plan's own record of its progress; `None` when it keeps none.
pub fn own(plan: &Plan, src: &str) -> Option<Own> {
    if !plan.progress.is_empty() {
        let last = plan
            .progress
            .iter()
            .filter_map(|p| p.timestamp.as_ref())
            .max_by_key(|t| (t.year, t.month, t.day, t.time))
            .map(crate::time::Timestamp::iso);
        return Some(Own {
            source: Source::ProgressCheckboxes,
            total: plan.progress.len(),
            done: plan.progress.iter().filter(|p| p.done).count(),
            in_progress: 0,
            cancelled: 0,
            last,
        });
    }
    let tasks: Vec<_> = plan.steps.iter().filter(|s| s.done.is_some()).collect();
    if tasks.is_empty() {
        return None;
    }
    let source = match plan.kind {
        PlanKind::Taskmaster | PlanKind::Beads => Source::TaskStatus,
        _ => Source::TaskCheckboxes,
    };
    let states: Vec<TaskState> = tasks.iter().filter_map(|s| task_state(s, src)).collect();
    let count = |want: TaskState| states.iter().filter(|&&s| s == want).count();
    let cancelled = count(TaskState::Cancelled);
    let in_progress = count(TaskState::InProgress);
    Some(Own {
        source,
        total: tasks.len() - cancelled,
        done: tasks
            .iter()
            .filter(|s| s.done == Some(true) && task_state(s, src) != Some(TaskState::Cancelled))
            .count(),
        in_progress,
        cancelled,
        last: None,
    })
}
