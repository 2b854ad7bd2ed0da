//! The app state and the one place that changes it: `update(action)`. Rendering only reads it.

use super::action::{Action, Sort, TABS, Table, View};
use super::keymap::Mode;
use super::loader::Msg;
use super::outside::Job;
use super::popups::{self, Categories, CommandLine, Context, Export, Overlay, Overview, Reply, Viewer};
use super::reader::{Answer, Reader, Want};
use super::store::Bounces;
use super::tables::{Pin, Saved, Tables};
use super::theme::Theme;
use crate::bounce::Bounce;
use crate::classify::{Lang, Rules};
use crate::display::Rendered;
use crate::engine::{Input, Stats};
use crate::report;
use ratatui::layout::Rect;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::PathBuf;

mod export;
mod update;

pub use super::rows::RowRef;
use super::rows::{Query, RowIndex};

/// Scan progress.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub files: usize,
    pub scanned: usize,
    pub unreadable: usize,
    pub done: bool,
}

pub struct App {
    pub rules: Rules,
    pub theme: Theme,
    pub lang: Lang,
    /// What is open (paths or "demo mailbox").
    pub title: String,
    pub input: Input,
    pub bounces: Bounces,
    pub stats: Option<Stats>,
    pub progress: Progress,
    pub view: View,
    /// Reasons to show; empty: all.
    pub categories: BTreeSet<String>,
    /// Only hard (`Some(true)`) or soft (`Some(false)`) bounces.
    pub hard: Option<bool>,
    pub search: String,
    pub searching: bool,
    pub sort: Sort,
    /// The sort order turned round (`S`).
    pub reverse: bool,
    /// The keys move the detail pane's text instead of the selection (Tab).
    pub detail_focus: bool,
    /// Grouped by domain, the domains folded to their first row (`z`).
    pub collapsed: BTreeSet<String>,
    pub group: bool,
    pub rows: Vec<RowRef>,
    pub selected: usize,
    pub detail_scroll: u16,
    /// How far the detail pane, and the open viewer (help, raw message), can scroll (set when
    /// they are drawn).
    pub detail_max: Cell<u16>,
    pub viewer_max: Cell<u16>,
    pub viewer_width: Cell<u16>,
    pub overlay: Option<Overlay>,
    /// A one-line message for the status line (export result, errors).
    pub notice: Option<String>,
    /// Text to put on the terminal's clipboard (OSC 52) after the next frame.
    pub clipboard: Option<String>,
    /// A command asked for on a message being read (its bounce, the command, a pager?), and
    /// the job ready to run outside the TUI once it is read.
    waiting_job: Option<(usize, String, bool)>,
    job: Option<Job>,
    pub rendered: Option<(usize, Rendered)>,
    /// The thread that reads the selected message (for the detail pane and the raw view).
    reader: Reader,
    pub quit: bool,
    /// Where the list was drawn last (for mouse clicks) and its first visible row; where the
    /// detail pane was (the wheel over it scrolls it); where each view's tab was (row, columns).
    pub list_area: Cell<Rect>,
    pub list_offset: Cell<usize>,
    pub detail_area: Cell<Rect>,
    pub tab_spans: Cell<(u16, [(u16, u16); TABS])>,
    /// The user has moved the selection: until then it stays on the first row while rows arrive.
    moved: bool,
    /// Directory exports are written to.
    pub export_dir: PathBuf,
    /// Every row, indexed for filtering, searching, sorting and counting.
    index: RowIndex,
    /// Rows arrived that the visible list does not show yet.
    stale: bool,
    /// The recipient and block-list views.
    pub tables: Tables,
    /// The list narrowed to one table row's bounces (Enter in a table), if it is.
    pub pin: Option<Pin>,
}

