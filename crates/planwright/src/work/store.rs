//! The store: one TOML file an item, one file an event, read on every core.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Event, Item, fast};
use crate::clock::suffix;
use crate::error::Error;
use crate::workspace::refuse;
use std::borrow::Cow;

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
            crate::error::usage(format!(
                "`{id}` is not a work item id\n  help: ids look like `add-batch-mode#2.1`; `planwright work list` shows them"
            ))
        })?;
        let path = crate::confine::resolve(&self.root, &self.dir.join(rel))?;
        if !path.is_file() {
            return Err(crate::error::not_found(format!(
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
        let rel = file_of(&item.id)
            .ok_or_else(|| crate::error::usage(format!("bad item id `{}`", item.id)))?;
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
        let rel = file_of(id).ok_or_else(|| crate::error::usage(format!("bad item id `{id}`")))?;
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
        let mut e: Event = match fast::event(&text) {
            Some(e) => e,
            None => toml::from_str(&text).map_err(|e| bad_toml(f, &text, &e))?,
        };
        // Items written before the one timestamp format read in it.
        if let Cow::Owned(at) = crate::clock::normalize(&e.at) {
            e.at = at;
        }
        if let Some(v) = e.verification.as_mut()
            && let Cow::Owned(at) = crate::clock::normalize(&v.at)
        {
            v.at = at;
        }
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
    crate::error::refused(format!(
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
