//! The dashboard's pages (`planwright serve`): server-rendered HTML with its style inline,
//! and a plan's dependency graph drawn as SVG here, so that a page needs nothing from the
//! network.

use planwright_core::model::Plan;
use std::fmt::Write as _;

/// Text made safe for HTML, in element content and in quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; --fg: #1d232a; --muted: #5b6470; --line: #d8dde3; --accent: #1f5fae;
  --ok: #2f7d32; --warn: #a05a00; --err: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: var(--fg);
  margin: 0; background: #fbfcfd; }
a { color: var(--accent); }
a:focus, button:focus { outline: 3px solid #f2b705; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; }
header { padding: 12px 24px; border-bottom: 1px solid var(--line); background: #fff;
  display: flex; gap: 24px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 24px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
.status { font-size: 12px; padding: 1px 6px; border-radius: 8px; border: 1px solid var(--line); white-space: nowrap; }
.s-approved, .s-done, .s-completed { color: var(--ok); } .s-draft, .s-todo { color: var(--muted); }
.s-in_review, .s-in_progress { color: var(--warn); } .s-superseded, .s-cancelled { color: var(--muted); text-decoration: line-through; }
.s-blocked { color: var(--err); }
.error { color: var(--err); } .warning { color: var(--warn); } .info { color: var(--muted); }
ul.tree { list-style: none; padding-left: 16px; } ul.tree ul { list-style: none; padding-left: 20px; }
.doc { background: #fff; border: 1px solid var(--line); padding: 8px 24px; border-radius: 6px; overflow-x: auto; }
.doc pre { background: #f3f5f7; padding: 8px; overflow-x: auto; }
.graph { background: #fff; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; padding: 8px; }
.graph .node rect { fill: #eef3fa; stroke: #7b93b5; }
.graph .node.done rect { fill: #e6f2e6; stroke: #2f7d32; }
.graph .node.in_progress rect { fill: #fff4e0; stroke: #a05a00; }
.graph .node.blocked rect { fill: #fbe9e7; stroke: #b3261e; }
.graph .node text { font: 12px system-ui, sans-serif; fill: #1d232a; }
.graph .edge { stroke: #8a97a8; fill: none; marker-end: url(#arrow); }
.bar { display: inline-block; width: 120px; height: 8px; background: var(--line); border-radius: 4px; vertical-align: middle; }
.bar > span { display: block; height: 8px; background: var(--ok); border-radius: 4px; }
.muted { color: var(--muted); }
";

/// The live-reload poll: the page reloads when the repository's version changes.
const RELOAD: &str = "
(function () {
  var seen = null;
  function poll() {
    fetch('/api/version').then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {}).finally(function () { setTimeout(poll, 1500); });
  }
  poll();
})();
";

/// A whole page around `body`.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — planwright</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header><h1><a href=\"/\">planwright</a></h1><span class=\"muted\">{}</span></header>\n<main id=\"main\">\n{body}</main>\n<script>{RELOAD}</script>\n</body>\n</html>\n",
        escape(title),
        escape(title)
    )
}

/// A status word as a badge.
pub fn status(word: &str) -> String {
    format!(
        "<span class=\"status s-{}\">{}</span>",
        escape(&word.replace(' ', "_")),
        escape(word)
    )
}

/// A progress bar with its figures.
pub fn progress_bar(done: usize, total: usize) -> String {
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "<span class=\"bar\" role=\"img\" aria-label=\"{done} of {total} steps done\"><span style=\"width:{pct}%\"></span></span> {done}/{total}"
    )
}

/// The dependency graph of `plan` as SVG: steps in columns by wave (what can run together),
/// an arrow from each dependency to its dependent. `state(k)` is step k's class (`done`,
/// `in_progress`, `blocked`, or empty). One `<g class="node">` per step.
pub fn graph_svg(plan: &Plan, state: &dyn Fn(usize) -> &'static str) -> String {
    let deps = planwright_core::graph::effective_dependencies(plan);
    let n = plan.steps.len();
    let analysis = planwright_core::graph::analyse(&deps, &vec![1.0; n]);
    let mut column = vec![usize::MAX; n];
    let mut columns: Vec<Vec<usize>> = analysis.waves.clone();
    for (c, wave) in columns.iter().enumerate() {
        for &k in wave {
            column[k] = c;
        }
    }
    // Steps in a cycle (or after one) have no wave: one more column.
    let rest: Vec<usize> = (0..n).filter(|&k| column[k] == usize::MAX).collect();
    if !rest.is_empty() {
        for &k in &rest {
            column[k] = columns.len();
        }
        columns.push(rest);
    }
    let (w, h, gap_x, gap_y, pad) = (190.0, 44.0, 60.0, 16.0, 12.0);
    let mut row = vec![0usize; n];
    for wave in &columns {
        for (r, &k) in wave.iter().enumerate() {
            row[k] = r;
        }
    }
    let x = |k: usize| pad + column[k] as f64 * (w + gap_x);
    let y = |k: usize| pad + row[k] as f64 * (h + gap_y);
    let width = pad * 2.0 + columns.len() as f64 * (w + gap_x) - gap_x;
    let height =
        pad * 2.0 + columns.iter().map(Vec::len).max().unwrap_or(0) as f64 * (h + gap_y) - gap_y;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"dependency graph, {n} steps\" width=\"{:.0}\" height=\"{:.0}\" viewBox=\"0 0 {:.0} {:.0}\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#8a97a8\"/></marker></defs>\n",
        width.max(w),
        height.max(h),
        width.max(w),
        height.max(h)
    );
    for (k, ds) in deps.iter().enumerate() {
        for &d in ds {
            let (x1, y1) = (x(d) + w, y(d) + h / 2.0);
            let (x2, y2) = (x(k), y(k) + h / 2.0);
            let mid = (x1 + x2) / 2.0;
            let _ = writeln!(
                s,
                "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" d=\"M{x1:.1} {y1:.1}C{mid:.1} {y1:.1} {mid:.1} {y2:.1} {x2:.1} {y2:.1}\"/>",
                escape(&plan.steps[d].id),
                escape(&plan.steps[k].id)
            );
        }
    }
    for (k, step) in plan.steps.iter().enumerate() {
        let mut label = format!("{}. {}", step.id, step.title.value);
        if label.chars().count() > 28 {
            label = label.chars().take(27).collect::<String>() + "…";
        }
        let _ = writeln!(
            s,
            "<g class=\"node {}\" data-step=\"{}\"><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w}\" height=\"{h}\" rx=\"6\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            state(k),
            escape(&step.id),
            escape(&format!("Step {}. {}", step.id, step.title.value)),
            x(k),
            y(k),
            x(k) + 10.0,
            y(k) + h / 2.0 + 4.0,
            escape(&label)
        );
    }
    s.push_str("</svg>\n");
    s
}
