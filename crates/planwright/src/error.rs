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
    #[error("{0}")]
    Usage(String),
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

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
