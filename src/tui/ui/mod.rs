//! Rendering: `impl Widget for &App` reads the state and never changes it. One renderer per pane.

mod detail;
mod list;

use super::action::View;
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
            let [l, d] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
            (l, d)
        } else {
            let [l, d] = Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
            (l, d)
        };
        list::render(self, list_area, buf);
        self.detail_area.set(detail_area);
        detail::render(self, detail_area, buf);
        render_status(self, status, buf);
        if let Some(overlay) = &self.overlay {
            overlay.render(&self.popup_context(), area, buf);
        }
    }
}

fn thousands(n: usize) -> String {
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
    let short = area.width < 120;
    let mut spans = Vec::new();
    // Where each tab is drawn, for clicks.
    let mut at = [(0u16, 0u16); View::ALL.len()];
    let mut x = area.x;
    for (i, v) in View::ALL.iter().enumerate() {
        let title = if short { app.t(&format!("view.{}_short", v.name())) } else { v.title(app.lang) };
        let label = format!(" {}:{} {} ", i + 1, title, thousands(app.view_count(*v)));
        let width = Span::raw(label.as_str()).width() as u16;
        at[i] = (x, x.saturating_add(width));
        x = x.saturating_add(width + 1);
        let style = if *v == app.view { t.selected() } else { t.text() };
        spans.push(Span::styled(label, style));
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
    let mut filters = vec![app.t(&format!("view.{}_short", app.view.name())).to_string()];
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
    let state = format!("{} ", filters.join("·"));
    // Key hints in keymap order; when the line is too narrow, hints are dropped from the middle
    // so that the first ones and the last two (help, quit) stay visible.
    let mut hints: Vec<(&str, &str)> =
        super::keymap::status_hints().into_iter().map(|(k, h)| (k, app.t(&format!("hint.{h}")))).collect();
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
