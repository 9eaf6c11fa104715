//! The commands: each takes its arguments, calls the services, and renders what they return.
//! `cli` parses the command line and dispatches here.

pub mod args;
mod plan;
mod read;
mod work;

pub(crate) use plan::{
    approve, config, diff, draft, hook_install, import, init, log, new, next, progress, prompt,
    report, roi, run, schema, stats, submit, supersede,
};
pub(crate) use read::{check, graph, index, list, rules, show};
pub(crate) use work::work;

/// `planwright mcp`: serves the protocol on standard input and `out` until the input ends.
#[cfg(feature = "mcp")]
pub(crate) fn mcp(
    ws: &Workspace,
    run: crate::mcp::Runner<'_>,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let stdin = io::stdin();
    crate::mcp::serve(ws, run, &mut stdin.lock(), out)?;
    Ok(EXIT_OK)
}

/// `planwright lsp`: serves the protocol on standard input and `out` until `exit`.
#[cfg(feature = "lsp")]
pub(crate) fn lsp(ws: &Workspace, out: &mut dyn Write) -> Result<u8, Failure> {
    let stdin = io::stdin();
    crate::lsp::serve(ws, &mut stdin.lock(), out)?;
    Ok(EXIT_OK)
}

/// `planwright serve`: the dashboard, until the process is stopped.
#[cfg(feature = "serve")]
pub(crate) fn serve(
    ws: &Workspace,
    args: &args::ServeArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let listener = crate::serve::bind(args.bind, args.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("listener", e))?;
    writeln!(out, "serving http://{addr}/ (read-only; Ctrl-C stops it)")?;
    out.flush()?;
    crate::serve::serve(ws, &listener)?;
    Ok(EXIT_OK)
}

/// `planwright export`: the plan in another tool's format, on `out` or into a file.
pub(crate) fn export(
    ws: &Workspace,
    a: &args::ExportArgs,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    use crate::export::To;
    let to = match a.to {
        args::ExportTo::GithubActions => To::GithubActions,
        args::ExportTo::Argo => To::Argo,
        args::ExportTo::Taskmaster => To::Taskmaster,
        args::ExportTo::Beads => To::Beads,
        args::ExportTo::GithubIssues => To::GithubIssues,
    };
    let opts = crate::export::Options {
        to,
        image: &a.image,
        allow_unapproved: a.allow_unapproved,
    };
    let text = crate::export::export(ws, &a.plan, &opts)?;
    match &a.output {
        None => out.write_all(text.as_bytes())?,
        Some(file) => {
            let abs = crate::root::absolute(&ws.cwd, std::path::Path::new(file));
            let abs = crate::confine::resolve(&ws.root, &abs)?;
            let _lock = crate::write::lock(&ws.root)?;
            if let Some(dir) = abs.parent() {
                crate::confine::create_dir_all(&ws.root, dir)?;
            }
            crate::write::write_atomic(&ws.root, &abs, &text)?;
            writeln!(out, "wrote {file}")?;
        }
    }
    Ok(EXIT_OK)
}

use crate::EXIT_OK;
use crate::discover::{self, Matcher};
use crate::error::Error;
use crate::workspace::{Changes, Workspace};
use args::WorkFormat;
use std::io::{self, Write};

/// Why a command stopped: an I/O error on the output (a closed pipe is not reported), or
/// an error of the command.
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

/// One plan named on the command line: its target, text and model.
pub(crate) struct Loaded {
    pub(crate) target: discover::Target,
    pub(crate) src: String,
    pub(crate) plan: planwright_core::Plan,
    pub(crate) name: String,
}

/// The one plan `arg` names, read: refused when it names several or is not UTF-8.
pub(crate) fn load_one(ws: &Workspace, arg: &str, what: &str) -> Result<Loaded, Failure> {
    let matcher = Matcher::new(&ws.config)?;
    let targets = discover::resolve_args(&ws.root, &ws.cwd, &matcher, &[arg.to_owned()])?;
    let [target] = targets.as_slice() else {
        return Err(Error::Usage(format!(
            "`{arg}` names {} files; {what} shows one plan\n  help: name a plan by slug or by its file",
            targets.len()
        ))
        .into());
    };
    let bytes = std::fs::read(&target.abs).map_err(|e| Error::io(&target.abs, e))?;
    let src = String::from_utf8(bytes).map_err(|e| {
        crate::error::refused(format!(
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

/// Renders what an editing service changed, as text or JSON; exit 0.
pub(crate) fn changed(
    changes: &Changes,
    format: WorkFormat,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    match format {
        WorkFormat::Text => crate::render::changes::render(changes, out)?,
        WorkFormat::Json => json_line(out, &crate::render::changes::to_json(changes))?,
    }
    Ok(EXIT_OK)
}

/// One JSON value on its own line.
pub(crate) fn json_line(out: &mut dyn Write, v: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v).map_err(io::Error::other)?;
    writeln!(out)
}

/// Writes `value` as JSON with the wire `version` beside its fields, or runs `text`.
pub(crate) fn emit<T: serde::Serialize>(
    out: &mut dyn Write,
    format: WorkFormat,
    value: &T,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let r = match format {
        WorkFormat::Json => serde_json::to_value(value)
            .map_err(io::Error::other)
            .and_then(|mut v| {
                if let Some(o) = v.as_object_mut() {
                    o.insert("version".into(), crate::WIRE_VERSION.into());
                }
                json_line(out, &v)
            }),
        WorkFormat::Text => text(out),
    };
    r.map_err(|e| Error::io("<stdout>", e))
}

/// Writes `rows` as `{"version":1,"<key>":[…]}`, or runs `text`.
pub(crate) fn emit_list<T: serde::Serialize>(
    out: &mut dyn Write,
    format: WorkFormat,
    key: &str,
    rows: &[T],
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let r = match format {
        WorkFormat::Json => serde_json::to_value(rows)
            .map_err(io::Error::other)
            .and_then(|rows| {
                let mut o = serde_json::Map::new();
                o.insert("version".into(), crate::WIRE_VERSION.into());
                o.insert(key.into(), rows);
                json_line(out, &serde_json::Value::Object(o))
            }),
        WorkFormat::Text => text(out),
    };
    r.map_err(|e| Error::io("<stdout>", e))
}
