//! The Markdown pass: one run of pulldown-cmark collecting headings, code, links and list
//! items with their byte ranges, plus a per-line table the field scanner walks.

use crate::model::{BareUrl, CodeBlock, Link};
use crate::span::Span;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug)]
pub(crate) struct Heading {
    pub level: u8,
    /// The whole heading (one line for ATX, two for setext), without the line terminator.
    pub span: Span,
    /// The heading's text, trimmed of `#` marks and spaces.
    pub text: Span,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct LineInfo {
    pub start: usize,
    /// End without the line terminator.
    pub end: usize,
    pub code: bool,
    pub heading: bool,
    pub blank: bool,
}

/// The block structure of a document.
#[derive(Debug)]
pub(crate) struct Blocks {
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub code_spans: Vec<Span>,
    pub links: Vec<Link>,
    pub bare_urls: Vec<BareUrl>,
    /// Top-level list items (items of lists that are not inside another list).
    pub items: Vec<Span>,
    /// Every list item with its list depth (1 for top level), in document order.
    pub all_items: Vec<(Span, usize)>,
    pub lines: Vec<LineInfo>,
    pub prose_lines: usize,
    pub prose_lines_with_external: usize,
}

impl Blocks {
    pub(crate) fn read(src: &str, body: usize) -> Blocks {
        let text = src.get(body..).unwrap_or("");
        // Tables sized from the text (a plan has about a heading per 250 bytes, a list item
        // per 100 and a code span per 150): growing them copied them each time.
        let n = text.len();
        let mut b = Blocks {
            headings: Vec::new(),
            code_blocks: Vec::new(),
            code_spans: Vec::new(),
            links: Vec::new(),
            bare_urls: Vec::new(),
            items: Vec::new(),
            all_items: Vec::new(),
            lines: Vec::new(),
            prose_lines: 0,
            prose_lines_with_external: 0,
        };
        b.headings.reserve(n / 200 + 4);
        b.items.reserve(n / 80 + 4);
        b.all_items.reserve(n / 80 + 4);
        let parser = Parser::new_ext(text, Options::empty()).into_offset_iter();
        b.code_spans.reserve(n / 128 + 4);
        let mut list_depth = 0usize;
        let mut heading: Option<(u8, usize)> = None;
        for (event, range) in parser {
            let span = || Span::new(range.start + body, range.end + body);
            match event {
                Event::End(end) => match end {
                    TagEnd::Heading(_) => {
                        if let Some((level, start)) = heading.take() {
                            let span = trim_line_end(src, Span::new(start, span().end));
                            b.headings.push(Heading {
                                level,
                                span,
                                text: heading_text(src, span),
                            });
                        }
                    }
                    TagEnd::List(_) => list_depth = list_depth.saturating_sub(1),
                    _ => {}
                },
                Event::Code(_) => b.code_spans.push(span()),
                // A heading inside a list item (`- x` over `  -` is a setext one) belongs to
                // the item: it does not start a section or a step.
                Event::Start(Tag::Heading { level, .. }) if list_depth == 0 => {
                    heading = Some((level as u8, range.start + body));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let (fenced, info) = match &kind {
                        CodeBlockKind::Fenced(info) => (true, info.trim().to_owned()),
                        CodeBlockKind::Indented => (false, String::new()),
                    };
                    b.code_blocks.push(code_block(src, span(), fenced, info));
                }
                Event::Start(Tag::List(_)) => list_depth += 1,
                Event::Start(Tag::Item) => {
                    let span = trim_line_end(src, span());
                    if list_depth == 1 {
                        b.items.push(span);
                    }
                    b.all_items.push((span, list_depth));
                }
                Event::Start(Tag::Link { dest_url, .. }) => b.links.push(Link {
                    span: span(),
                    target: dest_url.to_string(),
                    image: false,
                }),
                Event::Start(Tag::Image { dest_url, .. }) => b.links.push(Link {
                    span: span(),
                    target: dest_url.to_string(),
                    image: true,
                }),
                _ => {}
            }
        }
        b.lines = lines(src, body, &mut b);
        b.find_bare_urls(src);
        b
    }

    /// Is the byte at `offset` inside a link, or inline code?
    fn in_link_or_code(&self, offset: usize) -> bool {
        let inside = |spans: &[Span]| {
            let i = spans.partition_point(|s| s.start <= offset);
            i > 0 && spans[i - 1].contains(offset)
        };
        inside(&self.code_spans) || self.links.iter().any(|l| l.span.contains(offset))
    }

