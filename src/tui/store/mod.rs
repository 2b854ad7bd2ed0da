//! The loaded bounces, packed: each bounce's fields written one after another into large
//! shared buffers (numbers in LEB128, text as its length and bytes), and the values many bounces
//! share (a folder, a bounce subject, a reason, a server, the owner's address) written once and
//! referred to by number. A `Bounce` value takes over 600 bytes before its text (two dozen
//! inline string slots and a vector of recipients, most of them empty or short); packed, a
//! bounce takes its own text and a few bytes more. The rows' search text is kept here too
//! (`hay`), and the packed bounce does not repeat what it holds. A bounce is unpacked when a
//! part of the UI needs it whole: the rows drawn, the detail pane, an export. Filtering and
//! sorting read the row index; the tables and the overview read what they need without
//! unpacking. What a verdict changes stays unpacked.

mod codec;
mod hay;

use crate::bounce::{Bounce, Evidence, Kind, OriginalInfo, Recipient, Verdict};
use crate::history::{self, Failure};
use codec::{Reader, Shared, Writer, decided_by_code, decided_by_of};
use hay::{At, Hay};
use std::sync::Arc;

/// `s` in lower case as the rows' search text has it (each character on its own, so that a
/// needle lowered with this meets the text it was typed from).
pub fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Size of a buffer of packed bounces (small in unit tests, so that they use many). Full
/// buffers are never copied to a larger one, so loading never holds the bounces twice.
const SEGMENT: usize = if cfg!(test) { 512 } else { 1 << 20 };

/// Where one bounce is, and what the list reads of it without unpacking.
#[derive(Debug)]
struct Record {
    segment: u32,
    at: u32,
    recipients: u32,
    /// Where its rows' search text is.
    hay: At,
    kind: Kind,
    verdict: Verdict,
    /// Does a recipient's refusal name a block list?
    blocklisted: bool,
    evidence: Arc<[Evidence]>,
}

/// The list's bounces, in the order they came.
#[derive(Debug, Default)]
pub struct Bounces {
    records: Vec<Record>,
    segments: Vec<Vec<u8>>,
    /// Each row's search text. An ASCII address, diagnostic, Subject or Message-ID is not
    /// written again in the packed bounce: only where its capitals are.
    hay: Hay,
    shared: Shared,
    /// The buffer a bounce is written into before it is copied to its segment.
    scratch: Vec<u8>,
}

impl Bounces {
    /// How many bounces there are.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Are there none?
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Room for `n` more bounces, reserved before they arrive.
    pub fn reserve(&mut self, n: usize) {
        self.records.reserve(n);
    }

    /// Add `b` at the end. Its original's trace is not kept (it is for judging only).
    pub fn push(&mut self, b: &Bounce) {
        let (hay, from_hay) = self.hay.add(b);
        let mut w = Writer { out: std::mem::take(&mut self.scratch), shared: &mut self.shared };
        w.out.clear();
        w.text(&b.source);
        for s in [&b.folder, &b.from, &b.to, &b.delivered_to, &b.subject, &b.reporting_mta] {
            w.shared(s);
        }
        w.number(b.offset);
        w.number(b.date as u64);
        w.number(b.recipients.len() as u64);
        for r in &b.recipients {
            w.cased(&r.address, from_hay);
            w.cased(&r.diagnostic, from_hay);
            w.text(&r.listed);
            for s in [&r.status, &r.reply_code, &r.reason, &r.action, &r.command, &r.remote_mta, &r.blocklist] {
                w.shared(s);
            }
            w.number(u64::from(r.hard));
            w.number(decided_by_code(r.decided_by));
            w.number(u64::from(r.rule));
        }
        match &b.original {
            None => w.number(0),
            Some(o) => {
                // Its recipient is most often the first failed address: then only a mark.
                let to_first = b.recipients.first().is_some_and(|r| r.address == o.to);
                w.number(if to_first { 2 } else { 1 });
                // Read back from the first row's text: so there must be one.
                let from_hay = from_hay && !b.recipients.is_empty();
                w.cased(&o.message_id, from_hay);
                w.cased(&o.subject, from_hay);
                w.text(&o.date);
                if !to_first {
                    w.text(&o.to);
                }
                w.shared(&o.from);
                w.shared(&o.found_as);
            }
        }
        let bytes = w.out;
        if self.segments.last().is_none_or(|s| s.len() + bytes.len() > s.capacity()) {
            self.segments.push(Vec::with_capacity(SEGMENT.max(bytes.len())));
        }
        let segment = self.segments.len() - 1;
        let seg = &mut self.segments[segment];
        let at = seg.len();
        seg.extend_from_slice(&bytes);
        self.scratch = bytes;
        self.records.push(Record {
            segment: segment as u32,
            at: at as u32,
            recipients: b.recipients.len().min(u32::MAX as usize) as u32,
            hay,
            kind: b.kind,
            verdict: b.verdict,
            blocklisted: b.recipients.iter().any(|r| !r.blocklist.is_empty()),
            evidence: b.evidence.clone(),
        });
    }

