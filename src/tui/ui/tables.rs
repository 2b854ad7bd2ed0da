//! The recipient and block-list views: the table in the list's place, and the selected row's
//! account in the detail pane (its history and suppression state; the list's page and what to
//! do about it). Every value shown came from mail: it is fitted or wrapped, never sent raw.

use super::super::action::Table;
use super::super::app::App;
use super::detail::{frame, hanging, scrolled};
use crate::blocklist::Listing;
use crate::history::{History, SENDER_REASONS, State};
use crate::sanitize::fit;
use crate::tui::tables::{SOFT_DAYS, Tables};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

/// A day, or blanks of its width when unknown.
fn day(ts: i64) -> String {
    if ts == 0 { " ".repeat(10) } else { crate::dates::day(ts) }
}

/// `text` in exactly `width` cells, aligned to the right (`right`) or the left.
fn cell(text: &str, width: usize, right: bool) -> String {
    let fitted = fit(text, width);
    if !right {
        return fitted;
    }
    let text = fitted.trim_end();
    format!("{}{text}", " ".repeat(width.saturating_sub(Span::raw(text).width())))
}

/// The state word of a failed address (the Sent folder decides between the two; without one it
/// is unknown).
fn state_key(tables: &Tables, h: &History) -> &'static str {
    match h.state {
        State::SentAgain => "sent_again",
        State::Bouncing if tables.sent_to.is_none() => "no_sent",
        State::Bouncing => "bouncing",
    }
}

