//! What an editing service did: for people, its sentences, and in a dry run the diff of each
//! edit and the text of each new file; for machines, one JSON object
//! (`planwright schema changes`).

use crate::workspace::{Change, Changes};
use serde_json::{Value, json};
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

/// `{"version","dry_run","files":[{"path","action","diff"|"text"}],"messages",…}`: each
/// file written (or, in a dry run, that would be), with the diff or the new text in a dry
/// run; the sentences; and the plan, its new status, its successor and the items made when
/// the command has them.
pub fn to_json(c: &Changes) -> Value {
    let mut files: Vec<Value> = Vec::new();
    let mut messages = Vec::new();
    for e in &c.entries {
        match e {
            Change::Said(line) => messages.push(line.clone()),
            Change::Edited { rel, old, new } => {
                if old == new {
                    continue;
                }
                let mut f = json!({ "path": rel, "action": "edited" });
                if c.dry_run {
                    f["diff"] = json!(crate::write::diff(rel, old, new));
                }
                files.push(f);
            }
            Change::Created { rel, text } => {
                let mut f = json!({ "path": rel, "action": "created" });
                if c.dry_run {
                    f["text"] = json!(text);
                }
                files.push(f);
            }
        }
    }
    let mut v = json!({
        "version": crate::WIRE_VERSION,
        "dry_run": c.dry_run,
        "files": files,
        "messages": messages,
    });
    if let Some(p) = &c.plan {
        v["plan"] = json!(p);
    }
    if let Some(s) = c.status {
        v["status"] = json!(s);
    }
    if let Some(b) = &c.by {
        v["by"] = json!(b);
    }
    if !c.items.is_empty() || !c.dry_run && c.plan.is_some() && c.status.is_none() {
        v["items"] = json!(c.items);
    }
    v
}
