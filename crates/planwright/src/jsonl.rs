//! The caches' files: JSON Lines after a header line, one record per line, each starting with
//! its key (`{"rel":"…"`). Opening one only finds where each line is and hashes its key; a
//! record is found by its key's hash, read in place, and parsed by whoever needs it. (A map
//! of owned keys cost a third of opening a 10,000-line cache; a binary search over the keys
//! in place, 14 cache misses a lookup, cost more than the lookups' parsing.)

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

/// Where each record of a JSON Lines text is, by key; records are numbered `0..len()`.
#[derive(Debug, Default)]
pub struct Records {
    /// Each record's line, and where its key is in it (empty for a key escaped in JSON).
    lines: Vec<(Range<usize>, Range<usize>)>,
    /// Record numbers by their key's hash (of two keys with the same hash, one is found).
    by_hash: HashMap<u64, usize>,
    hasher: RandomState,
    /// The few keys escaped in JSON, as read, with their record numbers.
    escaped: Vec<(String, usize)>,
}

impl Records {
    /// The records of `text` after its first `header` bytes (each line ends with its
    /// newline). Of two records with the same key, the later one is found.
    pub fn index(bytes: &[u8], header: usize) -> Records {
        let mut r = Records::default();
        let n = memchr::memchr_iter(b'\n', bytes).count() + 1;
        r.lines.reserve(n);
        r.by_hash.reserve(n);
        let mut at = header.min(bytes.len());
        while at < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
            let line = &bytes[at..end];
            let i = r.lines.len();
            if let Some(key) = plain_key(line) {
                let from = at + PREFIX.len();
                r.lines.push((at..end, from..from + key.len()));
                r.by_hash.insert(r.hasher.hash_one(key), i);
            } else if let Some(key) = escaped_key(line) {
                r.lines.push((at..end, 0..0));
                r.escaped.push((key, i));
            }
            at = end;
        }
        r
    }

    /// The number of the record whose key is `key`.
    pub fn find(&self, bytes: &[u8], key: &str) -> Option<usize> {
        if let Some(&i) = self.by_hash.get(&self.hasher.hash_one(key.as_bytes()))
            && bytes[self.lines[i].1.clone()] == *key.as_bytes()
        {
            return Some(i);
        }
        self.escaped.iter().find(|(k, _)| k == key).map(|&(_, i)| i)
    }

    /// The line of record `i`.
    pub fn line(&self, i: usize) -> Range<usize> {
        self.lines[i].0.clone()
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// How a record's line starts, before its key.
const PREFIX: &[u8] = b"{\"rel\":\"";

/// The key a line starts with (`{"rel":"…"`), when it is written without escapes (its bytes
/// are then the key's UTF-8, or the line is not one of planwright's).
fn plain_key(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(PREFIX)?;
    let key = &rest[..memchr::memchr(b'"', rest)?];
    (!key.contains(&b'\\')).then_some(key)
}

/// The key of a line whose key is escaped, read by the JSON reader.
fn escaped_key(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Key {
        rel: String,
    }
    serde_json::from_slice::<Key>(line).ok().map(|k| k.rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_found_by_key_escaped_or_not() {
        let text = "{\"format\":1}\n\
            {\"rel\":\"b\",\"n\":2}\n\
            {\"rel\":\"a\",\"n\":1}\n\
            {\"rel\":\"q\\\"uote\",\"n\":3}\n\
            not json\n\
            {\"rel\":\"c\",\"n\":4}";
        let header = text.find('\n').unwrap() + 1;
        let r = Records::index(text.as_bytes(), header);
        assert_eq!(r.len(), 4);
        let line = |k: &str| r.find(text.as_bytes(), k).map(|i| &text[r.line(i)]);
        assert_eq!(line("a"), Some("{\"rel\":\"a\",\"n\":1}\n"));
        assert_eq!(line("b"), Some("{\"rel\":\"b\",\"n\":2}\n"));
        assert_eq!(line("c"), Some("{\"rel\":\"c\",\"n\":4}"));
        assert_eq!(line("q\"uote"), Some("{\"rel\":\"q\\\"uote\",\"n\":3}\n"));
        assert_eq!(line("d"), None);
    }
}
