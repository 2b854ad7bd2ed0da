//! The list's rows and what filtering, sorting and counting them needs: a key per row (date,
//! domain, reason, hard, kind, verdict — computed once when the row arrives), the values many
//! rows share, and the counts the header, tabs and pickers show. The rows' own search text is
//! kept with the bounces (`store`), which read their text back from it. Every sort's order is
//! made once per change of the rows (`order`), and a query filters it on all cores; counts and
//! searches are remembered until the rows change. Half a million rows filter, search and sort
//! in about a frame.

mod order;

use super::action::{Sort, View};
use super::store::Bounces;
use crate::bounce::{Bounce, Kind, Verdict};
use crate::report::{Counted, Summary, Tally};
use order::{HARD, Ordered, Placed};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A row of the list: a recipient of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowRef {
    pub bounce: usize,
    pub recipient: usize,
}

/// What filtering and sorting need of a row, computed once when the row arrives, so that
/// every order is made from them.
#[derive(Debug, Clone)]
struct RowKey {
    row: RowRef,
    date: i64,
    /// Index into `RowIndex::domains`.
    domain: u32,
    /// Index into `RowIndex::reasons`.
    reason: u16,
    /// Index into `RowIndex::codes`: the status code shown, else the reply code.
    code: u16,
    /// Index into `RowIndex::shared`: the bounce's subject (a value most rows share, searched
    /// once instead of once per row).
    subject: u32,
    /// Index into `RowIndex::mtas`: the server that wrote the bounce.
    mta: u32,
    hard: bool,
    /// The bounce's kind and verdict (copied here: the filter then never touches the bounces).
    kind: Kind,
    verdict: Verdict,
}

/// Row counts shown in the header, the tabs and the category picker.
#[derive(Debug, Default)]
struct Counts {
    /// Per view, in the order of `View::ALL`.
    views: [usize; View::ALL.len()],
    /// Per reason in the current view, most first.
    reasons: Vec<(String, usize)>,
    /// Messages of the "all" view.
    messages: usize,
}

/// Per view, rows per reason id: counted once per change of the rows, so that switching views
/// counts nothing again.
#[derive(Debug)]
struct ReasonCounts {
    made_at: u64,
    per_view: [Vec<usize>; View::ALL.len()],
    messages: usize,
}

/// Which rows to show, and in which order.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub view: View,
    /// Reasons to show; empty: all.
    pub categories: &'a BTreeSet<String>,
    /// Only hard (`Some(true)`) or soft (`Some(false)`) bounces.
    pub hard: Option<bool>,
    pub search: &'a str,
    pub sort: Sort,
    pub group: bool,
    /// The order turned round.
    pub reverse: bool,
    /// Grouped, the domains shown by their first row alone.
    pub collapsed: &'a BTreeSet<String>,
    /// Only these rows (a table row's bounces, after Enter), when given.
    pub only: Option<&'a HashSet<RowRef>>,
}

/// Every row of the loaded bounces, indexed.
#[derive(Debug, Default)]
pub struct RowIndex {
    keys: Vec<RowKey>,
    /// Per bounce, the index in `keys` of its first recipient's row.
    first_key: Vec<u32>,
    domains: Vec<String>,
    domain_ids: HashMap<String, u32>,
    reasons: Vec<String>,
    codes: Vec<String>,
    code_ids: HashMap<String, u16>,
    /// Lower-cased bounce subjects, once each.
    shared: Vec<String>,
    shared_ids: HashMap<String, u32>,
    /// The servers that wrote the bounces, as they wrote their names, once each.
    mtas: Vec<String>,
    mta_ids: HashMap<String, u32>,
    counts: Counts,
    /// The first and last year of the dated rows.
    years: Option<(i64, i64)>,
    /// Grouped: rows per domain id in the last selection (before collapsing).
    group_sizes: Vec<usize>,
    /// Bumped whenever rows arrive or verdicts change: what is derived from the rows (counts,
    /// orders, remembered searches) remembers the value it was made at.
    changes: u64,
    reason_counts: Option<ReasonCounts>,
    /// Every row in the order of each sort (see [`order`]), in the order of `SORTS`.
    orders: [Option<Ordered>; SORTS.len()],
    /// The last searches, oldest first.
    searched: Vec<Searched>,
}

