//! Work items under `[work] dir` (default `.planwright/work`), made from an approved plan's
//! steps, changed by `planwright work …`, and read by `progress` and `next`.
//!
//! Storage is append-only so that branches merge without conflicts: an item is one TOML file
//! that never changes once written (`add-batch-mode/2.1.toml` for `add-batch-mode#2.1`: two
//! branches that generate the same plan write the same bytes, which git merges), and every
//! change to it is a new file of its own (`add-batch-mode/2.1.events/<time>-<random>.toml`).
//! An item's state is its events applied in order. Ad-hoc items add a random suffix to their
//! step's id, so no counter is shared and nothing collides.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use planwright_core::model::{Plan, Status};
use serde::{Deserialize, Serialize};

use crate::clock::{stamp, suffix};
use crate::error::Error;
use crate::git::actor;
use crate::workspace::{Ctx, read, refuse, resolve};

/// Where an item stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ValueEnum, Hash)]
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

/// The items read from one unit of work (a plan's folder), by the unit's position.
type UnitResult = (usize, Result<Vec<Item>, Error>);

/// The items of a repository, and where they live.
pub struct Store {
    pub dir: PathBuf,
    /// The repository root: every read and write of the store stays inside it.
    root: PathBuf,
}

/// The file of an item, relative to the store: `slug/step.toml`.
pub fn file_of(id: &str) -> Option<PathBuf> {
    let (slug, step) = id.split_once('#')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.split('/')
                .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'))
    };
    if !ok(slug) || !ok(step) || step.contains('/') {
        return None;
    }
    Some(PathBuf::from(slug).join(format!("{step}.toml")))
}

impl Store {
    pub fn new(root: &Path, cfg: &crate::config::Config) -> Store {
        Store {
            dir: root.join(&cfg.work_dir),
            root: root.to_path_buf(),
        }
    }

    /// Every item, sorted by id. A file that does not parse is an error naming it and the
    /// line.
    pub fn load(&self) -> Result<Vec<Item>, Error> {
        self.load_in(&self.dir)
    }

    /// The items of one plan: only its folder is read.
    pub fn load_plan(&self, slug: &str, rel: &str) -> Result<Vec<Item>, Error> {
        let mut items = self.load_in(&self.dir.join(slug))?;
        items.retain(|i| i.plan == rel);
        Ok(items)
    }