pub fn render_list(app: &App, table: Table, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let tables = &app.tables;
    let n = super::thousands(tables.shown.len());
    let title = format!(
        " {} · {} ",
        app.t(&format!("view.{}", table.name())),
        app.f(&format!("table.{}_title", table.name()), &[("n", &n)])
    );
    let mut block = Block::default()
        .borders(Borders::TOP)
        .border_style(if app.detail_focus { t.border() } else { t.accent() })
        .title(Span::styled(title.clone(), t.header()));
    let legend = format!(" {} ", app.t(&format!("table.legend_{}", table.name())));
    if area.width as usize >= Span::raw(legend.as_str()).width() + Span::raw(title.as_str()).width() + 6 {
        block = block.title_top(Line::from(Span::styled(legend, t.dim())).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    app.list_area.set(inner);
    if tables.shown.is_empty() {
        let msg = if !app.search.is_empty() && tables.len(table) > 0 {
            app.f("table.no_match", &[("search", &app.search)])
        } else if !app.progress.done {
            app.t("list.scanning").to_string()
        } else {
            app.t(&format!("table.empty_{}", table.name())).to_string()
        };
        Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }).render(inner, buf);
        return;
    }
    // The first line is the columns' header; the rest scroll with the selection.
    let height = (inner.height as usize).saturating_sub(1);
    let mut offset = tables.offset.get();
    if tables.selected < offset {
        offset = tables.selected;
    } else if height > 0 && tables.selected >= offset + height {
        offset = tables.selected + 1 - height;
    }
    // No empty space below the last row while rows above are out of sight.
    offset = offset.min(tables.shown.len().saturating_sub(height));
    tables.offset.set(offset);
    let w = inner.width as usize;
    let (header, rows) = match table {
        Table::Recipients => recipient_lines(app, w, offset, height),
        Table::Blocklists => listing_lines(app, w, offset, height),
    };
    let mut lines = vec![Line::from(Span::styled(header, t.dim().add_modifier(Modifier::UNDERLINED)))];
    for (i, cells) in rows.into_iter().enumerate() {
        let selected = offset + i == tables.selected;
        let spans =
            cells.into_iter().map(|(text, style)| Span::styled(text, if selected { t.selected() } else { style }));
        lines.push(Line::from(spans.collect::<Vec<_>>()));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// Columns of the recipient table: mark, address, bounces, hard, (first,) last, reason, state.
/// A table row: its cells, each with its style.
type Cells = Vec<(String, Style)>;

fn recipient_lines(app: &App, w: usize, offset: usize, height: usize) -> (String, Vec<Cells>) {
    let t = &app.theme;
    let tables = &app.tables;
    let wide = w >= 100;
    let state_w = ["bouncing", "sent_again", "no_sent"]
        .iter()
        .map(|k| Span::raw(app.t(&format!("table.{k}"))).width())
        .max()
        .unwrap_or(12);
    let badge_w = Span::raw(app.t("table.reason")).width().max(6);
    let fixed = 2 + 1 + 7 + 1 + 5 + 1 + 10 + 1 + badge_w + 1 + state_w + if wide { 11 } else { 0 };
    let addr_w = w.saturating_sub(fixed).clamp(16, 48);
    let col = |k: &str| app.t(&format!("table.{k}"));
    let mut header = format!(
        "  {} {} {}",
        cell(col("address"), addr_w, false),
        cell(col("bounces"), 7, true),
        cell(col("hard"), 5, true)
    );
    if wide {
        header.push_str(&format!(" {}", cell(col("first"), 10, false)));
    }
    header.push_str(&format!(
        " {} {} {}",
        cell(col("last"), 10, false),
        cell(col("reason"), badge_w, false),
        col("state")
    ));
    let rows = tables.shown.iter().skip(offset).take(height).map(|&i| {
        let h = &tables.recipients[i];
        let info = app.rules.info(&h.reason);
        let mark = if Tables::suppressed(h).is_some() { "✗ " } else { "  " };
        let mut cells = vec![
            (mark.to_string(), t.warning()),
            (format!("{} ", cell(&h.address, addr_w, false)), t.text()),
            (format!("{} {} ", cell(&h.bounces.to_string(), 7, true), cell(&h.hard.to_string(), 5, true)), t.text()),
        ];
        if wide {
            cells.push((format!("{} ", day(h.first)), t.dim()));
        }
        cells.push((format!("{} ", day(h.last)), t.dim()));
        cells.push((format!("{} ", cell(info.badge(app.lang), badge_w, false)), t.role(&info.role)));
        let state = state_key(tables, h);
        cells
            .push((app.t(&format!("table.{state}")).to_string(), if state == "bouncing" { t.text() } else { t.dim() }));
        cells
    });
    (header, rows.collect())
}

/// Columns of the block-list table: list, listed, bounces, (first,) last, the last diagnostic.
fn listing_lines(app: &App, w: usize, offset: usize, height: usize) -> (String, Vec<Cells>) {
    let t = &app.theme;
    let tables = &app.tables;
    let wide = w >= 100;
    let (list_w, listed_w) = if wide {
        (30, 22)
    } else if w >= 80 {
        (26, 16)
    } else {
        (22, 16)
    };
    let col = |k: &str| app.t(&format!("table.{k}"));
    // First and last seen are what a delisting request asks about: both always shown.
    let header = format!(
        "{} {} {} {} {} {}",
        cell(col("list"), list_w, false),
        cell(col("listed"), listed_w, false),
        cell(col("bounces"), 7, true),
        cell(col("first"), 10, false),
        cell(col("last"), 10, false),
        col("diagnostic")
    );
    let used = list_w + 1 + listed_w + 1 + 7 + 1 + 11 + 11;
    let rows = tables.shown.iter().skip(offset).take(height).map(|&i| {
        let l = &tables.listings[i];
        let listed = if l.listed.is_empty() { app.t("table.not_named") } else { l.listed.as_str() };
        let mut cells = vec![
            (format!("{} ", cell(&l.list.name, list_w, false)), t.warning()),
            (format!("{} ", cell(listed, listed_w, false)), t.header()),
            (format!("{} ", cell(&l.bounces.to_string(), 7, true)), t.text()),
        ];
        cells.push((format!("{} {} ", day(l.first), day(l.last)), t.dim()));
        if w > used {
            cells.push((fit(&l.diagnostic, w - used), t.dim()));
        }
        cells
    });
    (header, rows.collect())
}

pub fn render_detail(app: &App, area: Rect, buf: &mut Buffer) {
    let block = frame(app, area);
    let width = block.inner(area).width as usize;
    let lines = match (app.tables.selected_recipient(), app.tables.selected_listing()) {
        (Some(h), _) => recipient_detail(app, h, width),
        (_, Some(l)) => listing_detail(app, l, width),
        _ => Vec::new(),
    };
    scrolled(app, block, lines, area, buf);
}

/// Labels padded to one width, and a wrapper that hangs text beside them.
struct Labels<'a> {
    app: &'a App,
    width: usize,
    label_w: usize,
}

impl Labels<'_> {
    fn new<'a>(app: &'a App, keys: &[&str], width: usize) -> Labels<'a> {
        let label_w = keys.iter().map(|k| Span::raw(app.t(k)).width()).max().unwrap_or(10) + 1;
        Labels { app, width, label_w }
    }

    fn line(&self, key: &str, segments: &[(&str, Style)]) -> Vec<Line<'static>> {
        let text = self.app.t(key);
        let lead = Span::styled(
            format!("{text}{}", " ".repeat(self.label_w.saturating_sub(Span::raw(text).width()))),
            self.app.theme.dim(),
        );
        hanging(lead, segments, self.label_w, self.width)
    }

    fn plain(&self, segments: &[(&str, Style)]) -> Vec<Line<'static>> {
        hanging(Span::raw(""), segments, 0, self.width)
    }
}

