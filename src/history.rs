//! Recipient history and the suppression list: the bounces of a mailbox turned round to one
//! line per failed address (how often, how hard, first and last, the latest reason, and whether
//! the Sent folder shows mail to it after its last bounce), and from that the addresses a sender
//! should stop mailing (SPEC.md "Recipient history and suppression").

use crate::bounce::{Bounce, Kind, Text, Verdict};
use std::collections::HashMap;

/// Reasons that say the address itself is gone: one hard bounce of these is enough to stop.
pub const ADDRESS_REASONS: &[&str] = &["userunknown", "hostunknown", "hasmoved", "notaccept", "suspend"];

/// Reasons that are the sender's problem (its reputation, its message, its server), never the
/// recipient's: an address is not suppressed for them.
pub const SENDER_REASONS: &[&str] = &[
    "blocked",
    "badreputation",
    "spamdetected",
    "authfailure",
    "policyviolation",
    "speeding",
    "toomanyconn",
    "requireptr",
    "securityerror",
    "failedstarttls",
    "norelaying",
    "rejected",
    "contenterror",
    "virusdetected",
    "mesgtoobig",
    "notcompliantrfc",
    "syntaxerror",
];

/// After its last bounce: mail was sent to the address again (and bounced no more), or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    SentAgain,
    Bouncing,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::SentAgain => "sent-again",
            State::Bouncing => "bouncing",
        }
    }
}

/// One failed address.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Lower case.
    pub address: String,
    /// Bounce messages naming it, and the hard ones among them.
    pub bounces: usize,
    pub hard: usize,
    /// Dates of the first and the last bounce (Unix seconds; 0 when none was dated).
    pub first: i64,
    pub last: i64,
    /// Reason and status of the last bounce.
    pub reason: Text,
    pub status: Text,
    pub state: State,
    /// The address-level reason of its last hard bounce of one ([`ADDRESS_REASONS`]), and that
    /// bounce's date (0 when none of them was dated).
    gone: Option<(i64, Text)>,
    /// Per soft reason, in the order they first came in the mailbox, the dates its bounces came on.
    soft: Vec<(Text, Vec<i64>)>,
    /// The dates of all its bounces.
    dates: Vec<i64>,
    /// The last mail to it that went out and drew no bounce, before its last bounce
    /// ([`ANSWER_WITHIN`]); 0 when none is known. Failures before it do not count: mail got
    /// through since.
    ok_since: i64,
}

/// A bounce answers a sent message that went out up to [`ANSWER_WITHIN`] before it (a retrying
/// server gives up after five days, some after a week, and writes its bounce a little later) or
/// [`CLOCK_SLACK`] after it (clocks differ): a sent message with no bounce in that window got
/// through.
pub const ANSWER_WITHIN: i64 = 7 * 86_400;
pub const CLOCK_SLACK: i64 = 3_600;

/// What a history reads of one failed recipient of a counted bounce.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    /// The bounce's date (0 when undated).
    pub date: i64,
    pub address: &'a str,
    pub reason: &'a str,
    /// The status code, else the reply code.
    pub status: &'a str,
    pub hard: bool,
}

/// The failures [`histories`] counts in `bounces` (from `since` on, when given), in mailbox
/// order. Backscatter is left out: the owner never mailed those addresses.
pub fn failures(bounces: &[Bounce], since: Option<i64>) -> impl Iterator<Item = Failure<'_>> {
    bounces.iter().filter(move |b| counts(b.kind, b.verdict) && since.is_none_or(|t| b.date >= t)).flat_map(|b| {
        b.recipients.iter().map(|r| Failure {
            date: b.date,
            address: &r.address,
            reason: &r.reason,
            status: if r.status.is_empty() { &r.reply_code } else { &r.status },
            hard: r.hard,
        })
    })
}

/// Does a bounce of this kind and verdict count in a history? Backscatter does not.
pub fn counts(kind: Kind, verdict: Verdict) -> bool {
    kind == Kind::Bounce && verdict != Verdict::Backscatter
}

