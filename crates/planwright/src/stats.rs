//! `planwright stats [PLAN]`: the numbers behind a plan's health — how self-contained it is,
//! how fresh its living sections are, how long it is against its spec, which steps nothing
//! verifies, and how long each step took from start to done.

use crate::error::Error;
use crate::workspace::Workspace;
use planwright_core::model::{Plan, Status};
use planwright_core::time::Timestamp;
use serde::Serialize;

/// One plan's figures.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    pub plan: String,
    pub file: String,
    pub status: String,
    /// Approved, and work on it not finished (open Progress items, or items in progress).
    pub in_progress: bool,
    pub self_containment: SelfContainment,
    pub freshness: Vec<Freshness>,
    pub length: Length,
    pub steps: usize,
    pub steps_without_verification: Vec<String>,
    pub cycle_times: Vec<CycleTime>,
}

/// The share of steps and decisions a reader understands without following an external link.
#[derive(Clone, Debug, Serialize)]
pub struct SelfContainment {
    /// Steps with no external link, over all steps (1 when there are none).
    pub steps: f64,
    /// Decision Log entries with no external link, over all of them (1 when there are none).
    pub decisions: f64,
    /// The external links counted, in document order.
    pub external_links: Vec<String>,
}

/// How long ago a living section last changed.
#[derive(Clone, Debug, Serialize)]
pub struct Freshness {
    pub section: &'static str,
    pub entries: usize,
    /// The newest timestamp of its entries (RFC 3339), when any has one.
    pub last_entry: Option<String>,
    pub age_minutes: Option<i64>,
    /// Older than the limit while the plan is in progress.
    pub stale: bool,
}

/// The plan against the spec it comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Length {
    pub plan_bytes: usize,
    pub spec: Option<String>,
    pub spec_bytes: Option<u64>,
    /// Plan over spec.
    pub ratio: Option<f64>,
}

/// A step's time from its first start to its last done, from its work item's events.
#[derive(Clone, Debug, Serialize)]
pub struct CycleTime {
    pub step: String,
    pub minutes: i64,
}

/// The figures of `plan` (or of every plan), measured at `now` (seconds since the epoch),
/// a living section being stale after `stale_after` minutes of a plan in progress.
pub fn stats(
    ws: &Workspace,
    plan: Option<&str>,
    now: i64,
    stale_after: i64,
) -> Result<Vec<Stats>, Error> {
    let targets = match plan {
        Some(p) => vec![ws.resolve(p)?],
        None => {
            let m = crate::discover::Matcher::new(&ws.config)?;
            crate::discover::discover(&ws.root, &m)
        }
    };
    let env = crate::fsenv::FsEnv::new(ws.root.clone());
    let items = crate::work::Store::new(&ws.root, &ws.config).load()?;
    let mut out = Vec::new();
    for t in targets {
        let Ok(src) = std::fs::read_to_string(&t.abs) else {
            continue;
        };
        let model = planwright_core::read(&src, t.hint);
        if !model.kind.is_plan() {
            continue;
        }
        let mine: Vec<&crate::work::Item> = items.iter().filter(|i| i.plan == t.rel).collect();
        out.push(one(&t.rel, &src, &model, &env, &mine, now, stale_after));
    }
    Ok(out)
}