/// What rows a summary counts together share: reason, domain and server (ids), kind, verdict,
/// day (-1: undated) and hardness.
type Alike = (u16, u32, u32, Kind, Verdict, i64, bool);

/// The sorts, in the order of `RowIndex::orders`.
const SORTS: [Sort; 4] = [Sort::Date, Sort::Category, Sort::Domain, Sort::Code];

/// Does a message of this kind and verdict belong in `view`?
fn belongs(kind: Kind, verdict: Verdict, view: View) -> bool {
    match view {
        View::All => kind == Kind::Bounce,
        View::Real => kind == Kind::Bounce && verdict == Verdict::Real,
        View::Backscatter => kind == Kind::Bounce && verdict == Verdict::Backscatter,
        View::Abuse => kind == Kind::Bounce && verdict == Verdict::Abuse,
        View::Undetermined => kind == Kind::Bounce && verdict == Verdict::Undetermined,
        View::AutoReplies => kind != Kind::Bounce,
    }
}

/// Is a row in `view`? (From the copy of kind and verdict in its key.)
fn key_in_view(k: &RowKey, view: View) -> bool {
    belongs(k.kind, k.verdict, view)
}

impl RowIndex {
    /// Room for `n` more rows, reserved before they arrive.
    pub fn reserve(&mut self, n: usize) {
        self.keys.reserve(n);
    }

    /// Index the rows of `batch`, the bounces of the list from index `first` on.
    pub fn add(&mut self, batch: &[Bounce], first: usize) {
        debug_assert_eq!(first, self.first_key.len(), "rows are added at the end");
        self.changes += 1;
        for (bi, b) in (first..).zip(batch) {
            self.first_key.resize(bi, self.keys.len() as u32);
            self.first_key.push(self.keys.len() as u32);
            for (ri, r) in b.recipients.iter().enumerate() {
                let domain = intern(&mut self.domains, &mut self.domain_ids, &Bounce::domain(&r.address));
                let reason = match self.reasons.iter().position(|x| *x == r.reason) {
                    Some(i) => i as u16,
                    None => {
                        self.reasons.push(r.reason.to_string());
                        (self.reasons.len() - 1) as u16
                    }
                };
                let subject = self.share(&b.subject);
                let mta = intern(&mut self.mtas, &mut self.mta_ids, &b.reporting_mta);
                let shown = if r.status.is_empty() { r.reply_code.as_str() } else { r.status.as_str() };
                let code = match self.code_ids.get(shown) {
                    Some(&id) => id,
                    None => {
                        let id = self.codes.len().min(u16::MAX as usize) as u16;
                        self.codes.push(shown.to_string());
                        self.code_ids.insert(shown.to_string(), id);
                        id
                    }
                };
                if b.date != 0 {
                    let year = crate::dates::civil(b.date).0;
                    self.years = Some(self.years.map_or((year, year), |(lo, hi)| (lo.min(year), hi.max(year))));
                }
                self.keys.push(RowKey {
                    row: RowRef { bounce: bi, recipient: ri },
                    date: b.date,
                    domain,
                    reason,
                    code,
                    subject,
                    mta,
                    hard: r.hard,
                    kind: b.kind,
                    verdict: b.verdict,
                });
            }
        }
    }

    fn key(&self, row: RowRef) -> Option<&RowKey> {
        self.key_index(row).map(|i| &self.keys[i])
    }

    /// Where `row` is in `keys`, if it is indexed.
    fn key_index(&self, row: RowRef) -> Option<usize> {
        let i = *self.first_key.get(row.bounce)? as usize + row.recipient;
        self.keys.get(i).is_some_and(|k| k.row == row).then_some(i)
    }

