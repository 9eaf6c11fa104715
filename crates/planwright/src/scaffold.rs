//! `planwright new`: a plan scaffolded from a template — a development plan or roadmap
//! (seed 003), an ExecPlan (seed 001) or a lightweight PLAN (seed 000) — with Created and
//! Author filled in, and its row added to the parent roadmap's Child Plans table.

use crate::error::Error;
use crate::workspace::{Change, Changes, Workspace};
use crate::write;
use planwright_core::edit::{Edit, apply};
use planwright_core::model::SectionKind;
use planwright_core::text::is_valid_slug;
use std::path::Path;

/// `--template` of `new`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Template {
    /// A development plan: Context, Acceptance criteria, Steps.
    #[default]
    Plan,
    /// An ExecPlan with its four living sections.
    Exec,
    /// A lightweight `# PLAN:` with Outcome, Phases, Next Action, Risks.
    Lite,
}

/// What `planwright new` was asked for.
pub struct Request<'a> {
    pub slug: &'a str,
    pub title: Option<&'a str>,
    pub roadmap: bool,
    pub parent: Option<&'a str>,
    pub features: &'a [String],
    pub template: Template,
    pub author: &'a str,
    pub date: &'a str,
    pub dry_run: bool,
}

fn refuse(msg: impl Into<String>) -> Error {
    Error::Refused(msg.into())
}

/// A title from a slug: `add-batch-mode` → `Add batch mode`.
fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn body(r: &Request<'_>, up: &str) -> String {
    let title = r.title.map_or_else(
        || title_of(r.slug.rsplit('/').next().unwrap_or(r.slug)),
        str::to_owned,
    );
    let features: String = r
        .features
        .iter()
        .map(|f| format!("- [{f}]({up}features/{f}/README.md)\n"))
        .collect();
    let source = r.features.first().map_or_else(String::new, |f| {
        format!("[{f} feature spec]({up}features/{f}/README.md)")
    });
    let header = format!(
        "**Status:** draft\n**Features:**\n{features}**Source type:** feature\n**Source:** {source}\n**Author:** {}\n**Created:** {}\n",
        r.author, r.date
    );
    match (r.template, r.roadmap) {
        (Template::Plan, true) => format!(
            "# Plan: {title}\n\n{header}\n## Context\n\nWhy this roadmap exists and how it splits the work into child plans.\n\n## Acceptance criteria\n\n- All child plans completed\n\n## Child Plans\n\n| Order | Plan | Status | Effort | Impact |\n|-------|------|--------|--------|--------|\n\n## Outstanding Questions\n\nNone at this time.\n"
        ),
        (Template::Plan, false) => format!(
            "# Plan: {title}\n\n{header}\n## Context\n\n[the problem and the approach chosen]\n\n## Acceptance criteria\n\n- [what is true when this plan is done]\n\n## Steps\n\n### 1. [first step]\n\n[what it does and why]\n\n**Depends on:** (none)\n**Produces:**\n- [an artifact later steps need]\n\n**Acceptance criteria:**\n- [how to tell it is done]\n\n**Verify:** `[a command that passes when done]`\n\n## Risks and open decisions\n\n- [what could go wrong]\n\n## Outstanding Questions\n\nNone at this time.\n"
        ),
        (Template::Exec, _) => format!(
            "# ExecPlan: {title}\n\n{header}\n## Purpose / Big Picture\n\nWhat someone can do after this work that they could not before, and how to see it working.\n\n## Context and Orientation\n\nThe current state of the code this plan touches, with every term a newcomer needs.\n\n## Plan of Work\n\n1. [first milestone and how to verify it]\n\n## Progress\n\n- [ ] [first milestone]\n\n## Surprises & Discoveries\n\nNone yet.\n\n## Decision Log\n\nNone yet.\n\n## Outcomes & Retrospective\n\nNot started.\n"
        ),
        (Template::Lite, _) => {
            let from = r.features.first().map_or_else(
                || "[the spec or issue]".to_owned(),
                |f| format!("[{f} feature spec]({up}features/{f}/README.md)"),
            );
            format!(
                "# PLAN: {title}\n\nFrom: {from}\n\n## Outcome\n\nOne sentence: what is true when this is done.\n\n## Phases\n\n1. **Phase 1: [name]** — what + why\n   - [concrete action]\n\n## Next Action\n\n[the one action to start right now]\n\n## Risks / Open Questions\n\n- [what could go wrong]\n"
            )
        }
    }
}

