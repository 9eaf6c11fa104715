//! The protocol's side of the language server: Content-Length framing, capabilities, and
//! positions (UTF-16 columns) and URIs to and from byte offsets and paths.

use crate::check::Finding;
use planwright_core::{LineIndex, Severity};
use serde_json::{Value, json};
use std::io::{self, BufRead, Write};
use std::path::Path;

/// One message from `input`: its JSON, or `None` at the end of the input.
pub fn read_message(input: &mut dyn BufRead) -> io::Result<Option<Value>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let l = line.trim_end();
        if l.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let n = length.unwrap_or(0);
    let mut body = vec![0; n];
    input.read_exact(&mut body)?;
    Ok(Some(serde_json::from_slice(&body).unwrap_or(Value::Null)))
}

/// Writes one message with its header.
pub fn write_message(output: &mut dyn Write, msg: &Value) -> io::Result<()> {
    let body = serde_json::to_vec(msg).map_err(io::Error::other)?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}

/// What the server can do.
pub(super) fn capabilities() -> Value {
    json!({
        "capabilities": {
            "positionEncoding": "utf-16",
            "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
            "definitionProvider": true,
            "referencesProvider": true,
            "hoverProvider": true,
            "completionProvider": { "triggerCharacters": [" ", "("] },
            "codeActionProvider": { "codeActionKinds": ["quickfix"] },
            "documentSymbolProvider": true
        },
        "serverInfo": { "name": "planwright", "version": env!("CARGO_PKG_VERSION") }
    })
}

/// A finding as an LSP diagnostic.
pub(super) fn diagnostic(text: &str, _idx: &LineIndex, f: &Finding) -> Value {
    let mut message = f.message.clone();
    if let Some(h) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    json!({
        "range": range(text, f.start.min(text.len()), f.end.min(text.len())),
        "severity": match f.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            _ => 3,
        },
        "code": f.rule,
        "source": "planwright",
        "message": message
    })
}

/// The LSP position (line, UTF-16 column) of a byte offset.
pub(super) fn position(text: &str, offset: usize) -> Value {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = text[..start].matches('\n').count();
    let character: usize = text[start..at].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

pub(super) fn range(text: &str, start: usize, end: usize) -> Value {
    json!({ "start": position(text, start), "end": position(text, end.max(start)) })
}

/// The byte offset of an LSP position (line, UTF-16 column), clamped to the text.
pub(super) fn offset_of(text: &str, pos: &Value) -> usize {
    let line = pos.get("line").and_then(Value::as_u64).unwrap_or(0) as usize;
    let character = pos.get("character").and_then(Value::as_u64).unwrap_or(0) as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(n) => start += n + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16();
    }
    end
}

/// The path of a `file://` URI, percent-decoded.
pub(super) fn uri_to_path(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(rest.get(i + 1..i + 3)?, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A `file://` URI of a path, percent-encoding what a URI cannot hold.
pub(super) fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\nxé😀b\n";
        // 'b' is after x (1), é (1), 😀 (2): column 4 of line 1.
        let b = text.find('b').expect("b");
        assert_eq!(position(text, b), json!({ "line": 1, "character": 4 }));
        assert_eq!(offset_of(text, &json!({ "line": 1, "character": 4 })), b);
        // Past the end of a line: the line's end.
        assert_eq!(offset_of(text, &json!({ "line": 0, "character": 9 })), 1);
    }

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/tmp/a b/ü.md");
        let uri = path_to_uri(p);
        assert_eq!(uri, "file:///tmp/a%20b/%C3%BC.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some("/tmp/a b/ü.md"));
    }
}
