//! The detail pane, one document scrolled as a whole (J/K): what failed and how hard, the
//! recipient, the verdict with every line of its evidence, the key diagnostic line, the
//! category's explanation and remedy in the chosen language, how the category was decided, the
//! original's headers, then the message text with the key line highlighted. What to act on
//! comes first, so that it shows even at 80x24.

use super::super::app::App;
use crate::bounce::Kind;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

/// Segments of styled text after a lead (a label padded to `indent` cells, or blanks), wrapped
/// at spaces to `width` cells; continuation lines start `indent` cells in, so a long line
/// reads as one block beside its label. A word longer than a line is cut.
pub(super) fn hanging(
    lead: Span<'static>,
    segments: &[(&str, Style)],
    indent: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let width = width.max(1);
    // Too narrow to hang beside a label: continuation lines start at the left edge.
    let indent = if width < indent + 8 { 0 } else { indent };
    let mut lines = Vec::new();
    // `start` is where text begins on the current line, `used` how far it is filled.
    let mut start = lead.width().min(width);
    let mut used = start;
    let mut spans = vec![lead];
    let new_line = |spans: &mut Vec<Span<'static>>, lines: &mut Vec<Line<'static>>| {
        lines.push(Line::from(std::mem::take(spans)));
        if indent > 0 {
            spans.push(Span::raw(" ".repeat(indent)));
        }
    };
    for (text, style) in segments {
        for word in text.split_inclusive(' ') {
            let mut word = word.to_string();
            while !word.is_empty() {
                let w = Span::raw(word.as_str()).width();
                let bare = Span::raw(word.trim_end()).width();
                if used + w <= width {
                    used += w;
                    spans.push(Span::styled(std::mem::take(&mut word), *style));
                } else if used + bare <= width {
                    // It fits without its trailing space, which would overhang: the line is full.
                    spans.push(Span::styled(word.trim_end().to_string(), *style));
                    word.clear();
                    used = width;
                } else if used > start || start >= width {
                    new_line(&mut spans, &mut lines);
                    start = indent;
                    used = indent;
                } else {
                    // A word wider than the whole line: cut it.
                    let rest = word.split_off(prefix_within(&word, width - used));
                    spans.push(Span::styled(word, *style));
                    word = rest;
                    new_line(&mut spans, &mut lines);
                    start = indent;
                    used = indent;
                }
            }
        }
    }
    lines.push(Line::from(spans));
    lines
}

/// Bytes of the longest prefix of `word` at most `room` cells wide (at least one character).
fn prefix_within(word: &str, room: usize) -> usize {
    let mut used = 0;
    for (i, c) in word.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room && i > 0 {
            return i;
        }
        used += w;
    }
    word.len()
}

/// The detail pane's frame, in `area`: its title, and beside the list (wide terminals) a left
/// border that separates the panes.
pub(super) fn frame(app: &App, area: Rect) -> Block<'static> {
    let t = &app.theme;
    let borders = if area.x > 0 { Borders::TOP | Borders::LEFT } else { Borders::TOP };
    Block::default()
        .borders(borders)
        .border_style(if app.detail_focus { t.accent() } else { t.border() })
        .title(Span::styled(app.t("detail.title"), t.header()))
}

