//! The command line: arguments, dispatch, and the mapping of outcomes to exit codes
//! (0 clean, 1 findings, 2 usage or I/O error; a closed pipe is not an error).

use crate::check;
use crate::config::Config;
use crate::discover::{self, Matcher};
use crate::error::Error;
use crate::render::{self, Format};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, root};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use planwright_core::Severity;
use planwright_core::rules::RULES;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str = "A compiler, linter and librarian for development plans written in Markdown.";

const LONG_ABOUT: &str = "\
A compiler, linter and librarian for development plans written in Markdown.

Plans live in git as Markdown (spec/plans/<slug>/README.md). planwright reads them into a
typed model and checks them the way a compiler checks code: every problem with its file,
line and column, the source line, a stable rule name and a hint to fix it.";

const AFTER_HELP: &str = "\
Examples:
  planwright check                       check every plan in the repository
  planwright check add-batch-mode        check one plan, by slug or by path
  planwright check --format json         machine-readable findings
  planwright graph add-batch-mode        waves, critical path and cycles of a plan
  planwright show add-batch-mode --format json   the typed model, for agents
  planwright rules dependency-cycle      what a rule checks, and how to fix it

The repository root is --root, or the nearest folder above the working directory that holds
planwright.toml, spec/ or .git.";

#[derive(Debug, Parser)]
#[command(name = "planwright", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
#[command(propagate_version = true, arg_required_else_help = true)]
pub struct Cli {
    /// The repository root (default: the nearest folder above holding planwright.toml,
    /// spec/ or .git).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plans and report every problem, like a compiler.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Show a plan's dependency graph: order, parallel waves, critical path, cycles.
    #[command(after_help = GRAPH_AFTER_HELP)]
    Graph(GraphArgs),
    /// Print the typed model of a plan: header, steps, dependencies, criteria, checks.
    Show(ShowArgs),
    /// Create a plan from a template (development plan, roadmap, ExecPlan, lightweight PLAN).
    #[command(after_help = NEW_AFTER_HELP)]
    New(NewArgs),
    /// Rewrite the generated views: the plans index, feature Plans tables, roadmap statuses.
    #[command(after_help = INDEX_AFTER_HELP)]
    Index(IndexArgs),
    /// Send a draft plan to review (draft → in_review).
    #[command(after_help = SUBMIT_AFTER_HELP)]
    Submit(SubmitArgs),
    /// Approve a plan: record the approver and date, and freeze its content.
    #[command(after_help = APPROVE_AFTER_HELP)]
    Approve(ApproveArgs),
    /// Mark a plan as replaced by another, linking both ways.
    #[command(after_help = SUPERSEDE_AFTER_HELP)]
    Supersede(SupersedeArgs),
    /// Work items from approved plans: generate, list, start, done, block, verify.
    #[command(subcommand)]
    Work(WorkCommand),
    /// Per-plan progress derived from work items: steps done, in progress, blocked, critical path.
    Progress(ProgressArgs),
    /// Ready work across the repository, ranked, each with the reason for its place.
    #[command(after_help = NEXT_AFTER_HELP)]
    Next(NextArgs),
    /// Append a timestamped entry to a plan's Progress, Decision Log, Surprises or Outcomes.
    #[command(after_help = LOG_AFTER_HELP)]
    Log(LogArgs),
    /// Run an approved plan step by step, with an agent or without; done means its checks passed.
    #[command(after_help = RUN_AFTER_HELP, long_about = RUN_LONG_ABOUT)]
    Run(RunArgs),
    /// Print the JSON Schema of the machine outputs (check, show, graph, work items, next, progress, run events).
    Schema(SchemaArgs),
    /// Print the effective configuration: planwright.toml with every default filled in.
    Config,
    /// Install git hooks: `planwright hook install` checks staged plans before each commit.
    #[command(subcommand)]
    Hook(HookCommand),
    /// List the rules, or explain one.
    Rules(RulesArgs),
}

const SUBMIT_AFTER_HELP: &str = "\
A draft may hold template placeholders; review is where they get filled in. Approval refuses
them (see `planwright approve --help`).

