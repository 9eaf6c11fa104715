//! The arguments of the other front ends and the planning and reporting commands: `export`,
//! `serve`, `lsp`, `mcp`, `prompt`, `draft`, `import`, `stats`, `roi`, `report`.

use super::WorkFormat;
use clap::{Args, Subcommand, ValueEnum};

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
