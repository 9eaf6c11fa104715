//! The core's [`Env`] over the real file system, confined to the repository root.
//!
//! Plans link to the same few feature specs over and over; every answer is cached, so a
//! repository of 10,000 plans costs a few hundred `stat` calls rather than tens of thousands,
//! and a spec the rules read (`uncovered-requirement`) is read once, not once per plan.
//! `check` gives each worker thread its own environment, so the cache is never contended.
//!
//! For the check cache, an environment can record what one file's check asked and what it
//! was told ([`FsEnv::record`], [`FsEnv::recorded`]): the answers to ask again before that
//! file's cached result is trusted.

use planwright_core::Env;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// What `stat` says of a file's bytes without reading them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stat {
    pub len: u64,
    /// Modification and status-change times, nanoseconds since the epoch.
    pub mtime: i64,
    pub ctime: i64,
    pub ino: u64,
}

/// A file changed this little before a check began is not trusted by its `stat` alone
/// (nanoseconds): timestamps advance in ticks, and a second change within the tick of the
/// first would leave the same `stat` behind ("racily clean", as git calls it).
const RACY_NS: i64 = 2_000_000_000;

impl Stat {
    /// Whether this `stat`, taken during a check that began at `since` (nanoseconds since the
    /// epoch), vouches for the file's content: it changed long enough before.
    pub fn vouches(&self, since: i64) -> bool {
        since.saturating_sub(self.mtime.max(self.ctime)) > RACY_NS
    }

    pub fn of(meta: &std::fs::Metadata) -> Stat {
        let ns = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        };
        #[cfg(unix)]
        let (ctime, ino) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (ctime, ino) = (0, 0);
        Stat {
            len: meta.len(),
            mtime: ns(meta.modified()),
            ctime,
            ino,
        }
    }
}

/// At most this many bytes of file text are kept per environment.
const TEXT_CACHE: usize = 16 << 20;

/// What `stat` said about a path: `None` when it does not exist.
#[derive(Clone, Copy, Debug)]
struct Meta {
    is_dir: bool,
    len: u64,
    stat: Stat,
}

/// One answer the environment gave, in a form that can be asked again and compared: what
/// `stat` said (folder or not, length), or a file's text as its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Answer {
    Meta(Option<(bool, u64)>),
    Text(Option<String>),
}

/// What one file's check asked of its surroundings.
#[derive(Debug, Default)]
pub struct Recording {
    /// Each path asked about, with the answer (in the order asked; repeats removed).
    pub asked: Vec<(String, Answer)>,
    /// Whether git's history was consulted (the answer depends on the commit checked out).
    pub git: bool,
}

/// A file's text and its SHA-256 (hexadecimal).
type Text = (String, String);

/// Texts whose SHA-256 an earlier check learnt, by path, with the `stat` each was read under:
/// while a file's `stat` is that one (and vouched for its content then), its text has that
/// hash and need not be read. What this check learns is gathered for the next one.
#[derive(Debug, Default)]
pub struct KnownTexts {
    /// When this check began (nanoseconds since the epoch).
    since: i64,
    old: HashMap<String, (Stat, String)>,
    learnt: Mutex<HashMap<String, (Stat, String)>>,
}

impl KnownTexts {
    /// What an earlier check learnt, for a check that began at `since`.
    pub fn new(since: i64, old: impl IntoIterator<Item = (String, Stat, String)>) -> KnownTexts {
        KnownTexts {
            since,
            old: old.into_iter().map(|(rel, s, h)| (rel, (s, h))).collect(),
            learnt: Mutex::new(HashMap::new()),
        }
    }

