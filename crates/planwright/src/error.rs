//! The errors of the command-line layer. Findings in plans are not errors: they are
//! diagnostics. These are the reasons a command cannot run at all (exit code 2).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "no repository root found from {start}: no folder above it holds planwright.toml, spec/ or .git\n  help: run planwright inside a repository, or pass --root DIR"
    )]
    NoRoot { start: PathBuf },
    #[error("--root {0}: no such directory")]
    BadRoot(PathBuf),
    #[error("{path}:{line}: {message}")]
    Config {
        path: String,
        line: usize,
        message: String,
    },
    /// The command line asks for something malformed: a bad slug, flag or value.
    #[error("{0}")]
    Usage(String),
    /// What the command names does not exist: a plan, a step, a work item, a run.
    #[error("{0}")]
    NotFound(String),
    /// The request is well formed but planwright will not do it: the plan is not approved,
    /// frozen, superseded, or changed since approval.
    #[error("{0}")]
    Refused(String),
    /// The repository's state is in the way: the thing exists already, or another process
    /// holds it.
    #[error("{0}")]
    Conflict(String),
    #[error(
        "refusing {path}: it leads to {}, outside the repository root {}\n  help: planwright never reads or writes outside the root; replace the link with the file or folder itself",
        real.display(),
        root.display()
    )]
    Outside {
        path: String,
        real: PathBuf,
        root: PathBuf,
    },
}

/// What kind of error an agent is looking at, as `--format json` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Usage,
    NotFound,
    Refused,
    Io,
    Conflict,
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Io { .. } => Kind::Io,
            Error::NoRoot { .. } | Error::BadRoot(_) | Error::NotFound(_) => Kind::NotFound,
            Error::Config { .. } | Error::Usage(_) => Kind::Usage,
            Error::Outside { .. } | Error::Refused(_) => Kind::Refused,
            Error::Conflict(_) => Kind::Conflict,
        }
    }

    /// The error's message and its help, apart: the text before and after its
    /// `\n  help: ` line.
    pub fn message_and_help(&self) -> (String, Option<String>) {
        split_help(&self.to_string())
    }
}

/// A malformed request (exit 2, kind `usage`).
pub(crate) fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// What was named does not exist (exit 2, kind `not_found`).
pub(crate) fn not_found(msg: impl Into<String>) -> Error {
    Error::NotFound(msg.into())
}

/// A well-formed request planwright will not carry out (exit 2, kind `refused`).
pub(crate) fn refused(msg: impl Into<String>) -> Error {
    Error::Refused(msg.into())
}

/// The repository's state is in the way (exit 2, kind `conflict`).
pub(crate) fn conflict(msg: impl Into<String>) -> Error {
    Error::Conflict(msg.into())
}

/// A message and its help, apart (`"… \n  help: …"`).
pub fn split_help(text: &str) -> (String, Option<String>) {
    match text.split_once("\n  help: ") {
        Some((m, h)) => (m.to_owned(), Some(h.to_owned())),
        None => (text.to_owned(), None),
    }
}

/// The JSON form of an error, as `--format json` prints it on standard error.
pub fn json(kind: Kind, text: &str) -> serde_json::Value {
    let (message, help) = split_help(text);
    serde_json::json!({
        "version": crate::WIRE_VERSION,
        "error": { "kind": kind, "message": message, "help": help },
    })
}
