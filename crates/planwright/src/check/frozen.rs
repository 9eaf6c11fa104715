//! `frozen-plan-modified`'s evidence from git: the lines of an approved plan that changed
//! since its approved version, and the finding for an approved plan whose Digest line is gone.

use super::Finding;
use crate::config::Config;
use crate::discover::Target;
use crate::fsenv::FsEnv;
use planwright_core::LineIndex;
use planwright_core::Severity;
use planwright_core::rules::frozen_plan_modified;

/// `frozen-plan-modified` for an approved plan that records no Digest, when its frozen
/// content differs from the newest approved version in git.
pub(super) fn frozen_without_digest(
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
pub(super) fn changed_since_approval(
    env: &FsEnv,
    rel: &str,
    text: &str,
    plan: &planwright_core::Plan,
) -> Option<String> {
    let digest = plan.field("digest")?.inline.text(text).trim().to_owned();
    env.note_git();
    let (commit, approved) = crate::git::version_with(env.root(), rel, &digest)?;
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
