//! The check cache (`.planwright/cache/check.json`): each file's findings and summary, kept
//! with what they depend on, so that a check of an unchanged repository reads no plan.
//!
//! A file's cached result is used only when all of these still hold:
//! - the cache was written by this very build of planwright with the same configuration
//!   (the key: the layout, the version, the executable's size and time, the effective
//!   configuration; anything else and the whole cache is ignored);
//! - the file's bytes are the same: its `stat` (length, modification and change times, inode)
//!   is unchanged and was taken long enough after its last change that a second change within
//!   the same tick of the file system's clock cannot hide ("racily clean", as git calls it),
//!   or else its hash (SipHash, 64 bits), kept for every file, is the same (so a file merely
//!   touched, or a fresh checkout of the same bytes, keeps its result);
//! - every question its check asked about other files (does the link's target exist, how
//!   long is it, the spec's text as its SHA-256) gets the same answer now;
//! - when its check consulted git's history, the same commit is checked out.
//!
//! The repository-level rules (index, back-references, roadmap statuses) read every plan's
//! summary and the view files. Their findings are kept beside the cache
//! (`.planwright/cache/views.json`) with the `stat` of each file the views read, and reused
//! only when no file's result changed (the same files, every one kept as it was) and those
//! files' `stat`s are the same; otherwise they are recomputed from the summaries, cached or
//! not. A kept line's summary is parsed only then.
//!
//! The layout is JSON Lines: a header (layout, key, commit), then one line per file, its
//! path first. Opening the cache only splits it into lines and reads each path; a line is
//! parsed by the worker thread that meets its file, so the parsing is spread over the cores,
//! and a line whose file did not change is written back as it was.
//!
//! A missing, corrupt or foreign cache is ignored and rewritten, never trusted; a damaged
//! line is a file to check again. Writes are atomic (a temporary file, then a rename), so
//! concurrent checks each leave a whole cache and the last one wins. A cache that cannot be
//! written is skipped: the check never fails because of its cache.

mod line;

use super::{FileResult, Report};
use crate::config::Config;
use crate::discover::Target;
use crate::fsenv::{FsEnv, KnownTexts, Recording, Stat};
use crate::jsonl::Records;
use crate::walk::Listings;
use line::{Line, Provenance, hash, hint, new_line, result, rule_named, summary};
use planwright_core::rules::RepoFinding;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Where the cache lives, from the root.
pub const PATH: &str = ".planwright/cache/check.json";

/// The cache's file and that of the repository-level findings of the check that last wrote
/// it, in [`crate::write::CACHE_DIR`].
const NAME: &str = "check.json";
const VIEWS_NAME: &str = "views.json";

/// The cache's layout; a cache of another layout is ignored.
const FORMAT: u32 = 5;

/// What the cache keeps of a file besides its result: how to tell later that the result
/// still holds.
#[derive(Clone, Debug)]
pub enum Stamp {
    /// Nothing changed: the cache's line for the file is written back as it was.
    Kept(Range<usize>),
    /// The file's new line, written by the worker that checked it (so that the cores share
    /// the writing of a new cache).
    New(Vec<u8>),
}

/// The header line.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    key: String,
    /// The commit checked out when the cache was written, when a result depends on it.
    head: Option<String>,
    /// Names this writing of the cache, for the repository-level findings that go with it.
    generation: String,
    /// The texts whose hashes the checks asked for (specs), with the `stat` each was read
    /// under.
    texts: Vec<(String, Stat, String)>,
}

/// The repository-level findings of a check (`views.json`), and what they were made from
/// besides the summaries.
#[derive(Clone, Serialize, Deserialize)]
struct Repo {
    /// The [`Header::generation`] of the cache whose files' summaries they were made from.
    generation: String,
    /// Every file the views read, with its `stat` (`None`: it could not be read).
    reads: crate::views::Reads,
    roadmaps: Vec<KeptFinding>,
    views: Vec<KeptFinding>,
}

/// A repository-level finding as kept.
#[derive(Clone, Serialize, Deserialize)]
struct KeptFinding {
    rule: String,
    file: String,
    line: usize,
    start: usize,
    end: usize,
    message: String,
    help: String,
}

impl KeptFinding {
    fn of(f: &RepoFinding) -> KeptFinding {
        KeptFinding {
            rule: f.rule.to_owned(),
            file: f.file.clone(),
            line: f.line,
            start: f.start,
            end: f.end,
            message: f.message.clone(),
            help: f.help.clone(),
        }
    }

    /// The finding, when its rule is one of this build's.
    fn finding(&self) -> Option<RepoFinding> {
        Some(RepoFinding {
            rule: rule_named(&self.rule)?,
            file: self.file.clone(),
            line: self.line,
            start: self.start,
            end: self.end,
            message: self.message.clone(),
            help: self.help.clone(),
        })
    }
}

