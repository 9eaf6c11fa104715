//! The freeze: a SHA-256 digest of a plan's frozen content — everything but the Status value,
//! the Superseded by, Supersedes and Digest fields (the lifecycle writes them after approval),
//! and the four living sections (seed 001), which stay editable after approval. Whitespace is normalised (line endings, trailing spaces, runs of
//! blank lines), so converting CRLF to LF or appending a living section is not a change of
//! content.

use crate::model::{Plan, SectionKind};
use crate::span::Span;

/// The parts of a plan the freeze leaves out, in order: the Status value, the Superseded by,
/// Supersedes and Digest lines, the living sections.
pub fn unfrozen(src: &str, plan: &Plan) -> Vec<Span> {
    let mut cut: Vec<Span> = Vec::new();
    if let Some((_, span)) = plan.status_text(src) {
        cut.push(span);
    }
    for name in ["superseded by", "supersedes", "digest"] {
        if let Some(f) = plan.field(name) {
            cut.push(whole_lines(src, f.span));
        }
    }
    for s in plan
        .sections
        .iter()
        .filter(|s| SectionKind::LIVING.contains(&s.kind))
    {
        cut.push(s.span);
    }
    cut.sort_by_key(|s| s.start);
    cut
}

/// The frozen content of a plan, as hashed.
pub fn frozen_content(src: &str, plan: &Plan) -> String {
    let cut = unfrozen(src, plan);
    let mut out = String::with_capacity(src.len());
    let mut pos = 0;
    for s in cut {
        if s.start > pos {
            out.push_str(&src[pos..s.start]);
        }
        pos = pos.max(s.end);
    }
    out.push_str(src.get(pos..).unwrap_or(""));
    normalize(&out)
}

/// Whitespace that carries no content does not count: line endings, trailing spaces, runs of
/// blank lines (cutting a living section out, or appending one, moves blank lines around).
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run = true;
            continue;
        }
        if blank_run && !out.is_empty() {
            out.push('\n');
        }
        blank_run = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Extends a span to the whole lines it touches, terminator included.
pub fn whole_lines(src: &str, span: Span) -> Span {
    let start = src[..span.start.min(src.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = src[span.end.min(src.len())..]
        .find('\n')
        .map_or(src.len(), |i| span.end + i + 1);
    Span::new(start, end)
}

/// `sha256:<hex>` of the frozen content.
pub fn digest(src: &str, plan: &Plan) -> String {
    format!(
        "sha256:{}",
        hex(&sha256(frozen_content(src, plan).as_bytes()))
    )
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (FIPS 180-4), with the processor's SHA instructions where it has them.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            hex(&sha256(long)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn living_sections_and_status_are_not_frozen() {
        let a = "# Plan: X\n\n**Status:** in_review\n\n## Steps\n\n### 1. A\n\n## Progress\n\n- [x] one\n";
        let b = "# Plan: X\n\n**Status:** approved\n**Digest:** sha256:00\n\n## Steps\n\n### 1. A\n\n## Progress\n\n- [x] one\n- [ ] two\n";
        let c = "# Plan: X\n\n**Status:** approved\n\n## Steps\n\n### 1. B\n\n## Progress\n\n- [x] one\n";
        let d = |s: &str| digest(s, &crate::parse(s).0);
        assert_eq!(d(a), d(b));
        assert_ne!(d(a), d(c));
        assert_eq!(d(a), d(&a.replace('\n', "\r\n")));
        let no_living = "# Plan: X\n\n**Status:** approved\n\n## Steps\n\n### 1. A\n";
        assert_eq!(
            d(no_living),
            d(&format!("{no_living}\n## Progress\n\n- [x] done\n"))
        );
    }
}