    fn find_bare_urls(&mut self, src: &str) {
        let is_prose = |l: &LineInfo| !(l.code || l.blank || l.heading);
        let prose = self.lines.iter().filter(|l| is_prose(l)).count();
        let line_of = |at: usize| {
            self.lines
                .partition_point(|l| l.start <= at)
                .saturating_sub(1)
        };
        let mut external: Vec<usize> = self
            .links
            .iter()
            .filter(|l| is_external(&l.target))
            .map(|l| line_of(l.span.start))
            .collect();
        let mut found = Vec::new();
        // One pass over the whole text: most documents have no address at all.
        for hit in memchr::memmem::find_iter(src.as_bytes(), b"://") {
            let li = line_of(hit);
            let Some(line) = self.lines.get(li).copied() else {
                continue;
            };
            if !is_prose(&line) || hit < line.start || hit >= line.end {
                continue;
            }
            let text = &src[line.start..line.end];
            let at = hit - line.start;
            let scheme_start = text[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_ascii_alphanumeric())
                .map_or(0, |(p, c)| p + c.len_utf8());
            let scheme = &text[scheme_start..at];
            if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
                continue;
            }
            let abs = line.start + scheme_start;
            if self.in_link_or_code(abs) || text[..scheme_start].ends_with('<') {
                continue; // inside a link (or an autolink) or code
            }
            let end = text[at..]
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"' || c == '|')
                .map_or(text.len(), |e| at + e);
            found.push(BareUrl {
                span: Span::new(abs, line.start + end),
            });
            external.push(li);
        }
        external.sort_unstable();
        external.dedup();
        self.prose_lines_with_external = external
            .iter()
            .filter(|&&i| self.lines.get(i).is_some_and(is_prose))
            .count();
        self.bare_urls = found;
        self.prose_lines = prose;
    }
}

/// Does a link target leave the repository for the web?
pub(crate) fn is_external(target: &str) -> bool {
    let t = target.trim_start().as_bytes();
    let starts = |p: &[u8]| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts(b"http://") || starts(b"https://") || starts(b"//")
}

fn trim_line_end(src: &str, mut span: Span) -> Span {
    let b = src.as_bytes();
    while span.end > span.start && matches!(b.get(span.end - 1), Some(b'\n' | b'\r')) {
        span.end -= 1;
    }
    span
}

fn heading_text(src: &str, span: Span) -> Span {
    let raw = span.text(src);
    if raw.is_ascii()
        && let Some(text) = atx_text_ascii(raw.as_bytes())
    {
        return Span::new(span.start + text.0, span.start + text.1);
    }
    heading_text_general(src, span)
}

/// [`heading_text`] for any text, with `str`'s Unicode-aware trimming.
fn heading_text_general(src: &str, span: Span) -> Span {
    let raw = span.text(src);
    if raw.trim_start().starts_with('#') {
        let lead = raw.len() - raw.trim_start().len();
        let after_hashes = raw[lead..].trim_start_matches('#');
        let mut start = span.end - after_hashes.len();
        let mut text = after_hashes;
        // Closing sequence: spaces then #s at the end.
        let trimmed = text.trim_end();
        let without_close = trimmed.trim_end_matches('#');
        let text_end = if without_close.len() < trimmed.len()
            && (without_close.is_empty() || without_close.ends_with([' ', '\t']))
        {
            without_close.trim_end()
        } else {
            trimmed
        };
        text = text_end;
        let lead_ws = text.len() - text.trim_start().len();
        start += lead_ws;
        Span::new(start, start + text.trim_start().len())
    } else {
        // Setext: the text is every line but the underline.
        let first_end = raw.rfind('\n').map_or(raw.len(), |i| i);
        let text = raw[..first_end].trim_end();
        let lead = text.len() - text.trim_start().len();
        Span::new(span.start + lead, span.start + text.len())
    }
}

/// The text of an ATX heading (`## Title ##`), as a byte range of the ASCII line: the same
/// as the general reading in [`heading_text`], without its `str` helpers. `None` for a setext
/// heading.
fn atx_text_ascii(b: &[u8]) -> Option<(usize, usize)> {
    let ws = |c: u8| c.is_ascii_whitespace();
    let mut i = 0;
    while i < b.len() && ws(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'#') {
        return None;
    }
    let mut j = i;
    while j < b.len() && b[j] == b'#' {
        j += 1;
    }
    // A closing sequence: spaces, then `#`s at the end.
    let mut e = b.len();
    while e > j && ws(b[e - 1]) {
        e -= 1;
    }
    let mut c = e;
    while c > j && b[c - 1] == b'#' {
        c -= 1;
    }
    let mut end = e;
    if c < e && (c == j || matches!(b[c - 1], b' ' | b'\t')) {
        end = c;
        while end > j && ws(b[end - 1]) {
            end -= 1;
        }
    }
    let mut start = j;
    while start < end && ws(b[start]) {
        start += 1;
    }
    Some((start, end))
}

