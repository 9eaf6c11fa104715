//! `planwright lsp`: a language server over stdio, for editors.
//!
//! Diagnostics come from the same check as `planwright check` — each open plan's buffer on
//! open and on every change, the repository-level rules (stale views, roadmap status) on save.
//! Navigation (definition, references, hover, symbols), completion and code actions read the
//! same model the rules read. Positions are UTF-16, as the protocol requires.
//!
//! The transport is the protocol's: JSON-RPC 2.0 messages, each after a `Content-Length`
//! header, on standard input and output. Documents are synchronised incrementally (a change
//! replaces a range; one without a range replaces the whole text).

use crate::check::{self, Finding};
use crate::discover::{Matcher, Target};
use crate::error::Error;
use crate::workspace::Workspace;
use planwright_core::model::{Plan, Step};
use planwright_core::{KindHint, LineIndex};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

mod protocol;

use protocol::{capabilities, diagnostic, offset_of, path_to_uri, range, uri_to_path};
pub use protocol::{read_message, write_message};

/// The rules whose findings need the whole repository: refreshed on save.
const REPO_RULES: [&str; 3] = [
    planwright_core::rules::stale_index::NAME,
    planwright_core::rules::stale_backreference::NAME,
    planwright_core::rules::roadmap_status_mismatch::NAME,
];

/// An open document.
struct Doc {
    /// Its path from the root, when it is inside the root.
    rel: Option<String>,
    text: String,
}

/// The server's state.
struct Server<'a> {
    ws: &'a Workspace,
    matcher: Matcher,
    /// The root as the file system spells it, for turning URIs into paths.
    real_root: PathBuf,
    docs: HashMap<String, Doc>,
    /// The repository-level findings of the last save, by file.
    repo: BTreeMap<String, Vec<Finding>>,
    shutdown: bool,
}

/// Serves the protocol on `input`/`output` until `exit` or the end of the input.
pub fn serve(ws: &Workspace, input: &mut dyn BufRead, output: &mut dyn Write) -> Result<(), Error> {
    let mut s = Server {
        ws,
        matcher: Matcher::new(&ws.config)?,
        real_root: ws.root.canonicalize().unwrap_or_else(|_| ws.root.clone()),
        docs: HashMap::new(),
        repo: BTreeMap::new(),
        shutdown: false,
    };
    s.refresh_repo();
    let io = |e: io::Error| Error::io("<stdio>", e);
    while let Some(msg) = read_message(input).map_err(io)? {
        let method = msg.get("method").and_then(Value::as_str).unwrap_or("");
        if method == "exit" {
            break;
        }
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        let (reply, notes) = s.handle(method, &params);
        if let Some(id) = msg.get("id").filter(|_| !method.is_empty()) {
            let reply = match reply {
                Ok(r) => json!({ "jsonrpc": "2.0", "id": id, "result": r }),
                Err((code, message)) => json!({
                    "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message }
                }),
            };
            write_message(output, &reply).map_err(io)?;
        }
        for n in notes {
            write_message(output, &n).map_err(io)?;
        }
    }
    Ok(())
}

type Reply = Result<Value, (i64, String)>;

