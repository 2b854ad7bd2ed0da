//! The category picker: every category of the view with its rows, ticked when shown. Space
//! ticks or unticks one, `a` ticks all or none, Enter shows the ticked ones; the rows they hold
//! are counted as you tick.

use super::{Context, Reply, centered};
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use std::collections::BTreeSet;

#[derive(Debug, Default, PartialEq)]
pub struct Categories {
    pub cursor: usize,
    /// The ticked reasons, as they are: all ticked is all shown, none ticked is nothing.
    pub ticked: BTreeSet<String>,
}

impl Categories {
    /// Opened on what is shown now: `shown` empty means every category (`items`).
    pub fn new(shown: &BTreeSet<String>, items: &[(String, usize)]) -> Categories {
        let ticked = if shown.is_empty() { items.iter().map(|(r, _)| r.clone()).collect() } else { shown.clone() };
        Categories { cursor: 0, ticked }
    }

    /// `items` are the reasons offered, with their rows, in the order shown.
    pub fn update(mut self, action: Action, items: &[(String, usize)]) -> Reply<Categories> {
        let n = items.len();
        let all = || items.iter().map(|(r, _)| r.clone()).collect::<BTreeSet<_>>();
        match action {
            Action::Down | Action::ScrollDown => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::Up | Action::ScrollUp => self.cursor = self.cursor.saturating_sub(1),
            Action::PageDown => self.cursor = (self.cursor + 10).min(n.saturating_sub(1)),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = n.saturating_sub(1),
            Action::Toggle => {
                if let Some((r, _)) = items.get(self.cursor)
                    && !self.ticked.remove(r)
                {
                    self.ticked.insert(r.clone());
                }
            }
            Action::ToggleAll => self.ticked = if all().is_subset(&self.ticked) { BTreeSet::new() } else { all() },
            // Nothing ticked shows nothing: the picker stays open and says so.
            Action::Confirm if self.ticked.is_empty() => {}
            // Every category ticked is no filter at all.
            Action::Confirm if all().is_subset(&self.ticked) => return Reply::Filter(BTreeSet::new()),
            Action::Confirm => return Reply::Filter(self.ticked),
            Action::Back | Action::Quit => return Reply::Close,
            _ => {}
        }
        Reply::Open(self)
    }

    pub fn render(&self, cx: &Context, area: Rect, buf: &mut Buffer) {
        let t = &cx.theme;
        let items = &cx.categories;
        // Help, the items, an empty line and the count, inside the border.
        let rect = centered(area, 60, items.len() as u16 + 5);
        Clear.render(rect, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.accent())
            .title(Span::styled(cx.t("picker.categories_title"), t.header()));
        let inner = block.inner(rect);
        block.render(rect, buf);
        let room = (inner.height as usize).saturating_sub(3).max(1);
        // The cursor's line stays in sight: the window ends at it when it is below the first `room`.
        let first = (self.cursor + 1).saturating_sub(room);
        let mut lines = vec![Line::from(Span::styled(cx.t("picker.categories_help"), t.dim()))];
        for (i, (reason, n)) in items.iter().enumerate().skip(first).take(room) {
            let info = cx.rules.info(reason);
            let mark = if self.ticked.contains(reason) { "[x]" } else { "[ ]" };
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
        let rows: usize = items.iter().filter(|(r, _)| self.ticked.contains(r)).map(|(_, n)| n).sum();
        let footer = if self.ticked.is_empty() {
            Span::styled(cx.t("picker.categories_none"), t.warning())
        } else {
            Span::styled(cx.f("picker.categories_rows", &[("n", &rows.to_string())]), t.header())
        };
        let more = if first + room < items.len() { "  ↓" } else { "" };
        lines.push(Line::from(Span::styled(more, t.dim())));
        lines.push(Line::from(footer));
        Paragraph::new(lines).render(inner, buf);
    }
}
