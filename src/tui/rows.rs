//! The list's rows and what filtering, sorting and counting them needs: a key per row (date,
//! domain, reason, hard, kind, verdict — computed once when the row arrives), the values many
//! rows share, and the counts the header, tabs and pickers show. The rows' own search text is
//! kept with the bounces (`store`), which read their text back from it.
//! 100,000 rows filter, search and sort within a frame.

use super::action::{Sort, View};
use super::store::Bounces;
use crate::bounce::{Bounce, Kind, Verdict};
use crate::report::Counted;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A row of the list: a recipient of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowRef {
    pub bounce: usize,
    pub recipient: usize,
}

/// What filtering and sorting need of a row, computed once when the row arrives, so that
/// 100,000 rows filter and sort within a frame.
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
    /// Indexes into `RowIndex::shared`: the bounce's subject and the server that wrote it
    /// (values most rows share, searched once each instead of once per row).
    subject: u32,
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
    /// Lower-cased values many rows share (bounce subjects, reporting servers), once each.
    shared: Vec<String>,
    shared_ids: HashMap<String, u32>,
    counts: Counts,
    /// The first and last year of the dated rows.
    years: Option<(i64, i64)>,
    /// Grouped: rows per domain id in the last selection (before collapsing).
    group_sizes: Vec<usize>,
    /// All rows in the last ungrouped order asked for.
    sorted: Option<Sorted>,
}

