//! The repository a command works on, and the few steps every service that edits a plan
//! shares: naming one plan, reading it, refusing with a reason, and writing (or, in a dry
//! run, only recording) its new text. What an editing service did comes back as [`Changes`],
//! for the front end to render.

use crate::config::Config;
use crate::discover::{self, Target};
use crate::error::Error;
use crate::write;
use planwright_core::model::Plan;
use std::path::{Path, PathBuf};

/// What every command works on: the repository root, the working directory and the
/// configuration. Built once per invocation, by the front end.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub config: Config,
    /// No repository was found: the root is the folder of the one file named, which is
    /// checked alone (see [`Workspace::open_for_file`]).
    pub alone: bool,
}

impl Workspace {
    /// The root (`--root`, or found from the working directory) and its configuration.
    pub fn open(root_flag: Option<&Path>) -> Result<Self, Error> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        Workspace::open_at(root_flag, cwd)
    }

    /// [`Workspace::open`] as seen from the working directory `cwd`.
    pub fn open_at(root_flag: Option<&Path>, cwd: PathBuf) -> Result<Self, Error> {
        let root = crate::root::find(root_flag, &cwd)?;
        let config = Config::load(&root)?;
        Ok(Workspace {
            root,
            cwd,
            config,
            alone: false,
        })
    }

    /// [`Workspace::open_at`], or, when no repository root is found and `file` is a file,
    /// a workspace of that file's folder alone, with the default configuration: the way a
    /// linter is tried on one file first.
    pub fn open_for_file(
        root_flag: Option<&Path>,
        cwd: PathBuf,
        file: Option<&str>,
    ) -> Result<Self, Error> {
        match Workspace::open_at(root_flag, cwd.clone()) {
            Err(Error::NoRoot { start }) => {
                let path = file.map(|f| crate::root::absolute(&cwd, Path::new(f)));
                let Some(dir) = path
                    .filter(|p| p.is_file())
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .and_then(|d| d.canonicalize().ok())
                else {
                    return Err(Error::NoRoot { start });
                };
                Ok(Workspace {
                    root: dir,
                    cwd,
                    config: Config::default(),
                    alone: true,
                })
            }
            other => other,
        }
    }

    /// The repository's write lock, unless this is a dry run (which writes nothing).
    pub(crate) fn lock(&self, dry_run: bool) -> Result<Option<write::RepoLock>, Error> {
        if dry_run {
            Ok(None)
        } else {
            write::lock(&self.root).map(Some)
        }
    }

    /// The one plan `arg` names (a slug, a unique last segment, or a path).
    pub(crate) fn resolve(&self, arg: &str) -> Result<Target, Error> {
        let m = discover::Matcher::new(&self.config)?;
        let targets = discover::resolve_args(&self.root, &self.cwd, &m, &[arg.to_owned()])?;
        match targets.as_slice() {
            [t] => Ok(t.clone()),
            _ => Err(crate::error::usage(format!(
                "`{arg}` names {} files; name one plan by slug or path",
                targets.len()
            ))),
        }
    }
}

/// A refusal (exit 2) with its reason.
pub(crate) fn refuse(msg: impl Into<String>) -> Error {
    Error::Refused(msg.into())
}

/// A plan's text and model.
pub(crate) fn read(t: &Target) -> Result<(String, Plan), Error> {
    let src = std::fs::read_to_string(&t.abs).map_err(|e| Error::io(&t.abs, e))?;
    let plan = planwright_core::read(&src, t.hint);
    Ok((src, plan))
}

/// What an editing service did (or, in a dry run, would do), in the order it happened.
#[derive(Debug, Default)]
pub struct Changes {
    /// Nothing was written: the edits are what would be written.
    pub dry_run: bool,
    pub entries: Vec<Change>,
    /// The plan the command acted on, by slug (or path, outside spec/plans/).
    pub plan: Option<String>,
    /// The plan's status afterwards, when the command set it.
    pub status: Option<&'static str>,
    /// The plan that supersedes it (`supersede`).
    pub by: Option<String>,
    /// The work items created (`work generate`).
    pub items: Vec<String>,
}

/// One thing an editing service did.
#[derive(Debug)]
pub enum Change {
    /// A file's text changed from `old` to `new`.
    Edited {
        rel: String,
        old: String,
        new: String,
    },
    /// A new file.
    Created { rel: String, text: String },
    /// What moved where, in a sentence for the reader.
    Said(String),
}

impl Changes {
    pub fn new(dry_run: bool) -> Self {
        Changes {
            dry_run,
            ..Changes::default()
        }
    }

    /// Records the plan acted on (its slug, or its path outside spec/plans/).
    pub(crate) fn plan(&mut self, t: &Target) {
        self.plan = Some(discover::slug_of(&t.rel).unwrap_or_else(|| t.rel.clone()));
    }

    pub(crate) fn say(&mut self, line: impl Into<String>) {
        self.entries.push(Change::Said(line.into()));
    }

    pub(crate) fn edited(&mut self, rel: &str, old: &str, new: &str) {
        self.entries.push(Change::Edited {
            rel: rel.to_owned(),
            old: old.to_owned(),
            new: new.to_owned(),
        });
    }

    /// Writes the new text of a plan unless this is a dry run, and records the edit.
    pub(crate) fn commit(
        &mut self,
        ws: &Workspace,
        t: &Target,
        old: &str,
        new: &str,
    ) -> Result<(), Error> {
        if !self.dry_run {
            write::write_atomic(&ws.root, &t.abs, new)?;
        }
        self.edited(&t.rel, old, new);
        Ok(())
    }
}
