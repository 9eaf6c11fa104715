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

/// `YYYY-MM-DD HH:MMZ`, now.
pub fn stamp() -> String {
    let (d, t) = now();
    format!("{d} {t}")
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
    }
}
