//! The typed model of a plan. Every element carries the byte span it was read from.

use crate::span::Span;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

mod inline_vec;
pub use inline_vec::InlineVec;

/// Which of the plan formats a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// A development plan (seed 003): header fields, `### N.` steps.
    Development,
    /// SpecScore's flat variant: front matter, `### Task N:` steps, `**Depends-On:**`.
    SpecScore,
    /// A roadmap: a development plan whose Steps are replaced by a `## Child Plans` table.
    Roadmap,
    /// An ExecPlan (seed 001) with its four living sections.
    ExecPlan,
    /// A lightweight `# PLAN:` (seed 000): From, Outcome, Phases, Next Action, Risks.
    Lite,
    /// spec-kit's `specs/*/tasks.md`: `- [ ] T001 [P] [US1] Description` under phases.
    SpecKit,
    /// Kiro's `.kiro/specs/*/tasks.md`: a numbered checkbox hierarchy with `_Requirements:_`.
    Kiro,
    /// Taskmaster's `tasks.json` (legacy `{"tasks": […]}` or tagged `{"master": {"tasks": […]}}`).
    Taskmaster,
    /// Beads' `issues.jsonl`: one issue per line, typed dependency edges.
    Beads,
    /// A Markdown file that is none of the above; only generic checks apply.
    Document,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Development => "development",
            PlanKind::SpecScore => "specscore",
            PlanKind::Roadmap => "roadmap",
            PlanKind::ExecPlan => "exec_plan",
            PlanKind::Lite => "lite",
            PlanKind::SpecKit => "spec_kit",
            PlanKind::Kiro => "kiro",
            PlanKind::Taskmaster => "taskmaster",
            PlanKind::Beads => "beads",
            PlanKind::Document => "document",
        }
    }

    /// Is this a plan at all (as opposed to an arbitrary document)?
    pub fn is_plan(self) -> bool {
        self != PlanKind::Document
    }

    /// Formats stored as JSON rather than Markdown.
    pub fn is_json(self) -> bool {
        matches!(self, PlanKind::Taskmaster | PlanKind::Beads)
    }

    /// Plans whose steps are read top to bottom by people (document order means something).
    pub fn is_markdown_plan(self) -> bool {
        !self.is_json() && self.is_plan()
    }

    /// Plans of seed 003's family, which carry the header fields and statuses.
    pub fn has_header(self) -> bool {
        matches!(
            self,
            PlanKind::Development | PlanKind::Roadmap | PlanKind::SpecScore
        )
    }
}

/// The lifecycle status of a plan (seed 003).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    InReview,
    Approved,
    Superseded,
    /// Words SpecScore's flat files use for execution state.
    InProgress,
    Completed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Approved => "approved",
            Status::Superseded => "superseded",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
        }
    }
}

/// A plain string value with its span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A `key: value` entry of YAML front matter (flat keys only; nested YAML is kept as text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrontMatterEntry {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    pub span: Span,
    pub entries: Vec<FrontMatterEntry>,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&FrontMatterEntry> {
        self.entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }
}

/// A list item (or the inline text) of a field value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Item {
    pub span: Span,
}

/// The list items of a field value.
pub type Items = InlineVec<Item, 3>;

/// A `**Name:** value` field, in a plan header or a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Normalised name: lower case, `-`/`_` as spaces, single spaces (`depends on`).
    pub name: Cow<'static, str>,
    /// The whole field, from the name to the end of its last continuation line.
    pub span: Span,
    pub name_span: Span,
    /// The text after the colon on the field's own line, trimmed (may be empty).
    pub inline: Span,
    /// The whole value, inline text and continuation lines, trimmed.
    pub value: Span,
    /// List items of the value (empty when the value is inline text only: see `inline`).
    pub items: Items,
}

/// A step id (`2`, `2.1`, `A1`, `T001`). The ids `0` to `99`, nearly every id and reference
/// in a plan, are shared static strings; a plan of 20 steps otherwise allocated one for each
/// step and each dependency.
pub type StepId = Cow<'static, str>;

/// The [`StepId`] for `text`.
pub fn step_id(text: &str) -> StepId {
    const ONE: &str = "0123456789";
    const TWO: &str = "101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
    match *text.as_bytes() {
        [a @ b'0'..=b'9'] => {
            let k = usize::from(a - b'0');
            Cow::Borrowed(&ONE[k..k + 1])
        }
        [a @ b'1'..=b'9', b @ b'0'..=b'9'] => {
            let k = 2 * (usize::from(a - b'0') * 10 + usize::from(b - b'0') - 10);
            Cow::Borrowed(&TWO[k..k + 2])
        }
        _ => Cow::Owned(text.to_owned()),
    }
}

