//! The app state and the one place that changes it: `update(action)`. Rendering only reads it.

use super::action::{Action, Sort, View};
use super::keymap::Mode;
use super::loader::Msg;
use super::reader::{Answer, Reader, Want};
use super::theme::Theme;
use crate::bounce::Bounce;
use crate::classify::{Lang, Rules};
use crate::display::Rendered;
use crate::engine::{Input, Stats};
use crate::report::{self, Format};
use ratatui::layout::Rect;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::PathBuf;

pub use super::rows::RowRef;
use super::rows::{Query, RowIndex};

/// Overlays drawn over the main screen.
#[derive(Debug, PartialEq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Categories {
        cursor: usize,
        chosen: BTreeSet<String>,
    },
    Export {
        cursor: usize,
        filename: String,
    },
    Raw {
        scroll: u16,
        text: String,
    },
    /// Charts of the visible rows; `cursor` is on a category bar. `summary` is computed when the
    /// overview opens and again whenever the rows change, not on every frame.
    Overview {
        cursor: usize,
        summary: Box<report::Summary>,
    },
}

/// Export formats offered by `e`.
pub const EXPORT_FORMATS: [Format; 5] = [Format::Tsv, Format::Csv, Format::Json, Format::Md, Format::Html];

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
    pub bounces: Vec<Bounce>,
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
    pub group: bool,
    pub rows: Vec<RowRef>,
    pub selected: usize,
    pub detail_scroll: u16,
    /// How far the detail pane, and the open viewer (help, raw message), can scroll (set when
    /// they are drawn).
    pub detail_max: Cell<u16>,
    pub viewer_max: Cell<u16>,
    pub overlay: Option<Overlay>,
    /// A one-line message for the status line (export result, errors).
    pub notice: Option<String>,
    pub rendered: Option<(usize, Rendered)>,
    /// The thread that reads the selected message, and the bounces asked of it (for the detail
    /// pane and for the raw view).
    reader: Reader,
    asked: Option<usize>,
    asked_raw: Option<usize>,
    pub quit: bool,
    /// Where the list was drawn last (for mouse clicks) and its first visible row.
    pub list_area: Cell<Rect>,
    pub list_offset: Cell<usize>,
    /// Directory exports are written to.
    pub export_dir: PathBuf,
    /// Every row, indexed for filtering, searching, sorting and counting.
    index: RowIndex,
    /// Rows arrived that the visible list does not show yet.
    stale: bool,
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
            bounces: Vec::new(),
            stats: None,
            progress: Progress::default(),
            view: View::All,
            categories: BTreeSet::new(),
            hard: None,
            search: String::new(),
            searching: false,
            sort: Sort::Date,
            group: false,
            rows: Vec::new(),
            selected: 0,
            detail_scroll: 0,
            detail_max: Cell::new(0),
            viewer_max: Cell::new(u16::MAX),
            overlay: None,
            notice: None,
            rendered: None,
            asked: None,
            asked_raw: None,
            quit: false,
            list_area: Cell::new(Rect::default()),
            list_offset: Cell::new(0),
            export_dir: PathBuf::from("."),
            index: RowIndex::default(),
            stale: false,
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
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.asked.is_some() || self.asked_raw.is_some() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.reader.wait(left) {
                Some(answer) => self.take_answer(answer),
                None => return,
            }
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.input, Input::Demo)
    }

    /// Which key table applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Categories { .. }) | Some(Overlay::Export { .. }) | Some(Overlay::Overview { .. }) => {
                Mode::Picker
            }
            Some(Overlay::Help { .. }) | Some(Overlay::Raw { .. }) => Mode::Viewer,
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
            Msg::Batch(mut bounces, scanned) => {
                self.progress.scanned += scanned;
                let first = self.bounces.len();
                self.bounces.append(&mut bounces);
                self.index.add(&self.bounces, first);
                // The list is filtered and sorted again once per frame (`refresh_if_stale`), not
                // once per batch: a large mailbox sends hundreds of batches.
                self.stale = true;
            }
            Msg::Unreadable(_) => self.progress.unreadable += 1,
            Msg::Judged(verdicts) => {
                for (b, judged) in self.bounces.iter_mut().zip(verdicts) {
                    if let Some((verdict, evidence)) = judged {
                        (b.verdict, b.evidence) = (verdict, evidence);
                    }
                }
                self.index.sync_verdicts(&self.bounces);
                self.stale = true;
            }
            Msg::Done(stats) => {
                self.progress.done = true;
                self.stats = Some(stats);
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

    /// Per reason: rows in the current view (ignoring the category filter itself), most first,
    /// as of the last [`App::refresh`].
    pub fn category_counts(&self) -> Vec<(String, usize)> {
        self.index.category_counts().to_vec()
    }

    /// Refresh if rows arrived since the last refresh.
    pub fn refresh_if_stale(&mut self) {
        if self.stale {
            self.refresh();
        }
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
            group: self.group,
        };
        let (rules, lang) = (&self.rules, self.lang);
        self.rows = self.index.select(query, |r| rules.info(r).name(lang).to_string());
        self.selected = keep
            .and_then(|k| self.rows.iter().position(|r| *r == k))
            .unwrap_or(self.selected.min(self.rows.len().saturating_sub(1)));
        if matches!(self.overlay, Some(Overlay::Overview { .. })) {
            let fresh = self.summary();
            if let Some(Overlay::Overview { summary, .. }) = &mut self.overlay {
                **summary = fresh;
            }
        }
        self.ensure_rendered();
    }

    /// The selected row's message, rendered once per selection: asked of the reader thread.
    fn ensure_rendered(&mut self) {
        let Some(row) = self.rows.get(self.selected).copied() else {
            self.rendered = None;
            return;
        };
        if self.rendered.as_ref().is_some_and(|(i, _)| *i == row.bounce) {
            return;
        }
        self.detail_scroll = 0;
        if self.asked != Some(row.bounce) {
            self.reader.ask(row.bounce, Want::Detail, &self.bounces[row.bounce]);
            self.asked = Some(row.bounce);
        }
    }

    /// Take in what the reader thread has answered, without waiting.
    pub fn receive_rendered(&mut self) {
        for answer in self.reader.answers() {
            self.take_answer(answer);
        }
    }

    /// Only answers to the newest questions are kept: the selected message, the open raw view.
    fn take_answer(&mut self, answer: Answer) {
        let unreadable =
            |app: &App, index: usize| app.f("detail.unreadable", &[("source", &app.bounces[index].source)]);
        match answer {
            Answer::Detail(index, r) if self.asked == Some(index) => {
                self.asked = None;
                let r = r.unwrap_or_else(|| Rendered { text: unreadable(self, index), highlights: Vec::new() });
                self.rendered = Some((index, r));
            }
            Answer::Raw(index, text) if self.asked_raw == Some(index) => {
                self.asked_raw = None;
                let text = text.unwrap_or_else(|| unreadable(self, index));
                if let Some(Overlay::Raw { text: shown, .. }) = &mut self.overlay {
                    *shown = text;
                }
            }
            _ => {}
        }
    }

    fn select(&mut self, i: usize) {
        let before = self.rows.get(self.selected).map(|r| r.bounce);
        self.selected = i.min(self.rows.len().saturating_sub(1));
        if self.rows.get(self.selected).map(|r| r.bounce) != before {
            self.detail_scroll = 0;
        }
        self.ensure_rendered();
    }

    fn page(&self) -> usize {
        (self.list_area.get().height as usize).saturating_sub(1).max(1)
    }

    /// Apply an action. The only place state changes.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Input(_) | Action::Backspace) {
            self.notice = None;
        }
        // The open overlay is taken out and put back by its update (a raw message can be 16 MB:
        // it is moved, never copied).
        match self.overlay.take() {
            Some(Overlay::Categories { cursor, chosen }) => return self.update_categories(action, cursor, chosen),
            Some(Overlay::Export { cursor, filename }) => return self.update_export(action, cursor, filename),
            Some(Overlay::Help { scroll }) => {
                let scroll = scroll.min(self.viewer_max.get());
                self.overlay =
                    viewer_scroll(action, scroll, self.viewer_max.get()).map(|s| Overlay::Help { scroll: s });
                return;
            }
            Some(Overlay::Raw { scroll, text }) => {
                let scroll = scroll.min(self.viewer_max.get());
                self.overlay =
                    viewer_scroll(action, scroll, self.viewer_max.get()).map(|s| Overlay::Raw { scroll: s, text });
                return;
            }
            Some(Overlay::Overview { cursor, summary }) => return self.update_overview(action, cursor, summary),
            None => {}
        }
        if self.searching {
            match action {
                Action::Input(c) => self.search.push(c),
                Action::Backspace => {
                    self.search.pop();
                }
                Action::Confirm => self.searching = false,
                Action::Back => {
                    self.searching = false;
                    self.search.clear();
                }
                Action::Quit => self.quit = true,
                _ => return,
            }
            self.refresh();
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Down | Action::ScrollDown => self.select(self.selected + 1),
            Action::Up | Action::ScrollUp => self.select(self.selected.saturating_sub(1)),
            Action::PageDown => self.select(self.selected + self.page()),
            Action::PageUp => self.select(self.selected.saturating_sub(self.page())),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.rows.len().saturating_sub(1)),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(5).min(self.detail_max.get()),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.min(self.detail_max.get()).saturating_sub(5),
            Action::ClickRow(n) => self.select(self.list_offset.get() + n),
            Action::SwitchView(v) => {
                self.view = v;
                self.selected = 0;
                self.refresh();
            }
            Action::OpenCategories => {
                self.overlay = Some(Overlay::Categories { cursor: 0, chosen: self.categories.clone() });
            }
            Action::CycleHardSoft => {
                self.hard = match self.hard {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
                self.refresh();
            }
            Action::StartSearch => self.searching = true,
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.refresh();
            }
            Action::ToggleGroup => {
                self.group = !self.group;
                self.refresh();
            }
            Action::ShowRaw => {
                if let Some(row) = self.rows.get(self.selected).copied() {
                    self.reader.ask(row.bounce, Want::Raw, &self.bounces[row.bounce]);
                    self.asked_raw = Some(row.bounce);
                    self.viewer_max.set(u16::MAX);
                    self.overlay = Some(Overlay::Raw { scroll: 0, text: self.t("detail.reading").to_string() });
                }
            }
            Action::StartExport => {
                self.overlay = Some(Overlay::Export { cursor: 0, filename: self.suggest_filename(EXPORT_FORMATS[0]) });
            }
            Action::CycleLanguage => {
                self.lang = match self.lang {
                    Lang::En => Lang::Nl,
                    Lang::Nl => Lang::De,
                    Lang::De => Lang::En,
                };
                // Categories sort by their names, which changed.
                if self.sort == Sort::Category {
                    self.refresh();
                }
            }
            Action::Help => {
                self.viewer_max.set(u16::MAX);
                self.overlay = Some(Overlay::Help { scroll: 0 });
            }
            Action::Overview => self.overlay = Some(Overlay::Overview { cursor: 0, summary: Box::new(self.summary()) }),
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                self.refresh();
            }
            _ => {}
        }
    }

    /// In the overview: move over the category bars; Enter shows only the chosen category.
    fn update_overview(&mut self, action: Action, cursor: usize, summary: Box<report::Summary>) {
        self.overlay = None;
        let n = summary.by_reason.len();
        let cursor = match action {
            Action::Down | Action::ScrollDown => (cursor + 1).min(n.saturating_sub(1)),
            Action::Up | Action::ScrollUp => cursor.saturating_sub(1),
            Action::Confirm | Action::Toggle => {
                if let Some((reason, _)) = summary.by_reason.get(cursor) {
                    self.categories = BTreeSet::from([reason.clone()]);
                    self.selected = 0;
                    self.refresh();
                }
                return;
            }
            Action::Back => return,
            Action::Quit => {
                self.quit = true;
                return;
            }
            _ => cursor,
        };
        self.overlay = Some(Overlay::Overview { cursor, summary });
    }

    /// The visible rows as report rows (what an export writes and the overview counts).
    pub fn visible_rows(&self) -> Vec<report::Row<'_>> {
        self.rows
            .iter()
            .map(|r| report::Row {
                bounce: &self.bounces[r.bounce],
                index: r.recipient + 1,
                recipient: &self.bounces[r.bounce].recipients[r.recipient],
            })
            .collect()
    }

    /// The counts of the visible rows: the overview's numbers, the same as a report's.
    pub fn summary(&self) -> report::Summary {
        report::summarize(&self.visible_rows())
    }

    fn update_categories(&mut self, action: Action, cursor: usize, mut chosen: BTreeSet<String>) {
        let items = self.category_counts();
        let n = items.len();
        let cursor = match action {
            Action::Down | Action::ScrollDown => (cursor + 1).min(n.saturating_sub(1)),
            Action::Up | Action::ScrollUp => cursor.saturating_sub(1),
            Action::Toggle => {
                if let Some((r, _)) = items.get(cursor)
                    && !chosen.remove(r)
                {
                    chosen.insert(r.clone());
                }
                cursor
            }
            Action::ToggleAll => {
                if chosen.is_empty() {
                    chosen = items.iter().map(|(r, _)| r.clone()).collect();
                } else {
                    chosen.clear();
                }
                cursor
            }
            Action::Confirm => {
                self.categories = chosen;
                self.overlay = None;
                self.selected = 0;
                self.refresh();
                return;
            }
            Action::Back | Action::Quit => {
                self.overlay = None;
                return;
            }
            _ => cursor,
        };
        self.overlay = Some(Overlay::Categories { cursor, chosen });
    }

    fn update_export(&mut self, action: Action, cursor: usize, mut filename: String) {
        let n = EXPORT_FORMATS.len();
        let cursor = match action {
            Action::Down | Action::ScrollDown => (cursor + 1) % n,
            Action::Up | Action::ScrollUp => (cursor + n - 1) % n,
            Action::Input(c) => {
                filename.push(c);
                self.overlay = Some(Overlay::Export { cursor, filename });
                return;
            }
            Action::Backspace => {
                filename.pop();
                self.overlay = Some(Overlay::Export { cursor, filename });
                return;
            }
            Action::Confirm => {
                self.overlay = None;
                self.notice = Some(match self.export(EXPORT_FORMATS[cursor], &filename) {
                    Ok((n, path)) => {
                        self.f("notice.exported", &[("n", &n.to_string()), ("path", &path.display().to_string())])
                    }
                    Err(e) => self.f("notice.export_failed", &[("error", &e.to_string())]),
                });
                return;
            }
            Action::Back | Action::Quit => {
                self.overlay = None;
                return;
            }
            _ => cursor,
        };
        // Moving between formats changes the suggested file name's extension.
        let stem = filename.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or(filename);
        let filename = format!("{stem}.{}", EXPORT_FORMATS[cursor].extension());
        self.overlay = Some(Overlay::Export { cursor, filename });
    }

    /// A file name for exporting this view that does not exist yet.
    pub fn suggest_filename(&self, format: Format) -> String {
        let slug = self.view.name();
        let mut name = format!("bouncescope-{slug}.{}", format.extension());
        let mut k = 2;
        while self.export_dir.join(&name).exists() {
            name = format!("bouncescope-{slug}-{k}.{}", format.extension());
            k += 1;
        }
        name
    }

    /// Write exactly the visible rows. Never overwrites an existing file.
    pub fn export(&self, format: Format, filename: &str) -> Result<(usize, PathBuf), String> {
        let path = self.export_dir.join(filename);
        let rows = self.visible_rows();
        let filter = report::Filter {
            categories: self.categories.iter().cloned().collect(),
            verdicts: Vec::new(),
            all: self.view == View::AutoReplies,
        };
        let stats = self.stats.clone().unwrap_or_default();
        let ctx = report::Context {
            rules: &self.rules,
            lang: self.lang,
            filter: &filter,
            stats: &stats,
            title: format!("{} — {}", self.shown_title(), self.view.title(self.lang)),
            summary: crate::verdict::summary(&self.bounces, self.lang),
        };
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| crate::error::Error::io(&path, e).to_string())?;
        let mut w = std::io::BufWriter::new(file);
        report::write(format, &mut w, &ctx, &rows)
            .and_then(|_| std::io::Write::flush(&mut w))
            .map_err(|e| e.to_string())?;
        Ok((rows.len(), path))
    }
}

