//! Writing plan files safely: one repository lock for every writer, re-read under the lock,
//! byte-range splices, and an atomic replace (temporary file in the same folder, fsync,
//! rename, fsync of the folder). A crash leaves the old file or the new one, never a mix; two
//! processes never lose each other's update.

use crate::error::Error;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository's write lock (`.planwright/lock`), held until dropped.
#[derive(Debug)]
pub struct RepoLock {
    _file: File,
}

/// Takes the repository's write lock, waiting for another planwright process to finish.
/// `.planwright/` state that stays local (its `.gitignore`): the lock, run journals and logs,
/// caches. Work items are committed.
pub const LOCAL_STATE: &str = "lock\nruns/\ncache/\n";

pub fn lock(root: &Path) -> Result<RepoLock, Error> {
    let dir = crate::confine::create_dir_all(root, &root.join(".planwright"))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        // The lock is local state; work items (later) are committed.
        std::fs::write(&ignore, LOCAL_STATE).map_err(|e| Error::io(&ignore, e))?;
    }
    let path = dir.join("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    Ok(RepoLock { _file: file })
}

/// Do the tests want a crash at `point` (`PLANWRIGHT_CRASH_AT=<point>`)?
pub(crate) fn crash_requested(point: &str) -> bool {
    std::env::var("PLANWRIGHT_CRASH_AT").is_ok_and(|p| p == point)
}

/// A point at which tests make the writer crash (`PLANWRIGHT_CRASH_AT=<point>`).
pub(crate) fn crash_point(point: &str) {
    if crash_requested(point) {
        std::process::abort();
    }
}

/// Replaces `path` with `content` atomically. Call it while holding the [`RepoLock`].
///
/// The path is resolved through its links first ([`crate::confine`]): a write that would
/// land outside `root` is refused before anything is written, and a link inside the root
/// stays a link (its target is replaced).
pub fn write_atomic(root: &Path, path: &Path, content: &str) -> Result<(), Error> {
    write_file(
        &crate::confine::resolve(root, path)?,
        Durability::FileAndFolder,
        bytes(content.as_bytes()),
    )
}

/// Writes a file that did not exist (an event, a work item), atomically: whole or not at all.
/// The folder is not synced: after a power cut the newest such file may be missing, never
/// partial, and a missing event is as if it had not happened yet. Confined like
/// [`write_atomic`].
pub fn write_new(root: &Path, path: &Path, content: &str) -> Result<(), Error> {
    write_file(
        &crate::confine::resolve(root, path)?,
        Durability::File,
        bytes(content.as_bytes()),
    )
}

/// The folder of planwright's caches, from the root; git never sees it (a `.gitignore` of `*`).
pub const CACHE_DIR: &str = ".planwright/cache";

/// The bytes of the cache file `name` (in [`CACHE_DIR`]), when there is one inside the root.
pub fn read_cache(root: &Path, name: &str) -> Option<Vec<u8>> {
    let path = crate::confine::resolve_rel(root, &format!("{CACHE_DIR}/{name}")).ok()?;
    std::fs::read(path).ok()
}

/// Replaces the cache file `name` (in [`CACHE_DIR`], made when missing) atomically, without
/// waiting for the disk: after a power cut the old version or a damaged one may be found,
/// which a cache's reader detects and ignores. Needs no lock (concurrent writers each leave a
/// whole file; the last one wins). Confined like [`write_atomic`].
///
/// `fill` writes the content through a buffer, so that a large cache is never assembled in
/// memory first.
pub fn write_cache(
    root: &Path,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = crate::confine::create_dir_all(root, &root.join(CACHE_DIR))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        write_new(root, &ignore, "*\n")?;
    }
    write_file(
        &crate::confine::resolve(root, &dir.join(name))?,
        Durability::None,
        |f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
            fill(&mut w)?;
            // The temporary file holds all but the buffer's last part.
            crash_point("mid-write");
            w.flush()
        },
    )
}

/// Writes `content` in two halves, with a crash point between them for the tests.
fn bytes(content: &[u8]) -> impl FnOnce(&mut File) -> std::io::Result<()> {
    move |f| {
        let half = content.len() / 2;
        f.write_all(&content[..half])?;
        crash_point("mid-write");
        f.write_all(&content[half..])
    }
}

/// What a write waits for the disk to hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Durability {
    None,
    File,
    FileAndFolder,
}

