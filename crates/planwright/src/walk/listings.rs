//! Folder listings kept from one walk to the next (`.planwright/cache/dirs.json`), so that a
//! walk of an unchanged tree asks the kernel for one `stat` per folder instead of opening and
//! reading it.
//!
//! A folder's entries change only with its own `stat`: adding, removing or renaming an entry
//! updates the folder's modification and change times (this is what git's untracked cache
//! relies on too). A kept listing is used only when the folder's `stat` (times, inode) is the
//! one taken before it was listed, and that `stat` is older than two seconds before the walk
//! began, so that a second change within the same tick of the file system's clock cannot hide.
//! What is kept is what the walk needs: whether the folder has a `.gitignore` (whose content is
//! read again on every walk: editing it does not touch the folder), and its visible folders and
//! files. Ignore rules are applied to the kept names on every walk, as to listed ones.
//!
//! The layout is JSON Lines: a header, then a line per folder, its path first, parsed by the
//! worker that visits the folder. A damaged or foreign file is ignored and rewritten; writes
//! are atomic, and a walk never fails because of its listings.

use crate::fsenv::Stat;
use crate::jsonl::Records;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The listings' file, in [`crate::write::CACHE_DIR`].
const NAME: &str = "dirs.json";

/// The layout; listings of another layout are ignored.
const FORMAT: u32 = 2;

/// A folder's entries, as the walk needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entries {
    /// Whether the folder has a `.gitignore`.
    pub gitignore: bool,
    /// Its visible (not dot-named) folders and files, by name.
    pub dirs: Vec<String>,
    pub files: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
}

#[derive(Serialize)]
struct LineOut<'a> {
    rel: &'a str,
    stat: Stat,
    entries: &'a Entries,
}

#[derive(Deserialize)]
struct Line {
    rel: String,
    stat: Stat,
    entries: Entries,
}

/// The listings of the last walk, and what this walk learns.
pub struct Listings {
    root: PathBuf,
    /// When the walk began (nanoseconds since the epoch).
    since: i64,
    text: String,
    /// Each folder's line in `text`, and whether this walk used it.
    lines: Records,
    used: Vec<AtomicBool>,
    /// New lines, for folders listed on this walk.
    learnt: Mutex<Vec<String>>,
}

/// What a lookup found.
pub enum Kept {
    /// The folder's entries, as kept.
    Entries(Entries),
    /// Nothing kept that holds: list the folder, and [`Listings::learn`] it under this `stat`
    /// (taken before the listing), when there is one.
    List(Option<Stat>),
}

impl Listings {
    /// The listings kept under `root` for a walk that begins at `since` (nanoseconds since the
    /// epoch): none when there are none or they cannot be read.
    pub fn open(root: &Path, since: i64) -> Listings {
        let mut l = Listings {
            root: root.to_path_buf(),
            since,
            text: String::new(),
            lines: Records::default(),
            used: Vec::new(),
            learnt: Mutex::new(Vec::new()),
        };
        let text = crate::write::read_cache(root, NAME).and_then(|b| String::from_utf8(b).ok());
        let Some(text) = text else { return l };
        let first = text
            .split_once('\n')
            .map_or(text.as_str(), |(first, _)| first);
        if serde_json::from_str::<Header>(first).map_or(true, |h| h.format != FORMAT) {
            return l;
        }
        l.lines = Records::index(text.as_bytes(), first.len() + 1);
        l.used = (0..l.lines.len()).map(|_| AtomicBool::new(false)).collect();
        l.text = text;
        l
    }

    /// The kept entries of the folder `dir` (`rel` from the root), when its `stat` says they
    /// still hold.
    pub fn kept(&self, rel: &str, dir: &Path) -> Kept {
        // Through a link (a base folder may be one): the folder listed is the target.
        let Ok(meta) = std::fs::metadata(dir) else {
            return Kept::List(None);
        };
        let stat = Stat::of(&meta);
        if !stat.vouches(self.since) {
            return Kept::List(None);
        }
        let Some(i) = self.lines.find(self.text.as_bytes(), rel) else {
            return Kept::List(Some(stat));
        };
        match serde_json::from_str::<Line>(&self.text[self.lines.line(i)]) {
            Ok(line) if line.rel == rel && line.stat == stat => {
                self.used[i].store(true, Ordering::Relaxed);
                Kept::Entries(line.entries)
            }
            _ => Kept::List(Some(stat)),
        }
    }

    /// Keeps the entries of a folder just listed, under the `stat` taken before listing it.
    pub fn learn(&self, rel: &str, stat: Stat, entries: &Entries) {
        let line = LineOut { rel, stat, entries };
        if let Ok(mut json) = serde_json::to_string(&line) {
            json.push('\n');
            self.learnt
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(json);
        }
    }

    /// Writes the listings back when this walk learnt a folder or left one unvisited.
    /// Quietly does nothing when it cannot write.
    pub fn save(&self) {
        let learnt = self
            .learnt
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if learnt.is_empty() && self.used.iter().all(|u| u.load(Ordering::Relaxed)) {
            return;
        }
        let _ = crate::write::write_cache(&self.root, NAME, |w| {
            serde_json::to_writer(&mut *w, &Header { format: FORMAT })?;
            w.write_all(b"\n")?;
            for i in (0..self.lines.len()).filter(|&i| self.used[i].load(Ordering::Relaxed)) {
                w.write_all(self.text[self.lines.line(i)].as_bytes())?;
            }
            for line in learnt.iter() {
                w.write_all(line.as_bytes())?;
            }
            Ok(())
        });
    }
}
