//! `planwright init`: sets a repository (or an empty folder) up for plans — `planwright.toml`
//! with the defaults written out, `spec/features/`, `spec/plans/` with its index,
//! `.planwright/.gitignore` for the local state, and a marked section of `AGENTS.md` (and of
//! `CLAUDE.md` when that file exists) that teaches an agent the workflow. Idempotent: a second
//! run changes nothing, and outside planwright's marked section no existing byte changes.

use crate::error::Error;
use crate::workspace::{Change, Changes};
use crate::write::LOCAL_STATE;
use std::path::Path;

/// The marks around planwright's section of an agents file.
const BEGIN: &str = "<!-- planwright:begin agents -->";
const END: &str = "<!-- planwright:end agents -->";

/// What an agent needs to know to work with plans here (at most 40 lines).
const AGENTS: &str = "\
## Development plans (planwright)

Plans live in `spec/plans/<slug>/README.md`; feature specs in `spec/features/<name>/README.md`.
A plan is checked like code and frozen once approved. Work this way:

1. `planwright new <slug> --feature <name>` scaffolds a plan; fill in Context, Acceptance
   criteria and Steps (each with Depends on, Produces, Acceptance criteria, Verify).
2. `planwright check <slug>` until it reports no problems; `planwright check --format json`
   gives findings with file, line and a fix hint.
3. `planwright submit <slug>`, then ask a human to review and run
   `planwright approve <slug> --approver @name`. Do not approve a plan yourself.
4. `planwright work generate <slug>` makes one work item per step; `planwright next` says
   what to do first and why.
5. `planwright work start <id>`, do the step, `planwright work verify <id>` (runs its Verify
   commands), then `planwright work done <id>`.
6. Record what happens: `planwright log <slug> progress|decision|surprise|outcome \"text\"`.
7. Or let planwright drive: `planwright run <slug> --agent \"<your agent command>\"`.

Never edit an approved plan's frozen text: write a new plan and `planwright supersede`.
Every command takes `--format json` (errors too: `{\"error\":{\"kind\",\"message\",\"help\"}}`);
`planwright list` names the plans. An MCP client can connect to `planwright mcp` instead.
`planwright <command> --help` explains every command; `planwright rules` every finding.
";

/// Sets the repository at `root` up, or (with `dry_run`) records what it would write.
pub fn init(root: &Path, recently_closed: usize, dry_run: bool) -> Result<Changes, Error> {
    let mut changes = Changes::new(dry_run);
    let config = crate::config::Config::default();
    // The defaults as `planwright config` prints them, under a header of our own.
    let effective = config.to_toml();
    let defaults: Vec<&str> = effective
        .lines()
        .skip_while(|l| l.starts_with('#') || l.is_empty())
        .collect();
    let toml = format!(
        "# planwright configuration. Every value below is the default: change what you need,\n# delete what you do not. `planwright config` prints what is in effect.\n\n{}\n",
        defaults.join("\n")
    );
    // The local state is ignored; lines the user added stay.
    let rel = ".planwright/.gitignore";
    match read(root, rel)? {
        None => create(root, rel, LOCAL_STATE, &mut changes)?,
        Some(old) => {
            let have: Vec<&str> = old.lines().map(str::trim).collect();
            let missing: String = LOCAL_STATE
                .lines()
                .filter(|l| !have.contains(l))
                .map(|l| format!("{l}\n"))
                .collect();
            if !missing.is_empty() {
                let sep = if old.is_empty() || old.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                update(
                    root,
                    rel,
                    &old,
                    &format!("{old}{sep}{missing}"),
                    &mut changes,
                )?;
            }
        }
    }
    // The rest under the repository lock (which the ignore file above keeps out of git).
    let _lock = if dry_run {
        None
    } else {
        Some(crate::write::lock(root)?)
    };
    create(root, "planwright.toml", &toml, &mut changes)?;
    create(
        root,
        "spec/features/README.md",
        "# Features\n\nOne folder per feature: `spec/features/<name>/README.md` says what it is for.\n",
        &mut changes,
    )?;
    let region = planwright_core::views::index_region(&[], recently_closed);
    let index = planwright_core::views::index_text("# Plans\n\n", &region);
    create(root, "spec/plans/README.md", &index, &mut changes)?;
    agents(root, "AGENTS.md", true, &mut changes)?;
    agents(root, "CLAUDE.md", false, &mut changes)?;
    Ok(changes)
}

/// Writes or updates planwright's marked section of an agents file (creating the file only
/// when `create_file`).
fn agents(root: &Path, rel: &str, create_file: bool, changes: &mut Changes) -> Result<(), Error> {
    let section = format!("{BEGIN}\n{AGENTS}{END}\n");
    match read(root, rel)? {
        None if create_file => create(root, rel, &format!("# Agents\n\n{section}"), changes),
        None => Ok(()),
        Some(old) => {
            let eol = planwright_core::edit::line_ending(&old);
            let section = section.replace('\n', eol);
            let new = match (old.find(BEGIN), old.find(END)) {
                (Some(b), Some(e)) if b < e => {
                    let end = old[e..].find('\n').map_or(old.len(), |i| e + i + 1);
                    format!("{}{section}{}", &old[..b], &old[end..])
                }
                _ => {
                    let sep = if old.is_empty() {
                        ""
                    } else if old.ends_with('\n') {
                        eol
                    } else {
                        "\n\n"
                    };
                    format!("{old}{sep}{section}")
                }
            };
            if new == old {
                return Ok(());
            }
            update(root, rel, &old, &new, changes)
        }
    }
}

/// The text of a file inside the root, `None` when there is none.
fn read(root: &Path, rel: &str) -> Result<Option<String>, Error> {
    let path = crate::confine::resolve_rel(root, rel)?;
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// Creates `rel` with `text` unless it exists (then it stays as it is).
fn create(root: &Path, rel: &str, text: &str, changes: &mut Changes) -> Result<(), Error> {
    if read(root, rel)?.is_some() {
        return Ok(());
    }
    if !changes.dry_run {
        let path = crate::confine::resolve_rel(root, rel)?;
        if let Some(dir) = path.parent() {
            crate::confine::create_dir_all(root, dir)?;
        }
        crate::write::write_atomic(root, &path, text)?;
        changes.say(format!("created {rel}"));
    }
    changes.entries.push(Change::Created {
        rel: rel.to_owned(),
        text: text.to_owned(),
    });
    Ok(())
}

fn update(
    root: &Path,
    rel: &str,
    old: &str,
    new: &str,
    changes: &mut Changes,
) -> Result<(), Error> {
    if !changes.dry_run {
        let path = crate::confine::resolve_rel(root, rel)?;
        crate::write::write_atomic(root, &path, new)?;
        changes.say(format!("updated {rel}"));
    }
    changes.edited(rel, old, new);
    Ok(())
}