/// Draw `lines` in `block` as one document: J/K scroll it to its last line and no further
/// (`detail_max`), and the title says which lines show. No lines: the empty frame.
pub(super) fn scrolled(app: &App, mut block: Block<'_>, lines: Vec<Line<'_>>, area: Rect, buf: &mut Buffer) {
    let inner = block.inner(area);
    if lines.is_empty() || inner.height == 0 || inner.width == 0 {
        app.detail_max.set(0);
        block.render(area, buf);
        return;
    }
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = paragraph.line_count(inner.width);
    let max = total.saturating_sub(inner.height as usize).min(u16::MAX as usize) as u16;
    app.detail_max.set(max);
    let scroll = app.detail_scroll.min(max);
    if max > 0 {
        let first = scroll as usize + 1;
        let last = (scroll as usize + inner.height as usize).min(total);
        let position = app.f("detail.scroll", &[("line", &format!("{first}–{last}")), ("lines", &total.to_string())]);
        block = block.title_top(Line::from(Span::styled(format!(" {position} "), app.theme.dim())).right_aligned());
    }
    paragraph.block(block).scroll((scroll, 0)).render(area, buf);
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let block = frame(app, area);
    let Some(row) = app.rows.get(app.selected) else {
        return scrolled(app, block, Vec::new(), area, buf);
    };
    let b = app.bounces.get(row.bounce);
    let r = &b.recipients[row.recipient];
    let info = app.rules.info(&r.reason);
    let texts = info.texts(app.lang);
    let labels = [
        "detail.recipient",
        "detail.verdict",
        "detail.diagnostic",
        "detail.decided_by",
        "detail.from",
        "detail.to",
        "detail.subject",
        "detail.date",
        "detail.message_id",
        "detail.original",
        "detail.message",
    ];
    let label_w = labels.iter().map(|k| Span::raw(app.t(k)).width()).max().unwrap_or(10) + 1;
    // Padded by display width (a label may hold wide or combining characters).
    let label = |key: &str| {
        let text = app.t(key);
        Span::styled(format!("{text}{}", " ".repeat(label_w - Span::raw(text).width())), t.dim())
    };
    let indent = || Span::raw(" ".repeat(label_w));
    let width = block.inner(area).width as usize;
    let wrap = |lead: Span<'static>, segments: &[(&str, Style)]| hanging(lead, segments, label_w, width);
    let mut lines: Vec<Line> = Vec::new();

    // What failed, how hard, with which codes.
    let mut head = vec![
        Span::styled(format!(" {} ", info.badge(app.lang)), t.role(&info.role).add_modifier(Modifier::REVERSED)),
        Span::styled(format!(" {}", info.name(app.lang)), t.role(&info.role)),
    ];
    if b.kind == Kind::Bounce {
        let kind = if r.action == "delayed" {
            "detail.delayed"
        } else if r.hard {
            "detail.hard"
        } else {
            "detail.soft"
        };
        head.push(Span::styled(format!(" · {}", app.t(kind)), t.text()));
    }
    let codes: Vec<&str> = [r.status.as_str(), r.reply_code.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    if !codes.is_empty() {
        head.push(Span::styled(format!(" · {}", codes.join(" / ")), t.text()));
    }
    lines.push(Line::from(head));

    // Who, and was it really sent by the owner.
    let all: Vec<&str> = b.recipients.iter().map(|x| x.address.as_str()).collect();
    let rcpt_line = if all.len() > 1 {
        let one_of = app.f(
            "detail.one_of",
            &[("i", &(row.recipient + 1).to_string()), ("n", &all.len().to_string()), ("list", &all.join(", "))],
        );
        format!("{}  {one_of}", r.address)
    } else {
        r.address.to_string()
    };
    lines.extend(wrap(label("detail.recipient"), &[(&rcpt_line, t.header())]));
    if b.kind == Kind::Bounce {
        let vi = app.rules.verdict_info(b.verdict);
        let vt = vi.texts(app.lang);
        let name = format!("{} — ", vi.name(app.lang));
        lines.extend(wrap(
            label("detail.verdict"),
            &[(&name, t.verdict(b.verdict.as_str()).add_modifier(Modifier::BOLD)), (&vt.explanation, t.text())],
        ));
        for e in b.evidence.iter() {
            lines.extend(wrap(indent(), &[(&format!("• {}", e.text(app.lang)), t.text())]));
        }
        // An undetermined verdict's note already says what is missing and what would decide.
        let noted = b.evidence.iter().any(|e| e.signal == crate::bounce::Signal::Verdict);
        if !(noted && b.verdict == crate::bounce::Verdict::Undetermined) {
            lines.extend(wrap(indent(), &[(&vt.remedy, t.dim())]));
        }
    }
    if !r.diagnostic.is_empty() {
        lines.extend(wrap(label("detail.diagnostic"), &[(&r.diagnostic, t.highlight())]));
    }
    lines.push(Line::default());

    // What the category means and what to do.
    lines.push(Line::from(Span::styled(texts.explanation.clone(), t.text())));
    lines.push(Line::from(vec![
        Span::styled(app.t("detail.what_to_do"), t.accent()),
        Span::styled(texts.remedy.clone(), t.text()),
    ]));
    if b.kind == Kind::Bounce {
        let how = crate::classify::describe_decision(
            &app.rules,
            app.lang,
            r.decided_by,
            r.rule,
            &r.status,
            &r.reply_code,
            &r.diagnostic,
        );
        lines.extend(wrap(label("detail.decided_by"), &[(&how, t.dim())]));
    }
    if let Some(o) = &b.original {
        let fields = [
            ("detail.from", &o.from),
            ("detail.to", &o.to),
            ("detail.subject", &o.subject),
            ("detail.date", &o.date),
            ("detail.message_id", &o.message_id),
        ];
        for (k, v) in fields {
            if !v.is_empty() {
                lines.extend(wrap(label(k), &[(v, t.text())]));
            }
        }
    } else if b.kind == Kind::Bounce {
        lines.extend(wrap(label("detail.original"), &[(app.t("detail.not_returned"), t.dim())]));
    }
    lines.extend(wrap(label("detail.message"), &[(&format!("{} · {}", b.source, b.subject), t.dim())]));

    // The message text, its key line highlighted.
    let rule = format!("── {} ", app.t("detail.message_rule"));
    let fill = width.saturating_sub(Span::raw(rule.as_str()).width());
    lines.push(Line::from(Span::styled(format!("{rule}{}", "─".repeat(fill)), t.border())));
    if let Some((_, rendered)) = app.rendered.as_ref().filter(|(i, _)| *i == row.bounce) {
        let hl = rendered.highlights.get(row.recipient).cloned().flatten();
        let mut offset = 0;
        for line in rendered.text.split('\n') {
            let range = offset..offset + line.len();
            offset += line.len() + 1;
            let is_key = hl.as_ref().is_some_and(|h| h.start < range.end.max(range.start + 1) && h.end > range.start);
            lines.push(Line::from(Span::styled(line.to_string(), if is_key { t.highlight() } else { t.text() })));
        }
    } else {
        lines.push(Line::from(Span::styled(app.t("detail.reading"), t.dim())));
    }

    scrolled(app, block, lines, area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn long_lines_hang_beside_their_label() {
        let lines = hanging(Span::raw("Label  "), &[("one two three four", Style::new())], 7, 20);
        assert_eq!(texts(&lines), vec!["Label  one two three", "       four"]);
        for l in &lines {
            assert!(l.width() <= 20);
        }
    }

    #[test]
    fn words_wider_than_a_line_are_cut_and_narrow_panes_do_not_hang() {
        let lines = hanging(Span::raw("L "), &[("abcdefghijklmnop", Style::new())], 2, 8);
        assert!(lines.iter().all(|l| l.width() <= 8), "{:?}", texts(&lines));
        assert_eq!(texts(&lines).concat(), "L abcdefghijklmnop");
        // A pane narrower than the label: nothing is lost, nothing overhangs.
        for width in 1..12 {
            let lines = hanging(Span::raw("Recipient  "), &[("a@b.example c", Style::new())], 11, width);
            assert!(lines.iter().all(|l| l.width() <= width.max(11)), "{width}: {:?}", texts(&lines));
            assert!(texts(&lines).concat().replace(' ', "").contains("a@b.examplec"), "{width}: {:?}", texts(&lines));
        }
    }
}