Examples:
  planwright submit add-batch-mode
  planwright submit add-batch-mode --dry-run

Then: the reviewer runs `planwright approve add-batch-mode --approver @name`.";

const SUPERSEDE_AFTER_HELP: &str = "\
An approved plan is never edited: to change it, write its successor (`planwright new`), get it
approved, then supersede the old one. The old plan becomes `superseded` with a Superseded by
link, the new one gets a Supersedes link back, and the index lists the old one under Recently
Closed. Neither link counts as a change of frozen content.

Examples:
  planwright new add-batch-mode-v2 --feature cli
  planwright supersede add-batch-mode --by add-batch-mode-v2";

const LOG_AFTER_HELP: &str = "\
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

const APPROVE_AFTER_HELP: &str = "\
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
    },
    /// List items, filtered by plan, status or assignee.
    List {
        /// Only this plan's items (slug or path).
        #[arg(long, value_name = "PLAN")]
        plan: Option<String>,
        #[arg(long, value_enum)]
        status: Option<crate::work::ItemStatus>,
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

const NEXT_AFTER_HELP: &str = "\
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
    },
}

/// The pre-commit hook planwright installs.
pub const PRE_COMMIT_HOOK: &str = "#!/bin/sh\n# Installed by `planwright hook install`: checks the plans staged for this commit.\n# Skip once with `git commit --no-verify`.\nexec planwright check --staged\n";

const NEW_AFTER_HELP: &str = "\
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
    #[arg(long, value_enum, default_value_t = crate::scaffold::Template::Plan)]
    pub template: crate::scaffold::Template,
    /// The title (default: from the slug).
    #[arg(long)]
    pub title: Option<String>,
    /// The author (default: git config user.name).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Print the plan instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

const INDEX_AFTER_HELP: &str = "\
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
    /// Output format of --check.
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
}

const RUN_LONG_ABOUT: &str = "\
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

const RUN_AFTER_HELP: &str = "\
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
    pub kind: crate::log::Kind,
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
    /// Print the change instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The plan: a slug (`add-batch-mode`), a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::show::ShowFormat::Text)]
    pub format: crate::show::ShowFormat,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// One output's schema (`check`, `show`, `graph`, `work-item`, `next`, `progress`, `run-event`); all of them when absent.
    #[arg(value_name = "OUTPUT", value_parser = ["check", "show", "graph", "work-item", "next", "progress", "run-event"])]
    pub output: Option<String>,
}

const GRAPH_AFTER_HELP: &str = "\
Steps in the same wave can run at the same time; a sub-step waits for what its step waits
for. The critical path is the longest chain, weighted by each step's **Estimate:** (30m, 2h,
1d = 8h, 1w = 40h) or 1 per step. For a roadmap, its child plans in order.