    /// The reason of a row (empty for a row not indexed).
    pub fn reason(&self, row: RowRef) -> &str {
        self.key(row).map_or("", |k| &self.reasons[k.reason as usize])
    }

    /// The recipient's domain of a row, lower case, as [`Bounce::domain`] gives it.
    pub fn domain(&self, row: RowRef) -> &str {
        self.key(row).map_or("", |k| &self.domains[k.domain as usize])
    }

    /// The counts of `rows` (rows `select` gave) as a summary has them: one pass over the index
    /// in mailbox order, rows alike (of one reason, domain, server, verdict, day and hardness)
    /// counted together.
    pub fn summary(&self, rows: &[RowRef]) -> Summary {
        let mut shown = vec![false; self.keys.len()];
        let mut messages = vec![false; self.first_key.len()];
        for r in rows {
            // Where the row is, unchecked: `select` gave it.
            let Some(&first) = self.first_key.get(r.bounce) else { continue };
            if let Some(s) = shown.get_mut(first as usize + r.recipient) {
                *s = true;
                messages[r.bounce] = true;
            }
        }
        let mut alike: HashMap<Alike, usize, foldhash::fast::RandomState> = HashMap::default();
        for k in self.keys.iter().zip(&shown).filter(|(_, s)| **s).map(|(k, _)| k) {
            let day = if k.date > 0 { k.date.div_euclid(86_400) } else { -1 };
            *alike.entry((k.reason, k.domain, k.mta, k.kind, k.verdict, day, k.hard)).or_default() += 1;
        }
        let mut tally = Tally::default();
        for ((reason, domain, mta, kind, verdict, day, hard), n) in alike {
            let c = Counted {
                reason: self.reasons[reason as usize].as_str().into(),
                domain: self.domains[domain as usize].as_str().into(),
                mta: self.mtas[mta as usize].as_str().into(),
                kind,
                verdict,
                // Noon of the day (day 0 is a date too).
                date: if day < 0 { 0 } else { day * 86_400 + 43_200 },
                message: 0,
                hard,
            };
            tally.add_alike(c, n);
        }
        tally.add_messages(messages.iter().filter(|&&m| m).count());
        tally.finish()
    }

    /// Copy the bounces' verdicts into the row keys (after judging).
    pub fn sync_verdicts(&mut self, bounces: &Bounces) {
        for k in &mut self.keys {
            k.verdict = bounces.verdict(k.row.bounce);
        }
        self.changes += 1;
    }

    /// The id of a shared value (lower-cased), added when new.
    fn share(&mut self, value: &str) -> u32 {
        intern(&mut self.shared, &mut self.shared_ids, &super::store::lower(value))
    }

    /// Grouped: how many rows of `domain` the last selection held (collapsed ones too).
    pub fn group_size(&self, domain: &str) -> usize {
        self.domain_ids.get(domain).and_then(|&id| self.group_sizes.get(id as usize)).copied().unwrap_or(0)
    }

    /// Grouped: the domains of the last selection (collapsed ones too).
    pub fn group_domains(&self) -> impl Iterator<Item = &str> {
        self.domains.iter().zip(&self.group_sizes).filter(|(_, n)| **n > 0).map(|(d, _)| d.as_str())
    }

    /// Do the rows' dates span more than one year (so that the list shows the year)?
    pub fn spans_years(&self) -> bool {
        self.years.is_some_and(|(lo, hi)| lo != hi)
    }

    pub fn view_count(&self, view: View) -> usize {
        self.counts.views[view_index(view)]
    }

    /// Bounce messages behind the rows of the "all" view.
    pub fn message_count(&self) -> usize {
        self.counts.messages
    }

    /// Per reason: rows in the counted view (ignoring the category filter itself), most first.
    pub fn category_counts(&self) -> &[(String, usize)] {
        &self.counts.reasons
    }

