//! planwright's integration tests, in one binary (one link step): rule fixtures with
//! snapshots, the corpus conformance run, SARIF schema validation and end-to-end CLI runs.

mod architecture;
mod authoring;
mod cache;
mod cli;
mod conformance;
mod diff;
mod export;
mod fixtures;
mod graph;
mod lifecycle;
#[cfg(feature = "lsp")]
mod lsp;
mod machine;
#[cfg(feature = "mcp")]
mod mcp;
mod reports;
mod run;
mod sarif;
mod schema;
mod security;
#[cfg(feature = "serve")]
mod serve;
mod work;

use std::path::PathBuf;

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file under `dir`, at any depth, whose name `keep` accepts.
pub fn files_under(dir: &std::path::Path, keep: &dyn Fn(&std::path::Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("list").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p, keep));
        } else if keep(&p) {
            out.push(p);
        }
    }
    out
}

/// Runs the library's check on a repository root the way `planwright check` does.
pub fn check_repo(root: &std::path::Path) -> planwright::check::Report {
    let cfg = planwright::config::Config::load(root).expect("config loads");
    check_with(root, &cfg)
}

/// [`check_repo`] with a configuration of the caller's.
pub fn check_with(
    root: &std::path::Path,
    cfg: &planwright::config::Config,
) -> planwright::check::Report {
    let m = planwright::discover::Matcher::new(cfg).expect("globs compile");
    planwright::check::run_repo(root, &m, cfg, true)
}

/// Human output without colour.
pub fn human(report: &planwright::check::Report) -> String {
    let mut out = Vec::new();
    planwright::render::human::render(report, false, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}
