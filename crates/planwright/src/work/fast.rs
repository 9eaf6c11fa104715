//! A fast reader for the files planwright itself writes: `key = value` lines with basic or
//! literal strings, arrays of strings on one line, numbers, booleans, and `[verification]`.
//! Anything else returns `None`, and the caller falls back to the full TOML parser.

use super::{Event, Item, ItemStatus, Verification};

enum Val {
    Str(String),
    Arr(Vec<String>),
    Num(f64),
    Bool(bool),
}

fn string(s: &str) -> Option<(String, &str)> {
    let b = s.as_bytes();
    match b.first()? {
        b'\'' => {
            if s.starts_with("'''") {
                return None;
            }
            let end = s[1..].find('\'')? + 1;
            Some((s[1..end].to_owned(), &s[end + 1..]))
        }
        b'"' => {
            if s.starts_with("\"\"\"") {
                return None;
            }
            let mut out = String::new();
            let mut it = s[1..].char_indices();
            while let Some((i, c)) = it.next() {
                match c {
                    '"' => return Some((out, &s[i + 2..])),
                    '\\' => match it.next()?.1 {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        _ => return None,
                    },
                    c => out.push(c),
                }
            }
            None
        }
        _ => None,
    }
}

fn value(s: &str) -> Option<Val> {
    let s = s.trim();
    if s.starts_with(['"', '\'']) {
        let (v, rest) = string(s)?;
        return rest.trim().is_empty().then_some(Val::Str(v));
    }
    if let Some(mut rest) = s.strip_prefix('[') {
        let mut items = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix(']') {
                return r.trim().is_empty().then_some(Val::Arr(items));
            }
            let (v, r) = string(rest)?;
            items.push(v);
            rest = r.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
    }
    match s {
        "true" => Some(Val::Bool(true)),
        "false" => Some(Val::Bool(false)),
        _ => s.parse::<f64>().ok().map(Val::Num),
    }
}

/// `(table, key, value)` per line; `None` on anything unexpected.
fn lines(text: &str) -> Option<Vec<(&str, &str, Val)>> {
    let mut table = "";
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') && !line.contains('=') {
            table = line;
            continue;
        }
        let eq = memchr::memmem::find(line.as_bytes(), b" = ")?;
        out.push((table, line[..eq].trim(), value(&line[eq + 3..])?));
    }
    Some(out)
}

fn status(s: &str) -> Option<ItemStatus> {
    Some(match s {
        "todo" => ItemStatus::Todo,
        "in_progress" => ItemStatus::InProgress,
        "blocked" => ItemStatus::Blocked,
        "done" => ItemStatus::Done,
        "cancelled" => ItemStatus::Cancelled,
        _ => return None,
    })
}

pub(super) fn item(text: &str) -> Option<Item> {
    let mut i = Item {
        id: String::new(),
        plan: String::new(),
        step: String::new(),
        title: String::new(),
        status: ItemStatus::Todo,
        parent: None,
        depends_on: Vec::new(),
        acceptance_criteria: Vec::new(),
        produces: Vec::new(),
        verify: Vec::new(),
        assignee: None,
        weight: 1.0,
        impact: String::new(),
        effort: String::new(),
        order: 0,
        superseded: false,
        verification: None,
        events: Vec::new(),
    };
    let (mut id, mut plan, mut step, mut title) = (false, false, false, false);
    for (table, k, v) in lines(text)? {
        if !table.is_empty() {
            return None;
        }
        match (k, v) {
            ("id", Val::Str(s)) => (i.id, id) = (s, true),
            ("plan", Val::Str(s)) => (i.plan, plan) = (s, true),
            ("step", Val::Str(s)) => (i.step, step) = (s, true),
            ("title", Val::Str(s)) => (i.title, title) = (s, true),
            ("status", Val::Str(s)) => i.status = status(&s)?,
            ("parent", Val::Str(s)) => i.parent = Some(s),
            ("assignee", Val::Str(s)) => i.assignee = Some(s),
            ("impact", Val::Str(s)) => i.impact = s,
            ("effort", Val::Str(s)) => i.effort = s,
            ("depends_on", Val::Arr(a)) => i.depends_on = a,
            ("acceptance_criteria", Val::Arr(a)) => i.acceptance_criteria = a,
            ("produces", Val::Arr(a)) => i.produces = a,
            ("verify", Val::Arr(a)) => i.verify = a,
            ("weight", Val::Num(n)) => i.weight = n,
            ("order", Val::Num(n)) if n >= 0.0 && n.fract() == 0.0 => i.order = n as usize,
            ("superseded", Val::Bool(b)) => i.superseded = b,
            _ => return None,
        }
    }
    (id && plan && step && title).then_some(i)
}

