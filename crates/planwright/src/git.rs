//! The few things planwright asks git, by running the `git` command in the root: staged
//! files, the hooks folder, and a file as it was at a commit.

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| {
            crate::error::refused(format!(
                "cannot run git: {e}\n  help: install git, or run without this option"
            ))
        })?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(crate::error::refused(format!(
            "git {}: {}",
            args.join(" "),
            msg.trim()
        )));
    }
    Ok(out.stdout)
}

/// The commit checked out (`HEAD`), or `None` outside a repository or before a first commit.
/// What git's history answers depends on it alone.
pub fn head(root: &Path) -> Option<String> {
    let out = git(root, &["rev-parse", "--verify", "--quiet", "HEAD"]).ok()?;
    Some(String::from_utf8_lossy(&out).trim().to_owned()).filter(|h| !h.is_empty())
}

/// Root-relative paths of the files staged for the next commit (added, copied, modified,
/// renamed).
pub fn staged(root: &Path) -> Result<Vec<String>, Error> {
    let out = git(
        root,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMR",
            "-z",
            "--relative",
        ],
    )?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect())
}

/// The folder git runs hooks from.
pub fn hooks_dir(root: &Path) -> Result<PathBuf, Error> {
    let out = git(root, &["rev-parse", "--git-path", "hooks"])?;
    let p = PathBuf::from(String::from_utf8_lossy(&out).trim());
    Ok(if p.is_absolute() { p } else { root.join(p) })
}

/// `rel` as commit `rev` has it; `None` when it has no such file (or there is no git).
pub fn show(root: &Path, rev: &str, rel: &str) -> Option<String> {
    if rev.starts_with('-') {
        return None;
    }
    let out = git(root, &["show", &format!("{rev}:{rel}")]).ok()?;
    String::from_utf8(out).ok()
}

/// The newest commit that changed `rel`; `None` outside a repository or when it never did.
pub fn last_commit_of(root: &Path, rel: &str) -> Option<String> {
    let out = git(root, &["log", "-1", "--format=%H", "--", rel]).ok()?;
    let c = String::from_utf8_lossy(&out).trim().to_owned();
    (!c.is_empty()).then_some(c)
}

/// Root-relative paths that differ from commit `rev` in the work tree (committed since,
/// staged or not), and the untracked files git does not ignore.
pub fn changed_since(root: &Path, rev: &str) -> Result<Vec<String>, Error> {
    let split = |out: Vec<u8>| -> Vec<String> {
        out.split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    };
    let mut paths = split(git(
        root,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--relative",
            rev,
        ],
    )?);
    paths.extend(split(git(
        root,
        &["ls-files", "--others", "--exclude-standard", "-z"],
    )?));
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// A commit that names plan steps in `Plan-Step:` trailers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepCommit {
    pub hash: String,
    /// Author time, seconds since the epoch.
    pub at: i64,
    pub subject: String,
    /// The trailers' values: `slug#step`.
    pub steps: Vec<String>,
}

/// The commits, oldest first, with a `Plan-Step: <slug>#…` trailer for the plan `slug`;
/// empty outside a repository.
pub fn step_commits(root: &Path, slug: &str) -> Vec<StepCommit> {
    let grep = format!("Plan-Step: {slug}#");
    let Ok(out) = git(
        root,
        &[
            "log",
            "--reverse",
            "-z",
            "-F",
            &format!("--grep={grep}"),
            "--format=%H%n%at%n%s%n%(trailers:key=Plan-Step,valueonly,unfold)",
        ],
    ) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&out);
    let prefix = format!("{slug}#");
    text.split('\0')
        .filter_map(|rec| {
            let mut lines = rec.trim_start_matches('\n').lines();
            let hash = lines.next()?.trim().to_owned();
            let at = lines.next()?.trim().parse().ok()?;
            let subject = lines.next().unwrap_or("").to_owned();
            let steps: Vec<String> = lines
                .map(str::trim)
                .filter(|l| l.starts_with(&prefix))
                .map(str::to_owned)
                .collect();
            (!hash.is_empty() && !steps.is_empty()).then_some(StepCommit {
                hash,
                at,
                subject,
                steps,
            })
        })
        .collect()
}

/// The most recent commit whose version of `rel` contains `needle`, and the file's text then.
pub fn version_with(root: &Path, rel: &str, needle: &str) -> Option<(String, String)> {
    let out = git(root, &["log", "--format=%H", "-S", needle, "--", rel]).ok()?;
    let text = String::from_utf8_lossy(&out);
    // `-S` lists the commits that added or removed the text; the oldest added it.
    let commit = text.lines().last()?.to_owned();
    let file = git(root, &["show", &format!("{commit}:{rel}")]).ok()?;
    Some((commit, String::from_utf8_lossy(&file).into_owned()))
}

/// The newest committed version of `rel` that was approved and frozen: status `approved`
/// and a Digest that matches its content. Found whether or not the file still has a Digest
/// line, so that deleting the line does not hide a change. The commit and the file's text.
pub fn approved_version(root: &Path, rel: &str) -> Option<(String, String)> {
    // The commits that added or removed a digest; the approval is one of them.
    let out = git(
        root,
        &["log", "--format=%H", "-S", "**Digest:**", "--", rel],
    )
    .ok()?;
    let text = String::from_utf8_lossy(&out);
    for commit in text.lines().take(32) {
        let Ok(file) = git(root, &["show", &format!("{commit}:{rel}")]) else {
            continue;
        };
        let Ok(old) = String::from_utf8(file) else {
            continue;
        };
        let plan = planwright_core::read(&old, planwright_core::KindHint::Plan);
        let recorded = plan.field("digest").map(|f| f.inline.text(&old).trim());
        if plan.status(&old) == Some(planwright_core::model::Status::Approved)
            && recorded == Some(planwright_core::digest::digest(&old, &plan).as_str())
        {
            return Some((commit.to_owned(), old));
        }
    }
    None
}

/// The files under `root` (relative to it) whose committed history ever added or removed a
/// Digest line: the only ones [`approved_version`] can find anything for. One `git log` for
/// a whole check, instead of one per approved plan without a digest. Empty outside a
/// repository.
pub fn digest_history(root: &Path) -> std::collections::HashSet<String> {
    let Ok(out) = git(
        root,
        &[
            "log",
            "--format=",
            "--name-only",
            "--relative",
            "-z",
            "-S",
            "**Digest:**",
        ],
    ) else {
        return std::collections::HashSet::new();
    };
    out.split(|&b| b == 0 || b == b'\n')
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

/// The author from git config (`user.name`), as `@name` when it is one word.
pub fn git_author(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args(["config", "user.name"])
        .output()
        .ok()?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if name.is_empty() {
        return None;
    }
    Some(if name.contains(' ') {
        name
    } else {
        format!("@{}", name.trim_start_matches('@'))
    })
}

/// Who is acting: `--by`, else git's user.name, else `@unknown`.
pub fn actor(root: &Path, by: Option<&str>) -> String {
    match by {
        Some(a) if a.starts_with('@') || a.contains(' ') => a.to_owned(),
        Some(a) => format!("@{a}"),
        None => git_author(root).unwrap_or_else(|| "@unknown".to_owned()),
    }
}