    /// The bounce at `i`, unpacked (as it was pushed, without the original's trace, and with
    /// the verdict it has now). Panics when `i` is out of range, as indexing a slice does.
    pub fn get(&self, i: usize) -> Bounce {
        let p = &self.records[i];
        let rows = self.hay.rows(p.hay, p.recipients as usize);
        let field = |row: usize, f: usize| rows.get(row).and_then(|r| r.get(f)).copied().unwrap_or("");
        let mut r = Reader { bytes: &self.segments[p.segment as usize][p.at as usize..], shared: &self.shared };
        let source = r.text();
        let [folder, from, to, delivered_to, subject, reporting_mta] = r.shared_texts();
        let offset = r.number();
        let date = r.number() as i64;
        let recipients: Vec<Recipient> = (0..r.number() as usize)
            .map(|row| {
                let (address, diagnostic) = (r.cased(field(row, 0)), r.cased(field(row, 1)));
                let listed = r.text();
                let [status, reply_code, reason, action, command, remote_mta, blocklist] = r.shared_texts();
                Recipient {
                    address,
                    status,
                    reply_code,
                    reason,
                    diagnostic,
                    action,
                    command,
                    remote_mta,
                    blocklist,
                    listed,
                    hard: r.number() != 0,
                    decided_by: decided_by_of(r.number()),
                    rule: r.number() as u32,
                }
            })
            .collect();
        let original = match r.number() {
            0 => None,
            mark => {
                let (message_id, subject, date) = (r.cased(field(0, 3)), r.cased(field(0, 2)), r.text());
                let to = if mark == 2 { recipients[0].address.clone() } else { r.text() };
                let [from, found_as] = r.shared_texts();
                Some(OriginalInfo { message_id, from, to, subject, date, found_as, trace: None })
            }
        };
        Bounce {
            source,
            offset,
            folder,
            kind: p.kind,
            date,
            from,
            to,
            delivered_to,
            subject,
            reporting_mta,
            recipients,
            original,
            verdict: p.verdict,
            evidence: p.evidence.clone(),
        }
    }

    /// Which rows' own text holds `needle` (lower case): their recipient and diagnostic, and
    /// their original's Subject, Message-ID and recipient.
    pub fn rows_holding(&self, needle: &str) -> Vec<bool> {
        self.hay.holding(needle, None)
    }

    /// [`Bounces::rows_holding`], looking only at the rows marked in `among` (the others are
    /// not marked): for a needle that holds one whose rows `among` marks.
    pub fn rows_holding_among(&self, needle: &str, among: &[bool]) -> Vec<bool> {
        self.hay.holding(needle, Some(among))
    }

