//! The lifecycle commands — `submit`, `approve`, `supersede` — as byte-range edits of the
//! plan files, taken under the repository lock and refused with a reason (exit 2) when the
//! move would make the record wrong.

use crate::discover::{self, Target};
use crate::error::Error;
use crate::fsenv::FsEnv;
use crate::workspace::{Changes, Workspace, read, refuse};
use planwright_core::digest::{digest, whole_lines};
use planwright_core::edit::{Edit, apply};
use planwright_core::model::{Plan, SectionKind, Status};
use planwright_core::{Severity, Span};

fn status_of(src: &str, plan: &Plan, t: &Target) -> Result<(Option<Status>, Span), Error> {
    let (_, span) = plan.status_text(src).ok_or_else(|| {
        refuse(format!(
            "{} has no **Status:** field\n  help: add `**Status:** draft` under the title",
            t.rel
        ))
    })?;
    Ok((plan.status(src), span))
}

/// Sets a header field: replaces its value, or inserts `**Name:** value` after the last
/// header field.
pub(crate) fn set_field(src: &str, plan: &Plan, name: &str, display: &str, value: &str) -> Edit {
    if let Some(f) = plan.field(name) {
        if f.inline.is_empty() {
            return Edit::replace(
                Span::new(f.name_span.end, whole_line_end(src, f.name_span.end)),
                format!(":** {value}"),
            );
        }
        return Edit::replace(f.inline, value);
    }
    let at = plan
        .fields
        .iter()
        .map(|f| whole_lines(src, f.span).end)
        .max()
        .or_else(|| plan.title.as_ref().map(|t| whole_lines(src, t.span).end))
        .unwrap_or(0);
    let mut text = format!("**{display}:** {value}\n");
    if at > 0 && !src[..at].ends_with('\n') {
        text.insert(0, '\n');
    }
    Edit::insert(at, text)
}

fn whole_line_end(src: &str, at: usize) -> usize {
    src[at..].find(['\r', '\n']).map_or(src.len(), |i| at + i)
}

/// `planwright submit`: draft → in_review.
pub fn submit(ws: &Workspace, arg: &str, dry_run: bool) -> Result<Changes, Error> {
    let mut changes = Changes::new(dry_run);
    let t = ws.resolve(arg)?;
    let _lock = ws.lock(dry_run)?;
    let (src, plan) = read(&t)?;
    let (status, span) = status_of(&src, &plan, &t)?;
    match status {
        Some(Status::Draft) => {}
        Some(Status::InReview) => {
            return Err(crate::error::conflict(format!(
                "{} is already in review\n  help: `planwright approve {arg} --approver @name` once reviewed",
                t.rel
            )));
        }
        Some(Status::Approved) => {
            return Err(refuse(format!(
                "{} is approved and frozen\n  help: to change it, write a new plan and `planwright supersede {arg} --by NEW`",
                t.rel
            )));
        }
        Some(Status::Superseded) => {
            return Err(refuse(format!(
                "{} is superseded; it stays as a record",
                t.rel
            )));
        }
        _ => {
            return Err(refuse(format!(
                "{}: status `{}` cannot be submitted\n  help: set `**Status:** draft` first",
                t.rel,
                span.text(&src)
            )));
        }
    }
    let new =
        apply(&src, &[Edit::replace(span, "in_review")]).map_err(|e| refuse(e.to_string()))?;
    changes.commit(ws, &t, &src, &new)?;
    changes.plan(&t);
    changes.status = Some("in_review");
    if !dry_run {
        changes.say(format!("{}: draft → in_review", t.rel));
        crate::regenerate::update(ws, &mut changes)?;
    }
    Ok(changes)
}

/// Options of `planwright approve`.
pub struct Approval<'a> {
    pub approver: &'a str,
    pub date: &'a str,
    pub force: bool,
}