pub(super) fn event(text: &str) -> Option<Event> {
    let mut e = Event::default();
    let mut v: Option<Verification> = None;
    let (mut at, mut by, mut what) = (false, false, false);
    for (table, k, val) in lines(text)? {
        match (table, k, val) {
            ("", "at", Val::Str(s)) => (e.at, at) = (s, true),
            ("", "by", Val::Str(s)) => (e.by, by) = (s, true),
            ("", "what", Val::Str(s)) => (e.what, what) = (s, true),
            ("", "note", Val::Str(s)) => e.note = s,
            ("", "status", Val::Str(s)) => e.status = Some(status(&s)?),
            ("", "assignee", Val::Str(s)) => e.assignee = Some(s),
            ("", "superseded", Val::Bool(b)) => e.superseded = b,
            ("[verification]", k, val) => {
                let r = v.get_or_insert_with(|| Verification {
                    at: String::new(),
                    by: String::new(),
                    passed: false,
                    results: Vec::new(),
                    evidence: Vec::new(),
                });
                match (k, val) {
                    ("at", Val::Str(s)) => r.at = s,
                    ("by", Val::Str(s)) => r.by = s,
                    ("passed", Val::Bool(b)) => r.passed = b,
                    ("results", Val::Arr(a)) => r.results = a,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    e.verification = v;
    (at && by && what).then_some(e)
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the fast reader accepts, it reads as the toml crate does.
        #[test]
        fn the_fast_reader_agrees_with_toml(
            title in "\\PC{0,30}",
            crit in proptest::collection::vec("\\PC{0,20}", 0..3),
            note in "[a-z \"'\\\\]{0,20}",
            passed in any::<bool>(),
        ) {
            let item = Item {
                id: "p#1".into(), plan: "spec/plans/p/README.md".into(), step: "1".into(),
                title, status: ItemStatus::Todo, parent: None, depends_on: vec!["p#0".into()],
                acceptance_criteria: crit, produces: vec![], verify: vec!["cargo test".into()],
                assignee: None, weight: 2.5, impact: "high".into(), effort: "M".into(), order: 3,
                superseded: false, verification: None, events: vec![],
            };
            let text = toml::to_string(&item).expect("toml");
            let slow: Item = toml::from_str(&text).expect("parse");
            if let Some(fast) = fast::item(&text) {
                prop_assert_eq!(fast, slow);
            }
            let ev_plain = !note.contains(['"', '\'', '\\']);
            let ev = Event {
                at: "2026-11-21 10:00Z".into(), by: "@a".into(), what: "verification".into(),
                note, status: Some(ItemStatus::Done), assignee: Some("@b".into()), superseded: false,
                verification: Some(Verification { at: "x".into(), by: "y".into(), passed, results: vec!["exit 0: true".into()], evidence: vec![] }),
            };
            let text = toml::to_string(&ev).expect("toml");
            let slow: Event = toml::from_str(&text).expect("parse");
            if let Some(fast) = fast::event(&text) {
                prop_assert_eq!(fast, slow);
            }
            // Plain text, which is what planwright writes nearly always, takes the fast way.
            if ev_plain {
                prop_assert!(fast::event(&text).is_some(), "{}", text);
            }
        }
    }
}