/// The repository-level findings of a check: the roadmaps', then one for each view out of
/// date, with the view file's text when the views read it.
pub struct RepoFindings {
    pub roadmaps: Vec<RepoFinding>,
    pub views: Vec<(RepoFinding, Option<String>)>,
}

/// The cache, as read at the start of a check.
pub struct Cache {
    root: PathBuf,
    key: String,
    /// When the check began (nanoseconds since the epoch).
    since: i64,
    /// The cache file's bytes (each line's UTF-8 is checked when it is parsed, on the worker
    /// that needs it), and each file's line in it.
    text: Vec<u8>,
    lines: Records,
    /// The commit checked out when the cache was written, and now (asked when needed).
    head: Option<String>,
    head_now: OnceLock<Option<String>>,
    /// The cache's generation as read, and the one a rewritten cache gets.
    generation: String,
    fresh: String,
    /// The repository-level findings that go with the cache as read.
    repo: Option<Repo>,
    /// The folder listings of the last walk, for this one.
    listings: Listings,
    /// The texts' hashes the last check learnt, for this one.
    known: Arc<KnownTexts>,
    /// Whether this check learnt anything the cache does not hold yet.
    changed: AtomicBool,
    /// Whether a file's result was made anew (not found in the cache, or no longer holding),
    /// and how many results the cache gave (their bytes unchanged, whatever their `stat`).
    missed: AtomicBool,
    hits: AtomicUsize,
    /// Whether a result kept depends on git's history (the header then names the commit).
    git: AtomicBool,
}

impl Cache {
    /// Reads the cache of `root` for a check with `cfg`: empty when there is none, or when it
    /// is unreadable, corrupt, or was written by another build or configuration.
    pub fn open(root: &Path, cfg: &Config) -> Cache {
        Cache::open_at(root, cfg, std::time::SystemTime::now())
    }

    /// The cache of `ws`'s repository, for a whole check of it; none for a file checked
    /// alone, outside any repository (no `.planwright/` is made beside it).
    pub fn of_workspace(ws: &crate::workspace::Workspace) -> Option<Cache> {
        (!ws.alone).then(|| Cache::open(&ws.root, &ws.config))
    }

    /// [`Cache::open`] for a check that began at `since`: files changed less than two
    /// seconds before it are not trusted by their `stat` alone.
    pub fn open_at(root: &Path, cfg: &Config, since: std::time::SystemTime) -> Cache {
        let since = since
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        let mut cache = Cache {
            root: root.to_path_buf(),
            key: key(cfg),
            since,
            text: Vec::new(),
            lines: Records::default(),
            head: None,
            head_now: OnceLock::new(),
            generation: String::new(),
            fresh: fresh_generation(since),
            repo: None,
            listings: Listings::open(root, since),
            known: Arc::new(KnownTexts::new(since, [])),
            changed: AtomicBool::new(false),
            missed: AtomicBool::new(false),
            hits: AtomicUsize::new(0),
            git: AtomicBool::new(false),
        };
        let Some(text) = crate::write::read_cache(root, NAME) else {
            return cache;
        };
        let first = &text[..memchr::memchr(b'\n', &text).unwrap_or(text.len())];
        let Some(header) = serde_json::from_slice::<Header>(first)
            .ok()
            .filter(|h| h.format == FORMAT && h.key == cache.key)
        else {
            return cache;
        };
        let lines = Records::index(&text, first.len() + 1);
        cache.repo = crate::write::read_cache(root, VIEWS_NAME)
            .and_then(|bytes| serde_json::from_slice::<Repo>(&bytes).ok())
            .filter(|r| r.generation == header.generation);
        cache.known = Arc::new(KnownTexts::new(since, header.texts));
        cache.head = header.head;
        cache.generation = header.generation;
        cache.lines = lines;
        cache.text = text;
        cache
    }

