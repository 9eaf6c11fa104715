//! `planwright mcp`: a Model Context Protocol server over stdio, for agents.
//!
//! Eight tools, each the command line it mirrors: a tool call becomes that command's
//! arguments with `--format json`, run by the same dispatch as the binary, so a tool returns
//! exactly the command's JSON and fails with exactly its JSON error. No tool runs `run`, and
//! none can pass `--allow-unapproved`: commands from plans run only through `work verify`,
//! behind the same trust gate as the runner. Plans are also readable as resources.
//!
//! The transport is the protocol's stdio one: one JSON-RPC 2.0 message per line on standard
//! input, one per line on standard output, diagnostics on standard error.

use crate::workspace::Workspace;
use serde_json::{Map, Value, json};
use std::io::{BufRead, Write};

/// Runs a command line (without the program name) the way the binary would: its exit code,
/// standard output and standard error. The front end that starts the server provides it.
pub type Runner<'a> = &'a dyn Fn(&[String]) -> (u8, Vec<u8>, String);

/// The protocol revisions this server speaks, oldest first; the newest is offered when a
/// client asks for one it does not know.
pub const PROTOCOL_VERSIONS: &[&str] = &["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

const INSTRUCTIONS: &str = "planwright checks and tracks development plans (Markdown under spec/plans/). \
Workflow: `new` writes a draft plan; edit it, then `check` until clean; a person approves it \
(`planwright approve`). From an approved plan: `work` generate, then `next` says what is ready; \
`work` start/done (done needs a passing verify when the step has Verify commands); `log` records \
progress, decisions and surprises. Plan names are slugs, as `plans` lists them.";

/// Serves MCP on `input`/`output` until the input ends.
pub fn serve(
    ws: &Workspace,
    run: Runner<'_>,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(reply) = handle(ws, run, &line) {
            serde_json::to_writer(&mut *output, &reply)?;
            output.write_all(b"\n")?;
            output.flush()?;
        }
    }
}

/// The reply to one message, or none for a notification.
pub fn handle(ws: &Workspace, run: Runner<'_>, line: &str) -> Option<Value> {
    let msg: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Some(error(Value::Null, -32700, &format!("parse error: {e}"))),
    };
    let Some(method) = msg.get("method").and_then(Value::as_str) else {
        // A response to a request of ours (the server sends none), or not JSON-RPC.
        return msg
            .get("id")
            .is_none()
            .then(|| error(Value::Null, -32600, "not a JSON-RPC request"));
    };
    let id = msg.get("id").cloned()?; // notifications (initialized, cancelled) need no reply
    let params = msg.get("params").cloned().unwrap_or(Value::Null);
    let result = match method {
        "initialize" => Ok(initialize(&params)),
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({ "tools": tools() })),
        "tools/call" => call(ws, run, &params),
        "resources/list" => resources(ws),
        "resources/templates/list" => Ok(json!({ "resourceTemplates": [] })),
        "resources/read" => read_resource(ws, &params),
        _ => Err((-32601, format!("no method `{method}`"))),
    };
    Some(match result {
        Ok(r) => json!({ "jsonrpc": "2.0", "id": id, "result": r }),
        Err((code, message)) => error(id, code, &message),
    })
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

fn initialize(params: &Value) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = asked
        .filter(|v| PROTOCOL_VERSIONS.contains(v))
        .unwrap_or(PROTOCOL_VERSIONS[PROTOCOL_VERSIONS.len() - 1]);
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": false }, "resources": { "listChanged": false } },
        "serverInfo": { "name": "planwright", "version": env!("CARGO_PKG_VERSION") },
        "instructions": INSTRUCTIONS,
    })
}

fn string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn tool(name: &str, description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "name": name,
        "description": description,
        "inputSchema": { "type": "object", "properties": properties, "required": required },
    })
}

