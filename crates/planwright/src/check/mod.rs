//! `planwright check`: read the targets on every core, run the rules, collect findings with
//! their line and column, ready for any renderer.

mod cache;
mod frozen;

use crate::config::Config;
use crate::discover::{Matcher, Target};
use crate::error::Error;
use crate::fsenv::FsEnv;
use crate::workspace::Workspace;
use planwright_core::rules::{frozen_plan_modified, roadmap_status_mismatch};
use planwright_core::{ColumnMemo, LineIndex, PlanKind, Severity};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use cache::{Cache, PATH as CACHE_PATH};

/// One diagnostic, located for people and machines.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    /// 1-based line and column (columns count characters); `end_*` point just past the end.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    pub help: Option<String>,
    /// Byte range in the file.
    pub start: usize,
    pub end: usize,
}

/// The outcome for one file.
#[derive(Debug)]
pub struct FileResult {
    pub rel: String,
    pub kind: PlanKind,
    pub self_containment: f64,
    pub findings: Vec<Finding>,
    /// The file's text, kept only when it has findings and a renderer needs to quote it.
    pub source: Option<String>,
    /// Set when the file could not be read at all.
    pub io_error: Option<String>,
    /// What the generated views need, for plans under `spec/plans/` (boxed: results are
    /// sorted and merged by moving them, and most of their size would be this).
    pub summary: Option<Box<crate::views::Summary>>,
    /// What the check cache needs to trust this result later, when it was asked to keep it.
    pub stamp: Option<Box<cache::Stamp>>,
}

impl FileResult {
    /// A file that could not be checked at all.
    fn failed(target: &Target, why: &str) -> FileResult {
        FileResult {
            rel: target.rel.clone(),
            kind: PlanKind::Document,
            self_containment: 1.0,
            findings: Vec::new(),
            source: None,
            io_error: Some(why.to_owned()),
            summary: None,
            stamp: None,
        }
    }
}

/// The outcome of a whole check.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileResult>,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| f.findings.iter())
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings().filter(|f| f.severity == severity).count()
    }

    pub fn plans(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.io_error.is_none() && f.kind.is_plan())
            .count()
    }

    pub fn io_errors(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter_map(|f| f.io_error.as_deref().map(|e| (f.rel.as_str(), e)))
    }
}

/// Checks one file's bytes. Pure apart from the environment's questions about other files.
pub fn check_one(
    bytes: &[u8],
    target: &Target,
    cfg: &Config,
    env: &FsEnv,
    keep_source: bool,
) -> FileResult {
    // UTF-8 is validated once, here, for the check and the summary alike.
    let text = std::str::from_utf8(bytes).ok();
    let (plan, diags) = match text {
        Some(src) => planwright_core::check(src, Some(&target.rel), env, &cfg.rules, target.hint),
        None => {
            planwright_core::check_bytes(bytes, Some(&target.rel), env, &cfg.rules, target.hint)
        }
    };
    let summary = match text {
        Some(src) if target.rel.starts_with("spec/plans/") => {
            crate::views::summarize(&target.rel, src, &plan).map(Box::new)
        }
        _ => None,
    };
    let mut findings = Vec::with_capacity(diags.len());
    if !diags.is_empty() {
        let text = text.map_or_else(
            || String::from_utf8_lossy(bytes),
            std::borrow::Cow::Borrowed,
        );
        let idx = LineIndex::new(&text);
        let (mut at_start, mut at_end) = (ColumnMemo::default(), ColumnMemo::default());
        for d in diags {
            let (line, column) = idx.line_col_memo(&text, d.span.start, &mut at_start);
            let (end_line, end_column) =
                idx.line_col_memo(&text, d.span.end.max(d.span.start), &mut at_end);
            findings.push(Finding {
                rule: d.rule,
                severity: d.severity,
                file: target.rel.clone(),
                line,
                column,
                end_line,
                end_column,
                message: d.message,
                help: d.help,
                start: d.span.start,
                end: d.span.end,
            });
        }
        for f in findings
            .iter_mut()
            .filter(|f| f.rule == frozen_plan_modified::NAME)
        {
            if let Some(lines) = frozen::changed_since_approval(env, &target.rel, &text, &plan) {
                f.message.push_str(&format!(": {lines}"));
            }
        }
    }
    // An approved plan whose Digest line is gone is still frozen: git knows its approved
    // version (`approval-incomplete` reports the missing line itself).
    if let Some(src) = text
        && let Some(f) = frozen::frozen_without_digest(env, target, src, &plan, cfg)
    {
        findings.push(f);
    }
    let source =
        (keep_source && !findings.is_empty()).then(|| String::from_utf8_lossy(bytes).into_owned());
    FileResult {
        rel: target.rel.clone(),
        kind: plan.kind,
        self_containment: plan.self_containment(),
        findings,
        source,
        io_error: None,
        summary,
        stamp: None,
    }
}

