//! What `next` and `progress` derive from the items: readiness, the remaining critical
//! path, what each item unblocks, and per-plan and per-roadmap progress.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::{Item, ItemStatus, Store};
use crate::error::Error;
use crate::workspace::{Workspace, read};
use planwright_core::model::Plan;

/// Items per plan, with what `progress` and `next` derive from them.
pub struct Derived<'a> {
    pub items: &'a [Item],
    by_id: HashMap<&'a str, usize>,
    /// Items on their plan's remaining critical path.
    pub critical: Vec<bool>,
    /// How many open items wait on each item, directly or not.
    pub unblocks: Vec<usize>,
}

impl<'a> Derived<'a> {
    pub fn new(items: &'a [Item]) -> Derived<'a> {
        let by_id: HashMap<&str, usize> =
            items.iter().enumerate().map(|(k, i)| (&*i.id, k)).collect();
        let n = items.len();
        let deps: Vec<Vec<usize>> = items
            .iter()
            .map(|i| {
                i.depends_on
                    .iter()
                    .filter_map(|d| by_id.get(d.as_str()).copied())
                    .collect()
            })
            .collect();
        let open = |k: usize| !items[k].status.closed() && !items[k].superseded;
        // Topological order (Kahn); items in a cycle are left out.
        let mut indeg: Vec<usize> = deps.iter().map(Vec::len).collect();
        let mut rdeps: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (k, ds) in deps.iter().enumerate() {
            for &d in ds {
                rdeps[d].push(k);
            }
        }
        let mut order: Vec<usize> = (0..n).filter(|&k| indeg[k] == 0).collect();
        let mut head = 0;
        while head < order.len() {
            let k = order[head];
            head += 1;
            for &r in &rdeps[k] {
                indeg[r] -= 1;
                if indeg[r] == 0 {
                    order.push(r);
                }
            }
        }
        // Longest remaining path to each open item, per plan.
        let w = |k: usize| {
            if open(k) {
                items[k].weight.max(0.0)
            } else {
                0.0
            }
        };
        let mut to = vec![0f64; n];
        for &k in &order {
            let best = deps[k].iter().map(|&d| to[d]).fold(0f64, f64::max);
            to[k] = best + w(k);
        }
        // One remaining critical path per plan, as `planwright graph` draws one: from the item
        // where the longest remaining path ends, back through the earliest step that carries
        // it. (Marking every item on some longest path listed parallel branches as one path.)
        let mut ends: HashMap<&str, usize> = HashMap::new();
        for &k in &order {
            let e = ends.entry(items[k].plan.as_str()).or_insert(k);
            if to[k] > to[*e] + 1e-9 {
                *e = k;
            }
        }
        let mut critical = vec![false; n];
        for &end in ends.values() {
            if to[end] <= 0.0 {
                continue;
            }
            let mut k = end;
            loop {
                critical[k] = open(k);
                let need = to[k] - w(k);
                if need <= 1e-9 {
                    break;
                }
                let Some(&d) = deps[k]
                    .iter()
                    .filter(|&&d| (to[d] - need).abs() < 1e-9)
                    .min_by_key(|&&d| items[d].order)
                else {
                    break;
                };
                k = d;
            }
        }
        // Open items downstream of each item.
        let mut unblocks = vec![0usize; n];
        let mut seen = vec![usize::MAX; n];
        for k in 0..n {
            if !open(k) || rdeps[k].is_empty() {
                continue;
            }
            let mut stack: Vec<usize> = rdeps[k].clone();
            let mut count = 0;
            while let Some(r) = stack.pop() {
                if seen[r] == k {
                    continue;
                }
                seen[r] = k;
                if open(r) {
                    count += 1;
                }
                stack.extend(&rdeps[r]);
            }
            unblocks[k] = count;
        }
        Derived {
            items,
            by_id,
            critical,
            unblocks,
        }
    }

    /// Todo items whose dependencies are all closed, in plans still live.
    pub fn ready(&self, k: usize) -> bool {
        let i = &self.items[k];
        i.status == ItemStatus::Todo
            && !i.superseded
            && i.depends_on.iter().all(|d| {
                self.by_id
                    .get(d.as_str())
                    .is_none_or(|&j| self.items[j].status.closed())
            })
    }
}

pub(crate) fn impact_rank(s: &str) -> u8 {
    match s.to_ascii_lowercase().as_str() {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

pub(crate) fn effort_rank(s: &str) -> u8 {
    match s.to_ascii_uppercase().as_str() {
        "XS" => 1,
        "S" => 2,
        "M" => 3,
        "L" => 4,
        "XL" => 5,
        _ => 3,
    }
}

/// A ready item and why it ranks where it does.
#[derive(Debug, Serialize)]
pub struct Next {
    pub id: String,
    pub title: String,
    pub plan: String,
    pub critical_path: bool,
    pub unblocks: usize,
    pub impact: String,
    pub effort: String,
    pub reason: String,
    /// `work_item`, or `plan` for a task of a plan without work items, ready by the plan's
    /// own record of its tasks.
    pub source: &'static str,
}

/// Why nothing (or only some of the work) is ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
    /// There are no work items at all.
    NoItems,
    /// Every item belongs to a superseded plan.
    AllSuperseded,
    /// Every live item is done or cancelled (how many there are).
    AllClosed(usize),
    /// Open items exist, but none is ready: in progress, blocked or waiting.
    Waiting,
    /// Some items are ready.
    Ready,
}

/// The repository's ready work, ranked (at most `limit` items), and what the queue looks like.
pub fn ready_work(ws: &Workspace, limit: usize) -> Result<(Vec<Next>, Queue), Error> {
    let items = crate::work::Store::new(&ws.root, &ws.config).load()?;
    let mut rows = next(&items, limit);
    let from_items = rows.len();
    // Then the plans without work items that record their own tasks' state.
    let with_items: std::collections::HashSet<&str> =
        items.iter().map(|i| i.plan.as_str()).collect();
    let m = crate::discover::Matcher::new(&ws.config)?;
    for t in crate::discover::discover(&ws.root, &m) {
        if rows.len() >= limit {
            break;
        }
        // Only the task formats record a state per task.
        use planwright_core::KindHint::{Beads, Kiro, SpecKit, Taskmaster};
        if with_items.contains(t.rel.as_str())
            || !matches!(t.hint, SpecKit | Kiro | Taskmaster | Beads)
        {
            continue;
        }
        let Ok(src) = std::fs::read_to_string(&t.abs) else {
            continue;
        };
        let plan = planwright_core::read(&src, t.hint);
        let left = limit - rows.len();
        rows.extend(ready_in_plan(&t.rel, &plan, &src).into_iter().take(left));
    }
    let live = items.iter().filter(|i| !i.superseded).count();
    let closed = items
        .iter()
        .filter(|i| !i.superseded && i.status.closed())
        .count();
    let queue = if live == 0 && !items.is_empty() {
        Queue::AllSuperseded
    } else if live == 0 {
        Queue::NoItems
    } else if closed == live {
        Queue::AllClosed(live)
    } else if from_items == 0 {
        Queue::Waiting
    } else {
        Queue::Ready
    };
    Ok((rows, queue))
}

/// The tasks of a plan without work items that are not done by the plan's own record and
/// whose dependencies are, in plan order (formats that keep a done state per task: spec-kit,
/// Kiro, Taskmaster, Beads).
pub fn ready_in_plan(rel: &str, plan: &Plan, src: &str) -> Vec<Next> {
    let Some(own) = planwright_core::progress::own(plan, src) else {
        return Vec::new();
    };
    if own.source == planwright_core::progress::Source::ProgressCheckboxes {
        return Vec::new();
    }
    use planwright_core::progress::{TaskState, task_state};
    let deps = planwright_core::graph::effective_dependencies(plan);
    // Each task's state once; then which tasks still have an open sub-task.
    let state: Vec<Option<TaskState>> = plan.steps.iter().map(|s| task_state(s, src)).collect();
    let closed = |k: usize| matches!(state[k], Some(TaskState::Done | TaskState::Cancelled));
    let mut open_sub = vec![false; plan.steps.len()];
    for (c, s) in plan.steps.iter().enumerate() {
        if let Some(p) = s.parent
            && !closed(c)
        {
            open_sub[p] = true;
        }
    }
    let name = crate::discover::slug_of(rel).unwrap_or_else(|| rel.to_owned());
    // Open, with what it waits for closed, and no open sub-task of its own (those come first).
    (0..plan.steps.len())
        .filter(|&k| state[k] == Some(TaskState::Open))
        .filter(|&k| deps[k].iter().all(|&d| closed(d)))
        .filter(|&k| !open_sub[k])
        .map(|k| {
            let s = &plan.steps[k];
            Next {
                id: format!("{name}#{}", s.id),
                title: s.title.value.clone(),
                plan: rel.to_owned(),
                critical_path: false,
                unblocks: 0,
                impact: String::new(),
                effort: String::new(),
                reason: format!(
                    "open by {}, and every task it waits for is done",
                    own.source.describe()
                ),
                source: "plan",
            }
        })
        .collect()
}

/// Ready work, ranked: critical path, then what it unblocks, then impact over effort, then
/// plan and step order.
pub fn next(items: &[Item], limit: usize) -> Vec<Next> {
    let d = Derived::new(items);
    let mut ready: Vec<usize> = (0..items.len()).filter(|&k| d.ready(k)).collect();
    let key = |k: usize| {
        let i = &items[k];
        (
            std::cmp::Reverse(d.critical[k]),
            std::cmp::Reverse(d.unblocks[k]),
            std::cmp::Reverse(impact_rank(&i.impact) * 8 / effort_rank(&i.effort)),
            i.plan.as_str(),
            i.order,
            &*i.id,
        )
    };
    if limit < ready.len() {
        ready.select_nth_unstable_by_key(limit, |&k| key(k));
        ready.truncate(limit);
    }
    ready.sort_by_key(|&k| key(k));
    ready
        .into_iter()
        .map(|k| {
            let i = &items[k];
            let mut why = Vec::new();
            if d.critical[k] {
                why.push("on the critical path".to_owned());
            }
            match d.unblocks[k] {
                0 => {}
                1 => why.push("unblocks 1 item".to_owned()),
                n => why.push(format!("unblocks {n} items")),
            }
            if !i.impact.is_empty() {
                why.push(format!(
                    "{} impact, {} effort",
                    i.impact,
                    if i.effort.is_empty() { "-" } else { &i.effort }
                ));
            }
            if why.is_empty() {
                why.push("ready: its dependencies are done".to_owned());
            }
            Next {
                id: i.id.clone(),
                title: i.title.clone(),
                plan: i.plan.clone(),
                critical_path: d.critical[k],
                unblocks: d.unblocks[k],
                impact: i.impact.clone(),
                effort: i.effort.clone(),
                reason: why.join("; "),
                source: "work_item",
            }
        })
        .collect()
}

/// Per-plan progress, derived from its items.
#[derive(Debug, Serialize)]
pub struct Progress {
    pub plan: String,
    /// `plan`, or `roadmap` for a row summed over a roadmap's child plans.
    pub kind: &'static str,
    /// A roadmap's child plans with items (empty for a plan).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    pub steps: usize,
    pub done: usize,
    pub in_progress: usize,
    pub blocked: usize,
    pub cancelled: usize,
    /// Open items on the critical path, in order.
    pub critical_remaining: Vec<String>,
    pub summary: String,
    /// Where the counts come from: `work_items`, or, for a plan without items, what the plan
    /// itself records (`progress_checkboxes`, `task_checkboxes`, `task_status`).
    pub source: &'static str,
}

pub fn progress(items: &[Item]) -> Vec<Progress> {
    let d = Derived::new(items);
    let mut plans: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, i) in items.iter().enumerate() {
        if !i.superseded {
            plans.entry(i.plan.as_str()).or_default().push(k);
        }
    }
    plans
        .into_iter()
        .map(|(plan, ks)| {
            // Steps are generated items without an ad-hoc suffix and without a parent step.
            let steps: Vec<usize> = ks
                .iter()
                .copied()
                .filter(|&k| items[k].parent.is_none())
                .collect();
            let count = |s: ItemStatus| steps.iter().filter(|&&k| items[k].status == s).count();
            let (done, in_progress, blocked, cancelled) = (
                count(ItemStatus::Done),
                count(ItemStatus::InProgress),
                ks.iter()
                    .filter(|&&k| items[k].status == ItemStatus::Blocked)
                    .count(),
                count(ItemStatus::Cancelled),
            );
            let mut crit: Vec<usize> = ks.iter().copied().filter(|&k| d.critical[k]).collect();
            crit.sort_by_key(|&k| items[k].order);
            let total = steps.len() - cancelled;
            let mut summary = format!("{done}/{total} steps done");
            summary.push_str(&state_words(in_progress, blocked));
            Progress {
                plan: plan.to_owned(),
                kind: "plan",
                children: Vec::new(),
                steps: total,
                done,
                in_progress,
                blocked,
                cancelled,
                critical_remaining: crit.iter().map(|&k| items[k].id.clone()).collect(),
                summary,
                source: "work_items",
            }
        })
        .collect()
}

/// A row for a plan without work items, from what the plan itself records; `None` when it
/// records nothing.
pub fn own_progress(rel: &str, plan: &Plan, src: &str) -> Option<Progress> {
    use planwright_core::progress::Source;
    let own = planwright_core::progress::own(plan, src)?;
    let what = if own.source == Source::ProgressCheckboxes {
        "done"
    } else {
        "tasks done"
    };
    let mut summary = format!("{}/{} {what}", own.done, own.total);
    if own.in_progress > 0 {
        summary.push_str(&format!(", {} in progress", own.in_progress));
    }
    summary.push_str(&format!(" (from {}", own.source.describe()));
    if let Some(last) = &own.last {
        summary.push_str(&format!("; last entry {last}"));
    }
    summary.push(')');
    Some(Progress {
        plan: rel.to_owned(),
        kind: "plan",
        children: Vec::new(),
        steps: own.total,
        done: own.done,
        in_progress: own.in_progress,
        blocked: 0,
        cancelled: own.cancelled,
        critical_remaining: Vec::new(),
        summary,
        source: match own.source {
            Source::ProgressCheckboxes => "progress_checkboxes",
            Source::TaskCheckboxes => "task_checkboxes",
            Source::TaskStatus => "task_status",
        },
    })
}

/// `, 2 in progress, no blockers` (seed 003's What's Next wording).
fn state_words(in_progress: usize, blocked: usize) -> String {
    let mut s = String::new();
    if in_progress > 0 {
        s.push_str(&format!(", {in_progress} in progress"));
    }
    s.push_str(&match blocked {
        0 => ", no blockers".to_owned(),
        1 => ", 1 blocked".to_owned(),
        n => format!(", {n} blocked"),
    });
    s
}

/// `planwright progress [PLAN]`: a row per plan, and a row per roadmap summed over its child
/// plans (those in its folder and those its Child Plans table names). Only the roadmaps'
/// own files are read, besides the items.
pub fn progress_report(ws: &Workspace, plan: Option<&str>) -> Result<Vec<Progress>, Error> {
    let store = Store::new(&ws.root, &ws.config);
    let items = match plan {
        None => store.load()?,
        Some(arg) => {
            let t = ws.resolve(arg)?;
            let slug = crate::discover::slug_of(&t.rel);
            let (src, p) = read(&t)?;
            let Some(slug) = slug else {
                // Not under spec/plans/: no work items, only what the plan records.
                return Ok(own_progress(&t.rel, &p, &src).into_iter().collect());
            };
            if p.kind == planwright_core::model::PlanKind::Roadmap {
                // Its folder holds the nested children; the table may name others.
                let mut items = store.load_in(&store.dir.join(&slug))?;
                let named: Vec<String> = crate::views::summarize(&t.rel, &src, &p)
                    .map(|s| s.children().map(str::to_owned).collect())
                    .unwrap_or_default();
                for c in named {
                    if !c.starts_with(&format!("{slug}/")) {
                        items.extend(store.load_plan(&c, &format!("spec/plans/{c}/README.md"))?);
                    }
                }
                items
            } else {
                store.load_plan(&slug, &t.rel)?
            }
        }
    };
    let mut rows = progress(&items);
    // Plans without work items report what they record themselves.
    let with_items: std::collections::HashSet<&str> =
        items.iter().map(|i| i.plan.as_str()).collect();
    let targets = match plan {
        None => {
            let m = crate::discover::Matcher::new(&ws.config)?;
            crate::discover::discover(&ws.root, &m)
        }
        Some(arg) => vec![ws.resolve(arg)?],
    };
    let mut own = Vec::new();
    for t in targets
        .iter()
        .filter(|t| !with_items.contains(t.rel.as_str()))
    {
        let Ok(src) = std::fs::read_to_string(&t.abs) else {
            continue;
        };
        let p = planwright_core::read(&src, t.hint);
        own.extend(own_progress(&t.rel, &p, &src));
    }
    // Roadmaps sum their children's work items only: checkboxes are not steps.
    let roadmaps = roadmap_rows(&ws.root, &rows);
    rows.extend(roadmaps);
    rows.extend(own);
    rows.sort_by(|a, b| a.plan.cmp(&b.plan));
    Ok(rows)
}

/// Rows for the roadmaps above the plans of `rows`.
fn roadmap_rows(root: &Path, rows: &[Progress]) -> Vec<Progress> {
    let index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.plan.as_str(), i))
        .collect();
    // Candidates: the folders plans are nested in.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(slug) = crate::discover::slug_of(&r.plan) else {
            continue;
        };
        if let Some((parent, _)) = slug.rsplit_once('/') {
            groups
                .entry(format!("spec/plans/{parent}/README.md"))
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    for (rel, mut kids) in groups {
        let Ok(src) = crate::confine::read_to_string(root, Path::new(&rel)) else {
            continue;
        };
        let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
        if plan.kind != planwright_core::model::PlanKind::Roadmap {
            continue;
        }
        // The table's order first, then the rest of the folder. A child without items yet
        // counts as a plan not done.
        let listed: Vec<String> = crate::views::summarize(&rel, &src, &plan)
            .map(|s| {
                s.children()
                    .map(|c| format!("spec/plans/{c}/README.md"))
                    .collect()
            })
            .unwrap_or_default();
        let named: Vec<usize> = listed
            .iter()
            .filter_map(|c| index.get(c.as_str()).copied())
            .collect();
        let without_items: Vec<String> = listed
            .iter()
            .filter(|c| !index.contains_key(c.as_str()))
            .cloned()
            .collect();
        kids.retain(|k| !named.contains(k));
        let kids: Vec<usize> = named.into_iter().chain(kids).collect();
        let sum = |f: fn(&Progress) -> usize| kids.iter().map(|&k| f(&rows[k])).sum::<usize>();
        let (steps, done, in_progress, blocked, cancelled) = (
            sum(|r| r.steps),
            sum(|r| r.done),
            sum(|r| r.in_progress),
            sum(|r| r.blocked),
            sum(|r| r.cancelled),
        );
        let plans_done = kids
            .iter()
            .filter(|&&k| rows[k].steps > 0 && rows[k].done == rows[k].steps)
            .count();
        let mut summary = format!(
            "{plans_done}/{} plans done, {done}/{steps} steps done",
            kids.len() + without_items.len()
        );
        if !without_items.is_empty() {
            summary.push_str(&format!(", {} without items yet", without_items.len()));
        }
        summary.push_str(&state_words(in_progress, blocked));
        out.push(Progress {
            plan: rel,
            kind: "roadmap",
            children: kids
                .iter()
                .map(|&k| rows[k].plan.clone())
                .chain(without_items)
                .collect(),
            steps,
            done,
            in_progress,
            blocked,
            cancelled,
            // What remains, child by child in the roadmap's order.
            critical_remaining: kids
                .iter()
                .flat_map(|&k| rows[k].critical_remaining.iter().cloned())
                .collect(),
            summary,
            source: "work_items",
        });
    }
    out
}
