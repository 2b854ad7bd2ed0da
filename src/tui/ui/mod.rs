//! Rendering: `impl Widget for &App` reads the state and never changes it. One renderer per pane.

mod detail;
mod list;
mod tables;

use super::action::{TABS, Table, View};
use super::app::App;
use crate::bounce::Verdict;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Width from which the list and the detail pane sit side by side.
const SIDE_BY_SIDE: u16 = 120;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let [header, tabs, body, status] =
            Layout::vertical([Constraint::Length(2), Constraint::Length(1), Constraint::Min(4), Constraint::Length(1)])
                .areas(area);
        render_header(self, header, buf);
        render_tabs(self, tabs, buf);
        let (list_area, detail_area) = if area.width >= SIDE_BY_SIDE {
            // A table's rows are wider than the bounce list's, its account of a row shorter.
            let list = if self.tables.open.is_some() { 60 } else { 45 };
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(list), Constraint::Percentage(100 - list)]).areas(body);
            (l, d)
        } else {
            let [l, d] = Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
            (l, d)
        };
        self.detail_area.set(detail_area);
        match self.tables.open {
            Some(table) => {
                tables::render_list(self, table, list_area, buf);
                tables::render_detail(self, detail_area, buf);
            }
            None => {
                list::render(self, list_area, buf);
                detail::render(self, detail_area, buf);
            }
        }
        render_status(self, status, buf);
        if let Some(overlay) = &self.overlay {
            overlay.render(&self.popup_context(), area, buf);
        }
    }
}