/// The tool set: its `tools/list` payload is snapshot-tested and kept under 3,000 tokens.
pub fn tools() -> Vec<Value> {
    let plan = || string("Plan slug (as `plans` lists it) or path");
    vec![
        tool(
            "plans",
            "List the plans (name, status, steps, title); with `plan`, that plan's typed model: header, steps with dependencies, criteria and Verify commands.",
            json!({ "plan": plan() }),
            &[],
        ),
        tool(
            "check",
            "Check plans like a compiler: every problem with file, line, rule and a hint. All plans, or one.",
            json!({ "plan": plan() }),
            &[],
        ),
        tool(
            "graph",
            "A plan's dependency graph: order, waves that can run at once, critical path, cycles.",
            json!({ "plan": plan() }),
            &["plan"],
        ),
        tool(
            "next",
            "Ready work across the repository, ranked, each with the reason for its place.",
            json!({ "limit": { "type": "integer", "minimum": 1, "description": "How many (default 10)" } }),
            &[],
        ),
        tool(
            "progress",
            "Per-plan progress: steps done, in progress, blocked; the critical path left.",
            json!({ "plan": plan() }),
            &[],
        ),
        tool(
            "work",
            "Work items of approved plans. generate (plan): one item per step. list (plan?). show/start/done/block/cancel/verify (id). add (under, title): a sub-item. done needs a passing verify when the step has Verify commands; verify runs them only from an approved, unchanged plan.",
            json!({
                "action": { "enum": ["generate", "list", "show", "start", "done", "block", "cancel", "add", "verify"] },
                "id": string("Item id, like add-batch-mode#2"),
                "plan": plan(),
                "under": string("add: the item it belongs under"),
                "title": string("add: what needs doing"),
                "reason": string("block (required), cancel: why"),
                "note": string("done: a note for the record"),
            }),
            &["action"],
        ),
        tool(
            "log",
            "Append a timestamped entry to a plan's Progress, Decision Log, Surprises & Discoveries or Outcomes (allowed on approved plans).",
            json!({
                "plan": plan(),
                "kind": { "enum": ["progress", "decision", "surprise", "outcome"] },
                "text": string("What was done, decided, found or learned"),
                "rationale": string("decision: why"),
                "evidence": string("surprise: what shows it"),
                "open": { "type": "boolean", "description": "progress: still to do" },
            }),
            &["plan", "kind", "text"],
        ),
        tool(
            "new",
            "Write a draft plan from the template, with the features it touches (spec/features/NAME).",
            json!({
                "slug": string("lower-case-with-dashes, or roadmap/child"),
                "features": { "type": "array", "items": { "type": "string" }, "minItems": 1 },
                "title": string("Default: from the slug"),
                "template": { "enum": ["plan", "exec", "lite"] },
                "roadmap": { "type": "boolean", "description": "A roadmap of child plans" },
            }),
            &["slug", "features"],
        ),
    ]
}

type Failed = (i64, String);

fn invalid(message: impl Into<String>) -> Failed {
    (-32602, message.into())
}

/// A tool call: its arguments as the mirrored command line, run, and the command's JSON
/// returned (as text and as structured content); a command's error is a tool error whose
/// content is the command's JSON error.
fn call(ws: &Workspace, run: Runner<'_>, params: &Value) -> Result<Value, Failed> {
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("tools/call needs a tool `name`"))?;
    let empty = Map::new();
    let args = match params.get("arguments") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(o)) => o,
        Some(_) => return Err(invalid("`arguments` must be an object")),
    };
    let mut argv = command_line(name, args)?;
    // `--format json` among the options, before the `--` that ends them.
    let options_end = argv.iter().position(|a| a == "--").unwrap_or(argv.len());
    argv.splice(
        options_end..options_end,
        ["--format".to_owned(), "json".to_owned()],
    );
    argv.splice(0..0, ["--root".to_owned(), ws.root.display().to_string()]);
    let (code, stdout, stderr) = run(&argv);
    let failed = code == crate::EXIT_ERROR;
    let text = if failed {
        stderr.trim_end().to_owned()
    } else {
        String::from_utf8_lossy(&stdout).trim_end().to_owned()
    };
    let mut result = json!({ "content": [{ "type": "text", "text": text }], "isError": failed });
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&text) {
        result["structuredContent"] = v;
    }
    Ok(result)
}

/// A tool's arguments, read as a command line's pieces.
struct Args<'a> {
    tool: &'a str,
    args: &'a Map<String, Value>,
    argv: Vec<String>,
}

impl Args<'_> {
    fn text(&self, key: &str) -> Result<Option<String>, Failed> {
        match self.args.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!("`{key}` must be a string"))),
        }
    }

    fn need(&self, key: &str) -> Result<String, Failed> {
        self.text(key)?
            .ok_or_else(|| invalid(format!("`{}` needs `{key}`", self.tool)))
    }

    fn push(&mut self, words: &[&str]) {
        self.argv.extend(words.iter().map(|w| (*w).to_owned()));
    }

    /// `--option VALUE` for each argument given.
    fn options(&mut self, pairs: &[(&str, &str)]) -> Result<(), Failed> {
        for (key, option) in pairs {
            if let Some(v) = self.text(key)? {
                self.push(&[option, &v]);
            }
        }
        Ok(())
    }

    /// `--flag` when the argument is true.
    fn flag(&mut self, key: &str, flag: &str) -> Result<(), Failed> {
        match self.args.get(key) {
            None | Some(Value::Null | Value::Bool(false)) => Ok(()),
            Some(Value::Bool(true)) => {
                self.push(&[flag]);
                Ok(())
            }
            Some(_) => Err(invalid(format!("`{key}` must be true or false"))),
        }
    }

    /// `--` and the names and texts after it, never read as options.
    fn operands(&mut self, keys: &[&str]) -> Result<(), Failed> {
        let values = keys
            .iter()
            .map(|k| self.need(k))
            .collect::<Result<Vec<_>, _>>()?;
        self.push(&["--"]);
        self.argv.extend(values);
        Ok(())
    }
}