impl Server<'_> {
    /// A method's result and the notifications it sends.
    fn handle(&mut self, method: &str, params: &Value) -> (Reply, Vec<Value>) {
        if self.shutdown && method != "exit" {
            return (
                Err((-32600, "the server is shutting down".into())),
                Vec::new(),
            );
        }
        let uri = params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        match method {
            "initialize" => (Ok(capabilities()), Vec::new()),
            "shutdown" => {
                self.shutdown = true;
                (Ok(Value::Null), Vec::new())
            }
            "textDocument/didOpen" => {
                let text = params
                    .pointer("/textDocument/text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let rel = self.rel_of(&uri);
                self.docs.insert(uri.clone(), Doc { rel, text });
                (Ok(Value::Null), vec![self.publish(&uri)])
            }
            "textDocument/didChange" => {
                // Incremental sync: each change replaces a range, or the whole text when it
                // names none; in order.
                if let Some(d) = self.docs.get_mut(&uri) {
                    for c in params
                        .get("contentChanges")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let Some(text) = c.get("text").and_then(Value::as_str) else {
                            continue;
                        };
                        match (c.pointer("/range/start"), c.pointer("/range/end")) {
                            (Some(a), Some(b)) => {
                                let (a, b) = (offset_of(&d.text, a), offset_of(&d.text, b));
                                d.text.replace_range(a.min(b)..b.max(a), text);
                            }
                            _ => d.text = text.to_owned(),
                        }
                    }
                }
                (Ok(Value::Null), vec![self.publish(&uri)])
            }
            "textDocument/didSave" => {
                let before: Vec<String> = self.repo.keys().cloned().collect();
                self.refresh_repo();
                let mut notes: Vec<Value> = self.docs.keys().map(|u| self.publish(u)).collect();
                // Files whose repository-level findings appeared or went away, open or not.
                let open: Vec<Option<String>> = self.docs.values().map(|d| d.rel.clone()).collect();
                for rel in before.iter().chain(self.repo.keys()) {
                    if !open.contains(&Some(rel.clone())) {
                        notes.push(self.publish_closed(rel));
                    }
                }
                (Ok(Value::Null), notes)
            }
            "textDocument/didClose" => {
                self.docs.remove(&uri);
                (
                    Ok(Value::Null),
                    vec![json!({
                        "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                        "params": { "uri": uri, "diagnostics": [] }
                    })],
                )
            }
            "textDocument/definition" => (Ok(self.definition(&uri, params)), Vec::new()),
            "textDocument/references" => (Ok(self.references(&uri, params)), Vec::new()),
            "textDocument/hover" => (Ok(self.hover(&uri, params)), Vec::new()),
            "textDocument/completion" => (Ok(self.completion(&uri, params)), Vec::new()),
            "textDocument/codeAction" => (Ok(self.code_actions(&uri, params)), Vec::new()),
            "textDocument/documentSymbol" => (Ok(self.symbols(&uri)), Vec::new()),
            m if m.starts_with("$/") || m == "initialized" || m.is_empty() => {
                (Ok(Value::Null), Vec::new())
            }
            m => (Err((-32601, format!("no method `{m}`"))), Vec::new()),
        }
    }

    /// The root-relative path of a `file://` URI inside the root.
    fn rel_of(&self, uri: &str) -> Option<String> {
        let path = PathBuf::from(uri_to_path(uri)?);
        let path = path.canonicalize().unwrap_or(path);
        let rel = path
            .strip_prefix(&self.real_root)
            .or_else(|_| path.strip_prefix(&self.ws.root))
            .ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    fn uri_of(&self, rel: &str) -> String {
        path_to_uri(&self.real_root.join(rel))
    }

    /// The repository-level findings, from a check of the files on disk through the
    /// repository's cache, the one `planwright check` keeps: a save reads again only what
    /// changed since the last check, the editor's or the command line's.
    fn refresh_repo(&mut self) {
        let report = check::run_workspace(self.ws, &self.matcher, false);
        self.repo.clear();
        for f in report.findings().filter(|f| REPO_RULES.contains(&f.rule)) {
            self.repo.entry(f.file.clone()).or_default().push(f.clone());
        }
    }

    /// The buffer's findings: its own, from the rules, and the repository's for its file.
    fn findings(&self, doc: &Doc) -> Vec<Finding> {
        let Some(rel) = &doc.rel else {
            return Vec::new();
        };
        let Some(hint) = self.matcher.hint(rel) else {
            return self.repo.get(rel).cloned().unwrap_or_default();
        };
        let target = Target {
            abs: self.ws.root.join(rel),
            rel: rel.clone(),
            hint,
        };
        let env = crate::fsenv::FsEnv::new(self.ws.root.clone());
        let mut out =
            check::check_one(doc.text.as_bytes(), &target, &self.ws.config, &env, false).findings;
        out.retain(|f| !REPO_RULES.contains(&f.rule));
        out.extend(self.repo.get(rel).cloned().unwrap_or_default());
        out
    }

    fn publish(&self, uri: &str) -> Value {
        let diagnostics: Vec<Value> = self.docs.get(uri).map_or_else(Vec::new, |d| {
            let idx = LineIndex::new(&d.text);
            self.findings(d)
                .iter()
                .map(|f| diagnostic(&d.text, &idx, f))
                .collect()
        });
        json!({
            "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
            "params": { "uri": uri, "diagnostics": diagnostics }
        })
    }

    /// The repository-level findings of a file that is not open, against its text on disk.
    fn publish_closed(&self, rel: &str) -> Value {
        let text =
            crate::confine::read_to_string(&self.ws.root, Path::new(rel)).unwrap_or_default();
        let idx = LineIndex::new(&text);
        let diagnostics: Vec<Value> = self.repo.get(rel).map_or_else(Vec::new, |fs| {
            fs.iter().map(|f| diagnostic(&text, &idx, f)).collect()
        });
        json!({
            "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
            "params": { "uri": self.uri_of(rel), "diagnostics": diagnostics }
        })
    }

    /// The model of an open document, read as discovery would read its file.
    fn model(&self, d: &Doc) -> Plan {
        let hint = d
            .rel
            .as_deref()
            .and_then(|r| self.matcher.hint(r))
            .unwrap_or(KindHint::Plan);
        planwright_core::read(&d.text, hint)
    }

    /// The open document at `uri`, its model and the byte offset of the request's position.
    fn at(&self, uri: &str, params: &Value) -> Option<(&Doc, Plan, usize)> {
        let d = self.docs.get(uri)?;
        let plan = self.model(d);
        let offset = offset_of(&d.text, params.get("position")?);
        Some((d, plan, offset))
    }

    fn definition(&self, uri: &str, params: &Value) -> Value {
        let Some((d, plan, at)) = self.at(uri, params) else {
            return Value::Null;
        };
        if let Some(target) = ref_at(&plan, at).and_then(|id| step_by_id(&plan, id)) {
            return json!({ "uri": uri, "range": range(&d.text, target.heading.start, target.heading.end) });
        }
        // A link to a file of the repository: the file, from its top.
        let Some(rel) = &d.rel else {
            return Value::Null;
        };
        for l in plan
            .links
            .iter()
            .filter(|l| l.span.start <= at && at <= l.span.end)
        {
            let Some(path) = planwright_core::rules::link_path(rel, &l.target) else {
                continue;
            };
            let path = path.trim_end_matches('/').to_owned();
            let file = if self.ws.root.join(&path).is_dir() {
                format!("{path}/README.md")
            } else {
                path
            };
            if crate::confine::resolve_rel(&self.ws.root, &file).is_ok_and(|p| p.is_file()) {
                let start = json!({ "line": 0, "character": 0 });
                return json!({ "uri": self.uri_of(&file), "range": { "start": start, "end": start } });
            }
        }
        Value::Null
    }

    fn references(&self, uri: &str, params: &Value) -> Value {
        let Some((d, plan, at)) = self.at(uri, params) else {
            return Value::Null;
        };
        // On a step's heading, or on a reference to it.
        let id = plan
            .steps
            .iter()
            .find(|s| s.heading.start <= at && at <= s.heading.end)
            .map(|s| s.id.to_string())
            .or_else(|| ref_at(&plan, at).map(str::to_owned));
        let Some(id) = id else {
            return json!([]);
        };
        let mut out = Vec::new();
        let declaration = params
            .pointer("/context/includeDeclaration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if declaration && let Some(s) = step_by_id(&plan, &id) {
            out.push(
                json!({ "uri": uri, "range": range(&d.text, s.heading.start, s.heading.end) }),
            );
        }
        for s in &plan.steps {
            for r in s.depends_on.iter().flat_map(|d| &d.refs) {
                if *r.id == *id {
                    out.push(
                        json!({ "uri": uri, "range": range(&d.text, r.span.start, r.span.end) }),
                    );
                }
            }
        }
        Value::Array(out)
    }

    fn hover(&self, uri: &str, params: &Value) -> Value {
        let Some((d, plan, at)) = self.at(uri, params) else {
            return Value::Null;
        };
        let Some(id) = ref_at(&plan, at) else {
            return Value::Null;
        };
        let Some(step) = step_by_id(&plan, id) else {
            return Value::Null;
        };
        let mut md = format!("**Step {}. {}**", step.id, step.title.value);
        if let Some(slug) = d.rel.as_deref().and_then(planwright_core::text::slug_of) {
            let store = crate::work::Store::new(&self.ws.root, &self.ws.config);
            match store.get(&format!("{slug}#{}", step.id)) {
                Ok(item) => md.push_str(&format!("\n\nWork item: {}", item.status.as_str())),
                Err(_) => md.push_str("\n\nNo work item yet."),
            }
        }
        let produces: Vec<&str> = step
            .field("produces")
            .map(|f| {
                f.entries()
                    .iter()
                    .map(|e| e.span.text(&d.text).trim())
                    .collect()
            })
            .unwrap_or_default();
        if !produces.is_empty() {
            md.push_str("\n\nProduces:");
            for p in produces {
                md.push_str(&format!("\n- {p}"));
            }
        }
        json!({ "contents": { "kind": "markdown", "value": md } })
    }

    fn completion(&self, uri: &str, params: &Value) -> Value {
        let Some(d) = self.docs.get(uri) else {
            return json!([]);
        };
        let Some(pos) = params.get("position") else {
            return json!([]);
        };
        let at = offset_of(&d.text, pos);
        let start = d.text[..at].rfind('\n').map_or(0, |n| n + 1);
        let line = &d.text[start..at];
        let item = |label: &str, detail: &str, kind: u8| json!({ "label": label, "detail": detail, "kind": kind });
        if d.rel.as_deref() == Some("planwright.toml") {
            // Rule names, in the [rules] table.
            let in_rules = d.text[..at]
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with('['))
                .is_some_and(|l| l.trim() == "[rules]");
            if !in_rules {
                return json!([]);
            }
            let items: Vec<Value> = planwright_core::rules::RULES
                .iter()
                .map(|r| item(r.name, &format!("default: {}", r.default_severity), 12))
                .collect();
            return Value::Array(items);
        }
        if line.contains("**Depends on:**") {
            let plan = self.model(d);
            let mine = plan
                .steps
                .iter()
                .rposition(|s| s.heading.start <= at)
                .map(|k| plan.steps[k].id.to_string());
            let items: Vec<Value> = plan
                .steps
                .iter()
                .filter(|s| Some(s.id.to_string()) != mine)
                .map(|s| item(&format!("Step {}", s.id), &s.title.value, 18))
                .collect();
            return Value::Array(items);
        }
        if line.trim_start().starts_with("**Status:**") {
            let items: Vec<Value> = ["draft", "in_review", "approved", "superseded"]
                .iter()
                .map(|w| item(w, "plan status", 12))
                .collect();
            return Value::Array(items);
        }
        if line.ends_with("](") {
            // Feature links, relative to this plan's folder.
            let depth = d.rel.as_deref().map_or(0, |r| r.matches('/').count());
            let up = "../".repeat(depth);
            let mut items = Vec::new();
            if let Ok(rd) = std::fs::read_dir(self.ws.root.join("spec/features")) {
                let mut names: Vec<String> = rd
                    .flatten()
                    .filter(|e| e.path().join("README.md").is_file())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect();
                names.sort();
                for n in names {
                    items.push(item(
                        &format!("{up}spec/features/{n}/README.md"),
                        &format!("feature {n}"),
                        17,
                    ));
                }
            }
            return Value::Array(items);
        }
        json!([])
    }

    fn code_actions(&self, uri: &str, params: &Value) -> Value {
        let Some(d) = self.docs.get(uri) else {
            return json!([]);
        };
        let from = params
            .pointer("/range/start")
            .map_or(0, |p| offset_of(&d.text, p));
        let to = params
            .pointer("/range/end")
            .map_or(d.text.len(), |p| offset_of(&d.text, p));
        let plan = self.model(d);
        let idx = LineIndex::new(&d.text);
        let mut out = Vec::new();
        // Findings on the lines of the range (a cursor is a range of one line).
        let line = |at: usize| d.text[..at.min(d.text.len())].matches('\n').count();
        let (first, last) = (line(from), line(to.max(from)));
        for f in self.findings(d) {
            if line(f.end.max(f.start)) < first || line(f.start) > last {
                continue;
            }
            let Some((title, edits)) = fix(&d.text, &plan, &f) else {
                continue;
            };
            let edits: Vec<Value> = edits
                .into_iter()
                .map(|(s, e, new)| json!({ "range": range(&d.text, s, e), "newText": new }))
                .collect();
            out.push(json!({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [diagnostic(&d.text, &idx, &f)],
                "edit": { "changes": { uri: edits } }
            }));
        }
        Value::Array(out)
    }

    fn symbols(&self, uri: &str) -> Value {
        let Some(d) = self.docs.get(uri) else {
            return json!([]);
        };
        let plan = self.model(d);
        let symbol = |s: &Step| {
            json!({
                "name": format!("{}. {}", s.id, s.title.value),
                "kind": 12,
                "range": range(&d.text, s.span.start, s.span.end.max(s.heading.end)),
                "selectionRange": range(&d.text, s.heading.start, s.heading.end),
                "children": []
            })
        };
        let mut top: Vec<Value> = Vec::new();
        let mut index_of: HashMap<usize, usize> = HashMap::new();
        for (k, s) in plan.steps.iter().enumerate() {
            match s.parent.and_then(|p| index_of.get(&p).copied()) {
                Some(t) => {
                    if let Some(c) = top[t]["children"].as_array_mut() {
                        c.push(symbol(s));
                    }
                }
                None => {
                    index_of.insert(k, top.len());
                    top.push(symbol(s));
                }
            }
        }
        Value::Array(top)
    }
}