/// The history of every address in `failures` (see [`failures`]), most bounces first;
/// `sent_to` is the Sent folder's recipient → dates written (lower case), when there is one.
pub fn histories<'a>(
    failures: impl IntoIterator<Item = Failure<'a>>,
    sent_to: Option<&HashMap<String, Vec<i64>>>,
) -> Vec<History> {
    histories_of(failures, sent_to).0
}

/// [`histories`], and for each failure (in the order given) the index of its history in them
/// ([`NO_HISTORY`] for a failure without an address): what the TUI lists for a history's row.
pub fn histories_of<'a>(
    failures: impl IntoIterator<Item = Failure<'a>>,
    sent_to: Option<&HashMap<String, Vec<i64>>>,
) -> (Vec<History>, Vec<u32>) {
    // Each address's place in `out`, looked up by the address as the bounce has it when it is
    // lower case already (most are): no copy to look one up. The failures come in mailbox
    // order (in memory order: reading them by date would jump about a large mailbox); "first",
    // "last" and "the last one's reason" are kept by date as they come.
    let mut at: HashMap<String, usize, foldhash::fast::RandomState> = HashMap::default();
    let mut out: Vec<History> = Vec::new();
    let mut which: Vec<u32> = Vec::new();
    for r in failures {
        if r.address.is_empty() {
            which.push(NO_HISTORY);
            continue;
        }
        // Lower-cased as the Sent index does (ASCII), so that the two meet.
        let lower: std::borrow::Cow<str> = if r.address.bytes().any(|c| c.is_ascii_uppercase()) {
            r.address.to_ascii_lowercase().into()
        } else {
            r.address.into()
        };
        let i = match at.get(lower.as_ref()) {
            Some(&i) => i,
            None => {
                out.push(History {
                    address: lower.to_string(),
                    bounces: 0,
                    hard: 0,
                    first: 0,
                    last: r.date,
                    reason: r.reason.into(),
                    status: Text::default(),
                    state: State::Bouncing,
                    gone: None,
                    soft: Vec::new(),
                    dates: Vec::new(),
                    ok_since: 0,
                });
                at.insert(lower.into_owned(), out.len() - 1);
                out.len() - 1
            }
        };
        which.push(i as u32);
        let h = &mut out[i];
        h.bounces += 1;
        h.dates.push(r.date);
        h.hard += usize::from(r.hard);
        // The first dated bounce; the last bounce, a later one in the mailbox winning a tie.
        if r.date != 0 && (h.first == 0 || r.date < h.first) {
            h.first = r.date;
        }
        if r.date >= h.last {
            h.last = r.date;
            h.reason = r.reason.into();
            h.status = r.status.into();
        }
        if !r.hard {
            match h.soft.iter_mut().find(|(reason, _)| *reason == r.reason) {
                Some((_, dates)) => dates.push(r.date),
                None => h.soft.push((r.reason.into(), vec![r.date])),
            }
        } else if ADDRESS_REASONS.contains(&r.reason) && h.gone.as_ref().is_none_or(|(d, _)| r.date >= *d) {
            h.gone = Some((r.date, r.reason.into()));
        }
    }
    for h in &mut out {
        let Some(sent) = sent_to.and_then(|s| s.get(&h.address)) else { continue };
        // Mail after the last bounce, beyond what a clock's error could put after it.
        if sent.iter().any(|&d| d > h.last + CLOCK_SLACK) {
            h.state = State::SentAgain;
        }
        let answered = |s: i64| h.dates.iter().any(|&b| b >= s - CLOCK_SLACK && b <= s + ANSWER_WITHIN);
        h.ok_since = sent.iter().copied().filter(|&s| s > 0 && s <= h.last && !answered(s)).max().unwrap_or(0);
    }
    // Most bounces first, then by address: the keys are sorted, not the (large) histories.
    let mut keys: Vec<(std::cmp::Reverse<usize>, &str, usize)> =
        out.iter().enumerate().map(|(i, h)| (std::cmp::Reverse(h.bounces), h.address.as_str(), i)).collect();
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|(_, _, i)| i).collect();
    let mut place = vec![0u32; order.len()];
    for (to, &from) in order.iter().enumerate() {
        place[from] = to as u32;
    }
    which.iter_mut().filter(|w| **w != NO_HISTORY).for_each(|w| *w = place[*w as usize]);
    let mut slots: Vec<Option<History>> = out.into_iter().map(Some).collect();
    (order.into_iter().filter_map(|i| slots[i].take()).collect(), which)
}

