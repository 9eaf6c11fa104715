//! A fast directory walk on every core that honours `.gitignore` (and `.git/info/exclude`),
//! skips hidden entries and never follows symbolic links.
//!
//! Discovery walks every plan folder of a repository; on 10,000 plans the general-purpose
//! walker of the `ignore` crate spent a tenth of the whole check looking for ignore files in
//! every folder. This walk reads each folder once and loads a `.gitignore` only where the
//! folder listing shows one (a wide folder, listed in parts, is asked for it directly);
//! matching still uses the `ignore` crate's gitignore semantics.
//!
//! Folders are jobs on one shared stack that every worker thread takes from, a batch at a
//! time (smaller ones as the stack empties), and each file is handed to the caller on the
//! thread that found it; the subfolders of one listing go out together as a `Listing`,
//! whose paths the taking thread builds, so that no thread frees another's memory while
//! both work. `check` reads
//! and checks the plans of a batch as soon as it is listed, with no list of every file in
//! between. (It is no faster than walking first and checking after: the walk alone already
//! keeps both cores busy. One walk for every command is the gain: any folder with many
//! subfolders is shared out, not only the first wide one, and shared out while it is still
//! being listed.)
//!
//! Every folder is listed. (Looking up the one name that matters in a folder without
//! subfolders, instead of listing it, saved 2-4% of a 10,000-plan check: under the 5% that
//! its weight — folder handles, link counts, a list of trusted file systems — would have
//! had to earn.)

use std::ffi::OsString;
use std::fs::FileType;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

mod ignores;
mod listings;

use ignores::{Ignores, load};
pub use listings::{Entries, Kept, Listings};

/// A found file: its absolute path and its path relative to the root, with `/`.
pub type Found = (PathBuf, String);

/// `rel` joined with a name (the empty `rel` is the root itself).
fn join_rel(rel: &str, name: &std::ffi::OsStr) -> String {
    let name = name.to_string_lossy();
    if rel.is_empty() {
        return name.into_owned();
    }
    let mut out = String::with_capacity(rel.len() + 1 + name.len());
    out.push_str(rel);
    out.push('/');
    out.push_str(&name);
    out
}

/// Cores to walk on (1 when there is only one).
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// A folder being visited, with its paths.
struct Folder {
    dir: PathBuf,
    rel: String,
    ignores: Ignores,
}

/// A folder still to visit: a base, or one of the subfolders a listing found.
struct Job {
    place: Place,
    ignores: Ignores,
}

enum Place {
    Base {
        dir: PathBuf,
        rel: String,
    },
    /// The `i`th name of a listing.
    Listed(Arc<Listing>, usize),
}

/// Subfolders found by one listing, shared out together: their names in one buffer, their
/// paths built by the thread that takes them. A thread that freed or grew memory another
/// thread had allocated took that thread's allocator lock (glibc): a job per subfolder with
/// paths of its own had the two workers waiting on each other some 1,300 times in a check of
/// 10,000 plans; with listings, some 130.
struct Listing {
    dir: PathBuf,
    rel: String,
    names: Vec<u8>,
    ends: Vec<usize>,
}

impl Listing {
    fn new(dir: &Path, rel: &str) -> Listing {
        Listing {
            dir: dir.to_path_buf(),
            rel: rel.to_owned(),
            names: Vec::new(),
            ends: Vec::new(),
        }
    }

    fn push(&mut self, name: &std::ffi::OsStr) {
        self.names.extend_from_slice(name.as_encoded_bytes());
        self.ends.push(self.names.len());
    }

    fn name(&self, i: usize) -> &std::ffi::OsStr {
        use std::os::unix::ffi::OsStrExt;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        std::ffi::OsStr::from_bytes(&self.names[start..self.ends[i]])
    }

    /// Hands the names found so far out as jobs, and starts over.
    fn share_out(&mut self, jobs: &mut Vec<Job>, ignores: &Ignores) {
        let fresh = Listing::new(&self.dir, &self.rel);
        let list = Arc::new(std::mem::replace(self, fresh));
        jobs.extend((0..list.ends.len()).map(|i| Job {
            place: Place::Listed(Arc::clone(&list), i),
            ignores: ignores.clone(),
        }));
    }
}

impl Job {
    /// The folder's paths, built on this thread.
    fn folder(self) -> Folder {
        let (dir, rel) = match self.place {
            Place::Base { dir, rel } => (dir, rel),
            Place::Listed(list, i) => {
                let name = list.name(i);
                (list.dir.join(name), join_rel(&list.rel, name))
            }
        };
        Folder {
            dir,
            rel,
            ignores: self.ignores,
        }
    }
}

/// The shared stack of folders, and how many are queued or being listed: the walk is over
/// when that reaches zero.
struct Queue {
    jobs: Vec<Job>,
    pending: usize,
}

/// A folder with more entries than this is listed in parts: its subfolders are shared out
/// while the rest of it is still being read, so that the other cores do not wait for the
/// whole listing. Listing and sorting out 10,000 plan folders takes 5 to 9 ms; the second
/// core used to start after 9 to 15 ms, and now starts after 1 to 2.
const WIDE: usize = 256;

