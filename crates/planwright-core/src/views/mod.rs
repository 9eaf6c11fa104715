//! The generated views of a repository (seed 003), computed from plan summaries without I/O: the plans index `spec/plans/README.md`,
//! each feature README's `## Plans` table, and each roadmap's status derived from its
//! children. `planwright index` rewrites them; `index --check` and `check` report them stale.
//!
//! Only a view's region is ever rewritten — between `<!-- planwright:… -->` markers, or the
//! body of an existing `## Plans` section — and every other byte of the file stays the same.

use crate::model::{PlanKind, Status};
use std::collections::BTreeMap;

mod region;
mod summary;

use region::{BEGIN, END};
pub use region::{first_difference, relative_link, with_region};
use summary::last_slash;
pub use summary::{Summary, summarize};

/// A roadmap's status from its children (seed 003): any draft → draft; all approved →
/// approved; all in review or approved → in_review. Superseded children are history and do not
/// count. `None` without live children.
pub fn derived_status(children: &[&Summary]) -> Option<Status> {
    let st: Vec<Option<Status>> = children
        .iter()
        .map(|c| c.status)
        .filter(|s| *s != Some(Status::Superseded))
        .collect();
    if st.is_empty() {
        return None;
    }
    if st.iter().any(|s| *s == Some(Status::Draft) || s.is_none()) {
        return Some(Status::Draft);
    }
    if st.iter().all(|s| *s == Some(Status::Approved)) {
        return Some(Status::Approved);
    }
    if st
        .iter()
        .all(|s| matches!(s, Some(Status::Approved | Status::InReview)))
    {
        return Some(Status::InReview);
    }
    None
}

fn feature_name(readme: &str) -> &str {
    // `trim_end_matches` with a text pattern sets up a substring searcher on every call.
    let mut name = readme.strip_prefix("spec/features/").unwrap_or(readme);
    while let Some(r) = name.strip_suffix("/README.md") {
        name = r;
    }
    while let Some(r) = name.strip_suffix(".md") {
        name = r;
    }
    name
}

/// The plans sorted by slug, and a lookup by slug (the last of equal slugs, as a map built
/// in order would keep). Results come sorted by path, which sorts them by slug too in almost
/// every repository: that is checked in one pass, and they are sorted only when it fails.
struct BySlug<'a>(Vec<&'a Summary>);

impl<'a> BySlug<'a> {
    fn new(plans: &[&'a Summary]) -> BySlug<'a> {
        let mut sorted: Vec<&'a Summary> = plans.to_vec();
        if !sorted.is_sorted_by(|a, b| a.slug() <= b.slug()) {
            sorted.sort_by(|a, b| a.slug().cmp(b.slug()));
        }
        BySlug(sorted)
    }

    fn get(&self, slug: &str) -> Option<&'a Summary> {
        let i = self.0.partition_point(|p| p.slug() <= slug);
        self.0[..i].last().copied().filter(|p| p.slug() == slug)
    }
}

/// The children of each roadmap: named in its table, or found in its folder; and the plans
/// that are no other plan's child by folder, by slug.
fn family<'a>(plans: &[&'a Summary]) -> (Vec<&'a Summary>, BTreeMap<&'a str, Vec<&'a Summary>>) {
    let by_slug = BySlug::new(plans);
    // Plans in a plan's folder, by the parent's slug: one pass, not one scan per plan.
    let mut nested: BTreeMap<&str, Vec<&Summary>> = BTreeMap::new();
    let mut top = Vec::with_capacity(plans.len());
    for &p in &by_slug.0 {
        let slug = p.slug();
        match last_slash(slug).map(|i| &slug[..i]) {
            Some(parent) if by_slug.get(parent).is_some() => {
                nested.entry(parent).or_default().push(p);
            }
            _ => top.push(p),
        }
    }
    let mut children: BTreeMap<&str, Vec<&Summary>> = BTreeMap::new();
    for &p in plans {
        let inside = if nested.is_empty() {
            None
        } else {
            nested.remove(p.slug())
        };
        if p.kind != Some(PlanKind::Roadmap) && inside.is_none() {
            continue;
        }
        // The roadmap's own order first (its Child Plans table), then the rest by slug.
        let mut kids: Vec<&Summary> = p.children().filter_map(|c| by_slug.get(c)).collect();
        let listed: std::collections::HashSet<&str> = kids.iter().map(|k| k.slug()).collect();
        let rest = inside
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !listed.contains(c.slug()));
        kids.extend(rest);
        children.insert(p.slug(), kids);
    }
    (top, children)
}

