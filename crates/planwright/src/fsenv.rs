//! The core's [`Env`] over the real file system, confined to the repository root.
//!
//! Plans link to the same few feature specs over and over; every answer is cached, so a
//! repository of 10,000 plans costs a few hundred `stat` calls rather than tens of thousands,
//! and a spec the rules read (`uncovered-requirement`) is read once, not once per plan.
//! `check` gives each worker thread its own environment, so the cache is never contended.

use planwright_core::Env;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// At most this many bytes of file text are kept per environment.
const TEXT_CACHE: usize = 16 << 20;

/// What `stat` said about a path: `None` when it does not exist.
#[derive(Clone, Copy, Debug)]
struct Meta {
    is_dir: bool,
    len: u64,
}

/// Answers the rules' questions about files under `root`.
#[derive(Debug)]
pub struct FsEnv {
    root: PathBuf,
    /// The root's real path, for confining every answer to it.
    real_root: PathBuf,
    cache: Mutex<HashMap<String, Option<Meta>>>,
    /// The texts read, and their total size (kept under [`TEXT_CACHE`]).
    texts: Mutex<(HashMap<String, Option<String>>, usize)>,
    /// The files whose git history holds a Digest line, asked once, when first needed.
    digest_history: std::sync::OnceLock<std::collections::HashSet<String>>,
}

impl FsEnv {
    pub fn new(root: PathBuf) -> Self {
        FsEnv {
            real_root: root.canonicalize().unwrap_or_else(|_| root.clone()),
            root,
            cache: Mutex::new(HashMap::new()),
            texts: Mutex::new((HashMap::new(), 0)),
            digest_history: std::sync::OnceLock::new(),
        }
    }

    /// The repository root this environment answers for.
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    fn meta(&self, rel: &str) -> Option<Option<Meta>> {
        // The core never asks about paths that climb out; refuse them anyway.
        let climbs = || rel.split('/').any(|s| s == "..");
        if rel.starts_with('/') || (rel.as_bytes().windows(2).any(|w| w == b"..") && climbs()) {
            return None;
        }
        if let Some(hit) = self.lock().get(rel) {
            return Some(*hit);
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
        });
        self.lock().insert(rel.to_owned(), meta);
        Some(meta)
    }

    /// Did `rel` ever have a Digest line in a commit? (See [`crate::git::digest_history`].)
    pub fn had_digest(&self, rel: &str) -> bool {
        self.digest_history
            .get_or_init(|| crate::git::digest_history(&self.root))
            .contains(rel)
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
        let text = crate::confine::read_to_string(&self.root, std::path::Path::new(rel)).ok();
        let mut t = texts();
        let size = text.as_ref().map_or(0, String::len);
        if t.1 + size <= TEXT_CACHE {
            t.1 += size;
            t.0.insert(rel.to_owned(), text.clone());
        }
        text
    }
}
