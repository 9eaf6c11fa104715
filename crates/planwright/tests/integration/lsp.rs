//! `planwright lsp` end to end: a scripted client spawns the server and speaks the protocol
//! over its stdin and stdout — initialize, didOpen, didChange, definition, hover, completion,
//! codeAction, shutdown.

use planwright::lsp::{read_message, write_message};
use serde_json::{Value, json};
use std::io::BufReader;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next: i64,
    /// Notifications received while waiting for responses.
    notes: Vec<Value>,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planwright"))
            .arg("--root")
            .arg(root)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Client {
            child,
            stdin,
            stdout,
            next: 1,
            notes: Vec::new(),
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        write_message(
            &mut self.stdin,
            &json!({ "jsonrpc": "2.0", "method": method, "params": params }),
        )
        .expect("send");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        write_message(
            &mut self.stdin,
            &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
        )
        .expect("send");
        loop {
            let msg = read_message(&mut self.stdout)
                .expect("read")
                .expect("a reply before the end");
            if msg.get("id") == Some(&json!(id)) {
                assert!(msg.get("error").is_none(), "{method}: {msg}");
                return msg["result"].clone();
            }
            self.notes.push(msg);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            if let Some(k) = self
                .notes
                .iter()
                .position(|n| n["method"] == "textDocument/publishDiagnostics")
            {
                let n = self.notes.remove(k);
                if n["params"]["uri"] == uri {
                    return n["params"]["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                }
                continue;
            }
            let msg = read_message(&mut self.stdout)
                .expect("read")
                .expect("diagnostics before the end");
            self.notes.push(msg);
        }
    }
}

fn uri(root: &Path, rel: &str) -> String {
    let abs = root.canonicalize().expect("root").join(rel);
    format!("file://{}", abs.display())
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// `text` with LSP text edits applied.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().expect("line") as usize;
        let ch = p["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start
            + text[start..]
                .chars()
                .take(ch)
                .map(char::len_utf8)
                .sum::<usize>()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = text.to_owned();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

/// The position of the first `needle` in `text`.
fn pos(text: &str, needle: &str) -> Value {
    let at = text.find(needle).expect("needle");
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    json!({ "line": line, "character": text[start..at].chars().count() })
}

#[test]
fn a_scripted_client_gets_what_a_reader_expects() {
    let root = crate::lifecycle::shop("lsp");
    let mut c = Client::start(&root);
    let init = c.request(
        "initialize",
        json!({ "processId": null, "rootUri": uri(&root, ""), "capabilities": {} }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    c.notify("initialized", json!({}));

    // An approved plan opens clean; an edit to its frozen content shows at once.
    let plan = "spec/plans/add-batch-mode/README.md";
    let text = std::fs::read_to_string(root.join(plan)).expect("read");
    let u = uri(&root, plan);
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": u, "languageId": "markdown", "version": 1, "text": text } }),
    );
    assert_eq!(codes(&c.diagnostics(&u)), Vec::<String>::new());
    let edited = text.replace("a streaming reader", "a reader");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 2 }, "contentChanges": [{ "text": edited }] }),
    );
    let d = c.diagnostics(&u);
    assert!(
        codes(&d).contains(&"frozen-plan-modified".to_owned()),
        "{d:?}"
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 3 }, "contentChanges": [{ "text": text }] }),
    );
    assert!(c.diagnostics(&u).is_empty());
    // An edit of a range: "streaming " deleted (the frozen change), then typed back.
    let at = pos(&text, "streaming reader");
    let col = at["character"].as_u64().expect("ch");
    let end = json!({ "line": at["line"], "character": col + 10 });
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 4 },
                "contentChanges": [{ "range": { "start": at, "end": end }, "text": "" }] }),
    );
    assert!(codes(&c.diagnostics(&u)).contains(&"frozen-plan-modified".to_owned()));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": 5 },
                "contentChanges": [{ "range": { "start": at, "end": at }, "text": "streaming " }] }),
    );
    assert!(c.diagnostics(&u).is_empty(), "back to the approved text");

    // Definition, references and hover of `Step 1` in step 2's Depends on line.
    let at = pos(&text, "Step 1\n**Produces:**\n- `src/batch.rs`");
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": u }, "position": at }),
    );
    assert_eq!(def["uri"], u);
    assert_eq!(def["range"]["start"], pos(&text, "### 1. Define"));
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": u }, "position": at }),
    );
    let md = hover["contents"]["value"].as_str().expect("hover");
    assert!(
        md.contains("**Step 1. Define the batch input format**"),
        "{md}"
    );
    assert!(md.contains("`docs/batch-format.md`"), "{md}");
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": u }, "position": pos(&text, "### 1. Define"),
                "context": { "includeDeclaration": false } }),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(1), "{refs}");
    // A feature link goes to the feature spec.
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": u }, "position": pos(&text, "cli](") }),
    );
    assert_eq!(def["uri"], uri(&root, "spec/features/cli/README.md"));
    // The outline is the steps, sub-steps under their step.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": u } }),
    );
    assert_eq!(symbols[0]["name"], "1. Define the batch input format");
    assert_eq!(symbols[1]["children"][0]["name"], "2.1. Stream large files");

    // Completion: step references on a Depends on line, status words after Status.
    let dep_line = pos(&text, "**Depends on:** Step 2");
    let at = json!({ "line": dep_line["line"], "character": 16 });
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": u }, "position": at }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"Step 1") && labels.contains(&"Step 2.1"),
        "{labels:?}"
    );
    assert!(
        !labels.contains(&"Step 3"),
        "not the step itself: {labels:?}"
    );

    // A draft with an order violation: the quick fix moves the later step up.
    let draft = "spec/plans/search-index/README.md";
    let text = std::fs::read_to_string(root.join(draft))
        .expect("read")
        .replacen("**Depends on:** (none)", "**Depends on:** Step 2", 1)
        .replacen("**Depends on:** Step 1", "**Depends on:** (none)", 1);
    let du = uri(&root, draft);
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": du, "languageId": "markdown", "version": 1, "text": text } }),
    );
    let d = c.diagnostics(&du);
    assert!(codes(&d).contains(&"order-violation".to_owned()), "{d:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": du },
                "range": { "start": { "line": 0, "character": 0 }, "end": pos(&text, "## Outstanding") },
                "context": { "diagnostics": d } }),
    );
    let fix = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Move step 2 before step 1")
        .unwrap_or_else(|| panic!("{actions}"));
    let fixed = apply(
        &text,
        fix["edit"]["changes"][&du].as_array().expect("edits"),
    );
    assert!(
        fixed.find("### 2. Incremental") < fixed.find("### 1. Nightly"),
        "{fixed}"
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": du, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let d = c.diagnostics(&du);
    assert!(!codes(&d).contains(&"order-violation".to_owned()), "{d:?}");

    // A missing field: inserted under the title.
    let text = fixed.replace("**Author:** @kim\n", "");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": du, "version": 3 }, "contentChanges": [{ "text": text }] }),
    );
    let d = c.diagnostics(&du);
    assert!(codes(&d).contains(&"missing-field".to_owned()), "{d:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": du },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": d } }),
    );
    let fix = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Add **Author:** @name")
        .unwrap_or_else(|| panic!("{actions}"));
    let fixed = apply(
        &text,
        fix["edit"]["changes"][&du].as_array().expect("edits"),
    );
    assert!(
        fixed.contains("**Created:** 2026-04-10\n**Author:** @name\n"),
        "{fixed}"
    );

    // On save, the repository-level rules: the index no longer matches the saved plan.
    std::fs::write(
        root.join(draft),
        fixed.replace("**Status:** in_review", "**Status:** draft"),
    )
    .expect("write");
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": du } }),
    );
    let index = uri(&root, "spec/plans/README.md");
    let d = c.diagnostics(&index);
    assert!(codes(&d).contains(&"stale-index".to_owned()), "{d:?}");
    // The editor's check went through the cache `planwright check` keeps (and leaves it for
    // the next check, the editor's or the command line's).
    assert!(
        root.join(planwright::check::CACHE_PATH).is_file(),
        "the save's check keeps no cache"
    );

    // Rule names complete in planwright.toml's [rules] table.
    let toml = uri(&root, "planwright.toml");
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": toml, "languageId": "toml", "version": 1, "text": "[rules]\n" } }),
    );
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": toml }, "position": { "line": 1, "character": 0 } }),
    );
    assert!(
        items
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["label"] == "external-link"),
        "{items}"
    );

    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().expect("exit");
    assert!(status.success());
}
