//! The commands on items: generate, change, add, verify, and the plan's own trust check.

use std::io::Write;
use std::path::Path;

use planwright_core::model::{Plan, Status};

use super::{Event, Item, ItemStatus, Store, Verification, file_of};
use crate::clock::{rfc3339, suffix};
use crate::error::Error;
use crate::git::actor;
use crate::workspace::{Changes, Workspace, read, refuse};

/// The items of the plan named by `plan` (slug or path), or every item.
pub fn items_of(ws: &Workspace, plan: Option<&str>) -> Result<Vec<Item>, Error> {
    let store = Store::new(&ws.root, &ws.config);
    let Some(arg) = plan else {
        return store.load();
    };
    let t = ws.resolve(arg)?;
    match crate::discover::slug_of(&t.rel) {
        Some(slug) => store.load_plan(&slug, &t.rel),
        None => Ok(Vec::new()),
    }
}

fn field_text(src: &str, plan: &Plan, name: &str) -> String {
    plan.field(name)
        .map(|f| f.inline.text(src).trim().to_owned())
        .unwrap_or_default()
}

pub(crate) fn entries(src: &str, step: &planwright_core::model::Step, name: &str) -> Vec<String> {
    step.field(name)
        .map(|f| {
            f.entries()
                .iter()
                .map(|i| i.span.text(src).trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// One item per step and sub-step of `plan`, as `work generate` writes them.
pub(crate) fn plan_items(
    rel: &str,
    src: &str,
    plan: &Plan,
    slug: &str,
) -> Result<Vec<Item>, Error> {
    let deps = planwright_core::graph::effective_dependencies(plan);
    let id_of = |k: usize| format!("{slug}#{}", plan.steps[k].id);
    let impact = field_text(src, plan, "impact");
    let effort = field_text(src, plan, "effort");
    let mut items = Vec::with_capacity(plan.steps.len());
    for (k, s) in plan.steps.iter().enumerate() {
        let id = id_of(k);
        if file_of(&id).is_none() {
            return Err(refuse(format!(
                "{rel}: step id `{}` cannot name a work item file",
                s.id
            )));
        }
        let weight = s
            .field("estimate")
            .and_then(|f| planwright_core::graph::estimate_hours(f.inline.text(src)))
            .unwrap_or(1.0);
        items.push(Item {
            id,
            plan: rel.to_owned(),
            step: s.id.to_string(),
            title: s.title.value.clone(),
            status: ItemStatus::Todo,
            parent: s.parent.map(id_of),
            depends_on: deps[k].iter().map(|&d| id_of(d)).collect(),
            acceptance_criteria: entries(src, s, "acceptance criteria"),
            produces: entries(src, s, "produces"),
            verify: s.verify.iter().map(|c| c.text.clone()).collect(),
            assignee: None,
            weight,
            impact: impact.clone(),
            effort: effort.clone(),
            order: k,
            superseded: false,
            verification: None,
            // No event: generation is implied, and the file must be the same bytes on every
            // branch and machine that generates it.
            events: Vec::new(),
        });
    }
    Ok(items)
}

/// `planwright work generate PLAN`: one item per step and sub-step of an approved plan.
/// Existing items are left alone; a superseded plan's items are marked superseded.
pub fn generate(ws: &Workspace, arg: &str, dry_run: bool) -> Result<Changes, Error> {
    let mut changes = Changes::new(dry_run);
    let t = ws.resolve(arg)?;
    changes.plan(&t);
    let (src, plan) = read(&t)?;
    let slug = crate::discover::slug_of(&t.rel).ok_or_else(|| {
        refuse(format!(
            "{} is not under spec/plans/, so it has no slug to name items by",
            t.rel
        ))
    })?;
    let store = Store::new(&ws.root, &ws.config);
    let _lock = ws.lock(dry_run)?;
    let status = plan.status(&src);
    let existing = store.load_plan(&slug, &t.rel)?;
    if status == Some(Status::Superseded) {
        let mut n = 0;
        for i in existing.into_iter().filter(|i| !i.superseded) {
            if !dry_run {
                store.record(
                    &i.id,
                    &Event {
                        at: rfc3339(),
                        by: actor(&ws.root, None),
                        what: "superseded".into(),
                        note: format!("{} was superseded", t.rel),
                        superseded: true,
                        ..Event::default()
                    },
                )?;
            }
            n += 1;
        }
        changes.say(format!(
            "{}: superseded; {n} item{} marked so",
            t.rel,
            if n == 1 { "" } else { "s" }
        ));
        return Ok(changes);
    }
    if status != Some(Status::Approved) {
        return Err(refuse(format!(
            "{} is {}, not approved; work items come from approved plans\n  help: `planwright approve {arg} --approver @name` first",
            t.rel,
            plan.status_text(&src)
                .map_or("without a status", |(s, _)| s)
        )));
    }
    if plan.steps.is_empty() {
        return Err(refuse(format!("{} has no steps to make items of", t.rel)));
    }
    let have: std::collections::HashSet<&str> = existing.iter().map(|i| &*i.id).collect();
    let mut made = 0;
    for item in plan_items(&t.rel, &src, &plan, &slug)? {
        if have.contains(&*item.id) {
            continue;
        }
        if dry_run {
            changes.say(format!("would create {}: {}", item.id, item.title));
        } else {
            store.create(&item)?;
        }
        changes.items.push(item.id.clone());
        made += 1;
    }
    if !dry_run {
        changes.say(format!(
            "{}: {made} item{} created, {} already there",
            t.rel,
            if made == 1 { "" } else { "s" },
            have.len()
        ));
    }
    Ok(changes)
}

/// A status change on one item, with the rules of each move.
pub struct Change<'a> {
    pub to: ItemStatus,
    pub by: Option<&'a str>,
    pub note: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub no_verify: bool,
}

/// Records the change and returns the item as it now is. A start while dependencies are
/// still open goes ahead, and says which ones.
pub fn change(ws: &Workspace, id: &str, c: &Change<'_>) -> Result<Moved, Error> {
    let store = Store::new(&ws.root, &ws.config);
    let _lock = crate::write::lock(&ws.root)?;
    let mut item = store.get(id)?;
    let from = item.status;
    if item.superseded {
        return Err(refuse(format!(
            "{id} belongs to a superseded plan; it stays as a record"
        )));
    }
    if from.closed() {
        return Err(refuse(format!(
            "{id} is {} already; a closed item does not reopen\n  help: `planwright work add` a new item under its step",
            from.as_str()
        )));
    }
    let mut note = c.note.unwrap_or("").to_owned();
    let mut waits_for = Vec::new();
    match c.to {
        ItemStatus::InProgress => {
            waits_for = item
                .depends_on
                .iter()
                .filter(|d| store.get(d).is_ok_and(|i| !i.status.closed()))
                .cloned()
                .collect();
        }
        ItemStatus::Blocked if note.is_empty() => {
            return Err(crate::error::usage(
                "say what blocks it: --reason \"waiting for the API key\"",
            ));
        }
        ItemStatus::Done if !item.verify.is_empty() => {
            let passed = item.verification.as_ref().is_some_and(|v| v.passed);
            if c.no_verify {
                note = format!(
                    "done without verification (--no-verify){}",
                    if note.is_empty() {
                        String::new()
                    } else {
                        format!("; {note}")
                    }
                );
            } else if !passed {
                return Err(refuse(format!(
                    "{id} has Verify commands and no passing verification\n  help: `planwright work verify {id}` runs them; `--no-verify` skips them and is recorded"
                )));
            }
        }
        _ => {}
    }
    let event = Event {
        at: rfc3339(),
        by: actor(&ws.root, c.by),
        what: format!("{} → {}", from.as_str(), c.to.as_str()),
        note,
        status: Some(c.to),
        assignee: c.assignee.map(|a| actor(&ws.root, Some(a))),
        ..Event::default()
    };
    store.record(&item.id, &event)?;
    item.status = c.to;
    if let Some(a) = &event.assignee {
        item.assignee = Some(a.clone());
    }
    item.events.push(event);
    Ok(Moved { item, waits_for })
}

/// An item after a status change, and the open items it was started before.
#[derive(Debug)]
pub struct Moved {
    pub item: Item,
    pub waits_for: Vec<String>,
}

/// `planwright work add --under ID "title"`: an ad-hoc item under a step's item.
pub fn add(ws: &Workspace, under: &str, title: &str, by: Option<&str>) -> Result<Item, Error> {
    if title.trim().is_empty() {
        return Err(crate::error::usage("the item needs a title"));
    }
    let store = Store::new(&ws.root, &ws.config);
    let _lock = crate::write::lock(&ws.root)?;
    let parent = store.get(under)?;
    let id = loop {
        let id = format!("{}.{}", parent.id, suffix());
        if !store.dir.join(file_of(&id).unwrap_or_default()).exists() {
            break id;
        }
    };
    let item = Item {
        id: id.clone(),
        plan: parent.plan.clone(),
        step: parent.step.clone(),
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        status: ItemStatus::Todo,
        parent: Some(parent.id.clone()),
        depends_on: Vec::new(),
        acceptance_criteria: Vec::new(),
        produces: Vec::new(),
        verify: Vec::new(),
        assignee: None,
        weight: 1.0,
        impact: parent.impact.clone(),
        effort: parent.effort.clone(),
        order: parent.order,
        superseded: false,
        verification: None,
        events: Vec::new(),
    };
    store.create(&item)?;
    store.record(
        &item.id,
        &Event {
            at: rfc3339(),
            by: actor(&ws.root, by),
            what: "added".into(),
            ..Event::default()
        },
    )?;
    Ok(item)
}

/// `planwright work verify ID`: runs the item's Verify commands from the repository root and
/// records the result. Only from an approved plan whose frozen content is unchanged, unless
/// `allow_unapproved`.
/// The commands' own output goes to the process's standard output, or to its standard error
/// with `commands_on_stderr` (when standard output carries JSON).
pub fn verify(
    ws: &Workspace,
    id: &str,
    allow_unapproved: bool,
    by: Option<&str>,
    commands_on_stderr: bool,
    out: &mut dyn Write,
) -> Result<bool, Error> {
    let store = Store::new(&ws.root, &ws.config);
    let item = store.get(id)?;
    if item.verify.is_empty() {
        return Err(refuse(format!(
            "{id} has no Verify commands\n  help: `planwright work done {id}` closes it"
        )));
    }
    // The commands come from the approved plan, never from the item's file: that file is
    // committed, and a pull request can change it without changing the plan's digest.
    let commands: Vec<(String, Option<String>)> = if allow_unapproved {
        item.verify.iter().map(|c| (c.clone(), None)).collect()
    } else {
        approved_commands(&ws.root, &item)?
    };
    let mut results = Vec::new();
    let mut passed = true;
    for (cmd, expected) in &commands {
        let _ = writeln!(out, "$ {cmd}");
        let _ = out.flush();
        let mut sh = std::process::Command::new("sh");
        // Never the caller's standard input: under `planwright mcp` that is the protocol.
        sh.arg("-c")
            .arg(cmd)
            .current_dir(&ws.root)
            .stdin(std::process::Stdio::null());
        if commands_on_stderr {
            sh.stdout(std::process::Stdio::from(std::io::stderr()));
        }
        let cannot = |e: std::io::Error| refuse(format!("cannot run `sh`: {e}"));
        // A command whose output the plan states is captured to compare it, then shown.
        let (status, mismatch) = match expected {
            None => (sh.status().map_err(cannot)?, None),
            Some(expected) => {
                let o = sh.output().map_err(cannot)?;
                let _ = out.write_all(&o.stdout);
                let _ = out.write_all(&o.stderr);
                let printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                let m = planwright_core::expect::check(expected, &printed).err();
                (o.status, m)
            }
        };
        let code = status.code().unwrap_or(-1);
        results.push(format!("exit {code}: {cmd}"));
        if !status.success() {
            passed = false;
            break;
        }
        if let Some(m) = mismatch {
            let _ = writeln!(
                out,
                "`{cmd}` exited with 0 but did not print what the plan expects (each expected line, in order):\n{}",
                m.diff().trim_end()
            );
            results.push(format!("expected output not found: {cmd}"));
            passed = false;
            break;
        }
    }
    let _lock = crate::write::lock(&ws.root)?;
    let v = Verification {
        at: rfc3339(),
        by: actor(&ws.root, by),
        passed,
        results,
        evidence: Vec::new(),
    };
    store.record(
        id,
        &Event {
            at: v.at.clone(),
            by: v.by.clone(),
            what: format!("verification {}", if passed { "passed" } else { "failed" }),
            verification: Some(v),
            ..Event::default()
        },
    )?;
    let _ = writeln!(
        out,
        "{id}: verification {}",
        if passed { "passed" } else { "failed" }
    );
    Ok(passed)
}

/// The Verify commands of `item`'s step, read from its plan, which must be approved with a
/// matching digest; refused when the item's own commands differ from them. An ad-hoc item
/// (`work add`) runs its step's approved commands or none: commands that no approved plan
/// holds run only with `--allow-unapproved`.
fn approved_commands(root: &Path, item: &Item) -> Result<Vec<(String, Option<String>)>, Error> {
    let id = &item.id;
    let slug = id.split_once('#').map_or(id.as_str(), |(s, _)| s);
    // The item's id names its plan; its `plan` field must agree (it is only a record).
    if item.plan != format!("spec/plans/{slug}/README.md")
        && item.plan != format!("spec/plans/{slug}.md")
    {
        return Err(refuse(format!(
            "{id} names the plan {}, which is not the plan of `{slug}`; planwright will not run its commands\n  help: `planwright work generate {slug}` writes the items of the approved plan",
            item.plan
        )));
    }
    let path = crate::confine::resolve_rel(root, &item.plan)?;
    let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
    trusted_text(&item.plan, &src, &plan)?;
    let Some(step) = plan.steps.iter().find(|s| *s.id == *item.step) else {
        return Err(refuse(format!(
            "{id}: the approved plan {} has no step {}; planwright will not run the item's commands\n  help: --allow-unapproved runs them anyway",
            item.plan, item.step
        )));
    };
    let approved: Vec<String> = step.verify.iter().map(|c| c.text.clone()).collect();
    if item.verify != approved {
        let list = |v: &[String]| {
            if v.is_empty() {
                "  (none)\n".to_owned()
            } else {
                v.iter().map(|c| format!("  `{c}`\n")).collect()
            }
        };
        return Err(refuse(format!(
            "{id}: the item's Verify commands are not the approved plan's, so planwright will not run them\n the item ({}):\n{} step {} of {} (approved):\n{}  help: the approved plan is what was reviewed; change the plan and approve it again, or pass --allow-unapproved to run the item's commands",
            crate::work::file_of(id).map_or_else(String::new, |f| f.display().to_string()),
            list(&item.verify),
            item.step,
            item.plan,
            list(&approved)
        )));
    }
    Ok(step
        .verify
        .iter()
        .map(|c| (c.text.clone(), c.expected.map(|e| e.text(&src).to_owned())))
        .collect())
}

/// [`trusted`] for a plan already read.
pub(crate) fn trusted_text(rel: &str, src: &str, plan: &Plan) -> Result<(), Error> {
    if plan.status(src) == Some(Status::Superseded) {
        // A superseded plan is a record: the work goes on in its successor.
        let by = plan
            .field("superseded by")
            .map(|f| {
                // `[json-output](../json-output/)`: the link's text names the plan.
                let v = planwright_core::text::strip_decoration(f.inline.text(src));
                v.strip_prefix('[')
                    .and_then(|r| r.split_once("]("))
                    .map_or(v, |(name, _)| name)
                    .to_owned()
            })
            .filter(|b| !b.is_empty());
        return Err(refuse(match by {
            Some(by) => format!(
                "{rel} is superseded by {by}; its commands are a record now\n  help: `planwright run {by}` runs the plan that supersedes it"
            ),
            None => format!(
                "{rel} is superseded; its commands are a record now\n  help: run the plan that supersedes it"
            ),
        }));
    }
    if plan.status(src) != Some(Status::Approved) {
        return Err(refuse(format!(
            "{rel} is not approved; planwright runs commands only from approved plans\n  help: approve it, or pass --allow-unapproved to run them anyway"
        )));
    }
    let recorded = plan
        .field("digest")
        .map(|f| f.inline.text(src).trim().to_owned());
    let actual = planwright_core::digest::digest(src, plan);
    if recorded.is_none() {
        return Err(refuse(format!(
            "{rel} records no Digest, so nothing shows its content is what was approved; planwright will not run its commands\n  help: --allow-unapproved runs them anyway"
        )));
    }
    if recorded.as_deref() != Some(actual.as_str()) {
        return Err(refuse(format!(
            "{rel} changed since approval (its digest does not match); planwright will not run its commands\n  help: `planwright check {rel}` names the change; --allow-unapproved runs them anyway"
        )));
    }
    Ok(())
}
