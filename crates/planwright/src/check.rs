//! `planwright check`: read the targets on every core, run the rules, collect findings with
//! their line and column, ready for any renderer.

use crate::config::Config;
use crate::discover::{Matcher, Target};
use crate::error::Error;
use crate::fsenv::FsEnv;
use planwright_core::rules::{frozen_plan_modified, roadmap_status_mismatch};
use planwright_core::{ColumnMemo, LineIndex, PlanKind, Severity};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One diagnostic, located for people and machines.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        let text = String::from_utf8_lossy(bytes);
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
            if let Some(lines) = changed_since_approval(env.root(), &target.rel, &text, &plan) {
                f.message.push_str(&format!(": {lines}"));
            }
        }
    }
    // An approved plan whose Digest line is gone is still frozen: git knows its approved
    // version (`approval-incomplete` reports the missing line itself).
    if let Some(src) = text
        && let Some(f) = frozen_without_digest(env, target, src, &plan, cfg)
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
    }
}

/// `frozen-plan-modified` for an approved plan that records no Digest, when its frozen
/// content differs from the newest approved version in git.
fn frozen_without_digest(
    env: &FsEnv,
    target: &Target,
    src: &str,
    plan: &planwright_core::Plan,
    cfg: &Config,
) -> Option<Finding> {
    let severity = cfg.rules.severity(frozen_plan_modified::NAME);
    if severity == Severity::Off
        || plan.status(src) != Some(planwright_core::model::Status::Approved)
        || plan
            .field("digest")
            .is_some_and(|f| !f.inline.text(src).trim().is_empty())
    {
        return None;
    }
    if !env.had_digest(&target.rel) {
        return None;
    }
    let (commit, approved) = crate::git::approved_version(env.root(), &target.rel)?;
    let old = planwright_core::read(&approved, target.hint);
    if planwright_core::digest::digest(&approved, &old)
        == planwright_core::digest::digest(src, plan)
    {
        return None;
    }
    let (_, span) = plan.status_text(src)?;
    let idx = LineIndex::new(src);
    let (line, column) = idx.line_col(src, span.start);
    let (end_line, end_column) = idx.line_col(src, span.end);
    Some(Finding {
        rule: frozen_plan_modified::NAME,
        severity,
        file: target.rel.clone(),
        line,
        column,
        end_line,
        end_column,
        message: format!(
            "the frozen content of this plan changed after approval, and its Digest line is gone: {}",
            changed_lines(src, plan, &commit, &approved)
        ),
        help: Some("revert the change and restore the Digest line, or supersede the plan: `planwright new NEW` then `planwright supersede OLD --by NEW`".to_owned()),
        start: span.start,
        end: span.end,
    })
}

/// The lines of a frozen plan that differ from its approved version, found through git (the
/// commit that recorded the current digest). `None` outside a repository or without history.
fn changed_since_approval(
    root: &Path,
    rel: &str,
    text: &str,
    plan: &planwright_core::Plan,
) -> Option<String> {
    let digest = plan.field("digest")?.inline.text(text).trim().to_owned();
    let (commit, approved) = crate::git::version_with(root, rel, &digest)?;
    Some(changed_lines(text, plan, &commit, &approved))
}

