//! The overview: charts of the visible rows (the same counts as a report of them). Category
//! bars can be selected; Enter filters the list to the chosen one.

use super::Context;
use super::Reply;
use crate::report::Summary;
use crate::tui::action::Action;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Sparkline, Widget};

#[derive(Debug, PartialEq)]
pub struct Overview {
    /// The category bar under the cursor.
    pub cursor: usize,
    /// The counts, computed when the overview opens and again whenever the rows change, not on
    /// every frame.
    pub summary: Box<Summary>,
}

impl Overview {
    pub fn new(summary: Summary) -> Overview {
        Overview { cursor: 0, summary: Box::new(summary) }
    }

    /// Move over the category bars; Enter shows only the chosen category.
    pub fn update(mut self, action: Action) -> Reply<Overview> {
        let n = self.summary.by_reason.len();
        match action {
            Action::Down | Action::ScrollDown => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::Up | Action::ScrollUp => self.cursor = self.cursor.saturating_sub(1),
            Action::Confirm | Action::Toggle => {
                return match self.summary.by_reason.get(self.cursor) {
                    Some((reason, _)) => Reply::Filter([reason.clone()].into()),
                    None => Reply::Close,
                };
            }
            Action::Back => return Reply::Close,
            Action::Quit => return Reply::Quit,
            _ => {}
        }
        Reply::Open(self)
    }

    pub fn render(&self, cx: &Context, area: Rect, buf: &mut Buffer) {
        render(cx, self.cursor, &self.summary, area, buf);
    }
}

/// A bar of `n` out of `max` in `width` cells, with eighth-cell resolution.
fn bar(n: usize, max: usize, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = if max == 0 { 0 } else { (n * width * 8).div_ceil(max) };
    let mut s = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        s.push(PARTS[eighths % 8]);
    }
    s
}

/// "label  count" lines for a top-N table.
fn top_lines<'a>(
    cx: &Context,
    title: &'static str,
    items: &[(String, usize)],
    n: usize,
    width: usize,
) -> Vec<Line<'a>> {
    let t = &cx.theme;
    let mut lines = vec![Line::from(Span::styled(title, t.accent()))];
    for (k, c) in items.iter().take(n) {
        let label = crate::sanitize::fit(crate::report::item_name(k, cx.lang), width.saturating_sub(8));
        lines.push(Line::from(vec![Span::styled(label, t.text()), Span::styled(format!(" {c:>6}"), t.header())]));
    }
    lines
}

/// A whole split into parts: one stacked bar of `width` cells, then a legend with the counts.
fn split_line<'a>(parts: &[(String, usize, Style)], width: usize) -> Line<'a> {
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut spans: Vec<Span> = parts
        .iter()
        .map(|(_, n, style)| {
            Span::styled("█".repeat(if total == 0 { 0 } else { (n * width).div_ceil(total).min(width) }), *style)
        })
        .collect();
    spans.extend(parts.iter().map(|(label, n, style)| Span::styled(format!("  {label} {n}"), *style)));
    Line::from(spans)
}

fn render(cx: &Context, cursor: usize, s: &Summary, area: Rect, buf: &mut Buffer) {
    let t = &cx.theme;
    let rect = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.accent())
        .title(Span::styled(cx.f("overview.title", &[("view", cx.view.title(cx.lang))]), t.header()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.width < 20 || inner.height < 6 {
        return;
    }
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(inner);
    let verdict_name = |v: &str| {
        crate::bounce::Verdict::parse(v)
            .map(|v| cx.rules.verdict_info(v).name(cx.lang).to_string())
            .unwrap_or_else(|| v.to_string())
    };
    let verdicts: Vec<(String, usize, Style)> =
        s.by_verdict.iter().map(|(v, n)| (verdict_name(v), *n, t.verdict(v))).collect();
    let head_lines = vec![
        Line::from(vec![
            Span::styled(
                cx.f("overview.counts", &[("rows", &s.rows.to_string()), ("messages", &s.messages.to_string())]),
                t.header(),
            ),
            Span::styled(
                cx.f("overview.hard_soft", &[("hard", &s.hard.to_string()), ("soft", &s.soft.to_string())]),
                t.text(),
            ),
        ]),
        split_line(&verdicts, 24),
    ];
    Paragraph::new(head_lines).render(head, buf);

    let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    // Categories: selectable bars.
    let max = s.by_reason.first().map(|x| x.1).unwrap_or(0);
    let label_w = 26usize;
    let bar_w = (left.width as usize).saturating_sub(label_w + 9).max(4);
    let mut lines = vec![Line::from(Span::styled(cx.t("overview.by_category"), t.accent()))];
    let visible = (left.height as usize).saturating_sub(1);
    let first = cursor.saturating_sub(visible.saturating_sub(1));
    for (i, (reason, n)) in s.by_reason.iter().enumerate().skip(first).take(visible) {
        let info = cx.rules.info(reason);
        let selected = i == cursor;
        let label_style = if selected { t.selected() } else { t.text() };
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{} ",
                    if selected { "›" } else { " " },
                    crate::sanitize::fit(info.name(cx.lang), label_w - 2)
                ),
                label_style,
            ),
            Span::styled(format!("{:<bar_w$}", bar(*n, max, bar_w)), t.role(&info.role)),
            Span::styled(format!(" {n:>6}"), t.header()),
        ]));
    }
    Paragraph::new(lines).render(left, buf);

    // Per day (all, then backscatter on the same scale so a spike stands out), then top lists.
    let [days_area, lists] = Layout::vertical([Constraint::Length(7), Constraint::Min(2)]).areas(right);
    if !s.by_day.is_empty() {
        let w = days_area.width as usize;
        // The latest days that fit, each as wide as the space allows.
        let days = &s.by_day[s.by_day.len().saturating_sub(w)..];
        let per = (w / days.len()).clamp(1, 8);
        let widen = |f: fn(&crate::report::Day) -> usize| {
            days.iter().flat_map(|d| std::iter::repeat_n(f(d) as u64, per)).collect::<Vec<_>>()
        };
        let max = days.iter().map(|d| d.rows as u64).max().unwrap_or(1);
        let [title, all, back, range] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Length(2),
            Constraint::Length(1),
        ])
        .areas(days_area);
        Paragraph::new(Line::from(vec![
            Span::styled(cx.t("overview.per_day"), t.accent()),
            Span::styled(cx.t("overview.per_day_note"), t.dim()),
        ]))
        .render(title, buf);
        Sparkline::default().data(widen(|d| d.rows)).max(max).style(t.header()).render(all, buf);
        Sparkline::default().data(widen(|d| d.backscatter)).max(max).style(t.verdict("backscatter")).render(back, buf);
        let mut span = format!("{} … {}", days[0].date, days[days.len() - 1].date);
        // Days that do not fit are said to be left out, not dropped unseen.
        let left_out = s.by_day.len() - days.len();
        if left_out > 0 || s.earlier > 0 {
            let rows: usize = s.by_day[..left_out].iter().map(|d| d.rows).sum::<usize>() + s.earlier;
            span.push_str(&cx.f("overview.left_out", &[("n", &rows.to_string())]));
        }
        Paragraph::new(Line::from(Span::styled(span, t.dim()))).render(range, buf);
    }
    let [domains, mtas] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lists);
    let n = lists.height.saturating_sub(1) as usize;
    Paragraph::new(top_lines(cx, cx.t("overview.top_domains"), &s.by_domain, n, domains.width as usize))
        .render(domains, buf);
    Paragraph::new(top_lines(cx, cx.t("overview.top_servers"), &s.by_mta, n, mtas.width as usize)).render(mtas, buf);
}
