//! planwright-core: the plan model, the parser and the rules of planwright.
//!
//! This crate does no I/O. [`parse()`] turns Markdown text into a typed [`Plan`] and never fails
//! on content: problems come back as [`Diagnostic`]s next to the best model that could be
//! built. [`check`] runs the rules; facts about the repository (does a linked file exist?)
//! come through the [`Env`] trait, which the binary implements over the file system.

pub mod diag;
pub mod digest;
pub mod edit;
pub mod env;
pub mod estimate;
pub mod expect;
pub mod graph;
pub mod json;
pub mod lines;
pub mod model;
pub mod parse;
pub mod progress;
pub mod rules;
pub mod span;
pub mod text;
pub mod time;
pub mod views;

pub use diag::{Diagnostic, Severity};
pub use env::{Env, NoEnv};
pub use lines::{ColumnMemo, LineIndex};
pub use model::{Plan, PlanKind};
pub use parse::{KindHint, read};
pub use rules::{RuleSet, check, check_bytes, parse, parse_bytes, parse_with};
pub use span::Span;