/// Which lines of `text` (outside its living sections) are not in the `approved` version.
fn changed_lines(text: &str, plan: &planwright_core::Plan, commit: &str, approved: &str) -> String {
    let skip = planwright_core::digest::unfrozen(text, plan);
    // Lines of the approved version, as a multiset.
    let mut old: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in approved.lines() {
        *old.entry(l.trim_end()).or_default() += 1;
    }
    let mut changed = Vec::new();
    let mut pos = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let start = pos;
        pos += line.len();
        if skip
            .iter()
            .any(|s| s.start <= start && start < s.end.max(s.start + 1))
        {
            continue;
        }
        let l = line.trim_end();
        match old.get_mut(l) {
            Some(c) if *c > 0 => *c -= 1,
            _ if l.is_empty() => {}
            _ => changed.push(n + 1),
        }
    }
    let short = &commit[..commit.len().min(10)];
    if changed.is_empty() {
        return format!("lines were removed since the approved version (commit {short})");
    }
    let list: Vec<String> = changed.iter().take(8).map(ToString::to_string).collect();
    let more = if changed.len() > 8 {
        format!(" and {} more", changed.len() - 8)
    } else {
        String::new()
    };
    // The first changed line beside the approved line it replaced, when one is missing.
    let mut now: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in text.lines() {
        *now.entry(l.trim_end()).or_default() += 1;
    }
    let removed = approved.lines().map(str::trim_end).find(|l| {
        !l.is_empty()
            && match now.get_mut(l) {
                Some(c) if *c > 0 => {
                    *c -= 1;
                    false
                }
                _ => true,
            }
    });
    let first = text.lines().nth(changed[0] - 1).map(str::trim_end);
    let beside = match (first, removed) {
        (Some(new), Some(old)) => format!(
            "; line {} reads `{}` where the approved version read `{}`",
            changed[0],
            clip(new),
            clip(old)
        ),
        _ => String::new(),
    };
    format!(
        "line{} {}{more} differ{} from the approved version (commit {short}){beside}",
        if changed.len() == 1 { "" } else { "s" },
        list.join(", "),
        if changed.len() == 1 { "s" } else { "" }
    )
}

/// A line cut to 80 characters for a message.
fn clip(line: &str) -> String {
    let t = line.trim();
    if t.chars().count() > 80 {
        format!("{}…", t.chars().take(79).collect::<String>())
    } else {
        t.to_owned()
    }
}

/// Checks every target, then the repository's generated views (the plans index, feature
/// back-references, roadmap statuses): for a check of the whole repository.
pub fn run_repo(root: &Path, m: &Matcher, cfg: &Config, keep_source: bool) -> Report {
    let mut report = run_all(root, m, cfg, keep_source);
    // The views read the summaries where they are; what they find is added after.
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
    let views = crate::views::expected(root, &summaries, cfg.recently_closed);
    drop(summaries);
    // A roadmap's finding goes with the roadmap's others.
    for f in roadmaps {
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
                r.source = std::fs::read_to_string(root.join(&r.rel)).ok();
            }
        }
    }
    // A view's file has a result of its own.
    // One finding per view, in the views' order.
    let findings = planwright_core::rules::view_findings(&views);
    for (v, f) in views.into_iter().zip(findings) {
        let severity = cfg.rules.severity(f.rule);
        if severity == Severity::Off {
            continue;
        }
        let source = keep_source.then_some(v.old);
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
        });
    }
    report
}

/// What each worker thread keeps from file to file: its environment (a shared `stat` cache's
/// lock went back and forth between the cores on every link) and its read buffer.
struct Worker {
    env: FsEnv,
    bytes: Vec<u8>,
}

impl Worker {
    fn new(root: &Path) -> Worker {
        Worker {
            env: FsEnv::new(root.to_path_buf()),
            bytes: Vec::new(),
        }
    }

    /// Reads and checks one file; a crash on it becomes that file's error, not the run's.
    fn check(&mut self, t: &Target, cfg: &Config, keep_source: bool) -> FileResult {
        let bytes = &mut self.bytes;
        let read = std::fs::File::open(&t.abs).and_then(|f| {
            let len = f.metadata()?.len();
            bytes.clear();
            // The length is known: read straight to the end without asking for it again.
            bytes.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
            std::io::Read::read_to_end(&mut std::io::Read::take(f, u64::MAX), bytes)
        });
        match read {
            Ok(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_one(&self.bytes, t, cfg, &self.env, keep_source)
            }))
            .unwrap_or_else(|_| {
                FileResult::failed(
                    t,
                    "internal error: planwright crashed on this file (please report it with the file attached)",
                )
            }),
            Err(e) => FileResult::failed(t, &e.to_string()),
        }
    }
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
                    let mut w = Worker::new(root);
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
    let parts = m.walk(
        root,
        || (Worker::new(root), Vec::new()),
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