fn recipient_detail(app: &App, h: &History, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let l = Labels::new(
        app,
        &["table.bounces_label", "table.last_label", "table.state_label", "table.suppression_label"],
        width,
    );
    let info = app.rules.info(&h.reason);
    let texts = info.texts(app.lang);
    let mut lines = l.plain(&[(&h.address, t.header().add_modifier(Modifier::BOLD))]);
    let counts = app.f(
        "table.counts",
        &[
            ("n", &h.bounces.to_string()),
            ("hard", &h.hard.to_string()),
            ("first", &day(h.first)),
            ("last", &day(h.last)),
        ],
    );
    lines.extend(l.line("table.bounces_label", &[(&counts, t.text())]));
    let badge = format!(" {} ", info.badge(app.lang));
    let name = format!(
        " {}{}",
        info.name(app.lang),
        if h.status.is_empty() { String::new() } else { format!(" · {}", h.status) }
    );
    lines.extend(l.line(
        "table.last_label",
        &[(&badge, t.role(&info.role).add_modifier(Modifier::REVERSED)), (&name, t.role(&info.role))],
    ));
    let state = app.t(&format!("table.{}_long", state_key(&app.tables, h)));
    lines.extend(l.line("table.state_label", &[(state, t.text())]));
    let suppression = match Tables::suppressed(h) {
        Some(reason) => (app.f("table.suppressed", &[("reason", app.rules.info(&reason).name(app.lang))]), t.warning()),
        None if h.state == State::SentAgain => (app.t("table.kept_sent_again").to_string(), t.text()),
        None if h.got_through() > 0 => (app.f("table.kept_got_through", &[("date", &day(h.got_through()))]), t.text()),
        None if SENDER_REASONS.contains(&h.reason.as_str()) => {
            (app.f("table.kept_sender", &[("reason", info.name(app.lang))]), t.text())
        }
        None => (app.f("table.kept_soft", &[("days", &SOFT_DAYS.to_string())]), t.text()),
    };
    lines.extend(l.line("table.suppression_label", &[(&suppression.0, suppression.1)]));
    lines.push(Line::default());
    lines.extend(l.plain(&[(&texts.explanation, t.text())]));
    lines.extend(l.plain(&[(app.t("detail.what_to_do"), t.accent()), (&texts.remedy, t.text())]));
    lines.push(Line::default());
    lines.extend(l.plain(&[(&app.f("table.enter_recipient", &[("n", &h.bounces.to_string())]), t.dim())]));
    lines
}

fn listing_detail(app: &App, listing: &Listing, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let l = Labels::new(
        app,
        &["table.listed_label", "table.bounces_label", "table.page_label", "detail.diagnostic"],
        width,
    );
    let mut lines = l.plain(&[(&listing.list.name, t.header().add_modifier(Modifier::BOLD))]);
    let listed = if listing.listed.is_empty() { app.t("table.not_named") } else { listing.listed.as_str() };
    lines.extend(l.line("table.listed_label", &[(listed, t.header())]));
    let counts = app.f(
        "table.listing_counts",
        &[
            ("n", &listing.bounces.to_string()),
            ("r", &listing.recipients.to_string()),
            ("first", &day(listing.first)),
            ("last", &day(listing.last)),
        ],
    );
    lines.extend(l.line("table.bounces_label", &[(&counts, t.text())]));
    lines.extend(l.line("table.page_label", &[(&listing.list.page(&listing.listed), t.accent())]));
    if !listing.diagnostic.is_empty() {
        lines.extend(l.line("detail.diagnostic", &[(&listing.diagnostic, t.highlight())]));
    }
    lines.push(Line::default());
    lines.extend(l.plain(&[(app.t("detail.what_to_do"), t.accent()), (listing.list.advice(app.lang), t.text())]));
    lines.push(Line::default());
    // Enter lists one row per refused recipient.
    lines.extend(l.plain(&[(&app.f("table.enter_listing", &[("n", &listing.recipients.to_string())]), t.dim())]));
    lines
}