/// The order of all rows for one ungrouped sort, and what it was made from.
#[derive(Debug)]
struct Sorted {
    sort: Sort,
    rows: usize,
    reason_rank: Vec<u32>,
    order: Vec<u32>,
}

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
        for (bi, b) in (first..).zip(batch) {
            self.first_key.resize(bi, self.keys.len() as u32);
            self.first_key.push(self.keys.len() as u32);
            for (ri, r) in b.recipients.iter().enumerate() {
                let d = Bounce::domain(&r.address);
                let next = self.domain_ids.len() as u32;
                let domain = *self.domain_ids.entry(d.clone()).or_insert_with(|| {
                    self.domains.push(d);
                    next
                });
                let reason = match self.reasons.iter().position(|x| *x == r.reason) {
                    Some(i) => i as u16,
                    None => {
                        self.reasons.push(r.reason.to_string());
                        (self.reasons.len() - 1) as u16
                    }
                };
                let (subject, mta) = (self.share(&b.subject), self.share(&b.reporting_mta));
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
        self.keys.get(*self.first_key.get(row.bounce)? as usize + row.recipient).filter(|k| k.row == row)
    }

    /// The reason of a row (empty for a row not indexed).
    pub fn reason(&self, row: RowRef) -> &str {
        self.key(row).map_or("", |k| &self.reasons[k.reason as usize])
    }

    /// The recipient's domain of a row, lower case, as [`Bounce::domain`] gives it.
    pub fn domain(&self, row: RowRef) -> &str {
        self.key(row).map_or("", |k| &self.domains[k.domain as usize])
    }

    /// A row as a summary counts it (the server that wrote the bounce read from `bounces`).
    pub fn counted<'a>(&'a self, row: RowRef, bounces: &'a Bounces) -> Option<Counted<'a>> {
        let k = self.key(row)?;
        Some(Counted {
            reason: &self.reasons[k.reason as usize],
            domain: self.domains[k.domain as usize].as_str().into(),
            mta: bounces.reporting_mta(row.bounce),
            kind: k.kind,
            verdict: k.verdict,
            date: k.date,
            message: row.bounce,
            hard: k.hard,
        })
    }

    /// Copy the bounces' verdicts into the row keys (after judging).
    pub fn sync_verdicts(&mut self, bounces: &Bounces) {
        for k in &mut self.keys {
            k.verdict = bounces.verdict(k.row.bounce);
        }
    }

    /// The id of a shared value (lower-cased), added when new.
    fn share(&mut self, value: &str) -> u32 {
        let lower = value.to_lowercase();
        if let Some(&id) = self.shared_ids.get(&lower) {
            return id;
        }
        let id = self.shared.len() as u32;
        self.shared.push(lower.clone());
        self.shared_ids.insert(lower, id);
        id
    }

    /// Grouped: how many rows of `domain` the last selection held (collapsed ones too).
    pub fn group_size(&self, domain: &str) -> usize {
        self.domain_ids.get(domain).and_then(|&id| self.group_sizes.get(id as usize)).copied().unwrap_or(0)
    }

    /// Do the rows' dates span more than one year (so that the list shows the year)?
    pub fn spans_years(&self) -> bool {
        self.years.is_some_and(|(lo, hi)| lo != hi)
    }

    pub fn view_count(&self, view: View) -> usize {
        self.counts.views[View::ALL.iter().position(|v| *v == view).unwrap_or(0)]
    }

    /// Bounce messages behind the rows of the "all" view.
    pub fn message_count(&self) -> usize {
        self.counts.messages
    }

    /// Per reason: rows in the counted view (ignoring the category filter itself), most first.
    pub fn category_counts(&self) -> &[(String, usize)] {
        &self.counts.reasons
    }

    /// Count the rows per view and, in `view`, per reason: one pass over the row keys when the
    /// rows change, instead of passes over every bounce in each frame (the header and the tabs
    /// show ten counts).
    pub fn count(&mut self, view: View) {
        let mut views = [0; View::ALL.len()];
        let mut reasons = vec![0usize; self.reasons.len()];
        let mut messages = 0;
        for k in &self.keys {
            messages += usize::from(k.row.recipient == 0 && key_in_view(k, View::All));
            for (n, v) in views.iter_mut().zip(View::ALL) {
                *n += usize::from(key_in_view(k, v));
            }
            if key_in_view(k, view) {
                reasons[k.reason as usize] += 1;
            }
        }
        let mut by_reason: Vec<(String, usize)> =
            self.reasons.iter().cloned().zip(reasons).filter(|(_, n)| *n > 0).collect();
        by_reason.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.counts = Counts { views, reasons: by_reason, messages };
    }

    /// The rows `q` asks for, in its order; `reason_name` names a reason for the category sort.
    pub fn select(&mut self, q: Query<'_>, bounces: &Bounces, reason_name: impl Fn(&str) -> String) -> Vec<RowRef> {
        let wanted: Vec<bool> =
            self.reasons.iter().map(|r| q.categories.is_empty() || q.categories.contains(r)).collect();
        let found = self.search(&q.search.to_lowercase(), bounces);
        let keep = |i: usize, k: &RowKey| {
            key_in_view(k, q.view)
                && wanted[k.reason as usize]
                && q.hard.is_none_or(|h| h == k.hard)
                && found.as_ref().is_none_or(|f| f[i])
                && q.only.is_none_or(|only| only.contains(&k.row))
        };
        let reason_rank = rank(&self.reasons, |r| reason_name(r));
        // Codes as numbers compare as numbers ("4.2.2" before "5.1.1", "5.1.10" after "5.1.9"):
        // ranked only when an order is made.
        let code_rank =
            || rank(&self.codes, |c| c.split(['.', ' ']).map(|p| format!("{:0>5}", p)).collect::<Vec<_>>().join("."));
        let mut sizes = vec![0; self.domains.len()];
        if !q.group {
            // Not grouped, a row's place depends on the row alone: the whole list is sorted once
            // (until rows arrive, or the reasons are named in another language), and a query
            // only filters that order.
            if !self
                .sorted
                .as_ref()
                .is_some_and(|s| s.sort == q.sort && s.rows == self.keys.len() && s.reason_rank == reason_rank)
            {
                let (domain_rank, code_rank) = (rank(&self.domains, |d| d.clone()), code_rank());
                let order = self.order(
                    &self.keys.iter().collect::<Vec<_>>(),
                    false,
                    q.sort,
                    [&domain_rank, &reason_rank, &code_rank],
                );
                let order = order.into_iter().map(|o| o as u32).collect();
                self.sorted = Some(Sorted { sort: q.sort, rows: self.keys.len(), reason_rank, order });
            }
            let order = &self.sorted.as_ref().expect("sorted above").order;
            let mut rows = Vec::new();
            let mut take = |i: u32| {
                let k = &self.keys[i as usize];
                if keep(i as usize, k) {
                    sizes[k.domain as usize] += 1;
                    rows.push(k.row);
                }
            };
            if q.reverse {
                order.iter().rev().copied().for_each(&mut take);
            } else {
                order.iter().copied().for_each(&mut take);
            }
            self.group_sizes = sizes;
            return rows;
        }
        let picked: Vec<&RowKey> = self.keys.iter().enumerate().filter(|(i, k)| keep(*i, k)).map(|(_, k)| k).collect();
        // Grouped, the biggest domain comes first.
        for k in &picked {
            sizes[k.domain as usize] += 1;
        }
        let mut ids: Vec<usize> = (0..self.domains.len()).collect();
        ids.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]).then(self.domains[*a].cmp(&self.domains[*b])));
        let mut domain_rank = vec![0u32; ids.len()];
        for (r, id) in ids.into_iter().enumerate() {
            domain_rank[id] = r as u32;
        }
        let mut order = self.order(&picked, true, q.sort, [&domain_rank, &reason_rank, &code_rank()]);
        self.group_sizes = sizes;
        if q.reverse {
            order.reverse();
        }
        let rows = order.into_iter().map(|i| picked[i]);
        if q.collapsed.is_empty() {
            return rows.map(|k| k.row).collect();
        }
        // A collapsed domain keeps its first row, which stands for the group.
        let collapsed: Vec<bool> = self.domains.iter().map(|d| q.collapsed.contains(d)).collect();
        let mut seen = vec![false; self.domains.len()];
        rows.filter(|k| {
            let d = k.domain as usize;
            !collapsed[d] || !std::mem::replace(&mut seen[d], true)
        })
        .map(|k| k.row)
        .collect()
    }

    /// The order of `picked` (indexes into it), given the domains', reasons' and codes' ranks:
    /// each row's place packed into one integer (ranks instead of strings, the newest date
    /// first, then mailbox order), so sorting 100,000 rows is a sort of plain numbers.
    fn order(
        &self,
        picked: &[&RowKey],
        group: bool,
        sort: Sort,
        [domain_rank, reason_rank, code_rank]: [&[u32]; 3],
    ) -> Vec<usize> {
        const DATE_BITS: u32 = 48;
        let newest_first =
            |k: &RowKey| u128::from((1u64 << DATE_BITS) - 1 - k.date.clamp(0, (1i64 << DATE_BITS) - 1) as u64);
        let mut order: Vec<u128> = picked
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let domain = u128::from(domain_rank[k.domain as usize]);
                let reason = u128::from(reason_rank[k.reason as usize] as u16);
                let code = u128::from(code_rank[k.code as usize] as u16);
                let head = match (group, sort) {
                    (_, Sort::Domain) | (true, Sort::Date) => domain << 48 | newest_first(k),
                    (true, Sort::Category) => domain << 64 | reason << 48 | newest_first(k),
                    (false, Sort::Category) => reason << 48 | newest_first(k),
                    (true, Sort::Code) => domain << 64 | code << 48 | newest_first(k),
                    (false, Sort::Code) => code << 48 | newest_first(k),
                    (false, Sort::Date) => newest_first(k),
                };
                // `picked` is in mailbox order: its index breaks ties.
                head << 32 | i as u128
            })
            .collect();
        order.sort_unstable();
        order.into_iter().map(|o| (o & u128::from(u32::MAX)) as usize).collect()
    }

    /// Which rows hold `needle` (lower case): their own text (see [`Bounces::rows_holding`]),
    /// their reason, the bounce's subject or its server. `None` for an empty needle.
    fn search(&self, needle: &str, bounces: &Bounces) -> Option<Vec<bool>> {
        if needle.is_empty() {
            return None;
        }
        let mut found = bounces.rows_holding(needle);
        found.resize(self.keys.len(), false);
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        // The shared values and the reasons, each looked at once.
        let shared: Vec<bool> = self.shared.iter().map(|v| finder.find(v.as_bytes()).is_some()).collect();
        let reasons: Vec<bool> =
            self.reasons.iter().map(|r| finder.find(r.to_lowercase().as_bytes()).is_some()).collect();
        if shared.iter().chain(&reasons).any(|&m| m) {
            for (f, k) in found.iter_mut().zip(&self.keys) {
                *f |= shared[k.subject as usize] || shared[k.mta as usize] || reasons[k.reason as usize];
            }
        }
        Some(found)
    }
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
