//! The arguments of each command, as clap reads them, with their help texts.

use clap::{Args, Subcommand, ValueEnum};

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

/// Text for people, JSON for agents and scripts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum WorkFormat {
    #[default]
    Text,
    Json,
}

// The command line's names for choices: the output formats belong to the command line; the
// domain's own choices (template, log entry kind, item status) are mapped to their types,
// which know nothing of clap.

/// `--format` of `check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    #[default]
    Human,
    /// One JSON object (see docs/wire-format.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// `--format` of `graph`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Waves, critical path and cycles, for the terminal.
    #[default]
    Text,
    /// A Mermaid flowchart (paste it into Markdown; GitHub renders it).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// `{"plan","nodes","order","waves","critical_path","cycles"}`.
    Json,
}

/// `--format` of `show`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    #[default]
    Text,
    Json,
}

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

/// `--status` of `work list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ItemStatus {
    Todo,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

impl From<ItemStatus> for crate::work::ItemStatus {
    fn from(s: ItemStatus) -> Self {
        match s {
            ItemStatus::Todo => Self::Todo,
            ItemStatus::InProgress => Self::InProgress,
            ItemStatus::Blocked => Self::Blocked,
            ItemStatus::Done => Self::Done,
            ItemStatus::Cancelled => Self::Cancelled,
        }
    }
}

