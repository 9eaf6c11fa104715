//! Work items under `[work] dir` (default `.planwright/work`), made from an approved plan's
//! steps, changed by `planwright work …`, and read by `progress` and `next`.
//!
//! Storage is append-only so that branches merge without conflicts: an item is one TOML file
//! that never changes once written (`add-batch-mode/2.1.toml` for `add-batch-mode#2.1`: two
//! branches that generate the same plan write the same bytes, which git merges), and every
//! change to it is a new file of its own (`add-batch-mode/2.1.events/<time>-<random>.toml`).
//! An item's state is its events applied in order. Ad-hoc items add a random suffix to their
//! step's id, so no counter is shared and nothing collides.

use serde::{Deserialize, Serialize};

mod fast;
mod items;
pub(crate) mod rank;
mod store;

pub use items::{Change, Moved, add, change, generate, items_of, verify};
pub(crate) use items::{entries, plan_items, trusted_text};
pub use rank::{
    Derived, Next, Progress, Queue, next, own_progress, progress, progress_report, ready_in_plan,
    ready_work,
};
pub use store::{Store, file_of};

/// Where an item stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    #[default]
    Todo,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Todo => "todo",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Blocked => "blocked",
            ItemStatus::Done => "done",
            ItemStatus::Cancelled => "cancelled",
        }
    }
    /// Done or cancelled: nothing waits for it any more.
    pub fn closed(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::Cancelled)
    }
}

/// One change to an item: when, by whom, what, and why; and what it sets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: String,
    pub by: String,
    pub what: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ItemStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub superseded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// The last verification of an item: its Verify commands, run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub at: String,
    pub by: String,
    pub passed: bool,
    /// `exit <code>: <command>` per command.
    pub results: Vec<String>,
    /// What `planwright run` saw of each command: exit code, duration, output tail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// One command of a verification, as `planwright run` ran it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub command: String,
    /// `None` when a signal ended it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub output_tail: String,
}

/// A work item, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// `plan-slug#step`, or `plan-slug#step.suffix` for an ad-hoc item.
    pub id: String,
    /// The plan file, relative to the root.
    pub plan: String,
    pub step: String,
    pub title: String,
    #[serde(default)]
    pub status: ItemStatus,
    /// For an ad-hoc item, or a sub-step: the item it belongs under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acceptance_criteria: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub produces: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The step's Estimate in hours, for the critical path (1 when absent).
    #[serde(default = "one")]
    pub weight: f64,
    /// The plan's Impact and Effort, for ranking.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub impact: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effort: String,
    /// Position of the step in its plan.
    #[serde(default)]
    pub order: usize,
    /// The plan was superseded: the item is kept as a record, never offered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub superseded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
    #[serde(default, rename = "event")]
    pub events: Vec<Event>,
}

fn one() -> f64 {
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, deps: &[&str], status: ItemStatus) -> Item {
        Item {
            id: format!("p#{id}"),
            plan: "spec/plans/p/README.md".into(),
            step: id.into(),
            title: format!("Step {id}"),
            status,
            parent: None,
            depends_on: deps.iter().map(|d| format!("p#{d}")).collect(),
            acceptance_criteria: vec![],
            produces: vec![],
            verify: vec![],
            assignee: None,
            weight: 1.0,
            impact: "high".into(),
            effort: "M".into(),
            order: id.parse().unwrap_or(0),
            superseded: false,
            verification: None,
            events: vec![],
        }
    }

    #[test]
    fn next_prefers_the_critical_path_then_what_unblocks_most() {
        use ItemStatus::*;
        // 1 → 2 → 3 → 4 is the long chain; 5 stands alone; 6 waits for 5.
        let items = vec![
            item("1", &[], Done),
            item("2", &["1"], Todo),
            item("3", &["2"], Todo),
            item("4", &["3"], Todo),
            item("5", &[], Todo),
            item("6", &["5"], Todo),
            item("7", &[], Todo),
        ];
        let n = next(&items, 10);
        let ids: Vec<&str> = n.iter().map(|x| &*x.id).collect();
        assert_eq!(ids, ["p#2", "p#5", "p#7"]);
        assert!(n[0].reason.contains("critical path") && n[0].reason.contains("unblocks 2"));
        assert_eq!(next(&items, 1).len(), 1);
        let p = progress(&items);
        assert_eq!(p[0].summary, "1/7 steps done, no blockers");
        assert_eq!(p[0].critical_remaining, ["p#2", "p#3", "p#4"]);
    }

    #[test]
    fn an_item_round_trips_through_toml() {
        let mut i = item("2", &["1"], ItemStatus::InProgress);
        i.events.push(Event {
            at: "2026-11-21 10:00Z".into(),
            by: "@sam".into(),
            what: "todo → in_progress".into(),
            status: Some(ItemStatus::InProgress),
            ..Event::default()
        });

        let text = toml::to_string(&i).expect("toml");
        let back: Item = toml::from_str(&text).expect("parse");
        assert_eq!(back, i);
        // planwright's own files take the fast way.
        let mut stored = toml::Table::try_from(&i).expect("table");
        stored.remove("event");
        assert_eq!(
            fast::item(&toml::to_string(&stored).expect("toml")).map(|f| f.id),
            Some(i.id.clone())
        );
        assert!(
            file_of("a/b#2.1").is_some() && file_of("a#../x").is_none() && file_of("x").is_none()
        );
    }
}
