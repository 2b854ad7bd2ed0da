//! A scrolling text viewer (help, the raw message): it scrolls to its last line and no further.

use super::Context;
use super::{Reply, boxed, centered};
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Default, PartialEq)]
pub struct Viewer {
    pub scroll: u16,
}

impl Viewer {
    /// Scroll by `action`, at most to `max` (how far the text could scroll when last drawn).
    pub fn update(self, action: Action, max: u16) -> Reply<Viewer> {
        let scroll = self.scroll.min(max);
        let scroll = match action {
            Action::ScrollDown | Action::Down => scroll.saturating_add(1).min(max),
            Action::ScrollUp | Action::Up => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(10).min(max),
            Action::PageUp => scroll.saturating_sub(10),
            Action::Back | Action::Quit | Action::Help | Action::ShowRaw => return Reply::Close,
            _ => scroll,
        };
        Reply::Open(Viewer { scroll })
    }

    /// Draw `lines` in a box of about `size` cells titled `title`, telling the app how far it
    /// can scroll.
    pub fn render(&self, cx: &Context, title: &str, lines: Vec<Line>, size: (u16, u16), area: Rect, buf: &mut Buffer) {
        let rect = centered(area, size.0, size.1);
        cx.viewer_max.set(boxed(cx, rect, title, lines, self.scroll, buf));
    }
}
