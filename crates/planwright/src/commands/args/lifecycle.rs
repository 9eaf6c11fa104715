//! The arguments of the commands that write plans: `new`, `index`, `submit`, `approve`,
//! `supersede`, `log`, `init`, and of `diff`.

use super::{Format, WorkFormat};
use clap::{Args, ValueEnum};

pub const SUBMIT_AFTER_HELP: &str = "\
A draft may hold template placeholders; review is where they get filled in. Approval refuses
them (see `planwright approve --help`).

Examples:
  planwright submit add-batch-mode
  planwright submit add-batch-mode --dry-run

Then: the reviewer runs `planwright approve add-batch-mode --approver @name`.";

pub const SUPERSEDE_AFTER_HELP: &str = "\
An approved plan is never edited: to change it, write its successor (`planwright new`), get it
approved, then supersede the old one. The old plan becomes `superseded` with a Superseded by
link, the new one gets a Supersedes link back, and the index lists the old one under Recently
Closed. Neither link counts as a change of frozen content.

Examples:
  planwright new add-batch-mode-v2 --feature cli
  planwright supersede add-batch-mode --by add-batch-mode-v2";

pub const LOG_AFTER_HELP: &str = "\
Entries follow the ExecPlan style and go to the end of their section, which is created when
missing. The living sections are outside an approved plan's freeze: logging never trips
frozen-plan-modified.

Examples:
  planwright log add-batch-mode progress \"Batch runner merged\"
      - [x] (2026-11-21 14:05Z) Batch runner merged
  planwright log add-batch-mode decision \"One refund per order\" --rationale \"The provider refunds per charge\"
      - Decision: One refund per order
        Rationale: The provider refunds per charge
        Date/Author: 2026-11-21, @sam
  planwright log add-batch-mode surprise \"Batches of 1,000 time out\" --evidence \"p99 31 s in staging\"
  planwright log add-batch-mode outcome \"Shipped; refunds take minutes, not days\"";

pub const APPROVE_AFTER_HELP: &str = "\
Approval is refused while `planwright check` finds errors in the plan (as approved: placeholder
text counts), and while its Outstanding Questions section lists questions (unless --force,
which is recorded in the Decision Log).

The approved content is frozen: its SHA-256 digest goes into the header as **Digest:**, and
`check` reports frozen-plan-modified if anything but the status, the supersession links and the
living sections (Progress, Surprises & Discoveries, Decision Log, Outcomes & Retrospective)
changes afterwards.

Examples:
  planwright approve add-batch-mode --approver @jordan
  planwright approve add-batch-mode --approver @jordan --dry-run";

/// `--template` of `new`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// A development plan: Context, Acceptance criteria, Steps.
    #[default]
    Plan,
    /// An ExecPlan with its four living sections.
    Exec,
    /// A lightweight `# PLAN:` with Outcome, Phases, Next Action, Risks.
    Lite,
}

impl From<Template> for crate::scaffold::Template {
    fn from(t: Template) -> Self {
        match t {
            Template::Plan => Self::Plan,
            Template::Exec => Self::Exec,
            Template::Lite => Self::Lite,
        }
    }
}

/// The `KIND` of `log`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogKind {
    /// `- [x] (2026-11-21 14:05Z) text` under Progress
    Progress,
    /// Decision / Rationale / Date/Author under Decision Log
    Decision,
    /// Observation / Evidence under Surprises & Discoveries
    Surprise,
    /// A dated entry under Outcomes & Retrospective
    Outcome,
}

impl From<LogKind> for crate::log::Kind {
    fn from(k: LogKind) -> Self {
        match k {
            LogKind::Progress => Self::Progress,
            LogKind::Decision => Self::Decision,
            LogKind::Surprise => Self::Surprise,
            LogKind::Outcome => Self::Outcome,
        }
    }
}

pub const NEW_AFTER_HELP: &str = "\
Examples:
  planwright new add-batch-mode --feature cli
  planwright new chat --roadmap --feature chat
  planwright new chat-store --parent chat --feature chat   adds a row to chat's Child Plans
  planwright new oauth-sign-in --template exec