/// The command line a tool call stands for: the subcommand, its options, then `--` and the
/// names and texts the agent gave, so that none of them is ever read as an option.
pub fn command_line(tool: &str, args: &Map<String, Value>) -> Result<Vec<String>, Failed> {
    let mut a = Args {
        tool,
        args,
        argv: Vec::new(),
    };
    match tool {
        "plans" if a.text("plan")?.is_some() => {
            a.push(&["show"]);
            a.operands(&["plan"])?;
        }
        "plans" => a.push(&["list"]),
        "check" | "progress" => {
            a.push(&[tool]);
            if a.text("plan")?.is_some() {
                a.operands(&["plan"])?;
            }
        }
        "graph" => {
            a.push(&["graph"]);
            a.operands(&["plan"])?;
        }
        "next" => {
            a.push(&["next"]);
            match args.get("limit") {
                None | Some(Value::Null) => {}
                Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n >= 1) => {
                    a.push(&["--limit", &n.to_string()]);
                }
                Some(_) => return Err(invalid("`limit` must be a whole number from 1")),
            }
        }
        "work" => {
            let action = a.need("action")?;
            a.push(&["work", &action]);
            match action.as_str() {
                "generate" => a.operands(&["plan"])?,
                "list" => a.options(&[("plan", "--plan")])?,
                "show" | "start" | "done" | "block" | "cancel" | "verify" => {
                    a.options(&[("reason", "--reason"), ("note", "--note")])?;
                    a.operands(&["id"])?;
                }
                "add" => {
                    a.options(&[("under", "--under")])?;
                    a.need("under")?;
                    a.operands(&["title"])?;
                }
                other => return Err(invalid(format!("no work action `{other}`"))),
            }
        }
        "log" => {
            a.push(&["log"]);
            a.options(&[("rationale", "--rationale"), ("evidence", "--evidence")])?;
            a.flag("open", "--open")?;
            a.operands(&["plan", "kind", "text"])?;
        }
        "new" => {
            a.push(&["new"]);
            let features = match args.get("features") {
                Some(Value::Array(f)) => f
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| invalid("`features` must be a list of names"))?,
                _ => return Err(invalid("`new` needs `features`, a list of names")),
            };
            for f in &features {
                a.push(&["--feature", f]);
            }
            a.options(&[("title", "--title"), ("template", "--template")])?;
            a.flag("roadmap", "--roadmap")?;
            a.operands(&["slug"])?;
        }
        other => return Err(invalid(format!("no tool `{other}`"))),
    }
    Ok(a.argv)
}

/// Every plan as a resource: `planwright://plan/<slug>`, its Markdown (or JSON) text.
fn resources(ws: &Workspace) -> Result<Value, Failed> {
    let rows = crate::plans::list(ws).map_err(|e| (-32603, e.to_string()))?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "uri": format!("planwright://plan/{}", r.plan),
                "name": r.plan,
                "title": r.title,
                "description": format!("{} ({}, {} steps)", r.file, r.status, r.steps),
                "mimeType": mime(&r.file),
            })
        })
        .collect();
    Ok(json!({ "resources": list }))
}

fn mime(file: &str) -> &'static str {
    if file.ends_with(".json") || file.ends_with(".jsonl") {
        "application/json"
    } else {
        "text/markdown"
    }
}

/// One plan's text, found among the plans by its name: nothing but a listed plan is read.
fn read_resource(ws: &Workspace, params: &Value) -> Result<Value, Failed> {
    let uri = params
        .get("uri")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("resources/read needs a `uri`"))?;
    let name = uri
        .strip_prefix("planwright://plan/")
        .ok_or_else(|| invalid(format!("`{uri}` is not a planwright plan")))?;
    let rows = crate::plans::list(ws).map_err(|e| (-32603, e.to_string()))?;
    let row = rows
        .iter()
        .find(|r| r.plan == name)
        .ok_or_else(|| (-32002, format!("no plan `{name}`")))?;
    let path =
        crate::confine::resolve_rel(&ws.root, &row.file).map_err(|e| (-32603, e.to_string()))?;
    let text =
        std::fs::read_to_string(&path).map_err(|e| (-32603, format!("{}: {e}", row.file)))?;
    Ok(json!({ "contents": [{ "uri": uri, "mimeType": mime(&row.file), "text": text }] }))
}
