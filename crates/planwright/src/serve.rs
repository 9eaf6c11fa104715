//! `planwright serve`: a local, read-only dashboard over the same services as the command
//! line — the plans index with status, effort, impact, progress and findings; roadmaps as a
//! tree with their derived status; a page per plan with its Markdown, its dependency graph as
//! SVG, the progress of each step and its findings; What's Next. Pages reload themselves when
//! a plan or work item changes.
//!
//! Each connection has a thread of its own. It binds to a loopback address only, answers only requests addressed to one (a page of
//! another site cannot reach it through DNS rebinding), serves only pages it renders —
//! never a file by path — and names plans only as `planwright list` finds them.

use crate::error::Error;
use crate::render::html::{self, escape};
use crate::workspace::Workspace;
use planwright_core::model::Status;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// Opens the listener: `addr` must be a loopback address (`127.0.0.1`, `::1`); port 0 takes
/// a free one.
pub fn bind(addr: IpAddr, port: u16) -> Result<TcpListener, Error> {
    if !addr.is_loopback() {
        return Err(crate::error::refused(format!(
            "`{addr}` is not a loopback address: the dashboard serves this machine only\n  help: use --bind 127.0.0.1 (the default) or --bind ::1"
        )));
    }
    TcpListener::bind(SocketAddr::new(addr, port))
        .map_err(|e| Error::io(format!("{addr}:{port}"), e))
}

/// Answers requests on `listener`, each connection on a thread of its own (a browser opens
/// connections it may never use), until the process is stopped.
pub fn serve(ws: &Workspace, listener: &TcpListener) -> Result<(), Error> {
    std::thread::scope(|scope| {
        for stream in listener.incoming() {
            let Ok(stream) = stream else {
                continue;
            };
            // A client that stalls holds only its own thread, and not for long.
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            scope.spawn(move || {
                let _ = handle(ws, stream);
            });
        }
    });
    Ok(())
}

/// A response: status line, content type, body.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.to_owned(),
    }
}

fn handle(ws: &Workspace, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut host = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("host")
        {
            host = v.trim().to_owned();
        }
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let r = respond(ws, method, target, &host);
    let reason = match r.status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    };
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:\r\nConnection: close\r\n\r\n",
        r.status,
        r.content_type,
        r.body.len()
    )?;
    if method != "HEAD" {
        out.write_all(r.body.as_bytes())?;
    }
    out.flush()
}

/// Is `host` (a Host header) this machine's loopback?
fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The response to one request.
pub fn respond(ws: &Workspace, method: &str, target: &str, host: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return text(405, "read-only: GET only\n");
    }
    if !loopback_host(host) {
        return text(
            403,
            "this dashboard answers requests to a loopback address only\n",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let result = match path {
        "/" => index(ws).map(|b| (b, "text/html; charset=utf-8")),
        "/api/version" => Ok((version(ws), "text/plain; charset=utf-8")),
        p => match p.strip_prefix("/plan/") {
            Some(slug) => match percent_decode(slug) {
                Some(slug) => plan_page(ws, &slug).map(|b| (b, "text/html; charset=utf-8")),
                None => return text(400, "bad plan name\n"),
            },
            None => return text(404, "no such page\n"),
        },
    };
    match result {
        Ok((body, content_type)) => Response {
            status: 200,
            content_type,
            body,
        },
        Err(Error::NotFound(m)) => text(404, &format!("{m}\n")),
        Err(e) => text(500, &format!("{e}\n")),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A fingerprint of the plans and the work items (names, sizes, modification times): pages
/// reload when it changes.
fn version(ws: &Workspace) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let stamp = |p: &std::path::Path, h: &mut std::collections::hash_map::DefaultHasher| {
        if let Ok(m) = std::fs::metadata(p) {
            m.len().hash(h);
            m.modified().ok().hash(h);
        }
    };
    if let Ok(m) = crate::discover::Matcher::new(&ws.config) {
        for t in crate::discover::discover(&ws.root, &m) {
            t.rel.hash(&mut h);
            stamp(&t.abs, &mut h);
        }
    }
    let mut stack = vec![ws.root.join(&ws.config.work_dir)];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            p.hash(&mut h);
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            } else {
                stamp(&p, &mut h);
            }
        }
    }
    format!("{:016x}", h.finish())
}

/// Findings per file, by severity: (errors, warnings, suggestions).
fn finding_counts(ws: &Workspace) -> Result<HashMap<String, (usize, usize, usize)>, Error> {
    let m = crate::discover::Matcher::new(&ws.config)?;
    let report = crate::check::run_workspace(ws, &m, false);
    let mut out: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for f in report.findings() {
        let e = out.entry(f.file.clone()).or_default();
        match f.severity {
            planwright_core::Severity::Error => e.0 += 1,
            planwright_core::Severity::Warning => e.1 += 1,
            _ => e.2 += 1,
        }
    }
    Ok(out)
}