fn one(
    rel: &str,
    src: &str,
    plan: &Plan,
    env: &crate::fsenv::FsEnv,
    items: &[&crate::work::Item],
    now: i64,
    stale_after: i64,
) -> Stats {
    let external: Vec<&planwright_core::model::Link> = plan
        .links
        .iter()
        .filter(|l| {
            planwright_core::rules::is_external_link(&l.target) || l.target.starts_with("mailto:")
        })
        .collect();
    let share = |spans: &mut dyn Iterator<Item = planwright_core::Span>| {
        let (mut all, mut alone) = (0usize, 0usize);
        for s in spans {
            all += 1;
            let linked = external
                .iter()
                .any(|l| s.start <= l.span.start && l.span.end <= s.end)
                || plan
                    .bare_urls
                    .iter()
                    .any(|u| s.start <= u.span.start && u.span.end <= s.end);
            if !linked {
                alone += 1;
            }
        }
        if all == 0 {
            1.0
        } else {
            round(alone as f64 / all as f64)
        }
    };
    let self_containment = SelfContainment {
        steps: share(&mut plan.steps.iter().map(|s| s.span)),
        decisions: share(&mut plan.decisions.iter().map(|d| d.span)),
        external_links: external
            .iter()
            .map(|l| l.target.clone())
            .chain(plan.bare_urls.iter().map(|u| u.span.text(src).to_owned()))
            .collect(),
    };
    let status = plan.status(src);
    let open_progress = plan.progress.iter().any(|p| !p.done);
    let working = items
        .iter()
        .any(|i| i.status == crate::work::ItemStatus::InProgress);
    let in_progress = status == Some(Status::Approved) && (open_progress || working);
    let section = |name: &'static str, stamps: Vec<Option<&Timestamp>>| {
        let newest = stamps.iter().flatten().filter_map(|t| epoch(t)).max();
        let age = newest.map(|t| (now - t).max(0) / 60);
        Freshness {
            section: name,
            entries: stamps.len(),
            last_entry: newest.map(|t| crate::clock::rfc3339_of(t.max(0) as u64)),
            age_minutes: age,
            stale: in_progress && age.is_some_and(|a| a > stale_after),
        }
    };
    let freshness = vec![
        section(
            "Progress",
            plan.progress.iter().map(|p| p.timestamp.as_ref()).collect(),
        ),
        section(
            "Decision Log",
            plan.decisions.iter().map(|d| d.date.as_ref()).collect(),
        ),
        section(
            "Surprises & Discoveries",
            plan.surprises
                .iter()
                .map(|s| s.timestamp.as_ref())
                .collect(),
        ),
    ];
    let spec = planwright_core::rules::uncovered_requirement::source_spec_path(src, plan, rel, env);
    let spec_bytes = spec
        .as_deref()
        .and_then(|s| planwright_core::Env::file_len(env, s));
    let length = Length {
        plan_bytes: src.len(),
        ratio: spec_bytes
            .filter(|&b| b > 0)
            .map(|b| round(src.len() as f64 / b as f64)),
        spec,
        spec_bytes,
    };
    let cycle_times = items
        .iter()
        .filter_map(|i| {
            let at = |e: &crate::work::Event| {
                planwright_core::time::find_timestamp(&e.at, 0).and_then(|t| epoch(&t))
            };
            let started = i
                .events
                .iter()
                .find(|e| e.status == Some(crate::work::ItemStatus::InProgress))
                .and_then(at)?;
            let done = i
                .events
                .iter()
                .rev()
                .find(|e| e.status == Some(crate::work::ItemStatus::Done))
                .and_then(at)?;
            Some(CycleTime {
                step: i.step.clone(),
                minutes: (done - started).max(0) / 60,
            })
        })
        .collect();
    Stats {
        plan: planwright_core::text::slug_of(rel).unwrap_or_else(|| rel.to_owned()),
        file: rel.to_owned(),
        status: plan.status_text(src).map_or("-", |(s, _)| s).to_owned(),
        in_progress,
        self_containment,
        freshness,
        length,
        steps: plan.steps.len(),
        steps_without_verification: plan
            .steps
            .iter()
            .filter(|s| s.verify.is_empty())
            .map(|s| s.id.to_string())
            .collect(),
        cycle_times,
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Seconds since the epoch of a timestamp as written: its zone when it is `Z` or an offset,
/// UTC otherwise (a named zone such as `EDT` is read as UTC); midnight for a date alone.
pub fn epoch(t: &Timestamp) -> Option<i64> {
    let (y, m, d) = (i64::from(t.year), i64::from(t.month), i64::from(t.day));
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let (h, mi, s) = t.time.map_or((0, 0, 0), |(h, m, s)| {
        (i64::from(h), i64::from(m), i64::from(s))
    });
    let offset = t.zone.as_deref().and_then(|z| {
        let sign = match z.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let (hh, mm) = z[1..].split_once(':').unwrap_or((&z[1..], "0"));
        Some(sign * (hh.parse::<i64>().ok()? * 3600 + mm.parse::<i64>().ok()? * 60))
    });
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_to_epoch_seconds() {
        let t = |s: &str| planwright_core::time::find_timestamp(s, 0).and_then(|t| epoch(&t));
        assert_eq!(t("1970-01-01"), Some(0));
        assert_eq!(t("2026-12-03T14:05:09Z"), Some(1_796_306_709));
        assert_eq!(t("2026-12-03 16:05+02:00"), t("2026-12-03 14:05Z"));
        assert_eq!(
            crate::clock::rfc3339_of(1_796_306_709),
            "2026-12-03T14:05:09Z"
        );
    }
}