pub(super) fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` after the list's one-letter mark for `verdict` ("R 12 real").
fn marked(app: &App, verdict: &str, text: String) -> String {
    format!("{} {text}", app.t(&format!("list.mark_{verdict}")))
}

fn render_header(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let mut first = vec![
        Span::styled("bouncescope", t.accent()),
        Span::styled(" · ", t.dim()),
        Span::styled(app.shown_title(), t.header()),
    ];
    if app.is_demo() {
        first.push(Span::styled(format!("  {}", app.t("app.demo")), t.warning()));
    }
    let p = &app.progress;
    let found = app.bounces.len();
    let progress = if p.done {
        app.f("app.scanned", &[("n", &thousands(p.scanned))])
    } else if p.files > 0 {
        // Files are messages in a Maildir; an mbox holds many, so the share is a lower bound.
        let pct = (p.scanned * 100 / p.files.max(1)).min(99);
        let bar_w = 12;
        let filled = pct * bar_w / 100;
        let text = app.f(
            "app.scanning",
            &[("pct", &pct.to_string()), ("scanned", &thousands(p.scanned)), ("found", &thousands(found))],
        );
        format!("{}{} {text}", "█".repeat(filled), "░".repeat(bar_w - filled))
    } else {
        app.t("app.opening").to_string()
    };
    let unreadable =
        if p.unreadable > 0 { app.f("app.unreadable", &[("n", &thousands(p.unreadable))]) } else { String::new() };
    let right = format!("{progress}{unreadable}");
    let n = |v: View| thousands(app.view_count(v));
    // Bounce messages and the recipients in them: every count after the colon is of recipients,
    // as in the tabs, the list and the reports.
    let mut second = vec![
        Span::styled(
            format!(
                "{}, {}: ",
                app.f("app.messages", &[("n", &thousands(app.message_count()))]),
                app.f("app.recipients", &[("n", &n(View::All))])
            ),
            t.text(),
        ),
        // Each count led by the list's mark for it: the header is the marks' legend too.
        Span::styled(
            marked(app, "real", app.f("app.real", &[("n", &n(View::Real))])),
            t.verdict(Verdict::Real.as_str()),
        ),
        Span::styled(" · ", t.dim()),
        Span::styled(
            marked(app, "backscatter", app.f("app.backscatter", &[("n", &n(View::Backscatter))])),
            t.verdict(Verdict::Backscatter.as_str()),
        ),
        Span::styled(" · ", t.dim()),
        Span::styled(
            marked(app, "abuse", app.f("app.abuse", &[("n", &n(View::Abuse))])),
            t.verdict(Verdict::Abuse.as_str()),
        ),
        Span::styled("  ", t.dim()),
    ];
    for (reason, count) in app.category_counts().into_iter().take(8) {
        let info = app.rules.info(&reason);
        second.push(Span::styled(format!("{} ", info.badge(app.lang)), t.role(&info.role)));
        second.push(Span::styled(format!("{}  ", thousands(count)), t.dim()));
    }
    let [l1, r1] = Layout::horizontal([Constraint::Min(10), Constraint::Length(right.chars().count() as u16 + 1)])
        .areas(Rect { height: 1, ..area });
    Paragraph::new(Line::from(first)).render(l1, buf);
    Paragraph::new(Line::from(Span::styled(right, if p.done { t.dim() } else { t.warning() })))
        .right_aligned()
        .render(r1, buf);
    Paragraph::new(Line::from(second)).render(Rect { y: area.y + 1, height: 1, ..area }, buf);
}

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    // The bounce lists' views, then the tables (counted once built): name, count, shown now.
    let views =
        View::ALL.iter().map(|v| (v.name(), Some(app.view_count(*v)), app.tables.open.is_none() && *v == app.view));
    let tables = Table::ALL
        .iter()
        .map(|tb| (tb.name(), app.tables.is_built().then(|| app.tables.len(*tb)), app.tables.open == Some(*tb)));
    let tabs: Vec<_> = views.chain(tables).collect();
    // The widest form that fits: long names with counts, short names with counts, short names
    // with the shown tab's count alone, then without padding.
    let label = |form: usize, i: usize, (name, count, shown): (&str, Option<usize>, bool)| {
        let title = app.t(&format!("view.{name}{}", if form == 0 { "" } else { "_short" }));
        let count = count.filter(|_| form < 2 || shown).map(|n| format!(" {}", thousands(n))).unwrap_or_default();
        if form < 3 { format!(" {}:{title}{count} ", i + 1) } else { format!("{}:{title}{count}", i + 1) }
    };
    let width = |form: usize| -> usize {
        tabs.iter().enumerate().map(|(i, tab)| Span::raw(label(form, i, *tab)).width() + 1).sum()
    };
    let form = (0..3).find(|&f| width(f) <= area.width as usize).unwrap_or(3);
    let mut spans = Vec::new();
    // Where each tab is drawn, for clicks.
    let mut at = [(0u16, 0u16); TABS];
    let mut x = area.x;
    for (i, tab) in tabs.iter().enumerate() {
        let text = label(form, i, *tab);
        let w = Span::raw(text.as_str()).width() as u16;
        at[i] = (x, x.saturating_add(w));
        x = x.saturating_add(w + 1);
        spans.push(Span::styled(text, if tab.2 { t.selected() } else { t.text() }));
        spans.push(Span::styled("│", t.border()));
    }
    app.tab_spans.set((area.y, at));
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let mut spans = Vec::new();
    if app.searching {
        spans.push(Span::styled(format!("/{}", app.search), t.accent()));
        spans.push(Span::styled(format!("▏ {}", app.t("status.search")), t.dim()));
        Paragraph::new(Line::from(spans)).render(area, buf);
        return;
    }
    if let Some(n) = &app.notice {
        Paragraph::new(Line::from(Span::styled(n.clone(), t.warning()))).render(area, buf);
        return;
    }
    if let Some(table) = app.tables.open {
        let mut filters = vec![app.t(&format!("view.{}_short", table.name())).to_string()];
        if !app.search.is_empty() {
            filters.push(format!("/{}", app.search));
        }
        filters.push(app.f("status.by", &[("sort", app.t(&format!("sort.{}", app.tables.sort.name())))]));
        if app.reverse {
            filters.push(app.t("status.reversed").into());
        }
        filters.push(app.lang.as_str().to_string());
        return render_state(app, format!("{} ", filters.join("·")), area, buf);
    }
    let mut filters = match &app.pin {
        Some(pin) => vec![crate::sanitize::fit(&pin.what, 32).trim_end().to_string()],
        None => vec![app.t(&format!("view.{}_short", app.view.name())).to_string()],
    };
    if !app.categories.is_empty() {
        filters.push(app.f("status.categories", &[("n", &app.categories.len().to_string())]));
    }
    match app.hard {
        Some(true) => filters.push(app.t("status.hard").into()),
        Some(false) => filters.push(app.t("status.soft").into()),
        None => {}
    }
    if !app.search.is_empty() {
        filters.push(format!("/{}", app.search));
    }
    filters.push(app.f("status.by", &[("sort", app.t(&format!("sort.{}", app.sort.name())))]));
    if app.reverse {
        filters.push(app.t("status.reversed").into());
    }
    if app.group {
        filters.push(app.t("status.grouped").into());
    }
    filters.push(app.lang.as_str().to_string());
    render_state(app, format!("{} ", filters.join("·")), area, buf);
}

/// The status line: the state of the view, then key hints as far as there is room.
fn render_state(app: &App, state: String, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let mut spans = Vec::new();
    // Key hints in keymap order; when the line is too narrow, hints are dropped from the middle
    // so that the first ones and the last two (help, quit) stay visible.
    // A table has no categories, hard/soft filter or overview; Enter lists a row's bounces, and
    // only the recipient table is exported.
    let table = app.tables.open;
    let for_table = |h: &str| match table {
        None => true,
        Some(tb) => !matches!(h, "category" | "hard" | "overview") && (h != "export" || tb == Table::Recipients),
    };
    let mut hints: Vec<(&str, &str)> = super::keymap::status_hints()
        .into_iter()
        .filter(|(_, h)| for_table(h))
        .map(|(k, h)| (k, app.t(&format!("hint.{h}"))))
        .collect();
    if table.is_some() {
        hints.insert(0, ("Enter", app.t("hint.open")));
    }
    let width = |h: &[(&str, &str)]| {
        state.chars().count() + h.iter().map(|(k, d)| k.chars().count() + d.chars().count() + 2).sum::<usize>()
    };
    while width(&hints) > area.width as usize && hints.len() > 2 {
        hints.remove(hints.len() - 3);
    }
    spans.push(Span::styled(state, t.accent()));
    for (key, desc) in hints {
        spans.push(Span::styled(key, t.header()));
        spans.push(Span::styled(format!(" {desc} "), t.dim()));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}