/// Replaces `path` by a temporary file that `fill` writes, then a rename.
fn write_file(
    path: &Path,
    durability: Durability,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "plan".into(), |n| n.to_string_lossy().into_owned());
    // One name per write: two threads of one process (a server's requests) may replace the
    // same file at once, and each must rename its own whole file.
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp: PathBuf = dir.join(format!(".{name}.planwright-{}-{n}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        // Keep the permissions of the file being replaced.
        if let Ok(meta) = std::fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        fill(&mut f)?;
        if durability != Durability::None {
            f.sync_all()?;
        }
        crash_point("before-rename");
        std::fs::rename(&tmp, path)?;
        if durability == Durability::FileAndFolder
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Read-modify-write of one file under the repository lock: `f` gets the current text and
/// returns the new one (or `None` to leave the file alone).
pub fn update(
    root: &Path,
    path: &Path,
    f: impl FnOnce(&str) -> Option<String>,
) -> Result<bool, Error> {
    let _lock = lock(root)?;
    let old = crate::confine::read_to_string(root, path)?;
    match f(&old) {
        Some(new) if new != old => {
            write_atomic(root, path, &new)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// A line diff of two texts, with a line of context, for `--dry-run`.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut out = format!("--- {path}\n+++ {path}\n");
    // Common prefix and suffix first; the changed middle is aligned line by line.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == a.len() && prefix == b.len() {
        return out + "(no change)\n";
    }
    let mut ops: Vec<(char, &str)> = a[..prefix].iter().map(|l| (' ', *l)).collect();
    ops.extend(align(
        &a[prefix..a.len() - suffix],
        &b[prefix..b.len() - suffix],
    ));
    ops.extend(a[a.len() - suffix..].iter().map(|l| (' ', *l)));
    // Hunks: changes with up to three lines of context, merged when they touch.
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != ' ').collect();
    let mut i = 0;
    while i < changed.len() {
        let first = changed[i];
        let mut last = first;
        while i + 1 < changed.len() && changed[i + 1] <= last + 2 * CONTEXT + 1 {
            i += 1;
            last = changed[i];
        }
        i += 1;
        let (lo, hi) = (
            first.saturating_sub(CONTEXT),
            (last + CONTEXT + 1).min(ops.len()),
        );
        // Line numbers: count old and new lines before the hunk.
        let before = &ops[..lo];
        let old_start = before.iter().filter(|o| o.0 != '+').count();
        let new_start = before.iter().filter(|o| o.0 != '-').count();
        let body = &ops[lo..hi];
        let old_len = body.iter().filter(|o| o.0 != '+').count();
        let new_len = body.iter().filter(|o| o.0 != '-').count();
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            old_start + usize::from(old_len > 0),
            new_start + usize::from(new_len > 0)
        ));
        for (op, line) in body {
            out.push(*op);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A longest-common-subsequence alignment of two runs of lines, as diff operations. Large
/// changes fall back to delete-all-then-insert-all rather than spend quadratic memory.
fn align<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(char, &'a str)> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > 4_000_000 {
        let mut ops: Vec<(char, &str)> = a.iter().map(|l| ('-', *l)).collect();
        ops.extend(b.iter().map(|l| ('+', *l)));
        return ops;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if a[i] == b[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_diff_shows_only_what_changed() {
        let old = "# Plan\n\n**Status:** in_review\n**Author:** @sam\n**Created:** 2026-11-21\n\n## Context\n";
        let new = "# Plan\n\n**Status:** approved\n**Author:** @sam\n**Created:** 2026-11-21\n**Approver:** @jo\n\n## Context\n";
        let d = diff("p.md", old, new);
        assert_eq!(
            d,
            "--- p.md\n+++ p.md\n@@ -1,7 +1,8 @@\n # Plan\n \n-**Status:** in_review\n+**Status:** approved\n **Author:** @sam\n **Created:** 2026-11-21\n+**Approver:** @jo\n \n ## Context\n"
        );
        assert!(diff("p.md", old, old).ends_with("(no change)\n"));
    }

    #[test]
    fn distant_changes_make_separate_hunks() {
        let old: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 30\n", "line thirty\n");
        let d = diff("f", &old, &new);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(
            d.contains("@@ -1,6 +1,6 @@") && d.contains("@@ -28,7 +28,7 @@"),
            "{d}"
        );
    }

    #[test]
    fn threads_replacing_one_cache_file_each_leave_it_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        // Each thread's content is one byte repeated, large enough to take several writes.
        std::thread::scope(|s| {
            for t in 0..4u8 {
                s.spawn(move || {
                    for _ in 0..10 {
                        let content = vec![b'a' + t; 300_000];
                        write_cache(root, "same.json", |w| w.write_all(&content)).expect("write");
                    }
                });
            }
        });
        let cache = root.join(CACHE_DIR);
        let bytes = std::fs::read(cache.join("same.json")).expect("read");
        assert_eq!(bytes.len(), 300_000);
        assert!(bytes.iter().all(|&b| b == bytes[0]), "a mix of writes");
        let mut left: Vec<String> = std::fs::read_dir(&cache)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".gitignore", "same.json"]);
    }

    proptest! {
        #[test]
        fn an_alignment_rebuilds_both_sides(
            a in proptest::collection::vec("[abc]", 0..30),
            b in proptest::collection::vec("[abc]", 0..30),
        ) {
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            let ops = align(&a, &b);
            let old: Vec<&str> = ops.iter().filter(|o| o.0 != '+').map(|o| o.1).collect();
            let new: Vec<&str> = ops.iter().filter(|o| o.0 != '-').map(|o| o.1).collect();
            prop_assert_eq!(old, a);
            prop_assert_eq!(new, b);
        }
    }
}
