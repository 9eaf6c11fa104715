//! `planwright mcp` driven as an agent drives it: the official MCP SDK's client (rmcp)
//! spawns the server over stdio and works through a plan — list plans, check, generate work,
//! next, start an item, log a decision, a refused call, verify and done.

use crate::lifecycle::{done, shop};
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult, ReadResourceRequestParams};
use serde_json::{Value, json};

/// The tool set's `tools/list` payload, counted as bytes / 4.
#[test]
fn the_tool_list_is_small_and_snapshotted() {
    let tools = planwright::mcp::tools();
    assert!(tools.len() <= 8, "{} tools", tools.len());
    let payload = serde_json::to_string(&json!({ "tools": tools })).expect("json");
    let tokens = payload.len() / 4;
    assert!(
        tokens <= 3000,
        "tools/list is {tokens} tokens ({} bytes)",
        payload.len()
    );
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(
            "mcp_tools_list",
            format!("{} bytes, {tokens} tokens\n{}", payload.len(), serde_json::to_string_pretty(&tools).expect("json"))
        );
    });
}

#[test]
fn tool_arguments_never_become_options() {
    let args = |v: Value| v.as_object().cloned().expect("object");
    let line = planwright::mcp::command_line("check", &args(json!({ "plan": "--deny-warnings" })))
        .expect("a command line");
    assert_eq!(line, ["check", "--", "--deny-warnings"]);
    let line = planwright::mcp::command_line(
        "log",
        &args(json!({ "plan": "p", "kind": "decision", "text": "-x", "rationale": "r" })),
    )
    .expect("a command line");
    assert_eq!(
        line,
        ["log", "--rationale", "r", "--", "p", "decision", "-x"]
    );
    // No tool reaches `run`, or the trust gate's override.
    for tool in ["run", "approve", "submit"] {
        assert!(
            planwright::mcp::command_line(tool, &args(json!({}))).is_err(),
            "{tool}"
        );
    }
    let verify = planwright::mcp::command_line(
        "work",
        &args(json!({ "action": "verify", "id": "p#1", "allow_unapproved": true })),
    )
    .expect("a command line");
    assert!(!verify.iter().any(|a| a.contains("allow")), "{verify:?}");
}

/// The structured JSON a tool returned, and whether it was an error.
fn result(r: &CallToolResult) -> (Value, bool) {
    let v = serde_json::to_value(r).expect("json");
    (v["structuredContent"].clone(), v["isError"] == true)
}

#[test]
fn an_agent_works_through_a_plan_over_stdio() {
    let dir = shop("mcp-agent");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_planwright"));
        cmd.arg("mcp").current_dir(&dir);
        let transport = rmcp::transport::TokioChildProcess::new(cmd).expect("spawn");
        let client = ().serve(transport).await.expect("initialize");
        let info = client.peer_info().expect("server info");
        assert_eq!(
            info.server_info.as_ref().map(|i| i.name.as_str()),
            Some("planwright")
        );

        let tools = client.list_all_tools().await.expect("tools/list");
        let names: Vec<&str> = tools.iter().map(|t| &*t.name).collect();
        assert_eq!(names, ["plans", "check", "graph", "next", "progress", "work", "log", "new"]);

        let call = |name: &'static str, args: Value| {
            let params = CallToolRequestParams::new(name)
                .with_arguments(args.as_object().cloned().expect("object"));
            let client = &client;
            async move { result(&client.call_tool(params).await.expect("tools/call")) }
        };
        // The same JSON as the command it mirrors.
        let (plans, failed) = call("plans", json!({})).await;
        assert!(!failed);
        let cli: Value = serde_json::from_str(&done(&dir, &["list", "--format", "json"])).expect("json");
        assert_eq!(plans, cli);
        assert!(plans["plans"].as_array().expect("rows").iter().any(|r| r["plan"] == "add-batch-mode"));

        let (check, failed) = call("check", json!({ "plan": "add-batch-mode" })).await;
        assert!(!failed, "{check}");
        assert_eq!(check["summary"]["errors"], 0, "{check}");

        let (made, failed) = call("work", json!({ "action": "generate", "plan": "add-batch-mode" })).await;
        assert!(!failed, "{made}");
        let (next, _) = call("next", json!({ "limit": 3 })).await;
        assert_eq!(next["items"][0]["id"], "add-batch-mode#1", "{next}");

        let (item, _) = call("work", json!({ "action": "start", "id": "add-batch-mode#1" })).await;
        assert_eq!(item["status"], "in_progress", "{item}");

        let (logged, failed) = call(
            "log",
            json!({ "plan": "add-batch-mode", "kind": "decision", "text": "CSV first", "rationale": "What users send" }),
        )
        .await;
        assert!(!failed, "{logged}");
        let plan = std::fs::read_to_string(dir.join("spec/plans/add-batch-mode/README.md")).expect("read");
        assert!(plan.contains("- Decision: CSV first\n  Rationale: What users send"), "{plan}");

        // Done before its verification passed: refused, as the command refuses it.
        let (refusal, failed) = call("work", json!({ "action": "done", "id": "add-batch-mode#1" })).await;
        assert!(failed);
        assert_eq!(refusal["error"]["kind"], "refused", "{refusal}");
        let (missing, failed) = call("graph", json!({ "plan": "no-such-plan" })).await;
        assert!(failed);
        assert_eq!(missing["error"]["kind"], "not_found", "{missing}");

        // The step's Verify command (`test -f docs/batch-format.md`) passes once the work is done.
        std::fs::create_dir_all(dir.join("docs")).expect("mkdir");
        std::fs::write(dir.join("docs/batch-format.md"), "# Batch format\n").expect("write");
        let (verified, failed) = call("work", json!({ "action": "verify", "id": "add-batch-mode#1" })).await;
        assert!(!failed, "{verified}");
        assert_eq!(verified["verification"]["passed"], true, "{verified}");
        let (closed, failed) = call("work", json!({ "action": "done", "id": "add-batch-mode#1" })).await;
        assert!(!failed, "{closed}");
        assert_eq!(closed["status"], "done");

        // Plans are resources.
        let listed = client.list_all_resources().await.expect("resources/list");
        assert!(listed.iter().any(|r| r.uri == "planwright://plan/add-batch-mode"));
        let read = client
            .read_resource(ReadResourceRequestParams::new("planwright://plan/add-batch-mode"))
            .await
            .expect("resources/read");
        let text = serde_json::to_value(&read).expect("json")["contents"][0]["text"].clone();
        assert!(text.as_str().is_some_and(|t| t.starts_with("# Plan: Add batch mode")), "{text}");

        client.cancel().await.expect("shutdown");
    });
}
