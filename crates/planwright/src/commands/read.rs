//! The reading commands: `check`, `index`, `graph`, `show`, `rules`.

use super::args::{
    CheckArgs, Format, GraphArgs, GraphFormat, IndexArgs, ListArgs, RulesArgs, RulesFormat,
    ShowArgs, ShowFormat,
};
use super::{Failure, load_one};
use crate::check;
use crate::discover::{self, Matcher};
use crate::render;
use crate::workspace::{Changes, Workspace};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use planwright_core::Severity;
use planwright_core::rules::RULES;
use serde_json::json;
use std::io::{self, Write};

pub(crate) fn check(
    ws: &Workspace,
    args: &CheckArgs,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let (root, cwd, cfg) = (&ws.root, &ws.cwd, &ws.config);
    if ws.alone {
        eprintln!(
            "note: no repository root found; checking the file alone, in its own folder (the repository-level rules — the plans index, back-references, roadmap statuses — are off)"
        );
    }
    let matcher = Matcher::new(cfg)?;
    let human = args.format == Format::Human;
    let report = if args.staged {
        let staged: Vec<String> = crate::git::staged(root)?
            .into_iter()
            .filter(|rel| matcher.hint(rel).is_some())
            .map(|rel| root.join(rel).to_string_lossy().into_owned())
            .filter(|p| std::path::Path::new(p).is_file())
            .collect();
        let targets = if staged.is_empty() {
            Vec::new()
        } else {
            discover::resolve_args(root, cwd, &matcher, &staged)?
        };
        check::run(root, &targets, cfg, human)?
    } else if args.paths.is_empty() {
        // The whole repository, found and checked in one walk (each file's result from the
        // cache where it still holds), then its views.
        let cache = if args.no_cache {
            None
        } else {
            check::Cache::of_workspace(ws)
        };
        let report = check::run_repo_with(root, &matcher, cfg, human, cache.as_ref());
        drop_aside(cache);
        report
    } else {
        let targets = discover::resolve_args(root, cwd, &matcher, &args.paths)?;
        check::run(root, &targets, cfg, human)?
    };
    match args.format {
        Format::Human => render::human::render(&report, color, out)?,
        Format::Json => render::json::render(&report, out)?,
        Format::Sarif => render::sarif::render(&report, &cfg.rules, out)?,
        Format::Github => render::github::render(&report, out)?,
    }
    let mut io_failed = false;
    for (file, e) in report.io_errors() {
        eprintln!("error: cannot read {file}: {e}");
        io_failed = true;
    }
    if io_failed {
        return Ok(EXIT_ERROR);
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    drop_aside(report);
    let deny = args.deny_warnings || cfg.deny_warnings;
    if errors > 0 || (deny && warnings > 0) {
        Ok(EXIT_FINDINGS)
    } else {
        Ok(EXIT_OK)
    }
}

/// Frees a large value on a thread of its own, so that the answer does not wait for it: at
/// the end of the process, not at all. (A warm check of 10,000 plans as a process, 41
/// interleaved runs: 95.6 ms median with the cache and report freed aside, 101.8 ms freed
/// on the main thread.)
fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

pub(crate) fn index(
    ws: &Workspace,
    args: &IndexArgs,
    color: bool,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let root = &ws.root;
    let mut cfg = ws.config.clone();
    if args.check {
        let matcher = Matcher::new(&cfg)?;
        // Only the views' rules: reading the plans is all the work.
        let keep = [
            planwright_core::rules::stale_index::NAME,
            planwright_core::rules::stale_backreference::NAME,
            planwright_core::rules::roadmap_status_mismatch::NAME,
        ];
        for r in RULES {
            if !keep.contains(&r.name) {
                let _ = cfg.rules.set(r.name, Severity::Off);
            }
        }
        let report = check::run_repo(root, &matcher, &cfg, args.format == Format::Human);
        match args.format {
            Format::Human => render::human::render(&report, color, out)?,
            Format::Json => render::json::render(&report, out)?,
            Format::Sarif => render::sarif::render(&report, &cfg.rules, out)?,
            Format::Github => render::github::render(&report, out)?,
        }
        return Ok(
            if report.count(Severity::Error) + report.count(Severity::Warning) > 0 {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            },
        );
    }
    let _lock = if args.dry_run {
        None
    } else {
        Some(crate::write::lock(root)?)
    };
    let mut changes = Changes::new(args.dry_run);
    let changed = crate::regenerate::update(ws, &mut changes)?;
    if args.format == Format::Json {
        super::json_line(out, &render::changes::to_json(&changes))?;
        return Ok(EXIT_OK);
    }
    render::changes::render(&changes, out)?;
    if changed == 0 {
        writeln!(out, "ok: every view is up to date")?;
    }
    Ok(EXIT_OK)
}

pub(crate) fn graph(ws: &Workspace, args: &GraphArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let l = load_one(ws, &args.plan, "graph")?;
    if args.reverse_read {
        let read = crate::graph::reverse_read(&l.plan, &l.src);
        match args.format {
            GraphFormat::Json => {
                let v = serde_json::json!({
                    "version": crate::WIRE_VERSION, "plan": l.name, "steps": read,
                });
                super::json_line(out, &v)?;
            }
            _ => out.write_all(render::graph::reverse_read_text(&l.name, &read).as_bytes())?,
        }
        return Ok(EXIT_OK);
    }
    let graph = crate::graph::Graph::build(&l.plan, &l.src, &l.name, &l.target.rel);
    match args.format {
        GraphFormat::Text => out.write_all(graph.to_text().as_bytes())?,
        GraphFormat::Mermaid => out.write_all(graph.to_mermaid().as_bytes())?,
        GraphFormat::Dot => out.write_all(graph.to_dot().as_bytes())?,
        GraphFormat::Json => graph.write_json(out)?,
    }
    // A cycle is a finding, as `check` reports it: the plan cannot run in any order.
    if !graph.analysis.cycles.is_empty() {
        return Ok(EXIT_FINDINGS);
    }
    Ok(EXIT_OK)
}

pub(crate) fn show(ws: &Workspace, args: &ShowArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let l = load_one(ws, &args.plan, "show")?;
    // The coverage matrix of the spec's requirements, when the plan's Source has them.
    let env = crate::fsenv::FsEnv::new(ws.root.clone());
    let coverage = planwright_core::rules::uncovered_requirement::coverage(
        &l.src,
        &l.plan,
        &l.target.rel,
        &env,
    );
    // Effort and impact, inferred with the reason where the plan states none.
    let roi = if l.plan.kind.is_plan() {
        Some(crate::roi::roi(ws, &l.target.rel, false, true)?.0)
    } else {
        None
    };
    match args.format {
        ShowFormat::Text => {
            out.write_all(render::show::to_text(&l.plan, &l.src, &l.target.rel).as_bytes())?;
            if let Some(r) = roi
                .as_ref()
                .filter(|r| r.effort.source == "inferred" || r.impact.source == "inferred")
            {
                writeln!(out, "\nEffort and impact")?;
                for (name, e) in [("effort", &r.effort), ("impact", &r.impact)] {
                    writeln!(out, "  {name}  {} {} ({})", e.value, e.source, e.reason)?;
                }
                writeln!(
                    out,
                    "  `planwright roi {} --accept` writes the inferred ones into a draft",
                    r.plan
                )?;
            }
            if let Some(c) = &coverage {
                out.write_all(render::show::coverage_text(c).as_bytes())?;
            }
        }
        ShowFormat::Json => {
            let mut v = render::show::to_json(&l.plan, &l.src, &l.name, &l.target.rel);
            if let Some(r) = &roi {
                v["roi"] = json!({ "effort": r.effort, "impact": r.impact });
            }
            if let Some(c) = &coverage {
                v["coverage"] = render::show::coverage_json(c);
            }
            serde_json::to_writer(&mut *out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(EXIT_OK)
}

pub(crate) fn rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if let Some(name) = &args.name {
        let Some(rule) = planwright_core::rules::rule(name) else {
            let mut msg = format!("no rule named `{name}`");
            if let Some(s) = planwright_core::text::did_you_mean(name, RULES.iter().map(|r| r.name))
            {
                msg.push_str(&format!("\n  help: did you mean `{s}`?"));
            } else {
                msg.push_str("\n  help: `planwright rules` lists them all");
            }
            return Err(crate::error::not_found(msg).into());
        };
        match args.format {
            RulesFormat::Json => {
                let mut v = rule_json(rule);
                v["version"] = crate::WIRE_VERSION.into();
                serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
                writeln!(out)?;
            }
            _ => {
                writeln!(
                    out,
                    "# {}\n\nDefault severity: {}.\n",
                    rule.name, rule.default_severity
                )?;
                write!(out, "{}", rule.docs())?;
            }
        }
        return Ok(EXIT_OK);
    }
    match args.format {
        RulesFormat::Markdown => writeln!(out, "{}", planwright_core::rules::catalogue_markdown())?,
        RulesFormat::Json => {
            let all: Vec<_> = RULES.iter().map(rule_json).collect();
            let v = serde_json::json!({ "version": crate::WIRE_VERSION, "rules": all });
            serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in RULES {
                writeln!(
                    out,
                    "{:width$}  {:7}  {}",
                    r.name,
                    r.default_severity.as_str(),
                    r.summary()
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn rule_json(r: &planwright_core::rules::Rule) -> serde_json::Value {
    serde_json::json!({
        "name": r.name,
        "default_severity": r.default_severity.as_str(),
        "summary": r.summary(),
        "docs": r.docs(),
    })
}

pub(crate) fn list(ws: &Workspace, args: &ListArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let rows = crate::plans::list(ws)?;
    super::emit_list(out, args.format, "plans", &rows, |out| {
        if rows.is_empty() {
            writeln!(
                out,
                "no plans yet; `planwright new <slug> --feature <name>` writes one"
            )?;
        }
        let width = rows.iter().map(|r| r.plan.len()).max().unwrap_or(0);
        for r in &rows {
            writeln!(
                out,
                "{:<width$}  {:<11} {:>3} step{}  {}",
                r.plan,
                r.status,
                r.steps,
                if r.steps == 1 { " " } else { "s" },
                r.title
            )?;
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}
