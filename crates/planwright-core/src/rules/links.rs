//! Resolving link targets against the repository: relative, root-relative, outside the root,
//! absolute local paths, external addresses.

use crate::text::{push_path_segment, split_bytes};

/// Where a link points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A path inside the repository, relative to its root, with `/`.
    Local(String),
    /// A relative path that climbs above the repository root.
    OutsideRoot,
    /// A path on the author's machine (`/Users/…`, `C:\…`, `file://…`, `~/…`).
    AbsoluteLocal,
    /// `http(s)://…`
    External,
    /// `#anchor`, `mailto:`, or nothing to check.
    Skip,
}

fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return std::borrow::Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (b.get(i + 1).and_then(hex), b.get(i + 2).and_then(hex))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| s.to_owned()))
}

fn hex(c: &u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

const MACHINE_ROOTS: &[&str] = &[
    "/Users/",
    "/home/",
    "/tmp/",
    "/var/",
    "/etc/",
    "/opt/",
    "/mnt/",
    "/private/",
    "/root/",
    "/usr/",
    "/Volumes/",
];

/// Resolves `target`, written in the file at `from` (root-relative, `/`-separated).
pub(crate) fn resolve(from: &str, target: &str) -> Target {
    let t = target.trim().trim_start_matches('<').trim_end_matches('>');
    if t.is_empty() || t.starts_with('#') {
        return Target::Skip;
    }
    if crate::parse::is_external(t) {
        return Target::External;
    }
    if t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("file:")) || t.starts_with("~/") {
        return Target::AbsoluteLocal;
    }
    let bytes = t.as_bytes();
    if bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/')
    {
        return Target::AbsoluteLocal;
    }
    // Any other scheme (mailto:, tel:, data:, vscode:, …).
    if let Some(colon) = t.find(':') {
        let scheme = &t[..colon];
        if !scheme.is_empty()
            && !scheme.contains('/')
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            return Target::Skip;
        }
    }
    let path = &t[..t
        .bytes()
        .position(|b| b == b'#' || b == b'?')
        .unwrap_or(t.len())];
    if path.is_empty() {
        return Target::Skip;
    }
    let path = percent_decode(path);
    if path.starts_with('/') {
        if MACHINE_ROOTS.iter().any(|r| path.starts_with(r)) {
            return Target::AbsoluteLocal;
        }
        return normalize("", path.trim_start_matches('/'));
    }
    let dir = &from[..from.bytes().rposition(|b| b == b'/').unwrap_or(0)];
    normalize(dir, &path)
}

fn normalize(dir: &str, rel: &str) -> Target {
    // Built in place: each `..` cuts the last segment off.
    let mut out = String::with_capacity(dir.len() + rel.len() + 1);
    for seg in split_bytes(Some(dir), |b| b == b'/').filter(|s| !s.is_empty()) {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    }
    let inside = split_bytes(Some(rel), |b| b == b'/' || b == b'\\')
        .all(|seg| push_path_segment(&mut out, seg));
    if inside {
        Target::Local(out)
    } else {
        Target::OutsideRoot
    }
}

/// The Markdown spec a plan comes from: the repository path its Source (or a lightweight
/// PLAN's From) links to — the folder's README when the link names a folder — and the field.
/// `None` when the plan has no such link, or the link leaves the repository.
pub(crate) fn source_spec<'a>(
    cx: &'a super::Context<'_>,
) -> Option<(String, &'a crate::model::Field)> {
    use crate::model::PlanKind;
    let path = cx.path?;
    let name = match cx.plan.kind {
        PlanKind::Development | PlanKind::Roadmap => "source",
        PlanKind::Lite => "from",
        _ => return None,
    };
    let f = cx.plan.field(name)?;
    let link = cx
        .plan
        .links
        .iter()
        .find(|l| f.span.start <= l.span.start && l.span.end <= f.span.end)?;
    let Target::Local(mut p) = resolve(path, &link.target) else {
        return None;
    };
    if cx.env.is_dir(&p) == Some(true) {
        p = if p.is_empty() {
            "README.md".to_owned()
        } else {
            format!("{p}/README.md")
        };
    }
    (p.ends_with(".md") && p != path).then_some((p, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_a_markdown_viewer() {
        let from = "spec/plans/x/README.md";
        assert_eq!(
            resolve(from, "../../features/cli/"),
            Target::Local("spec/features/cli".into())
        );
        assert_eq!(
            resolve(from, "acs/e2e/README.md#top"),
            Target::Local("spec/plans/x/acs/e2e/README.md".into())
        );
        assert_eq!(resolve(from, "../../../../../other"), Target::OutsideRoot);
        assert_eq!(resolve(from, "/Users/me/x.md"), Target::AbsoluteLocal);
        assert_eq!(
            resolve(from, "/docs/a.md"),
            Target::Local("docs/a.md".into())
        );
        assert_eq!(resolve(from, "https://x.org"), Target::External);
        assert_eq!(resolve(from, "mailto:a@b"), Target::Skip);
        assert_eq!(resolve(from, "#anchor"), Target::Skip);
        assert_eq!(
            resolve(from, "a%20b.md"),
            Target::Local("spec/plans/x/a b.md".into())
        );
    }
}
