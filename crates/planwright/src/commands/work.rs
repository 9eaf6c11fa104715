//! `planwright work …`: items made, moved and shown.

use super::args::{ItemArgs, WorkCommand, WorkFormat};
use super::{Failure, emit, emit_list};
use crate::error::Error;
use crate::workspace::Workspace;
use crate::{EXIT_FINDINGS, EXIT_OK};
use std::io::{self, Write};

pub(crate) fn work(ws: &Workspace, w: &WorkCommand, out: &mut dyn Write) -> Result<u8, Failure> {
    use crate::work::{Change, ItemStatus, Store};
    let mut code = EXIT_OK;
    let change = |out: &mut dyn Write, a: &ItemArgs, c: Change<'_>| -> Result<(), Error> {
        let crate::work::Moved { item, waits_for } = crate::work::change(ws, &a.id, &c)?;
        if !waits_for.is_empty() {
            eprintln!(
                "note: {} waits for {} (started anyway)",
                item.id,
                waits_for.join(", ")
            );
        }
        emit(out, a.format, &item, |out| {
            writeln!(
                out,
                "{}: {}",
                item.id,
                item.events.last().map_or("", |e| e.what.as_str())
            )
        })
    };
    match w {
        WorkCommand::Generate {
            plan,
            dry_run,
            format,
        } => {
            let changes = crate::work::generate(ws, plan, *dry_run)?;
            match format {
                WorkFormat::Text => crate::render::changes::render(&changes, out),
                WorkFormat::Json => {
                    super::json_line(out, &crate::render::changes::to_json(&changes))
                }
            }
            .map_err(|e| Error::io("<stdout>", e))
        }
        WorkCommand::List {
            plan,
            status,
            assignee,
            format,
        } => {
            let want_assignee = assignee
                .as_deref()
                .map(|a| crate::git::actor(&ws.root, Some(a)));
            let items: Vec<_> = crate::work::items_of(ws, plan.as_deref())?
                .into_iter()
                .filter(|i| status.is_none_or(|s| i.status == s.into()))
                .filter(|i| want_assignee.is_none() || i.assignee == want_assignee)
                .collect();
            emit_list(out, *format, "items", &items, |out| {
                for i in &items {
                    writeln!(
                        out,
                        "{:<11} {}  {}{}",
                        i.status.as_str(),
                        i.id,
                        i.title,
                        i.assignee
                            .as_ref()
                            .map_or(String::new(), |a| format!("  ({a})"))
                    )?;
                }
                Ok(())
            })
        }
        WorkCommand::Show(a) => {
            let item = Store::new(&ws.root, &ws.config).get(&a.id)?;
            emit(out, a.format, &item, |out| item_text(out, &item))
        }
        WorkCommand::Start { item, assignee } => {
            let mut c = base(ItemStatus::InProgress, item);
            let who = assignee
                .clone()
                .or_else(|| item.by.clone())
                .unwrap_or_else(|| crate::git::actor(&ws.root, None));
            c.assignee = Some(&who);
            change(out, item, c)
        }
        WorkCommand::Done {
            item,
            no_verify,
            note,
        } => {
            let mut c = base(ItemStatus::Done, item);
            c.no_verify = *no_verify;
            c.note = note.as_deref();
            change(out, item, c)?;
            if item.format == WorkFormat::Text {
                // The deviation report reads the execution order from commits too.
                writeln!(
                    out,
                    "  for the commit that holds this work: git commit --trailer 'Plan-Step: {}'",
                    item.id
                )?;
            }
            Ok(())
        }
        WorkCommand::Block { item, reason } => {
            let mut c = base(ItemStatus::Blocked, item);
            c.note = Some(reason);
            change(out, item, c)
        }
        WorkCommand::Cancel { item, reason } => {
            let mut c = base(ItemStatus::Cancelled, item);
            c.note = reason.as_deref();
            change(out, item, c)
        }
        WorkCommand::Add {
            under,
            title,
            by,
            format,
        } => {
            let item = crate::work::add(ws, under, title, by.as_deref())?;
            emit(out, *format, &item, |out| {
                writeln!(out, "created {}: {}", item.id, item.title)
            })
        }
        WorkCommand::Verify {
            item,
            allow_unapproved,
        } => {
            let json = item.format == super::args::WorkFormat::Json;
            // With JSON on standard output, what the commands print goes to standard error.
            let mut stderr = io::stderr();
            let log: &mut dyn Write = if json { &mut stderr } else { &mut *out };
            let passed = crate::work::verify(
                ws,
                &item.id,
                *allow_unapproved,
                item.by.as_deref(),
                json,
                log,
            )?;
            if !passed {
                code = EXIT_FINDINGS;
            }
            if json {
                let now = Store::new(&ws.root, &ws.config).get(&item.id)?;
                emit(out, item.format, &now, |_| Ok(()))?;
            }
            Ok(())
        }
    }?;
    Ok(code)
}

fn item_text(out: &mut dyn Write, i: &crate::work::Item) -> io::Result<()> {
    writeln!(out, "{}  {}", i.id, i.title)?;
    writeln!(
        out,
        "  status     {}{}",
        i.status.as_str(),
        if i.superseded {
            " (plan superseded)"
        } else {
            ""
        }
    )?;
    writeln!(out, "  plan       {} (step {})", i.plan, i.step)?;
    if let Some(a) = &i.assignee {
        writeln!(out, "  assignee   {a}")?;
    }
    if let Some(p) = &i.parent {
        writeln!(out, "  under      {p}")?;
    }
    if !i.depends_on.is_empty() {
        writeln!(out, "  depends on {}", i.depends_on.join(", "))?;
    }
    for c in &i.acceptance_criteria {
        writeln!(out, "  criterion  {c}")?;
    }
    for c in &i.produces {
        writeln!(out, "  produces   {c}")?;
    }
    for c in &i.verify {
        writeln!(out, "  verify     {c}")?;
    }
    if let Some(v) = &i.verification {
        writeln!(
            out,
            "  verified   {} at {} by {}",
            if v.passed { "passed" } else { "failed" },
            v.at,
            v.by
        )?;
    }
    for e in &i.events {
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", e.note)
        };
        writeln!(out, "  {}  {}  {}{note}", e.at, e.by, e.what)?;
    }
    Ok(())
}

fn base(to: crate::work::ItemStatus, a: &ItemArgs) -> crate::work::Change<'_> {
    crate::work::Change {
        to,
        by: a.by.as_deref(),
        note: None,
        assignee: None,
        no_verify: false,
    }
}
