//! The overlays drawn over the main screen, one module each (as gitui's `popups/`): each owns
//! its state, how a key changes it, and how it is drawn. A key given to a popup returns a
//! [`Reply`]: the popup as it is now, or what it asks of the app (close, filter, export, quit),
//! which the app carries out.

pub mod categories;
pub mod command;
pub mod export;
pub mod help;
pub mod overview;
pub mod viewer;

pub use categories::Categories;
pub use command::CommandLine;
pub use export::Export;
pub use overview::Overview;
pub use viewer::Viewer;

use super::action::{Action, View};
use super::keymap::Mode;
use super::theme::Theme;
use crate::classify::{Lang, Rules};
use crate::report::Format;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::Path;

/// What the popups read of the app's state (they never see the app itself).
pub struct Context<'a> {
    pub theme: &'a Theme,
    pub rules: &'a Rules,
    pub lang: Lang,
    pub view: View,
    /// Rows the list shows now.
    pub rows: usize,
    /// Per reason: rows of the current view, most first (the category picker's items).
    pub categories: Vec<(String, usize)>,
    pub export_dir: &'a Path,
    /// How far the open viewer can scroll, and how wide its text is, set when it is drawn.
    pub viewer_max: &'a Cell<u16>,
    pub viewer_width: &'a Cell<u16>,
}

impl Context<'_> {
    /// The catalogue text of `key` in the screen's language.
    pub fn t(&self, key: &str) -> &'static str {
        crate::i18n::t(self.lang, key)
    }

    /// The catalogue text of `key` with its placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::i18n::f(self.lang, key, args)
    }
}

/// The open overlay.
#[derive(Debug, PartialEq)]
pub enum Overlay {
    Help(Viewer),
    /// The raw message: its text, or a line saying it is being read until the reader answers.
    Raw(Viewer, String),
    Categories(Categories),
    Export(Export),
    Overview(Overview),
    /// The command `|` pipes the selected message to.
    Command(CommandLine),
}

/// What a key given to a popup asks for.
#[derive(Debug, PartialEq)]
pub enum Reply<P> {
    /// Stay open, as it is now.
    Open(P),
    Close,
    /// Close, and show only these categories (all when empty).
    Filter(BTreeSet<String>),
    /// Close, and write the visible rows in this format to this file.
    Export(Format, String),
    /// Close, and pipe the selected message to this command.
    Run(String),
    /// End the program.
    Quit,
}

impl<P> Reply<P> {
    fn map<Q>(self, f: impl FnOnce(P) -> Q) -> Reply<Q> {
        match self {
            Reply::Open(p) => Reply::Open(f(p)),
            Reply::Close => Reply::Close,
            Reply::Filter(c) => Reply::Filter(c),
            Reply::Export(format, file) => Reply::Export(format, file),
            Reply::Run(command) => Reply::Run(command),
            Reply::Quit => Reply::Quit,
        }
    }
}

impl Overlay {
    /// Which key table applies while it is open.
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Categories(_) | Overlay::Overview(_) => Mode::Picker,
            Overlay::Export(_) | Overlay::Command(_) => Mode::Field,
            Overlay::Raw(v, _) if v.typing() => Mode::Field,
            Overlay::Help(_) | Overlay::Raw(..) => Mode::Viewer,
        }
    }

    /// Give `action` to the popup.
    pub fn update(self, action: Action, cx: &Context) -> Reply<Overlay> {
        match self {
            Overlay::Help(v) => v.update(action, cx.viewer_max.get(), None, 0).map(Overlay::Help),
            Overlay::Raw(v, text) => {
                v.update(action, cx.viewer_max.get(), Some(&text), cx.viewer_width.get()).map(|v| Overlay::Raw(v, text))
            }
            Overlay::Categories(c) => c.update(action, &cx.categories).map(Overlay::Categories),
            Overlay::Export(e) => e.update(action).map(Overlay::Export),
            Overlay::Overview(o) => o.update(action).map(Overlay::Overview),
            Overlay::Command(c) => c.update(action).map(Overlay::Command),
        }
    }

    pub fn render(&self, cx: &Context, area: Rect, buf: &mut Buffer) {
        match self {
            Overlay::Help(v) => v.render(cx, cx.t("help.title"), help::lines(cx), (64, 40), area, buf),
            Overlay::Raw(v, text) => {
                let t = &cx.theme;
                let lines = text.split('\n').map(|l| Line::from(Span::styled(l.to_string(), t.text()))).collect();
                let size = (area.width.saturating_sub(4), area.height.saturating_sub(2));
                v.render(cx, cx.t("picker.raw_title"), lines, size, area, buf);
            }
            Overlay::Categories(c) => c.render(cx, area, buf),
            Overlay::Export(e) => e.render(cx, area, buf),
            Overlay::Overview(o) => o.render(cx, area, buf),
            Overlay::Command(c) => c.render(cx, area, buf),
        }
    }
}

/// A `w`x`h` rectangle in the middle of `area` (smaller when `area` is).
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// `lines` in a bordered box titled `title`, over whatever was drawn at `rect`, scrolled down
/// by `scroll` lines; returns how far it can scroll (to its last line and no further).
fn boxed(cx: &Context, rect: Rect, title: &str, lines: Vec<Line>, scroll: u16, buf: &mut Buffer) -> u16 {
    let t = &cx.theme;
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.accent())
        .title(Span::styled(title.to_string(), t.header()));
    let inner = block.inner(rect);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max =
        paragraph.line_count(inner.width.max(1)).saturating_sub(inner.height as usize).min(u16::MAX as usize) as u16;
    paragraph.block(block).scroll((scroll.min(max), 0)).render(rect, buf);
    max
}