fn code_block(src: &str, span: Span, fenced: bool, info: String) -> CodeBlock {
    let raw = span.text(src);
    // A line ends at `\n` or, in old Mac files, at a lone `\r` (CR-LF ends at its `\r`).
    let first_end = raw.find(['\n', '\r']).map_or(raw.len(), |i| i);
    let opening = Span::new(span.start, span.start + first_end);
    if !fenced {
        return CodeBlock {
            span,
            fenced,
            info,
            closed: true,
            opening: Span::empty(span.start),
            body: span,
        };
    }
    let open_line = raw[..first_end].trim_start();
    let fence_char = open_line.chars().next().unwrap_or('`');
    let fence_len = open_line.chars().take_while(|c| *c == fence_char).count();
    // The last non-empty line closes the fence when it is a run of at least as many fence
    // characters and nothing else.
    let after_open = first_end
        + if raw[first_end..].starts_with("\r\n") {
            2
        } else {
            1
        };
    let body_and_close = &raw[after_open.min(raw.len())..];
    let trimmed = body_and_close.trim_end_matches(['\n', '\r', ' ', '\t']);
    let last_start = trimmed.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let last = trimmed[last_start..].trim();
    let closes = !trimmed.is_empty()
        && last.chars().count() >= fence_len
        && last.chars().all(|c| c == fence_char);
    let body_start = span.start + after_open.min(raw.len());
    let body_end = if closes {
        body_start + last_start
    } else {
        span.end
    };
    CodeBlock {
        span: trim_line_end(src, span),
        fenced,
        info,
        closed: closes,
        opening,
        body: Span::new(body_start, body_end.max(body_start)),
    }
}

fn lines(src: &str, body: usize, b: &mut Blocks) -> Vec<LineInfo> {
    let bytes = src.as_bytes();
    // Plans have short lines (20 to 60 bytes): sized for the short end, grown rarely.
    let mut out = std::mem::take(&mut b.lines);
    out.reserve((src.len() - body.min(src.len())) / 16 + 8);
    let line = |start: usize, end: usize| {
        // The byte before a line's end is nearly never a CR: tested first, so that the
        // branch on an empty line (`end == start`) is not taken at random.
        let end = if bytes.get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
            end - 1
        } else {
            end
        };
        LineInfo {
            start,
            end,
            code: false,
            heading: false,
            blank: bytes[start..end].iter().all(u8::is_ascii_whitespace),
        }
    };
    let mut start = body;
    let mut each = |nl: usize| {
        out.push(line(start, nl));
        start = nl + 1;
    };
    if memchr::memchr(b'\r', bytes.get(body..).unwrap_or(&[])).is_some() {
        // CR line endings, alone or mixed: Markdown ends a line at a lone `\r` too, and
        // the lines must be the ones the Markdown pass saw. (A CR-LF line ends at its `\n`;
        // `line` drops the `\r`.)
        for (i, w) in bytes[body..].iter().enumerate() {
            let at = body + i;
            if *w == b'\n' || (*w == b'\r' && bytes.get(at + 1) != Some(&b'\n')) {
                each(at);
            }
        }
    } else {
        newlines(bytes, body, &mut each);
    }
    if start < bytes.len() {
        out.push(line(start, bytes.len()));
    }
    // Then the few headings and code blocks mark their lines: a line is code when any of it
    // lies inside a code block, a heading line when it starts within a heading.
    for c in &b.code_blocks {
        // The line the block starts on, too: an indented block's range starts after its
        // indentation, not at the start of its first line.
        let from = out.partition_point(|l| l.end < c.span.start);
        for l in out[from..].iter_mut().take_while(|l| l.start < c.span.end) {
            l.code = true;
        }
    }
    for h in &b.headings {
        let from = out.partition_point(|l| l.start < h.span.start);
        for l in out[from..].iter_mut().take_while(|l| l.start <= h.span.end) {
            l.heading = true;
        }
    }
    out
}

/// Calls `f` with the offset of every `\n` in `bytes[from..]`, in order.
fn newlines(bytes: &[u8], from: usize, f: &mut impl FnMut(usize)) {
    let hay = bytes.get(from..).unwrap_or(&[]);
    for nl in memchr::memchr_iter(b'\n', hay) {
        f(nl + from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // The byte-level reading of an ATX heading agrees with the general one.
        #[test]
        fn atx_headings_read_alike(line in "[ \t]{0,3}#{1,7}[ \t#a-z]{0,20}") {
            let span = Span::new(0, line.len());
            let fast = atx_text_ascii(line.as_bytes()).map(|(s, e)| Span::new(s, e));
            proptest::prop_assert_eq!(fast, Some(heading_text_general(&line, span)), "{:?}", line);
        }
    }
}