/// Creates the plan (and its row in the parent roadmap); returns the new file's path.
pub fn create(ws: &Workspace, r: &Request<'_>) -> Result<Changes, Error> {
    let root = ws.root.as_path();
    let mut changes = Changes::new(r.dry_run);
    for seg in r.slug.split('/') {
        if !is_valid_slug(seg) {
            return Err(crate::error::usage(format!(
                "`{}` is not a valid slug\n  help: use lower-case letters and digits joined by dashes, like `{}`",
                r.slug,
                planwright_core::text::slugify(r.slug)
            )));
        }
    }
    if r.slug.contains('/') && r.parent.is_some() {
        return Err(crate::error::usage(
            "give either a nested slug (`roadmap/child`) or --parent, not both",
        ));
    }
    let (parent, name) = match (r.parent, r.slug.rsplit_once('/')) {
        (Some(p), _) => (Some(p.to_owned()), r.slug.to_owned()),
        (None, Some((p, n))) => (Some(p.to_owned()), n.to_owned()),
        (None, None) => (None, r.slug.to_owned()),
    };
    for f in r.features {
        // A feature is a folder name under spec/features/, and what that folder is (a link,
        // say) must lie inside the root: `new` writes the feature's Plans table.
        if !is_valid_feature(f) {
            return Err(crate::error::usage(format!(
                "`{f}` is not a feature name\n  help: name the folder under spec/features/, like `{}`",
                planwright_core::text::slugify(f)
            )));
        }
        crate::confine::resolve_rel(root, &format!("spec/features/{f}/README.md"))?;
    }
    if r.features.is_empty() && r.template != Template::Exec {
        return Err(crate::error::usage(
            "a plan names the features it touches\n  help: add --feature NAME (spec/features/NAME/README.md), once per feature",
        ));
    }
    let parent_rel = match &parent {
        Some(p) => {
            if p.contains('/') {
                return Err(refuse(format!(
                    "`{p}` is itself a child plan; roadmaps nest two levels at most\n  help: make `{name}` a child of the top-level roadmap"
                )));
            }
            let rel = format!("spec/plans/{p}/README.md");
            crate::confine::resolve_rel(root, &rel)?;
            if !root.join(&rel).is_file() {
                return Err(crate::error::not_found(format!(
                    "no roadmap `{p}` (looked for {rel})\n  help: create it with `planwright new {p} --roadmap`"
                )));
            }
            Some(rel)
        }
        None => None,
    };
    let dir_rel = match &parent {
        Some(p) => format!("spec/plans/{p}/{name}"),
        None => format!("spec/plans/{name}"),
    };
    let rel = format!("{dir_rel}/README.md");
    changes.plan = Some(dir_rel.trim_start_matches("spec/plans/").to_owned());
    changes.status = Some("draft");
    if root.join(&rel).exists()
        || root.join(format!("spec/plans/{name}.md")).exists() && parent.is_none()
    {
        return Err(crate::error::conflict(format!(
            "a plan named `{}` exists already ({rel})\n  help: pick another slug, or edit that plan",
            r.slug
        )));
    }
    let up = "../".repeat(dir_rel.split('/').count() - 1);
    let text = body(r, &up);
    // The parent roadmap's Child Plans table gets a row.
    let mut parent_edit: Option<(String, String, String)> = None;
    if let Some(prel) = &parent_rel {
        let psrc = crate::confine::read_to_string(root, Path::new(prel))?;
        let pplan = planwright_core::read(&psrc, planwright_core::KindHint::Plan);
        let Some(section) = pplan.section(SectionKind::ChildPlans) else {
            return Err(refuse(format!(
                "{prel} has no `## Child Plans` table\n  help: only a roadmap has child plans (`planwright new NAME --roadmap`)"
            )));
        };
        let order = pplan.child_plans.len() + 1;
        let row = format!("| {order} | [{name}]({name}/) | draft | - | - |\n");
        let at = pplan.child_plans.last().map_or_else(
            || {
                // After the table's separator row.
                let t = section.span.text(&psrc);
                let sep = t
                    .find("|-")
                    .or_else(|| t.find("| -"))
                    .map_or(section.heading.end, |i| section.span.start + i);
                psrc[sep..].find('\n').map_or(psrc.len(), |k| sep + k + 1)
            },
            |last| {
                psrc[last.span.end..]
                    .find('\n')
                    .map_or(psrc.len(), |k| last.span.end + k + 1)
            },
        );
        let new = apply(&psrc, &[Edit::insert(at, row)]).map_err(|e| refuse(e.to_string()))?;
        parent_edit = Some((prel.clone(), psrc, new));
    }
    if r.dry_run {
        changes.entries.push(Change::Created { rel, text });
        if let Some((prel, old, new)) = &parent_edit {
            changes.edited(prel, old, new);
        }
        return Ok(changes);
    }
    // Every file this writes must lie inside the root: refused before the first write.
    crate::confine::resolve_rel(root, &rel)?;
    let _lock = write::lock(root)?;
    crate::confine::create_dir_all(root, &root.join(&dir_rel))?;
    write::write_atomic(root, &root.join(&rel), &text)?;
    changes.say(format!("created {rel}"));
    changes.entries.push(Change::Created { rel, text });
    if let Some((prel, old, new)) = parent_edit {
        write::write_atomic(root, &root.join(&prel), &new)?;
        changes.edited(&prel, &old, &new);
    }
    crate::regenerate::update(ws, &mut changes)?;
    if let Some(note) = worth_it(root, r) {
        changes.say(note);
    }
    for f in r.features {
        if !root.join(format!("spec/features/{f}/README.md")).is_file() {
            changes.say(format!(
                "note: spec/features/{f}/README.md does not exist yet; `planwright check` will report the link"
            ));
        }
    }
    Ok(changes)
}

