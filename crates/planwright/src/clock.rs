//! The clock: today's date, the current minute, timestamps as planwright writes them, and
//! short suffixes that differ between machines, processes and moments.

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    now().0
}

/// The current UTC date and minute: (`YYYY-MM-DD`, `HH:MMZ`).
pub fn now() -> (String, String) {
    civil(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// A UTC date and minute from seconds since the epoch: (`YYYY-MM-DD`, `HH:MMZ`).
pub fn civil(secs: u64) -> (String, String) {
    let days = (secs / 86_400) as i64;
    let minute = (secs % 86_400) / 60;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{:02}:{:02}Z", minute / 60, minute % 60),
    )
}

/// `YYYY-MM-DD HH:MMZ`, now: the minute as a plan's living sections write it, for people.
pub fn stamp() -> String {
    let (d, t) = now();
    format!("{d} {t}")
}

/// RFC 3339 with seconds, UTC — `2026-12-03T14:05:09Z` — the one timestamp format of every
/// machine output (work item events, verifications, run events).
pub fn rfc3339() -> String {
    rfc3339_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// [`rfc3339`] of seconds since the epoch.
pub fn rfc3339_of(secs: u64) -> String {
    let (date, _) = civil(secs);
    let s = secs % 86_400;
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// A timestamp as earlier versions wrote it, in the one format: `2026-12-02 20:21Z` (work
/// items) becomes `2026-12-02T20:21:00Z`, `2026-12-02T20:19:48.422Z` (run events)
/// `2026-12-02T20:19:48Z`. Anything else is kept as it is.
pub fn normalize(at: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let b = at.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    if !date {
        return Cow::Borrowed(at);
    }
    // `YYYY-MM-DD HH:MMZ`
    if b.len() == 17
        && b[10] == b' '
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b'Z'
    {
        return Cow::Owned(format!("{}T{}:00Z", &at[..10], &at[11..16]));
    }
    // `YYYY-MM-DDTHH:MM:SS.fffZ`
    if b.len() > 20
        && b[10] == b'T'
        && b[19] == b'.'
        && at.ends_with('Z')
        && digits(20..b.len() - 1)
    {
        return Cow::Owned(format!("{}Z", &at[..19]));
    }
    Cow::Borrowed(at)
}

/// Six characters that differ between machines, processes and moments.
pub fn suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    let mut n = h.finish();
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    (0..6)
        .map(|_| {
            let c = ALPHABET[(n % 32) as usize] as char;
            n /= 32;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_stamps() {
        assert_eq!(today().len(), 10);
        assert_eq!(civil(0), ("1970-01-01".to_owned(), "00:00Z".to_owned()));
        assert_eq!(stamp().len(), "2026-01-01 10:00Z".len());
        assert_eq!(suffix().len(), 6);
        assert_eq!(rfc3339_of(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_of(1_764_771_909), "2025-12-03T14:25:09Z");
        assert_eq!(rfc3339().len(), "2026-12-03T14:05:09Z".len());
    }

    #[test]
    fn old_timestamps_read_in_the_one_format() {
        assert_eq!(normalize("2026-12-02 20:21Z"), "2026-12-02T20:21:00Z");
        assert_eq!(
            normalize("2026-12-02T20:19:48.422Z"),
            "2026-12-02T20:19:48Z"
        );
        assert_eq!(normalize("2026-12-02T20:19:48Z"), "2026-12-02T20:19:48Z");
        for other in [
            "",
            "x",
            "2026-12-02",
            "yesterday at noon",
            "2026-12-02 20:21",
        ] {
            assert_eq!(normalize(other), other);
        }
    }
}
