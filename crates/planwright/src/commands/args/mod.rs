//! The arguments of each command, as clap reads them, with their help texts.

use clap::{Args, ValueEnum};

mod lifecycle;
mod more;
mod work;

pub use lifecycle::*;
pub use more::*;
pub use work::*;

/// Text for people, JSON for agents and scripts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum WorkFormat {
    #[default]
    Text,
    Json,
}

// The command line's names for choices: the output formats belong to the command line; the
// domain's own choices (template, log entry kind, item status) are mapped to their types,
// which know nothing of clap.

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

/// `--format` of `graph`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Waves, critical path and cycles, for the terminal.
    #[default]
    Text,
    /// A Mermaid flowchart (paste it into Markdown; GitHub renders it).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// `{"plan","nodes","order","waves","critical_path","cycles"}`.
    Json,
}

/// `--format` of `show`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The plan: a slug (`add-batch-mode`), a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

pub const LIST_AFTER_HELP: &str = "\
Every plan the configuration finds, with its status, number of steps and title; the PLAN
column is what the other commands take.

Examples:
  planwright list
  planwright list --format json      {\"version\":1,\"plans\":[{\"plan\",\"file\",\"title\",\"kind\",\"status\",…}]}";

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The effective configuration as TOML, or as JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// One output's schema; all of them when absent.
    #[arg(value_name = "OUTPUT", value_parser = clap::builder::PossibleValuesParser::new(crate::schema::NAMES))]
    pub output: Option<String>,
}

pub const GRAPH_AFTER_HELP: &str = "\
Steps in the same wave can run at the same time; a sub-step waits for what its step waits
for. The critical path is the longest chain, weighted by each step's **Estimate:** (30m, 2h,
1d = 8h, 1w = 40h) or 1 per step. For a roadmap, its child plans in order.

Exit status: 0, or 1 when the steps form a cycle (the graph is still printed, with the cycle).

Examples:
  planwright graph add-batch-mode
  planwright graph add-batch-mode --format mermaid   paste into a ```mermaid block
  planwright graph checkout --format dot | dot -Tsvg > checkout.svg
  planwright graph add-batch-mode --reverse-read       what each step needs, last step first";

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The plan: a slug (`add-batch-mode`), a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,

    /// From the last step back: what each step needs and which step provides it (text or json).
    #[arg(long)]
    pub reverse_read: bool,
}

pub const CHECK_AFTER_HELP: &str = "\
Without PATHs, checks every plan the configuration finds: spec/plans/**/README.md,
spec/plans/*.md, and the globs of [sources] in planwright.toml (.gitignore is honoured).
Such a check of the whole repository keeps each file's result in .planwright/cache/ and
reads again only what changed since (a file's bytes, a file it links to, the configuration,
planwright itself); --no-cache reads everything and leaves the cache alone.

Exit status: 0 no errors, 1 errors found (or warnings, with --deny-warnings),
2 bad usage or unreadable input.

Examples:
  planwright check
  planwright check spec/plans/add-batch-mode/README.md
  planwright check chat-infrastructure --format github
  planwright check --format sarif > planwright.sarif";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plans to check: files, folders (every Markdown file below), or plan slugs.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Check only the plans staged for the next commit (what the pre-commit hook runs).
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,

    /// Read and check every file, neither using nor writing the cache of earlier checks.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule to explain; all rules when absent.
    pub name: Option<String>,

    /// Output format: a list, the full docs as Markdown (docs/rules.md), or JSON.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
    Json,
}
