//! Output formats for `check`: human (rustc-style snippets), JSON, SARIF 2.1.0 and GitHub
//! workflow commands. Each converts the core's byte spans at the edge.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use clap::ValueEnum;

/// `--format` of `check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    #[default]
    Human,
    /// One JSON object (see docs/wire-format.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}
