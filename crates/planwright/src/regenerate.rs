//! Rewriting the generated views — the plans index, the features' Plans tables, proposals'
//! Plan fields and roadmaps' statuses — from a fresh check of the repository (`planwright
//! index`, and after `new`, `submit`, `approve` and `supersede`). What the views should say is
//! [`crate::views`]'s; this runs the check and writes.

use crate::views::{self, Summary};
use crate::workspace::{Changes, Workspace};
use planwright_core::model::Status;

/// Rewrites every stale view (roadmap statuses first, then the index and the feature tables)
/// and records each edit in `changes`; in a dry run only records them. Returns how many files
/// changed. Take the repository lock first when writing.
pub fn update(ws: &Workspace, changes: &mut Changes) -> Result<usize, crate::error::Error> {
    use crate::error::Error;
    let (root, cfg, dry_run) = (ws.root.as_path(), &ws.config, changes.dry_run);
    let mut quiet = cfg.clone();
    for r in planwright_core::rules::RULES {
        let _ = quiet.rules.set(r.name, planwright_core::Severity::Off);
    }
    let m = crate::discover::Matcher::new(cfg)?;
    let report = crate::check::run_all(root, &m, &quiet, false);
    let mut summaries: Vec<Summary> = report
        .files
        .into_iter()
        .filter_map(|f| f.summary.map(|s| *s))
        .collect();
    let mut changed = 0;
    let refs: Vec<&Summary> = summaries.iter().collect();
    let mismatches: Vec<(Summary, Status)> = views::roadmap_mismatches(&refs)
        .into_iter()
        .map(|(r, d)| (r.clone(), d))
        .collect();
    // Every file a view lives in must lie inside the root, links resolved: refused before
    // anything is written.
    let proposal = memchr::memmem::Finder::new("/proposals/");
    let tables = views::feature_tables(&refs);
    let targets = tables
        .keys()
        .copied()
        .chain(["spec/plans/README.md"])
        .chain(mismatches.iter().map(|(r, _)| r.rel()))
        .chain(
            refs.iter()
                .filter_map(|p| p.source())
                .filter(|s| proposal.find(s.as_bytes()).is_some()),
        );
    for f in targets {
        if std::fs::symlink_metadata(root.join(f)).is_ok() {
            crate::confine::resolve_rel(root, f)?;
        }
    }
    for (roadmap, derived) in mismatches {
        let path = crate::confine::resolve_rel(root, roadmap.rel())?;
        let old = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let (s, e) = roadmap.status_span;
        let new = planwright_core::edit::apply(
            &old,
            &[planwright_core::edit::Edit::replace(
                planwright_core::Span::new(s, e),
                derived.as_str(),
            )],
        )
        .map_err(|e| crate::error::refused(e.to_string()))?;
        if !dry_run {
            crate::write::write_atomic(root, &path, &new)?;
            changes.say(format!(
                "rewrote {} (status {})",
                roadmap.rel(),
                derived.as_str()
            ));
        }
        changes.edited(roadmap.rel(), &old, &new);
        if let Some(x) = summaries.iter_mut().find(|x| x.rel() == roadmap.rel()) {
            x.status = Some(derived);
        }
        changed += 1;
    }
    let refs: Vec<&Summary> = summaries.iter().collect();
    for v in views::expected(root, &refs, cfg.recently_closed) {
        changed += 1;
        if !dry_run {
            let path = crate::confine::resolve_rel(root, &v.rel)?;
            if let Some(dir) = path.parent() {
                crate::confine::create_dir_all(root, dir)?;
            }
            crate::write::write_atomic(root, &path, &v.new)?;
            changes.say(format!("rewrote {}", v.rel));
        }
        changes.edited(&v.rel, &v.old, &v.new);
    }
    Ok(changed)
}
