//! `planwright lsp`: the time from a change to a 1 MB plan to its diagnostics, measured as a
//! client sees it — the server spawned, the plan opened, then each change sent and the clock
//! stopped when its `publishDiagnostics` arrives. The plan is generated under
//! `target/bench-lsp/` (about 2,600 steps with dependencies, criteria and Verify commands).
//!
//! `cargo bench -p planwright --bench lsp`. Target: ≤ 20 ms a change.

use planwright::lsp::{read_message, write_message};
use serde_json::json;
use std::fmt::Write as _;
use std::io::BufReader;
use std::process::{Command, Stdio};
use std::time::Instant;

fn plan() -> String {
    let mut s = "# Plan: Large\n\n**Status:** draft\n**Features:**\n- [f](../../features/f/README.md)\n**Source type:** feature\n**Source:** [spec](../../features/f/README.md)\n**Author:** @bench\n**Created:** 2026-12-03\n**Effort:** XL\n**Impact:** high\n\n## Context\n\nA large plan.\n\n## Acceptance criteria\n\n- It checks quickly\n\n## Steps\n\n".to_owned();
    let mut n = 0;
    while s.len() < 1_000_000 {
        n += 1;
        let dep = if n == 1 {
            "(none)".to_owned()
        } else {
            format!("Step {}", n - 1)
        };
        let _ = write!(
            s,
            "### {n}. Build part {n} of the system\n\nWrite the module for part {n} and its tests.\n\n**Depends on:** {dep}\n**Produces:**\n- `src/part_{n}.rs` — part {n}\n\n**Acceptance criteria:**\n- Part {n} answers within its budget\n\n**Verify:** `cargo test part_{n}`\n\n"
        );
    }
    s.push_str("## Risks and open decisions\n\n- None known.\n\n## Outstanding Questions\n\nNone at this time.\n");
    s
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-lsp");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("spec/plans/large")).expect("mkdir");
    std::fs::create_dir_all(root.join("spec/features/f")).expect("mkdir");
    std::fs::write(
        root.join("spec/features/f/README.md"),
        format!(
            "# Feature: f\n\n{}",
            "The feature, described at length.\n".repeat(40_000)
        ),
    )
    .expect("feature");
    let text = plan();
    let rel = "spec/plans/large/README.md";
    std::fs::write(root.join(rel), &text).expect("plan");
    let mut child = Command::new(env!("CARGO_BIN_EXE_planwright"))
        .arg("--root")
        .arg(&root)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("server");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let uri = format!(
        "file://{}",
        root.canonicalize().expect("root").join(rel).display()
    );
    let send = |stdin: &mut std::process::ChildStdin, v: serde_json::Value| {
        write_message(stdin, &v).expect("send");
    };
    let wait = |stdout: &mut BufReader<std::process::ChildStdout>| loop {
        let m = read_message(stdout).expect("read").expect("message");
        if m["method"] == "textDocument/publishDiagnostics" {
            return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        }
    };
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }),
    );
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } } }),
    );
    let first = wait(&mut stdout);
    println!(
        "plan: {:.2} MB, {} diagnostics on open",
        text.len() as f64 / 1e6,
        first
    );
    // The digit of step 2's "Step 1", typed over: alternately a finding (step 2 depends on
    // itself) and none. Once as the whole text, once as the range an editor sends.
    let at = text.find("**Depends on:** Step 1\n").expect("step 2") + "**Depends on:** Step ".len();
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |n| n + 1);
    let mut report = |label: &str, whole: bool| {
        let mut times = Vec::new();
        for v in 0..30 {
            let digit = if v % 2 == 0 { "2" } else { "1" };
            let change = if whole {
                let mut t = text.clone();
                t.replace_range(at..at + 1, digit);
                json!({ "text": t })
            } else {
                json!({ "range": { "start": { "line": line, "character": col },
                                   "end": { "line": line, "character": col + 1 } },
                        "text": digit })
            };
            let t = Instant::now();
            send(
                &mut stdin,
                json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": { "uri": uri, "version": v + 2 },
                    "contentChanges": [change] } }),
            );
            wait(&mut stdout);
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "change → diagnostics, {label}: median {:.1} ms, best {:.1} ms, worst {:.1} ms (target ≤ 20 ms)",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    };
    report("the whole text", true);
    report("a range", false);
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }),
    );
    send(&mut stdin, json!({ "jsonrpc": "2.0", "method": "exit" }));
    let _ = child.wait();
}
