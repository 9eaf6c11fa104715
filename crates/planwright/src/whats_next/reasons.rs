//! The words of the ranking: why one plan comes before the next, and each plan's reason.

use super::*;

pub(super) fn blockers(blocked: usize) -> String {
    match blocked {
        0 => "no blockers".to_owned(),
        1 => "1 blocked".to_owned(),
        n => format!("{n} blocked"),
    }
}

pub(super) fn roi_text(r: &Recommendation) -> String {
    format!("{}/{}", r.impact.value, r.effort.value)
}

/// The first part of the key that puts `a` before `b`.
pub(super) fn why_before(
    a: &Recommendation,
    b: &Recommendation,
    plans: &[Facts],
    index: &HashMap<&str, usize>,
) -> String {
    if a.roi != b.roi {
        return format!("higher ROI ({} against {})", roi_text(a), roi_text(b));
    }
    let equal = if roi_text(a) == roi_text(b) {
        format!("equal ROI ({})", roi_text(a))
    } else {
        format!("equal ROI ({} and {})", roi_text(a), roi_text(b))
    };
    if a.unblocked_by.is_empty() != b.unblocked_by.is_empty() {
        return format!("{equal}; newly unblocked by {}", a.unblocked_by.join(", "));
    }
    if a.momentum.is_some() != b.momentum.is_some() {
        return format!(
            "{equal}; momentum: its roadmap {} is in progress and {} stands alone",
            a.momentum.as_deref().unwrap_or("-"),
            b.plan
        );
    }
    let stage = |r: &Recommendation| {
        r.feature_status
            .as_deref()
            .map_or(0, crate::roi::feature_stage)
    };
    if stage(a) != stage(b) {
        return format!(
            "{equal}; its feature is {} against {}",
            a.feature_status.as_deref().unwrap_or("none"),
            b.feature_status.as_deref().unwrap_or("none")
        );
    }
    let status = |r: &Recommendation| {
        index
            .get(r.file.as_str())
            .and_then(|&k| plans[k].status)
            .map_or("no status", |s| s.as_str())
    };
    if status(a) != status(b) {
        return format!("{equal}; {} against {}", status(a), status(b));
    }
    format!("{equal}, equal on every other signal; by name")
}

/// The recommendation's line: ROI, then each signal that holds.
pub(super) fn reason(r: &Recommendation, approval: u8) -> String {
    let mut s = format!(
        "Impact: {}{}, Effort: {}{}.",
        r.impact.value,
        if r.impact.source == "inferred" {
            " (inferred)"
        } else {
            ""
        },
        r.effort.value,
        if r.effort.source == "inferred" {
            " (inferred)"
        } else {
            ""
        }
    );
    if !r.unblocked_by.is_empty() {
        let _ = write!(
            s,
            " Unblocked by {} completion.",
            r.unblocked_by.join(" and ")
        );
    }
    if let Some(m) = &r.momentum {
        let _ = write!(s, " Advances the {m} roadmap, already in progress.");
    }
    if let Some(f) = &r.feature_status {
        let _ = write!(s, " Its feature is {f}.");
    }
    s.push_str(match approval {
        3 => " Approved: ready to start.",
        2 => " In review: approve it to start.",
        1 => " A draft: review and approve it first.",
        _ => "",
    });
    if r.unblocked_by.is_empty() && r.momentum.is_none() {
        s.push_str(" No blockers, independent of current momentum.");
    }
    s
}
