//! The command line: the top-level arguments, dispatch to [`crate::commands`], and the
//! mapping of outcomes to exit codes (0 clean, 1 findings, 2 usage or I/O error; a closed
//! pipe is not an error).

use crate::commands::args::*;
use crate::commands::{self, Failure};
use crate::error::Error;
use crate::workspace::Workspace;
use crate::{EXIT_ERROR, EXIT_OK};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
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
    /// Set a repository up for plans: planwright.toml, spec/, the index, AGENTS.md's section.
    #[command(after_help = INIT_AFTER_HELP)]
    Init(InitArgs),
    /// List the plans: name, status, steps, title.
    #[command(after_help = LIST_AFTER_HELP)]
    List(ListArgs),
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
    /// The planning prompts, filled with the repository's context, for any agent or chat.
    #[command(subcommand, after_help = PROMPT_AFTER_HELP)]
    Prompt(PromptCommand),
    /// Draft a plan from a feature spec with an agent, checked until clean.
    #[command(after_help = DRAFT_AFTER_HELP)]
    Draft(DraftArgs),
    /// Write a plan from the JSON plan shape agent pipelines use.
    Import(ImportArgs),
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
    /// A plan's health in figures: self-containment, freshness, length, verification, cycle times.
    #[command(after_help = STATS_AFTER_HELP)]
    Stats(StatsArgs),
    /// Reports from what happened: `report deviation PLAN`, `report next`.
    #[command(subcommand)]
    Report(ReportCommand),
    /// A plan's effort and impact, stated or inferred with the reason; --accept writes them.
    #[command(after_help = ROI_AFTER_HELP)]
    Roi(RoiArgs),
    /// Ready work across the repository, ranked, each with the reason for its place.
    #[command(after_help = NEXT_AFTER_HELP)]
    Next(NextArgs),
    /// Append a timestamped entry to a plan's Progress, Decision Log, Surprises or Outcomes.
    #[command(after_help = LOG_AFTER_HELP)]
    Log(LogArgs),
    /// Run an approved plan step by step, with an agent or without; done means its checks passed.
    #[command(after_help = RUN_AFTER_HELP, long_about = RUN_LONG_ABOUT)]
    Run(RunArgs),
    /// Print the JSON Schema of every machine output (`planwright schema NAME` for one).
    Schema(SchemaArgs),
    /// Print the effective configuration: planwright.toml with every default filled in.
    Config(ConfigArgs),
    /// Install git hooks: `planwright hook install` checks staged plans before each commit.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Serve the Model Context Protocol on stdin/stdout: eight tools for agents.
    #[cfg(feature = "mcp")]
    #[command(after_help = MCP_AFTER_HELP)]
    Mcp,
    /// Serve the Language Server Protocol on stdin/stdout: plans checked as you type.
    #[cfg(feature = "lsp")]
    #[command(after_help = LSP_AFTER_HELP)]
    Lsp,
    /// Serve a local, read-only dashboard of the plans on 127.0.0.1.
    #[cfg(feature = "serve")]
    #[command(after_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),
    /// What changed between two plans, or two revisions of one (PLAN@REV).
    #[command(after_help = DIFF_AFTER_HELP)]
    Diff(DiffArgs),
    /// Export a plan to GitHub Actions, Argo, Taskmaster, Beads or GitHub issues.
    #[command(after_help = EXPORT_AFTER_HELP)]
    Export(ExportArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let argv: Vec<String> = std::env::args().collect();
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            if e.use_stderr() && asks_for_json(argv.iter().map(String::as_str)) {
                eprint!("{}", parse_error_json(&e));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let color = use_color(cli.color, stdout.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(&cli, color, &mut out);
    let flushed = out.flush();
    let json = cli.command.wants_json();
    match result {
        Ok(code) => match flushed {
            Err(e) if !broken_pipe(&e) => {
                eprint!("{}", report(&Failure::Io(e), json));
                ExitCode::from(EXIT_ERROR)
            }
            _ => ExitCode::from(code),
        },
        Err(Failure::Io(e)) if broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(f) => {
            eprint!("{}", report(&f, json));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// A closed pipe (`planwright … | head`), also when a JSON writer wraps it: not an error.
fn broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<serde_json::Error>())
            .and_then(serde_json::Error::io_error_kind)
            == Some(io::ErrorKind::BrokenPipe)
}

/// What the binary prints on standard error for a failure: `error: …` for people, or with
/// `--format json` one line `{"version":1,"error":{"kind","message","help"}}`.
pub fn report(f: &Failure, json: bool) -> String {
    let (kind, text) = match f {
        Failure::Io(e) => (
            crate::error::Kind::Io,
            format!("cannot write the output: {e}"),
        ),
        Failure::Error(e) => (e.kind(), e.to_string()),
    };
    if json {
        format!("{}\n", crate::error::json(kind, &text))
    } else {
        format!("error: {text}\n")
    }
}

/// Does a command line that clap refused ask for JSON (`--format json`, `--format=json`)?
fn asks_for_json<'a>(mut args: impl Iterator<Item = &'a str>) -> bool {
    while let Some(a) = args.next() {
        if a == "--format=json" || a == "--format" && args.next() == Some("json") {
            return true;
        }
    }
    false
}

/// A refused command line as a JSON error of kind `usage`.
fn parse_error_json(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let text = text.trim_start_matches("error: ").trim_end();
    // clap's own text: the message, then its tips and usage.
    let (message, rest) = text.split_once("\n\n").unwrap_or((text, ""));
    let v = serde_json::json!({
        "version": crate::WIRE_VERSION,
        "error": {
            "kind": crate::error::Kind::Usage,
            "message": message,
            "help": (!rest.is_empty()).then(|| rest.trim().to_owned()),
        },
    });
    format!("{v}\n")
}

impl Command {
    /// Was JSON asked for: errors then go to standard error as JSON too.
    pub fn wants_json(&self) -> bool {
        use crate::commands::args::WorkFormat::Json;
        match self {
            Command::Init(a) => a.format == Json,
            Command::List(a) => a.format == Json,
            Command::Check(a) => a.format == Format::Json,
            Command::Graph(a) => a.format == GraphFormat::Json,
            Command::Show(a) => a.format == ShowFormat::Json,
            Command::New(a) => a.format == Json,
            Command::Prompt(_) => false,
            Command::Draft(a) => a.format == Json,
            Command::Import(a) => a.format == Json,
            Command::Index(a) => a.format == Format::Json,
            Command::Submit(a) => a.format == Json,
            Command::Approve(a) => a.format == Json,
            Command::Supersede(a) => a.format == Json,
            Command::Work(w) => w.format() == Json,
            Command::Progress(a) => a.format == Json,
            Command::Next(a) => a.format == Json,
            Command::Stats(a) => a.format == Json,
            Command::Roi(a) => a.format == Json,
            Command::Report(
                ReportCommand::Deviation { format, .. } | ReportCommand::Next { format, .. },
            ) => *format == Json,
            Command::Log(a) => a.format == Json,
            Command::Run(a) => a.format == Json,
            Command::Schema(_) => true,
            Command::Config(a) => a.format == Json,
            Command::Hook(HookCommand::Install { format, .. }) => *format == Json,
            Command::Rules(a) => a.format == RulesFormat::Json,
            #[cfg(feature = "mcp")]
            Command::Mcp => false,
            #[cfg(feature = "lsp")]
            Command::Lsp => false,
            Command::Export(_) => false,
            Command::Diff(a) => a.format == Json,
            #[cfg(feature = "serve")]
            Command::Serve(_) => false,
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

/// Runs a parsed command line, writing to `out`; returns the exit code. The workspace (root,
/// working directory, configuration) is opened here, once, for the commands that need one.
pub fn run(cli: &Cli, color: bool, out: &mut dyn Write) -> Result<u8, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    dispatch(cli, cwd, color, out)
}

/// Runs a command line in this process as the binary would from the folder `cwd`, without
/// colour: the exit code, what went to standard output, and the error the binary would print
/// on standard error. The commands' own use of the process (a runner's signals and child
/// processes) is the binary's: `run` is best run as a process.
pub fn run_in(cwd: &Path, args: &[&str]) -> (u8, Vec<u8>, String) {
    let cli = match Cli::try_parse_from(std::iter::once("planwright").chain(args.iter().copied())) {
        Ok(c) => c,
        Err(e) => {
            let text = if e.use_stderr() && asks_for_json(args.iter().copied()) {
                parse_error_json(&e)
            } else {
                e.render().to_string()
            };
            return if e.use_stderr() {
                (EXIT_ERROR, Vec::new(), text)
            } else {
                (EXIT_OK, text.into_bytes(), String::new())
            };
        }
    };
    let mut out = Vec::new();
    match dispatch(&cli, cwd.to_path_buf(), false, &mut out) {
        Ok(code) => (code, out, String::new()),
        Err(f) => (EXIT_ERROR, out, report(&f, cli.command.wants_json())),
    }
}

fn dispatch(cli: &Cli, cwd: PathBuf, color: bool, out: &mut dyn Write) -> Result<u8, Failure> {
    let open = || Workspace::open_at(cli.root.as_deref(), cwd.clone());
    // A file named where no repository is found is read alone.
    let open_for = |file: Option<&String>| {
        Workspace::open_for_file(cli.root.as_deref(), cwd.clone(), file.map(String::as_str))
    };
    match &cli.command {
        Command::Init(args) => commands::init(cli.root.as_deref(), &cwd, args, out),
        Command::List(args) => commands::list(&open()?, args, out),
        Command::Check(args) if args.paths.len() == 1 => {
            commands::check(&open_for(args.paths.first())?, args, color, out)
        }
        Command::Check(args) => commands::check(&open()?, args, color, out),
        Command::Graph(args) => commands::graph(&open_for(Some(&args.plan))?, args, out),
        Command::Show(args) => commands::show(&open_for(Some(&args.plan))?, args, out),
        Command::New(args) => commands::new(&open()?, args, out),
        Command::Prompt(p) => commands::prompt(&open()?, p, out),
        Command::Draft(args) => commands::draft(&open()?, args, out),
        Command::Import(args) => commands::import(&open()?, args, out),
        Command::Index(args) => commands::index(&open()?, args, color, out),
        Command::Submit(args) => commands::submit(&open()?, args, out),
        Command::Approve(args) => commands::approve(&open()?, args, out),
        Command::Supersede(args) => commands::supersede(&open()?, args, out),
        Command::Work(w) => commands::work(&open()?, w, out),
        Command::Run(args) => commands::run(&open()?, args, out),
        Command::Progress(args) => commands::progress(&open()?, args, out),
        Command::Next(args) => commands::next(&open()?, args, out),
        Command::Stats(args) => commands::stats(&open()?, args, out),
        Command::Roi(args) => commands::roi(&open()?, args, out),
        Command::Report(r) => commands::report(&open()?, r, out),
        Command::Log(args) => commands::log(&open()?, args, out),
        Command::Hook(HookCommand::Install { force, format }) => {
            commands::hook_install(&open()?, *force, *format, out)
        }
        Command::Config(args) => commands::config(&open()?, args, out),
        Command::Schema(args) => commands::schema(args, out),
        Command::Rules(args) => commands::rules(args, out),
        #[cfg(feature = "mcp")]
        Command::Mcp => {
            let ws = open()?;
            // Each tool call is a command line, run by this same dispatch.
            let runner = |args: &[String]| {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                run_in(&ws.root, &args)
            };
            commands::mcp(&ws, &runner, out)
        }
        #[cfg(feature = "lsp")]
        Command::Lsp => commands::lsp(&open()?, out),
        Command::Export(args) => commands::export(&open()?, args, out),
        Command::Diff(args) => commands::diff(&open()?, args, out),
        #[cfg(feature = "serve")]
        Command::Serve(args) => commands::serve(&open()?, args, out),
    }
}

/// The clap command, for tests and documentation.
pub fn command() -> clap::Command {
    Cli::command()
}