/// Roadmaps whose written status differs from the one derived from their children:
/// (roadmap, derived status).
pub fn roadmap_mismatches<'a>(plans: &[&'a Summary]) -> Vec<(&'a Summary, Status)> {
    if !plans.iter().any(|p| p.kind == Some(PlanKind::Roadmap)) {
        return Vec::new();
    }
    let (_, children) = family(plans);
    let mut out = Vec::new();
    for &p in plans.iter().filter(|p| p.kind == Some(PlanKind::Roadmap)) {
        if p.status == Some(Status::Superseded) {
            continue;
        }
        let kids = children.get(p.slug()).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(d) = derived_status(kids)
            && p.status != Some(d)
        {
            out.push((p, d));
        }
    }
    out
}

/// The generated part of `spec/plans/README.md`.
pub fn index_region(plans: &[&Summary], recently_closed: usize) -> String {
    let (top, children) = family(plans);
    let mut out = String::with_capacity(128 * plans.len() + 256);
    out.push_str(
        "| Plan | Status | Features | Effort | Impact | Author | Approved |\n|---|---|---|---|---|---|---|\n",
    );
    let row = |out: &mut String, p: &Summary, indent: bool| {
        let (slug, name) = (p.slug(), p.name());
        let link_end = if p.rel().ends_with("/README.md") {
            "/"
        } else {
            ".md"
        };
        let status = p.status_cell();
        let indent = if indent { "&nbsp;&nbsp;" } else { "" };
        push_all(
            out,
            &[
                "| ", indent, "[", name, "](", slug, link_end, ") | ", status, " | ",
            ],
        );
        if !p.has_features() {
            out.push('-');
        }
        for (k, f) in p.features().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(feature_name(f));
        }
        push_all(out, &[" | ", p.effort(), " | ", p.impact()]);
        author_approved(out, p);
    };
    for p in &top {
        row(&mut out, p, false);
        for c in children.get(p.slug()).map(Vec::as_slice).unwrap_or(&[]) {
            row(&mut out, c, true);
        }
    }
    let mut closed: Vec<(&Summary, &str)> = plans
        .iter()
        .copied()
        .filter(|p| p.status == Some(Status::Superseded))
        .map(|p| (p, p.approved()))
        .collect();
    if !closed.is_empty() {
        let by_slug = BySlug::new(plans);
        for (p, date) in &mut closed {
            if let Some(s) = p.superseded_by().and_then(|s| by_slug.get(s)) {
                *date = s.approved();
            }
        }
    }
    closed.sort_by(|a, b| b.1.cmp(a.1).then(a.0.slug().cmp(b.0.slug())));
    out.push_str("\n## Recently Closed\n\n");
    if closed.is_empty() {
        out.push_str("None yet.\n");
    } else {
        out.push_str("| Plan | Status | Completed |\n|---|---|---|\n");
        for (p, date) in closed.iter().take(recently_closed) {
            let slug = p.slug();
            push_all(
                &mut out,
                &[
                    "| [",
                    p.name(),
                    "](",
                    slug,
                    "/) | superseded | ",
                    date,
                    " |\n",
                ],
            );
        }
    }
    out.push_str("\n## Outstanding Questions\n\n");
    let mut any = false;
    for p in plans {
        for q in p.questions() {
            push_all(
                &mut out,
                &["- [", p.slug(), "](", p.slug(), "/): ", q, "\n"],
            );
            any = true;
        }
    }
    if !any {
        out.push_str("None at this time.\n");
    }
    out
}

/// The header of a feature README's `## Plans` table.
pub const FEATURE_TABLE: &str = "| Plan | Status | Author | Approved |\n|---|---|---|---|\n";

/// One plan's row in a feature's `## Plans` table.
fn feature_row(out: &mut String, feature: &str, p: &Summary) {
    push_all(
        out,
        &[
            "| [",
            p.name(),
            "](",
            &relative_link(feature, p.rel()),
            ") | ",
            p.status_cell(),
        ],
    );
    author_approved(out, p);
}

/// Appends the pieces of a table row: a row per plan, where `write!` cost more than the text.
fn push_all(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

/// The last two cells of an index or feature row, and the row's end.
fn author_approved(out: &mut String, p: &Summary) {
    push_all(out, &[" | ", p.author(), " | ", p.approved(), " |\n"]);
}

/// A proposal's `| Plan | … |` row set to the plans whose Source is that proposal (seed 003's
/// forward reference); other bytes unchanged. `None` when the proposal has no field table.
pub fn proposal_text(old: &str, proposal: &str, plans: &[&Summary]) -> Option<String> {
    let links: Vec<String> = plans
        .iter()
        .map(|p| format!("[{}]({})", p.name(), relative_link(proposal, p.rel())))
        .collect();
    let row = format!("| Plan | {} |", links.join(", "));
    let eol = crate::edit::line_ending(old);
    let mut pos = 0;
    let mut status_end = None;
    for line in old.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if line.trim_start().starts_with('|') && cells.first() == Some(&"Plan") {
            let end = start + line.trim_end_matches(['\n', '\r']).len();
            return Some(format!("{}{row}{}", &old[..start], &old[end..]));
        }
        if line.trim_start().starts_with('|') && cells.first() == Some(&"Status") {
            status_end = Some(pos);
        }
    }
    let at = status_end?;
    Some(format!("{}{row}{eol}{}", &old[..at], &old[at..]))
}