    /// Count the rows per view and, in `view`, per reason. The rows are counted once per change
    /// of them, for every view at once (the header and the tabs show ten counts); a view switch
    /// only orders its reasons.
    pub fn count(&mut self, view: View) {
        if self.reason_counts.as_ref().is_none_or(|c| c.made_at != self.changes) {
            let mut per_view: [Vec<usize>; View::ALL.len()] = Default::default();
            per_view.iter_mut().for_each(|v| *v = vec![0; self.reasons.len()]);
            let mut messages = 0;
            for k in &self.keys {
                messages += usize::from(k.row.recipient == 0 && key_in_view(k, View::All));
                for (n, v) in per_view.iter_mut().zip(View::ALL) {
                    n[k.reason as usize] += usize::from(key_in_view(k, v));
                }
            }
            self.reason_counts = Some(ReasonCounts { made_at: self.changes, per_view, messages });
        }
        let counted = self.reason_counts.as_ref().expect("counted above");
        let views = std::array::from_fn(|i| counted.per_view[i].iter().sum());
        let shown = &counted.per_view[view_index(view)];
        let mut by_reason: Vec<(String, usize)> =
            self.reasons.iter().cloned().zip(shown.iter().copied()).filter(|(_, n)| *n > 0).collect();
        by_reason.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.counts = Counts { views, reasons: by_reason, messages: counted.messages };
    }

