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
//! A folder is not listed at all when it has no subfolders (its link count is 2, on a file
//! system known to keep that count) and the caller can name every file that could matter
//! in it (`README.md` under `spec/plans/**`): only its `.gitignore` is looked up, and the
//! names are handed out as [`Seen::Named`], for the reader to open (relative to the parent
//! folder's handle) and pass over when they are not there. A plan folder then costs two
//! lookups instead of a listing (open, stat, two reads of entries, close) and a third
//! lookup, and the plan's own open is a short relative one.

use std::ffi::OsString;
use std::fs::{File, FileType};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

mod ignores;

use ignores::{Ignores, load};

/// A found file: its absolute path and its path relative to the root, with `/`.
pub type Found = (PathBuf, String);

/// How a found file was found, and so how it is to be opened: see [`open`].
pub enum Seen {
    /// Seen in its folder's listing: a regular file.
    Listed,
    /// Only named by the globs in a folder that was not listed: it may not be there, or not
    /// be a regular file. Opened relative to its folder's parent when that is open.
    Named(Option<Arc<Handle>>),
}

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

/// An open folder, to look up the names in its subfolders relative to it: shorter lookups
/// for the kernel than whole paths. At most [`HANDLES`] are open at once in a process, so
/// that a wide tree of folders cannot run out of file descriptors; past that, names are
/// looked up by their whole path.
pub struct Handle(File);

