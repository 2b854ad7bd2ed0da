//! The bounce list: date, category badge (colour and text), hard/soft, verdict, recipient and
//! the diagnostic snippet. Grouped by domain, a header line separates the domains.

use super::super::app::App;
use crate::bounce::{Bounce, Kind};
use crate::sanitize::fit;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

/// The one-letter verdict marker (with its colour elsewhere).
pub fn verdict_mark(b: &Bounce, lang: crate::i18n::Lang) -> &'static str {
    if b.kind != Kind::Bounce {
        return "·";
    }
    crate::i18n::t(lang, &format!("list.mark_{}", b.verdict.as_str()))
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let n = app.rows.len().to_string();
    let title = match &app.pin {
        Some(pin) => format!(" {} ", app.f("list.pinned", &[("what", fit(&pin.what, 48).trim_end()), ("n", &n)])),
        None => format!(" {} ", app.f("list.title", &[("view", app.view.title(app.lang)), ("n", &n)])),
    };
    let mut block = Block::default()
        .borders(Borders::TOP)
        .border_style(if app.detail_focus { t.border() } else { t.accent() })
        .title(Span::styled(title.clone(), t.header()));
    // What the one-letter columns mean, where there is room for it.
    let legend = format!(" {} ", crate::tui::popups::help::legend(app.lang, "list.legend"));
    if area.width as usize >= Span::raw(legend.as_str()).width() + Span::raw(title.as_str()).width() + 6 {
        block = block.title_top(Line::from(Span::styled(legend, t.dim())).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    app.list_area.set(inner);
    if app.rows.is_empty() {
        let msg = if app.progress.done { app.t("list.empty") } else { app.t("list.scanning") };
        Paragraph::new(Span::styled(msg, t.dim())).render(inner, buf);
        return;
    }
    let height = inner.height as usize;
    // Keep the selection visible.
    let mut offset = app.list_offset.get();
    if app.selected < offset {
        offset = app.selected;
    } else if app.selected >= offset + height {
        offset = app.selected + 1 - height;
    }
    // No empty space below the last row while rows above are out of sight.
    offset = offset.min(app.rows.len().saturating_sub(height.max(1)));
    app.list_offset.set(offset);
    let w = inner.width as usize;
    let rcpt_w = if w >= 100 { 30 } else { 22 };
    // The year is shown when the dates span more than one (else it only takes room).
    let years = app.spans_years();
    let date_w = if years { 16 } else { 11 };
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    let mut last_domain = String::new();
    let (hard_mark, soft_mark) = (app.t("list.mark_hard"), app.t("list.mark_soft"));
    for (i, row) in app.rows.iter().enumerate().skip(offset) {
        if lines.len() >= height {
            break;
        }
        let b = app.bounces.get(row.bounce);
        let r = &b.recipients[row.recipient];
        if app.group {
            let d = Bounce::domain(&r.address);
            if d != last_domain {
                if lines.len() + 1 >= height {
                    break;
                }
                let fold = if app.collapsed.contains(&d) { "▸" } else { "▾" };
                let header = format!("{fold} {d} · {} ", app.group_size(&d));
                lines.push(Line::from(Span::styled(header, t.accent())));
                last_domain = d;
            }
        }
        let info = app.rules.info(&r.reason);
        let selected = i == app.selected;
        let base = if selected { t.selected() } else { t.text() };
        let verdict_style = if b.kind == Kind::Bounce { t.verdict(b.verdict.as_str()) } else { t.dim() };
        let used = date_w + 1 + 7 + 2 + 2 + rcpt_w + 1;
        let date = if years { crate::dates::short(b.date) } else { crate::dates::shorter(b.date) };
        let mut spans = vec![
            Span::styled(date, if selected { base } else { t.dim() }),
            Span::styled(" ", base),
            Span::styled(fit(info.badge(app.lang), 6), if selected { base } else { t.role(&info.role) }),
            // A reason decided by a code alone or the default is marked: worth a second look.
            Span::styled(
                if b.kind == Kind::Bounce && r.decided_by.is_unsure() { "~" } else { " " },
                if selected { base } else { t.warning() },
            ),
            Span::styled(
                if b.kind != Kind::Bounce {
                    " "
                } else if r.hard {
                    hard_mark
                } else {
                    soft_mark
                },
                base,
            ),
            Span::styled(" ", base),
            Span::styled(verdict_mark(&b, app.lang), if selected { base } else { verdict_style }),
            Span::styled(" ", base),
            Span::styled(fit(&r.address, rcpt_w), base),
            Span::styled(" ", base),
        ];
        if w > used {
            spans.push(Span::styled(fit(&r.diagnostic, w - used), if selected { base } else { t.dim() }));
        }
        lines.push(Line::from(spans));
    }
    Paragraph::new(lines).render(inner, buf);
}
