//! The recipient and block-list views: the loaded bounces turned round to one row per failed
//! address ([`crate::history`]) or per block-list listing ([`crate::blocklist`]), searched and
//! sorted. They are built from bounces already in memory (no disk, no parse), and built again
//! only when the bounces changed: at most once a second while a mailbox loads, once more when
//! it is loaded.

use super::action::Table;
use super::rows::RowRef;
use super::store::Bounces;
use crate::blocklist::{self, Listing};
use crate::history::{self, History};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Soft failures of one reason over this many days put an address on the suppression list (the
/// default of `bouncescope suppress --soft-days`).
pub const SOFT_DAYS: i64 = 7;

/// How often, at most, the tables are built again while a mailbox loads: every second, or less
/// often when a build takes long (then at most a twentieth of the time goes to building).
const REBUILD_EVERY: Duration = Duration::from_secs(1);
const REBUILD_SHARE: u32 = 20;

/// Orders of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableSort {
    /// Most bounces first.
    Count,
    /// The newest last bounce first.
    Last,
    /// By address, or by list name.
    Name,
}

impl TableSort {
    pub fn next(self) -> TableSort {
        match self {
            TableSort::Count => TableSort::Last,
            TableSort::Last => TableSort::Name,
            TableSort::Name => TableSort::Count,
        }
    }

    /// The order's name in the catalogue (`sort.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            TableSort::Count => "count",
            TableSort::Last => "last",
            TableSort::Name => "name",
        }
    }
}

/// The two tables, the one shown, and where its selection is.
#[derive(Debug)]
pub struct Tables {
    /// The table shown instead of the bounce list, if one is.
    pub open: Option<Table>,
    pub recipients: Vec<History>,
    pub listings: Vec<Listing>,
    /// The Sent folder's recipients and the dates they were written to; `None` without one.
    pub sent_to: Option<HashMap<String, Vec<i64>>>,
    /// The open table's rows, searched and sorted: indexes into `recipients` or `listings`.
    pub shown: Vec<usize>,
    pub selected: usize,
    /// The first row drawn (kept by the renderer so the selection stays in sight).
    pub offset: Cell<usize>,
    pub sort: TableSort,
    /// Which table `shown` holds rows of.
    shown_of: Option<Table>,
    /// The selected row when the tables were built again, found again in the new ones.
    rebuilt_from: Option<Key>,
    /// The list rows behind each recipient-table row: those of history `i` are
    /// `history_rows[history_starts[i]..history_starts[i + 1]]` (bounce, recipient).
    history_rows: Vec<(u32, u32)>,
    history_starts: Vec<usize>,
    /// The same for each block-list table row.
    listing_rows: Vec<(u32, u32)>,
    listing_starts: Vec<usize>,
    /// Per row of each table, its searched text in lower case (built with the table).
    recipient_hay: Vec<String>,
    listing_hay: Vec<String>,
    /// The bounces changed since the tables were built, and when they were built last.
    stale: bool,
    built: Option<Instant>,
    /// How long the last build took.
    cost: Duration,
}

impl Default for Tables {
    fn default() -> Tables {
        Tables {
            open: None,
            recipients: Vec::new(),
            listings: Vec::new(),
            sent_to: None,
            shown: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            sort: TableSort::Count,
            shown_of: None,
            rebuilt_from: None,
            history_rows: Vec::new(),
            history_starts: Vec::new(),
            listing_rows: Vec::new(),
            listing_starts: Vec::new(),
            recipient_hay: Vec::new(),
            listing_hay: Vec::new(),
            stale: true,
            built: None,
            cost: Duration::ZERO,
        }
    }
}

impl Tables {
    /// The bounces changed: build again when next asked.
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// Should the tables be built now? When the bounces changed, and either the mailbox is
    /// loaded or the last build is old enough ([`REBUILD_EVERY`], [`REBUILD_SHARE`]).
    pub fn due(&self, loaded: bool) -> bool {
        let wait = REBUILD_EVERY.max(self.cost * REBUILD_SHARE);
        self.stale && (loaded || self.built.is_none_or(|t| t.elapsed() >= wait))
    }

