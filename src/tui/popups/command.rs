//! The command line of `|`: the selected message is piped to what is typed here.

use super::{Context, Reply, boxed, centered};
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

#[derive(Debug, Default, PartialEq)]
pub struct CommandLine {
    pub text: String,
}

impl CommandLine {
    pub fn update(mut self, action: Action) -> Reply<CommandLine> {
        match action {
            Action::Input(c) => self.text.push(c),
            Action::Backspace => {
                self.text.pop();
            }
            Action::Confirm if !self.text.trim().is_empty() => return Reply::Run(self.text),
            Action::Back => return Reply::Close,
            _ => {}
        }
        Reply::Open(self)
    }

    pub fn render(&self, cx: &Context, area: Rect, buf: &mut Buffer) {
        let t = &cx.theme;
        let lines = vec![
            Line::from(Span::styled(cx.t("picker.pipe_help"), t.text())),
            Line::default(),
            Line::from(vec![
                Span::styled("| ", t.dim()),
                Span::styled(self.text.clone(), t.header()),
                Span::styled("▏", t.accent()),
            ]),
        ];
        boxed(cx, centered(area, 76, 6), cx.t("picker.pipe_title"), lines, 0, buf);
    }
}