    /// The rows `q` asks for, in its order; `reason_name` names a reason for the category sort.
    ///
    /// Every order is the date order (newest first, then mailbox order) put in a stable order of
    /// one rank: the reason's, the domain's or the code's. Ungrouped, the whole list is ordered
    /// once per sort (until rows arrive or verdicts change; the reasons' ranks in the language
    /// shown are applied when the buckets are read) and a query only filters that order.
    /// Grouped, the rows kept are then put in the order of their domain's size.
    pub fn select(&mut self, q: Query<'_>, bounces: &Bounces, reason_name: impl Fn(&str) -> String) -> Vec<RowRef> {
        let wanted: Vec<bool> =
            self.reasons.iter().map(|r| q.categories.is_empty() || q.categories.contains(r)).collect();
        let found = self.search(&super::store::lower(q.search), bounces);
        let only = q.only.map(|only| {
            let mut mask = vec![false; self.keys.len()];
            for &row in only {
                if let Some(i) = self.key_index(row) {
                    mask[i] = true;
                }
            }
            mask
        });
        let view = 1u8 << view_index(q.view);
        let keep = |p: &Placed| {
            p.flags & view != 0
                && wanted[p.reason as usize]
                && q.hard.is_none_or(|h| h == (p.flags & HARD != 0))
                && found.as_ref().is_none_or(|f| f[p.key as usize])
                && only.as_ref().is_none_or(|o| o[p.key as usize])
        };
        // Grouped, the date and the domain sort both order each domain's rows by date.
        let base = if q.group && q.sort == Sort::Domain { Sort::Date } else { q.sort };
        // Grouped by date, the rows are read from the domain order.
        self.make_order(if q.group && base == Sort::Date { Sort::Domain } else { base });
        let first_key = &self.first_key;
        let row = |p: &Placed| RowRef {
            bounce: p.bounce as usize,
            recipient: (p.key - first_key[p.bounce as usize]) as usize,
        };
        let reason_rank = rank(&self.reasons, |r| reason_name(r));
        let o = self.orders[sort_index(base)].as_ref().expect("ordered above");
        let runs = o.runs(if base == Sort::Category { &reason_rank } else { &o.rank });
        if !q.group {
            let (rows, sizes) = order::filter(&runs, q.reverse, self.domains.len(), &keep, &row);
            self.group_sizes = sizes;
            return rows;
        }
        // Grouped, the biggest domain comes first: the rows kept are counted per domain first.
        let (_, sizes) = order::filter(&runs, false, self.domains.len(), &keep, &|_: &Placed| ());
        let mut ids: Vec<usize> = (0..self.domains.len()).collect();
        ids.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]).then(self.domains[*a].cmp(&self.domains[*b])));
        let mut size_rank = vec![0u32; ids.len()];
        for (r, id) in ids.into_iter().enumerate() {
            size_rank[id] = r as u32;
        }
        let grouped = if base == Sort::Date {
            // By date within each domain: the domain order's buckets, biggest first.
            let by_domain = self.orders[sort_index(Sort::Domain)].as_ref().expect("ordered above");
            let runs = by_domain.runs(&size_rank);
            if q.collapsed.is_empty() {
                let rows = order::filter(&runs, q.reverse, 0, &keep, &row).0;
                self.group_sizes = sizes;
                return rows;
            }
            order::filter(&runs, q.reverse, 0, &keep, &|p: &Placed| *p).0
        } else {
            let (picked, _) = order::filter(&runs, false, 0, &keep, &|p: &Placed| *p);
            let (mut grouped, _) = order::stable_by_rank(&picked, size_rank.len(), |p| size_rank[p.domain as usize]);
            if q.reverse {
                grouped.reverse();
            }
            grouped
        };
        self.group_sizes = sizes;
        if q.collapsed.is_empty() {
            return grouped.iter().map(row).collect();
        }
        // A collapsed domain keeps its first row, which stands for the group.
        let collapsed: Vec<bool> = self.domains.iter().map(|d| q.collapsed.contains(d)).collect();
        let mut seen = vec![false; self.domains.len()];
        grouped
            .iter()
            .filter(|p| {
                let d = p.domain as usize;
                !collapsed[d] || !std::mem::replace(&mut seen[d], true)
            })
            .map(row)
            .collect()
    }

    /// Order every row for every sort now (when a mailbox is loaded: 16 bytes a row for each),
    /// so that the first press of the sort key only filters.
    pub fn make_orders(&mut self) {
        SORTS.into_iter().for_each(|s| self.make_order(s));
    }

    /// Order every row for `sort` (ungrouped), unless the rows are as they were when it was
    /// ordered last. The other sorts are made from the date order.
    fn make_order(&mut self, sort: Sort) {
        let at = self.changes;
        let fresh = |o: &Option<Ordered>| o.as_ref().is_some_and(|o| o.made_at == at);
        if !fresh(&self.orders[0]) {
            self.orders[0] = Some(Ordered::one(self.date_order(), at));
        }
        let i = sort_index(sort);
        if fresh(&self.orders[i]) {
            return;
        }
        let by_date = &self.orders[0].as_ref().expect("made above").placed_by_date();
        let made = match sort {
            Sort::Date => return,
            // Ranked by the reasons' names in the language shown, when asked.
            Sort::Category => Ordered::bucketed(by_date, self.reasons.len(), |p| p.reason.into(), Vec::new(), at),
            Sort::Domain => {
                let rank = rank(&self.domains, |d| d.clone());
                Ordered::bucketed(by_date, self.domains.len(), |p| p.domain, rank, at)
            }
            // Codes as numbers compare as numbers ("4.2.2" before "5.1.1", "5.1.10" after "5.1.9").
            Sort::Code => {
                let rank = rank(&self.codes, |c| {
                    c.split(['.', ' ']).map(|p| format!("{:0>5}", p)).collect::<Vec<_>>().join(".")
                });
                Ordered::bucketed(by_date, self.codes.len(), |p| self.keys[p.key as usize].code.into(), rank, at)
            }
        };
        self.orders[i] = Some(made);
    }

    /// Every row, newest first, then in mailbox order (undated rows last).
    fn date_order(&self) -> Vec<Placed> {
        const DATE_BITS: u32 = 48;
        let newest_first = |k: &RowKey| (1u64 << DATE_BITS) - 1 - k.date.clamp(0, (1i64 << DATE_BITS) - 1) as u64;
        let mut order: Vec<u128> =
            self.keys.iter().enumerate().map(|(i, k)| u128::from(newest_first(k)) << 32 | i as u128).collect();
        order.sort_unstable();
        order
            .into_iter()
            .map(|o| {
                let key = (o & u128::from(u32::MAX)) as u32;
                let k = &self.keys[key as usize];
                let views = View::ALL.iter().enumerate().filter(|(_, v)| key_in_view(k, **v)).map(|(i, _)| 1u8 << i);
                Placed {
                    bounce: k.row.bounce as u32,
                    key,
                    domain: k.domain,
                    reason: k.reason,
                    flags: views.fold(if k.hard { HARD } else { 0 }, |f, v| f | v),
                }
            })
            .collect()
    }

    /// Which rows hold `needle` (lower case): their own text (see [`Bounces::rows_holding`]),
    /// their reason, the bounce's subject or its server. `None` for an empty needle.
    fn search(&mut self, needle: &str, bounces: &Bounces) -> Option<Vec<bool>> {
        if needle.is_empty() {
            return None;
        }
        let mut found = self.rows_holding(needle, bounces);
        found.resize(self.keys.len(), false);
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        // The shared values and the reasons, each looked at once.
        let shared: Vec<bool> = self.shared.iter().map(|v| finder.find(v.as_bytes()).is_some()).collect();
        let lower = |values: &[String]| -> Vec<bool> {
            values.iter().map(|v| finder.find(super::store::lower(v).as_bytes()).is_some()).collect()
        };
        let (mtas, reasons) = (lower(&self.mtas), lower(&self.reasons));
        if shared.iter().chain(&mtas).chain(&reasons).any(|&m| m) {
            for (f, k) in found.iter_mut().zip(&self.keys) {
                *f |= shared[k.subject as usize] || mtas[k.mta as usize] || reasons[k.reason as usize];
            }
        }
        Some(found)
    }

    /// The rows whose own text holds `needle`, remembered for the next needles: typing on looks
    /// only at the rows that held what was typed before, and a backspace finds its rows again.
    fn rows_holding(&mut self, needle: &str, bounces: &Bounces) -> Vec<bool> {
        self.searched.retain(|s| s.made_at == self.changes);
        if let Some(i) = self.searched.iter().position(|s| s.needle == needle) {
            let s = self.searched.remove(i);
            let rows = s.rows.clone();
            self.searched.push(s);
            return rows;
        }
        // The longest needle searched before that this one holds (a hit never spans rows unless
        // the needle holds the rows' separator).
        let among = self
            .searched
            .iter()
            .filter(|s| needle.contains(s.needle.as_str()) && !needle.contains('\0'))
            .max_by_key(|s| s.needle.len());
        let rows = match among {
            Some(s) => bounces.rows_holding_among(needle, &s.rows),
            None => bounces.rows_holding(needle),
        };
        if self.searched.len() == SEARCHES_KEPT {
            self.searched.remove(0);
        }
        self.searched.push(Searched { needle: needle.to_string(), made_at: self.changes, rows: rows.clone() });
        rows
    }
}

