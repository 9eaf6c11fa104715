//! The repository a command works on, and the few steps every command that edits a plan
//! shares: naming one plan, reading it, refusing with a reason, and writing (or, in a dry
//! run, showing) its new text.

use crate::config::Config;
use crate::discover::{self, Target};
use crate::error::Error;
use crate::write;
use planwright_core::model::Plan;
use std::io::Write;
use std::path::Path;

/// What a command works on: the repository root, the working directory, the configuration,
/// and whether it only shows what it would write.
pub struct Ctx<'a> {
    pub root: &'a Path,
    pub cwd: &'a Path,
    pub cfg: &'a Config,
    pub dry_run: bool,
}

impl Ctx<'_> {
    /// The repository's write lock, unless this is a dry run (which writes nothing).
    pub(crate) fn lock(&self) -> Result<Option<write::RepoLock>, Error> {
        if self.dry_run {
            Ok(None)
        } else {
            write::lock(self.root).map(Some)
        }
    }
}

/// A refusal (exit 2) with its reason.
pub(crate) fn refuse(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// The one plan `arg` names (a slug, a unique last segment, or a path).
pub(crate) fn resolve(cx: &Ctx<'_>, arg: &str) -> Result<Target, Error> {
    let m = discover::Matcher::new(cx.cfg)?;
    let targets = discover::resolve_args(cx.root, cx.cwd, &m, &[arg.to_owned()])?;
    match targets.as_slice() {
        [t] => Ok(t.clone()),
        _ => Err(refuse(format!(
            "`{arg}` names {} files; name one plan by slug or path",
            targets.len()
        ))),
    }
}

/// A plan's text and model.
pub(crate) fn read(t: &Target) -> Result<(String, Plan), Error> {
    let src = std::fs::read_to_string(&t.abs).map_err(|e| Error::io(&t.abs, e))?;
    let plan = planwright_core::read(&src, t.hint);
    Ok((src, plan))
}

/// Writes (or, with `--dry-run`, shows) the new text of a file.
pub(crate) fn commit(
    cx: &Ctx<'_>,
    t: &Target,
    old: &str,
    new: &str,
    out: &mut dyn Write,
) -> Result<(), Error> {
    if cx.dry_run {
        out.write_all(write::diff(&t.rel, old, new).as_bytes())
            .map_err(|e| Error::io(&t.abs, e))?;
        return Ok(());
    }
    write::write_atomic(cx.root, &t.abs, new)
}
