//! The parser: Markdown text in, a typed [`Plan`] out. It never fails on content.
//!
//! One pass of pulldown-cmark finds the block structure (headings, code blocks, lists,
//! links); a line scan over the same text reads the fields (`**Depends on:** Step 1`), which
//! Markdown itself does not know about. Nothing is re-rendered: every element keeps its byte
//! span into the original text.

pub(crate) mod blocks;
mod deps;
mod exec;
mod fields;
mod foreign;
mod kiro;
mod living;
mod speckit;
mod steps;

use crate::model::{FrontMatter, FrontMatterEntry, Plan, PlanKind, SectionKind, Spanned};
use crate::span::Span;

pub(crate) use blocks::{Blocks, is_external};
pub(crate) use deps::is_step_id;

/// What the caller knows about a file before reading it (from where it was found).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KindHint {
    /// Decide from the content alone; a file with no plan signals is a plain document.
    #[default]
    Auto,
    /// Found where plans live (`spec/plans/`): a plan of some kind, development by default.
    Plan,
    /// Found where ExecPlans live: an ExecPlan.
    Exec,
    /// A lightweight `# PLAN:`.
    Lite,
    /// spec-kit's `specs/*/tasks.md`.
    SpecKit,
    /// Kiro's `.kiro/specs/*/tasks.md`.
    Kiro,
    /// Taskmaster's `tasks.json`.
    Taskmaster,
    /// Beads' `issues.jsonl`.
    Beads,
}

/// Builds the model only, without running any rule (for `graph` and `show`, which report
/// no findings).
pub fn read(src: &str, hint: KindHint) -> Plan {
    build(src, hint)
}

pub(crate) fn empty_plan(len: usize) -> Plan {
    Plan {
        kind: PlanKind::Document,
        title: None,
        front_matter: None,
        fields: Vec::new(),
        sections: Vec::new(),
        steps: Vec::new(),
        child_plans: Vec::new(),
        progress: Vec::new(),
        decisions: Vec::new(),
        surprises: Vec::new(),
        links: Vec::new(),
        bare_urls: Vec::new(),
        code_blocks: Vec::new(),
        code_spans: Vec::new(),
        blocks: 0,
        blocks_with_external: 0,
        len,
        malformed: None,
    }
}

/// Builds the model without running any rule.
pub(crate) fn build_plan(src: &str, hint: KindHint) -> Plan {
    build(src, hint)
}

/// Builds the model.
fn build(src: &str, hint: KindHint) -> Plan {
    if let Some(plan) = foreign::read_json(src, hint) {
        return plan;
    }
    let mut plan = empty_plan(src.len());
    let mut body = 0;
    if src.starts_with('\u{feff}') {
        body = 3;
    }
    if let Some((fm, end)) = front_matter(src, body) {
        plan.front_matter = Some(fm);
        body = end;
    }
    let mut blocks = Blocks::read(src, body);

    // Title: the first level-1 heading.
    let title_heading = blocks.headings.iter().find(|h| h.level == 1);
    plan.title = title_heading.map(|h| Spanned {
        value: h.text.text(src).to_owned(),
        span: h.text,
    });

    // Sections: level-2 headings, and level-1 headings after the title.
    let mut sections = Vec::with_capacity(blocks.headings.iter().filter(|h| h.level <= 2).count());
    for (i, h) in blocks.headings.iter().enumerate() {
        let is_section =
            h.level == 2 || (h.level == 1 && Some(h.span) != title_heading.map(|t| t.span));
        if !is_section {
            continue;
        }
        let end = blocks.headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(src.len(), |n| n.span.start);
        let title = h.text.text(src);
        sections.push(crate::model::Section {
            title: Spanned {
                value: title.to_owned(),
                span: h.text,
            },
            kind: crate::model::section_kind(title),
            level: h.level,
            heading: h.span,
            span: Span::new(h.span.start, end),
        });
    }
    plan.sections = sections;

    // Header fields: from the title (or the start) to the first heading after it.
    let header_start = title_heading.map_or(body, |h| h.span.end);
    let header_end = blocks
        .headings
        .iter()
        .find(|h| h.span.start >= header_start)
        .map_or(src.len(), |h| h.span.start);
    plan.fields = fields::scan(
        src,
        &blocks,
        Span::new(header_start, header_end),
        fields::Scope::Header,
    );

    plan.kind = detect_kind(src, &plan, &blocks, hint);

    if matches!(plan.kind, PlanKind::Roadmap) || plan.has_section(SectionKind::ChildPlans) {
        plan.child_plans = steps::child_plans(src, &blocks, &plan);
    }
    plan.steps = if plan.kind == PlanKind::SpecKit {
        speckit::read(src, &blocks)
    } else if plan.kind == PlanKind::Kiro {
        kiro::read(src, &blocks)
    } else {
        steps::read(src, &blocks, &plan)
    };
    if plan.steps.is_empty() && plan.kind == PlanKind::ExecPlan {
        plan.steps = exec::read(src, &blocks, &plan);
    }
    living::read(src, &blocks, &mut plan);

    plan.links = std::mem::take(&mut blocks.links);
    plan.bare_urls = std::mem::take(&mut blocks.bare_urls);
    plan.code_blocks = std::mem::take(&mut blocks.code_blocks);
    plan.code_spans = std::mem::take(&mut blocks.code_spans);
    plan.blocks = blocks.prose_lines;
    plan.blocks_with_external = blocks.prose_lines_with_external;
    plan
}