/// `planwright approve`: draft or in_review → approved, with approver, date and digest.
pub fn approve(
    ws: &Workspace,
    arg: &str,
    a: &Approval<'_>,
    dry_run: bool,
) -> Result<Changes, Error> {
    let mut changes = Changes::new(dry_run);
    let t = ws.resolve(arg)?;
    let _lock = ws.lock(dry_run)?;
    let (src, plan) = read(&t)?;
    let (status, span) = status_of(&src, &plan, &t)?;
    match status {
        Some(Status::Draft | Status::InReview) => {}
        Some(Status::Approved) => {
            return Err(crate::error::conflict(format!(
                "{} is already approved",
                t.rel
            )));
        }
        Some(Status::Superseded) => {
            return Err(refuse(format!(
                "{} is superseded; it stays as a record\n  help: approve its successor instead",
                t.rel
            )));
        }
        _ => {
            return Err(refuse(format!(
                "{}: status `{}` cannot be approved",
                t.rel,
                span.text(&src)
            )));
        }
    }
    let approver = if a.approver.starts_with('@') {
        a.approver.to_owned()
    } else {
        format!("@{}", a.approver)
    };
    // Open questions block approval unless forced.
    let open = open_questions(&src, &plan);
    if open && !a.force {
        return Err(refuse(format!(
            "{} has open Outstanding Questions\n  help: answer them (or write `None at this time.`), or approve with --force, which is recorded in the Decision Log",
            t.rel
        )));
    }
    let mut edits = vec![
        Edit::replace(span, "approved"),
        set_field(&src, &plan, "approver", "Approver", &approver),
        set_field(&src, &plan, "approved", "Approved", a.date),
    ];
    if open {
        edits.push(decision_entry(&src, &plan, a.date, &approver));
    }
    let approved = apply(&src, &edits).map_err(|e| refuse(e.to_string()))?;
    // Freeze: the digest of the approved content, recorded in the header.
    let reparsed = planwright_core::read(&approved, t.hint);
    let d = digest(&approved, &reparsed);
    let frozen = apply(
        &approved,
        &[set_field(&approved, &reparsed, "digest", "Digest", &d)],
    )
    .map_err(|e| refuse(e.to_string()))?;
    // The plan must check clean as approved (placeholders, approval fields, links, …).
    let approved = frozen;
    let env = FsEnv::new(ws.root.clone());
    let mut rules = ws.config.rules.clone();
    let _ = rules.set(
        planwright_core::rules::frozen_plan_modified::NAME,
        Severity::Off,
    );
    let (_, diags) = planwright_core::check(&approved, Some(&t.rel), &env, &rules, t.hint);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        let idx = planwright_core::LineIndex::new(&approved);
        let list: Vec<String> = errors
            .iter()
            .take(5)
            .map(|d| {
                format!(
                    "  {}:{}: {} [{}]",
                    t.rel,
                    idx.line_col(&approved, d.span.start).0,
                    d.message,
                    d.rule
                )
            })
            .collect();
        let more = if errors.len() > list.len() {
            format!("\n  … and {} more", errors.len() - list.len())
        } else {
            String::new()
        };
        return Err(refuse(format!(
            "{} has {} error{} and cannot be approved:\n{}{more}\n  help: fix them, then approve again; `planwright approve {arg} --approver {approver} --dry-run` tries without writing",
            t.rel,
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            list.join("\n")
        )));
    }
    changes.commit(ws, &t, &src, &approved)?;
    changes.plan(&t);
    changes.status = Some("approved");
    if !dry_run {
        changes.say(format!(
            "{}: approved by {approver} on {}; frozen as {d}",
            t.rel, a.date
        ));
        crate::regenerate::update(ws, &mut changes)?;
    }
    Ok(changes)
}

/// Does the Outstanding Questions section hold questions (anything but "None…")?
fn open_questions(src: &str, plan: &Plan) -> bool {
    let Some(s) = plan.section(SectionKind::OutstandingQuestions) else {
        return false;
    };
    let body = Span::new(s.heading.end, s.span.end).text(src).trim();
    !(body.is_empty() || body.to_ascii_lowercase().starts_with("none") || body == "-")
}

