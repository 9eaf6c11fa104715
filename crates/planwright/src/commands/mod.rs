//! The commands: each takes its arguments, calls the services, and renders what they return.
//! `cli` parses the command line and dispatches here.

pub mod args;
mod plan;
mod read;
mod work;

pub(crate) use plan::{
    approve, config, hook_install, log, new, next, progress, run, schema, submit, supersede,
};
pub(crate) use read::{check, graph, index, rules, show};
pub(crate) use work::work;

use crate::EXIT_OK;
use crate::config::Config;
use crate::discover::{self, Matcher};
use crate::error::Error;
use crate::root;
use args::WorkFormat;
use std::io::{self, Write};
use std::path::Path;

/// The working directory and the repository root (`--root`, or found from the directory).
pub(crate) fn locate(
    root_flag: Option<&Path>,
) -> Result<(std::path::PathBuf, std::path::PathBuf), Failure> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let root = root::find(root_flag, &cwd)?;
    Ok((cwd, root))
}

/// Why a command stopped: an I/O error on the output (a closed pipe is not reported), or
/// an error of the command.
#[derive(Debug)]
pub enum Failure {
    Io(io::Error),
    Error(Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

/// One plan named on the command line: its target, text and model.
pub(crate) struct Loaded {
    pub(crate) target: discover::Target,
    pub(crate) src: String,
    pub(crate) plan: planwright_core::Plan,
    pub(crate) name: String,
}

pub(crate) fn load_one(root_flag: Option<&Path>, arg: &str, what: &str) -> Result<Loaded, Failure> {
    let (cwd, root) = locate(root_flag)?;
    let cfg = Config::load(&root)?;
    let matcher = Matcher::new(&cfg)?;
    let targets = discover::resolve_args(&root, &cwd, &matcher, &[arg.to_owned()])?;
    let [target] = targets.as_slice() else {
        return Err(Error::Usage(format!(
            "`{arg}` names {} files; {what} shows one plan\n  help: name a plan by slug or by its file",
            targets.len()
        ))
        .into());
    };
    let bytes = std::fs::read(&target.abs).map_err(|e| Error::io(&target.abs, e))?;
    let src = String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not valid UTF-8 (byte {})\n  help: `planwright check` reports it as invalid-encoding",
            target.rel,
            e.utf8_error().valid_up_to()
        ))
    })?;
    let plan = planwright_core::read(&src, target.hint);
    let name = discover::slug_of(&target.rel).unwrap_or_else(|| target.rel.clone());
    Ok(Loaded {
        target: target.clone(),
        src,
        plan,
        name,
    })
}

pub(crate) fn lifecycle_cmd(
    root_flag: Option<&Path>,
    dry_run: bool,
    out: &mut dyn Write,
    f: impl FnOnce(&crate::workspace::Ctx<'_>, &mut dyn Write) -> Result<(), Error>,
) -> Result<u8, Failure> {
    let (cwd, root) = locate(root_flag)?;
    let cfg = Config::load(&root)?;
    let cx = crate::workspace::Ctx {
        root: &root,
        cwd: &cwd,
        cfg: &cfg,
        dry_run,
    };
    f(&cx, out)?;
    Ok(EXIT_OK)
}

/// Writes `value` as JSON, or runs `text`.
pub(crate) fn emit<T: serde::Serialize>(
    out: &mut dyn Write,
    format: WorkFormat,
    value: &T,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let r = match format {
        WorkFormat::Json => serde_json::to_writer(&mut *out, value)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out)),
        WorkFormat::Text => text(out),
    };
    r.map_err(|e| Error::io("<stdout>", e))
}