/// Scrolling in a viewer overlay; `None` closes it.
fn viewer_scroll(action: Action, scroll: u16, max: u16) -> Option<u16> {
    match action {
        Action::ScrollDown | Action::Down => Some(scroll.saturating_add(1).min(max)),
        Action::ScrollUp | Action::Up => Some(scroll.saturating_sub(1)),
        Action::PageDown => Some(scroll.saturating_add(10).min(max)),
        Action::PageUp => Some(scroll.saturating_sub(10)),
        Action::Back | Action::Quit | Action::Help | Action::ShowRaw => None,
        _ => Some(scroll),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::{Kind, Verdict};

    fn demo() -> App {
        let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Demo);
        app.load_now(&Default::default());
        app
    }

    #[test]
    fn views_filter_by_verdict() {
        let mut app = demo();
        assert_eq!(app.rows.len(), 18);
        app.update(Action::SwitchView(View::Backscatter));
        assert_eq!(app.rows.len(), 3);
        assert!(app.rows.iter().all(|r| app.bounces[r.bounce].verdict == Verdict::Backscatter));
        app.update(Action::SwitchView(View::AutoReplies));
        assert_eq!(app.rows.len(), 2);
    }

    #[test]
    fn search_hard_soft_and_categories_combine() {
        let mut app = demo();
        app.update(Action::StartSearch);
        for c in "example.de".chars() {
            app.update(Action::Input(c));
        }
        assert_eq!(app.mode(), Mode::Search);
        app.update(Action::Confirm);
        assert_eq!(app.rows.len(), 2, "m.mueller@example.de and office@example.de");
        app.update(Action::CycleHardSoft); // hard only
        assert_eq!(app.rows.len(), 0);
        app.update(Action::CycleHardSoft); // soft only
        assert_eq!(app.rows.len(), 2);
        app.update(Action::Back); // clears the search
        app.update(Action::CycleHardSoft); // both
        app.update(Action::OpenCategories);
        let first = app.category_counts()[0].clone();
        app.update(Action::Toggle);
        app.update(Action::Confirm);
        assert_eq!(app.rows.len(), first.1);
    }

    #[test]
    fn search_finds_exactly_the_rows_whose_text_holds_the_needle() {
        let mut app = demo();
        // Needles at the start and the end of a row's text, inside it, and across two fields.
        for needle in
            ["jan.devries", "userunknown", "mailboxfull", "5.1.1", "@example", "e", "unknown\u{1}", "no such needle"]
        {
            app.search = needle.to_string();
            app.refresh();
            let mut got: Vec<RowRef> = app.rows.clone();
            let mut want: Vec<RowRef> = app
                .bounces
                .iter()
                .enumerate()
                .filter(|(_, b)| b.kind == Kind::Bounce)
                .flat_map(|(bi, b)| b.recipients.iter().enumerate().map(move |(ri, r)| (bi, ri, b, r)))
                .filter(|(_, _, b, r)| {
                    format!("{}\u{1}{}\u{1}{}\u{1}{}", r.address, b.subject, r.diagnostic, r.reason)
                        .to_lowercase()
                        .contains(needle)
                })
                .map(|(bi, ri, _, _)| RowRef { bounce: bi, recipient: ri })
                .collect();
            got.sort_by_key(|r| (r.bounce, r.recipient));
            want.sort_by_key(|r| (r.bounce, r.recipient));
            assert_eq!(got, want, "needle {needle:?}");
        }
    }

    #[test]
    fn moving_loads_the_message_and_keeps_in_bounds() {
        let mut app = demo();
        app.update(Action::Bottom);
        assert_eq!(app.selected, 17);
        app.update(Action::Down);
        assert_eq!(app.selected, 17);
        assert!(app.rendered.is_some());
        app.update(Action::Top);
        app.update(Action::Up);
        assert_eq!(app.selected, 0);
    }

    #[test]
    fn export_writes_exactly_the_view_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = demo();
        app.export_dir = dir.path().to_path_buf();
        app.update(Action::SwitchView(View::Backscatter));
        app.update(Action::StartExport);
        app.update(Action::Confirm);
        let notice = app.notice.clone().unwrap();
        assert!(notice.starts_with("Exported 3 rows to"), "{notice}");
        let file = dir.path().join("bouncescope-backscatter.tsv");
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(text.lines().count(), 4);
        assert_eq!(app.suggest_filename(crate::report::Format::Tsv), "bouncescope-backscatter-2.tsv");
        assert!(app.export(crate::report::Format::Tsv, "bouncescope-backscatter.tsv").is_err());
    }

    #[test]
    fn mouse_click_and_wheel_select_rows() {
        let mut app = demo();
        app.list_offset.set(3);
        app.update(Action::ClickRow(2));
        assert_eq!(app.selected, 5);
        app.update(Action::ScrollDown);
        assert_eq!(app.selected, 6);
        app.update(Action::ScrollUp);
        assert_eq!(app.selected, 5);
    }

    #[test]
    fn language_cycles_and_help_opens_and_closes() {
        let mut app = demo();
        app.update(Action::CycleLanguage);
        assert_eq!(app.lang, Lang::Nl);
        app.update(Action::Help);
        assert_eq!(app.mode(), Mode::Viewer);
        app.update(Action::Back);
        assert_eq!(app.mode(), Mode::Main);
        app.update(Action::ShowRaw);
        assert!(matches!(&app.overlay, Some(Overlay::Raw { text, .. }) if text.contains("gelezen")), "read meanwhile");
        app.settle();
        assert!(matches!(&app.overlay, Some(Overlay::Raw { text, .. }) if text.contains("Subject:")));
    }

    #[test]
    fn sorting_and_grouping() {
        let mut app = demo();
        app.update(Action::CycleSort); // category
        let names: Vec<String> = app
            .rows
            .iter()
            .map(|r| app.rules.info(&app.bounces[r.bounce].recipients[r.recipient].reason).display.clone())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        app.update(Action::ToggleGroup);
        let domains: Vec<String> =
            app.rows.iter().map(|r| Bounce::domain(&app.bounces[r.bounce].recipients[r.recipient].address)).collect();
        let mut sd = domains.clone();
        sd.sort();
        assert_eq!(domains, sd);
    }
}