/// An entry in the Decision Log recording a forced approval (the section is created when
/// missing).
fn decision_entry(src: &str, plan: &Plan, date: &str, approver: &str) -> Edit {
    let entry = format!(
        "- Decision: approved with open Outstanding Questions (`planwright approve --force`).\n  Rationale: recorded by planwright; the questions stay open in the plan.\n  Date/Author: {date}, {approver}\n"
    );
    crate::living::edit(src, plan, SectionKind::DecisionLog, "Decision Log", &entry)
}

/// `planwright supersede OLD --by NEW`.
pub fn supersede(
    ws: &Workspace,
    old_arg: &str,
    new_arg: &str,
    dry_run: bool,
) -> Result<Changes, Error> {
    let mut changes = Changes::new(dry_run);
    let old_t = ws.resolve(old_arg)?;
    let new_t = ws.resolve(new_arg)?;
    if old_t.rel == new_t.rel {
        return Err(refuse("a plan cannot supersede itself"));
    }
    let _lock = ws.lock(dry_run)?;
    let (old_src, old_plan) = read(&old_t)?;
    let (new_src, new_plan) = read(&new_t)?;
    let (status, span) = status_of(&old_src, &old_plan, &old_t)?;
    match status {
        Some(Status::Approved | Status::InReview) => {}
        Some(Status::Superseded) => {
            return Err(crate::error::conflict(format!(
                "{} is already superseded",
                old_t.rel
            )));
        }
        _ => {
            return Err(refuse(format!(
                "{} is a {}; only a plan in review or approved is superseded\n  help: a draft can simply be edited or deleted",
                old_t.rel,
                span.text(&old_src)
            )));
        }
    }
    // `[slug](../path/)` from one plan's folder to the other's.
    let link = |from: &Target, to: &Target| {
        let name = discover::slug_of(&to.rel).unwrap_or_else(|| to.rel.clone());
        format!(
            "[{name}]({})",
            crate::views::relative_link(&from.rel, &to.rel)
        )
    };
    let old_new = apply(
        &old_src,
        &[
            Edit::replace(span, "superseded"),
            set_field(
                &old_src,
                &old_plan,
                "superseded by",
                "Superseded by",
                &link(&old_t, &new_t),
            ),
        ],
    )
    .map_err(|e| refuse(e.to_string()))?;
    let new_new = apply(
        &new_src,
        &[set_field(
            &new_src,
            &new_plan,
            "supersedes",
            "Supersedes",
            &link(&new_t, &old_t),
        )],
    )
    .map_err(|e| refuse(e.to_string()))?;
    changes.commit(ws, &new_t, &new_src, &new_new)?;
    changes.commit(ws, &old_t, &old_src, &old_new)?;
    changes.plan(&old_t);
    changes.status = Some("superseded");
    changes.by = discover::slug_of(&new_t.rel).or_else(|| Some(new_t.rel.clone()));
    if !dry_run {
        changes.say(format!("{}: superseded by {}", old_t.rel, new_t.rel));
        if matches!(new_plan.status(&new_src), Some(Status::Draft) | None) {
            changes.say(format!(
                "warning: {} is a draft; {} now points at a plan nobody has reviewed\n  help: `planwright submit` it, and approve it before work moves over",
                new_t.rel, old_t.rel
            ));
        }
        crate::regenerate::update(ws, &mut changes)?;
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use crate::views::relative_link;

    #[test]
    fn links_between_plans() {
        assert_eq!(
            relative_link("spec/plans/a/README.md", "spec/plans/b/README.md"),
            "../b/"
        );
        assert_eq!(
            relative_link("spec/plans/a/README.md", "spec/plans/r/c/README.md"),
            "../r/c/"
        );
        assert_eq!(
            relative_link("spec/plans/r/c/README.md", "spec/plans/a/README.md"),
            "../../a/"
        );
        assert_eq!(relative_link("spec/plans/x.md", "spec/plans/y.md"), "y.md");
    }
}