fn findings_cell(c: Option<&(usize, usize, usize)>) -> String {
    match c {
        None | Some((0, 0, 0)) => "<span class=\"muted\">clean</span>".to_owned(),
        Some(&(e, w, i)) => {
            let mut parts = Vec::new();
            if e > 0 {
                parts.push(format!(
                    "<span class=\"error\">{e} error{}</span>",
                    if e == 1 { "" } else { "s" }
                ));
            }
            if w > 0 {
                parts.push(format!(
                    "<span class=\"warning\">{w} warning{}</span>",
                    if w == 1 { "" } else { "s" }
                ));
            }
            if i > 0 {
                parts.push(format!(
                    "<span class=\"info\">{i} suggestion{}</span>",
                    if i == 1 { "" } else { "s" }
                ));
            }
            parts.join(", ")
        }
    }
}

fn index(ws: &Workspace) -> Result<String, Error> {
    let rows = crate::plans::list(ws)?;
    let counts = finding_counts(ws)?;
    let progress: HashMap<String, (usize, usize)> = crate::work::progress_report(ws, None)?
        .into_iter()
        .map(|p| (p.plan, (p.done, p.steps)))
        .collect();
    let mut b = String::from(
        "<h2>Plans</h2>\n<table>\n<thead><tr><th>Plan</th><th>Status</th><th>Effort</th><th>Impact</th><th>Progress</th><th>Check</th></tr></thead>\n<tbody>\n",
    );
    for r in &rows {
        let prog = progress
            .get(&r.file)
            .map_or("<span class=\"muted\">-</span>".to_owned(), |&(d, t)| {
                html::progress_bar(d, t)
            });
        let _ = writeln!(
            b,
            "<tr><td><a href=\"/plan/{}\">{}</a><br><span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{prog}</td><td>{}</td></tr>",
            escape(&r.plan),
            escape(&r.plan),
            escape(&r.title),
            html::status(&r.status),
            escape(&r.effort),
            escape(&r.impact),
            findings_cell(counts.get(&r.file))
        );
    }
    b.push_str("</tbody>\n</table>\n");
    // Roadmaps, with the status their children give them.
    let roadmaps: Vec<&crate::plans::Row> = rows.iter().filter(|r| r.kind == "roadmap").collect();
    if !roadmaps.is_empty() {
        b.push_str("<h2>Roadmaps</h2>\n<ul class=\"tree\">\n");
        for r in roadmaps {
            let src = crate::confine::read_to_string(&ws.root, std::path::Path::new(&r.file))
                .unwrap_or_default();
            let plan = planwright_core::read(&src, planwright_core::KindHint::Plan);
            let children: Vec<String> = crate::views::summarize(&r.file, &src, &plan)
                .map(|s| s.children().map(str::to_owned).collect())
                .unwrap_or_default();
            let summaries: Vec<planwright_core::views::Summary> = children
                .iter()
                .filter_map(|c| {
                    let rel = format!("spec/plans/{c}/README.md");
                    let text = crate::confine::read_to_string(&ws.root, std::path::Path::new(&rel))
                        .ok()?;
                    let p = planwright_core::read(&text, planwright_core::KindHint::Plan);
                    crate::views::summarize(&rel, &text, &p)
                })
                .collect();
            let refs: Vec<&planwright_core::views::Summary> = summaries.iter().collect();
            let derived = planwright_core::views::derived_status(&refs).map_or("-", Status::as_str);
            let _ = writeln!(
                b,
                "<li><a href=\"/plan/{}\">{}</a> {} <span class=\"muted\">derived from its children: {derived}</span>\n<ul>",
                escape(&r.plan),
                escape(&r.plan),
                html::status(&r.status)
            );
            for c in &children {
                let status = rows
                    .iter()
                    .find(|x| x.plan == *c)
                    .map_or("-".to_owned(), |x| x.status.clone());
                let _ = writeln!(
                    b,
                    "<li><a href=\"/plan/{}\">{}</a> {}</li>",
                    escape(c),
                    escape(c),
                    html::status(&status)
                );
            }
            b.push_str("</ul></li>\n");
        }
        b.push_str("</ul>\n");
    }
    // What's Next, ranked as `planwright report next` ranks it.
    let previous = std::fs::read_to_string(ws.root.join(crate::whats_next::FILE)).ok();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let opts = crate::whats_next::Options {
        full: true,
        limit: 5,
        now,
    };
    let next = crate::whats_next::compute(ws, previous.as_deref(), "full", String::new(), &opts)?;
    b.push_str("<h2>What's next</h2>\n");
    if next.recommended.is_empty() {
        b.push_str("<p class=\"muted\">Nothing to start.</p>\n");
    } else {
        b.push_str("<ol class=\"next\">\n");
        for r in &next.recommended {
            let _ = writeln!(
                b,
                "<li><a href=\"/plan/{}\">{}</a> — {}</li>",
                escape(&r.plan),
                escape(&r.plan),
                escape(&r.reason)
            );
        }
        b.push_str("</ol>\n");
    }
    Ok(html::page("Plans", &b))
}