const HANDLES: usize = 64;
static OPEN_HANDLES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Handle {
    fn open(dir: &Path) -> Option<Arc<Handle>> {
        use std::sync::atomic::Ordering::Relaxed;
        if OPEN_HANDLES.fetch_add(1, Relaxed) >= HANDLES {
            OPEN_HANDLES.fetch_sub(1, Relaxed);
            return None;
        }
        let Ok(f) = File::open(dir) else {
            OPEN_HANDLES.fetch_sub(1, Relaxed);
            return None;
        };
        Some(Arc::new(Handle(f)))
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        OPEN_HANDLES.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The folder handle and the path relative to it to look `abs` up by (its last `parts`
/// segments), or the current folder and the whole path.
#[cfg(target_os = "linux")]
fn at<'p>(
    handle: Option<&'p Handle>,
    abs: &'p Path,
    parts: usize,
) -> (std::os::fd::BorrowedFd<'p>, &'p Path) {
    use std::os::fd::AsFd;
    use std::os::unix::ffi::OsStrExt;
    // On bytes: `Path::parent` and `strip_prefix` parse every component of the whole path.
    let tail = handle.and_then(|h| {
        let b = abs.as_os_str().as_bytes();
        let mut start = b.len();
        for _ in 0..parts {
            start = b[..start].iter().rposition(|&c| c == b'/')?;
        }
        let rest = Path::new(std::ffi::OsStr::from_bytes(b.get(start + 1..)?));
        Some((h.0.as_fd(), rest))
    });
    tail.unwrap_or((nix::fcntl::AT_FDCWD, abs))
}

/// Opens a found file to read it, with its length: `None` when a [`Seen::Named`] file is
/// not there or not a regular file (as if a listing had not shown it).
pub fn open(abs: &Path, seen: &Seen) -> std::io::Result<Option<(File, u64)>> {
    let handle = match seen {
        Seen::Listed => {
            let f = File::open(abs)?;
            let len = f.metadata()?.len();
            return Ok(Some((f, len)));
        }
        Seen::Named(h) => h.as_deref(),
    };
    open_named(abs, handle)
}

#[cfg(target_os = "linux")]
fn open_named(abs: &Path, handle: Option<&Handle>) -> std::io::Result<Option<(File, u64)>> {
    use nix::errno::Errno;
    use nix::fcntl::{OFlag, openat};
    let (dir, path) = at(handle, abs, 2);
    // A link is not followed and a FIFO does not block: neither is read.
    let flags = OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC;
    let f = match openat(dir, path, flags, nix::sys::stat::Mode::empty()) {
        Ok(fd) => File::from(fd),
        Err(Errno::ENOENT | Errno::ELOOP | Errno::ENOTDIR) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let meta = f.metadata()?;
    Ok(meta.is_file().then_some((f, meta.len())))
}

#[cfg(not(target_os = "linux"))]
fn open_named(abs: &Path, _: Option<&Handle>) -> std::io::Result<Option<(File, u64)>> {
    match abs.symlink_metadata() {
        Ok(m) if m.is_file() => Ok(Some((File::open(abs)?, m.len()))),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Is a found file there, a regular file? (Always, for a listed one.)
pub fn exists(abs: &Path, seen: &Seen) -> bool {
    match seen {
        Seen::Listed => true,
        Seen::Named(h) => is_file(abs, h.as_deref()),
    }
}

#[cfg(target_os = "linux")]
fn is_file(abs: &Path, handle: Option<&Handle>) -> bool {
    lstat_at(handle, abs, 2).is_some_and(|(kind, _)| kind == nix::sys::stat::SFlag::S_IFREG)
}

/// The kind (`S_IFREG`, `S_IFDIR`, ...) and status of `abs`, not following a link, looked up
/// through [`at`].
#[cfg(target_os = "linux")]
fn lstat_at(
    handle: Option<&Handle>,
    abs: &Path,
    parts: usize,
) -> Option<(nix::sys::stat::SFlag, nix::sys::stat::FileStat)> {
    use nix::sys::stat::{SFlag, fstatat};
    let (dir, path) = at(handle, abs, parts);
    let st = fstatat(dir, path, nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW).ok()?;
    Some((SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT, st))
}

#[cfg(not(target_os = "linux"))]
fn is_file(abs: &Path, _: Option<&Handle>) -> bool {
    abs.symlink_metadata().is_ok_and(|m| m.is_file())
}

/// A folder being visited, with its paths.
struct Folder {
    dir: PathBuf,
    rel: String,
    ignores: Ignores,
    /// The folder it was found in, when that is open.
    parent: Option<Arc<Handle>>,
}

/// A folder still to visit: a base, or one of the subfolders a listing found.
struct Job {
    place: Place,
    ignores: Ignores,
    parent: Option<Arc<Handle>>,
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
    fn share_out(&mut self, jobs: &mut Vec<Job>, ignores: &Ignores, parent: &Option<Arc<Handle>>) {
        let fresh = Listing::new(&self.dir, &self.rel);
        let list = Arc::new(std::mem::replace(self, fresh));
        jobs.extend((0..list.ends.len()).map(|i| Job {
            place: Place::Listed(Arc::clone(&list), i),
            ignores: ignores.clone(),
            parent: parent.clone(),
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
            parent: self.parent,
        }
    }
}

/// For a folder (its path relative to the root), the only file names that could matter in
/// it: pushes them onto the list and returns `true`, or returns `false` when any name could
/// (the folder must be listed).
pub type Names<'a> = &'a (dyn Fn(&str, &mut Vec<&'a str>) -> bool + Sync);

/// How folders without subfolders are read without listing them.
struct Leaves<'a> {
    names: Names<'a>,
    /// The root's device: a folder on another (a mount point) is listed.
    dev: u64,
}

/// [`Leaves`] when the root's file system keeps directory link counts (two plus one for
/// each subfolder): ext2/3/4, XFS and tmpfs do. Btrfs, overlayfs and network file systems
/// do not, or not always, and every folder on them is listed.
#[cfg(target_os = "linux")]
fn leaves<'a>(root: &Path, names: Option<Names<'a>>) -> Option<Leaves<'a>> {
    use nix::sys::statfs::{EXT4_SUPER_MAGIC, TMPFS_MAGIC, XFS_SUPER_MAGIC, statfs};
    use std::os::unix::fs::MetadataExt;
    let names = names?;
    let kind = statfs(root).ok()?.filesystem_type();
    if ![EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC, TMPFS_MAGIC].contains(&kind) {
        return None;
    }
    let dev = root.metadata().ok()?.dev();
    Some(Leaves { names, dev })
}

#[cfg(not(target_os = "linux"))]
fn leaves<'a>(_root: &Path, _names: Option<Names<'a>>) -> Option<Leaves<'a>> {
    None
}

/// Reads a folder without listing it when it has no subfolders and every file name that
/// could matter in it is known: those names go onto `files`, to be opened by [`open`], which
/// passes over any that is not there. `false` when the folder must be listed.
#[cfg(target_os = "linux")]
fn read_leaf(lv: &Leaves<'_>, job: &Folder, files: &mut Vec<(Found, Seen)>) -> bool {
    let handle = job.parent.as_deref();
    // The names first: a folder where any name could matter is listed without a lookup.
    let mut wanted = Vec::with_capacity(2);
    if !(lv.names)(&job.rel, &mut wanted) {
        return false;
    }
    match lstat_at(handle, &job.dir, 1) {
        Some((kind, st))
            if kind == nix::sys::stat::SFlag::S_IFDIR
                && st.st_nlink == 2
                && st.st_dev == lv.dev => {}
        _ => return false,
    }
    let ignore_file = job.dir.join(".gitignore");
    let mut ignores = job.ignores.clone();
    if lstat_at(handle, &ignore_file, 2).is_some()
        && let Some(gi) = load(&job.dir, &ignore_file)
    {
        ignores = ignores.with(gi);
    }
    for file in wanted {
        // Hidden names are skipped as in a listing; a name is one path segment.
        if file.is_empty() || file.starts_with('.') || file.contains('/') {
            continue;
        }
        let path = job.dir.join(file);
        if !ignores.ignored(&path, false) {
            let rel = join_rel(&job.rel, file.as_ref());
            files.push(((path, rel), Seen::Named(job.parent.clone())));
        }
    }
    #[cfg(test)]
    tests::UNLISTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    true
}

#[cfg(not(target_os = "linux"))]
fn read_leaf(_: &Leaves<'_>, _: &Folder, _: &mut Vec<(Found, Seen)>) -> bool {
    false
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
/// `share` is handed the subfolders found so far every [`BATCH`] of them.
fn visit(
    job: Job,
    leaves: Option<&Leaves<'_>>,
    subdirs: &mut Vec<Job>,
    files: &mut Vec<(Found, Seen)>,
    share: &mut dyn FnMut(&mut Vec<Job>),
) {
    let job = job.folder();
    if let Some(lv) = leaves
        && read_leaf(lv, &job, files)
    {
        return;
    }
    let Ok(mut rd) = std::fs::read_dir(&job.dir) else {
        return;
    };
    // This folder's handle, opened at its first subfolder, for its subfolders to be looked
    // at without listing them; already settled (none) when no folder is read that way.
    let mut handle: Option<Option<Arc<Handle>>> = leaves.is_none().then_some(None);
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
    let mut ignores = job.ignores;
    if has_gitignore && let Some(gi) = load(&job.dir, &ignore_file) {
        ignores = ignores.with(gi);
    }
    let mut found = Listing::new(&job.dir, &job.rel);
    let take =
        |found: &mut Listing, files: &mut Vec<(Found, Seen)>, name: &OsString, ft: FileType| {
            if name.as_encoded_bytes().first() == Some(&b'.') {
                return;
            }
            let path = job.dir.join(name);
            let is_dir = ft.is_dir();
            if ignores.ignored(&path, is_dir) {
                return;
            }
            if is_dir {
                found.push(name);
            } else if ft.is_file() {
                let rel = join_rel(&job.rel, name);
                files.push(((path, rel), Seen::Listed));
            }
        };
    for (name, ft) in &list {
        take(&mut found, files, name, *ft);
    }
    // The folder's handle is opened only when it has subfolders to hand out.
    let mut share_out = |found: &mut Listing, subdirs: &mut Vec<Job>| {
        if !found.ends.is_empty() {
            let parent = handle.get_or_insert_with(|| Handle::open(&job.dir)).clone();
            found.share_out(subdirs, &ignores, &parent);
        }
    };
    if !wide {
        share_out(&mut found, subdirs);
        return;
    }
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
    share_out(&mut found, subdirs);
}

/// How many folders a worker takes from the stack at once. It lists them all, then hands
/// their files over: listing a folder and checking its plan in turn made a whole check 5%
/// slower than listing everything first (batches of 16, still 5%; of 256, 1% faster), the
/// kernel's directory work evicting the checker's caches each time.
const BATCH: usize = 256;

/// Walks every file under the `bases` (folders inside `root`) on all cores, in no particular
/// order. Each worker thread starts from `init()`, hands every file it finds, with its path
/// relative to `root`, to `each`, and ends with `finish`, whose results come back. Ignore
/// files of `root` and of the folders between `root` and a base apply too. With `names`,
/// folders without subfolders may be read without listing them (see [`Names`]): only the
/// files it names are found in them.
pub fn walk<S, T: Send>(
    root: &Path,
    bases: &[PathBuf],
    names: Option<Names<'_>>,
    init: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, Found, Seen) + Sync,
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
            parent: None,
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
    let leaves = leaves(root, names);
    let worker = || {
        let mut state = init();
        let mut subdirs: Vec<Job> = Vec::new();
        let mut files: Vec<(Found, Seen)> = Vec::new();
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
                    visit(job, leaves.as_ref(), &mut subdirs, &mut files, &mut share);
                }
                for (f, seen) in files.drain(..) {
                    each(&mut state, f, seen);
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
        |v: &mut Vec<Found>, f, _| v.push(f),
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