impl App {
    pub fn new(rules: Rules, theme: Theme, lang: Lang, input: Input) -> App {
        let title = match &input {
            Input::Demo => crate::i18n::t(lang, "app.demo_title").to_string(),
            Input::Paths(p) => p.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        };
        App {
            rules,
            theme,
            lang,
            title,
            reader: Reader::spawn(input.clone()),
            input,
            bounces: Bounces::default(),
            stats: None,
            progress: Progress::default(),
            view: View::All,
            categories: BTreeSet::new(),
            hard: None,
            search: String::new(),
            searching: false,
            sort: Sort::Date,
            reverse: false,
            detail_focus: false,
            collapsed: BTreeSet::new(),
            group: false,
            rows: Vec::new(),
            selected: 0,
            detail_scroll: 0,
            detail_max: Cell::new(0),
            viewer_max: Cell::new(u16::MAX),
            viewer_width: Cell::new(80),
            overlay: None,
            notice: None,
            clipboard: None,
            waiting_job: None,
            job: None,
            rendered: None,
            quit: false,
            list_area: Cell::new(Rect::default()),
            list_offset: Cell::new(0),
            detail_area: Cell::new(Rect::default()),
            tab_spans: Cell::new((u16::MAX, [(0, 0); TABS])),
            moved: false,
            export_dir: PathBuf::from("."),
            index: RowIndex::default(),
            stale: false,
            tables: Tables::default(),
            pin: None,
        }
    }

    /// Do the loader's work in this thread and take in all it says, then wait for the selected
    /// message (for tests and headless use; the TUI loads in the background).
    pub fn load_now(&mut self, owner: &crate::verdict::OwnerConfig) {
        let mut msgs = Vec::new();
        super::loader::run(&self.rules, &self.input, owner, |m| {
            msgs.push(m);
            true
        });
        for m in msgs {
            self.receive(m);
        }
        self.refresh_if_stale();
        self.settle();
    }

    /// Wait until the reader has answered what was asked of it (10 s at most; for tests and
    /// headless use, never in the TUI's loop).
    pub fn settle(&mut self) {
        for answer in self.reader.settle(std::time::Duration::from_secs(10)) {
            self.show(answer);
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.input, Input::Demo)
    }