Examples:
  planwright graph add-batch-mode
  planwright graph add-batch-mode --format mermaid   paste into a ```mermaid block
  planwright graph checkout --format dot | dot -Tsvg > checkout.svg";

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The plan: a slug (`add-batch-mode`), a unique last segment, or a path.
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::graph::GraphFormat::Text)]
    pub format: crate::graph::GraphFormat,
}

const CHECK_AFTER_HELP: &str = "\
Without PATHs, checks every plan the configuration finds: spec/plans/**/README.md,
spec/plans/*.md, and the globs of [sources] in planwright.toml (.gitignore is honoured).

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

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let color = use_color(cli.color, stdout.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(&cli, color, &mut out);
    let flushed = out.flush();
    match result {
        Ok(code) => match flushed {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_ERROR)
            }
            _ => ExitCode::from(code),
        },
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_OK),
        Err(Failure::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
        Err(Failure::Error(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    Io(io::Error),
    Error(Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

/// Runs a parsed command line, writing to `out`; returns the exit code.
pub fn run(cli: &Cli, color: bool, out: &mut dyn Write) -> Result<u8, Failure> {
    match &cli.command {
        Command::Check(args) => cmd_check(cli, args, color, out),
        Command::Graph(args) => cmd_graph(cli, args, out),
        Command::Show(args) => cmd_show(cli, args, out),
        Command::New(args) => {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            let root = root::find(cli.root.as_deref(), &cwd)?;
            let author = args
                .author
                .clone()
                .or_else(|| crate::git::git_author(&root))
                .unwrap_or_else(|| "@author".to_owned());
            let date = crate::clock::today();
            crate::scaffold::create(
                &root,
                &crate::scaffold::Request {
                    slug: &args.slug,
                    title: args.title.as_deref(),
                    roadmap: args.roadmap,
                    parent: args.parent.as_deref(),
                    features: &args.features,
                    template: args.template,
                    author: &author,
                    date: &date,
                    dry_run: args.dry_run,
                },
                out,
            )?;
            Ok(EXIT_OK)
        }
        Command::Index(args) => cmd_index(cli, args, color, out),
        Command::Submit(args) => lifecycle_cmd(cli, args.dry_run, out, |cx, out| {
            crate::lifecycle::submit(cx, &args.plan, out)
        }),
        Command::Approve(args) => {
            let date = args.date.clone().unwrap_or_else(crate::clock::today);
            if planwright_core::time::parse_date(&date).is_none() {
                return Err(Error::Usage(format!(
                    "--date {date}: not a date\n  help: write YYYY-MM-DD"
                ))
                .into());
            }
            lifecycle_cmd(cli, args.dry_run, out, |cx, out| {
                crate::lifecycle::approve(
                    cx,
                    &args.plan,
                    &crate::lifecycle::Approval {
                        approver: &args.approver,
                        date: &date,
                        force: args.force,
                    },
                    out,
                )
            })
        }
        Command::Supersede(args) => lifecycle_cmd(cli, args.dry_run, out, |cx, out| {
            crate::lifecycle::supersede(cx, &args.old, &args.by, out)
        }),
        Command::Work(w) => cmd_work(cli, w, out),
        Command::Run(args) => {
            let mut code = EXIT_OK;
            lifecycle_cmd(cli, false, out, |cx, out| {
                let mode = match args.format {
                    WorkFormat::Json => crate::run::display::Mode::Json,
                    WorkFormat::Text if io::stderr().is_terminal() && !args.dry_run => {
                        crate::run::display::Mode::Live
                    }
                    WorkFormat::Text => crate::run::display::Mode::Plain,
                };
                let req = crate::run::Request {
                    plan: &args.plan,
                    jobs: args.jobs,
                    agent: args.agent.clone(),
                    no_agent: args.no_agent,
                    steps: args.steps.clone(),
                    dry_run: args.dry_run,
                    resume: args.resume,
                    keep_going: args.keep_going,
                    retries: args.retries,
                    timeout: args.timeout,
                    agent_timeout: args.agent_timeout,
                    allow_unapproved: args.allow_unapproved,
                    mode,
                    by: args.by.as_deref(),
                };
                code = crate::run::run(cx, &req, out)?;
                Ok(())
            })?;
            Ok(code)
        }
        Command::Progress(args) => lifecycle_cmd(cli, false, out, |cx, out| {
            let rows = crate::work::progress_report(cx, args.plan.as_deref())?;
            emit(out, args.format, &rows, |out| {
                if rows.is_empty() {
                    writeln!(
                        out,
                        "no work items yet; `planwright work generate PLAN` makes them"
                    )?;
                }
                for r in &rows {
                    writeln!(out, "{}: {}", r.plan, r.summary)?;
                    if !r.critical_remaining.is_empty() {
                        writeln!(
                            out,
                            "  critical path left: {}",
                            r.critical_remaining.join(" → ")
                        )?;
                    }
                }
                Ok(())
            })
        }),
        Command::Next(args) => lifecycle_cmd(cli, false, out, |cx, out| {
            let items = crate::work::Store::new(cx.root, cx.cfg).load()?;
            let rows = crate::work::next(&items, args.limit);
            let live = items.iter().filter(|i| !i.superseded).count();
            let closed = items
                .iter()
                .filter(|i| !i.superseded && i.status.closed())
                .count();
            emit(out, args.format, &rows, |out| {
                if live == 0 && !items.is_empty() {
                    writeln!(
                        out,
                        "nothing is ready: every item belongs to a superseded plan"
                    )?;
                } else if live == 0 {
                    writeln!(
                        out,
                        "no work items yet; `planwright work generate PLAN` makes them from an approved plan"
                    )?;
                } else if closed == live {
                    writeln!(out, "nothing left: all {live} items are done or cancelled")?;
                } else if rows.is_empty() {
                    writeln!(
                        out,
                        "nothing is ready: the open items are in progress, blocked or waiting for them"
                    )?;
                }
                for r in &rows {
                    writeln!(out, "{}  {}\n    {}", r.id, r.title, r.reason)?;
                }
                Ok(())
            })
        }),
        Command::Log(args) => lifecycle_cmd(cli, args.dry_run, out, |cx, out| {
            let entry = crate::log::Entry {
                kind: args.kind,
                text: &args.text,
                evidence: args.evidence.as_deref(),
                rationale: args.rationale.as_deref(),
                author: args.author.as_deref(),
                at: args.at.as_deref(),
            };
            crate::log::log(cx, &args.plan, &entry, out)
        }),
        Command::Hook(HookCommand::Install { force }) => {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            let root = root::find(cli.root.as_deref(), &cwd)?;
            let dir = crate::git::hooks_dir(&root)?;
            let path = dir.join("pre-commit");
            if let Ok(existing) = std::fs::read_to_string(&path)
                && existing != PRE_COMMIT_HOOK
                && !force
            {
                return Err(Error::Usage(format!(
                    "{} exists and was not written by planwright\n  help: add `planwright check --staged` to it yourself, or replace it with --force",
                    path.display()
                ))
                .into());
            }
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            std::fs::write(&path, PRE_COMMIT_HOOK).map_err(|e| Error::io(&path, e))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                    .map_err(|e| Error::io(&path, e))?;
            }
            writeln!(
                out,
                "installed {}: `planwright check --staged` runs before each commit",
                path.display()
            )?;
            Ok(EXIT_OK)
        }
        Command::Config => {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            let root = root::find(cli.root.as_deref(), &cwd)?;
            let cfg = Config::load(&root)?;
            out.write_all(cfg.to_toml().as_bytes())?;
            Ok(EXIT_OK)
        }
        Command::Schema(args) => {
            let v = match &args.output {
                Some(name) => crate::schema::one(name).unwrap_or_default(),
                None => crate::schema::all(),
            };
            serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
            Ok(EXIT_OK)
        }
        Command::Rules(args) => cmd_rules(args, out),
    }
}

fn cmd_check(cli: &Cli, args: &CheckArgs, color: bool, out: &mut dyn Write) -> Result<u8, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let root = root::find(cli.root.as_deref(), &cwd)?;
    let cfg = Config::load(&root)?;
    let matcher = Matcher::new(&cfg)?;
    let human = args.format == Format::Human;
    let report = if args.staged {
        let staged: Vec<String> = crate::git::staged(&root)?
            .into_iter()
            .filter(|rel| matcher.hint(rel).is_some())
            .map(|rel| root.join(rel).to_string_lossy().into_owned())
            .filter(|p| std::path::Path::new(p).is_file())
            .collect();
        let targets = if staged.is_empty() {
            Vec::new()
        } else {
            discover::resolve_args(&root, &cwd, &matcher, &staged)?
        };
        check::run(&root, &targets, &cfg, human)?
    } else if args.paths.is_empty() {
        // The whole repository, found and checked in one walk, then its views.
        check::run_repo(&root, &matcher, &cfg, human)
    } else {
        let targets = discover::resolve_args(&root, &cwd, &matcher, &args.paths)?;
        check::run(&root, &targets, &cfg, human)?
    };
    match args.format {
        Format::Human => render::human::render(&report, color, out)?,
        Format::Json => render::json::render(&report, out)?,
        Format::Sarif => render::sarif::render(&report, &cfg.rules, out)?,
        Format::Github => render::github::render(&report, out)?,
    }
    let mut io_failed = false;
    for (file, e) in report.io_errors() {
        eprintln!("error: cannot read {file}: {e}");
        io_failed = true;
    }
    if io_failed {
        return Ok(EXIT_ERROR);
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let deny = args.deny_warnings || cfg.deny_warnings;
    // The process exits next: freeing a result per file one by one (tens of thousands of
    // small allocations on a large repository) would only delay the exit.
    std::mem::forget(report);
    if errors > 0 || (deny && warnings > 0) {
        Ok(EXIT_FINDINGS)
    } else {
        Ok(EXIT_OK)
    }
}

/// One plan named on the command line: its target, text and model.
struct Loaded {
    target: discover::Target,
    src: String,
    plan: planwright_core::Plan,
    name: String,
}

fn load_one(cli: &Cli, arg: &str, what: &str) -> Result<Loaded, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let root = root::find(cli.root.as_deref(), &cwd)?;
    let cfg = Config::load(&root)?;
    let matcher = Matcher::new(&cfg)?;
    let targets = discover::resolve_args(&root, &cwd, &matcher, &[arg.to_owned()])?;
    let [target] = targets.as_slice() else {
        return Err(Error::Usage(format!(
            "`{arg}` names {} files; {what} shows one plan\n  help: name a plan by slug or by its file",
            targets.len()
        ))
        .into());
    };
    let bytes = std::fs::read(&target.abs).map_err(|e| Error::io(&target.abs, e))?;
    let src = String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not valid UTF-8 (byte {})\n  help: `planwright check` reports it as invalid-encoding",
            target.rel,
            e.utf8_error().valid_up_to()
        ))
    })?;
    let plan = planwright_core::read(&src, target.hint);
    let name = discover::slug_of(&target.rel).unwrap_or_else(|| target.rel.clone());
    Ok(Loaded {
        target: target.clone(),
        src,
        plan,
        name,
    })
}

fn cmd_graph(cli: &Cli, args: &GraphArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let l = load_one(cli, &args.plan, "graph")?;
    let graph = crate::graph::Graph::build(&l.plan, &l.src, &l.name, &l.target.rel);
    graph.write_to(args.format, out)?;
    // The process ends next: freeing a large model one allocation at a time only costs time.
    std::mem::forget(graph);
    std::mem::forget(l);
    Ok(EXIT_OK)
}

fn cmd_index(cli: &Cli, args: &IndexArgs, color: bool, out: &mut dyn Write) -> Result<u8, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let root = root::find(cli.root.as_deref(), &cwd)?;
    let mut cfg = Config::load(&root)?;
    if args.check {
        let matcher = Matcher::new(&cfg)?;
        // Only the views' rules: reading the plans is all the work.
        let keep = [
            "stale-index",
            "stale-backreference",
            "roadmap-status-mismatch",
        ];
        for r in RULES {
            if !keep.contains(&r.name) {
                let _ = cfg.rules.set(r.name, Severity::Off);
            }
        }
        let report = check::run_repo(&root, &matcher, &cfg, args.format == Format::Human);
        match args.format {
            Format::Human => render::human::render(&report, color, out)?,
            Format::Json => render::json::render(&report, out)?,
            Format::Sarif => render::sarif::render(&report, &cfg.rules, out)?,
            Format::Github => render::github::render(&report, out)?,
        }
        return Ok(
            if report.count(Severity::Error) + report.count(Severity::Warning) > 0 {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            },
        );
    }
    let _lock = if args.dry_run {
        None
    } else {
        Some(crate::write::lock(&root)?)
    };
    let changed = crate::regenerate::update(&root, &cfg, args.dry_run, out)?;
    if changed == 0 {
        writeln!(out, "ok: every view is up to date")?;
    }
    Ok(EXIT_OK)
}

fn lifecycle_cmd(
    cli: &Cli,
    dry_run: bool,
    out: &mut dyn Write,
    f: impl FnOnce(&crate::workspace::Ctx<'_>, &mut dyn Write) -> Result<(), Error>,
) -> Result<u8, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let root = root::find(cli.root.as_deref(), &cwd)?;
    let cfg = Config::load(&root)?;
    let cx = crate::workspace::Ctx {
        root: &root,
        cwd: &cwd,
        cfg: &cfg,
        dry_run,
    };
    f(&cx, out)?;
    Ok(EXIT_OK)
}

/// Writes `value` as JSON, or runs `text`.
fn emit<T: serde::Serialize>(
    out: &mut dyn Write,
    format: WorkFormat,
    value: &T,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let r = match format {
        WorkFormat::Json => serde_json::to_writer(&mut *out, value)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out)),
        WorkFormat::Text => text(out),
    };
    r.map_err(|e| Error::io("<stdout>", e))
}

fn item_text(out: &mut dyn Write, i: &crate::work::Item) -> io::Result<()> {
    writeln!(out, "{}  {}", i.id, i.title)?;
    writeln!(
        out,
        "  status     {}{}",
        i.status.as_str(),
        if i.superseded {
            " (plan superseded)"
        } else {
            ""
        }
    )?;
    writeln!(out, "  plan       {} (step {})", i.plan, i.step)?;
    if let Some(a) = &i.assignee {
        writeln!(out, "  assignee   {a}")?;
    }
    if let Some(p) = &i.parent {
        writeln!(out, "  under      {p}")?;
    }
    if !i.depends_on.is_empty() {
        writeln!(out, "  depends on {}", i.depends_on.join(", "))?;
    }
    for c in &i.acceptance_criteria {
        writeln!(out, "  criterion  {c}")?;
    }
    for c in &i.produces {
        writeln!(out, "  produces   {c}")?;
    }
    for c in &i.verify {
        writeln!(out, "  verify     {c}")?;
    }
    if let Some(v) = &i.verification {
        writeln!(
            out,
            "  verified   {} at {} by {}",
            if v.passed { "passed" } else { "failed" },
            v.at,
            v.by
        )?;
    }
    for e in &i.events {
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", e.note)
        };
        writeln!(out, "  {}  {}  {}{note}", e.at, e.by, e.what)?;
    }
    Ok(())
}

fn base(to: crate::work::ItemStatus, a: &ItemArgs) -> crate::work::Change<'_> {
    crate::work::Change {
        to,
        by: a.by.as_deref(),
        note: None,
        assignee: None,
        no_verify: false,
    }
}

fn cmd_work(cli: &Cli, w: &WorkCommand, out: &mut dyn Write) -> Result<u8, Failure> {
    use crate::work::{Change, ItemStatus, Store};
    let dry = matches!(w, WorkCommand::Generate { dry_run: true, .. });
    let mut code = EXIT_OK;
    lifecycle_cmd(cli, dry, out, |cx, out| {
        let change = |out: &mut dyn Write, a: &ItemArgs, c: Change<'_>| -> Result<(), Error> {
            let item = crate::work::change(cx, &a.id, &c)?;
            emit(out, a.format, &item, |out| {
                writeln!(
                    out,
                    "{}: {}",
                    item.id,
                    item.events.last().map_or("", |e| e.what.as_str())
                )
            })
        };
        match w {
            WorkCommand::Generate { plan, .. } => crate::work::generate(cx, plan, out),
            WorkCommand::List {
                plan,
                status,
                assignee,
                format,
            } => {
                let want_assignee = assignee
                    .as_deref()
                    .map(|a| crate::git::actor(cx.root, Some(a)));
                let items: Vec<_> = crate::work::items_of(cx, plan.as_deref())?
                    .into_iter()
                    .filter(|i| status.is_none_or(|s| i.status == s))
                    .filter(|i| want_assignee.is_none() || i.assignee == want_assignee)
                    .collect();
                emit(out, *format, &items, |out| {
                    for i in &items {
                        writeln!(
                            out,
                            "{:<11} {}  {}{}",
                            i.status.as_str(),
                            i.id,
                            i.title,
                            i.assignee
                                .as_ref()
                                .map_or(String::new(), |a| format!("  ({a})"))
                        )?;
                    }
                    Ok(())
                })
            }
            WorkCommand::Show(a) => {
                let item = Store::new(cx.root, cx.cfg).get(&a.id)?;
                emit(out, a.format, &item, |out| item_text(out, &item))
            }
            WorkCommand::Start { item, assignee } => {
                let mut c = base(ItemStatus::InProgress, item);
                let who = assignee
                    .clone()
                    .or_else(|| item.by.clone())
                    .unwrap_or_else(|| crate::git::actor(cx.root, None));
                c.assignee = Some(&who);
                change(out, item, c)
            }
            WorkCommand::Done {
                item,
                no_verify,
                note,
            } => {
                let mut c = base(ItemStatus::Done, item);
                c.no_verify = *no_verify;
                c.note = note.as_deref();
                change(out, item, c)
            }
            WorkCommand::Block { item, reason } => {
                let mut c = base(ItemStatus::Blocked, item);
                c.note = Some(reason);
                change(out, item, c)
            }
            WorkCommand::Cancel { item, reason } => {
                let mut c = base(ItemStatus::Cancelled, item);
                c.note = reason.as_deref();
                change(out, item, c)
            }
            WorkCommand::Add {
                under,
                title,
                by,
                format,
            } => {
                let item = crate::work::add(cx, under, title, by.as_deref())?;
                emit(out, *format, &item, |out| {
                    writeln!(out, "created {}: {}", item.id, item.title)
                })
            }
            WorkCommand::Verify {
                item,
                allow_unapproved,
            } => {
                let passed =
                    crate::work::verify(cx, &item.id, *allow_unapproved, item.by.as_deref(), out)?;
                if !passed {
                    code = EXIT_FINDINGS;
                }
                Ok(())
            }
        }
    })?;
    Ok(code)
}

fn cmd_show(cli: &Cli, args: &ShowArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let l = load_one(cli, &args.plan, "show")?;
    match args.format {
        crate::show::ShowFormat::Text => {
            out.write_all(crate::show::to_text(&l.plan, &l.src, &l.target.rel).as_bytes())?
        }
        crate::show::ShowFormat::Json => {
            let v = crate::show::to_json(&l.plan, &l.src, &l.name, &l.target.rel);
            serde_json::to_writer(&mut *out, &v).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(EXIT_OK)
}

fn cmd_rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if let Some(name) = &args.name {
        let Some(rule) = planwright_core::rules::rule(name) else {
            let mut msg = format!("no rule named `{name}`");
            if let Some(s) = planwright_core::text::did_you_mean(name, RULES.iter().map(|r| r.name))
            {
                msg.push_str(&format!("\n  help: did you mean `{s}`?"));
            } else {
                msg.push_str("\n  help: `planwright rules` lists them all");
            }
            return Err(Error::Usage(msg).into());
        };
        match args.format {
            RulesFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &rule_json(rule))
                    .map_err(io::Error::other)?;
                writeln!(out)?;
            }
            _ => {
                writeln!(
                    out,
                    "# {}\n\nDefault severity: {}.\n",
                    rule.name, rule.default_severity
                )?;
                write!(out, "{}", rule.docs())?;
            }
        }
        return Ok(EXIT_OK);
    }
    match args.format {
        RulesFormat::Markdown => writeln!(out, "{}", planwright_core::rules::catalogue_markdown())?,
        RulesFormat::Json => {
            let all: Vec<_> = RULES.iter().map(rule_json).collect();
            serde_json::to_writer_pretty(&mut *out, &all).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in RULES {
                writeln!(
                    out,
                    "{:width$}  {:7}  {}",
                    r.name,
                    r.default_severity.as_str(),
                    r.summary()
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn rule_json(r: &planwright_core::rules::Rule) -> serde_json::Value {
    serde_json::json!({
        "name": r.name,
        "default_severity": r.default_severity.as_str(),
        "summary": r.summary(),
        "docs": r.docs(),
    })
}

/// The clap command, for tests and documentation.
pub fn command() -> clap::Command {
    Cli::command()
}