fn plan_page(ws: &Workspace, slug: &str) -> Result<String, Error> {
    // Only a plan `list` finds: the name is never a path.
    let rows = crate::plans::list(ws)?;
    let row = rows
        .iter()
        .find(|r| r.plan == slug)
        .ok_or_else(|| crate::error::not_found(format!("no plan named `{slug}`")))?;
    let matcher = crate::discover::Matcher::new(&ws.config)?;
    let hint = matcher
        .hint(&row.file)
        .unwrap_or(planwright_core::KindHint::Plan);
    let abs = crate::confine::resolve_rel(&ws.root, &row.file)?;
    let bytes = std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
    let src = String::from_utf8_lossy(&bytes).into_owned();
    let plan = planwright_core::read(&src, hint);
    // Each step's state: its work item's, or what the plan records.
    let items = match crate::discover::slug_of(&row.file) {
        Some(s) => crate::work::Store::new(&ws.root, &ws.config).load_plan(&s, &row.file)?,
        None => Vec::new(),
    };
    let states: Vec<&'static str> = plan
        .steps
        .iter()
        .map(|s| {
            let item = items
                .iter()
                .find(|i| i.id.rsplit_once('#').is_some_and(|(_, id)| id == &*s.id));
            match item {
                Some(i) => i.status.as_str(),
                None => {
                    use planwright_core::progress::TaskState;
                    match planwright_core::progress::task_state(s, &src) {
                        Some(TaskState::Done) => "done",
                        Some(TaskState::InProgress) => "in_progress",
                        Some(TaskState::Blocked) => "blocked",
                        Some(TaskState::Cancelled) => "cancelled",
                        Some(TaskState::Open) => "todo",
                        None => "",
                    }
                }
            }
        })
        .collect();
    let class = |k: usize| match states[k] {
        "done" => "done",
        "in_progress" => "in_progress",
        "blocked" => "blocked",
        _ => "",
    };
    let mut b = format!(
        "<p><a href=\"/\">← all plans</a></p>\n<h2>{}</h2>\n<p>{} <span class=\"muted\">{} · {}</span></p>\n",
        escape(&row.title),
        html::status(&row.status),
        escape(&row.file),
        escape(row.kind)
    );
    // Findings of the check.
    let target = crate::discover::Target {
        abs: abs.clone(),
        rel: row.file.clone(),
        hint,
    };
    let env = crate::fsenv::FsEnv::new(ws.root.clone());
    let result = crate::check::check_one(&bytes, &target, &ws.config, &env, false);
    b.push_str("<h3>Check</h3>\n");
    if result.findings.is_empty() {
        b.push_str("<p class=\"muted\">No findings.</p>\n");
    } else {
        b.push_str("<ul class=\"findings\">\n");
        for f in &result.findings {
            let _ = writeln!(
                b,
                "<li class=\"{}\">{}[{}] line {}: {}</li>",
                f.severity.as_str(),
                f.severity.as_str(),
                escape(f.rule),
                f.line,
                escape(&f.message)
            );
        }
        b.push_str("</ul>\n");
    }
    if !plan.steps.is_empty() {
        // Counted as `progress` counts: the steps, not their sub-steps; cancelled ones out.
        let top = |k: &usize| plan.steps[*k].parent.is_none() && states[*k] != "cancelled";
        let done = (0..states.len())
            .filter(top)
            .filter(|&k| states[k] == "done")
            .count();
        let counted = (0..states.len()).filter(top).count();
        let _ = writeln!(
            b,
            "<h3>Progress</h3>\n<p class=\"progress\">{}</p>\n<table class=\"steps\">\n<thead><tr><th>Step</th><th>Status</th><th>Depends on</th></tr></thead>\n<tbody>",
            html::progress_bar(done, counted)
        );
        let deps = planwright_core::graph::effective_dependencies(&plan);
        for (k, s) in plan.steps.iter().enumerate() {
            let on: Vec<&str> = deps[k].iter().map(|&d| &*plan.steps[d].id).collect();
            let _ = writeln!(
                b,
                "<tr><td>{}. {}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.id),
                escape(&s.title.value),
                if states[k].is_empty() {
                    "<span class=\"muted\">-</span>".to_owned()
                } else {
                    html::status(states[k])
                },
                escape(&on.join(", "))
            );
        }
        b.push_str("</tbody>\n</table>\n<h3>Dependency graph</h3>\n<div class=\"graph\">\n");
        b.push_str(&html::graph_svg(&plan, &class));
        b.push_str("</div>\n");
    }
    b.push_str("<h3>The plan</h3>\n<div class=\"doc\">\n");
    b.push_str(&markdown(&src));
    b.push_str("</div>\n");
    Ok(html::page(&row.plan, &b))
}

/// The plan's Markdown as HTML; raw HTML in it is shown as text, never run.
fn markdown(src: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let parser = Parser::new_ext(
        src,
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        e => e,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_are_answered() {
        for ok in ["127.0.0.1:8080", "localhost:1", "[::1]:80", "127.0.0.1"] {
            assert!(loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "192.168.1.2:80",
            "",
            "[2001:db8::1]:80",
        ] {
            assert!(!loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn raw_html_in_a_plan_is_text() {
        let h = markdown("# T\n\n<script>alert(1)</script>\n\nand <b>x</b>\n");
        assert!(!h.contains("<script>") && !h.contains("<b>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }
}
