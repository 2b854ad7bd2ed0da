//! The app state and the one place that changes it: `update(action)`. Rendering only reads it.

use super::action::{Action, Sort, View};
use super::keymap::Mode;
use super::loader::Msg;
use super::outside::Job;
use super::popups::{self, Categories, CommandLine, Context, Export, Overlay, Overview, Reply, Viewer};
use super::reader::{Answer, Reader, Want};
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
    pub tab_spans: Cell<(u16, [(u16, u16); View::ALL.len()])>,
    /// The user has moved the selection: until then it stays on the first row while rows arrive.
    moved: bool,
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
            tab_spans: Cell::new((u16::MAX, [(0, 0); View::ALL.len()])),
            moved: false,
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
            Msg::Judged(first, verdicts) => {
                for (b, judged) in self.bounces.iter_mut().skip(first).zip(verdicts) {
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
            rows: self.rows.len(),
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
            reverse: self.reverse,
            collapsed: &self.collapsed,
            group: self.group,
        };
        let (rules, lang) = (&self.rules, self.lang);
        self.rows = self.index.select(query, |r| rules.info(r).name(lang).to_string());
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
        let Some(row) = self.rows.get(self.selected).copied() else {
            self.rendered = None;
            return;
        };
        if self.rendered.as_ref().is_some_and(|(i, _)| *i == row.bounce) {
            return;
        }
        self.detail_scroll = 0;
        self.reader.ask(row.bounce, Want::Detail, &self.bounces[row.bounce]);
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
            |app: &App, index: usize| app.f("detail.unreadable", &[("source", &app.bounces[index].source)]);
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

    fn select(&mut self, i: usize) {
        self.moved = true;
        let before = self.rows.get(self.selected).map(|r| r.bounce);
        self.selected = i.min(self.rows.len().saturating_sub(1));
        if self.rows.get(self.selected).map(|r| r.bounce) != before {
            self.detail_scroll = 0;
        }
        self.ensure_rendered();
    }

    /// Move to the next (previous) row like the selected one, wrapping around: any row while a
    /// search is on (every visible row matches it), else a row of the same category.
    fn select_like(&mut self, forward: bool) {
        let n = self.rows.len();
        let Some(here) = self.rows.get(self.selected).copied() else { return };
        let reason = |r: RowRef| self.bounces[r.bounce].recipients[r.recipient].reason.as_str();
        let found = (1..n)
            .map(|step| if forward { (self.selected + step) % n } else { (self.selected + n - step) % n })
            .find(|&i| !self.search.is_empty() || reason(self.rows[i]) == reason(here));
        if let Some(i) = found {
            self.select(i);
        }
    }

    /// Run `command` on the selected message once the reader has read it.
    fn run_on_selected(&mut self, command: String, pager: bool) {
        if let Some(row) = self.rows.get(self.selected).copied() {
            self.reader.ask(row.bounce, Want::Bytes, &self.bounces[row.bounce]);
            self.waiting_job = Some((row.bounce, command, pager));
        }
    }

    /// The command to run outside the TUI now, if one is ready (the TUI's loop runs it).
    pub fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// Scroll the detail pane by `lines` (down when positive), within its text.
    fn scroll_detail(&mut self, lines: i32) {
        let now = i32::from(self.detail_scroll.min(self.detail_max.get()));
        self.detail_scroll = (now + lines).clamp(0, i32::from(self.detail_max.get())) as u16;
    }

    /// A page of the detail pane, in lines.
    fn detail_page(&self) -> i32 {
        i32::from(self.detail_area.get().height.saturating_sub(2).max(1))
    }

    fn page(&self) -> usize {
        (self.list_area.get().height as usize).saturating_sub(1).max(1)
    }

    /// Apply an action. The only place state changes.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Input(_) | Action::Backspace) {
            self.notice = None;
        }
        // The open overlay is taken out and given the key; what it replies is carried out (a raw
        // message can be 16 MB: it is moved, never copied).
        if let Some(overlay) = self.overlay.take() {
            let reply = overlay.update(action, &self.popup_context());
            return self.carry_out(reply);
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
            // With the detail pane in focus, moving keys scroll its text.
            Action::Down | Action::ScrollDown if self.detail_focus => self.scroll_detail(1),
            Action::Up | Action::ScrollUp if self.detail_focus => self.scroll_detail(-1),
            Action::PageDown if self.detail_focus => self.scroll_detail(self.detail_page()),
            Action::PageUp if self.detail_focus => self.scroll_detail(-self.detail_page()),
            Action::Top if self.detail_focus => self.detail_scroll = 0,
            Action::Bottom if self.detail_focus => self.detail_scroll = self.detail_max.get(),
            Action::ToggleFocus => self.detail_focus = !self.detail_focus,
            Action::ToggleCollapse if self.group => {
                if let Some(r) = self.rows.get(self.selected) {
                    let domain = Bounce::domain(&self.bounces[r.bounce].recipients[r.recipient].address);
                    if !self.collapsed.remove(&domain) {
                        self.collapsed.insert(domain);
                    }
                    self.refresh();
                }
            }
            Action::CollapseAll if self.group => {
                if self.collapsed.is_empty() {
                    self.collapsed = self
                        .rows
                        .iter()
                        .map(|r| Bounce::domain(&self.bounces[r.bounce].recipients[r.recipient].address))
                        .collect();
                } else {
                    self.collapsed.clear();
                }
                self.refresh();
            }
            Action::ToggleCollapse | Action::CollapseAll => self.notice = Some(self.t("notice.group_first").into()),
            Action::StartPipe if !self.rows.is_empty() => self.overlay = Some(Overlay::Command(CommandLine::default())),
            Action::OpenPager => self.run_on_selected(super::outside::pager(), true),
            Action::Down | Action::ScrollDown => self.select(self.selected + 1),
            Action::Up | Action::ScrollUp => self.select(self.selected.saturating_sub(1)),
            Action::PageDown => self.select(self.selected + self.page()),
            Action::PageUp => self.select(self.selected.saturating_sub(self.page())),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.rows.len().saturating_sub(1)),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(5).min(self.detail_max.get()),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.min(self.detail_max.get()).saturating_sub(5),
            Action::ClickRow(n) => {
                self.detail_focus = false;
                self.select(self.list_offset.get() + n);
            }
            Action::NextLike => self.select_like(true),
            Action::PrevLike => self.select_like(false),
            Action::ClearFilters => {
                self.view = View::All;
                self.categories.clear();
                self.hard = None;
                self.search.clear();
                self.refresh();
            }
            Action::CopyAddress | Action::CopyDiagnostic => {
                if let Some(r) = self.rows.get(self.selected) {
                    let recipient = &self.bounces[r.bounce].recipients[r.recipient];
                    let text = if action == Action::CopyAddress { &recipient.address } else { &recipient.diagnostic };
                    self.notice = Some(self.f("notice.copied", &[("text", &crate::sanitize::fit(text, 60))]));
                    self.clipboard = Some(text.to_string());
                }
            }
            Action::SwitchView(v) => {
                self.view = v;
                self.selected = 0;
                self.refresh();
            }
            Action::OpenCategories => {
                self.overlay = Some(Overlay::Categories(Categories::new(&self.categories, &self.category_counts())));
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
            Action::ReverseSort => {
                self.reverse = !self.reverse;
                self.refresh();
            }
            Action::ToggleGroup => {
                self.group = !self.group;
                self.refresh();
            }
            Action::ShowRaw => {
                if let Some(row) = self.rows.get(self.selected).copied() {
                    self.reader.ask(row.bounce, Want::Raw, &self.bounces[row.bounce]);
                    self.viewer_max.set(u16::MAX);
                    self.overlay = Some(Overlay::Raw(Viewer::default(), self.t("detail.reading").to_string()));
                }
            }
            Action::StartExport => {
                self.overlay = Some(Overlay::Export(Export::new(self.view, &self.export_dir)));
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
                self.overlay = Some(Overlay::Help(Viewer::default()));
            }
            Action::Overview => self.overlay = Some(Overlay::Overview(Overview::new(self.summary()))),
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                self.refresh();
            }
            _ => {}
        }
    }

    /// Carry out what the open popup replied to a key.
    fn carry_out(&mut self, reply: Reply<Overlay>) {
        match reply {
            Reply::Open(overlay) => self.overlay = Some(overlay),
            Reply::Close => {}
            Reply::Filter(categories) => {
                self.categories = categories;
                self.selected = 0;
                self.refresh();
            }
            Reply::Export(format, filename) => {
                self.notice = Some(match self.export(format, &filename) {
                    Ok((n, path)) => {
                        self.f("notice.exported", &[("n", &n.to_string()), ("path", &path.display().to_string())])
                    }
                    Err(e) => self.f("notice.export_failed", &[("error", &e.to_string())]),
                });
            }
            Reply::Run(command) => self.run_on_selected(command, false),
            Reply::Quit => self.quit = true,
        }
    }

    /// Write exactly the visible rows to `filename` in the export folder; how many, and where.
    /// Never overwrites an existing file.
    pub fn export(&self, format: report::Format, filename: &str) -> Result<(usize, PathBuf), String> {
        let path = popups::export::target(&self.export_dir, filename);
        let rows = self.visible_rows();
        let filter = report::Filter {
            categories: self.categories.iter().cloned().collect(),
            verdicts: Vec::new(),
            all: self.view == View::AutoReplies,
            hard: self.hard,
            ..Default::default()
        };
        let stats = self.stats.clone().unwrap_or_default();
        let ctx = report::Context {
            rules: &self.rules,
            lang: self.lang,
            filter: &filter,
            stats: &stats,
            title: format!("{} — {}", self.shown_title(), self.view.title(self.lang)),
            summary: crate::verdict::summary(&self.bounces, self.lang),
            generated: report::generated_now(),
            width: None,
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
}
