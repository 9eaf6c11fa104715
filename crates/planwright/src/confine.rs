//! Keeping every read and write inside the repository root, whatever links the checkout holds.
//!
//! A checkout is input like any other: a pull request can replace `spec/plans/x/README.md`
//! or a whole feature folder with a symbolic link to anywhere. Every path planwright reads or
//! writes outside the whole-repository walk (which never follows a link) goes through
//! [`resolve`]: the path is resolved through every link in it, its parent folders included,
//! and the real path must lie inside the real root. Paths that do not exist yet (a plan about
//! to be written) are resolved up to their deepest existing folder, so a new file under a
//! linked folder is refused before anything is written.

use crate::error::Error;
use std::path::{Component, Path, PathBuf};

/// The real path of `path` (absolute, or relative to `root`) when it lies inside the real
/// root; an [`Error::Outside`] naming the path and where it leads otherwise.
pub fn resolve(root: &Path, path: &Path) -> Result<PathBuf, Error> {
    let base = root.canonicalize().map_err(|e| Error::io(root, e))?;
    resolve_in(root, &base, path)
}

/// [`resolve`] with the root's real path already known (`base`), for callers that ask many
/// times.
pub fn resolve_in(root: &Path, base: &Path, path: &Path) -> Result<PathBuf, Error> {
    let lexical = crate::root::absolute(root, path);
    let shown = || {
        crate::root::relative(root, &lexical)
            .or_else(|| crate::root::relative(base, &lexical))
            .unwrap_or_else(|| lexical.display().to_string())
    };
    if !lexical.starts_with(root) && !lexical.starts_with(base) {
        return Err(Error::Outside {
            path: shown(),
            real: lexical.clone(),
            root: base.to_path_buf(),
        });
    }
    // The deepest part of the path that exists (a dangling link counts: it exists as a link).
    let mut existing = lexical.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut real = match existing.canonicalize() {
        Ok(p) => p,
        // A link to nothing: writing through it would create its target, wherever it is.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let target = std::fs::read_link(existing).unwrap_or_else(|_| existing.to_path_buf());
            return Err(Error::Outside {
                path: shown(),
                real: target,
                root: base.to_path_buf(),
            });
        }
        Err(e) => return Err(Error::io(existing, e)),
    };
    for name in rest.iter().rev() {
        real.push(name);
    }
    if real.starts_with(base) {
        Ok(real)
    } else {
        Err(Error::Outside {
            path: shown(),
            real,
            root: base.to_path_buf(),
        })
    }
}

/// `rel` (a path relative to the root, as plans and work items write them) resolved by
/// [`resolve`], refused when it is absolute or climbs with `..` even if it would come back.
pub fn resolve_rel(root: &Path, rel: &str) -> Result<PathBuf, Error> {
    let base = root.canonicalize().map_err(|e| Error::io(root, e))?;
    resolve_rel_in(root, &base, rel)
}

/// [`resolve_rel`] with the root's real path already known (`base`), for callers that ask
/// many times.
pub fn resolve_rel_in(root: &Path, base: &Path, rel: &str) -> Result<PathBuf, Error> {
    let p = Path::new(rel);
    if rel.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::Outside {
            path: rel.to_owned(),
            real: p.to_path_buf(),
            root: root.to_path_buf(),
        });
    }
    resolve_in(root, base, p)
}

/// Reads a file inside the root as text.
pub fn read_to_string(root: &Path, path: &Path) -> Result<String, Error> {
    let real = resolve(root, path)?;
    std::fs::read_to_string(&real).map_err(|e| Error::io(path, e))
}

/// Creates a folder and its parents inside the root; refused before creating anything when
/// the folder would lie outside it.
pub fn create_dir_all(root: &Path, dir: &Path) -> Result<PathBuf, Error> {
    let real = resolve(root, dir)?;
    std::fs::create_dir_all(&real).map_err(|e| Error::io(dir, e))?;
    // Created folders are real ones, but another process could have raced a link in.
    resolve(root, &real)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (tempfile::TempDir, tempfile::TempDir) {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(root.path().join("spec/plans/a")).expect("mkdir");
        std::fs::write(root.path().join("spec/plans/a/README.md"), "# a\n").expect("write");
        std::fs::write(outside.path().join("secret"), "s\n").expect("write");
        (root, outside)
    }

    #[test]
    fn inside_paths_resolve_existing_or_not() {
        let (root, _o) = tree();
        let r = root.path();
        let real = r.canonicalize().expect("canon");
        assert_eq!(
            resolve_rel(r, "spec/plans/a/README.md").expect("inside"),
            real.join("spec/plans/a/README.md")
        );
        assert_eq!(
            resolve_rel(r, "spec/plans/new/deep/README.md").expect("not there yet"),
            real.join("spec/plans/new/deep/README.md")
        );
        // A link that stays inside is followed.
        std::os::unix::fs::symlink(r.join("spec/plans/a"), r.join("spec/plans/b")).expect("ln");
        assert_eq!(
            resolve_rel(r, "spec/plans/b/README.md").expect("inside"),
            real.join("spec/plans/a/README.md")
        );
    }

    #[test]
    fn links_out_of_the_root_are_refused() {
        let (root, out) = tree();
        let r = root.path();
        std::os::unix::fs::symlink(out.path().join("secret"), r.join("spec/plans/a/link.md"))
            .expect("ln");
        std::os::unix::fs::symlink(out.path(), r.join("spec/features")).expect("ln");
        std::os::unix::fs::symlink(out.path().join("nothing"), r.join("dangling")).expect("ln");
        for rel in [
            "spec/plans/a/link.md",
            "spec/features/secret",
            "spec/features/new/README.md",
            "dangling",
            "dangling/x",
            "../x",
            "/etc/passwd",
        ] {
            let e = resolve_rel(r, rel).expect_err(rel);
            assert!(matches!(e, Error::Outside { .. }), "{rel}: {e}");
            assert!(e.to_string().contains("outside the repository root"), "{e}");
        }
        assert!(create_dir_all(r, &r.join("spec/features/made")).is_err());
        assert!(!out.path().join("made").exists(), "nothing created outside");
    }
}