    /// Every text this check read or found unchanged, with its `stat` and hash, by path.
    pub fn learnt(&self) -> Vec<(String, Stat, String)> {
        let mut v: Vec<_> = self
            .learnt
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(rel, (s, h))| (rel.clone(), *s, h.clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn learn(&self, rel: &str, stat: Stat, hash: &str) {
        if stat.vouches(self.since) {
            self.learnt
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(rel.to_owned(), (stat, hash.to_owned()));
        }
    }
}

/// Answers the rules' questions about files under `root`.
#[derive(Debug)]
pub struct FsEnv {
    root: PathBuf,
    /// The root's real path, for confining every answer to it.
    real_root: PathBuf,
    cache: Mutex<HashMap<String, Option<Meta>>>,
    /// The texts read with their SHA-256, and their total size (kept under [`TEXT_CACHE`]).
    texts: Mutex<(HashMap<String, Option<Text>>, usize)>,
    /// The files whose git history holds a Digest line, asked once, when first needed.
    digest_history: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// What the current file's check asked, while recording.
    recording: Mutex<Option<Recording>>,
    /// Texts' hashes known from an earlier check, and those found still true.
    known: Option<std::sync::Arc<KnownTexts>>,
    hashes: Mutex<HashMap<String, String>>,
}

impl FsEnv {
    pub fn new(root: PathBuf) -> Self {
        FsEnv {
            real_root: root.canonicalize().unwrap_or_else(|_| root.clone()),
            root,
            cache: Mutex::new(HashMap::new()),
            texts: Mutex::new((HashMap::new(), 0)),
            digest_history: std::sync::OnceLock::new(),
            recording: Mutex::new(None),
            known: None,
            hashes: Mutex::new(HashMap::new()),
        }
    }

    /// This environment, answering for texts' hashes from `known` where their `stat` is
    /// unchanged, and telling it each text it reads.
    #[must_use]
    pub fn with_known(mut self, known: std::sync::Arc<KnownTexts>) -> Self {
        self.known = Some(known);
        self
    }

    /// The repository root this environment answers for.
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// What `stat` says of `rel` (asked once), noted as an answer while recording.
    fn meta(&self, rel: &str) -> Option<Option<Meta>> {
        let meta = self.meta_quietly(rel)?;
        self.note(rel, Answer::Meta(meta.map(|m| (m.is_dir, m.len))));
        Some(meta)
    }

    /// What `stat` says of `rel`, through its links and inside the root, asked once.
    fn meta_quietly(&self, rel: &str) -> Option<Option<Meta>> {
        // The core never asks about paths that climb out; refuse them anyway.
        let climbs = || rel.split('/').any(|s| s == "..");
        if rel.starts_with('/') || (rel.as_bytes().windows(2).any(|w| w == b"..") && climbs()) {
            return None;
        }
        if let Some(hit) = self.lock().get(rel).copied() {
            return Some(hit);
        }
        let path = if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        // Through a link, a path may lead out of the root: there it does not exist.
        let meta = crate::confine::resolve_in(&self.root, &self.real_root, &path).ok();
        let meta = meta.and_then(|p| std::fs::metadata(p).ok()).map(|m| Meta {
            is_dir: m.is_dir(),
            len: m.len(),
            stat: Stat::of(&m),
        });
        self.lock().insert(rel.to_owned(), meta);
        Some(meta)
    }

    /// Starts recording what is asked (see [`Recording`]), forgetting any earlier record.
    pub fn record(&self) {
        *self.recorded_lock() = Some(Recording::default());
    }

    /// Stops recording and gives what was asked since [`FsEnv::record`].
    pub fn recorded(&self) -> Recording {
        let mut r = self.recorded_lock().take().unwrap_or_default();
        // A few questions a file: a linear search beats hashing them.
        let mut kept: Vec<(String, Answer)> = Vec::with_capacity(r.asked.len());
        for a in r.asked.drain(..) {
            if !kept.contains(&a) {
                kept.push(a);
            }
        }
        r.asked = kept;
        r
    }

    /// Notes that git's history was consulted for the file being checked.
    pub fn note_git(&self) {
        if let Some(r) = self.recorded_lock().as_mut() {
            r.git = true;
        }
    }

    fn note(&self, rel: &str, answer: Answer) {
        if let Some(r) = self.recorded_lock().as_mut() {
            r.asked.push((rel.to_owned(), answer));
        }
    }

    fn recorded_lock(&self) -> std::sync::MutexGuard<'_, Option<Recording>> {
        self.recording
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Asks a recorded question again: the answer the file system gives now.
    pub fn ask(&self, rel: &str, like: &Answer) -> Answer {
        match like {
            Answer::Meta(_) => Answer::Meta(self.meta(rel).flatten().map(|m| (m.is_dir, m.len))),
            Answer::Text(_) => Answer::Text(self.text_hash(rel)),
        }
    }

    /// Did `rel` ever have a Digest line in a commit? (See [`crate::git::digest_history`].)
    pub fn had_digest(&self, rel: &str) -> bool {
        self.note_git();
        self.digest_history
            .get_or_init(|| crate::git::digest_history(&self.root))
            .contains(rel)
    }

    /// A small file's SHA-256 (hexadecimal), without copying its text, and without reading
    /// it when an earlier check knew it under the same `stat`.
    fn text_hash(&self, rel: &str) -> Option<String> {
        let read = self
            .texts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .0
            .get(rel)
            .map(|t| t.as_ref().map(|(_, h)| h.clone()));
        if let Some(hash) = read {
            return hash;
        }
        let lock = || {
            self.hashes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(hash) = lock().get(rel) {
            return Some(hash.clone());
        }
        if let Some(known) = self.known.as_deref()
            && let Some((stat, hash)) = known.old.get(rel)
            && self.meta_quietly(rel).flatten().map(|m| m.stat) == Some(*stat)
        {
            known.learn(rel, *stat, hash);
            lock().insert(rel.to_owned(), hash.clone());
            return Some(hash.clone());
        }
        self.text(rel).map(|(_, h)| h)
    }

    /// A small file's text and its SHA-256 (hexadecimal), read once.
    fn text(&self, rel: &str) -> Option<Text> {
        // Sibling documents only: small files inside the root.
        let len = self.file_len(rel)?;
        if len > 4 * 1024 * 1024 {
            return None;
        }
        let texts = || {
            self.texts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(hit) = texts().0.get(rel) {
            return hit.clone();
        }
        let text = self.read_text(rel).map(|(t, stat)| {
            let hash = planwright_core::digest::hex(&planwright_core::digest::sha256(t.as_bytes()));
            if let Some(known) = self.known.as_deref() {
                known.learn(rel, stat, &hash);
            }
            (t, hash)
        });
        let mut t = texts();
        let size = text.as_ref().map_or(0, |(t, _)| t.len());
        if t.1 + size <= TEXT_CACHE {
            t.1 += size;
            t.0.insert(rel.to_owned(), text.clone());
        }
        text
    }

    /// A file's text inside the root, with its `stat` as read.
    fn read_text(&self, rel: &str) -> Option<(String, Stat)> {
        let path = self.root.join(rel);
        let real = crate::confine::resolve_in(&self.root, &self.real_root, &path).ok()?;
        let mut f = std::fs::File::open(real).ok()?;
        let stat = Stat::of(&f.metadata().ok()?);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).ok()?;
        Some((text, stat))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<Meta>>> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Env for FsEnv {
    fn exists(&self, rel: &str) -> Option<bool> {
        self.meta(rel).map(|m| m.is_some())
    }

    fn is_dir(&self, rel: &str) -> Option<bool> {
        self.meta(rel).map(|m| m.is_some_and(|m| m.is_dir))
    }

    fn file_len(&self, rel: &str) -> Option<u64> {
        self.meta(rel)
            .flatten()
            .filter(|m| !m.is_dir)
            .map(|m| m.len)
    }

    fn read_to_string(&self, rel: &str) -> Option<String> {
        let text = self.text(rel);
        self.note(rel, Answer::Text(text.as_ref().map(|(_, h)| h.clone())));
        text.map(|(t, _)| t)
    }
}
