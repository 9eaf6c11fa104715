//! The planwright command-line tool: repository discovery, configuration, running the core's
//! checks over many files at once, and rendering the results for people and machines.
//!
//! The core library (`planwright-core`) does the reading and the judging and no I/O; this
//! crate owns the file system, the process environment and every output format.

pub mod check;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod confine;
pub mod deviation;
pub mod diff;
pub mod discover;
pub mod draft;
pub mod duration;
pub mod error;
pub mod export;
pub mod fsenv;
pub mod git;
pub mod graph;
pub mod init;
pub mod jsonl;
pub mod lifecycle;
pub mod living;
pub mod log;
#[cfg(feature = "lsp")]
pub mod lsp;
#[cfg(feature = "mcp")]
pub mod mcp;
pub mod plans;
pub mod prompts;
pub mod regenerate;
pub mod render;
pub mod roi;
pub mod root;
pub mod run;
pub mod scaffold;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod stats;
pub mod views;
pub mod walk;
pub mod whats_next;
pub mod work;
pub mod workspace;
pub mod write;

pub use error::Error;

/// The version of every JSON output (`"version": 1`); it changes when an output changes
/// incompatibly.
pub const WIRE_VERSION: u32 = 1;

/// Exit code for success with no findings.
pub const EXIT_OK: u8 = 0;
/// Exit code for findings (errors, or warnings under `--deny-warnings`).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage errors, unreadable input and refused operations.
pub const EXIT_ERROR: u8 = 2;
