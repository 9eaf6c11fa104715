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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 (FIPS 180-4).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, v) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
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