    /// Build both tables from `bounces`.
    pub fn build(&mut self, bounces: &Bounces) {
        let start = Instant::now();
        self.rebuilt_from = self.selected_key();
        let mut rows = Vec::new();
        let failures = bounces.failures().map(|(bounce, recipient, f)| {
            rows.push((bounce as u32, recipient as u32));
            f
        });
        let (recipients, which) = history::histories_of(failures, self.sent_to.as_ref());
        self.recipients = recipients;
        (self.history_rows, self.history_starts) = group_rows(&which, &rows, self.recipients.len());
        // The block-listed rows, noted while the listings are counted (each bounce is unpacked
        // once): each row's list and what it lists, and the row.
        let mut keys: Vec<(&str, String)> = Vec::new();
        let mut listed: Vec<(u32, u32)> = Vec::new();
        let blocklisted = bounces.blocklisted().inspect(|(bounce, b)| {
            if history::counts(b.kind, b.verdict) {
                for (recipient, r) in b.recipients.iter().enumerate() {
                    if let Some(list) = blocklist::list(&r.blocklist) {
                        keys.push((list.id.as_str(), r.listed.to_string()));
                        listed.push((*bounce as u32, recipient as u32));
                    }
                }
            }
        });
        self.listings = blocklist::listings(blocklisted.map(|(_, b)| b));
        let index: HashMap<(&str, &str), u32> = self
            .listings
            .iter()
            .enumerate()
            .map(|(i, l)| ((l.list.id.as_str(), l.listed.as_str()), i as u32))
            .collect();
        let listing_of: Vec<u32> =
            keys.iter().map(|(id, what)| index.get(&(*id, what.as_str())).copied().unwrap_or(u32::MAX)).collect();
        (self.listing_rows, self.listing_starts) = group_rows(&listing_of, &listed, self.listings.len());
        let lower = |parts: &[&str]| parts.join("\u{1}").to_lowercase();
        self.recipient_hay = self.recipients.iter().map(|h| lower(&[&h.address, &h.reason, &h.status])).collect();
        self.listing_hay =
            self.listings.iter().map(|l| lower(&[&l.list.id, &l.list.name, &l.listed, &l.diagnostic])).collect();
        self.stale = false;
        self.built = Some(Instant::now());
        self.cost = start.elapsed();
    }

    /// Have the tables been built at least once?
    pub fn is_built(&self) -> bool {
        self.built.is_some()
    }

    /// How many rows `table` has (before the search).
    pub fn len(&self, table: Table) -> usize {
        match table {
            Table::Recipients => self.recipients.len(),
            Table::Blocklists => self.listings.len(),
        }
    }

    /// The selected row's address, or list and what it lists.
    fn selected_key(&self) -> Option<Key> {
        let &i = self.shown.get(self.selected)?;
        Some(match self.shown_of? {
            Table::Recipients => Key::Address(self.recipients.get(i)?.address.clone()),
            Table::Blocklists => {
                let l = self.listings.get(i)?;
                Key::Listing(l.list.id.clone(), l.listed.clone())
            }
        })
    }

    /// Show `table` (its rows are chosen by the next [`Tables::select`]); another table starts
    /// at its first row.
    pub fn show(&mut self, table: Table) {
        if self.open != Some(table) && self.shown_of != Some(table) {
            self.shown.clear();
            self.shown_of = None;
            self.selected = 0;
        }
        self.open = Some(table);
    }

    /// Choose the open table's rows for `search` and order them, keeping the selection on the
    /// same row when it is still shown (also when the tables were built again). With no table
    /// open (the list narrowed to a row's bounces) the rows stay as they were, for the way back.
    pub fn select(&mut self, search: &str, reverse: bool, list_name: impl Fn(&Listing) -> String) {
        let Some(table) = self.open else { return };
        let keep = match self.rebuilt_from.take() {
            Some(Key::Address(a)) => self.recipients.iter().position(|h| h.address == a),
            Some(Key::Listing(id, listed)) => self.listings.iter().position(|l| l.list.id == id && l.listed == listed),
            None => self.shown.get(self.selected).copied(),
        };
        let needle = search.to_lowercase();
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let hay = match table {
            Table::Recipients => &self.recipient_hay,
            Table::Blocklists => &self.listing_hay,
        };
        self.shown =
            (0..hay.len()).filter(|&i| needle.is_empty() || finder.find(hay[i].as_bytes()).is_some()).collect();
        self.shown_of = Some(table);
        match (table, self.sort) {
            // Both tables are built most bounces first.
            (_, TableSort::Count) => {}
            (Table::Recipients, TableSort::Last) => {
                self.shown.sort_by_key(|&i| std::cmp::Reverse(self.recipients[i].last));
            }
            (Table::Blocklists, TableSort::Last) => {
                self.shown.sort_by_key(|&i| std::cmp::Reverse(self.listings[i].last))
            }
            // By domain, then address (both lower case already).
            (Table::Recipients, TableSort::Name) => {
                // Each key found once (borrowed), not once per comparison.
                let recipients = &self.recipients;
                self.shown.sort_by_cached_key(|&i| {
                    let a = recipients[i].address.as_str();
                    (a.rsplit_once('@').map_or("", |(_, d)| d), a)
                });
            }
            (Table::Blocklists, TableSort::Name) => {
                self.shown.sort_by_cached_key(|&i| (list_name(&self.listings[i]).to_lowercase(), i));
            }
        }
        if reverse {
            self.shown.reverse();
        }
        // The same row when it is still shown; else the first.
        self.selected = keep.and_then(|k| self.shown.iter().position(|&i| i == k)).unwrap_or(0);
    }