/// Checks every target, then the repository's generated views (the plans index, feature
/// back-references, roadmap statuses): for a check of the whole repository.
pub fn run_repo(root: &Path, m: &Matcher, cfg: &Config, keep_source: bool) -> Report {
    run_repo_with(root, m, cfg, keep_source, None)
}

/// A check of the whole repository of `ws` as `planwright check` runs it: through the
/// repository's cache (`.planwright/cache/`, shared by every front end), so that after the
/// first check only what changed is read again. A file checked alone, outside any
/// repository, gets no cache.
pub fn run_workspace(ws: &Workspace, m: &Matcher, keep_source: bool) -> Report {
    let cache = Cache::of_workspace(ws);
    run_repo_with(&ws.root, m, &ws.config, keep_source, cache.as_ref())
}

/// [`run_repo`], taking each file's result from `cache` where it still holds, and writing
/// the cache back when anything was new. The repository-level rules are recomputed from the
/// summaries, cached or not, unless no file changed and the view files are the same (their
/// findings are then the cache's). With a cache, the results carry summaries only when the
/// views were recomputed.
pub fn run_repo_with(
    root: &Path,
    m: &Matcher,
    cfg: &Config,
    keep_source: bool,
    cache: Option<&Cache>,
) -> Report {
    let mut report = walk_and_check(root, m, cfg, keep_source, cache);
    let kept = cache.and_then(|c| c.kept_repo(&report));
    if kept.is_none()
        && let Some(c) = cache
    {
        c.fill_summaries(&mut report.files);
    }
    let found = std::thread::scope(|scope| {
        // The cache is written while the views are compared (both only read the results:
        // a cold check's write costs no wall time of its own).
        if let Some(cache) = cache {
            let report = &report;
            scope.spawn(move || cache.save(report));
        }
        if let Some(kept) = kept {
            return kept;
        }
        let (found, reads) = repo_findings(root, &report, cfg);
        if let Some(cache) = cache {
            cache.save_repo(&report, &reads, &found);
        }
        found
    });
    add_repo_findings(root, &mut report, found, cfg, keep_source);
    report
}

/// The repository-level rules over the results' summaries: roadmap statuses, then the
/// generated views; and the files the views read.
fn repo_findings(
    root: &Path,
    report: &Report,
    cfg: &Config,
) -> (cache::RepoFindings, crate::views::Reads) {
    // The views read the summaries where they are.
    let summaries: Vec<&crate::views::Summary> = report
        .files
        .iter()
        .filter_map(|f| f.summary.as_deref())
        .collect();
    let roadmaps = if cfg.rules.severity(roadmap_status_mismatch::NAME) == Severity::Off {
        Vec::new()
    } else {
        roadmap_status_mismatch::findings(&summaries)
    };
    let (views, reads) = crate::views::expected_read(root, &summaries, cfg.recently_closed);
    // One finding per view, in the views' order.
    let findings = planwright_core::rules::view_findings(&views);
    let views = findings
        .into_iter()
        .zip(views)
        .map(|(f, v)| (f, Some(v.old)))
        .collect();
    (cache::RepoFindings { roadmaps, views }, reads)
}

/// Adds the repository-level findings to the report: a roadmap's go with the roadmap's
/// others, a view's file gets a result of its own.
fn add_repo_findings(
    root: &Path,
    report: &mut Report,
    found: cache::RepoFindings,
    cfg: &Config,
    keep_source: bool,
) {
    let read = |rel: &str| crate::confine::read_to_string(root, Path::new(rel)).ok();
    for f in found.roadmaps {
        let severity = cfg.rules.severity(f.rule);
        if let Some(r) = report.files.iter_mut().find(|r| r.rel == f.file) {
            let col = 1 + r.source.as_deref().map_or(0, |src| {
                src[..f.start]
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count())
            });
            r.findings.push(Finding {
                rule: f.rule,
                severity,
                file: f.file,
                line: f.line,
                column: col,
                end_line: f.line,
                end_column: col + (f.end - f.start),
                message: f.message,
                help: Some(f.help),
                start: f.start,
                end: f.end,
            });
            if keep_source && r.source.is_none() {
                r.source = read(&r.rel);
            }
        }
    }
    for (f, old) in found.views {
        let severity = cfg.rules.severity(f.rule);
        if severity == Severity::Off {
            continue;
        }
        // A view's file that cannot be read is compared as empty.
        let source = keep_source.then(|| old.unwrap_or_else(|| read(&f.file).unwrap_or_default()));
        report.files.push(FileResult {
            rel: f.file.clone(),
            kind: PlanKind::Document,
            self_containment: 1.0,
            findings: vec![Finding {
                rule: f.rule,
                severity,
                file: f.file,
                line: f.line,
                column: 1,
                end_line: f.line,
                end_column: 1,
                message: f.message,
                help: Some(f.help),
                start: f.start,
                end: f.end,
            }],
            source,
            io_error: None,
            summary: None,
            stamp: None,
        });
    }
}