/// How many searches' rows are remembered (one per character typed, back to the start).
const SEARCHES_KEPT: usize = 16;

/// The rows whose own text held a needle.
#[derive(Debug)]
struct Searched {
    needle: String,
    made_at: u64,
    rows: Vec<bool>,
}

/// The rank of each item in the sorted order of `key(item)`.
fn rank<T>(items: &[T], key: impl Fn(&T) -> String) -> Vec<u32> {
    let mut order: Vec<(String, usize)> = items.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    order.sort();
    let mut ranks = vec![0; items.len()];
    for (r, (_, i)) in order.into_iter().enumerate() {
        ranks[i] = r as u32;
    }
    ranks
}

/// The id of `value` in `values` (its index; `ids` finds it), added when new.
fn intern(values: &mut Vec<String>, ids: &mut HashMap<String, u32>, value: &str) -> u32 {
    if let Some(&id) = ids.get(value) {
        return id;
    }
    let id = values.len() as u32;
    values.push(value.to_string());
    ids.insert(value.to_string(), id);
    id
}

/// Where `view` is in `View::ALL`.
fn view_index(view: View) -> usize {
    View::ALL.iter().position(|v| *v == view).unwrap_or(0)
}

/// Where `sort` is in [`SORTS`].
fn sort_index(sort: Sort) -> usize {
    SORTS.iter().position(|s| *s == sort).unwrap_or(0)
}

#[cfg(test)]
mod tests;