/// The [`StepId`] for an id already owned.
pub fn step_id_from(text: String) -> StepId {
    if text.len() <= 2 {
        step_id(&text)
    } else {
        Cow::Owned(text)
    }
}

/// A reference to a step in a Depends on field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StepRef {
    pub id: StepId,
    pub span: Span,
    /// What the dependency is on, when the plan says: `Step 1 (schema)`.
    pub kind: Option<DepKind>,
}

/// The type of a dependency, as the seed documents name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepKind {
    /// A data shape: a schema, a type, a table.
    Schema,
    /// An API or a module boundary another step builds on.
    Interface,
    /// Something to run on: a service, a queue, a deployment.
    Infrastructure,
}

impl DepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DepKind::Schema => "schema",
            DepKind::Interface => "interface",
            DepKind::Infrastructure => "infrastructure",
        }
    }

    /// The type a word names (`schema`, `Interface`, `infra`…), if any.
    pub fn parse(word: &str) -> Option<DepKind> {
        let w = word.to_ascii_lowercase();
        match w.as_str() {
            "schema" | "data" | "type" | "types" => Some(DepKind::Schema),
            "interface" | "api" | "contract" => Some(DepKind::Interface),
            "infrastructure" | "infra" | "infrastructural" => Some(DepKind::Infrastructure),
            _ => None,
        }
    }
}

/// A parsed `Depends on` field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dependencies {
    pub span: Span,
    /// `(none)`, `—`, `None` and the like.
    pub none: bool,
    pub refs: InlineVec<StepRef, 2>,
    /// Text that could not be read as a step reference, when no reference was found at all.
    pub unreadable: Option<Span>,
}

/// A command of a `**Verify:**` field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Command {
    pub text: String,
    pub span: Span,
    /// The output the plan says the command prints (an ExecPlan's "Expected output:").
    pub expected: Option<Span>,
}

/// A step (`### N. Title`) or sub-step (`#### N.M. Title`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// `2`, `2.1`, `A1`.
    pub id: StepId,
    pub id_span: Span,
    pub title: Spanned<String>,
    pub heading: Span,
    /// Heading to the end of the step's own text (sub-steps excluded).
    pub span: Span,
    /// 1 for a step, 2 for a sub-step, 3+ for deeper (which is a finding).
    pub depth: usize,
    /// Index of the parent step in [`Plan::steps`] for a sub-step.
    pub parent: Option<usize>,
    pub fields: Vec<Field>,
    pub depends_on: Option<Dependencies>,
    pub verify: InlineVec<Command, 1>,
    /// Span of the Verify field (or fenced block) when present.
    pub verify_span: Option<Span>,
    /// Steps this one waits for by the format's conventions rather than a written field
    /// (spec-kit: a task waits for the one before it unless marked `[P]`).
    pub after: Vec<usize>,
    /// Marked as parallel-eligible (`[P]`).
    pub parallel: bool,
    /// Done, for formats that track it on the step (`- [x] T001`).
    pub done: Option<bool>,
    /// Read from the document's own structure (an ExecPlan's milestones or Concrete Steps)
    /// rather than planwright's step template: the rules that ask for the template's fields
    /// leave it alone.
    pub derived: bool,
}

impl Field {
    /// The value's entries: its list items, or the inline text as a single entry.
    pub fn entries(&self) -> Items {
        if self.items.is_empty() && !self.inline.is_empty() {
            std::iter::once(Item { span: self.inline }).collect()
        } else {
            self.items.clone()
        }
    }
}

impl Step {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The paths the entries of a field (`produces`, `modifies`…) name, each with the span of
    /// its entry ([`crate::text::path_of`]).
    pub fn paths<'s>(&self, src: &'s str, field: &str) -> Vec<(&'s str, Span)> {
        let Some(f) = self.field(field) else {
            return Vec::new();
        };
        let path = |span: Span| crate::text::path_in(span.text(src)).map(|p| (p, span));
        if f.items.is_empty() {
            path(f.inline).into_iter().collect()
        } else {
            f.items.iter().filter_map(|i| path(i.span)).collect()
        }
    }

    /// The inline code spans inside the step's own text (`code_spans` is in document order).
    pub fn code_spans<'p>(&self, plan: &'p Plan) -> &'p [Span] {
        let all = &plan.code_spans;
        let from = all.partition_point(|c| c.start < self.span.start);
        let to = all.partition_point(|c| c.end <= self.span.end);
        &all[from..to.max(from)]
    }

    pub fn has_acceptance_criteria(&self) -> bool {
        self.field("acceptance criteria")
            .is_some_and(|f| !f.value.is_empty())
    }
}

