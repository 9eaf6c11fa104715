//! What the views need of each plan, taken while the plan is at hand: a [`Summary`].

use crate::model::{Plan, PlanKind, SectionKind, Status};

use super::region::segments;

/// What the views need to know about one plan. Serializable, so that a cache of checks can
/// keep it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    rel: String,
    slug: String,
    status_text: String,
    features: Vec<String>,
    effort: String,
    impact: String,
    author: String,
    approved: String,
    children: Vec<String>,
    superseded_by: Option<String>,
    questions: Vec<String>,
    source: Option<String>,
    pub kind: Option<PlanKind>,
    pub status: Option<Status>,
    /// 1-based line of the Status value (0 when there is none), and its byte range.
    pub status_line: usize,
    pub status_span: (usize, usize),
}

impl Summary {
    /// The plan's path from the repository root.
    pub fn rel(&self) -> &str {
        &self.rel
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// The last part of the slug: the plan's own folder or file name.
    pub(super) fn name(&self) -> &str {
        let slug = self.slug();
        last_slash(slug).map_or(slug, |i| &slug[i + 1..])
    }

    /// The Status value as written, without decoration (`-` when there is none).
    pub fn status_text(&self) -> &str {
        &self.status_text
    }

    /// Feature READMEs (root-relative) from the Features field.
    pub fn features(&self) -> impl Iterator<Item = &str> {
        self.features.iter().map(String::as_str)
    }

    pub(super) fn has_features(&self) -> bool {
        !self.features.is_empty()
    }

    pub fn effort(&self) -> &str {
        &self.effort
    }

    pub fn impact(&self) -> &str {
        &self.impact
    }

    pub fn author(&self) -> &str {
        &self.author
    }

    pub fn approved(&self) -> &str {
        &self.approved
    }

    /// Slugs of the children named in a roadmap's Child Plans table, in order.
    pub fn children(&self) -> impl Iterator<Item = &str> {
        self.children.iter().map(String::as_str)
    }

    pub fn superseded_by(&self) -> Option<&str> {
        self.superseded_by.as_deref()
    }

    /// The items of the Outstanding Questions section.
    pub fn questions(&self) -> impl Iterator<Item = &str> {
        self.questions.iter().map(String::as_str)
    }

    /// The Source link, resolved (root-relative), when it points inside the repository.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The Status cell of a table row: the status read, else the text as written.
    pub(super) fn status_cell(&self) -> &str {
        match self.status {
            Some(s) => s.as_str(),
            None => self.status_text(),
        }
    }
}

/// The position of the last `/` of a short text (a byte loop: `rsplit` sets up a searcher
/// each time, and the views ask this of every plan).
pub(super) fn last_slash(s: &str) -> Option<usize> {
    s.bytes().rposition(|c| c == b'/')
}

/// A field's value without decoration, `-` when it is missing or empty.
fn value<'a>(src: &'a str, plan: &Plan, name: &str) -> &'a str {
    plan.field(name)
        .map(|f| crate::text::strip_decoration(f.inline.text(src)))
        .filter(|v| !v.is_empty())
        .unwrap_or("-")
}

/// Summarises a plan found under `spec/plans/` (others have no place in the views).
pub fn summarize(rel: &str, src: &str, plan: &Plan) -> Option<Summary> {
    let slug = crate::text::slug_of(rel)?;
    if !plan.kind.is_markdown_plan() {
        return None;
    }
    let dir = rel.rsplit_once('/').map_or("", |p| p.0);
    // Byte by byte: `str`'s searches, started once per path segment, cost more than the
    // rest of the summary.
    let resolve = |target: &str| -> Option<String> {
        let path = &target[..target
            .bytes()
            .position(|b| b == b'#' || b == b'?')
            .unwrap_or(target.len())];
        if path.is_empty()
            || path.as_bytes().windows(3).any(|w| w == b"://")
            || path.starts_with('/')
        {
            return None;
        }
        let mut out = String::with_capacity(dir.len() + path.len() + 1);
        // The plan's folder as written (found by discovery: no `.` or `..` in it).
        for seg in segments(Some(dir)).filter(|p| !p.is_empty()) {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(seg);
        }
        for seg in segments(Some(path)) {
            if !crate::text::push_path_segment(&mut out, seg) {
                return None;
            }
        }
        Some(out)
    };
    // The links written inside a field, resolved; a folder link means its README.
    let links_in = |name: &str| {
        plan.field(name).into_iter().flat_map(move |f| {
            plan.links
                .iter()
                .filter(move |l| f.span.start <= l.span.start && l.span.end <= f.span.end)
        })
    };
    let as_readme = |p: String| {
        if p.ends_with(".md") {
            p
        } else {
            format!("{}/README.md", p.trim_end_matches('/'))
        }
    };
    let plan_slug = |p: String| {
        crate::text::slug_of(&format!(
            "{}/README.md",
            p.trim_end_matches("/README.md").trim_end_matches('/')
        ))
    };
    let mut features: Vec<String> = Vec::new();
    for p in links_in("features").filter_map(|l| resolve(&l.target)) {
        let p = as_readme(p);
        if !features.contains(&p) {
            features.push(p);
        }
    }
    let children: Vec<String> = plan
        .child_plans
        .iter()
        .filter_map(|c| plan_slug(resolve(&c.target.as_ref()?.value)?))
        .collect();
    let superseded_by = links_in("superseded by")
        .next()
        .and_then(|l| plan_slug(resolve(&l.target)?));
    let questions = plan
        .section(SectionKind::OutstandingQuestions)
        .map(|s| crate::Span::new(s.heading.end, s.span.end).text(src))
        .unwrap_or("");
    let questions = questions
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")));
    let source = links_in("source")
        .next()
        .and_then(|l| resolve(&l.target))
        .map(as_readme);
    let status = plan.status_text(src);
    let (status_line, status_span) = status.map_or((0, (0, 0)), |(_, s)| {
        (src[..s.start].matches('\n').count() + 1, (s.start, s.end))
    });
    let status_text = status.map_or("-", |(t, _)| crate::text::strip_decoration(t));
    let questions = questions.map(str::to_owned).collect();
    Some(Summary {
        rel: rel.to_owned(),
        slug,
        status_text: status_text.to_owned(),
        features,
        effort: value(src, plan, "effort").to_owned(),
        impact: value(src, plan, "impact").to_owned(),
        author: value(src, plan, "author").to_owned(),
        approved: value(src, plan, "approved").to_owned(),
        children,
        superseded_by,
        questions,
        source,
        kind: Some(plan.kind),
        status: plan.status(src),
        status_line,
        status_span,
    })
}