    /// The failures a recipient's history counts (see [`history::failures`]), with the index of
    /// their bounce and recipient, read without unpacking: the address (in lower case when it
    /// is ASCII), reason, status and hardness of each recipient of each counted bounce.
    pub fn failures(&self) -> impl Iterator<Item = (usize, usize, Failure<'_>)> + '_ {
        (0..self.len())
            .filter(|&i| history::counts(self.kind(i), self.verdict(i)))
            .flat_map(|i| self.failures_of(i).map(move |(k, f)| (i, k, f)))
    }

    /// The recipients of bounce `i` as failures. Walks the packed fields in the order
    /// [`Bounces::push`] writes them.
    fn failures_of(&self, i: usize) -> impl Iterator<Item = (usize, Failure<'_>)> + '_ {
        let p = &self.records[i];
        let mut r = Reader { bytes: &self.segments[p.segment as usize][p.at as usize..], shared: &self.shared };
        r.str(); // source
        r.skip(6); // folder, from, to, delivered-to, subject, server
        r.number(); // offset
        let date = r.number() as i64;
        let n = r.number() as usize;
        (0..n).map(move |k| {
            let address = r.plain().unwrap_or_else(|| self.hay.address(p.hay, k));
            r.plain(); // diagnostic
            r.str(); // listed
            let [status, reply_code, reason] = [(); 3].map(|_| self.shared.get(r.number()));
            r.skip(4); // action, command, remote MTA, block list
            let hard = r.number() != 0;
            r.skip(2); // decided by, rule
            let status = if status.is_empty() { reply_code } else { status };
            (k, Failure { date, address, reason, status, hard })
        })
    }

    /// The server that wrote bounce `i` ("" when the report names none), read without unpacking.
    pub fn reporting_mta(&self, i: usize) -> &str {
        let p = &self.records[i];
        let mut r = Reader { bytes: &self.segments[p.segment as usize][p.at as usize..], shared: &self.shared };
        r.str(); // source
        r.skip(5); // folder, from, to, delivered-to, subject
        self.shared.get(r.number())
    }

    /// The bounces whose refusals name a block list (all a block-list table reads), unpacked,
    /// with their index.
    pub fn blocklisted(&self) -> impl Iterator<Item = (usize, Bounce)> + '_ {
        (0..self.len()).filter(|&i| self.records[i].blocklisted).map(|i| (i, self.get(i)))
    }

    /// Every bounce, unpacked one at a time, in order.
    pub fn iter(&self) -> impl Iterator<Item = Bounce> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The kind of bounce `i` (without unpacking it).
    pub fn kind(&self, i: usize) -> Kind {
        self.records[i].kind
    }

    /// The verdict of bounce `i` (without unpacking it).
    pub fn verdict(&self, i: usize) -> Verdict {
        self.records[i].verdict
    }

    /// How many recipients the bounce at `i` has.
    pub fn recipients(&self, i: usize) -> usize {
        self.records[i].recipients as usize
    }

    /// Give the bounce at `i` its final verdict.
    pub fn judge(&mut self, i: usize, verdict: Verdict, evidence: Arc<[Evidence]>) {
        let p = &mut self.records[i];
        (p.verdict, p.evidence) = (verdict, evidence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::DecidedBy;

    fn full() -> Bounce {
        let mut b = Bounce::of(
            1_700_000_000,
            Verdict::Real,
            vec![
                Recipient {
                    address: "a.very.long.address.indeed@example.org".into(),
                    status: "5.1.1".into(),
                    reply_code: "550".into(),
                    reason: "userunknown".into(),
                    hard: true,
                    diagnostic: "550 5.1.1 <a.very.long.address.indeed@example.org>: Recipient address rejected: ü"
                        .into(),
                    action: "failed".into(),
                    command: "RCPT".into(),
                    remote_mta: "mx.example.org".into(),
                    decided_by: DecidedBy::Phrase,
                    blocklist: "spamhaus-zen".into(),
                    listed: "192.0.2.1".into(),
                    rule: 300,
                },
                Recipient {
                    address: "B.Smith@Example.ORG".into(),
                    diagnostic: "452 4.2.2 Over Quota".into(),
                    ..Default::default()
                },
            ],
        );
        b.source = "cur/1700000000.M1P1.host:2,S".into();
        b.offset = 1 << 40;
        b.folder = "INBOX".into();
        b.subject = "Undelivered Mail Returned to Sender".into();
        b.reporting_mta = "mail.example.net".into();
        b.original = Some(OriginalInfo {
            message_id: "<CAKx9Q@Mail.Example.NET>".into(),
            from: "me@example.net".into(),
            to: "a@example.org".into(),
            subject: "RE: Hello World".into(),
            date: "Tue, 14 Nov 2023 22:13:20 +0000".into(),
            found_as: "message/rfc822".into(),
            trace: None,
        });
        b
    }

    #[test]
    fn bounces_come_back_as_they_went_in_across_buffers() {
        let mut all = Bounces::default();
        let mut to_first = full();
        to_first.original.as_mut().unwrap().to = to_first.recipients[0].address.clone();
        let empty = Bounce::of(0, Verdict::Undetermined, Vec::new());
        let pushed: Vec<Bounce> = (0..30).map(|i| [full(), to_first.clone(), empty.clone()][i % 3].clone()).collect();
        for b in &pushed {
            all.push(b);
        }
        assert!(all.segments.len() > 5, "{} buffers", all.segments.len());
        for (i, b) in pushed.iter().enumerate() {
            assert_eq!(format!("{:?}", all.get(i)), format!("{b:?}"), "bounce {i}");
        }
        assert_eq!((all.len(), all.recipients(0), all.kind(0)), (30, 2, Kind::Bounce));
    }

    #[test]
    fn a_verdict_given_later_is_what_comes_back() {
        let mut all = Bounces::default();
        all.push(&full());
        let evidence: Arc<[Evidence]> = vec![Evidence::new(crate::bounce::Signal::SentMid, "sent_mid", [])].into();
        all.judge(0, Verdict::Backscatter, evidence.clone());
        assert_eq!(all.verdict(0), Verdict::Backscatter);
        assert_eq!(all.get(0).verdict, Verdict::Backscatter);
        assert_eq!(all.get(0).evidence, evidence);
    }

    #[test]
    fn a_bounce_takes_its_own_text_and_a_few_bytes() {
        let mut b = Bounce::of(
            1_700_000_000,
            Verdict::Real,
            vec![Recipient {
                address: "jan.devries@example.nl".into(),
                diagnostic: "550 5.1.1 User unknown".into(),
                reason: "userunknown".into(),
                ..Default::default()
            }],
        );
        b.source = "cur/1700000000.M1P1.host:2,S".into();
        b.original = Some(OriginalInfo {
            message_id: "<m1@example.net>".into(),
            to: "jan.devries@example.nl".into(),
            date: "Tue, 14 Nov 2023 22:13:20 +0000".into(),
            ..Default::default()
        });
        let mut all = Bounces::default();
        all.push(&b);
        // Written out: the source and the original's Date, each with a length byte. The
        // address, the diagnostic, the Message-ID and the (empty) Subject are read back from
        // the search text: a byte each, and two for the one run of capitals ("U" of "User"). The original's
        // recipient is the first address: its mark says so. Numbers: six shared values of the
        // bounce, seven of the recipient, two of the original; the date (5 bytes), the offset,
        // the count of recipients, hard, decided-by, rule, and the mark.
        let text = b.source.len() + b.original.as_ref().unwrap().date.len() + 2;
        let from_hay = 1 + (1 + 2) + 1 + 1 + 1;
        let numbers = (6 + 7 + 2) + 5 + 1 + 1 + 3 + 1;
        assert_eq!(all.segments[0].len(), text + from_hay + numbers);
        assert_eq!(format!("{:?}", all.get(0)), format!("{b:?}"));
        assert!(std::mem::size_of::<Record>() <= 40);
    }

    #[test]
    fn text_holding_the_separators_is_kept_whole() {
        // The pipeline strips control characters, but the store must not rely on it: a field
        // holding a separator is written out in full, with every other field of its bounce.
        let mut b = full();
        b.recipients[0].diagnostic = "550 no\u{1}such\0USER".into();
        b.original.as_mut().unwrap().subject = "A\u{1}B".into();
        let mut all = Bounces::default();
        all.push(&b);
        all.push(&full());
        assert_eq!(format!("{:?}", all.get(0)), format!("{b:?}"));
        assert_eq!(format!("{:?}", all.get(1)), format!("{:?}", full()));
        assert_eq!(all.rows_holding("such\0user"), vec![true, false, false, false]);
        // A needle ending in NUL (past the last row's text), or an empty one, is no panic.
        assert_eq!(all.rows_holding("example.org\0").len(), 4);
        assert_eq!(all.rows_holding(""), vec![true; 4]);
        let mut none = Bounces::default();
        none.push(&Bounce::of(0, Verdict::Real, Vec::new()));
        assert_eq!(none.rows_holding("x\0"), Vec::<bool>::new());
    }

    #[test]
    fn rows_are_found_by_their_own_text_in_any_case() {
        let mut all = Bounces::default();
        for b in [full(), Bounce::of(0, Verdict::Real, Vec::new()), full()] {
            all.push(&b);
        }
        assert_eq!(all.rows_holding("b.smith@"), vec![false, true, false, true]);
        assert_eq!(all.rows_holding("over quota"), vec![false, true, false, true]);
        // The original's Subject and Message-ID belong to every row of the bounce.
        assert_eq!(all.rows_holding("hello world"), vec![true; 4]);
        assert_eq!(all.rows_holding("cakx9q@mail"), vec![true; 4]);
        assert_eq!(all.rows_holding("rejected: ü"), vec![true, false, true, false]);
        assert_eq!(all.rows_holding("no such text"), vec![false; 4]);
    }

    #[test]
    fn a_longer_needle_is_found_among_the_rows_of_a_shorter_one() {
        // Many small segments, rows of every kind: what the rows that held "b" hold of "b.s",
        // looked at alone or (where most of a segment's rows are marked) in one pass, is what
        // a search of every row finds.
        let mut all = Bounces::default();
        for i in 0..60 {
            let b = if i % 3 == 1 { Bounce::of(0, Verdict::Real, Vec::new()) } else { full() };
            all.push(&b);
        }
        for (short, long) in [("b", "b.s"), ("o", "over quota"), ("e", "example"), ("", "smith"), ("q", "qq")] {
            let among = all.rows_holding(short);
            let found = all.rows_holding_among(long, &among);
            assert_eq!(found, all.rows_holding(long), "{long:?} among {short:?}");
        }
        // Few rows marked: each is looked at alone, and the others are not marked.
        let mut few = vec![false; all.rows_holding("").len()];
        few[1] = true;
        few[7] = true;
        let found = all.rows_holding_among("b.smith@", &few);
        assert_eq!(found.iter().filter(|&&f| f).count(), 2);
        assert!(found[1] && found[7]);
    }
}
