//! `planwright serve` in a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`; `.ci/test` installs them when missing) opens the index,
//! follows the link to a plan, finds one graph node per step and the progress, and saves
//! screenshots under `target/screenshots/`. And the server's limits: loopback only, nothing
//! but its own pages.

use crate::lifecycle::{call, done, err};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One HTTP/1.1 request on its own connection: the status and the body (chunked or not).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    // Read by the headers: a server may keep the connection open after its reply.
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).expect("status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        r.read_line(&mut line).expect("header");
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line).expect("chunk size");
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).expect("chunk");
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body).expect("body");
    } else {
        r.read_to_end(&mut body).expect("body");
    }
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A WebDriver command's `value`.
fn wd(port: u16, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, text) = http(port, method, path, body.as_ref());
    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!(status, 200, "{method} {path}: {text}");
    v["value"].clone()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Kills the child when the test ends, passed or not.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn screenshot(port: u16, session: &str, name: &str) -> std::path::PathBuf {
    let png = base64(
        wd(port, "GET", &format!("/session/{session}/screenshot"), None)
            .as_str()
            .expect("png"),
    );
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let dir = crate::workspace().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join(name);
    std::fs::write(&path, png).expect("write");
    path
}

fn find_all(port: u16, session: &str, css: &str) -> Vec<String> {
    wd(
        port,
        "POST",
        &format!("/session/{session}/elements"),
        Some(json!({ "using": "css selector", "value": css })),
    )
    .as_array()
    .expect("elements")
    .iter()
    .filter_map(|e| e.as_object()?.values().next()?.as_str().map(str::to_owned))
    .collect()
}

#[test]
fn the_dashboard_in_headless_chromium() {
    for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: `bash .ci/test` installs Debian's chromium and chromium-driver"
        );
    }
    let root = crate::lifecycle::shop("serve-browser");
    done(&root, &["work", "generate", "add-batch-mode"]);
    done(&root, &["work", "done", "add-batch-mode#1", "--no-verify"]);
    done(&root, &["work", "start", "add-batch-mode#2"]);
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_planwright"))
            .arg("--root")
            .arg(&root)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("serve"),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the address");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("a loopback address")
        .to_owned();

    let port = free_port();
    let _driver = Killed(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                crate::workspace().join("target/chromedriver.log").display()
            ))
            .arg("--verbose")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver"),
    );
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A fresh profile outside the served repository.
    // (A path with `..` in it leaves chromedriver unable to find Chromium's DevTools port.)
    let profile = root
        .canonicalize()
        .expect("root")
        .with_extension("chromium-profile");
    let _ = std::fs::remove_dir_all(&profile);
    let session = wd(
        port,
        "POST",
        "/session",
        Some(
            json!({ "capabilities": { "alwaysMatch": { "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
        } } } }),
        ),
    );
    let id = session["sessionId"].as_str().expect("session").to_owned();
    let go = |path: &str| {
        wd(
            port,
            "POST",
            &format!("/session/{id}/url"),
            Some(json!({ "url": format!("{url}{}", path.trim_start_matches('/')) })),
        );
    };
    go("/");
    let title = wd(port, "GET", &format!("/session/{id}/title"), None);
    assert_eq!(title, "Plans — planwright");
    assert!(
        find_all(port, &id, "tbody tr").len() >= 10,
        "the index lists the plans"
    );
    let index_png = screenshot(port, &id, "dashboard-index.png");
    // Follow the link to a plan, as a person would.
    let links = find_all(port, &id, "a[href='/plan/add-batch-mode']");
    wd(
        port,
        "POST",
        &format!("/session/{id}/element/{}/click", links[0]),
        Some(json!({})),
    );
    let start = Instant::now();
    loop {
        let now = wd(port, "GET", &format!("/session/{id}/url"), None);
        if now
            .as_str()
            .is_some_and(|u| u.ends_with("/plan/add-batch-mode"))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "did not follow: {now}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // One node per step (1, 2, 2.1, 3), the done one marked, and the progress.
    assert_eq!(find_all(port, &id, "svg g.node").len(), 4);
    assert_eq!(
        find_all(port, &id, "svg g.node.done[data-step='1']").len(),
        1
    );
    assert_eq!(
        find_all(port, &id, "svg g.node.in_progress[data-step='2']").len(),
        1
    );
    let progress = find_all(port, &id, ".progress");
    let text = wd(
        port,
        "GET",
        &format!("/session/{id}/element/{}/text", progress[0]),
        None,
    );
    assert_eq!(
        text.as_str().map(str::trim),
        Some("1/3"),
        "as `progress` counts: {text}"
    );
    let plan_png = screenshot(port, &id, "dashboard-plan.png");
    wd(port, "DELETE", &format!("/session/{id}"), None);
    assert!(index_png.exists() && plan_png.exists());
}

#[test]
fn the_server_answers_loopback_only_and_serves_only_its_pages() {
    let root = crate::lifecycle::shop("serve-limits");
    // Any address but loopback is refused before anything listens.
    let o = call(&root, &["serve", "--bind", "0.0.0.0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not a loopback address"), "{}", err(&o));
    let ws = planwright::workspace::Workspace::open(Some(&root)).expect("workspace");
    let get = |path: &str, host: &str| planwright::serve::respond(&ws, "GET", path, host);
    let here = "127.0.0.1:8000";
    assert_eq!(get("/", here).status, 200);
    assert_eq!(get("/", "localhost:8000").status, 200);
    // Another site's page reaching the port through a rebound name is turned away.
    assert_eq!(get("/", "evil.example:8000").status, 403);
    assert_eq!(get("/plan/add-batch-mode", "evil.example").status, 403);
    // Plans by name only, never by path.
    for path in [
        "/plan/..%2F..%2F..%2Fetc%2Fpasswd",
        "/plan/../../etc/passwd",
        "/plan//etc/passwd",
        "/plan/spec/plans/add-batch-mode/README.md",
        "/planwright.toml",
        "/../Cargo.toml",
    ] {
        let r = get(path, here);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(!r.body.contains("root:"), "{path}");
    }
    assert_eq!(
        planwright::serve::respond(&ws, "POST", "/", here).status,
        405
    );
    let page = get("/plan/add-batch-mode", here);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<svg"),
        "the graph is drawn on the server"
    );
    for load in ["<script src", "<link ", "src=\"http", "url(http"] {
        assert!(
            !page.body.contains(load),
            "nothing from the network: {load}"
        );
    }
}