#[derive(Debug, Args)]
pub struct ItemArgs {
    /// The item (`add-batch-mode#2.1`; `planwright work list` shows them).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Who makes the change (default: git config user.name).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Subcommand)]
pub enum WorkCommand {
    /// Make one item per step and sub-step of an approved plan (again: adds nothing new).
    Generate {
        /// The plan: a slug, a unique last segment, or a path.
        #[arg(value_name = "PLAN")]
        plan: String,
        /// Print what would be created instead of writing it.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t)]
        format: WorkFormat,
    },
    /// List items, filtered by plan, status or assignee.
    List {
        /// Only this plan's items (slug or path).
        #[arg(long, value_name = "PLAN")]
        plan: Option<String>,
        #[arg(long, value_enum)]
        status: Option<ItemStatus>,
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: WorkFormat,
    },
    /// Show one item with its criteria, Verify commands and history.
    Show(ItemArgs),
    /// Start an item (todo or blocked → in_progress).
    Start {
        #[command(flatten)]
        item: ItemArgs,
        /// Who works on it (default: whoever starts it).
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
    },
    /// Close an item as done; with Verify commands, a passing `work verify` comes first.
    Done {
        #[command(flatten)]
        item: ItemArgs,
        /// Close it without a passing verification (recorded on the item).
        #[arg(long)]
        no_verify: bool,
        /// A note for the record.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Mark an item blocked, saying by what.
    Block {
        #[command(flatten)]
        item: ItemArgs,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Cancel an item: nothing waits for it any more.
    Cancel {
        #[command(flatten)]
        item: ItemArgs,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Add an ad-hoc item under a step's item (complexity found on the way).
    Add {
        /// The item it belongs under.
        #[arg(long, value_name = "ID")]
        under: String,
        /// What needs doing.
        #[arg(value_name = "TITLE")]
        title: String,
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: WorkFormat,
    },
    /// Run an item's Verify commands from the repository root and record the result.
    Verify {
        #[command(flatten)]
        item: ItemArgs,
        /// Run commands from a plan that is not approved, or changed since approval.
        #[arg(long)]
        allow_unapproved: bool,
    },
}

impl WorkCommand {
    /// The `--format` the subcommand was given.
    pub fn format(&self) -> WorkFormat {
        match self {
            WorkCommand::Generate { format, .. }
            | WorkCommand::List { format, .. }
            | WorkCommand::Add { format, .. } => *format,
            WorkCommand::Show(item)
            | WorkCommand::Start { item, .. }
            | WorkCommand::Done { item, .. }
            | WorkCommand::Block { item, .. }
            | WorkCommand::Cancel { item, .. }
            | WorkCommand::Verify { item, .. } => item.format,
        }
    }
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// One plan (slug or path); default: every plan with items.
    #[arg(value_name = "PLAN")]
    pub plan: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// How many items to list.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

pub const NEXT_AFTER_HELP: &str = "\
Ready means: todo, every dependency done or cancelled, in a plan that is not superseded. The
ranking is deterministic: on the plan's remaining critical path first (weighted by Estimate),
then by how many open items it unblocks, then by the plan's impact over its effort, then by
plan and step order.

Examples:
  planwright work generate add-batch-mode      items from an approved plan
  planwright next --limit 3
  planwright work start add-batch-mode#2 --assignee @sam";

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write .git/hooks/pre-commit, which runs `planwright check --staged`.
    Install {
        /// Replace an existing pre-commit hook that planwright did not write.
        #[arg(long)]
        force: bool,
        #[arg(long, value_enum, default_value_t)]
        format: WorkFormat,
    },
}

/// The pre-commit hook planwright installs.
pub const PRE_COMMIT_HOOK: &str = "#!/bin/sh\n# Installed by `planwright hook install`: checks the plans staged for this commit.\n# Skip once with `git commit --no-verify`.\nexec planwright check --staged\n";

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

pub const RUN_LONG_ABOUT: &str = "\
Run an approved plan step by step, with an agent or without; done means its checks passed.

Steps start in dependency order, up to -j at once; two steps whose Produces (or Files) overlap
never run together. For each step the agent, when there is one, gets the execution prompt on
stdin: the whole plan for context, the current step as the task, its acceptance criteria, what
its dependencies produced (the files as they are now) and how earlier steps ended. Then the
step's Verify commands run, each in its own process group with a timeout. A failed check goes
back to the agent with its output, up to --retries; then the step fails and nothing that
depends on it starts. A step without Verify commands ends unverified, never done.

Commands from a plan run only when it is approved and its frozen content matches its Digest.
Every run is journaled under .planwright/runs/<run-id>/; the plan's Progress section and the
work items record what happened. Exit 0 when every step passed, 1 otherwise, 2 when refused,
130 after Ctrl-C (the run can then be resumed).";

pub const RUN_AFTER_HELP: &str = "\
Examples:
  planwright run add-batch-mode --dry-run      what would run, in order, as a checklist
  planwright run add-batch-mode                run every step's Verify commands
  planwright run add-batch-mode --step 2.1     just this step (repeatable)
  planwright run add-batch-mode --keep-going   after a failure, go on with what does not need it
  planwright run add-batch-mode --resume       continue after Ctrl-C, a crash or kill -9
  planwright run add-batch-mode --agent 'claude -p --permission-mode acceptEdits'
  planwright run add-batch-mode --agent 'codex exec --full-auto -'

The agent is any command that reads a prompt on stdin; it runs from the repository root with
PLANWRIGHT_PLAN, PLANWRIGHT_STEP, PLANWRIGHT_ATTEMPT and PLANWRIGHT_PROMPT_FILE set. Set a
default in planwright.toml:

  [agent]
  command = \"claude -p --permission-mode acceptEdits\"
  timeout = \"30m\"

  [run]
  timeout = \"10m\"    # per Verify command";

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The plan: a slug, a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// How many steps may run at once (default: the number of cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The agent command that implements each step, reading its prompt on stdin
    /// (default: `[agent] command` in planwright.toml; none: only the checks run).
    #[arg(long, value_name = "CMD", conflicts_with = "no_agent")]
    pub agent: Option<String>,
    /// Run without an agent even when planwright.toml names one.
    #[arg(long)]
    pub no_agent: bool,
    /// Run only this step (repeatable); its dependencies must be done or named too.
    #[arg(long = "step", value_name = "ID")]
    pub steps: Vec<String>,
    /// Print what would run, in order, and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Continue the plan's interrupted run, without redoing the steps that passed.
    #[arg(long)]
    pub resume: bool,
    /// After a failure, go on with the steps that do not depend on it.
    #[arg(long)]
    pub keep_going: bool,
    /// How many more attempts a failing step gets, with the failure fed back to the agent
    /// (default: 2 with an agent, 0 without).
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// Time limit of each Verify command: 30s, 5m, 1h (default: 10m).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse_duration)]
    pub timeout: Option<std::time::Duration>,
    /// Time limit of each agent invocation (default: 1h).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse_duration)]
    pub agent_timeout: Option<std::time::Duration>,
    /// Run the commands of a plan that is not approved, or changed since approval.
    #[arg(long)]
    pub allow_unapproved: bool,
    /// Who the work items name as acting (default: git config user.name).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Output: a live display (plain lines when not a terminal), or JSON lines of events.
    #[arg(long, value_enum, default_value_t = WorkFormat::Text)]
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

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The plan: a slug (`add-batch-mode`), a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

pub const LIST_AFTER_HELP: &str = "\
Every plan the configuration finds, with its status, number of steps and title; the PLAN
column is what the other commands take.

Examples:
  planwright list
  planwright list --format json      {\"version\":1,\"plans\":[{\"plan\",\"file\",\"title\",\"kind\",\"status\",…}]}";

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The effective configuration as TOML, or as JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// One output's schema; all of them when absent.
    #[arg(value_name = "OUTPUT", value_parser = clap::builder::PossibleValuesParser::new(crate::schema::NAMES))]
    pub output: Option<String>,
}

pub const GRAPH_AFTER_HELP: &str = "\
Steps in the same wave can run at the same time; a sub-step waits for what its step waits
for. The critical path is the longest chain, weighted by each step's **Estimate:** (30m, 2h,
1d = 8h, 1w = 40h) or 1 per step. For a roadmap, its child plans in order.

Exit status: 0, or 1 when the steps form a cycle (the graph is still printed, with the cycle).

Examples:
  planwright graph add-batch-mode
  planwright graph add-batch-mode --format mermaid   paste into a ```mermaid block
  planwright graph checkout --format dot | dot -Tsvg > checkout.svg
  planwright graph add-batch-mode --reverse-read       what each step needs, last step first";

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The plan: a slug (`add-batch-mode`), a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,

    /// From the last step back: what each step needs and which step provides it (text or json).
    #[arg(long)]
    pub reverse_read: bool,
}

pub const CHECK_AFTER_HELP: &str = "\
Without PATHs, checks every plan the configuration finds: spec/plans/**/README.md,
spec/plans/*.md, and the globs of [sources] in planwright.toml (.gitignore is honoured).
Such a check of the whole repository keeps each file's result in .planwright/cache/ and
reads again only what changed since (a file's bytes, a file it links to, the configuration,
planwright itself); --no-cache reads everything and leaves the cache alone.

Exit status: 0 no errors, 1 errors found (or warnings, with --deny-warnings),
2 bad usage or unreadable input.

Examples:
  planwright check
  planwright check spec/plans/add-batch-mode/README.md
  planwright check chat-infrastructure --format github
  planwright check --format sarif > planwright.sarif";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plans to check: files, folders (every Markdown file below), or plan slugs.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Check only the plans staged for the next commit (what the pre-commit hook runs).
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,

    /// Read and check every file, neither using nor writing the cache of earlier checks.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule to explain; all rules when absent.
    pub name: Option<String>,

    /// Output format: a list, the full docs as Markdown (docs/rules.md), or JSON.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
    Json,
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

pub const EXPORT_AFTER_HELP: &str = "\
Formats, all from the plan's steps and effective dependencies:
  github-actions  a workflow: one job per step with needs:, its Verify commands as run: steps
                  (sub-steps in their step's job), after a job that checks the plan is the
                  approved one
  argo            an Argo Workflow (JSON): a dag task per step, a container running its
                  Verify commands (--image)
  taskmaster      tasks.json, sub-steps as subtasks
  beads           issues.jsonl, blocks and parent-child edges
  github-issues   a shell script of `gh issue create` calls; planwright never runs it
The formats that run commands (github-actions, argo) need an approved plan whose frozen
content is unchanged, or --allow-unapproved.

Examples:
  planwright export add-batch-mode --to github-actions -o .github/workflows/add-batch-mode.yml
  planwright export add-batch-mode --to argo --image rust:1.95 > workflow.json
  planwright export add-batch-mode --to github-issues > create-issues.sh";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportTo {
    GithubActions,
    Argo,
    Taskmaster,
    Beads,
    GithubIssues,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan: a slug, a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// The format.
    #[arg(long, value_enum)]
    pub to: ExportTo,
    /// Write it to FILE (inside the repository) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
    /// The container image of Argo's steps.
    #[arg(long, value_name = "IMAGE", default_value = "alpine:3")]
    pub image: String,
    /// Export the commands of a plan that is not approved or was changed since.
    #[arg(long)]
    pub allow_unapproved: bool,
}

pub const SERVE_AFTER_HELP: &str = "\
A local, read-only dashboard: the plans with status, effort, impact, progress and findings;
roadmaps as a tree with the status their children give them; What's Next; a page per plan with
its Markdown, its dependency graph drawn as SVG (no network needed), each step's progress and
the findings of `check`. Pages reload when a plan or work item changes.

It binds to a loopback address only, answers only requests addressed to one, and serves only
the pages it renders, never a file by path.

Examples:
  planwright serve                 a free port, printed
  planwright serve --port 8040";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (0: a free one, printed).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,
    /// The loopback address to listen on; any other is refused.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
}

pub const LSP_AFTER_HELP: &str = "\
A language server over stdio: each open plan is checked on open and on every change with the
rules of `planwright check` (the repository-level ones — stale index, stale back-references,
roadmap status — on save); go to definition from `Step 3` in a Depends on line and from a link;
references of a step; hover on a step reference (title, work item, what it produces); step
symbols; completion of step references, status words, feature links and, in planwright.toml,
rule names; quick fixes for a missing field, a missing living section and an order violation.

VS Code (any generic LSP client extension), settings.json:
  \"glspc.server.command\": \"planwright\", \"glspc.server.commandArguments\": [\"lsp\"],
  \"glspc.server.languageId\": [\"markdown\", \"toml\"]
Neovim:
  vim.lsp.start({ name = 'planwright', cmd = { 'planwright', 'lsp' },
    root_dir = vim.fs.root(0, { 'planwright.toml', '.git' }) })
Helix, languages.toml:
  [language-server.planwright]
  command = \"planwright\"
  args = [\"lsp\"]
  [[language]]
  name = \"markdown\"
  language-servers = [\"planwright\", \"marksman\"]";

pub const MCP_AFTER_HELP: &str = "\
An MCP server over stdio for agents, with eight tools — plans, check, graph, next, progress,
work, log, new — each returning the JSON of the command it mirrors (errors too). Plans are
resources (planwright://plan/<slug>). No tool runs a plan or passes --allow-unapproved: Verify
commands run only through `work verify`, from an approved plan whose content is unchanged.

Configure it in an agent, for example Claude Code:
  claude mcp add planwright -- planwright mcp
or in an mcp.json / settings file:
  {\"mcpServers\": {\"planwright\": {\"command\": \"planwright\", \"args\": [\"mcp\"]}}}

It works on the repository found from where it starts (or --root DIR).";

pub const PROMPT_AFTER_HELP: &str = "\
Each prompt is filled with the repository's context, bounded: the feature spec (or the plan and
its spec), the first levels of the file tree, the files the text names, the other active plans
and what they produce, AGENTS.md / CONTRIBUTING.md, and planwright's plan format and rules.

Examples:
  planwright prompt decompose webhooks | claude -p
  planwright prompt ambiguities webhook-delivery
  planwright prompt review webhook-delivery --pass ordering
  planwright prompt execute webhook-delivery --step 3";

/// Which prompt.
#[derive(Debug, Subcommand)]
pub enum PromptCommand {
    /// Decompose a feature spec into a plan (FEATURE: a folder under spec/features/, or a path).
    Decompose {
        #[arg(value_name = "FEATURE")]
        feature: String,
    },
    /// List a plan's ambiguities: Outstanding Questions and Risks.
    Ambiguities {
        #[arg(value_name = "PLAN")]
        plan: String,
    },
    /// Review a plan for one of the seed passes.
    Review {
        #[arg(value_name = "PLAN")]
        plan: String,
        #[arg(long, value_enum)]
        pass: ReviewPass,
    },
    /// The prompt `run` gives the agent for one step.
    Execute {
        #[arg(value_name = "PLAN")]
        plan: String,
        #[arg(long, value_name = "ID")]
        step: String,
    },
}

/// `--pass` of `prompt review`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReviewPass {
    /// Every requirement of the spec covered by a step.
    Completeness,
    /// Every need of a step provided by an earlier one.
    Ordering,
    /// The plan's outputs fit the system that exists.
    Integration,
}

impl From<ReviewPass> for crate::prompts::Pass {
    fn from(p: ReviewPass) -> Self {
        match p {
            ReviewPass::Completeness => Self::Completeness,
            ReviewPass::Ordering => Self::Ordering,
            ReviewPass::Integration => Self::Integration,
        }
    }
}

pub const DRAFT_AFTER_HELP: &str = "\
The decomposition prompt goes to the agent on standard input; its answer (the plan's Markdown,
or the JSON plan shape `planwright import` reads) is checked, and the findings go back to the
agent until the plan is clean or --rounds pass. Then the agent is asked for the plan's
Outstanding Questions and Risks. The plan is written to spec/plans/<slug>/README.md as a draft,
for a person to review. Without --agent, the prompt is printed; answer it in any chat window and
give the answer with --answer FILE (or - for standard input).

Examples:
  planwright draft webhooks --agent 'claude -p'
  planwright draft webhooks --agent 'codex exec -' --rounds 5
  planwright draft webhooks > prompt.md        then, with the answer saved:
  planwright draft webhooks --answer answer.md";

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The feature spec: a folder under spec/features/, or a Markdown file's path.
    #[arg(value_name = "FEATURE")]
    pub feature: String,
    /// The agent command: reads the prompt on stdin, answers on stdout.
    #[arg(long, value_name = "CMD", conflicts_with = "answer")]
    pub agent: Option<String>,
    /// The answer to the printed prompt, from a file (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub answer: Option<String>,
    /// How many times the plan may go back to the agent.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub rounds: u32,
    /// The new plan's slug (default: the feature's name).
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// Skip the ambiguity pass.
    #[arg(long)]
    pub no_questions: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The JSON plan (`-`: standard input).
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The new plan's slug.
    #[arg(long, value_name = "SLUG")]
    pub slug: String,
    /// The feature it belongs to (spec/features/NAME).
    #[arg(long, value_name = "NAME")]
    pub feature: String,
    /// Print the plan instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

pub const STATS_AFTER_HELP: &str = "\
Per plan: self-containment (the share of steps and of Decision Log entries that need no
external link, and the links counted), freshness of the living sections (the age of their
newest entry; stale when over --stale-after while the plan is approved and work is open),
length against the spec it comes from, steps without a Verify command, and each step's cycle
time from its work item (first start to done).

Examples:
  planwright stats add-batch-mode
  planwright stats --format json
  planwright stats --stale-after 1h";

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// One plan (slug or path); default: every plan.
    #[arg(value_name = "PLAN")]
    pub plan: Option<String>,
    /// A living section is stale after this long while its plan is in progress.
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = crate::duration::parse_duration)]
    pub stale_after: std::time::Duration,
    /// Measure as of this time (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

pub const ROI_AFTER_HELP: &str = "\
Effort is inferred from the plan's size (steps, the longest chain of dependencies, Verify
commands, child plans): S, M, L or XL. Impact from its place in the repository (other plans
that link to it, the status of its features): low, medium or high. A stated **Effort:** or
**Impact:** is kept as it is.

Examples:
  planwright roi add-batch-mode
  planwright roi add-batch-mode --accept      write the inferred values into the draft";

#[derive(Debug, Args)]
pub struct RoiArgs {
    /// The plan: a slug, a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Write the inferred Effort and Impact into the plan (refused on an approved plan).
    #[arg(long)]
    pub accept: bool,
    /// With --accept: print the change instead of writing it.
    #[arg(long, requires = "accept")]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: WorkFormat,
}

/// `planwright report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// What happened against what was planned: steps, evidence, order, estimates, lessons.
    #[command(after_help = DEVIATION_AFTER_HELP)]
    Deviation {
        /// The plan: a slug, a unique last segment, or a path.
        #[arg(value_name = "PLAN")]
        plan: String,
        /// Exit 1 when spec/plans/<slug>/reports/README.md is not current; write nothing.
        #[arg(long)]
        check: bool,
        /// Print the report instead of writing it.
        #[arg(long, conflicts_with = "check")]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t)]
        format: WorkFormat,
    },
    /// What to work on next across the repository: spec/plans/WHATS-NEXT.md.
    #[command(after_help = REPORT_NEXT_AFTER_HELP)]
    Next {
        /// Rank from a full scan and rewrite every section, ignoring the previous report.
        #[arg(long)]
        full: bool,
        /// How many plans to recommend.
        #[arg(long, value_name = "N", default_value_t = 5)]
        limit: usize,
        /// The report's time (RFC 3339; default: now).
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
        /// An agent command (`sh -c`) that gets the ranked report on stdin and writes a
        /// narrative for Reasoning; the ranking never depends on it.
        #[arg(long, value_name = "CMD")]
        agent: Option<String>,
        /// Print the report instead of writing it.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t)]
        format: WorkFormat,
    },
}

pub const REPORT_NEXT_AFTER_HELP: &str = "\
Sections: Completed Since Last Update (after the previous report's Generated time), In
Progress, Recommended Next (one line of reasons each), Reasoning, Outstanding Questions
(collected from the plans). Plans are ranked by a key read left to right: ROI (impact over
effort, inferred where a plan states none), newly unblocked (a plan before it in its roadmap
completed since the last report), momentum (its roadmap is in progress), feature status
(stable first), approval, name. A plan that waits for an earlier plan of its roadmap is named
in Reasoning, not recommended.

Incremental (the default) reads the previous report and asks git what changed since the
commit that last wrote it: when no plan, feature or work item changed, the file stays as it
is; otherwise only the sections that changed are rewritten, and a narrative written under
Reasoning is kept while the ranking holds. --full rewrites everything. Both rank the same
state the same way.

Examples:
  planwright report next
  planwright report next --full --limit 10
  planwright report next --dry-run --format json
  planwright report next --agent 'claude -p'    add a narrative to Reasoning";

pub const DEVIATION_AFTER_HELP: &str = "\
Read from the plan, its work items, its run journals and the commits whose message carries a
`Plan-Step: <slug>#<step>` trailer (`planwright work done` prints it to paste): each step's
item and last verification (with its evidence), the failed verifications, the items added
under it, cancellations, the order the steps were first started in against the planned one,
each step started before a step it depends on was done (and what shows it), and Estimate
against the time from first start to done. Written to spec/plans/<slug>/reports/README.md (outside the frozen plan, and not
a plan itself); the same state gives the same bytes.

Examples:
  planwright report deviation add-batch-mode
  planwright report deviation add-batch-mode --check     in CI: is the report current?";