/// What each worker thread keeps from file to file: its environment (a shared `stat` cache's
/// lock went back and forth between the cores on every link) and its read buffer.
struct Worker<'c> {
    env: FsEnv,
    bytes: Vec<u8>,
    cache: Option<&'c Cache>,
}

impl<'c> Worker<'c> {
    fn new(root: &Path, cache: Option<&'c Cache>) -> Worker<'c> {
        let env = FsEnv::new(root.to_path_buf());
        Worker {
            env: match cache {
                Some(c) => env.with_known(c.known_texts()),
                None => env,
            },
            bytes: Vec::new(),
            cache,
        }
    }

    /// The result for one file: from the cache when it holds, else read and checked.
    fn check(&mut self, t: &Target, cfg: &Config, keep_source: bool) -> FileResult {
        let Some(cache) = self.cache else {
            return match self.read(t) {
                Ok(_) => self.check_read(t, cfg, keep_source),
                Err(e) => FileResult::failed(t, &e.to_string()),
            };
        };
        match cache.lookup(t, &self.env, &mut self.bytes) {
            cache::Lookup::Hit(mut result) => {
                if keep_source && !result.findings.is_empty() {
                    result.source = std::fs::read(&t.abs)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned());
                }
                result
            }
            cache::Lookup::Miss(read) => {
                let stat = match read.map_or_else(|| self.read(t), Ok) {
                    Ok(stat) => stat,
                    Err(e) => return FileResult::failed(t, &e.to_string()),
                };
                self.env.record();
                let mut result = self.check_read(t, cfg, keep_source);
                let asked = self.env.recorded();
                if result.io_error.is_none() {
                    result.stamp = cache
                        .stamp(&result, t, stat, &self.bytes, &asked)
                        .map(Box::new);
                }
                result
            }
        }
    }

    /// Reads a file into the buffer; its `stat` as it was read.
    fn read(&mut self, t: &Target) -> std::io::Result<crate::fsenv::Stat> {
        read_into(&mut self.bytes, t)
    }

    /// Checks the file in the buffer; a crash on it becomes that file's error, not the run's.
    fn check_read(&self, t: &Target, cfg: &Config, keep_source: bool) -> FileResult {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_one(&self.bytes, t, cfg, &self.env, keep_source)
        }))
        .unwrap_or_else(|_| {
            FileResult::failed(
                t,
                "internal error: planwright crashed on this file (please report it with the file attached)",
            )
        })
    }
}

/// Reads a file into `bytes`; its `stat` as it was read.
fn read_into(bytes: &mut Vec<u8>, t: &Target) -> std::io::Result<crate::fsenv::Stat> {
    let f = std::fs::File::open(&t.abs)?;
    let meta = f.metadata()?;
    bytes.clear();
    // The length is known: read straight to the end without asking for it again.
    bytes.reserve(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    std::io::Read::read_to_end(&mut std::io::Read::take(f, u64::MAX), bytes)?;
    Ok(crate::fsenv::Stat::of(&meta))
}

/// Checks every target, on all cores.
pub fn run(
    root: &Path,
    targets: &[Target],
    cfg: &Config,
    keep_source: bool,
) -> Result<Report, Error> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(targets.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, FileResult)> = Vec::with_capacity(targets.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut w = Worker::new(root, None);
                    let mut local = Vec::with_capacity(targets.len() / workers + 1);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(t) = targets.get(i) else { break };
                        local.push((i, w.check(t, cfg, keep_source)));
                    }
                    local
                })
            })
            .collect();
        for h in handles {
            if let Ok(mut local) = h.join() {
                results.append(&mut local);
            }
        }
    });
    results.sort_by_key(|(i, _)| *i);
    Ok(Report {
        files: results.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Finds and checks every file of the configuration's sources at once, on all cores: each
/// file is checked on the thread whose walk found it (see [`crate::walk`]). The report is
/// sorted by path, as [`run`] on [`crate::discover::discover`]'s targets would give it.
pub fn run_all(root: &Path, m: &Matcher, cfg: &Config, keep_source: bool) -> Report {
    walk_and_check(root, m, cfg, keep_source, None)
}

fn walk_and_check(
    root: &Path,
    m: &Matcher,
    cfg: &Config,
    keep_source: bool,
    cache: Option<&Cache>,
) -> Report {
    let parts = m.walk(
        root,
        cache.map(Cache::listings),
        || (Worker::new(root, cache), Vec::new()),
        |(w, results): &mut (Worker, Vec<FileResult>), t| {
            results.push(w.check(&t, cfg, keep_source));
        },
        |(_, mut results)| {
            results.sort_unstable_by(|a: &FileResult, b| a.rel.cmp(&b.rel));
            results
        },
    );
    Report {
        files: crate::walk::merge_sorted(parts, |f| &f.rel),
    }
}
