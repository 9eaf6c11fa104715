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
pub fn lock(root: &Path) -> Result<RepoLock, Error> {
    let dir = root.join(".planwright");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        // The lock is local state; work items (later) are committed.
        std::fs::write(&ignore, "lock\n").map_err(|e| Error::io(&ignore, e))?;
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

/// A point at which tests make the writer crash (`PLANWRIGHT_CRASH_AT=<point>`).
fn crash_point(point: &str) {
    if std::env::var("PLANWRIGHT_CRASH_AT").is_ok_and(|p| p == point) {
        std::process::abort();
    }
}

/// Replaces `path` with `content` atomically. Call it while holding the [`RepoLock`].
pub fn write_atomic(path: &Path, content: &str) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "plan".into(), |n| n.to_string_lossy().into_owned());
    let tmp: PathBuf = dir.join(format!(".{name}.planwright-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        // Keep the permissions of the file being replaced.
        if let Ok(meta) = std::fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        let bytes = content.as_bytes();
        let half = bytes.len() / 2;
        f.write_all(&bytes[..half])?;
        crash_point("mid-write");
        f.write_all(&bytes[half..])?;
        f.sync_all()?;
        crash_point("before-rename");
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
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
    let old = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    match f(&old) {
        Some(new) if new != old => {
            write_atomic(path, &new)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// A line diff of two texts, with a line of context, for `--dry-run`.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Common prefix and suffix, then the changed middle: splices change one region at a time.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = format!("--- {path}\n+++ {path}\n");
    if prefix == a.len() && prefix == b.len() {
        return out + "(no change)\n";
    }
    let ctx_start = prefix.saturating_sub(1);
    out.push_str(&format!(
        "@@ -{},{} +{},{} @@\n",
        ctx_start + 1,
        a.len() - suffix - ctx_start,
        ctx_start + 1,
        b.len() - suffix - ctx_start
    ));
    for l in &a[ctx_start..prefix] {
        out.push_str(&format!(" {l}\n"));
    }
    for l in &a[prefix..a.len() - suffix] {
        out.push_str(&format!("-{l}\n"));
    }
    for l in &b[prefix..b.len() - suffix] {
        out.push_str(&format!("+{l}\n"));
    }
    if suffix > 0 {
        out.push_str(&format!(" {}\n", a[a.len() - suffix]));
    }
    out
}