fn detect_kind(src: &str, plan: &Plan, blocks: &Blocks, hint: KindHint) -> PlanKind {
    match hint {
        // Found where ExecPlans live, but an index, a folder README that only lists plans, or
        // an artifact is no plan: an ExecPlan has at least one of the format's sections, or
        // says it is one in its title.
        KindHint::Exec => {
            let exec_title = plan
                .title
                .as_ref()
                .is_some_and(|t| t.value.to_ascii_lowercase().starts_with("execplan"));
            let exec_section = plan.sections.iter().any(|s| {
                matches!(
                    s.kind,
                    SectionKind::Purpose
                        | SectionKind::Progress
                        | SectionKind::Surprises
                        | SectionKind::DecisionLog
                        | SectionKind::Outcomes
                ) || crate::model::section_kind(&s.title.value) == SectionKind::Context
                    && s.title.value.to_ascii_lowercase().contains("orientation")
            });
            return if exec_title || exec_section {
                PlanKind::ExecPlan
            } else {
                PlanKind::Document
            };
        }
        // Likewise a lightweight PLAN: its `# PLAN:` title or one of its sections.
        KindHint::Lite => {
            let lite_title = plan
                .title
                .as_ref()
                .is_some_and(|t| t.value.trim_start().starts_with("PLAN"));
            let lite_section = plan.sections.iter().any(|s| {
                matches!(
                    s.kind,
                    SectionKind::Outcome | SectionKind::Phases | SectionKind::NextAction
                )
            });
            return if lite_title || lite_section {
                PlanKind::Lite
            } else {
                PlanKind::Document
            };
        }
        KindHint::SpecKit => return PlanKind::SpecKit,
        KindHint::Kiro => return PlanKind::Kiro,
        KindHint::Taskmaster | KindHint::Beads => {}
        _ => {}
    }
    let title = plan.title.as_ref().map_or("", |t| t.value.as_str());
    if title.starts_with("PLAN:") || title.starts_with("PLAN :") {
        return PlanKind::Lite;
    }
    if plan.has_section(SectionKind::ChildPlans) {
        return PlanKind::Roadmap;
    }
    // Both task-list formats are checkbox lists: a document without a single `[ ]`, `[x]` or
    // `[X]` is neither (one search for `[` instead of a look at every list item).
    let checkboxes = memchr::memchr_iter(b'[', src.as_bytes()).any(|i| {
        matches!(
            src.as_bytes().get(i + 1..i + 3),
            Some(b" ]" | b"x]" | b"X]")
        )
    });
    if checkboxes && speckit::looks_like(src, blocks) {
        return PlanKind::SpecKit;
    }
    if checkboxes && kiro::looks_like(src, blocks) {
        return PlanKind::Kiro;
    }
    let lower_title = title.to_ascii_lowercase();
    let has_status_field = plan.field("status").is_some();
    let fm_status = plan
        .front_matter
        .as_ref()
        .and_then(|f| f.get("status"))
        .is_some();
    let fm_specscore = plan
        .front_matter
        .as_ref()
        .and_then(|f| f.get("format"))
        .is_some_and(|e| e.value.contains("specscore") && e.value.contains("plan"));
    let task_steps = blocks.headings.iter().any(|h| {
        h.level >= 3 && {
            let t = h.text.text(src);
            t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("task "))
        }
    });
    let v2_fields = plan.field("source feature").is_some() || plan.field("owner").is_some();
    if fm_specscore || ((fm_status || has_status_field || v2_fields) && task_steps) {
        return PlanKind::SpecScore;
    }
    let living = SectionKind::LIVING
        .iter()
        .filter(|k| plan.has_section(**k))
        .count();
    if lower_title.starts_with("execplan") || lower_title.starts_with("exec plan") {
        return PlanKind::ExecPlan;
    }
    let titled_plan = lower_title.starts_with("plan:") || lower_title.starts_with("plan ");
    let has_steps = plan.has_section(SectionKind::Steps);
    if titled_plan || (has_status_field && (has_steps || hint == KindHint::Plan)) {
        return PlanKind::Development;
    }
    if living >= 2 {
        return PlanKind::ExecPlan;
    }
    if hint == KindHint::Plan {
        return PlanKind::Development;
    }
    PlanKind::Document
}

/// YAML front matter between `---` lines at the very start; flat `key: value` entries.
fn front_matter(src: &str, at: usize) -> Option<(FrontMatter, usize)> {
    let rest = src.get(at..)?;
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = at + first_end + 1;
    let mut entries = Vec::new();
    while pos < src.len() {
        let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        let line = &src[pos..line_end];
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let end = (line_end + 1).min(src.len());
            return Some((
                FrontMatter {
                    span: Span::new(at, line_end),
                    entries,
                },
                end,
            ));
        }
        if let Some(colon) = line.find(':') {
            let key = &line[..colon];
            if !key.is_empty()
                && !key.starts_with([' ', '\t', '-', '#'])
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                let raw = &line[colon + 1..];
                let lead = raw.len() - raw.trim_start().len();
                let mut vs = pos + colon + 1 + lead;
                let mut ve = pos + colon + 1 + raw.trim_end().len();
                if ve > vs + 1 {
                    let b = src.as_bytes();
                    if (b[vs] == b'"' && b[ve - 1] == b'"')
                        || (b[vs] == b'\'' && b[ve - 1] == b'\'')
                    {
                        vs += 1;
                        ve -= 1;
                    }
                }
                let ve = ve.max(vs);
                entries.push(FrontMatterEntry {
                    key: key.to_owned(),
                    value: src[vs..ve].to_owned(),
                    key_span: Span::new(pos, pos + colon),
                    value_span: Span::new(vs, ve),
                });
            }
        }
        pos = line_end + 1;
    }
    None
}
