//! A view's region in a Markdown file (between the markers, or a section's body), and the
//! relative links between plans that the views write.

use crate::text::split_bytes;

use super::summary::last_slash;

pub(super) const BEGIN: &str =
    "<!-- planwright:generated — `planwright index` rewrites this part -->\n";
pub(super) const END: &str = "<!-- planwright:end -->\n";

/// `text` with its generated region set to `region`: between the markers when present; else
/// the body of the `## {section}` section when there is one; else appended at the end under
/// that heading.
pub fn with_region(text: &str, section: &str, region: &str) -> String {
    let eol = crate::edit::line_ending(text);
    let raw = format!("{BEGIN}\n{region}\n{END}");
    let block = if eol == "\n" {
        raw
    } else {
        raw.replace('\n', eol)
    };
    // Vector searches: the end marker comes after the whole table, tens of kilobytes into
    // a busy feature's README.
    let find = |marker: &str| memchr::memmem::find(text.as_bytes(), marker.trim_end().as_bytes());
    if let (Some(b), Some(e)) = (find(BEGIN), find(END))
        && b < e
    {
        let end = memchr::memchr(b'\n', &text.as_bytes()[e..]).map_or(text.len(), |k| e + k + 1);
        let mut out = String::with_capacity(b + block.len() + text.len() - end);
        out.push_str(&text[..b]);
        out.push_str(&block);
        out.push_str(&text[end..]);
        return out;
    }
    let heading = format!("## {section}");
    // The lines of `text`, each with where it starts, read as they are needed.
    let bytes = text.as_bytes();
    let line_at = |start: usize| {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |k| start + k + 1);
        &text[start..end]
    };
    // The first line that is the heading, trailing spaces aside: found among the places the
    // heading's text occurs, at the start of a line.
    let heading_line = memchr::memmem::find_iter(bytes, heading.as_bytes())
        .filter(|&at| at == 0 || bytes[at - 1] == b'\n')
        .map(|at| (at, line_at(at)))
        .find(|(_, l)| l.trim_end() == heading);
    if let Some((at, l)) = heading_line {
        let body_start = at + l.len();
        let mut body_end = text.len();
        let mut pos = body_start;
        while pos < text.len() {
            let l = line_at(pos);
            if l.starts_with("# ") || l.starts_with("## ") {
                body_end = pos;
                break;
            }
            pos += l.len();
        }
        return format!(
            "{}{eol}{}{eol}{}",
            &text[..body_start],
            block,
            &text[body_end..]
        );
    }
    let sep = if text.is_empty() || text.ends_with("\n\n") || text.ends_with("\r\n\r\n") {
        String::new()
    } else if text.ends_with('\n') {
        eol.to_owned()
    } else {
        format!("{eol}{eol}")
    };
    format!("{text}{sep}{heading}{eol}{eol}{block}")
}

/// The 1-based line where two texts first differ.
pub fn first_difference(a: &str, b: &str) -> usize {
    a.lines().zip(b.lines()).take_while(|(x, y)| x == y).count() + 1
}

/// A link from the folder of file `from` to the file `to` (both root-relative); a README
/// links as its folder (`../b/`).
pub fn relative_link(from: &str, to: &str) -> String {
    // Written straight into one string, the paths taken apart byte by byte: the views make
    // one of these per plan and feature, and `str::split` set up a searcher for each.
    let from_dir = last_slash(from).map(|i| &from[..i]);
    let (to_dir, to_file) = match last_slash(to) {
        Some(i) => (Some(&to[..i]), &to[i + 1..]),
        None => (None, to),
    };
    let common = segments(from_dir)
        .zip(segments(to_dir))
        .take_while(|(a, b)| a == b)
        .count();
    let ups = segments(from_dir).count() - common;
    // The folder part: `..` for each level up, then the rest of `to`'s folders, joined.
    let mut out = String::with_capacity(3 * ups + to.len() + 2);
    for (k, part) in std::iter::repeat_n("..", ups)
        .chain(segments(to_dir).skip(common))
        .enumerate()
    {
        if k > 0 {
            out.push('/');
        }
        out.push_str(part);
    }
    match (to_file == "README.md", out.is_empty()) {
        (true, true) => out.push_str("./"),
        (true, false) => out.push('/'),
        (false, true) => out.push_str(to_file),
        (false, false) => {
            out.push('/');
            out.push_str(to_file);
        }
    }
    out
}

/// The parts of a folder path between its `/`s.
pub(super) fn segments(dir: Option<&str>) -> impl Iterator<Item = &str> {
    split_bytes(dir, |b| b == b'/')
}
