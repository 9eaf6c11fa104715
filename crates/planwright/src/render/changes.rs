//! What an editing service did, for people: its sentences, and in a dry run the diff of each
//! edit and the text of each new file.

use crate::workspace::{Change, Changes};
use std::io::{self, Write};

pub fn render(c: &Changes, out: &mut dyn Write) -> io::Result<()> {
    for e in &c.entries {
        match e {
            Change::Said(line) => writeln!(out, "{line}")?,
            Change::Edited { rel, old, new } if c.dry_run => {
                out.write_all(crate::write::diff(rel, old, new).as_bytes())?
            }
            Change::Created { rel, text } if c.dry_run => {
                writeln!(out, "would create {rel}:\n")?;
                out.write_all(text.as_bytes())?;
            }
            Change::Edited { .. } | Change::Created { .. } => {}
        }
    }
    Ok(())
}
