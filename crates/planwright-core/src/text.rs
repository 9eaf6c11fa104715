//! Small text helpers shared by the parser and the rules: normalising names and reading values.

/// Lower-cases, turns `-`, `_`, `/` and `&` into word separators (`&` becomes `and`),
/// drops other punctuation and collapses spaces: `Surprises & Discoveries` →
/// `surprises and discoveries`, `Depends-On` → `depends on`.
pub fn normalize_name(name: &str) -> String {
    // The usual short ASCII name on the stack first; anything else the general way.
    let mut buf = [0u8; 48];
    match normalize_ascii_into(name, &mut buf) {
        Some(n) => n.to_owned(),
        None => normalize_unicode(name),
    }
}

fn normalize_unicode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c == '&' || c == '+' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            pending_space = true;
        } else if c != '\'' && c != '\u{2019}' {
            pending_space = true;
        }
    }
    out
}

/// Calls `f` with [`normalize_name`] of `name`: on the stack for a short ASCII name (every
/// name the format knows is one), allocated otherwise.
pub(crate) fn with_normal_name<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 48];
    match normalize_ascii_into(name, &mut buf) {
        Some(n) => f(n),
        None => f(&normalize_unicode(name)),
    }
}

/// [`normalize_name`] of a short ASCII name into `buf`; `None` when the name is not ASCII or
/// its normal form does not fit.
fn normalize_ascii_into<'b>(name: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    if !name.is_ascii() {
        return None;
    }
    let mut n = 0;
    let mut pending_space = false;
    let mut put = |bytes: &[u8], n: &mut usize| -> Option<()> {
        let end = *n + bytes.len();
        buf.get_mut(*n..end)?.copy_from_slice(bytes);
        *n = end;
        Some(())
    };
    for &c in name.as_bytes() {
        if c.is_ascii_alphanumeric() {
            if pending_space && n > 0 {
                put(b" ", &mut n)?;
            }
            pending_space = false;
            put(&[c.to_ascii_lowercase()], &mut n)?;
        } else if c == b'&' || c == b'+' {
            if n > 0 {
                put(b" ", &mut n)?;
            }
            put(b"and", &mut n)?;
            pending_space = true;
        } else if c != b'\'' {
            pending_space = true;
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Strips Markdown decoration around a short value: backticks, emphasis, trailing periods.
pub fn strip_decoration(s: &str) -> &str {
    if s.is_ascii() {
        return strip_decoration_ascii(s);
    }
    strip_decoration_general(s)
}

/// [`strip_decoration`] on bytes, for ASCII text (the usual field value).
fn strip_decoration_ascii(s: &str) -> &str {
    let b = s.as_bytes();
    let (mut a, mut z) = (0, b.len());
    let trim = |a: &mut usize, z: &mut usize| {
        while *a < *z && b[*a].is_ascii_whitespace() {
            *a += 1;
        }
        while *z > *a && b[*z - 1].is_ascii_whitespace() {
            *z -= 1;
        }
    };
    trim(&mut a, &mut z);
    loop {
        let before = (a, z);
        while a < z && matches!(b[a], b'`' | b'*' | b'_') {
            a += 1;
        }
        while z > a && matches!(b[z - 1], b'`' | b'*' | b'_') {
            z -= 1;
        }
        trim(&mut a, &mut z);
        if z > a && b[z - 1] == b'.' {
            z -= 1;
        }
        trim(&mut a, &mut z);
        if (a, z) == before {
            return &s[a..z];
        }
    }
}

fn strip_decoration_general(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let before = s;
        s = s.trim_matches(|c| c == '`' || c == '*' || c == '_').trim();
        s = s.strip_suffix('.').unwrap_or(s).trim();
        if s == before {
            return s;
        }
    }
}

/// Words that say "no dependencies".
pub fn is_none_word(s: &str) -> bool {
    // Stripping only removes decoration, spaces and parentheses: a digit anywhere stays, and
    // no none word has one. Most values (`Step 1`) leave here.
    if s.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let s = strip_decoration(s);
    let s = s
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(s)
        .trim();
    // None of the words has a digit or is longer than 15 bytes: most values leave here.
    if s.len() > 15 || s.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    NONE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

const NONE_WORDS: &[&str] = &[
    "",
    "none",
    "-",
    "—",
    "–",
    "--",
    "n/a",
    "na",
    "nothing",
    "no dependencies",
    "no",
    "nil",
    "null",
    "[]",
];

/// Is this a valid plan slug: lower-case ASCII letters and digits in dash-separated words?
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turns any name into a valid slug, for a fix hint.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "plan".to_owned()
    } else {
        out
    }
}

