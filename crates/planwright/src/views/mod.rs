//! The generated views of a repository as they stand on disk: each view's file read (inside
//! the root) and compared with what [`planwright_core::views`] says it should contain.

pub use planwright_core::views::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every view that is out of date, with what it should contain, for the plans found.
pub fn expected(root: &Path, plans: &[&Summary], recently_closed: usize) -> Vec<View> {
    if plans.is_empty() {
        return Vec::new();
    }
    // They run after the check, when every other core is idle: the index on one core while
    // the feature tables are built on another (each has a row per plan), then the feature
    // files are read and rewritten on both, half each.
    let (index, backrefs) = std::thread::scope(|s| {
        let index = s.spawn(|| index_expected(root, plans, recently_closed));
        let mut tables: Vec<(&str, String)> = feature_tables(plans).into_iter().collect();
        let second = tables.split_off(tables.len() / 2);
        let other = s.spawn(|| feature_views(root, second));
        let mut backrefs = feature_views(root, tables);
        backrefs.extend(joined(other));
        backrefs.extend(proposal_views(root, plans));
        (joined(index), backrefs)
    });
    let mut out = Vec::with_capacity(1 + backrefs.len());
    if index.old != index.new {
        out.push(index);
    }
    out.extend(backrefs);
    out
}

/// The plans index.
fn index_expected(root: &Path, plans: &[&Summary], recently_closed: usize) -> View {
    let rel = "spec/plans/README.md".to_owned();
    let old = read_view(root, &rel).unwrap_or_default();
    let region = index_region(plans, recently_closed);
    let new = if old.is_empty() {
        index_text("# Plans\n\n", &region)
    } else {
        index_text(&old, &region)
    };
    View {
        rel,
        kind: ViewKind::Index,
        old,
        new,
    }
}

/// A scoped thread's result; its panic goes on up.
fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The back-references of the features that exist, in the order given.
fn feature_views(root: &Path, tables: Vec<(&str, String)>) -> Vec<View> {
    let mut out = Vec::with_capacity(tables.len());
    for (f, table) in tables {
        let Some(old) = read_view(root, f) else {
            continue;
        };
        let new = with_region(&old, "Plans", &table);
        // An up-to-date view is let go at once: the next feature's texts reuse its memory
        // instead of touching fresh pages.
        if new == old {
            continue;
        }
        out.push(View {
            rel: f.to_owned(),
            kind: ViewKind::FeatureTable,
            old,
            new,
        });
    }
    out
}

/// The Plan field of the proposals named as a plan's Source.
fn proposal_views(root: &Path, plans: &[&Summary]) -> Vec<View> {
    let mut out = Vec::new();
    let proposal = memchr::memmem::Finder::new("/proposals/");
    let mut proposals: BTreeMap<&str, Vec<&Summary>> = BTreeMap::new();
    for &p in plans {
        if let Some(s) = p.source().filter(|s| proposal.find(s.as_bytes()).is_some()) {
            proposals.entry(s).or_default().push(p);
        }
    }
    for (proposal, ps) in proposals {
        let Some(old) = read_view(root, proposal) else {
            continue;
        };
        if let Some(new) = proposal_text(&old, proposal, &ps).filter(|new| *new != old) {
            out.push(View {
                rel: proposal.to_owned(),
                kind: ViewKind::ProposalField,
                old,
                new,
            });
        }
    }
    out
}

/// The text of a view's file, when it exists inside the root. A file that a link puts
/// outside the root is not planwright's to keep: it has no view (and `update` refuses it).
fn read_view(root: &Path, rel: &str) -> Option<String> {
    let real = crate::confine::resolve_rel(root, rel).ok()?;
    std::fs::read_to_string(real).ok()
}