/// The step id of the dependency reference at `at`.
fn ref_at(plan: &Plan, at: usize) -> Option<&str> {
    plan.steps
        .iter()
        .flat_map(|s| s.depends_on.iter().flat_map(|d| &d.refs))
        .find(|r| r.span.start <= at && at <= r.span.end)
        .map(|r| &*r.id)
}

fn step_by_id<'p>(plan: &'p Plan, id: &str) -> Option<&'p Step> {
    plan.steps.iter().find(|s| *s.id == *id)
}

/// A byte-range edit: start, end, new text.
type Splice = (usize, usize, String);

/// A fix for a finding of a fixable rule: its title and byte-range edits.
fn fix(text: &str, plan: &Plan, f: &Finding) -> Option<(String, Vec<Splice>)> {
    use planwright_core::rules::{missing_field, missing_living_section, order_violation};
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |n| at + n);
    match f.rule {
        r if r == missing_field::NAME => {
            let example = f.help.as_deref()?.split_once(":\n")?.1.to_owned();
            // Under the title, after the header fields already there.
            let after = plan
                .fields
                .last()
                .map(|x| line_end(x.span.end.saturating_sub(1).max(x.span.start)))
                .or_else(|| plan.title.as_ref().map(|t| line_end(t.span.end)))?;
            let sep = if plan.fields.is_empty() { "\n\n" } else { "\n" };
            Some((
                format!("Add {}", example.lines().next().unwrap_or("the field")),
                vec![(after, after, format!("{sep}{example}"))],
            ))
        }
        r if r == missing_living_section::NAME => {
            let name = f
                .message
                .split("`## ")
                .nth(1)?
                .split('`')
                .next()?
                .to_owned();
            let end = text.len();
            let sep = if text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            Some((
                format!("Add the `## {name}` section"),
                vec![(end, end, format!("{sep}## {name}\n\nNone yet.\n"))],
            ))
        }
        r if r == order_violation::NAME => {
            // "move step L before step S": the later step's whole section, moved.
            let help = f.help.as_deref()?;
            let rest = help.strip_prefix("move step ")?;
            let (later, rest) = rest.split_once(" before step ")?;
            let step: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ';' && *c != '(')
                .collect();
            let l = step_by_id(plan, later)?;
            let s = step_by_id(plan, &step)?;
            let (ls, le) = (l.heading.start, l.span.end.max(l.heading.end));
            if ls <= s.heading.start {
                return None;
            }
            let mut moved = text[ls..le].to_owned();
            if !moved.ends_with('\n') {
                moved.push('\n');
            }
            if !moved.ends_with("\n\n") {
                moved.push('\n');
            }
            Some((
                format!("Move step {later} before step {step}"),
                vec![
                    (s.heading.start, s.heading.start, moved),
                    (ls, le, String::new()),
                ],
            ))
        }
        _ => None,
    }
}