/// Edit distance, for did-you-mean suggestions.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1) + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The parts of a text between its separator bytes, as `str::split` gives them (none for no
/// text at all), found byte by byte: a separator is ASCII, so every cut falls on a character
/// boundary, and no searcher is set up for each part (parts are short: path segments, lines
/// of a list).
pub fn split_bytes<F: Fn(u8) -> bool>(text: Option<&str>, separator: F) -> SplitBytes<'_, F> {
    SplitBytes {
        rest: text,
        separator,
    }
}

/// The iterator of [`split_bytes`].
pub struct SplitBytes<'a, F> {
    rest: Option<&'a str>,
    separator: F,
}

impl<'a, F: Fn(u8) -> bool> Iterator for SplitBytes<'a, F> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| (self.separator)(b)) {
            Some(i) => {
                self.rest = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// Applies one segment of a relative path to `out`, a `/`-separated path being built: `""`
/// and `.` change nothing, `..` cuts the last segment off, anything else is appended. `false`
/// when `..` climbs above the start.
pub fn push_path_segment(out: &mut String, segment: &str) -> bool {
    match segment {
        "" | "." => {}
        ".." => {
            if out.is_empty() {
                return false;
            }
            out.truncate(out.bytes().rposition(|b| b == b'/').unwrap_or(0));
        }
        s => {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(s);
        }
    }
    true
}

/// The slug of a plan (`chat-feature/chat-infrastructure`), from its path under `spec/plans/`.
pub fn slug_of(rel: &str) -> Option<String> {
    let rest = rel.strip_prefix("spec/plans/")?;
    let slug = rest
        .strip_suffix("/README.md")
        .or_else(|| rest.strip_suffix(".md"))?;
    Some(slug.to_owned())
}

/// The path a Produces or Files entry names: its first code span, else its first word when
/// that looks like a path. Placeholders (`<plan>`) and absolute paths are not paths here.
pub fn path_of(entry: &str) -> Option<String> {
    path_in(entry).map(str::to_owned)
}

/// [`path_of`], borrowed from the entry.
pub fn path_in(entry: &str) -> Option<&str> {
    let raw = match entry.split_once('`') {
        Some((_, rest)) => rest.split_once('`')?.0,
        None => entry.split_whitespace().next()?,
    };
    let p = raw
        .trim()
        .trim_start_matches("./")
        .trim_end_matches([',', ';', ':']);
    let looks = p.contains('/') || p.contains('.');
    (looks && !p.is_empty() && !p.contains(['<', '>', ' ']) && !p.starts_with('/'))
        .then(|| p.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(
            normalize_name("Surprises & Discoveries"),
            "surprises and discoveries"
        );
        assert_eq!(normalize_name("Depends-On"), "depends on");
        assert_eq!(
            normalize_name("Purpose / Big Picture"),
            "purpose big picture"
        );
    }

    proptest::proptest! {
        #[test]
        fn ascii_decoration_strips_alike(s in "[ `*_.a-z]{0,16}") {
            proptest::prop_assert_eq!(strip_decoration_ascii(&s), strip_decoration_general(&s));
        }

        // The byte-level fast paths agree with the general one on every ASCII name.
        #[test]
        fn ascii_fast_paths_match_the_general_one(name in "[ -~]{0,60}") {
            let general = normalize_unicode(&name);
            proptest::prop_assert_eq!(normalize_name(&name), general.clone());
            let mut buf = [0u8; 48];
            if let Some(fast) = normalize_ascii_into(&name, &mut buf) {
                proptest::prop_assert_eq!(fast, general.as_str());
            } else {
                proptest::prop_assert!(general.len() > 48);
            }
        }
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("add-batch-mode"));
        assert!(!is_valid_slug("Add_Batch"));
        assert_eq!(slugify("Add Batch  mode!"), "add-batch-mode");
        assert_eq!(did_you_mean("chek", ["check", "graph"]), Some("check"));
    }
}
