//! The export picker (a format and a file name), and writing exactly the visible rows.

use super::{Reply, boxed, centered};
use crate::report::{self, Format};
use crate::tui::action::{Action, View};
use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::path::PathBuf;

/// Export formats offered, in the picker's order.
pub const FORMATS: [Format; 5] = [Format::Tsv, Format::Csv, Format::Json, Format::Md, Format::Html];

#[derive(Debug, PartialEq)]
pub struct Export {
    /// The format under the cursor (an index into [`FORMATS`]).
    pub cursor: usize,
    pub filename: String,
}

impl Export {
    /// Opened on the first format, with a file name for it that does not exist yet.
    pub fn new(app: &App) -> Export {
        Export { cursor: 0, filename: suggest_filename(app, FORMATS[0]) }
    }

    pub fn update(mut self, action: Action) -> Reply<Export> {
        let n = FORMATS.len();
        let cursor = match action {
            Action::Down | Action::ScrollDown => (self.cursor + 1) % n,
            Action::Up | Action::ScrollUp => (self.cursor + n - 1) % n,
            Action::Input(c) => {
                self.filename.push(c);
                return Reply::Open(self);
            }
            Action::Backspace => {
                self.filename.pop();
                return Reply::Open(self);
            }
            Action::Confirm => return Reply::Export(FORMATS[self.cursor], self.filename),
            Action::Back | Action::Quit => return Reply::Close,
            _ => self.cursor,
        };
        // Moving between formats changes the suggested file name's extension.
        let stem = self.filename.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or(self.filename);
        Reply::Open(Export { cursor, filename: format!("{stem}.{}", FORMATS[cursor].extension()) })
    }

    pub fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        let t = &app.theme;
        let mut lines = vec![Line::from(Span::styled(
            app.f("picker.export_help", &[("n", &app.rows.len().to_string())]),
            t.text(),
        ))];
        for (i, f) in FORMATS.iter().enumerate() {
            let style = if i == self.cursor { t.selected() } else { t.text() };
            lines.push(Line::from(Span::styled(
                format!("  {} {:?}", if i == self.cursor { "›" } else { " " }, f).to_lowercase(),
                style,
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(app.t("picker.file"), t.dim()),
            Span::styled(self.filename.clone(), t.header()),
            Span::styled("▏", t.accent()),
        ]));
        lines.push(Line::from(Span::styled(
            app.f("picker.export_where", &[("dir", &app.export_dir.display().to_string())]),
            t.dim(),
        )));
        boxed(app, centered(area, 60, 12), app.t("picker.export_title"), lines, 0, buf);
    }
}

/// A file name for exporting the current view that does not exist yet.
pub fn suggest_filename(app: &App, format: Format) -> String {
    let slug = app.view.name();
    let mut name = format!("bouncescope-{slug}.{}", format.extension());
    let mut k = 2;
    while app.export_dir.join(&name).exists() {
        name = format!("bouncescope-{slug}-{k}.{}", format.extension());
        k += 1;
    }
    name
}

/// Write exactly the visible rows to `filename` in the export folder; how many, and where.
/// Never overwrites an existing file.
pub fn write(app: &App, format: Format, filename: &str) -> Result<(usize, PathBuf), String> {
    let path = app.export_dir.join(filename);
    let rows = app.visible_rows();
    let filter = report::Filter {
        categories: app.categories.iter().cloned().collect(),
        verdicts: Vec::new(),
        all: app.view == View::AutoReplies,
    };
    let stats = app.stats.clone().unwrap_or_default();
    let ctx = report::Context {
        rules: &app.rules,
        lang: app.lang,
        filter: &filter,
        stats: &stats,
        title: format!("{} — {}", app.shown_title(), app.view.title(app.lang)),
        summary: crate::verdict::summary(&app.bounces, app.lang),
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
