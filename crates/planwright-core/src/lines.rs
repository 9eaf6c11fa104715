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
        let bytes = src.as_bytes();
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\n`, `\r\n`, and a lone `\r` (old Mac files), as Markdown reads them.
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
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

    /// [`LineIndex::line_col`] for offsets that mostly come in increasing order, as a file's
    /// findings do: `memo` keeps the last answer, and on the same line counting goes on from
    /// it. Without it, 100,000 findings on one long line counted the line 100,000 times.
    pub fn line_col_memo(&self, src: &str, offset: usize, memo: &mut ColumnMemo) -> (usize, usize) {
        let mut offset = offset.min(src.len());
        while offset > 0 && !src.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let (from, col) = match *memo {
            ColumnMemo {
                line: Some(l),
                offset: o,
                col,
            } if l == line && start <= o && o <= offset => (o, col),
            _ => (start, 0),
        };
        let col = col + src.get(from..offset).map_or(0, |s| s.chars().count());
        *memo = ColumnMemo {
            line: Some(line),
            offset,
            col,
        };
        (line + 1, col + 1)
    }
}

/// The last answer of [`LineIndex::line_col_memo`]: a line, an offset in it and the
/// 0-based character column there.
#[derive(Clone, Copy, Debug, Default)]
pub struct ColumnMemo {
    line: Option<usize>,
    offset: usize,
    col: usize,
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
        // The memo gives the same answers, in order or not.
        let mut memo = ColumnMemo::default();
        for off in (0..src.len())
            .chain((0..src.len()).rev())
            .chain([3, 12, 1, 15])
        {
            assert_eq!(
                idx.line_col_memo(src, off, &mut memo),
                idx.line_col(src, off),
                "{off}"
            );
        }
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, src.len()), (3, 1));
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let src = "a\rb\r\nc\n\rd\r\r\ne";
        let idx = LineIndex::new(src);
        let starts: Vec<usize> = (0..idx.line_count()).map(|l| idx.line_start(l)).collect();
        assert_eq!(starts, [0, 2, 5, 7, 8, 10, 12]);
        assert_eq!(idx.line_col(src, src.len() - 1), (7, 1));
    }

    #[test]
    fn crlf_line_spans_exclude_terminator() {
        let src = "a\r\nbc\r\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_span(src, 1), (3, 5));
    }
}