/// Lists one folder: files go onto `files`, subfolders onto `subdirs`. In a wide folder,
/// `share` is handed the subfolders found so far every [`BATCH`] of them. With `listings`,
/// a folder whose `stat` is unchanged is not listed again.
fn visit(
    job: Job,
    subdirs: &mut Vec<Job>,
    files: &mut Vec<Found>,
    share: &mut dyn FnMut(&mut Vec<Job>),
    listings: Option<&Listings>,
) {
    let mut job = job.folder();
    let learn = match listings.map(|l| l.kept(&job.rel, &job.dir)) {
        Some(Kept::Entries(kept)) => return visit_kept(job, &kept, subdirs, files),
        Some(Kept::List(stat)) => stat.map(|s| (s, Entries::default())),
        None => None,
    };
    let Ok(mut rd) = std::fs::read_dir(&job.dir) else {
        return;
    };
    let entry = |e: std::io::Result<std::fs::DirEntry>| {
        let e = e.ok()?;
        Some((e.file_name(), e.file_type().ok()?))
    };
    // The first entries are read whole; only a wide folder is read on after them.
    let mut list: Vec<(OsString, FileType)> = Vec::new();
    let mut wide = false;
    for e in rd.by_ref() {
        list.extend(entry(e));
        if list.len() == WIDE {
            wide = true;
            break;
        }
    }
    // A folder's `.gitignore` applies to all its entries: a wide folder, not yet read to its
    // end, is asked for one directly.
    let ignore_file = job.dir.join(".gitignore");
    let has_gitignore = if wide {
        ignore_file.symlink_metadata().is_ok()
    } else {
        list.iter().any(|(n, _)| n == ".gitignore")
    };
    let mut ignores = std::mem::take(&mut job.ignores);
    if has_gitignore && let Some(gi) = load(&job.dir, &ignore_file) {
        ignores = ignores.with(gi);
    }
    let mut learn = learn.map(|(stat, mut e)| {
        e.gitignore = has_gitignore;
        (stat, e)
    });
    let mut found = Listing::new(&job.dir, &job.rel);
    let mut take = |found: &mut Listing, files: &mut Vec<Found>, name: &OsString, ft: FileType| {
        if name.as_encoded_bytes().first() == Some(&b'.') {
            return;
        }
        let is_dir = ft.is_dir();
        if !is_dir && !ft.is_file() {
            return;
        }
        if let Some((_, e)) = learn.as_mut() {
            // A name that is not UTF-8 cannot be kept: the folder is listed every time.
            match (name.to_str(), is_dir) {
                (Some(n), true) => e.dirs.push(n.to_owned()),
                (Some(n), false) => e.files.push(n.to_owned()),
                (None, _) => learn = None,
            }
        }
        take_entry(&job, &ignores, found, files, name, is_dir);
    };
    for (name, ft) in &list {
        take(&mut found, files, name, *ft);
    }
    let share_out = |found: &mut Listing, subdirs: &mut Vec<Job>| {
        if !found.ends.is_empty() {
            found.share_out(subdirs, &ignores);
        }
    };
    if wide {
        drop(list);
        share_out(&mut found, subdirs);
        share(subdirs);
        for e in rd {
            if found.ends.len() >= BATCH {
                share_out(&mut found, subdirs);
                share(subdirs);
            }
            if let Some((name, ft)) = entry(e) {
                take(&mut found, files, &name, ft);
            }
        }
    }
    share_out(&mut found, subdirs);
    if let (Some(l), Some((stat, entries))) = (listings, learn) {
        l.learn(&job.rel, stat, &entries);
    }
}

/// A folder's subfolder or file, unless it is ignored: a subfolder goes onto `found`, a file
/// onto `files`.
fn take_entry(
    job: &Folder,
    ignores: &Ignores,
    found: &mut Listing,
    files: &mut Vec<Found>,
    name: &std::ffi::OsStr,
    is_dir: bool,
) {
    let path = job.dir.join(name);
    if ignores.ignored(&path, is_dir) {
        return;
    }
    if is_dir {
        found.push(name);
    } else {
        files.push((path, join_rel(&job.rel, name)));
    }
}

/// Visits a folder from its kept entries, as [`visit`] would from its listing.
fn visit_kept(mut job: Folder, kept: &Entries, subdirs: &mut Vec<Job>, files: &mut Vec<Found>) {
    let mut ignores = std::mem::take(&mut job.ignores);
    if kept.gitignore {
        let ignore_file = job.dir.join(".gitignore");
        if let Some(gi) = load(&job.dir, &ignore_file) {
            ignores = ignores.with(gi);
        }
    }
    let mut found = Listing::new(&job.dir, &job.rel);
    for name in &kept.dirs {
        take_entry(&job, &ignores, &mut found, files, name.as_ref(), true);
    }
    for name in &kept.files {
        take_entry(&job, &ignores, &mut found, files, name.as_ref(), false);
    }
    if !found.ends.is_empty() {
        found.share_out(subdirs, &ignores);
    }
}