/// The history index of a failure without an address ([`histories_of`]).
pub const NO_HISTORY: u32 = u32::MAX;

impl History {
    /// When mail to it last got through before its last bounce (0 when not known).
    pub fn got_through(&self) -> i64 {
        self.ok_since
    }
}

/// Why an address is to be suppressed, or `None` when it is not: a hard bounce of an
/// address-level reason, or soft bounces of one reason over at least `soft_days` days, with no
/// mail getting through since; never for a sender-side reason, and never once mail to it went
/// out again after its last bounce.
pub fn suppression(h: &History, soft_days: i64) -> Option<String> {
    if h.state == State::SentAgain {
        return None;
    }
    // Gone, unless mail got through after that bounce (an undated one: unless any got through).
    if let Some((date, reason)) = &h.gone
        && (*date > h.ok_since || (*date == 0 && h.ok_since == 0))
    {
        return Some(reason.to_string());
    }
    h.soft
        .iter()
        .filter(|(reason, _)| !SENDER_REASONS.contains(&reason.as_str()))
        .find(|(_, dates)| {
            // Only the failures since mail last got through.
            let dated: Vec<i64> = dates.iter().copied().filter(|&d| d > 0 && d > h.ok_since).collect();
            let (Some(lo), Some(hi)) = (dated.iter().min(), dated.iter().max()) else { return false };
            hi - lo >= soft_days * 86_400
        })
        .map(|(reason, _)| reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::Recipient;

    const DAY: i64 = 86_400;

    #[test]
    fn each_failure_is_told_the_history_it_went_to() {
        let f = |address: &'static str, date: i64| Failure {
            date,
            address,
            reason: "userunknown",
            status: "5.1.1",
            hard: true,
        };
        let failures = [f("a@x", 1), f("", 2), f("B@y", 3), f("b@y", 4), f("a@x", 5), f("b@y", 6)];
        let (histories, which) = histories_of(failures, None);
        assert_eq!(which.len(), failures.len());
        assert_eq!(which[1], NO_HISTORY);
        for (f, &w) in failures.iter().zip(&which).filter(|(f, _)| !f.address.is_empty()) {
            assert_eq!(histories[w as usize].address, f.address.to_ascii_lowercase());
        }
        // The most bounces first: b@y (three) before a@x (two).
        assert_eq!((which[2], which[0]), (0, 1));
    }

    fn bounce(rcpt: &str, reason: &str, hard: bool, date: i64, verdict: Verdict) -> Bounce {
        let status = if hard { "5.1.1" } else { "4.2.2" };
        let r = Recipient {
            address: rcpt.into(),
            reason: reason.into(),
            hard,
            status: status.into(),
            ..Default::default()
        };
        Bounce::of(date, verdict, vec![r])
    }

    #[test]
    fn the_rule_keeps_gone_addresses_and_lasting_soft_failures_only() {
        let t0 = 1_790_000_000;
        let bounces = vec![
            bounce("Gone@Example.org", "userunknown", true, t0, Verdict::Real),
            bounce("full@example.org", "mailboxfull", false, t0, Verdict::Real),
            bounce("full@example.org", "mailboxfull", false, t0 + 8 * DAY, Verdict::Real),
            bounce("brief@example.org", "mailboxfull", false, t0, Verdict::Real),
            bounce("brief@example.org", "mailboxfull", false, t0 + 2 * DAY, Verdict::Real),
            bounce("us@example.org", "blocked", true, t0, Verdict::Real),
            bounce("forged@example.org", "userunknown", true, t0, Verdict::Backscatter),
            bounce("fixed@example.org", "userunknown", true, t0, Verdict::Real),
        ];
        // Mail that got through between two soft failures: the failure did not last. Mail answered
        // by a bounce (sent shortly before it) is no success.
        let bounces = [
            bounces,
            vec![
                bounce("between@example.org", "mailboxfull", false, t0, Verdict::Real),
                bounce("between@example.org", "mailboxfull", false, t0 + 12 * DAY, Verdict::Real),
                bounce("answered@example.org", "mailboxfull", false, t0, Verdict::Real),
                bounce("answered@example.org", "mailboxfull", false, t0 + 9 * DAY, Verdict::Real),
                bounce("back@example.org", "userunknown", true, t0, Verdict::Real),
                bounce("back@example.org", "mailboxfull", false, t0 + 12 * DAY, Verdict::Real),
                // Gone, mail got through, gone again: gone.
                bounce("again@example.org", "userunknown", true, t0, Verdict::Real),
                bounce("again@example.org", "userunknown", true, t0 + 12 * DAY, Verdict::Real),
                // A bounce without a date is still a bounce.
                bounce("undated@example.org", "userunknown", true, 0, Verdict::Real),
            ],
        ]
        .concat();
        let sent = HashMap::from([
            ("fixed@example.org".to_string(), vec![t0 + DAY]),
            ("between@example.org".to_string(), vec![t0 - 3_000, t0 + 3 * DAY, t0 + 9 * DAY - 3_000]),
            ("answered@example.org".to_string(), vec![t0 - 3_000, t0 + 9 * DAY - 3_000]),
            // Gone on day 0, yet mail got through on day 2: the address works again.
            ("back@example.org".to_string(), vec![t0 - 3_000, t0 + 2 * DAY]),
            ("again@example.org".to_string(), vec![t0 - 3_000, t0 + 3 * DAY, t0 + 12 * DAY - 3_000]),
        ]);
        let hs = histories(failures(&bounces, None), Some(&sent));
        let get = |a: &str| hs.iter().find(|h| h.address == a).cloned();
        assert!(get("forged@example.org").is_none(), "backscatter is not counted");
        let full = get("full@example.org").unwrap();
        assert_eq!((full.bounces, full.hard, full.first, full.last), (2, 0, t0, t0 + 8 * DAY));
        assert_eq!(get("fixed@example.org").unwrap().state, State::SentAgain);
        let mut suppressed: Vec<(String, String)> =
            hs.iter().filter_map(|h| suppression(h, 7).map(|r| (h.address.clone(), r))).collect();
        suppressed.sort();
        // Gone (hard, address-level), full and answered (soft over 8 and 9 days); not brief (2
        // days), not between or back (mail got through after a failure), not the sender's own
        // block, not backscatter, not the address mailed again.
        let want = [
            ("again@example.org", "userunknown"),
            ("answered@example.org", "mailboxfull"),
            ("full@example.org", "mailboxfull"),
            ("gone@example.org", "userunknown"),
            ("undated@example.org", "userunknown"),
        ];
        assert_eq!(suppressed, want.map(|(a, r)| (a.to_string(), r.to_string())));
        // `since` leaves the older bounces out.
        let later = histories(failures(&bounces, Some(t0 + DAY)), Some(&sent));
        let names: Vec<&str> = later.iter().map(|h| h.address.as_str()).collect();
        assert_eq!(
            names,
            [
                "again@example.org",
                "answered@example.org",
                "back@example.org",
                "between@example.org",
                "brief@example.org",
                "full@example.org"
            ]
        );
        assert!(later.iter().all(|h| h.bounces == 1));
        // Only one soft bounce left of each: none lasts a week within the window; the hard one
        // in it still counts.
        let kept: Vec<&str> =
            later.iter().filter(|h| suppression(h, 7).is_some()).map(|h| h.address.as_str()).collect();
        assert_eq!(kept, ["again@example.org"]);
    }
}
