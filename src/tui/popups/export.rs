//! The export picker (a format and a file name), and writing exactly the visible rows.

use super::Context;
use super::{Reply, boxed, centered};
use crate::report::Format;
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::path::{Path, PathBuf};

/// Export formats offered, in the picker's order.
pub const FORMATS: [Format; 5] = [Format::Tsv, Format::Csv, Format::Json, Format::Md, Format::Html];

#[derive(Debug, PartialEq)]
pub struct Export {
    /// The format under the cursor (an index into [`FORMATS`]).
    pub cursor: usize,
    pub filename: String,
    /// The name is still the one suggested: typing replaces it (as a selected text would be),
    /// Backspace starts editing it.
    pub suggested: bool,
}

impl Export {
    /// Opened on the first format, with a file name for it that does not exist yet.
    pub fn new(slug: &str, dir: &Path) -> Export {
        Export { cursor: 0, filename: suggest_filename(slug, dir, FORMATS[0]), suggested: true }
    }

    pub fn update(mut self, action: Action) -> Reply<Export> {
        let n = FORMATS.len();
        let cursor = match action {
            Action::Down | Action::ScrollDown => (self.cursor + 1) % n,
            Action::Up | Action::ScrollUp => (self.cursor + n - 1) % n,
            Action::Input(c) => {
                if std::mem::take(&mut self.suggested) {
                    self.filename.clear();
                }
                self.filename.push(c);
                return Reply::Open(self);
            }
            Action::Backspace => {
                self.suggested = false;
                self.filename.pop();
                return Reply::Open(self);
            }
            Action::Confirm => return Reply::Export(FORMATS[self.cursor], self.filename),
            Action::Back | Action::Quit => return Reply::Close,
            _ => self.cursor,
        };
        // Moving between formats changes the file name's extension (of its last part only).
        let name_start = self.filename.rfind('/').map_or(0, |i| i + 1);
        let stem = match self.filename[name_start..].rfind('.') {
            Some(dot) if dot > 0 => &self.filename[..name_start + dot],
            _ => &self.filename[..],
        };
        let filename = format!("{stem}.{}", FORMATS[cursor].extension());
        Reply::Open(Export { cursor, filename, suggested: self.suggested })
    }

    pub fn render(&self, cx: &Context, area: Rect, buf: &mut Buffer) {
        let t = &cx.theme;
        let mut lines =
            vec![Line::from(Span::styled(cx.f("picker.export_help", &[("n", &cx.rows.to_string())]), t.text()))];
        for (i, f) in FORMATS.iter().enumerate() {
            let style = if i == self.cursor { t.selected() } else { t.text() };
            lines.push(Line::from(Span::styled(
                format!("  {} {:?}", if i == self.cursor { "›" } else { " " }, f).to_lowercase(),
                style,
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(cx.t("picker.file"), t.dim()),
            Span::styled(self.filename.clone(), if self.suggested { t.selected() } else { t.header() }),
            Span::styled("▏", t.accent()),
        ]));
        lines.push(Line::from(Span::styled(
            cx.f("picker.export_where", &[("path", &target(cx.export_dir, &self.filename).display().to_string())]),
            t.dim(),
        )));
        boxed(cx, centered(area, 60, 12), cx.t("picker.export_title"), lines, 0, buf);
    }
}

/// Where a file name typed into the dialog is written: an absolute path as it is, `~/…` in the
/// home folder, anything else in the export folder `dir`.
pub fn target(dir: &Path, filename: &str) -> PathBuf {
    let name = filename.trim();
    if let Some(rest) = name.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    dir.join(name)
}

/// A file name for exporting `view` into `dir` that does not exist yet.
pub fn suggest_filename(slug: &str, dir: &Path, format: Format) -> String {
    let mut name = format!("bouncescope-{slug}.{}", format.extension());
    let mut k = 2;
    while dir.join(&name).exists() {
        name = format!("bouncescope-{slug}-{k}.{}", format.extension());
        k += 1;
    }
    name
}