/// A feature is named by its folder under `spec/features/`: one path segment of letters,
/// digits, `-`, `_` and `.`, not starting with a dot (so never `..`).
fn is_valid_feature(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether the kind of plan fits the work (seed 000: a lightweight PLAN for a single-phase
/// change, the full plan for multi-phase, parallel, uncertain or hand-off work), inferred from
/// the size of the feature specs it comes from: a note suggesting the other kind, or `None`.
fn worth_it(root: &Path, r: &Request<'_>) -> Option<String> {
    if r.roadmap || r.features.is_empty() {
        return None;
    }
    let spec: usize = r
        .features
        .iter()
        .filter_map(|f| std::fs::metadata(root.join(format!("spec/features/{f}/README.md"))).ok())
        .map(|m| m.len() as usize)
        .sum();
    match r.template {
        Template::Plan if spec > 0 && spec < SMALL_SPEC => Some(format!(
            "note: the spec is short ({spec} bytes): for a single-phase change a lightweight PLAN (`--template lite`) may be all it needs"
        )),
        Template::Lite if spec > LARGE_SPEC => Some(format!(
            "note: the spec is long ({spec} bytes): multi-phase or hand-off work is better served by the full plan (`--template plan`)"
        )),
        _ => None,
    }
}

/// Below this many bytes of spec, the work is likely one phase; above the other, several.
const SMALL_SPEC: usize = 1200;
const LARGE_SPEC: usize = 6000;
