//! The category picker: tick the categories to show (none ticked: all), Enter applies.

use super::Context;
use super::{Reply, boxed, centered};
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::collections::BTreeSet;

#[derive(Debug, Default, PartialEq)]
pub struct Categories {
    pub cursor: usize,
    /// The ticked reasons; empty: all.
    pub chosen: BTreeSet<String>,
}

impl Categories {
    /// Opened on the categories shown now.
    pub fn new(chosen: BTreeSet<String>) -> Categories {
        Categories { cursor: 0, chosen }
    }

    /// `items` are the reasons offered, with their counts, in the order shown.
    pub fn update(mut self, action: Action, items: &[(String, usize)]) -> Reply<Categories> {
        let n = items.len();
        match action {
            Action::Down | Action::ScrollDown => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::Up | Action::ScrollUp => self.cursor = self.cursor.saturating_sub(1),
            Action::Toggle => {
                if let Some((r, _)) = items.get(self.cursor)
                    && !self.chosen.remove(r)
                {
                    self.chosen.insert(r.clone());
                }
            }
            Action::ToggleAll => {
                if self.chosen.is_empty() {
                    self.chosen = items.iter().map(|(r, _)| r.clone()).collect();
                } else {
                    self.chosen.clear();
                }
            }
            Action::Confirm => return Reply::Filter(self.chosen),
            Action::Back | Action::Quit => return Reply::Close,
            _ => {}
        }
        Reply::Open(self)
    }

    pub fn render(&self, cx: &Context, area: Rect, buf: &mut Buffer) {
        let t = &cx.theme;
        let mut lines = vec![Line::from(Span::styled(cx.t("picker.categories_help"), t.dim()))];
        for (i, (reason, n)) in cx.categories.iter().enumerate() {
            let info = cx.rules.info(reason);
            let mark = if self.chosen.is_empty() || self.chosen.contains(reason) { "[x]" } else { "[ ]" };
            let style = if i == self.cursor { t.selected() } else { t.text() };
            lines.push(Line::from(vec![
                Span::styled(format!(" {mark} "), style),
                Span::styled(
                    format!("{:<7}", info.badge(cx.lang)),
                    if i == self.cursor { style } else { t.role(&info.role) },
                ),
                Span::styled(format!("{:<30} {n:>6}", info.name(cx.lang)), style),
            ]));
        }
        let h = lines.len() as u16 + 2;
        // The cursor's line stays in sight.
        let scroll = (self.cursor as u16 + 2).saturating_sub(h.min(area.height).saturating_sub(3));
        boxed(cx, centered(area, 52, h), cx.t("picker.categories_title"), lines, scroll, buf);
    }
}