    pub(crate) fn load_in(&self, dir: &Path) -> Result<Vec<Item>, Error> {
        // The store (or a plan's folder in it) may be a link; it must stay inside the root.
        // Below it, the listing never follows links.
        crate::confine::resolve(&self.root, dir)?;
        // Units of work: the items right in `dir`, and each sub-folder (a plan's items) whole.
        // Listing folders is a large part of the cost, so the threads list as well as read.
        let mut top: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
        let mut units: Vec<PathBuf> = Vec::new();
        collect_level(dir, &mut top, &mut units);
        units.sort();
        let id_of = |p: &Path| {
            let rel = p.strip_prefix(&self.dir).unwrap_or(p).with_extension("");
            let rel = rel.to_string_lossy();
            match rel.rsplit_once(['/', '\\']) {
                Some((slug, step)) => format!("{}#{step}", slug.replace('\\', "/")),
                None => rel.into_owned(),
            }
        };
        // Sort the (small) paths into id order rather than the (large) items afterwards.
        let load_jobs = |jobs: Vec<(PathBuf, Vec<PathBuf>)>| -> Result<Vec<Item>, Error> {
            let mut keyed: Vec<(String, (PathBuf, Vec<PathBuf>))> =
                jobs.into_iter().map(|j| (id_of(&j.0), j)).collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            keyed
                .into_iter()
                .map(|(_, (f, evs))| {
                    let mut item = self.load_file(&f)?;
                    apply_events(&mut item, &evs)?;
                    Ok(item)
                })
                .collect()
        };
        let mut items = load_jobs(top)?;
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(units.len().div_ceil(16).max(1));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<Vec<UnitResult>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(unit) = units.get(k) else { break };
                            let mut jobs = Vec::new();
                            collect_items(unit, &mut jobs);
                            done.push((k, load_jobs(jobs)));
                        }
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![(0, Err(refuse("a reader thread panicked")))])
                })
                .collect()
        });
        let mut by_unit: Vec<UnitResult> = results.into_iter().flatten().collect();
        by_unit.sort_by_key(|(k, _)| *k);
        items.reserve(
            by_unit
                .iter()
                .map(|(_, r)| r.as_ref().map_or(0, Vec::len))
                .sum(),
        );
        for (_, r) in by_unit {
            items.extend(r?);
        }
        if !items.is_sorted_by(|a, b| a.id <= b.id) {
            items.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(items)
    }

    fn load_file(&self, f: &Path) -> Result<Item, Error> {
        let text = std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?;
        if let Some(item) = fast::item(&text) {
            return Ok(item);
        }
        toml::from_str(&text).map_err(|e| bad_toml(f, &text, &e))
    }

    pub fn get(&self, id: &str) -> Result<Item, Error> {
        let rel = file_of(id).ok_or_else(|| {
            refuse(format!(
                "`{id}` is not a work item id\n  help: ids look like `add-batch-mode#2.1`; `planwright work list` shows them"
            ))
        })?;
        let path = crate::confine::resolve(&self.root, &self.dir.join(rel))?;
        if !path.is_file() {
            return Err(refuse(format!(
                "no work item `{id}`\n  help: `planwright work list` shows the items; `planwright work generate PLAN` makes them"
            )));
        }
        let mut item = self.load_file(&path)?;
        let mut events = Vec::new();
        collect(&events_dir(&path), &mut events);
        apply_events(&mut item, &events)?;
        Ok(item)
    }

    /// Writes a new item. Its state lives in events, so the file never changes again.
    pub fn create(&self, item: &Item) -> Result<(), Error> {
        let rel = file_of(&item.id).ok_or_else(|| refuse(format!("bad item id `{}`", item.id)))?;
        let path = self.dir.join(rel);
        if let Some(d) = path.parent() {
            crate::confine::create_dir_all(&self.root, d)?;
        }
        let mut table = toml::Table::try_from(item).map_err(|e| refuse(e.to_string()))?;
        for k in ["status", "assignee", "superseded", "verification", "event"] {
            table.remove(k);
        }
        let text = toml::to_string(&table).map_err(|e| refuse(e.to_string()))?;
        crate::write::write_new(&self.root, &path, &text)
    }

    /// Records a change to an item as a file of its own.
    pub fn record(&self, id: &str, event: &Event) -> Result<(), Error> {
        let rel = file_of(id).ok_or_else(|| refuse(format!("bad item id `{id}`")))?;
        let dir = crate::confine::create_dir_all(&self.root, &events_dir(&self.dir.join(rel)))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = dir.join(format!("{nanos:020}-{}.toml", suffix()));
        let text = toml::to_string(event).map_err(|e| refuse(e.to_string()))?;
        crate::write::write_new(&self.root, &path, &text)
    }
}

/// An item's events, applied in time order (file names start with the time in nanoseconds).
fn apply_events(item: &mut Item, files: &[PathBuf]) -> Result<(), Error> {
    let mut files: Vec<&PathBuf> = files.iter().collect();
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?;
        let e: Event = match fast::event(&text) {
            Some(e) => e,
            None => toml::from_str(&text).map_err(|e| bad_toml(f, &text, &e))?,
        };
        if let Some(st) = e.status {
            item.status = st;
        }
        if let Some(a) = &e.assignee {
            item.assignee = Some(a.clone());
        }
        if e.superseded {
            item.superseded = true;
        }
        if let Some(v) = &e.verification {
            item.verification = Some(v.clone());
        }
        item.events.push(e);
    }
    Ok(())
}

/// `2.1.toml` → `2.1.events/`.
fn events_dir(item_file: &Path) -> PathBuf {
    item_file.with_extension("events")
}

fn bad_toml(f: &Path, text: &str, e: &toml::de::Error) -> Error {
    let line = e.span().map_or(1, |s| {
        text[..s.start.min(text.len())].matches('\n').count() + 1
    });
    Error::Usage(format!(
        "{}:{line}: not a work item: {}",
        f.display(),
        e.message()
    ))
}