    /// The selected failed address, in the recipient view.
    pub fn selected_recipient(&self) -> Option<&History> {
        (self.open == Some(Table::Recipients)).then(|| self.shown.get(self.selected).map(|&i| &self.recipients[i]))?
    }

    /// The selected listing, in the block-list view.
    pub fn selected_listing(&self) -> Option<&Listing> {
        (self.open == Some(Table::Blocklists)).then(|| self.shown.get(self.selected).map(|&i| &self.listings[i]))?
    }

    /// The list rows behind the selected table row (what Enter lists), and what they are of.
    /// The rows were noted when the tables were built.
    pub fn selected_rows(&self) -> Option<(String, HashSet<RowRef>)> {
        let refs = |rows: &[(u32, u32)]| {
            rows.iter()
                .map(|&(bounce, recipient)| RowRef { bounce: bounce as usize, recipient: recipient as usize })
                .collect()
        };
        let i = *self.shown.get(self.selected)?;
        if let Some(h) = self.selected_recipient() {
            return Some((
                h.address.clone(),
                refs(&self.history_rows[self.history_starts[i]..self.history_starts[i + 1]]),
            ));
        }
        let l = self.selected_listing()?;
        let what = if l.listed.is_empty() { l.list.name.clone() } else { format!("{} · {}", l.list.name, l.listed) };
        Some((what, refs(&self.listing_rows[self.listing_starts[i]..self.listing_starts[i + 1]])))
    }

    /// Is `h` on the suppression list, and for which reason?
    pub fn suppressed(h: &History) -> Option<String> {
        history::suppression(h, SOFT_DAYS)
    }
}

/// `rows` grouped by `which` (the group of each row; `groups` or more for none), each group in
/// the rows' order: the rows of group `g` are `grouped[starts[g]..starts[g + 1]]`. A counting sort.
fn group_rows(which: &[u32], rows: &[(u32, u32)], groups: usize) -> (Vec<(u32, u32)>, Vec<usize>) {
    let mut starts = vec![0usize; groups + 1];
    which.iter().filter(|&&w| (w as usize) < groups).for_each(|&w| starts[w as usize + 1] += 1);
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut grouped = vec![(0, 0); starts[groups]];
    for (&w, &row) in which.iter().zip(rows).filter(|(w, _)| (**w as usize) < groups) {
        grouped[next[w as usize]] = row;
        next[w as usize] += 1;
    }
    (grouped, starts)
}

/// What identifies a table row across builds.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Address(String),
    Listing(String, String),
}

/// A list the user narrowed to from a table row (Enter): the rows it shows, and the filters it
/// set aside, given back when the user goes back to the table.
#[derive(Debug)]
pub struct Pin {
    pub table: Table,
    /// The address or listing, as the list's title names it.
    pub what: String,
    pub rows: HashSet<RowRef>,
    pub saved: Saved,
}

/// The list's own filters, set aside while a pin is on.
#[derive(Debug, Default)]
pub struct Saved {
    pub categories: std::collections::BTreeSet<String>,
    pub hard: Option<bool>,
    pub search: String,
    pub view: super::action::View,
    /// Grouped by domain, and the domains folded.
    pub group: bool,
    pub collapsed: std::collections::BTreeSet<String>,
}
