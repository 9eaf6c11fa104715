//! The commands that write or run plans — `new`, `submit`, `approve`, `supersede`, `log`,
//! `run` — and the small ones: `progress`, `next`, `hook install`, `config`, `schema`.

use super::args::{
    ApproveArgs, ConfigArgs, LogArgs, NewArgs, NextArgs, PRE_COMMIT_HOOK, ProgressArgs, RunArgs,
    SchemaArgs, SubmitArgs, SupersedeArgs, WorkFormat,
};
use super::{Failure, changed, emit_list};
use crate::EXIT_OK;
use crate::error::Error;
use crate::workspace::Workspace;
use std::io::{self, IsTerminal, Write};

pub(crate) fn new(ws: &Workspace, args: &NewArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let author = args
        .author
        .clone()
        .or_else(|| crate::git::git_author(&ws.root))
        .unwrap_or_else(|| "@author".to_owned());
    let date = crate::clock::today();
    let changes = crate::scaffold::create(
        ws,
        &crate::scaffold::Request {
            slug: &args.slug,
            title: args.title.as_deref(),
            roadmap: args.roadmap,
            parent: args.parent.as_deref(),
            features: &args.features,
            template: args.template.into(),
            author: &author,
            date: &date,
            dry_run: args.dry_run,
        },
    )?;
    changed(&changes, args.format, out)
}

pub(crate) fn submit(
    ws: &Workspace,
    args: &SubmitArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    changed(
        &crate::lifecycle::submit(ws, &args.plan, args.dry_run)?,
        args.format,
        out,
    )
}

pub(crate) fn approve(
    ws: &Workspace,
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
    let approval = crate::lifecycle::Approval {
        approver: &args.approver,
        date: &date,
        force: args.force,
    };
    changed(
        &crate::lifecycle::approve(ws, &args.plan, &approval, args.dry_run)?,
        args.format,
        out,
    )
}

pub(crate) fn supersede(
    ws: &Workspace,
    args: &SupersedeArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    // What the successor changes, before the old plan becomes a record (read first: the
    // supersession rewrites the old plan's status).
    let what = if args.format == WorkFormat::Text {
        let (a, b) = (
            crate::diff::side(ws, &args.old)?,
            crate::diff::side(ws, &args.by)?,
        );
        Some(crate::diff::to_text(&crate::diff::diff(
            &a.0, &a.1, &b.0, &b.1,
        )))
    } else {
        None
    };
    let code = changed(
        &crate::lifecycle::supersede(ws, &args.old, &args.by, args.dry_run)?,
        args.format,
        out,
    )?;
    if let Some(w) = what {
        writeln!(out, "\nWhat {} changes:\n{w}", args.by)?;
    }
    Ok(code)
}

pub(crate) fn diff(
    ws: &Workspace,
    args: &super::args::DiffArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let (a, b) = (
        crate::diff::side(ws, &args.old)?,
        crate::diff::side(ws, &args.new)?,
    );
    let d = crate::diff::diff(&a.0, &a.1, &b.0, &b.1);
    match args.format {
        WorkFormat::Json => {
            let mut v = serde_json::to_value(&d).map_err(io::Error::other)?;
            v["version"] = crate::WIRE_VERSION.into();
            super::json_line(out, &v)?;
        }
        WorkFormat::Text => out.write_all(crate::diff::to_text(&d).as_bytes())?,
    }
    Ok(EXIT_OK)
}

pub(crate) fn run(ws: &Workspace, args: &RunArgs, out: &mut dyn Write) -> Result<u8, Failure> {
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
    Ok(crate::run::run(ws, &req, out)?)
}

pub(crate) fn progress(
    ws: &Workspace,
    args: &ProgressArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let rows = crate::work::progress_report(ws, args.plan.as_deref())?;
    emit_list(out, args.format, "plans", &rows, |out| {
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
    })?;
    Ok(EXIT_OK)
}

