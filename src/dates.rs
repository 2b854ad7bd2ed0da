//! Dates for display, from Unix seconds (UTC), without a calendar crate.

/// (year, month, day, hour, minute) of a Unix time, UTC (Howard Hinnant's civil-from-days).
pub fn civil(ts: i64) -> (i64, i64, i64, i64, i64) {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, secs / 3600, secs % 3600 / 60)
}

/// RFC 3339 in UTC (`2025-11-24T10:00:00Z`), or "" for an unknown date (0).
pub fn rfc3339(ts: i64) -> String {
    if ts == 0 {
        return String::new();
    }
    let (y, m, d, h, min) = civil(ts);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{:02}Z", ts.rem_euclid(60))
}

/// `YYYY-MM-DD`.
pub fn day(ts: i64) -> String {
    let (y, m, d, _, _) = civil(ts);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `MM-DD HH:MM`, or blanks of the same width for an unknown date.
pub fn short(ts: i64) -> String {
    if ts == 0 {
        return " ".repeat(11);
    }
    let (_, m, d, h, min) = civil(ts);
    format!("{m:02}-{d:02} {h:02}:{min:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(1_798_761_600), "2027-01-01");
        assert_eq!(short(1_798_761_600 + 3_660), "01-01 01:01");
        assert_eq!(short(0).len(), 11);
    }
}