/// A `## Section` of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: Spanned<String>,
    pub kind: SectionKind,
    pub level: u8,
    pub heading: Span,
    /// Heading to the start of the next section of the same or a higher level.
    pub span: Span,
}

/// The sections planwright knows by name (matched leniently: case, `&`/`and`, punctuation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Context,
    AcceptanceCriteria,
    Steps,
    ChildPlans,
    DependencyGraph,
    Risks,
    OutstandingQuestions,
    Purpose,
    Progress,
    Surprises,
    DecisionLog,
    Outcomes,
    Outcome,
    Phases,
    NextAction,
    Other,
}

impl SectionKind {
    /// The four living sections of an ExecPlan, which stay editable after approval.
    pub const LIVING: [SectionKind; 4] = [
        SectionKind::Progress,
        SectionKind::Surprises,
        SectionKind::DecisionLog,
        SectionKind::Outcomes,
    ];

    pub fn display_name(self) -> &'static str {
        match self {
            SectionKind::Context => "Context",
            SectionKind::AcceptanceCriteria => "Acceptance criteria",
            SectionKind::Steps => "Steps",
            SectionKind::ChildPlans => "Child Plans",
            SectionKind::DependencyGraph => "Dependency graph",
            SectionKind::Risks => "Risks and open decisions",
            SectionKind::OutstandingQuestions => "Outstanding Questions",
            SectionKind::Purpose => "Purpose / Big Picture",
            SectionKind::Progress => "Progress",
            SectionKind::Surprises => "Surprises & Discoveries",
            SectionKind::DecisionLog => "Decision Log",
            SectionKind::Outcomes => "Outcomes & Retrospective",
            SectionKind::Outcome => "Outcome",
            SectionKind::Phases => "Phases",
            SectionKind::NextAction => "Next Action",
            SectionKind::Other => "",
        }
    }
}

/// A row of a roadmap's `## Child Plans` table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChildPlan {
    pub span: Span,
    pub order: Option<Spanned<String>>,
    /// Link text and target of the Plan cell.
    pub name: Spanned<String>,
    pub target: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
    pub effort: Option<Spanned<String>>,
    pub impact: Option<Spanned<String>>,
}

/// A Progress entry: `- [x] (2025-11-16 14:00Z) did the thing`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgressEntry {
    pub span: Span,
    pub done: bool,
    pub timestamp: Option<Timestamp>,
    pub text: Span,
}

/// A Decision Log entry: Decision / Rationale / Date / Author.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionEntry {
    pub span: Span,
    pub decision: Span,
    pub rationale: Option<Span>,
    pub date: Option<Timestamp>,
    pub author: Option<Span>,
}

/// A Surprises & Discoveries entry: Observation / Evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SurpriseEntry {
    pub span: Span,
    pub observation: Span,
    pub evidence: Option<Span>,
    pub timestamp: Option<Timestamp>,
}

/// A Markdown link or image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub span: Span,
    pub target: String,
    pub image: bool,
}

/// A bare `http(s)://` address in running text (not inside a link or code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BareUrl {
    pub span: Span,
}

/// A code block; `closed` is false for a fence that runs to the end of its container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeBlock {
    pub span: Span,
    pub fenced: bool,
    pub info: String,
    pub closed: bool,
    /// The opening fence line.
    pub opening: Span,
    /// The code inside the fences.
    pub body: Span,
}

/// Everything planwright reads from one plan document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub kind: PlanKind,
    pub title: Option<Spanned<String>>,
    pub front_matter: Option<FrontMatter>,
    /// Header fields: between the title and the first section.
    pub fields: Vec<Field>,
    pub sections: Vec<Section>,
    pub steps: Vec<Step>,
    pub child_plans: Vec<ChildPlan>,
    pub progress: Vec<ProgressEntry>,
    pub decisions: Vec<DecisionEntry>,
    pub surprises: Vec<SurpriseEntry>,
    pub links: Vec<Link>,
    pub bare_urls: Vec<BareUrl>,
    pub code_blocks: Vec<CodeBlock>,
    /// Inline code spans (`like this`).
    pub code_spans: Vec<Span>,
    /// Lines of prose (not blank, not code, not headings): the units of the
    /// self-containment score.
    pub blocks: usize,
    /// Lines of prose that contain an external link or address.
    pub blocks_with_external: usize,
    /// Byte length of the source.
    pub len: usize,
    /// Set when a JSON plan file could not be read as JSON: where, and why.
    pub malformed: Option<Malformed>,
}