pub(crate) fn next(ws: &Workspace, args: &NextArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    use crate::work::Queue;
    let (rows, queue) = crate::work::ready_work(ws, args.limit)?;
    emit_list(out, args.format, "items", &rows, |out| {
        match queue {
            Queue::AllSuperseded => writeln!(
                out,
                "nothing is ready: every item belongs to a superseded plan"
            )?,
            Queue::NoItems => writeln!(
                out,
                "no work items yet; `planwright work generate PLAN` makes them from an approved plan"
            )?,
            Queue::AllClosed(live) => {
                writeln!(out, "nothing left: all {live} items are done or cancelled")?
            }
            Queue::Waiting => writeln!(
                out,
                "nothing is ready: the open items are in progress, blocked or waiting for them"
            )?,
            Queue::Ready => {}
        }
        let mut plans_header = false;
        for r in &rows {
            if r.source == "plan" && !plans_header {
                writeln!(out, "ready by the plans' own records of their tasks:")?;
                plans_header = true;
            }
            writeln!(out, "{}  {}\n    {}", r.id, r.title, r.reason)?;
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}

pub(crate) fn log(ws: &Workspace, args: &LogArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let entry = crate::log::Entry {
        kind: args.kind.into(),
        text: &args.text,
        evidence: args.evidence.as_deref(),
        rationale: args.rationale.as_deref(),
        author: args.author.as_deref(),
        at: args.at.as_deref(),
        open: args.open,
    };
    changed(
        &crate::log::log(ws, &args.plan, &entry, args.dry_run)?,
        args.format,
        out,
    )
}

pub(crate) fn hook_install(
    ws: &Workspace,
    force: bool,
    format: WorkFormat,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let dir = crate::git::hooks_dir(&ws.root)?;
    let path = dir.join("pre-commit");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing != PRE_COMMIT_HOOK
        && !force
    {
        return Err(crate::error::conflict(format!(
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
    let said = format!(
        "installed {}: `planwright check --staged` runs before each commit",
        path.display()
    );
    let mut changes = crate::workspace::Changes::new(false);
    changes.entries.push(crate::workspace::Change::Created {
        rel: path.display().to_string(),
        text: PRE_COMMIT_HOOK.to_owned(),
    });
    changes.say(said);
    changed(&changes, format, out)
}

pub(crate) fn config(
    ws: &Workspace,
    args: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let text = ws.config.to_toml();
    match args.format {
        WorkFormat::Text => out.write_all(text.as_bytes())?,
        WorkFormat::Json => {
            let table: toml::Table = toml::from_str(&text).map_err(io::Error::other)?;
            let config = serde_json::to_value(table).map_err(io::Error::other)?;
            let v = serde_json::json!({ "version": crate::WIRE_VERSION, "config": config });
            super::json_line(out, &v)?;
        }
    }
    Ok(EXIT_OK)
}

/// `planwright init`: in the repository found from `cwd` (or `--root`), else in `cwd`.
pub(crate) fn init(
    root_flag: Option<&std::path::Path>,
    cwd: &std::path::Path,
    args: &super::args::InitArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let root = match crate::root::find(root_flag, cwd) {
        Ok(r) => r,
        Err(Error::NoRoot { .. }) => cwd.canonicalize().map_err(|e| Error::io(cwd, e))?,
        Err(e) => return Err(e.into()),
    };
    let recently_closed = crate::config::Config::load(&root)
        .map(|c| c.recently_closed)
        .unwrap_or(crate::config::Config::default().recently_closed);
    let changes = crate::init::init(&root, recently_closed, args.dry_run)?;
    let nothing = changes.entries.is_empty();
    if args.format == WorkFormat::Json {
        if args.hook && !args.dry_run {
            // One JSON object: the hook is one more file written.
            let ws = Workspace::open_at(Some(&root), cwd.to_path_buf())?;
            let mut hook = Vec::new();
            hook_install(&ws, false, WorkFormat::Text, &mut hook)?;
            let mut changes = changes;
            changes.say(String::from_utf8_lossy(&hook).trim_end().to_owned());
            return changed(&changes, args.format, out);
        }
        return changed(&changes, args.format, out);
    }
    changed(&changes, args.format, out)?;
    if nothing {
        writeln!(out, "ok: {} is set up for plans already", root.display())?;
    }
    if args.hook && !args.dry_run {
        let ws = Workspace::open_at(Some(&root), cwd.to_path_buf())?;
        return hook_install(&ws, false, WorkFormat::Text, out);
    }
    if !args.dry_run && !nothing {
        writeln!(
            out,
            "next: `planwright new <slug> --feature <name>` writes a plan; `planwright hook install` checks staged plans before each commit"
        )?;
    }
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

pub(crate) fn prompt(
    ws: &Workspace,
    p: &super::args::PromptCommand,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    use super::args::PromptCommand as P;
    let text = match p {
        P::Decompose { feature } => crate::prompts::decompose(ws, feature)?,
        P::Ambiguities { plan } => crate::prompts::ambiguities(ws, plan)?,
        P::Review { plan, pass } => crate::prompts::review(ws, plan, (*pass).into())?,
        P::Execute { plan, step } => crate::prompts::execute(ws, plan, step)?,
    };
    out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// Reads FILE (from the working directory, inside the repository), or standard input for `-`.
fn read_input(ws: &Workspace, file: &str) -> Result<String, Error> {
    use std::io::Read as _;
    if file == "-" {
        let mut s = String::new();
        io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(s);
    }
    let path = crate::root::absolute(&ws.cwd, std::path::Path::new(file));
    let path = crate::confine::resolve(&ws.root, &path)?;
    std::fs::read_to_string(&path).map_err(|e| Error::io(file, e))
}

pub(crate) fn draft(
    ws: &Workspace,
    args: &super::args::DraftArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let answers = match (&args.agent, &args.answer) {
        (Some(cmd), _) => crate::draft::Answers::Agent(cmd),
        (None, Some(file)) => crate::draft::Answers::Given(read_input(ws, file)?),
        (None, None) => {
            // No agent: the prompt, for any chat window; the answer comes back with --answer.
            out.write_all(crate::prompts::decompose(ws, &args.feature)?.as_bytes())?;
            eprintln!(
                "note: answer this prompt in any chat, save the answer, then run `planwright draft {} --answer FILE`",
                args.feature
            );
            return Ok(EXIT_OK);
        }
    };
    let author = crate::git::git_author(&ws.root).unwrap_or_else(|| "@agent".to_owned());
    let d = crate::draft::draft(
        ws,
        &crate::draft::Request {
            feature: &args.feature,
            slug: args.slug.as_deref(),
            answers,
            rounds: args.rounds,
            author: &author,
            date: &crate::clock::today(),
            no_questions: args.no_questions,
        },
    )?;
    match args.format {
        WorkFormat::Json => {
            let mut v = serde_json::to_value(&d).map_err(io::Error::other)?;
            v["version"] = crate::WIRE_VERSION.into();
            super::json_line(out, &v)?;
        }
        WorkFormat::Text => {
            for r in &d.rounds {
                writeln!(
                    out,
                    "round {}: {} error{}, {} warning{}",
                    r.round,
                    r.errors,
                    if r.errors == 1 { "" } else { "s" },
                    r.warnings,
                    if r.warnings == 1 { "" } else { "s" }
                )?;
            }
            writeln!(
                out,
                "wrote {} ({}){}",
                d.file,
                if d.clean {
                    "clean"
                } else {
                    "not clean yet: `planwright check` it"
                },
                if d.questions_asked {
                    "; Outstanding Questions and Risks filled by the ambiguity pass"
                } else {
                    ""
                }
            )?;
            writeln!(out, "next: review it, then `planwright submit {}`", d.plan)?;
        }
    }
    Ok(EXIT_OK)
}

pub(crate) fn import(
    ws: &Workspace,
    args: &super::args::ImportArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let json = read_input(ws, &args.file)?;
    let author = crate::git::git_author(&ws.root).unwrap_or_else(|| "@agent".to_owned());
    let changes = crate::draft::import(
        ws,
        &json,
        &args.slug,
        &args.feature,
        &author,
        &crate::clock::today(),
        args.dry_run,
    )?;
    changed(&changes, args.format, out)
}

/// `--now TIME` as seconds since the epoch.
fn parse_now(t: &str) -> Result<i64, crate::Error> {
    planwright_core::time::find_timestamp(t, 0)
        .and_then(|t| crate::stats::epoch(&t))
        .ok_or_else(|| {
            crate::error::usage(format!(
                "--now {t}: not a time\n  help: write 2026-12-03T14:05:09Z"
            ))
        })
}

pub(crate) fn stats(
    ws: &Workspace,
    args: &super::args::StatsArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let now = match &args.now {
        Some(t) => parse_now(t)?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    let stale = (args.stale_after.as_secs() / 60) as i64;
    let rows = crate::stats::stats(ws, args.plan.as_deref(), now, stale)?;
    super::emit_list(out, args.format, "plans", &rows, |out| {
        for r in &rows {
            writeln!(
                out,
                "{} ({}{})",
                r.plan,
                r.status,
                if r.in_progress { ", in progress" } else { "" }
            )?;
            writeln!(
                out,
                "  self-containment        steps {:.0}%, decisions {:.0}%, {} external link{}",
                r.self_containment.steps * 100.0,
                r.self_containment.decisions * 100.0,
                r.self_containment.external_links.len(),
                if r.self_containment.external_links.len() == 1 {
                    ""
                } else {
                    "s"
                }
            )?;
            for f in r.freshness.iter().filter(|f| f.entries > 0) {
                writeln!(
                    out,
                    "  {:<23} {} entr{}, last {}{}",
                    f.section,
                    f.entries,
                    if f.entries == 1 { "y" } else { "ies" },
                    f.age_minutes
                        .map_or("undated".to_owned(), |m| format!("{} ago", ago(m))),
                    if f.stale { " — STALE" } else { "" }
                )?;
            }
            if let (Some(spec), Some(ratio)) = (&r.length.spec, r.length.ratio) {
                writeln!(
                    out,
                    "  length                  {ratio:.1}× its spec ({spec})"
                )?;
            }
            if !r.steps_without_verification.is_empty() {
                writeln!(
                    out,
                    "  unverified steps        {} of {}: {}",
                    r.steps_without_verification.len(),
                    r.steps,
                    r.steps_without_verification.join(", ")
                )?;
            }
            for c in &r.cycle_times {
                writeln!(
                    out,
                    "  cycle time              step {}: {}",
                    c.step,
                    ago(c.minutes)
                )?;
            }
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}

/// Minutes for a reader: `45 min`, `3 h`, `12 days`.
fn ago(minutes: i64) -> String {
    match minutes {
        m if m < 120 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} days", m / (24 * 60)),
    }
}

pub(crate) fn roi(
    ws: &Workspace,
    args: &super::args::RoiArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let (roi, changes) = crate::roi::roi(ws, &args.plan, args.accept, args.dry_run)?;
    match args.format {
        WorkFormat::Json => {
            let mut v = serde_json::to_value(&roi).map_err(io::Error::other)?;
            v["version"] = crate::WIRE_VERSION.into();
            if args.accept {
                v["changes"] = crate::render::changes::to_json(&changes);
            }
            super::json_line(out, &v)?;
        }
        WorkFormat::Text => {
            for (name, e) in [("effort", &roi.effort), ("impact", &roi.impact)] {
                writeln!(out, "{name:<7} {:<7} {} ({})", e.value, e.source, e.reason)?;
            }
            crate::render::changes::render(&changes, out)?;
        }
    }
    Ok(EXIT_OK)
}

pub(crate) fn report(
    ws: &Workspace,
    r: &super::args::ReportCommand,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let (plan, check, dry_run, format) = match r {
        super::args::ReportCommand::Deviation {
            plan,
            check,
            dry_run,
            format,
        } => (plan, check, dry_run, format),
        super::args::ReportCommand::Next {
            full,
            limit,
            now,
            agent,
            dry_run,
            format,
        } => {
            let now = match now {
                Some(t) => parse_now(t)?,
                None => std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64),
            };
            let opts = crate::whats_next::Options {
                full: *full,
                limit: *limit,
                now,
            };
            let o = crate::whats_next::report(ws, &opts, agent.as_deref(), *dry_run)?;
            match format {
                WorkFormat::Json => {
                    let mut v = serde_json::to_value(&o.report).map_err(io::Error::other)?;
                    v["version"] = crate::WIRE_VERSION.into();
                    v["unchanged"] = o.unchanged.into();
                    v["changes"] = crate::render::changes::to_json(&o.changes);
                    super::json_line(out, &v)?;
                }
                WorkFormat::Text => out.write_all(o.text.as_bytes())?,
            }
            return Ok(EXIT_OK);
        }
    };
    let d = crate::deviation::deviation(ws, plan)?;
    let (_, current) = crate::deviation::write(ws, &d, *dry_run || *check)?;
    match format {
        WorkFormat::Json => {
            let mut v = serde_json::to_value(&d).map_err(io::Error::other)?;
            v["version"] = crate::WIRE_VERSION.into();
            v["current"] = current.into();
            super::json_line(out, &v)?;
        }
        WorkFormat::Text if *check => {
            if current {
                writeln!(out, "ok: the deviation report of {} is current", d.plan)?;
            } else {
                writeln!(
                    out,
                    "spec/plans/{}/reports/README.md is not current\n  help: `planwright report deviation {}` rewrites it",
                    d.plan, d.plan
                )?;
            }
        }
        WorkFormat::Text => out.write_all(crate::deviation::to_markdown(&d).as_bytes())?,
    }
    Ok(if *check && !current {
        crate::EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