/// Every feature's Plans table, built in one pass over the plans in slug order (each
/// table's row order), so that each plan is read once, while it is at hand.
pub fn feature_tables<'a>(plans: &[&'a Summary]) -> BTreeMap<&'a str, String> {
    let mut tables: BTreeMap<&str, String> = BTreeMap::new();
    for &p in &BySlug::new(plans).0 {
        for f in p.features() {
            let table = tables
                .entry(f)
                .or_insert_with(|| String::from(FEATURE_TABLE));
            feature_row(table, f, p);
        }
    }
    tables
}

/// Which generated view a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    /// The plans index, `spec/plans/README.md`.
    Index,
    /// A feature README's `## Plans` table.
    FeatureTable,
    /// A proposal's `| Plan | … |` field.
    ProposalField,
}

/// One view file that is out of date: its path, what it holds, its text and the text it
/// should have (`old` is empty when the file does not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub rel: String,
    pub kind: ViewKind,
    pub old: String,
    pub new: String,
}

/// Every view that is out of date, with the text it should have, for the plans found: the
/// plans index, then each feature's Plans table, then each proposal's Plan field. `read` gives
/// a view file's text (`None` when it does not exist; the index is then created, the others
/// are not).
pub fn stale(
    plans: &[&Summary],
    recently_closed: usize,
    read: &dyn Fn(&str) -> Option<String>,
) -> Vec<View> {
    if plans.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let rel = "spec/plans/README.md";
    let old = read(rel).unwrap_or_default();
    let region = index_region(plans, recently_closed);
    let new = index_text(if old.is_empty() { "# Plans\n\n" } else { &old }, &region);
    if new != old {
        out.push(View {
            rel: rel.to_owned(),
            kind: ViewKind::Index,
            old,
            new,
        });
    }
    for (feature, table) in feature_tables(plans) {
        let Some(old) = read(feature) else {
            continue;
        };
        let new = with_region(&old, "Plans", &table);
        if new != old {
            out.push(View {
                rel: feature.to_owned(),
                kind: ViewKind::FeatureTable,
                old,
                new,
            });
        }
    }
    let mut proposals: BTreeMap<&str, Vec<&Summary>> = BTreeMap::new();
    for &p in plans {
        if let Some(s) = p.source().filter(|s| s.contains("/proposals/")) {
            proposals.entry(s).or_default().push(p);
        }
    }
    for (proposal, ps) in proposals {
        let Some(old) = read(proposal) else {
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

/// The index file keeps its own title and intro; the generated part replaces everything from
/// the first table (or the markers) on.
pub fn index_text(base: &str, region: &str) -> String {
    if base.contains(BEGIN.trim_end()) {
        return with_region(base, "Plans", region);
    }
    // First generation: keep the heading and any prose before the first table or section.
    let keep_end = base
        .split_inclusive('\n')
        .scan(0, |pos, l| {
            let start = *pos;
            *pos += l.len();
            Some((start, l))
        })
        .skip(1)
        .find(|(_, l)| l.starts_with('|') || l.starts_with("## "))
        .map_or(base.len(), |(s, _)| s);
    let head = base[..keep_end].trim_end();
    format!("{head}\n\n{BEGIN}\n{region}\n{END}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Rewriting a region leaves every byte before and after it identical, and a second
        /// rewrite with the same content changes nothing.
        #[test]
        fn only_the_region_changes(
            before in "[a-z#| \n]{0,120}",
            after in "[a-z#| \n]{0,120}",
            old_region in "[a-z| \n]{0,60}",
            new_region in "[a-z| \n]{0,60}",
            crlf in any::<bool>(),
        ) {
            let nl = |s: &str| if crlf { s.replace('\n', "\r\n") } else { s.to_owned() };
            let (before, after) = (nl(&before), nl(&after));
            let first = with_region(&format!("{before}{}", nl("\n")), "Plans", &old_region);
            let text = format!("{first}{after}");
            let updated = with_region(&text, "Plans", &new_region);
            let b = text.find(BEGIN.trim_end()).expect("begin marker");
            let e = text.find(END.trim_end()).expect("end marker") + END.trim_end().len();
            prop_assert_eq!(&updated[..b], &text[..b]);
            let e2 = updated.find(END.trim_end()).expect("end marker") + END.trim_end().len();
            prop_assert_eq!(&updated[e2..], &text[e..]);
            prop_assert_eq!(with_region(&updated, "Plans", &new_region), updated.clone());
            if crlf && before.contains('\n') {
                prop_assert!(!updated.replace("\r\n", "").contains('\n'), "line endings kept");
            }
        }
    }

    /// Where the first way `with_region` was written puts a region after a `## Plans`
    /// heading (with no markers yet): the heading line's end and the next heading's start.
    fn heading_body_reference(text: &str, heading: &str) -> Option<(usize, usize)> {
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .scan(0, |pos, l| {
                let start = *pos;
                *pos += l.len();
                Some((start, l))
            })
            .collect();
        let i = lines.iter().position(|(_, l)| l.trim_end() == heading)?;
        let body_start = lines[i].0 + lines[i].1.len();
        let body_end = lines[i + 1..]
            .iter()
            .find(|(_, l)| l.starts_with("# ") || l.starts_with("## "))
            .map_or(text.len(), |(s, _)| *s);
        Some((body_start, body_end))
    }

    proptest! {
        /// A region goes after the same `## Plans` heading, up to the same next heading, as
        /// the line-by-line reading put it.
        #[test]
        fn the_region_goes_where_it_went(
            lines in proptest::collection::vec(
                prop_oneof![
                    Just("## Plans".to_owned()),
                    Just("## Plans  ".to_owned()),
                    Just(" ## Plans".to_owned()),
                    Just("## Plans and more".to_owned()),
                    Just("# Title".to_owned()),
                    Just("## Other".to_owned()),
                    Just("text ## Plans".to_owned()),
                    "[a-z #]{0,12}",
                ],
                0..12,
            ),
            crlf in any::<bool>(),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let text = lines.join(eol);
            let got = with_region(&text, "Plans", "R");
            let block = format!("{BEGIN}\nR\n{END}").replace('\n', crate::edit::line_ending(&text));
            match heading_body_reference(&text, "## Plans") {
                Some((s, e)) => {
                    let eol = crate::edit::line_ending(&text);
                    let want = format!("{}{eol}{}{eol}{}", &text[..s], block, &text[e..]);
                    prop_assert_eq!(got, want);
                }
                None => prop_assert!(got.starts_with(&text)),
            }
        }
    }

    /// The first way `relative_link` was written, kept as its reference.
    fn relative_link_reference(from: &str, to: &str) -> String {
        let from_dir: Vec<&str> = from
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(vec![], |(_, d)| d.to_vec());
        let (to_path, to_file) = match to.rsplit_once('/') {
            Some((d, f)) => (d.split('/').collect::<Vec<_>>(), f),
            None => (vec![], to),
        };
        let common = from_dir
            .iter()
            .zip(&to_path)
            .take_while(|(a, b)| a == b)
            .count();
        let mut parts: Vec<String> = vec!["..".to_owned(); from_dir.len() - common];
        parts.extend(to_path[common..].iter().map(|s| (*s).to_owned()));
        let dir = parts.join("/");
        if to_file == "README.md" {
            if dir.is_empty() {
                "./".to_owned()
            } else {
                format!("{dir}/")
            }
        } else if dir.is_empty() {
            to_file.to_owned()
        } else {
            format!("{dir}/{to_file}")
        }
    }

    proptest! {
        #[test]
        fn relative_links_agree_with_the_reference(
            from in "(a|b|spec|features|/){0,8}(README\\.md|x\\.md)?",
            to in "(a|b|spec|plans|/){0,8}(README\\.md|y\\.md)?",
        ) {
            prop_assert_eq!(relative_link(&from, &to), relative_link_reference(&from, &to));
        }
    }

    #[test]
    fn relative_links() {
        let l = relative_link;
        assert_eq!(
            l("spec/features/f/README.md", "spec/plans/p/README.md"),
            "../../plans/p/"
        );
        assert_eq!(
            l("spec/features/f/README.md", "spec/features/f/README.md"),
            "./"
        );
        assert_eq!(l("spec/proposals/x.md", "spec/plans/p.md"), "../plans/p.md");
        assert_eq!(l("README.md", "a.md"), "a.md");
    }

    #[test]
    fn roadmap_status_from_children() {
        let s = |st: Status| {
            let mut summary = Summary::default();
            summary.status = Some(st);
            summary
        };
        let (d, r, a) = (s(Status::Draft), s(Status::InReview), s(Status::Approved));
        let x = s(Status::Superseded);
        assert_eq!(derived_status(&[&d, &a]), Some(Status::Draft));
        assert_eq!(derived_status(&[&r, &a]), Some(Status::InReview));
        assert_eq!(derived_status(&[&a, &a]), Some(Status::Approved));
        assert_eq!(
            derived_status(&[&a, &x]),
            Some(Status::Approved),
            "superseded is history"
        );
        assert_eq!(derived_status(&[&x]), None);
        assert_eq!(derived_status(&[]), None);
    }
}
