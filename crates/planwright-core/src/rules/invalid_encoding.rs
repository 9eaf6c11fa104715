//! A file is not valid UTF-8.
//!
//! ## What it does
//! Reports a plan file that cannot be read as UTF-8, at its first invalid byte. The file is
//! reported and skipped; every other file is still checked.
//!
//! ## Why is this bad?
//! Plans are Markdown in git, read by people, agents and tools that all expect UTF-8. A file
//! in Latin-1 or UTF-16, or one with a stray binary byte, shows garbled text in reviews and
//! cannot be checked at all.
//!
//! ## Example
//! A plan saved as Windows-1252, where `Café` is the bytes `43 61 66 E9`.
//!
//! ## Use instead
//! Save the file as UTF-8 (`iconv -f WINDOWS-1252 -t UTF-8 plan.md`).

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "invalid-encoding";

use super::{Context, Sink};
use crate::diag::{Diagnostic, Severity};
use crate::span::Span;

/// The finding for a file whose first `valid_up_to` bytes are valid UTF-8.
pub fn diagnostic(valid_up_to: usize, byte: Option<u8>) -> Diagnostic {
    let what = byte.map_or_else(
        || "an incomplete character at the end".to_owned(),
        |b| format!("byte 0x{b:02X}"),
    );
    Diagnostic::new(
        NAME,
        Severity::Error,
        Span::empty(valid_up_to),
        format!("file is not valid UTF-8: {what} at offset {valid_up_to}"),
    )
    .with_help("save the file as UTF-8; planwright skipped it and checked the rest")
}

pub(crate) fn check(_: &Context<'_>, _: &mut Sink) {
    // Raised while decoding, before there is a plan to check: see `diagnostic`.
}