Then: edit the plan, `planwright check` it, `planwright submit` it for review.";

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new plan's slug (`add-batch-mode`, or `roadmap/child`).
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// Make it a roadmap: a Child Plans table instead of Steps.
    #[arg(long)]
    pub roadmap: bool,
    /// The roadmap this plan belongs to (its row is added to the roadmap's table).
    #[arg(long, value_name = "SLUG")]
    pub parent: Option<String>,
    /// A feature the plan touches (spec/features/NAME); repeat for several.
    #[arg(long = "feature", value_name = "NAME")]
    pub features: Vec<String>,
    /// Which kind of plan.
    #[arg(long, value_enum, default_value_t = Template::Plan)]
    pub template: Template,
    /// The title (default: from the slug).
    #[arg(long)]
    pub title: Option<String>,
    /// The author (default: git config user.name).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Print the plan instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Text for people, or JSON: what was written (`planwright schema changes`).
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

pub const INDEX_AFTER_HELP: &str = "\
Views: spec/plans/README.md (every plan, child plans under their roadmap, Recently Closed,
open questions), the ## Plans table of every feature a plan names, and each roadmap's Status
(derived from its children). Only the generated part of a file changes.

Examples:
  planwright index             rewrite what is stale
  planwright index --check     exit 1 when a view is stale (for CI, like `cargo fmt --check`)
  planwright index --dry-run   show the changes";

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Report stale views (exit 1) instead of rewriting them.
    #[arg(long)]
    pub check: bool,
    /// Print the changes instead of writing them.
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,
    /// Output format: of --check's findings, or (`json`) of what was written.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The plan: a slug, a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Print the change instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Text for people, or JSON: what was written (`planwright schema changes`).
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The plan: a slug, a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Who approves (`@jordan`).
    #[arg(long, value_name = "NAME")]
    pub approver: String,
    /// The approval date (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Approve despite open Outstanding Questions (recorded in the Decision Log).
    #[arg(long)]
    pub force: bool,
    /// Print the change instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Text for people, or JSON: what was written (`planwright schema changes`).
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct SupersedeArgs {
    /// The plan being replaced.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The plan that replaces it.
    #[arg(long, value_name = "NEW")]
    pub by: String,
    /// Print the changes instead of writing them.
    #[arg(long)]
    pub dry_run: bool,
    /// Text for people, or JSON: what was written (`planwright schema changes`).
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The plan: a slug, a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Which living section the entry goes to.
    #[arg(value_name = "KIND")]
    pub kind: LogKind,
    /// The entry: what was done, decided, found or learned.
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// What shows the surprise (with `surprise`).
    #[arg(long, value_name = "TEXT")]
    pub evidence: Option<String>,
    /// Why it was decided (with `decision`).
    #[arg(long, value_name = "TEXT")]
    pub rationale: Option<String>,
    /// Who decided (default: git config user.name).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// When (`2026-11-21 14:05Z`; default: now, UTC).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// A progress item still to do: `- [ ]` instead of `- [x]` (with `progress`).
    #[arg(long)]
    pub open: bool,
    /// Print the change instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Text for people, or JSON: what was written (`planwright schema changes`).
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

pub const INIT_AFTER_HELP: &str = "\
Writes only what is missing: planwright.toml (the defaults, commented), spec/features/,
spec/plans/ with its index, .planwright/.gitignore (the lock, run logs and caches stay out of
git), and planwright's marked section of AGENTS.md (and of CLAUDE.md when it exists), which
tells an agent how to work with plans. Run again, it changes nothing; outside its marked
section it never changes an existing file.

Examples:
  planwright init --dry-run        show what it would write
  planwright init --hook           and install the pre-commit hook";

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Show what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also install the pre-commit hook (`planwright hook install`).
    #[arg(long)]
    pub hook: bool,
    /// Text for people, or JSON: what was written (`planwright schema changes`).
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

pub const DIFF_AFTER_HELP: &str = "\
Steps are matched by title, then by the files they produce and the words of their titles:
added, removed, renamed, moved (out of the order the others keep), split (its files went to
several new steps) or merged (several steps' files went to one); dependency edges added and
removed; acceptance criteria and Verify commands changed. `supersede` prints it too.

Examples:
  planwright diff refactor-output json-output
  planwright diff add-batch-mode@HEAD~3 add-batch-mode     a plan against an earlier commit
  planwright diff refactor-output json-output --format json";

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old plan (slug or path), or PLAN@REV for the plan as git commit REV has it.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new plan, or PLAN@REV.
    #[arg(value_name = "NEW")]
    pub new: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}
