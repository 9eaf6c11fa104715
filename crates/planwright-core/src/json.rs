//! A small JSON reader that keeps byte spans, for the JSON plan formats (Taskmaster's
//! `tasks.json`, Beads' `issues.jsonl`). serde_json gives values without positions;
//! diagnostics need the line of the dependency they are about.

use crate::span::Span;
use std::borrow::Cow;

/// A JSON value with the span it was read from.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number as written.
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// Members in the order written.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    pub span: Span,
    pub value: Value<'a>,
}

impl<'a> Node<'a> {
    /// A member of an object.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_array(&self) -> &[Node<'a>] {
        match &self.value {
            Value::Array(a) => a,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or a number's text: ids are written both ways.
    pub fn as_id(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(Cow::Borrowed(n)),
            _ => None,
        }
    }

    /// The span of a string's contents (without the quotes), or of the whole value.
    pub fn inner_span(&self) -> Span {
        match self.value {
            Value::String(_) if self.span.len() >= 2 => {
                Span::new(self.span.start + 1, self.span.end - 1)
            }
            _ => self.span,
        }
    }
}

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: usize,
    pub message: &'static str,
}

const MAX_DEPTH: usize = 128;

struct Reader<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
}

/// Reads one JSON value starting at `start`; returns it and the offset after it.
pub fn parse_at(src: &str, start: usize) -> Result<(Node<'_>, usize), Error> {
    let mut r = Reader {
        src,
        b: src.as_bytes(),
        pos: start,
    };
    let node = r.value(0)?;
    r.ws();
    Ok((node, r.pos))
}

/// Reads a whole text as one JSON value.
pub fn parse(src: &str) -> Result<Node<'_>, Error> {
    let (node, end) = parse_at(src, 0)?;
    if end != src.len() {
        return Err(Error {
            offset: end,
            message: "text after the JSON value",
        });
    }
    Ok(node)
}

impl<'a> Reader<'a> {
    fn err<T>(&self, message: &'static str) -> Result<T, Error> {
        Err(Error {
            offset: self.pos.min(self.b.len()),
            message,
        })
    }

    fn ws(&mut self) {
        while self.pos < self.b.len() && matches!(self.b[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        // A byte-order mark at the very start.
        if self.pos == 0 && self.src.starts_with('\u{feff}') {
            self.pos = 3;
            self.ws();
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Error> {
        if depth > MAX_DEPTH {
            return self.err("nested too deeply");
        }
        self.ws();
        let start = self.pos;
        let value = match self.b.get(self.pos) {
            None => return self.err("unexpected end of file"),
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                self.ws();
                if self.b.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                } else {
                    loop {
                        self.ws();
                        if self.b.get(self.pos) != Some(&b'"') {
                            return self.err("expected a member name in quotes");
                        }
                        let key = self.string()?;
                        self.ws();
                        if self.b.get(self.pos) != Some(&b':') {
                            return self.err("expected `:` after a member name");
                        }
                        self.pos += 1;
                        let v = self.value(depth + 1)?;
                        members.push((key, v));
                        self.ws();
                        match self.b.get(self.pos) {
                            Some(b',') => self.pos += 1,
                            Some(b'}') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return self.err("expected `,` or `}`"),
                        }
                    }
                }
                Value::Object(members)
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.b.get(self.pos) {
                            Some(b',') => self.pos += 1,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return self.err("expected `,` or `]`"),
                        }
                    }
                }
                Value::Array(items)
            }
            Some(b'"') => Value::String(self.string()?),
            Some(b't') if self.b[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Value::Bool(true)
            }
            Some(b'f') if self.b[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Value::Bool(false)
            }
            Some(b'n') if self.b[self.pos..].starts_with(b"null") => {
                self.pos += 4;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                let s = self.pos;
                self.pos += 1;
                while self.pos < self.b.len()
                    && matches!(
                        self.b[self.pos],
                        b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'
                    )
                {
                    self.pos += 1;
                }
                Value::Number(&self.src[s..self.pos])
            }
            Some(_) => return self.err("expected a JSON value"),
        };
        Ok(Node {
            span: Span::new(start, self.pos),
            value,
        })
    }

    /// A string at `pos` (which holds `"`); borrowed unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.pos += 1;
        let start = self.pos;
        let Some(k) = memchr::memchr2(b'"', b'\\', &self.b[self.pos..]) else {
            return self.err("unterminated string");
        };
        self.pos += k;
        if self.b[self.pos] == b'"' {
            let s = &self.src[start..self.pos];
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        // Escapes: build an owned string.
        let mut out = String::from(&self.src[start..self.pos]);
        while self.pos < self.b.len() {
            match self.b[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let Some(&e) = self.b.get(self.pos + 1) else {
                        return self.err("unterminated string");
                    };
                    self.pos += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.b[self.pos..].starts_with(b"\\u")
                            {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                        }
                        _ => return self.err("unknown escape in a string"),
                    }
                }
                _ => {
                    let k = memchr::memchr2(b'"', b'\\', &self.b[self.pos..])
                        .unwrap_or(self.b.len() - self.pos);
                    out.push_str(&self.src[self.pos..self.pos + k]);
                    self.pos += k;
                }
            }
        }
        self.err("unterminated string")
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(h) = self.src.get(self.pos..self.pos + 4) else {
            return self.err("bad \\u escape");
        };
        let Ok(v) = u32::from_str_radix(h, 16) else {
            return self.err("bad \\u escape");
        };
        self.pos += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_spans() {
        let src = r#"{"tasks": [{"id": 1, "title": "A \"b\" \u00e9", "dependencies": ["2", 3.5, true, null]}]}"#;
        let v = parse(src).expect("json");
        let task = &v.get("tasks").expect("tasks").as_array()[0];
        assert_eq!(task.get("id").and_then(Node::as_id).as_deref(), Some("1"));
        assert_eq!(task.get("title").and_then(Node::as_str), Some("A \"b\" é"));
        let deps = task.get("dependencies").expect("deps").as_array();
        assert_eq!(deps[0].span.text(src), "\"2\"");
        assert_eq!(deps[0].inner_span().text(src), "2");
        assert_eq!(deps[1].as_id().as_deref(), Some("3.5"));
        assert!(parse("{\"a\": }").is_err());
        assert!(parse("[1, 2").is_err());
        assert!(
            parse(&"[".repeat(500)).is_err(),
            "deep nesting is an error, not a stack overflow"
        );
    }
}