    /// The cached result for `target`, when it still holds. `env` answers the questions the
    /// cached check asked. The file is `stat`ed only when the cache has a line for it, and read
    /// into `bytes` only when its `stat` alone does not vouch for it.
    pub fn lookup(&self, target: &Target, env: &FsEnv, bytes: &mut Vec<u8>) -> Lookup {
        let Some((range, line)) = self.line(target, env) else {
            return self.miss(None);
        };
        let Ok(stat) = std::fs::metadata(&target.abs).map(|m| Stat::of(&m)) else {
            return self.miss(None);
        };
        if line.trusted && line.stat == stat {
            // Nothing new: the only case that leaves the cache as it is.
            return match result(line, Some(Stamp::Kept(range))) {
                Some(r) => self.hit(r),
                None => self.miss(None),
            };
        }
        // The stat changed (or cannot vouch for the bytes): the bytes decide.
        self.changed.store(true, Ordering::Relaxed);
        let Ok(stat) = super::read_into(bytes, target) else {
            return self.miss(None);
        };
        if line.hash != hash(bytes) {
            return self.miss(Some(stat));
        }
        // The same bytes under a new stat: the result holds, under a new line.
        let (hint, hash, asked, git) = (
            line.hint.clone(),
            line.hash.clone(),
            line.asked.clone(),
            line.git,
        );
        let Some(mut r) = result(line, None) else {
            return self.miss(Some(stat));
        };
        match summary(&self.text[range]) {
            Ok(s) => r.summary = s.map(Box::new),
            Err(_) => return self.miss(Some(stat)),
        }
        let p = Provenance {
            hint: &hint,
            stat,
            trusted: self.trusted(stat),
            hash: &hash,
            asked: &asked,
            git,
        };
        r.stamp = new_line(&r, &p).map(Box::new);
        self.hit(r)
    }

    fn hit(&self, r: FileResult) -> Lookup {
        self.hits.fetch_add(1, Ordering::Relaxed);
        Lookup::Hit(r)
    }

    fn miss(&self, read: Option<Stat>) -> Lookup {
        self.changed.store(true, Ordering::Relaxed);
        self.missed.store(true, Ordering::Relaxed);
        Lookup::Miss(read)
    }

    /// The file's line, read, when every answer it was given still holds.
    fn line(&self, target: &Target, env: &FsEnv) -> Option<(Range<usize>, Line)> {
        let range = self.lines.line(self.lines.find(&self.text, &target.rel)?);
        let line: Line = serde_json::from_slice(&self.text[range.clone()]).ok()?;
        let holds = line.rel == target.rel
            && line.hint == hint(target)
            && line.asked.iter().all(|(p, a)| env.ask(p, a) == *a)
            && (!line.git || *self.head_now() == self.head);
        if holds && line.git {
            self.git.store(true, Ordering::Relaxed);
        }
        holds.then_some((range, line))
    }

    fn head_now(&self) -> &Option<String> {
        self.head_now.get_or_init(|| crate::git::head(&self.root))
    }

    /// The stamp of a result just checked from `bytes`, given what its check asked: its
    /// line for the cache (`None` when it cannot be written).
    pub fn stamp(
        &self,
        result: &FileResult,
        target: &Target,
        stat: Stat,
        bytes: &[u8],
        asked: &Recording,
    ) -> Option<Stamp> {
        if asked.git {
            self.git.store(true, Ordering::Relaxed);
        }
        let trusted = self.trusted(stat);
        // Kept even when the `stat` vouches: a fresh checkout of the same bytes (a new `stat`
        // for every file, as in CI with the cache restored) reuses the result by content.
        let hash = hash(bytes);
        let p = Provenance {
            hint: hint(target),
            stat,
            trusted,
            hash: &hash,
            asked: &asked.asked,
            git: asked.git,
        };
        new_line(result, &p)
    }

    /// Whether a file with this `stat` changed long enough before the check began.
    fn trusted(&self, stat: Stat) -> bool {
        stat.vouches(self.since)
    }

    /// The texts' hashes known from the last check, for a worker's environment.
    pub fn known_texts(&self) -> Arc<KnownTexts> {
        Arc::clone(&self.known)
    }

    /// The folder listings kept for the walk (see [`Listings`]).
    pub fn listings(&self) -> &Listings {
        &self.listings
    }

    /// Whether any file's result is not the cache's line as it was: a file changed, came or
    /// went (then the cache is written again).
    fn changed(&self, report: &Report) -> bool {
        let stamped = report.files.iter().filter(|f| f.stamp.is_some()).count();
        self.changed.load(Ordering::Relaxed) || stamped != self.lines.len()
    }

    /// Writes the cache for the files of `report` (each file's own findings, before the
    /// repository-level rules add theirs) when this check learnt something new. Quietly
    /// does nothing when it cannot write.
    pub fn save(&self, report: &Report) {
        self.listings.save();
        if self.changed(report) {
            let _ = self.write(report);
        }
    }

