//! The arguments of the commands that execute plans: `work`, `progress`, `next`, `hook`, `run`.

use super::WorkFormat;
use clap::{Args, Subcommand, ValueEnum};

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
