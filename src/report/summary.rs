//! The counts behind every summary: the TUI overview and the HTML and Markdown reports, from
//! the same rows the list or the report shows.

use super::Row;
use crate::bounce::{Bounce, Kind, Verdict};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Counts for summaries: the one source of the numbers in the TUI overview and the HTML and
/// Markdown reports, so they always agree with the list they summarise.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub rows: usize,
    pub messages: usize,
    pub by_reason: Vec<(String, usize)>,
    pub by_domain: Vec<(String, usize)>,
    /// Reporting MTA of the bounce (the server that wrote it; "" when the report names none).
    pub by_mta: Vec<(String, usize)>,
    pub by_verdict: Vec<(String, usize)>,
    /// Every day from the first to the last dated row (at most [`MAX_DAYS`], the latest ones):
    /// rows that day and how many of them are backscatter.
    pub by_day: Vec<Day>,
    /// Rows without a usable date (not on the timeline).
    pub undated: usize,
    /// Dated rows older than the timeline's first day (it covers [`MAX_DAYS`] at most).
    pub earlier: usize,
    pub hard: usize,
    pub soft: usize,
}

/// One day of the timeline.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub rows: usize,
    pub backscatter: usize,
}

/// The longest timeline drawn.
pub const MAX_DAYS: usize = 366;

/// One row as a summary counts it.
#[derive(Debug, Clone)]
pub struct Counted<'a> {
    pub reason: Cow<'a, str>,
    /// The recipient's domain, lower case.
    pub domain: Cow<'a, str>,
    /// The server that wrote the bounce ("" when the report names none).
    pub mta: Cow<'a, str>,
    pub kind: Kind,
    pub verdict: Verdict,
    pub date: i64,
    /// The same number for the rows of one message (and only for them): the TUI gives the
    /// bounce's index, a report the address of the bounce all its rows borrow.
    pub message: usize,
    pub hard: bool,
}

/// The counts of rows seen so far; [`Tally::finish`] gives the summary.
#[derive(Debug, Default)]
pub struct Tally<'a> {
    rows: usize,
    reason: Counter<'a>,
    domain: Counter<'a>,
    mta: Counter<'a>,
    verdict: Counter<'a>,
    days: BTreeMap<i64, (usize, usize)>,
    messages: HashSet<usize, foldhash::fast::RandomState>,
    /// Messages counted by the caller ([`Tally::add_messages`]), besides those in `messages`.
    more_messages: usize,
    undated: usize,
    hard: usize,
    soft: usize,
}

/// How often each value came.
type Counter<'a> = HashMap<Cow<'a, str>, usize, foldhash::fast::RandomState>;

impl<'a> Tally<'a> {
    /// Count one row.
    pub fn add(&mut self, r: Counted<'a>) {
        self.messages.insert(r.message);
        self.add_alike(r, 1);
    }

    /// Count `n` rows alike: of `r`'s reason, domain, server, verdict, day and hardness. Their
    /// messages are not counted (`r.message` is not read): the caller counts them with
    /// [`Tally::add_messages`].
    pub fn add_alike(&mut self, r: Counted<'a>, n: usize) {
        fn count<'a>(counter: &mut Counter<'a>, value: Cow<'a, str>, n: usize) {
            match counter.get_mut(value.as_ref()) {
                Some(c) => *c += n,
                None => {
                    counter.insert(value, n);
                }
            }
        }
        self.rows += n;
        count(&mut self.reason, r.reason, n);
        count(&mut self.domain, r.domain, n);
        count(&mut self.mta, r.mta, n);
        let bounce = r.kind == Kind::Bounce;
        if bounce {
            count(&mut self.verdict, r.verdict.as_str().into(), n);
        }
        if r.date > 0 {
            let d = self.days.entry(r.date.div_euclid(86_400)).or_default();
            d.0 += n;
            d.1 += if bounce && r.verdict == Verdict::Backscatter { n } else { 0 };
        } else {
            self.undated += n;
        }
        if bounce {
            if r.hard {
                self.hard += n;
            } else {
                self.soft += n;
            }
        }
    }

    /// Count `n` messages the rows added with [`Tally::add_alike`] belong to.
    pub fn add_messages(&mut self, n: usize) {
        self.more_messages += n;
    }

    /// The summary of the rows counted.
    pub fn finish(self) -> Summary {
        fn sorted(m: Counter<'_>) -> Vec<(String, usize)> {
            let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.into_owned(), n)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        }
        let (mut by_day, mut earlier) = (Vec::new(), 0);
        if let (Some((&first, _)), Some((&last, _))) = (self.days.first_key_value(), self.days.last_key_value()) {
            let first = first.max(last - MAX_DAYS as i64 + 1);
            earlier = self.days.range(..first).map(|(_, d)| d.0).sum::<usize>();
            for day in first..=last {
                let (n, b) = self.days.get(&day).copied().unwrap_or_default();
                by_day.push(Day { date: crate::dates::day(day * 86_400), rows: n, backscatter: b });
            }
        }
        Summary {
            rows: self.rows,
            messages: self.messages.len() + self.more_messages,
            by_reason: sorted(self.reason),
            by_domain: sorted(self.domain),
            by_mta: sorted(self.mta),
            by_verdict: sorted(self.verdict),
            by_day,
            undated: self.undated,
            earlier,
            hard: self.hard,
            soft: self.soft,
        }
    }
}

impl Counted<'_> {
    /// A report's row as a summary counts it. The rows of one message share its bounce, whose
    /// address stands for the message.
    pub fn of<'a>(r: &Row<'a>) -> Counted<'a> {
        Counted {
            reason: r.recipient.reason.as_str().into(),
            domain: Bounce::domain(&r.recipient.address).into(),
            mta: r.bounce.reporting_mta.as_str().into(),
            kind: r.bounce.kind,
            verdict: r.bounce.verdict,
            date: r.bounce.date,
            message: std::ptr::from_ref(r.bounce) as usize,
            hard: r.recipient.hard,
        }
    }

    /// The same, holding its own text (to be counted after the row is gone).
    pub fn into_owned(self) -> Counted<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Counted { reason: own(self.reason), domain: own(self.domain), mta: own(self.mta), ..self }
    }
}

/// Count rows by reason, recipient domain, reporting MTA, verdict and day, most frequent first.
pub fn summarize(rows: &[Row<'_>]) -> Summary {
    let mut tally = Tally::default();
    for r in rows {
        tally.add(Counted::of(r));
    }
    tally.finish()
}