/// Every item file under `dir` with its event files (`2.1.toml` and `2.1.events/*.toml` side
/// by side), one directory listing at a time.
fn collect_items(dir: &Path, out: &mut Vec<(PathBuf, Vec<PathBuf>)>) {
    let mut subdirs = Vec::new();
    collect_level(dir, out, &mut subdirs);
    for d in subdirs {
        collect_items(&d, out);
    }
}

/// The items right in `dir` with their event files; its other folders go to `subdirs`.
fn collect_level(dir: &Path, out: &mut Vec<(PathBuf, Vec<PathBuf>)>, subdirs: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut items: Vec<PathBuf> = Vec::new();
    let mut events: HashMap<std::ffi::OsString, Vec<PathBuf>> = HashMap::new();
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if p.extension().is_some_and(|x| x == "events") {
                let mut evs = Vec::new();
                collect(&p, &mut evs);
                let stem = p
                    .file_stem()
                    .map(std::ffi::OsStr::to_os_string)
                    .unwrap_or_default();
                events.insert(stem, evs);
            } else {
                subdirs.push(p);
            }
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "toml") {
            items.push(p);
        }
    }
    for f in items {
        let evs = f
            .file_stem()
            .and_then(|s| events.remove(s))
            .unwrap_or_default();
        out.push((f, evs));
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            collect(&p, out);
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

/// The items of the plan named by `plan` (slug or path), or every item.
pub fn items_of(cx: &Ctx<'_>, plan: Option<&str>) -> Result<Vec<Item>, Error> {
    let store = Store::new(cx.root, cx.cfg);
    let Some(arg) = plan else {
        return store.load();
    };
    let t = resolve(cx, arg)?;
    match crate::discover::slug_of(&t.rel) {
        Some(slug) => store.load_plan(&slug, &t.rel),
        None => Ok(Vec::new()),
    }
}

fn field_text(src: &str, plan: &Plan, name: &str) -> String {
    plan.field(name)
        .map(|f| f.inline.text(src).trim().to_owned())
        .unwrap_or_default()
}

pub(crate) fn entries(src: &str, step: &planwright_core::model::Step, name: &str) -> Vec<String> {
    step.field(name)
        .map(|f| {
            f.entries()
                .iter()
                .map(|i| i.span.text(src).trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// One item per step and sub-step of `plan`, as `work generate` writes them.
pub(crate) fn plan_items(
    rel: &str,
    src: &str,
    plan: &Plan,
    slug: &str,
) -> Result<Vec<Item>, Error> {
    let deps = planwright_core::graph::effective_dependencies(plan);
    let id_of = |k: usize| format!("{slug}#{}", plan.steps[k].id);
    let impact = field_text(src, plan, "impact");
    let effort = field_text(src, plan, "effort");
    let mut items = Vec::with_capacity(plan.steps.len());
    for (k, s) in plan.steps.iter().enumerate() {
        let id = id_of(k);
        if file_of(&id).is_none() {
            return Err(refuse(format!(
                "{rel}: step id `{}` cannot name a work item file",
                s.id
            )));
        }
        let weight = s
            .field("estimate")
            .and_then(|f| planwright_core::graph::estimate_hours(f.inline.text(src)))
            .unwrap_or(1.0);
        items.push(Item {
            id,
            plan: rel.to_owned(),
            step: s.id.to_string(),
            title: s.title.value.clone(),
            status: ItemStatus::Todo,
            parent: s.parent.map(id_of),
            depends_on: deps[k].iter().map(|&d| id_of(d)).collect(),
            acceptance_criteria: entries(src, s, "acceptance criteria"),
            produces: entries(src, s, "produces"),
            verify: s.verify.iter().map(|c| c.text.clone()).collect(),
            assignee: None,
            weight,
            impact: impact.clone(),
            effort: effort.clone(),
            order: k,
            superseded: false,
            verification: None,
            // No event: generation is implied, and the file must be the same bytes on every
            // branch and machine that generates it.
            events: Vec::new(),
        });
    }
    Ok(items)
}

/// `planwright work generate PLAN`: one item per step and sub-step of an approved plan.
/// Existing items are left alone; a superseded plan's items are marked superseded.
pub fn generate(cx: &Ctx<'_>, arg: &str, out: &mut dyn Write) -> Result<(), Error> {
    let t = resolve(cx, arg)?;
    let (src, plan) = read(&t)?;
    let slug = crate::discover::slug_of(&t.rel).ok_or_else(|| {
        refuse(format!(
            "{} is not under spec/plans/, so it has no slug to name items by",
            t.rel
        ))
    })?;
    let store = Store::new(cx.root, cx.cfg);
    let _lock = cx.lock()?;
    let status = plan.status(&src);
    let existing = store.load_plan(&slug, &t.rel)?;
    if status == Some(Status::Superseded) {
        let mut n = 0;
        for i in existing.into_iter().filter(|i| !i.superseded) {
            if !cx.dry_run {
                store.record(
                    &i.id,
                    &Event {
                        at: stamp(),
                        by: actor(cx.root, None),
                        what: "superseded".into(),
                        note: format!("{} was superseded", t.rel),
                        superseded: true,
                        ..Event::default()
                    },
                )?;
            }
            n += 1;
        }
        let _ = writeln!(
            out,
            "{}: superseded; {n} item{} marked so",
            t.rel,
            if n == 1 { "" } else { "s" }
        );
        return Ok(());
    }
    if status != Some(Status::Approved) {
        return Err(refuse(format!(
            "{} is {}, not approved; work items come from approved plans\n  help: `planwright approve {arg} --approver @name` first",
            t.rel,
            plan.status_text(&src)
                .map_or("without a status", |(s, _)| s)
        )));
    }
    if plan.steps.is_empty() {
        return Err(refuse(format!("{} has no steps to make items of", t.rel)));
    }
    let have: std::collections::HashSet<&str> = existing.iter().map(|i| &*i.id).collect();
    let mut made = 0;
    for item in plan_items(&t.rel, &src, &plan, &slug)? {
        if have.contains(&*item.id) {
            continue;
        }
        if cx.dry_run {
            let _ = writeln!(out, "would create {}: {}", item.id, item.title);
        } else {
            store.create(&item)?;
        }
        made += 1;
    }
    if !cx.dry_run {
        let _ = writeln!(
            out,
            "{}: {made} item{} created, {} already there",
            t.rel,
            if made == 1 { "" } else { "s" },
            have.len()
        );
    }
    Ok(())
}

/// A status change on one item, with the rules of each move.
pub struct Change<'a> {
    pub to: ItemStatus,
    pub by: Option<&'a str>,
    pub note: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub no_verify: bool,
}

/// Records the change and returns the item as it now is. A start while dependencies are
/// still open goes ahead, with a note on stderr.
pub fn change(cx: &Ctx<'_>, id: &str, c: &Change<'_>) -> Result<Item, Error> {
    let store = Store::new(cx.root, cx.cfg);
    let _lock = crate::write::lock(cx.root)?;
    let mut item = store.get(id)?;
    let from = item.status;
    if item.superseded {
        return Err(refuse(format!(
            "{id} belongs to a superseded plan; it stays as a record"
        )));
    }
    if from.closed() {
        return Err(refuse(format!(
            "{id} is {} already; a closed item does not reopen\n  help: `planwright work add` a new item under its step",
            from.as_str()
        )));
    }
    let mut note = c.note.unwrap_or("").to_owned();
    match c.to {
        ItemStatus::InProgress => {
            let open: Vec<&str> = item
                .depends_on
                .iter()
                .filter(|d| store.get(d).is_ok_and(|i| !i.status.closed()))
                .map(String::as_str)
                .collect();
            if !open.is_empty() {
                eprintln!("note: {id} waits for {} (started anyway)", open.join(", "));
            }
        }
        ItemStatus::Blocked if note.is_empty() => {
            return Err(refuse(
                "say what blocks it: --reason \"waiting for the API key\"",
            ));
        }
        ItemStatus::Done if !item.verify.is_empty() => {
            let passed = item.verification.as_ref().is_some_and(|v| v.passed);
            if c.no_verify {
                note = format!(
                    "done without verification (--no-verify){}",
                    if note.is_empty() {
                        String::new()
                    } else {
                        format!("; {note}")
                    }
                );
            } else if !passed {
                return Err(refuse(format!(
                    "{id} has Verify commands and no passing verification\n  help: `planwright work verify {id}` runs them; `--no-verify` skips them and is recorded"
                )));
            }
        }
        _ => {}
    }
    let event = Event {
        at: stamp(),
        by: actor(cx.root, c.by),
        what: format!("{} → {}", from.as_str(), c.to.as_str()),
        note,
        status: Some(c.to),
        assignee: c.assignee.map(|a| actor(cx.root, Some(a))),
        ..Event::default()
    };
    store.record(&item.id, &event)?;
    item.status = c.to;
    if let Some(a) = &event.assignee {
        item.assignee = Some(a.clone());
    }
    item.events.push(event);
    Ok(item)
}

/// `planwright work add --under ID "title"`: an ad-hoc item under a step's item.
pub fn add(cx: &Ctx<'_>, under: &str, title: &str, by: Option<&str>) -> Result<Item, Error> {
    if title.trim().is_empty() {
        return Err(refuse("the item needs a title"));
    }
    let store = Store::new(cx.root, cx.cfg);
    let _lock = crate::write::lock(cx.root)?;
    let parent = store.get(under)?;
    let id = loop {
        let id = format!("{}.{}", parent.id, suffix());
        if !store.dir.join(file_of(&id).unwrap_or_default()).exists() {
            break id;
        }
    };
    let item = Item {
        id: id.clone(),
        plan: parent.plan.clone(),
        step: parent.step.clone(),
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        status: ItemStatus::Todo,
        parent: Some(parent.id.clone()),
        depends_on: Vec::new(),
        acceptance_criteria: Vec::new(),
        produces: Vec::new(),
        verify: Vec::new(),
        assignee: None,
        weight: 1.0,
        impact: parent.impact.clone(),
        effort: parent.effort.clone(),
        order: parent.order,
        superseded: false,
        verification: None,
        events: Vec::new(),
    };
    store.create(&item)?;
    store.record(
        &item.id,
        &Event {
            at: stamp(),
            by: actor(cx.root, by),
            what: "added".into(),
            ..Event::default()
        },
    )?;
    Ok(item)
}

/// `planwright work verify ID`: runs the item's Verify commands from the repository root and
/// records the result. Only from an approved plan whose frozen content is unchanged, unless
/// `allow_unapproved`.
pub fn verify(
    cx: &Ctx<'_>,
    id: &str,
    allow_unapproved: bool,
    by: Option<&str>,
    out: &mut dyn Write,
) -> Result<bool, Error> {
    let store = Store::new(cx.root, cx.cfg);
    let item = store.get(id)?;
    if item.verify.is_empty() {
        return Err(refuse(format!(
            "{id} has no Verify commands\n  help: `planwright work done {id}` closes it"
        )));
    }
    // The commands come from the approved plan, never from the item's file: that file is
    // committed, and a pull request can change it without changing the plan's digest.
    let commands = if allow_unapproved {
        item.verify.clone()
    } else {
        approved_commands(cx.root, &item)?
    };
    let mut results = Vec::new();
    let mut passed = true;
    for cmd in &commands {
        let _ = writeln!(out, "$ {cmd}");
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(cx.root)
            .status()
            .map_err(|e| refuse(format!("cannot run `sh`: {e}")))?;
        let code = status.code().unwrap_or(-1);
        results.push(format!("exit {code}: {cmd}"));
        if !status.success() {
            passed = false;
            break;
        }
    }
    let _lock = crate::write::lock(cx.root)?;
    let v = Verification {
        at: stamp(),
        by: actor(cx.root, by),
        passed,
        results,
        evidence: Vec::new(),
    };
    store.record(
        id,
        &Event {
            at: v.at.clone(),
            by: v.by.clone(),
            what: format!("verification {}", if passed { "passed" } else { "failed" }),
            verification: Some(v),
            ..Event::default()
        },
    )?;
    let _ = writeln!(
        out,
        "{id}: verification {}",
        if passed { "passed" } else { "failed" }
    );
    Ok(passed)
}

/// The Verify commands of `item`'s step, read from its plan, which must be approved with a
/// matching digest; refused when the item's own commands differ from them. An ad-hoc item
/// (`work add`) runs its step's approved commands or none: commands that no approved plan
/// holds run only with `--allow-unapproved`.
fn approved_commands(root: &Path, item: &Item) -> Result<Vec<String>, Error> {
    let id = &item.id;
    let slug = id.split_once('#').map_or(id.as_str(), |(s, _)| s);
    // The item's id names its plan; its `plan` field must agree (it is only a record).
    if item.plan != format!("spec/plans/{slug}/README.md")
        && item.plan != format!("spec/plans/{slug}.md")
    {
        return Err(refuse(format!(
            "{id} names the plan {}, which is not the plan of `{slug}`; planwright will not run its commands\n  help: `planwright work generate {slug}` writes the items of the approved plan",
            item.plan
        )));
    }
    let path = crate::confine::resolve_rel(root, &item.plan)?;
    let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
    trusted_text(&item.plan, &src, &plan)?;
    let Some(step) = plan.steps.iter().find(|s| *s.id == *item.step) else {
        return Err(refuse(format!(
            "{id}: the approved plan {} has no step {}; planwright will not run the item's commands\n  help: --allow-unapproved runs them anyway",
            item.plan, item.step
        )));
    };
    let approved: Vec<String> = step.verify.iter().map(|c| c.text.clone()).collect();
    if item.verify != approved {
        let list = |v: &[String]| {
            if v.is_empty() {
                "  (none)\n".to_owned()
            } else {
                v.iter().map(|c| format!("  `{c}`\n")).collect()
            }
        };
        return Err(refuse(format!(
            "{id}: the item's Verify commands are not the approved plan's, so planwright will not run them\n the item ({}):\n{} step {} of {} (approved):\n{}  help: the approved plan is what was reviewed; change the plan and approve it again, or pass --allow-unapproved to run the item's commands",
            crate::work::file_of(id).map_or_else(String::new, |f| f.display().to_string()),
            list(&item.verify),
            item.step,
            item.plan,
            list(&approved)
        )));
    }
    Ok(approved)
}

/// [`trusted`] for a plan already read.
pub(crate) fn trusted_text(rel: &str, src: &str, plan: &Plan) -> Result<(), Error> {
    if plan.status(src) != Some(Status::Approved) {
        return Err(refuse(format!(
            "{rel} is not approved; planwright runs commands only from approved plans\n  help: approve it, or pass --allow-unapproved to run them anyway"
        )));
    }
    let recorded = plan
        .field("digest")
        .map(|f| f.inline.text(src).trim().to_owned());
    let actual = planwright_core::digest::digest(src, plan);
    if recorded.is_none() {
        return Err(refuse(format!(
            "{rel} records no Digest, so nothing shows its content is what was approved; planwright will not run its commands\n  help: --allow-unapproved runs them anyway"
        )));
    }
    if recorded.as_deref() != Some(actual.as_str()) {
        return Err(refuse(format!(
            "{rel} changed since approval (its digest does not match); planwright will not run its commands\n  help: `planwright check {rel}` names the change; --allow-unapproved runs them anyway"
        )));
    }
    Ok(())
}

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
        // Longest remaining path to and from each open item, per plan.
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
        let mut from = vec![0f64; n];
        for &k in order.iter().rev() {
            let best = rdeps[k].iter().map(|&r| from[r]).fold(0f64, f64::max);
            from[k] = best + w(k);
        }
        let mut longest: HashMap<&str, f64> = HashMap::new();
        for &k in &order {
            let e = longest.entry(items[k].plan.as_str()).or_default();
            *e = e.max(to[k]);
        }
        let critical: Vec<bool> = (0..n)
            .map(|k| {
                open(k)
                    && longest
                        .get(items[k].plan.as_str())
                        .is_some_and(|&m| m > 0.0 && (to[k] + from[k] - w(k) - m).abs() < 1e-9)
            })
            .collect();
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

fn impact_rank(s: &str) -> u8 {
    match s.to_ascii_lowercase().as_str() {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

fn effort_rank(s: &str) -> u8 {
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
            }
        })
        .collect()
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
pub fn progress_report(cx: &Ctx<'_>, plan: Option<&str>) -> Result<Vec<Progress>, Error> {
    let store = Store::new(cx.root, cx.cfg);
    let items = match plan {
        None => store.load()?,
        Some(arg) => {
            let t = resolve(cx, arg)?;
            let Some(slug) = crate::discover::slug_of(&t.rel) else {
                return Ok(Vec::new());
            };
            let (src, p) = read(&t)?;
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
    let roadmaps = roadmap_rows(cx.root, &rows);
    rows.extend(roadmaps);
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
        });
    }
    out
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

/// A fast reader for the files planwright itself writes: `key = value` lines with basic or
/// literal strings, arrays of strings on one line, numbers, booleans, and `[verification]`.
/// Anything else returns `None`, and the caller falls back to the full TOML parser.
mod fast {
    use super::{Event, Item, ItemStatus, Verification};

    enum Val {
        Str(String),
        Arr(Vec<String>),
        Num(f64),
        Bool(bool),
    }

    fn string(s: &str) -> Option<(String, &str)> {
        let b = s.as_bytes();
        match b.first()? {
            b'\'' => {
                if s.starts_with("'''") {
                    return None;
                }
                let end = s[1..].find('\'')? + 1;
                Some((s[1..end].to_owned(), &s[end + 1..]))
            }
            b'"' => {
                if s.starts_with("\"\"\"") {
                    return None;
                }
                let mut out = String::new();
                let mut it = s[1..].char_indices();
                while let Some((i, c)) = it.next() {
                    match c {
                        '"' => return Some((out, &s[i + 2..])),
                        '\\' => match it.next()?.1 {
                            '"' => out.push('"'),
                            '\\' => out.push('\\'),
                            'n' => out.push('\n'),
                            't' => out.push('\t'),
                            'r' => out.push('\r'),
                            _ => return None,
                        },
                        c => out.push(c),
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn value(s: &str) -> Option<Val> {
        let s = s.trim();
        if s.starts_with(['"', '\'']) {
            let (v, rest) = string(s)?;
            return rest.trim().is_empty().then_some(Val::Str(v));
        }
        if let Some(mut rest) = s.strip_prefix('[') {
            let mut items = Vec::new();
            loop {
                rest = rest.trim_start();
                if let Some(r) = rest.strip_prefix(']') {
                    return r.trim().is_empty().then_some(Val::Arr(items));
                }
                let (v, r) = string(rest)?;
                items.push(v);
                rest = r.trim_start();
                rest = rest.strip_prefix(',').unwrap_or(rest);
            }
        }
        match s {
            "true" => Some(Val::Bool(true)),
            "false" => Some(Val::Bool(false)),
            _ => s.parse::<f64>().ok().map(Val::Num),
        }
    }

    /// `(table, key, value)` per line; `None` on anything unexpected.
    fn lines(text: &str) -> Option<Vec<(&str, &str, Val)>> {
        let mut table = "";
        let mut out = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') && !line.contains('=') {
                table = line;
                continue;
            }
            let eq = memchr::memmem::find(line.as_bytes(), b" = ")?;
            out.push((table, line[..eq].trim(), value(&line[eq + 3..])?));
        }
        Some(out)
    }

    fn status(s: &str) -> Option<ItemStatus> {
        Some(match s {
            "todo" => ItemStatus::Todo,
            "in_progress" => ItemStatus::InProgress,
            "blocked" => ItemStatus::Blocked,
            "done" => ItemStatus::Done,
            "cancelled" => ItemStatus::Cancelled,
            _ => return None,
        })
    }

    pub(super) fn item(text: &str) -> Option<Item> {
        let mut i = Item {
            id: String::new(),
            plan: String::new(),
            step: String::new(),
            title: String::new(),
            status: ItemStatus::Todo,
            parent: None,
            depends_on: Vec::new(),
            acceptance_criteria: Vec::new(),
            produces: Vec::new(),
            verify: Vec::new(),
            assignee: None,
            weight: 1.0,
            impact: String::new(),
            effort: String::new(),
            order: 0,
            superseded: false,
            verification: None,
            events: Vec::new(),
        };
        let (mut id, mut plan, mut step, mut title) = (false, false, false, false);
        for (table, k, v) in lines(text)? {
            if !table.is_empty() {
                return None;
            }
            match (k, v) {
                ("id", Val::Str(s)) => (i.id, id) = (s, true),
                ("plan", Val::Str(s)) => (i.plan, plan) = (s, true),
                ("step", Val::Str(s)) => (i.step, step) = (s, true),
                ("title", Val::Str(s)) => (i.title, title) = (s, true),
                ("status", Val::Str(s)) => i.status = status(&s)?,
                ("parent", Val::Str(s)) => i.parent = Some(s),
                ("assignee", Val::Str(s)) => i.assignee = Some(s),
                ("impact", Val::Str(s)) => i.impact = s,
                ("effort", Val::Str(s)) => i.effort = s,
                ("depends_on", Val::Arr(a)) => i.depends_on = a,
                ("acceptance_criteria", Val::Arr(a)) => i.acceptance_criteria = a,
                ("produces", Val::Arr(a)) => i.produces = a,
                ("verify", Val::Arr(a)) => i.verify = a,
                ("weight", Val::Num(n)) => i.weight = n,
                ("order", Val::Num(n)) if n >= 0.0 && n.fract() == 0.0 => i.order = n as usize,
                ("superseded", Val::Bool(b)) => i.superseded = b,
                _ => return None,
            }
        }
        (id && plan && step && title).then_some(i)
    }

    pub(super) fn event(text: &str) -> Option<Event> {
        let mut e = Event::default();
        let mut v: Option<Verification> = None;
        let (mut at, mut by, mut what) = (false, false, false);
        for (table, k, val) in lines(text)? {
            match (table, k, val) {
                ("", "at", Val::Str(s)) => (e.at, at) = (s, true),
                ("", "by", Val::Str(s)) => (e.by, by) = (s, true),
                ("", "what", Val::Str(s)) => (e.what, what) = (s, true),
                ("", "note", Val::Str(s)) => e.note = s,
                ("", "status", Val::Str(s)) => e.status = Some(status(&s)?),
                ("", "assignee", Val::Str(s)) => e.assignee = Some(s),
                ("", "superseded", Val::Bool(b)) => e.superseded = b,
                ("[verification]", k, val) => {
                    let r = v.get_or_insert_with(|| Verification {
                        at: String::new(),
                        by: String::new(),
                        passed: false,
                        results: Vec::new(),
                        evidence: Vec::new(),
                    });
                    match (k, val) {
                        ("at", Val::Str(s)) => r.at = s,
                        ("by", Val::Str(s)) => r.by = s,
                        ("passed", Val::Bool(b)) => r.passed = b,
                        ("results", Val::Arr(a)) => r.results = a,
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        e.verification = v;
        (at && by && what).then_some(e)
    }

    #[cfg(test)]
    mod tests {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever the fast reader accepts, it reads as the toml crate does.
            #[test]
            fn the_fast_reader_agrees_with_toml(
                title in "\\PC{0,30}",
                crit in proptest::collection::vec("\\PC{0,20}", 0..3),
                note in "[a-z \"'\\\\]{0,20}",
                passed in any::<bool>(),
            ) {
                let item = Item {
                    id: "p#1".into(), plan: "spec/plans/p/README.md".into(), step: "1".into(),
                    title, status: ItemStatus::Todo, parent: None, depends_on: vec!["p#0".into()],
                    acceptance_criteria: crit, produces: vec![], verify: vec!["cargo test".into()],
                    assignee: None, weight: 2.5, impact: "high".into(), effort: "M".into(), order: 3,
                    superseded: false, verification: None, events: vec![],
                };
                let text = toml::to_string(&item).expect("toml");
                let slow: Item = toml::from_str(&text).expect("parse");
                if let Some(fast) = fast::item(&text) {
                    prop_assert_eq!(fast, slow);
                }
                let ev_plain = !note.contains(['"', '\'', '\\']);
                let ev = Event {
                    at: "2026-11-21 10:00Z".into(), by: "@a".into(), what: "verification".into(),
                    note, status: Some(ItemStatus::Done), assignee: Some("@b".into()), superseded: false,
                    verification: Some(Verification { at: "x".into(), by: "y".into(), passed, results: vec!["exit 0: true".into()], evidence: vec![] }),
                };
                let text = toml::to_string(&ev).expect("toml");
                let slow: Event = toml::from_str(&text).expect("parse");
                if let Some(fast) = fast::event(&text) {
                    prop_assert_eq!(fast, slow);
                }
                // Plain text, which is what planwright writes nearly always, takes the fast way.
                if ev_plain {
                    prop_assert!(fast::event(&text).is_some(), "{}", text);
                }
            }
        }
    }
}
