//! The detail pane: the category's explanation and remedy in the chosen language, recipients,
//! codes, the verdict with its evidence and advice, the original's headers, then the message
//! text with the key diagnostic line highlighted and scrolled into view.

use super::super::app::App;
use crate::bounce::Kind;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    // Beside the list (wide terminals) a left border separates the panes.
    let borders = if area.x > 0 { Borders::TOP | Borders::LEFT } else { Borders::TOP };
    let block = Block::default().borders(borders).border_style(t.border()).title(Span::styled(" Detail ", t.header()));
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(row) = app.rows.get(app.selected) else {
        return;
    };
    let b = &app.bounces[row.bounce];
    let r = &b.recipients[row.recipient];
    let info = app.rules.info(&r.reason);
    let texts = info.texts(app.lang);
    let label = |s: &str| Span::styled(format!("{s:<11}"), t.dim());
    let mut lines: Vec<Line> = Vec::new();
    let mut head = vec![
        Span::styled(format!(" {} ", info.badge), t.role(&info.role).add_modifier(ratatui::style::Modifier::REVERSED)),
        Span::styled(format!(" {}", info.display), t.role(&info.role)),
    ];
    if b.kind == Kind::Bounce {
        let kind = if r.action == "delayed" {
            " · delayed, still retrying"
        } else if r.hard {
            " · hard (do not retry)"
        } else {
            " · soft"
        };
        head.push(Span::styled(kind, t.text()));
    }
    let codes: Vec<&str> = [r.status.as_str(), r.reply_code.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    if !codes.is_empty() {
        head.push(Span::styled(format!(" · {}", codes.join(" / ")), t.text()));
    }
    lines.push(Line::from(head));
    lines.push(Line::from(Span::styled(texts.explanation.clone(), t.text())));
    lines.push(Line::from(vec![Span::styled("What to do: ", t.accent()), Span::styled(texts.remedy.clone(), t.text())]));
    lines.push(Line::default());
    let all: Vec<&str> = b.recipients.iter().map(|x| x.address.as_str()).collect();
    let rcpt_line = if all.len() > 1 { format!("{}  ({} of {}: {})", r.address, row.recipient + 1, all.len(), all.join(", ")) } else { r.address.to_string() };
    lines.push(Line::from(vec![label("Recipient"), Span::styled(rcpt_line, t.header())]));
    if b.kind == Kind::Bounce {
        let vi = app.rules.verdict_info(b.verdict);
        let vt = vi.texts(app.lang);
        lines.push(Line::from(vec![
            label("Verdict"),
            Span::styled(format!("{} — ", vi.display), t.verdict(b.verdict.as_str())),
            Span::styled(vt.explanation.clone(), t.text()),
        ]));
        lines.push(Line::from(vec![label(""), Span::styled(vt.remedy.clone(), t.text())]));
        for e in &b.evidence {
            lines.push(Line::from(vec![label(""), Span::styled(format!("• {}", e.text), t.dim())]));
        }
    }
    if b.kind == Kind::Bounce {
        let how = crate::classify::describe_decision(&app.rules, r.decided_by, r.rule, &r.status, &r.reply_code, &r.diagnostic);
        lines.push(Line::from(vec![label("Decided by"), Span::styled(how, t.dim())]));
    }
    if let Some(o) = &b.original {
        for (k, v) in [("From", &o.from), ("To", &o.to), ("Subject", &o.subject), ("Date", &o.date), ("Message-ID", &o.message_id)] {
            if !v.is_empty() {
                lines.push(Line::from(vec![label(k), Span::styled(v.clone(), t.text())]));
            }
        }
    } else if b.kind == Kind::Bounce {
        lines.push(Line::from(vec![label("Original"), Span::styled("not returned with this bounce", t.dim())]));
    }
    lines.push(Line::from(vec![label("Message"), Span::styled(format!("{} · {}", b.source, b.subject), t.dim())]));
    // The info above, the message text below in its own viewport scrolled to the key line.
    let width = inner.width.max(1) as usize;
    let wrapped = |ls: &[Line]| -> usize { ls.iter().map(|l| l.width().max(1).div_ceil(width)).sum() };
    let info_h = wrapped(&lines).min(inner.height as usize * 11 / 20).max(1) as u16;
    let info_area = Rect { height: info_h.min(inner.height), ..inner };
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(info_area, buf);
    if inner.height <= info_h + 1 {
        return;
    }
    let rule_area = Rect { y: inner.y + info_h, height: 1, ..inner };
    Paragraph::new(Line::from(Span::styled(format!("── message {}", "─".repeat(width.saturating_sub(11))), t.border()))).render(rule_area, buf);
    let text_area = Rect { y: inner.y + info_h + 1, height: inner.height - info_h - 1, ..inner };
    let mut text_lines: Vec<Line> = Vec::new();
    let mut key_line_at = None;
    if let Some((_, rendered)) = app.rendered.as_ref().filter(|(i, _)| *i == row.bounce) {
        let hl = rendered.highlights.get(row.recipient).cloned().flatten();
        let mut offset = 0;
        for line in rendered.text.split('\n') {
            let range = offset..offset + line.len();
            offset += line.len() + 1;
            let is_key = hl.as_ref().is_some_and(|h| h.start < range.end.max(range.start + 1) && h.end > range.start);
            if is_key && key_line_at.is_none() {
                key_line_at = Some(text_lines.len());
            }
            text_lines.push(Line::from(Span::styled(line.to_string(), if is_key { t.highlight() } else { t.text() })));
        }
    }
    // Scroll the key line into view (a third from the top) unless the user scrolled.
    let height = text_area.height as usize;
    let auto = key_line_at.map(|k| wrapped(&text_lines[..k]).saturating_sub(height / 3)).unwrap_or(0);
    let scroll = if app.detail_scroll == 0 { auto } else { app.detail_scroll as usize };
    Paragraph::new(text_lines).wrap(Wrap { trim: false }).scroll((scroll.min(u16::MAX as usize) as u16, 0)).render(text_area, buf);
}
