//! Line and column lookup: byte offsets to 1-based lines and 1-based character columns.

/// Start offsets of every line of a text, for turning byte offsets into line/column pairs.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 40 + 1);
        starts.push(0);
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: src.len(),
        }
    }

    /// Number of lines (a text ending in `\n` has an empty last line, which is counted).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of 0-based `line` without its line terminator.
    pub fn line_span(&self, src: &str, line: usize) -> (usize, usize) {
        let start = self.line_start(line);
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = src.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// 1-based line and 1-based column counted in characters (a tab is one character).
    pub fn line_col(&self, src: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(src.len());
        while offset > 0 && !src.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let col = src.get(start..offset).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let src = "# Café\n\tx = Café!\n";
        let idx = LineIndex::new(src);
        let bang = src.rfind('!').unwrap();
        assert_eq!(idx.line_col(src, bang), (2, 10));
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, src.len()), (3, 1));
    }

    #[test]
    fn crlf_line_spans_exclude_terminator() {
        let src = "a\r\nbc\r\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_span(src, 1), (3, 5));
    }
}
