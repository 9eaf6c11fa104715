//! Finding the repository root: `--root`, or the nearest folder above the working directory
//! that holds `planwright.toml`, `spec/` or `.git` (checked in that order at each level).

use crate::error::Error;
use std::path::{Path, PathBuf};

/// Resolves the root from `--root` or by walking up from `cwd`.
pub fn find(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf, Error> {
    if let Some(dir) = explicit {
        let dir = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            cwd.join(dir)
        };
        if !dir.is_dir() {
            return Err(Error::BadRoot(dir));
        }
        return dir.canonicalize().map_err(|e| Error::io(&dir, e));
    }
    let start = cwd.canonicalize().map_err(|e| Error::io(cwd, e))?;
    for dir in start.ancestors() {
        if dir.join("planwright.toml").is_file()
            || dir.join("spec").is_dir()
            || dir.join(".git").exists()
        {
            return Ok(dir.to_path_buf());
        }
    }
    Err(Error::NoRoot { start })
}

/// `path` relative to `root`, with `/` separators; `None` when it lies outside the root.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut out = String::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(s) => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(&s.to_string_lossy());
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Makes `path` absolute and removes `.` and `..` without touching the file system (the
/// path may not exist yet, and symlinks must not carry it out of the root unseen).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