    /// The repository-level findings kept with the cache, when they still hold: every file's
    /// result came from the cache (its bytes unchanged, whatever its `stat`), every file of the
    /// cache was found, and every file the views read has the same `stat`. When the cache is
    /// written again, the findings are kept again with it.
    pub fn kept_repo(&self, report: &Report) -> Option<RepoFindings> {
        let repo = self.repo.as_ref()?;
        if self.missed.load(Ordering::Relaxed)
            || self.hits.load(Ordering::Relaxed) != self.lines.len()
        {
            return None;
        }
        let base = self.root.canonicalize().ok()?;
        let same = |(rel, stat): &(String, Option<Stat>)| {
            let now = crate::confine::resolve_rel_in(&self.root, &base, rel)
                .ok()
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| Stat::of(&m));
            now == *stat
        };
        // On every core: a repository has a view file per feature.
        let holds = std::thread::scope(|s| {
            let parts: Vec<_> = repo
                .reads
                .chunks(per_core(repo.reads.len()))
                .map(|part| s.spawn(move || part.iter().all(same)))
                .collect();
            parts.into_iter().all(|p| p.join().unwrap_or(false))
        });
        if !holds {
            return None;
        }
        if self.changed(report) {
            // Again, under the generation the cache is about to be written with.
            self.write_repo(report, repo.clone());
        }
        Some(RepoFindings {
            roadmaps: repo
                .roadmaps
                .iter()
                .map(KeptFinding::finding)
                .collect::<Option<_>>()?,
            views: repo
                .views
                .iter()
                .map(|f| f.finding().map(|f| (f, None)))
                .collect::<Option<_>>()?,
        })
    }

    /// Parses the summaries of the results kept from the cache, which lookups leave out,
    /// on every core.
    pub fn fill_summaries(&self, files: &mut [FileResult]) {
        let fill = |part: &mut [FileResult]| {
            for f in part {
                if let Some(Stamp::Kept(range)) = f.stamp.as_deref()
                    && f.summary.is_none()
                    && let Ok(s) = summary(&self.text[range.clone()])
                {
                    f.summary = s.map(Box::new);
                }
            }
        };
        let chunk = per_core(files.len());
        std::thread::scope(|s| {
            for part in files.chunks_mut(chunk) {
                s.spawn(|| fill(part));
            }
        });
    }

    /// Keeps the repository-level findings made for `report` (from the files in `reads`),
    /// when every file read has a `stat` that can vouch for it. Quietly does nothing when it
    /// cannot write.
    pub fn save_repo(&self, report: &Report, reads: &crate::views::Reads, found: &RepoFindings) {
        if !reads.iter().all(|(_, s)| s.is_none_or(|s| self.trusted(s))) {
            return;
        }
        let repo = Repo {
            generation: String::new(),
            reads: reads.clone(),
            roadmaps: found.roadmaps.iter().map(KeptFinding::of).collect(),
            views: found
                .views
                .iter()
                .map(|(f, _)| KeptFinding::of(f))
                .collect(),
        };
        self.write_repo(report, repo);
    }

    /// Writes `views.json` under the generation of the cache this check leaves: the new one
    /// when the cache is written again, else the one read.
    fn write_repo(&self, report: &Report, mut repo: Repo) {
        repo.generation = if self.changed(report) {
            self.fresh.clone()
        } else {
            self.generation.clone()
        };
        let _ = crate::write::write_cache(&self.root, VIEWS_NAME, |w| {
            serde_json::to_writer(w, &repo).map_err(std::io::Error::from)
        });
    }

    fn write(&self, report: &Report) -> Result<(), crate::error::Error> {
        let header = Header {
            format: FORMAT,
            key: self.key.clone(),
            head: if self.git.load(Ordering::Relaxed) {
                self.head_now().clone()
            } else {
                None
            },
            generation: self.fresh.clone(),
            texts: self.known.learnt(),
        };
        crate::write::write_cache(&self.root, NAME, |w| {
            serde_json::to_writer(&mut *w, &header)?;
            w.write_all(b"\n")?;
            for f in &report.files {
                match f.stamp.as_deref() {
                    None => {}
                    Some(Stamp::Kept(range)) => w.write_all(&self.text[range.clone()])?,
                    Some(Stamp::New(line)) => w.write_all(line)?,
                }
            }
            Ok(())
        })
    }
}

/// How many of `len` items each core takes, to share them out in one chunk a core.
fn per_core(len: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    len.div_ceil(cores).max(1)
}

/// What a lookup found.
pub enum Lookup {
    /// The cached result, still true.
    Hit(FileResult),
    /// No result that holds; the file's `stat` when its bytes were read into the buffer.
    Miss(Option<Stat>),
}

/// A name for a new writing of the cache, unlike any other: a check's start time and process
/// through a randomly keyed hash.
fn fresh_generation(since: i64) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::hash::RandomState::new().build_hasher();
    h.write_i64(since);
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

/// The cache's key: everything a file's result depends on that is the same for every file.
fn key(cfg: &Config) -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| Stat::of(&m))
        .unwrap_or_default();
    let text = format!(
        "{FORMAT}\n{}\n{}:{}\n{cfg:?}",
        env!("CARGO_PKG_VERSION"),
        exe.len,
        exe.mtime
    );
    hash(text.as_bytes())
}
