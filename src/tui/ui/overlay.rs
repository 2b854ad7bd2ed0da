//! Overlays: help (generated from the keymap), the category picker, the export picker and the
//! raw message.

use super::super::app::{App, EXPORT_FORMATS, Overlay};
use super::super::keymap::{BINDINGS, Mode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let Some(overlay) = &app.overlay else { return };
    if let Overlay::Overview { cursor, summary } = overlay {
        return super::overview::render(app, *cursor, summary, area, buf);
    }
    let (title, lines, scroll, w, h): (String, Vec<Line>, u16, u16, u16) = match overlay {
        Overlay::Help { scroll } => {
            let mut lines = Vec::new();
            for (mode, heading) in [
                (Mode::Main, "help.main"),
                (Mode::Picker, "help.pickers"),
                (Mode::Search, "help.search"),
                (Mode::Viewer, "help.viewer"),
            ] {
                lines.push(Line::from(Span::styled(app.t(heading), t.accent())));
                for b in BINDINGS.iter().filter(|b| b.mode == mode) {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {:<10}", b.label), t.header()),
                        Span::styled(b.describe(app.lang), t.text()),
                    ]));
                }
                lines.push(Line::default());
            }
            lines.push(Line::from(vec![
                Span::styled("  Ctrl-C    ", t.header()),
                Span::styled(app.t("key.quit_anywhere"), t.text()),
            ]));
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10}", app.t("key.mouse")), t.header()),
                Span::styled(app.t("key.mouse_does"), t.text()),
            ]));
            (app.t("help.title").into(), lines, *scroll, 64, 40)
        }
        Overlay::Categories { cursor, chosen } => {
            let mut lines = vec![Line::from(Span::styled(app.t("picker.categories_help"), t.dim()))];
            for (i, (reason, n)) in app.category_counts().iter().enumerate() {
                let info = app.rules.info(reason);
                let mark = if chosen.is_empty() || chosen.contains(reason) { "[x]" } else { "[ ]" };
                let style = if i == *cursor { t.selected() } else { t.text() };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {mark} "), style),
                    Span::styled(
                        format!("{:<7}", info.badge(app.lang)),
                        if i == *cursor { style } else { t.role(&info.role) },
                    ),
                    Span::styled(format!("{:<30} {n:>6}", info.name(app.lang)), style),
                ]));
            }
            let h = lines.len() as u16 + 2;
            let scroll = (*cursor as u16 + 2).saturating_sub(h.min(area.height).saturating_sub(3));
            (app.t("picker.categories_title").into(), lines, scroll, 52, h)
        }
        Overlay::Export { cursor, filename } => {
            let mut lines = vec![Line::from(Span::styled(
                app.f("picker.export_help", &[("n", &app.rows.len().to_string())]),
                t.text(),
            ))];
            for (i, f) in EXPORT_FORMATS.iter().enumerate() {
                let style = if i == *cursor { t.selected() } else { t.text() };
                lines.push(Line::from(Span::styled(
                    format!("  {} {:?}", if i == *cursor { "›" } else { " " }, f).to_lowercase(),
                    style,
                )));
            }
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled(app.t("picker.file"), t.dim()),
                Span::styled(filename.clone(), t.header()),
                Span::styled("▏", t.accent()),
            ]));
            lines.push(Line::from(Span::styled(
                app.f("picker.export_where", &[("dir", &app.export_dir.display().to_string())]),
                t.dim(),
            )));
            (app.t("picker.export_title").into(), lines, 0, 60, 12)
        }
        Overlay::Overview { .. } => return,
        Overlay::Raw { scroll, text } => {
            let lines = text.split('\n').map(|l| Line::from(Span::styled(l.to_string(), t.text()))).collect();
            (
                app.t("picker.raw_title").into(),
                lines,
                *scroll,
                area.width.saturating_sub(4),
                area.height.saturating_sub(2),
            )
        }
    };
    let rect = centered(area, w, h);
    Clear.render(rect, buf);
    let block = Block::default().borders(Borders::ALL).border_style(t.accent()).title(Span::styled(title, t.header()));
    // A viewer scrolls to its last line and no further.
    let inner = block.inner(rect);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max =
        paragraph.line_count(inner.width.max(1)).saturating_sub(inner.height as usize).min(u16::MAX as usize) as u16;
    app.viewer_max.set(max);
    paragraph.block(block).scroll((scroll.min(max), 0)).render(rect, buf);
}
