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

/// The Unix time of `YYYY-MM-DD` at 00:00 UTC, for `--since` and `--until`.
pub fn parse_day(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (the inverse of `civil`).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // A day that does not exist (2025-02-30) does not come back as itself.
    (day(days * 86_400) == format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)).then_some(days * 86_400)
}

/// `YYYY-MM-DD HH:MM`, or blanks of the same width for an unknown date.
pub fn short(ts: i64) -> String {
    if ts == 0 {
        return " ".repeat(16);
    }
    let (y, m, d, h, min) = civil(ts);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}")
}

/// `MM-DD HH:MM` (for a list whose dates all fall in one year), or blanks of that width.
pub fn shorter(ts: i64) -> String {
    short(ts)[5..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(1_798_761_600), "2027-01-01");
        assert_eq!(short(1_798_761_600 + 3_660), "2027-01-01 01:01");
        assert_eq!(short(0).len(), 16);
        assert_eq!(shorter(1_798_761_600 + 3_660), "01-01 01:01");
        assert_eq!(shorter(0).len(), 11);
        assert_eq!(parse_day("2027-01-01"), Some(1_798_761_600));
        assert_eq!(parse_day("1995-03-01").map(day), Some("1995-03-01".to_string()));
        assert_eq!(parse_day("2024-02-29").map(day), Some("2024-02-29".to_string()));
        assert_eq!(parse_day("2025-02-30"), None);
        assert_eq!(parse_day("yesterday"), None);
    }
}
