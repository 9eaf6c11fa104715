//! Timestamps as people write them in living sections: `2025-11-16`, `2025-11-16 14:00Z`,
//! `2025-11-16T14:00:00+02:00`, `2025-11-16 14:00 EDT`, with or without parentheses.

use crate::span::Span;
use serde::Serialize;

/// A calendar date with an optional time of day and zone, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timestamp {
    pub span: Span,
    pub year: u16,
    pub month: u8,
    pub day: u8,
    /// Hour, minute, second.
    pub time: Option<(u8, u8, u8)>,
    /// `Z`, `+02:00`, `UTC`, `EDT` … as written.
    pub zone: Option<String>,
}

impl Timestamp {
    /// ISO 8601 rendering (`2025-11-16`, `2025-11-16T14:00:00Z`).
    pub fn iso(&self) -> String {
        let mut s = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        if let Some((h, m, sec)) = self.time {
            s.push_str(&format!("T{h:02}:{m:02}:{sec:02}"));
            if let Some(z) = &self.zone {
                if z == "Z" || z.starts_with('+') || z.starts_with('-') {
                    s.push_str(z);
                } else {
                    s.push(' ');
                    s.push_str(z);
                }
            }
        }
        s
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = b.get(at..at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// Days in a month of a year (Gregorian).
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// Reads a `YYYY-MM-DD` date that is a real calendar date; the whole text must be the date.
pub fn parse_date(s: &str) -> Option<(u16, u8, u8)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(b, 0, 4)?;
    let m = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some((y as u16, m as u8, d as u8))
}

/// Reads a timestamp at the very start of `s` (after optional `(`), returning it with the
/// number of bytes consumed (closing `)` included). `base` is the offset of `s` in the source.
pub fn parse_leading_timestamp(s: &str, base: usize) -> Option<(Timestamp, usize)> {
    let b = s.as_bytes();
    let paren = b.first() == Some(&b'(');
    let mut i = usize::from(paren);
    let start = i;
    let (year, month, day) = parse_date(s.get(i..i + 10)?)?;
    i += 10;
    let mut time = None;
    let mut zone = None;
    // Time: 'T' or ' ' then HH:MM[:SS[.fff]]
    if matches!(b.get(i), Some(b'T' | b't' | b' ')) {
        let j = i + 1;
        if let (Some(h), Some(b':'), Some(m)) = (digits(b, j, 2), b.get(j + 2), digits(b, j + 3, 2))
            && h < 24
            && m < 60
        {
            let mut k = j + 5;
            let mut sec = 0;
            if b.get(k) == Some(&b':')
                && let Some(sv) = digits(b, k + 1, 2)
                && sv < 61
            {
                sec = sv;
                k += 3;
                if b.get(k) == Some(&b'.') {
                    k += 1;
                    while b.get(k).is_some_and(u8::is_ascii_digit) {
                        k += 1;
                    }
                }
            }
            time = Some((h as u8, m as u8, sec as u8));
            i = k;
            // Zone: Z | ±HH:MM | ±HHMM | space + 2-5 upper-case letters.
            match b.get(i) {
                Some(b'Z' | b'z') => {
                    zone = Some("Z".to_owned());
                    i += 1;
                }
                Some(b'+' | b'-') if digits(b, i + 1, 2).is_some() => {
                    let mut k = i + 3;
                    if b.get(k) == Some(&b':') {
                        k += 1;
                    }
                    if digits(b, k, 2).is_some() {
                        k += 2;
                    }
                    zone = Some(s[i..k].to_owned());
                    i = k;
                }
                Some(b' ') => {
                    let mut k = i + 1;
                    while b.get(k).is_some_and(u8::is_ascii_uppercase) {
                        k += 1;
                    }
                    let n = k - i - 1;
                    let ends = b.get(k).is_none_or(|c| !c.is_ascii_alphanumeric());
                    if (2..=5).contains(&n) && ends {
                        zone = Some(s[i + 1..k].to_owned());
                        i = k;
                    }
                }
                _ => {}
            }
        }
    }
    let end = i;
    if paren {
        // Allow text before the closing paren only when it is right there.
        if b.get(i) == Some(&b')') {
            i += 1;
        } else {
            return None;
        }
    }
    Some((
        Timestamp {
            span: Span::new(base + start, base + end),
            year,
            month,
            day,
            time,
            zone,
        },
        i,
    ))
}

/// Finds the first timestamp anywhere in `s` (a date starting at a word boundary).
pub fn find_timestamp(s: &str, base: usize) -> Option<Timestamp> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 10 <= b.len() {
        if b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 4) == Some(&b'-')
            && let Some((ts, _)) = s
                .get(i..)
                .and_then(|rest| parse_leading_timestamp(rest, base + i))
        {
            return Some(ts);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        parse_leading_timestamp(s, 0)
            .map(|(t, _)| t)
            .expect("timestamp")
    }

    #[test]
    fn styles_seen_in_the_wild() {
        assert_eq!(ts("(2025-11-16 14:00Z)").iso(), "2025-11-16T14:00:00Z");
        assert_eq!(ts("(2025-11-16)").iso(), "2025-11-16");
        assert_eq!(
            ts("(2025-11-16 14:00 EDT)").iso(),
            "2025-11-16T14:00:00 EDT"
        );
        assert_eq!(
            ts("2025-11-16T14:00:05+02:00 did").iso(),
            "2025-11-16T14:00:05+02:00"
        );
        assert_eq!(ts("2025-11-16T14:00:05.123Z").iso(), "2025-11-16T14:00:05Z");
        assert_eq!(ts("2025-11-16 14:00 - Read").iso(), "2025-11-16T14:00:00");
        assert!(parse_leading_timestamp("2025-02-30", 0).is_none());
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
    }

    #[test]
    fn finds_a_date_inside_text() {
        let t = find_timestamp("Date/Author: 2025-11-16 09:30Z, Alex", 0).expect("found");
        assert_eq!(t.iso(), "2025-11-16T09:30:00Z");
        assert_eq!(t.span, Span::new(13, 30));
    }
}
