//! The commands that write or run plans — `new`, `submit`, `approve`, `supersede`, `log`,
//! `run` — and the small ones: `progress`, `next`, `hook install`, `config`, `schema`.

use super::args::{
    ApproveArgs, LogArgs, NewArgs, NextArgs, PRE_COMMIT_HOOK, ProgressArgs, RunArgs, SchemaArgs,
    SubmitArgs, SupersedeArgs, WorkFormat,
};
use super::{Failure, emit, lifecycle_cmd};
use crate::EXIT_OK;
use crate::config::Config;
use crate::error::Error;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

pub(crate) fn new(
    root_flag: Option<&Path>,
    args: &NewArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let (_, root) = super::locate(root_flag)?;
    let author = args
        .author
        .clone()
        .or_else(|| crate::git::git_author(&root))
        .unwrap_or_else(|| "@author".to_owned());
    let date = crate::clock::today();
    crate::scaffold::create(
        &root,
        &crate::scaffold::Request {
            slug: &args.slug,
            title: args.title.as_deref(),
            roadmap: args.roadmap,
            parent: args.parent.as_deref(),
            features: &args.features,
            template: args.template,
            author: &author,
            date: &date,
            dry_run: args.dry_run,
        },
        out,
    )?;
    Ok(EXIT_OK)
}

pub(crate) fn submit(
    root_flag: Option<&Path>,
    args: &SubmitArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    lifecycle_cmd(root_flag, args.dry_run, out, |cx, out| {
        crate::lifecycle::submit(cx, &args.plan, out)
    })
}

pub(crate) fn approve(
    root_flag: Option<&Path>,
    args: &ApproveArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let date = args.date.clone().unwrap_or_else(crate::clock::today);
    if planwright_core::time::parse_date(&date).is_none() {
        return Err(Error::Usage(format!(
            "--date {date}: not a date\n  help: write YYYY-MM-DD"
        ))
        .into());
    }
    lifecycle_cmd(root_flag, args.dry_run, out, |cx, out| {
        crate::lifecycle::approve(
            cx,
            &args.plan,
            &crate::lifecycle::Approval {
                approver: &args.approver,
                date: &date,
                force: args.force,
            },
            out,
        )
    })
}

pub(crate) fn supersede(
    root_flag: Option<&Path>,
    args: &SupersedeArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    lifecycle_cmd(root_flag, args.dry_run, out, |cx, out| {
        crate::lifecycle::supersede(cx, &args.old, &args.by, out)
    })
}

pub(crate) fn run(
    root_flag: Option<&Path>,
    args: &RunArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let mut code = EXIT_OK;
    lifecycle_cmd(root_flag, false, out, |cx, out| {
        let mode = match args.format {
            WorkFormat::Json => crate::run::display::Mode::Json,
            WorkFormat::Text if io::stderr().is_terminal() && !args.dry_run => {
                crate::run::display::Mode::Live
            }
            WorkFormat::Text => crate::run::display::Mode::Plain,
        };
        let req = crate::run::Request {
            plan: &args.plan,
            jobs: args.jobs,
            agent: args.agent.clone(),
            no_agent: args.no_agent,
            steps: args.steps.clone(),
            dry_run: args.dry_run,
            resume: args.resume,
            keep_going: args.keep_going,
            retries: args.retries,
            timeout: args.timeout,
            agent_timeout: args.agent_timeout,
            allow_unapproved: args.allow_unapproved,
            mode,
            by: args.by.as_deref(),
        };
        code = crate::run::run(cx, &req, out)?;
        Ok(())
    })?;
    Ok(code)
}

pub(crate) fn progress(
    root_flag: Option<&Path>,
    args: &ProgressArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    lifecycle_cmd(root_flag, false, out, |cx, out| {
        let rows = crate::work::progress_report(cx, args.plan.as_deref())?;
        emit(out, args.format, &rows, |out| {
            if rows.is_empty() {
                writeln!(
                    out,
                    "no work items yet; `planwright work generate PLAN` makes them"
                )?;
            }
            for r in &rows {
                writeln!(out, "{}: {}", r.plan, r.summary)?;
                if !r.critical_remaining.is_empty() {
                    writeln!(
                        out,
                        "  critical path left: {}",
                        r.critical_remaining.join(" → ")
                    )?;
                }
            }
            Ok(())
        })
    })
}

pub(crate) fn next(
    root_flag: Option<&Path>,
    args: &NextArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    lifecycle_cmd(root_flag, false, out, |cx, out| {
        let items = crate::work::Store::new(cx.root, cx.cfg).load()?;
        let rows = crate::work::next(&items, args.limit);
        let live = items.iter().filter(|i| !i.superseded).count();
        let closed = items
            .iter()
            .filter(|i| !i.superseded && i.status.closed())
            .count();
        emit(out, args.format, &rows, |out| {
            if live == 0 && !items.is_empty() {
                writeln!(
                    out,
                    "nothing is ready: every item belongs to a superseded plan"
                )?;
            } else if live == 0 {
                writeln!(
                    out,
                    "no work items yet; `planwright work generate PLAN` makes them from an approved plan"
                )?;
            } else if closed == live {
                writeln!(out, "nothing left: all {live} items are done or cancelled")?;
            } else if rows.is_empty() {
                writeln!(
                    out,
                    "nothing is ready: the open items are in progress, blocked or waiting for them"
                )?;
            }
            for r in &rows {
                writeln!(out, "{}  {}\n    {}", r.id, r.title, r.reason)?;
            }
            Ok(())
        })
    })
}

pub(crate) fn log(
    root_flag: Option<&Path>,
    args: &LogArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    lifecycle_cmd(root_flag, args.dry_run, out, |cx, out| {
        let entry = crate::log::Entry {
            kind: args.kind,
            text: &args.text,
            evidence: args.evidence.as_deref(),
            rationale: args.rationale.as_deref(),
            author: args.author.as_deref(),
            at: args.at.as_deref(),
        };
        crate::log::log(cx, &args.plan, &entry, out)
    })
}

pub(crate) fn hook_install(
    root_flag: Option<&Path>,
    force: bool,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let (_, root) = super::locate(root_flag)?;
    let dir = crate::git::hooks_dir(&root)?;
    let path = dir.join("pre-commit");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing != PRE_COMMIT_HOOK
        && !force
    {
        return Err(Error::Usage(format!(
            "{} exists and was not written by planwright\n  help: add `planwright check --staged` to it yourself, or replace it with --force",
            path.display()
        ))
        .into());
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    std::fs::write(&path, PRE_COMMIT_HOOK).map_err(|e| Error::io(&path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(&path, e))?;
    }
    writeln!(
        out,
        "installed {}: `planwright check --staged` runs before each commit",
        path.display()
    )?;
    Ok(EXIT_OK)
}

pub(crate) fn config(root_flag: Option<&Path>, out: &mut dyn Write) -> Result<u8, Failure> {
    let (_, root) = super::locate(root_flag)?;
    let cfg = Config::load(&root)?;
    out.write_all(cfg.to_toml().as_bytes())?;
    Ok(EXIT_OK)
}

pub(crate) fn schema(args: &SchemaArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let v = match &args.output {
        Some(name) => crate::schema::one(name).unwrap_or_default(),
        None => crate::schema::all(),
    };
    serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
    writeln!(out)?;
    Ok(EXIT_OK)
}