    /// Which key table applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(overlay) => overlay.mode(),
            None if self.searching => Mode::Search,
            None => Mode::Main,
        }
    }

    /// Take in a message from the loader.
    pub fn receive(&mut self, msg: Msg) {
        match msg {
            Msg::Listed(n) => {
                self.progress.files = n;
                // At most one bounce per Maildir file: room reserved now is only touched as it
                // fills, where growing by doubling would briefly hold the list twice.
                self.bounces.reserve(n);
                self.index.reserve(n);
            }
            Msg::Batch(bounces, scanned) => {
                self.progress.scanned += scanned;
                self.index.add(&bounces, self.bounces.len());
                for b in &bounces {
                    self.bounces.push(b);
                }
                self.tables.mark_stale();
                // The list is filtered and sorted again once per frame (`refresh_if_stale`), not
                // once per batch: a large mailbox sends hundreds of batches.
                self.stale = true;
            }
            Msg::Unreadable(_) => self.progress.unreadable += 1,
            Msg::Judged(first, verdicts) => {
                for (i, judged) in (first..self.bounces.len()).zip(verdicts) {
                    if let Some((verdict, evidence)) = judged {
                        self.bounces.judge(i, verdict, evidence);
                    }
                }
                self.index.sync_verdicts(&self.bounces);
                self.tables.mark_stale();
                self.stale = true;
            }
            Msg::SentTo(sent_to) => {
                self.tables.sent_to = Some(sent_to);
                self.tables.mark_stale();
            }
            Msg::Done(stats) => {
                self.progress.done = true;
                self.stats = Some(stats);
                self.index.make_orders();
                self.refresh();
            }
            Msg::Failed(e) => {
                self.progress.done = true;
                self.notice = Some(self.f("notice.error", &[("error", &e.to_string())]));
            }
        }
    }

    /// Rows of a view before the category, hard/soft and search filters (for counts), as of the
    /// last [`App::refresh`].
    pub fn view_count(&self, view: View) -> usize {
        self.index.view_count(view)
    }

    /// Grouped: the rows of `domain` in the view (whether or not it is collapsed).
    pub fn group_size(&self, domain: &str) -> usize {
        self.index.group_size(domain)
    }

    /// Do the loaded rows span more than one year (the list then shows the year)?
    pub fn spans_years(&self) -> bool {
        self.index.spans_years()
    }

    /// Bounce messages behind the rows of the "all" view.
    pub fn message_count(&self) -> usize {
        self.index.message_count()
    }

    /// What is open, in the screen's language for the demo.
    pub fn shown_title(&self) -> String {
        if self.is_demo() { self.t("app.demo_title").to_string() } else { self.title.clone() }
    }

    /// The catalogue text of `key` in the screen's language.
    pub fn t(&self, key: &str) -> &'static str {
        crate::i18n::t(self.lang, key)
    }

    /// The catalogue text of `key` with its placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::i18n::f(self.lang, key, args)
    }

    /// What the popups read of the state.
    pub fn popup_context(&self) -> Context<'_> {
        Context {
            theme: &self.theme,
            rules: &self.rules,
            lang: self.lang,
            view: self.view,
            rows: if self.tables.open.is_some() { self.tables.shown.len() } else { self.rows.len() },
            categories: self.category_counts(),
            export_dir: &self.export_dir,
            viewer_max: &self.viewer_max,
            viewer_width: &self.viewer_width,
        }
    }

    /// Per reason: rows in the current view (ignoring the category filter itself), most first,
    /// as of the last [`App::refresh`].
    pub fn category_counts(&self) -> Vec<(String, usize)> {
        self.index.category_counts().to_vec()
    }

    /// Refresh if rows arrived since the last refresh; build the tables again when one is shown
    /// and they are due (they hold a row per failed address: built once asked for, or once the
    /// mailbox is loaded and no key waits, [`App::when_idle`]).
    pub fn refresh_if_stale(&mut self) {
        let loaded = self.progress.done;
        // Once built, they are built again at the end of loading too (their tabs show counts).
        if (self.tables.open.is_some() || (loaded && self.tables.is_built())) && self.tables.due(loaded) {
            self.tables.build(&self.bounces);
            self.stale = true;
        }
        if self.stale {
            self.refresh();
        }
    }

    /// Work for a moment when no key is waiting: once the mailbox is loaded, the tables are
    /// built before they are first asked for, so that the key showing one does not wait for
    /// the build (150-220 ms at 500,000 bounces: every bounce's failures are read). A key
    /// pressed during it waits instead, once; the tables' memory (histories, their rows, their
    /// search text) is then held whether or not a table is opened, and their tabs show counts.
    pub fn when_idle(&mut self) {
        if self.progress.done && !self.tables.is_built() {
            self.tables.build(&self.bounces);
        }
    }

    /// Show `table` instead of the bounce list (built first if the bounces changed).
    fn open_table(&mut self, table: Table) {
        self.unpin();
        if self.tables.due(true) {
            self.tables.build(&self.bounces);
        }
        self.tables.show(table);
        self.detail_scroll = 0;
        self.refresh();
    }

    /// Narrow the list to the bounces of the selected table row, setting the list's own filters
    /// aside until the user goes back.
    fn pin_selected(&mut self) {
        let Some(table) = self.tables.open else { return };
        let Some((what, rows)) = self.tables.selected_rows() else { return };
        let saved = Saved {
            categories: std::mem::take(&mut self.categories),
            hard: self.hard.take(),
            search: std::mem::take(&mut self.search),
            view: self.view,
            group: std::mem::take(&mut self.group),
            collapsed: std::mem::take(&mut self.collapsed),
        };
        self.view = View::All;
        self.tables.open = None;
        self.pin = Some(Pin { table, what, rows, saved });
        self.selected = 0;
        self.detail_scroll = 0;
        self.refresh();
    }

    /// Leave a pinned list: the filters set aside come back. Returns the table it came from.
    fn unpin(&mut self) -> Option<Table> {
        let pin = self.pin.take()?;
        let saved = pin.saved;
        (self.categories, self.hard, self.search, self.view) = (saved.categories, saved.hard, saved.search, saved.view);
        (self.group, self.collapsed) = (saved.group, saved.collapsed);
        self.stale = true;
        Some(pin.table)
    }

    /// Recompute the visible rows, keeping the selection on the same row when it is still there.
    pub fn refresh(&mut self) {
        self.stale = false;
        self.index.count(self.view);
        let keep = self.rows.get(self.selected).copied();
        let query = Query {
            view: self.view,
            categories: &self.categories,
            hard: self.hard,
            search: &self.search,
            sort: self.sort,
            reverse: self.reverse,
            collapsed: &self.collapsed,
            group: self.group,
            only: self.pin.as_ref().map(|p| &p.rows),
        };
        let (rules, lang) = (&self.rules, self.lang);
        self.rows = self.index.select(query, &self.bounces, |r| rules.info(r).name(lang).to_string());
        self.tables.select(&self.search, self.reverse, |l| l.list.name.clone());
        self.selected = match keep {
            // Untouched, the selection stays at the top while a big mailbox loads.
            _ if !self.moved => 0,
            Some(k) => self.rows.iter().position(|r| *r == k).unwrap_or(self.selected),
            None => self.selected,
        }
        .min(self.rows.len().saturating_sub(1));
        if matches!(self.overlay, Some(Overlay::Overview(_))) {
            let fresh = self.summary();
            if let Some(Overlay::Overview(o)) = &mut self.overlay {
                *o.summary = fresh;
            }
        }
        self.ensure_rendered();
    }

    /// The selected row's message, rendered once per selection: asked of the reader thread.
    fn ensure_rendered(&mut self) {
        // A table shows no message.
        if self.tables.open.is_some() {
            return;
        }
        let Some(row) = self.rows.get(self.selected).copied() else {
            self.rendered = None;
            return;
        };
        if self.rendered.as_ref().is_some_and(|(i, _)| *i == row.bounce) {
            return;
        }
        self.detail_scroll = 0;
        self.reader.ask(row.bounce, Want::Detail, &self.bounces.get(row.bounce));
    }

    /// Take in what the reader thread has answered, without waiting.
    pub fn receive_rendered(&mut self) {
        for answer in self.reader.answers() {
            self.show(answer);
        }
    }

    /// Show what the reader answered: the selected message, or the open raw view's text.
    fn show(&mut self, answer: Answer) {
        let unreadable =
            |app: &App, index: usize| app.f("detail.unreadable", &[("source", &app.bounces.get(index).source)]);
        match answer {
            // Kept only while that bounce is still selected (the user may have moved back to the one shown).
            Answer::Detail(index, r) if self.rows.get(self.selected).is_some_and(|row| row.bounce == index) => {
                let r = r.unwrap_or_else(|| Rendered { text: unreadable(self, index), highlights: Vec::new() });
                self.rendered = Some((index, r));
            }
            Answer::Bytes(index, bytes) => {
                if let Some((asked, command, pager)) = self.waiting_job.take_if(|(i, _, _)| *i == index) {
                    match bytes {
                        // A pager shows it on the terminal: made safe first.
                        Some(b) if pager => {
                            let text = crate::sanitize::text(&String::from_utf8_lossy(&b));
                            self.job = Some(Job { command, input: text.into_bytes(), pager });
                        }
                        Some(input) => self.job = Some(Job { command, input, pager }),
                        None => self.notice = Some(unreadable(self, asked)),
                    }
                }
            }
            Answer::Raw(index, text) => {
                let text = text.unwrap_or_else(|| unreadable(self, index));
                if let Some(Overlay::Raw(_, shown)) = &mut self.overlay {
                    *shown = text;
                }
            }
            _ => {}
        }
    }
}