/// A syntax error in a JSON plan file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Malformed {
    pub span: Span,
    pub message: String,
}

impl Plan {
    /// A header field by normalised name (`status`, `source type`, …).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    pub fn has_section(&self, kind: SectionKind) -> bool {
        self.section(kind).is_some()
    }

    /// Status word and its span, from the header field or else the front matter.
    pub fn status_text<'s>(&self, src: &'s str) -> Option<(&'s str, Span)> {
        if let Some(f) = self.field("status") {
            let t = f.inline.text(src);
            if !t.is_empty() {
                return Some((t, f.inline));
            }
        }
        let fm = self.front_matter.as_ref()?;
        let e = fm.get("status")?;
        Some((e.value_span.text(src), e.value_span))
    }

    /// The status, when it is one of the known words.
    pub fn status(&self, src: &str) -> Option<Status> {
        self.status_text(src).and_then(|(t, _)| parse_status(t))
    }

    /// Self-containment score (seed 001): the share of prose lines without an external
    /// reference, from 0.0 to 1.0.
    pub fn self_containment(&self) -> f64 {
        if self.blocks == 0 {
            return 1.0;
        }
        1.0 - (self.blocks_with_external as f64 / self.blocks as f64)
    }

    /// Index of the step with this id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }
}

/// Recognises a section by its heading text.
pub fn section_kind(title: &str) -> SectionKind {
    crate::text::with_normal_name(title, section_kind_of)
}

fn section_kind_of(n: &str) -> SectionKind {
    match known_section(n) {
        // A bilingual heading (`Progress / 진행 상황`, `진행 상황 (Progress)`): its English words.
        SectionKind::Other => english_words(n).map_or(SectionKind::Other, |w| known_section(&w)),
        kind => kind,
    }
}

/// The ASCII words of a normalised name that also has others (`progress 진행 상황` →
/// `progress`); `None` when it has no other words or no ASCII ones.
pub(crate) fn english_words(n: &str) -> Option<String> {
    if n.is_ascii() {
        return None;
    }
    let words: Vec<&str> = n
        .split(' ')
        .filter(|w| !w.is_empty() && w.is_ascii())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn known_section(n: &str) -> SectionKind {
    // Drop leading numbering such as "1 " or "phase 2 ".
    let n = n.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    match n {
        "context" | "context and orientation" | "background" => SectionKind::Context,
        "acceptance criteria" | "acceptance" => SectionKind::AcceptanceCriteria,
        "steps" | "tasks" | "implementation steps" | "plan steps" => SectionKind::Steps,
        "child plans" | "children" => SectionKind::ChildPlans,
        "dependency graph" | "dependencies graph" => SectionKind::DependencyGraph,
        "risks and open decisions" | "risks" | "risks and mitigations" | "open decisions" => {
            SectionKind::Risks
        }
        "risks and open questions" | "risks open questions" => SectionKind::Risks,
        "outstanding questions" | "open questions" => SectionKind::OutstandingQuestions,
        "purpose" | "purpose big picture" | "purpose and big picture" | "big picture" => {
            SectionKind::Purpose
        }
        "progress" => SectionKind::Progress,
        "surprises and discoveries" | "surprises" | "discoveries" => SectionKind::Surprises,
        "decision log" | "decisions" => SectionKind::DecisionLog,
        "outcomes and retrospective"
        | "outcomes and retrospectives"
        | "outcomes"
        | "retrospective" => SectionKind::Outcomes,
        "outcome" => SectionKind::Outcome,
        "phases" => SectionKind::Phases,
        "next action" | "next actions" | "next step" => SectionKind::NextAction,
        _ => SectionKind::Other,
    }
}

/// Reads a status word in any case: `Approved`, `in review`, `IN-REVIEW`, `in_review`.
pub fn parse_status(word: &str) -> Option<Status> {
    crate::text::with_normal_name(crate::text::strip_decoration(word), status_of)
}

fn status_of(n: &str) -> Option<Status> {
    match n {
        "draft" => Some(Status::Draft),
        "in review" | "inreview" | "review" => Some(Status::InReview),
        "approved" => Some(Status::Approved),
        "superseded" => Some(Status::Superseded),
        "in progress" => Some(Status::InProgress),
        "completed" | "complete" | "done" | "implemented" => Some(Status::Completed),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