/// How many folders a worker takes from the stack at once. It lists them all, then hands
/// their files over: listing a folder and checking its plan in turn made a whole check 5%
/// slower than listing everything first (batches of 16, still 5%; of 256, 1% faster), the
/// kernel's directory work evicting the checker's caches each time.
const BATCH: usize = 256;

/// Walks every file under the `bases` (folders inside `root`) on all cores, in no particular
/// order. Each worker thread starts from `init()`, hands every file it finds, with its path
/// relative to `root`, to `each`, and ends with `finish`, whose results come back. Ignore
/// files of `root` and of the folders between `root` and a base apply too.
pub fn walk<S, T: Send>(
    root: &Path,
    bases: &[PathBuf],
    listings: Option<&Listings>,
    init: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, Found) + Sync,
    finish: impl Fn(S) -> T + Sync,
) -> Vec<T> {
    let mut jobs = Vec::new();
    for base in bases {
        // Relative paths are built while walking: taking every found path apart afterwards
        // cost a fifth of the walk.
        let Some(rel) = crate::root::relative(root, base) else {
            continue;
        };
        let ignores = Ignores::above(root, base);
        if base != root && ignores.ignored(base, true) {
            continue;
        }
        jobs.push(Job {
            place: Place::Base {
                dir: base.clone(),
                rel,
            },
            ignores,
        });
    }
    if jobs.is_empty() {
        return Vec::new();
    }
    let queue = Mutex::new(Queue {
        pending: jobs.len(),
        jobs,
    });
    let wake = Condvar::new();
    let workers = threads();
    let worker = || {
        let mut state = init();
        let mut subdirs: Vec<Job> = Vec::new();
        let mut files: Vec<Found> = Vec::new();
        let mut taken: Vec<Job> = Vec::with_capacity(BATCH);
        let mut finished = 0;
        // Subfolders of a wide folder, shared out while it is still being listed.
        let mut share = |found: &mut Vec<Job>| {
            let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
            q.pending += found.len();
            q.jobs.append(found);
            wake.notify_all();
        };
        loop {
            {
                let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
                // One lock per batch: the last one's end and its subfolders, then the next.
                q.pending -= finished;
                if !subdirs.is_empty() {
                    q.pending += subdirs.len();
                    q.jobs.append(&mut subdirs);
                    wake.notify_all();
                }
                loop {
                    if !q.jobs.is_empty() {
                        // Smaller and smaller shares as the stack empties, so that no core
                        // idles at the end while another still works through a batch.
                        let n = BATCH.min(q.jobs.len().div_ceil(4 * workers));
                        let from = q.jobs.len() - n;
                        taken.extend(q.jobs.drain(from..));
                        break;
                    }
                    if q.pending == 0 {
                        wake.notify_all();
                        break;
                    }
                    q = wake.wait(q).unwrap_or_else(PoisonError::into_inner);
                }
            }
            if taken.is_empty() {
                break;
            }
            finished = taken.len();
            // A panic must not leave the other workers waiting for these folders.
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                for job in taken.drain(..) {
                    visit(job, &mut subdirs, &mut files, &mut share, listings);
                }
                for f in files.drain(..) {
                    each(&mut state, f);
                }
            }));
            if done.is_err() {
                taken.clear();
                files.clear();
            }
        }
        finish(state)
    };
    std::thread::scope(|s| {
        let all: Vec<_> = (0..workers).map(|_| s.spawn(worker)).collect();
        all.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

/// Every file under `base` (a folder inside `root`), in no particular order, with its path
/// relative to `root`.
pub fn files(root: &Path, base: &Path) -> Vec<Found> {
    let parts = walk(
        root,
        &[base.to_path_buf()],
        None,
        Vec::new,
        |v: &mut Vec<Found>, f| v.push(f),
        |v| v,
    );
    parts.into_iter().flatten().collect()
}

/// Merges lists each sorted by `key` into one sorted list, keeping the first of equal keys.
/// Workers sort their own finds in parallel; this is the one pass left on a single core.
pub fn merge_sorted<T>(parts: Vec<Vec<T>>, key: impl Fn(&T) -> &str) -> Vec<T> {
    let total = parts.iter().map(Vec::len).sum();
    let mut out: Vec<T> = Vec::with_capacity(total);
    // Each item moves once, from its list's iterator straight to its place: a check's
    // results are large, and moving them twice (and comparing their paths again and again)
    // took milliseconds on one core.
    let mut heads: Vec<std::vec::IntoIter<T>> = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(Vec::into_iter)
        .collect();
    while !heads.is_empty() {
        let mut best = 0;
        for i in 1..heads.len() {
            if let (Some(a), Some(b)) =
                (heads[i].as_slice().first(), heads[best].as_slice().first())
                && key(a) < key(b)
            {
                best = i;
            }
        }
        let Some(item) = heads[best].next() else {
            heads.remove(best);
            continue;
        };
        if heads[best].as_slice().is_empty() {
            heads.remove(best);
        }
        if out.last().is_some_and(|l| key(l) == key(&item)) {
            continue;
        }
        out.push(item);
    }
    out
}

#[cfg(test)]
mod tests;
