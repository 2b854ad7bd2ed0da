//! A scrolling text viewer (help, the raw message): it scrolls to its last line and no further.
//! In a text it is given (the raw message), `/` finds a word: Enter jumps to the first line that
//! holds it from where the view is, `n`/`N` to the next and the previous one.

use super::Context;
use super::{Reply, boxed, centered};
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Default, PartialEq)]
pub struct Viewer {
    pub scroll: u16,
    /// What is being found, and whether it is still being typed.
    pub find: Option<(String, bool)>,
}

impl Viewer {
    /// Is a word being typed for `/`?
    pub fn typing(&self) -> bool {
        self.find.as_ref().is_some_and(|(_, typing)| *typing)
    }

    /// Scroll by `action`, at most to `max` (how far the text could scroll when last drawn);
    /// `text` (when searchable) wraps at `width` columns.
    pub fn update(mut self, action: Action, max: u16, text: Option<&str>, width: u16) -> Reply<Viewer> {
        let scroll = self.scroll.min(max);
        if let Some((needle, true)) = &mut self.find {
            match action {
                Action::Input(c) => needle.push(c),
                Action::Backspace => {
                    needle.pop();
                }
                Action::Confirm => {
                    let needle = needle.clone();
                    self.find = Some((needle.clone(), false));
                    self.scroll = text.and_then(|t| jump(t, &needle, scroll, true, width)).unwrap_or(scroll).min(max);
                }
                Action::Back => self.find = None,
                _ => {}
            }
            return Reply::Open(self);
        }
        let found = |forward: bool| {
            let needle = self.find.as_ref().map(|(n, _)| n.as_str()).unwrap_or("");
            let from = if forward { scroll.saturating_add(1) } else { scroll.saturating_sub(1) };
            text.and_then(|t| jump(t, needle, from, forward, width)).unwrap_or(scroll).min(max)
        };
        self.scroll = match action {
            Action::ScrollDown | Action::Down => scroll.saturating_add(1).min(max),
            Action::ScrollUp | Action::Up => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(10).min(max),
            Action::PageUp => scroll.saturating_sub(10),
            Action::StartSearch if text.is_some() => {
                self.find = Some((String::new(), true));
                scroll
            }
            Action::NextLike if self.find.is_some() => found(true),
            Action::PrevLike if self.find.is_some() => found(false),
            Action::Back | Action::Quit | Action::Help | Action::ShowRaw => return Reply::Close,
            _ => scroll,
        };
        Reply::Open(self)
    }

    /// Draw `lines` in a box of about `size` cells titled `title` (and the word being found),
    /// telling the app how far it can scroll and how wide the text is.
    pub fn render(&self, cx: &Context, title: &str, lines: Vec<Line>, size: (u16, u16), area: Rect, buf: &mut Buffer) {
        let rect = centered(area, size.0, size.1);
        let title = match &self.find {
            Some((needle, typing)) => format!("{title}/{needle}{} ", if *typing { "▏" } else { "" }),
            None => title.to_string(),
        };
        cx.viewer_width.set(rect.width.saturating_sub(2));
        cx.viewer_max.set(boxed(cx, rect, &title, lines, self.scroll, buf));
    }
}

/// The scroll offset (in wrapped lines at `width`) of the first line from offset `from` on
/// (`forward`) or before it that holds `needle`, case-insensitively.
fn jump(text: &str, needle: &str, from: u16, forward: bool, width: u16) -> Option<u16> {
    if needle.is_empty() {
        return None;
    }
    let needle = needle.to_lowercase();
    let mut offset = 0usize;
    let mut hits = Vec::new();
    for line in text.split('\n') {
        if line.to_lowercase().contains(&needle) {
            hits.push(offset);
        }
        offset += Paragraph::new(line).wrap(Wrap { trim: false }).line_count(width.max(1)).max(1);
    }
    let from = usize::from(from);
    let hit = if forward { hits.into_iter().find(|&h| h >= from) } else { hits.into_iter().rev().find(|&h| h <= from) };
    hit.map(|h| h.min(usize::from(u16::MAX)) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_found_down_and_up_the_text() {
        let text = "one\ntwo Needle\nthree\nfour needle\nfive";
        let v = Viewer::default();
        let Reply::Open(v) = v.update(Action::StartSearch, 10, Some(text), 80) else { panic!() };
        assert!(v.typing());
        let mut v = v;
        for c in "needle".chars() {
            let Reply::Open(next) = v.update(Action::Input(c), 10, Some(text), 80) else { panic!() };
            v = next;
        }
        let Reply::Open(v) = v.update(Action::Confirm, 10, Some(text), 80) else { panic!() };
        assert_eq!(v.scroll, 1, "the first line holding it");
        let Reply::Open(v) = v.update(Action::NextLike, 10, Some(text), 80) else { panic!() };
        assert_eq!(v.scroll, 3);
        let Reply::Open(v) = v.update(Action::PrevLike, 10, Some(text), 80) else { panic!() };
        assert_eq!(v.scroll, 1);
        // Wrapped lines count: a long line before the hit pushes it down.
        let long = format!("{}\nneedle", "word ".repeat(40));
        assert_eq!(jump(&long, "needle", 0, true, 50), Some(4));
    }
}
