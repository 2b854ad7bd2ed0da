//! HTML: one self-contained page (no scripts, fonts or network) that reads on a phone: the
//! filter, the overview as inline SVG charts, then the table with the key diagnostic lines,
//! explanations, remedies and verdict evidence.

use super::{Context, Row, Summary, summarize};
use crate::palette::Palette;
use crate::sanitize::html as esc;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The report's colours: the `light` theme's, by the same meanings as in the TUI.
fn palette() -> &'static Palette {
    static LIGHT: std::sync::LazyLock<Palette> = std::sync::LazyLock::new(|| Palette::builtin("light"));
    &LIGHT
}

fn ui(key: &str) -> String {
    Palette::css(&palette().ui, key)
}

fn verdict_colour(v: &str) -> String {
    Palette::css(&palette().verdicts, v)
}

/// The page's style sheet, its colours from the palette.
fn style() -> String {
    let p = palette();
    let mut css = format!(
        "body{{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:72rem;color:{text};background:#fff;line-height:1.4}}\
h1{{font-size:1.5rem;margin:.2rem 0}}h2{{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid {border}}}\
.meta{{color:{dim}}}.grid{{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}}\
figure{{margin:0}}figcaption{{font-weight:600;margin-bottom:.3rem}}svg{{width:100%;height:auto;font-size:11px}}\
table{{border-collapse:collapse;width:100%;font-size:.9rem}}th,td{{border-bottom:1px solid {border};padding:.35rem;text-align:left;vertical-align:top}}\
th{{background:#f5f5f7}}td.n{{text-align:right;font-variant-numeric:tabular-nums}}\
mark{{font-family:ui-monospace,Menlo,Consolas,monospace;background:{hl_bg};color:{hl_fg};padding:0 .2rem;overflow-wrap:anywhere}}\
.hard{{color:{hard};font-weight:600}}.soft,.delayed{{color:{soft};font-weight:600}}.small{{color:{dim};font-size:.82rem}}\
@media(max-width:700px){{table.rows thead{{display:none}}table.rows tr{{display:block;border-bottom:2px solid {border};padding:.4rem 0}}\
table.rows td{{display:block;border:0;padding:.1rem 0}}}}",
        text = ui("text"),
        dim = ui("dim"),
        border = ui("border"),
        hl_bg = ui("highlight_bg"),
        hl_fg = ui("highlight_fg"),
        hard = ui("hard"),
        soft = ui("soft"),
    );
    for v in crate::palette::VERDICT_KEYS {
        let _ = write!(css, ".v-{v}{{color:{};font-weight:600}}", verdict_colour(v));
    }
    for (role, colour) in &p.roles {
        let _ = write!(css, ".r-{role}{{color:{};font-weight:600}}", colour.css());
    }
    css
}

/// A horizontal bar chart: one labelled bar per item.
fn bar_chart(items: &[(String, usize, String)], title: &str) -> String {
    let max = items.iter().map(|i| i.1).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (170.0, 220.0, 18.0);
    let height = row_h * items.len() as f64 + 4.0;
    let mut svg =
        format!("<svg viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"{}\">", label_w + bar_w + 50.0, esc(title));
    for (i, (label, n, colour)) in items.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (*n as f64 / max as f64 * bar_w).max(1.0);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"><title>{}: {n}</title></rect><text x=\"{}\" y=\"{}\">{n}</text>",
            label_w - 6.0,
            y + 12.0,
            esc(&truncate(label, 28)),
            label_w,
            row_h - 5.0,
            esc(label),
            label_w + w + 4.0,
            y + 12.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Bounces per day: the rest from the axis up, backscatter stacked on top of it in its own
/// colour, so that a spike stands out.
fn timeline(s: &Summary, lang: crate::i18n::Lang) -> String {
    let days = &s.by_day;
    let max = days.iter().map(|d| d.rows).max().unwrap_or(1).max(1);
    let (w, h, left, bottom) = (440.0, 120.0, 28.0, 18.0);
    let step = (w - left) / days.len().max(1) as f64;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}\">",
        h + bottom,
        esc(crate::i18n::t(lang, "report.per_day"))
    );
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"10\">{max}</text><text x=\"0\" y=\"{h}\">0</text><line x1=\"{left}\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\" stroke=\"#999\"/>"
    );
    for (i, d) in days.iter().enumerate() {
        let x = left + i as f64 * step;
        let total_h = d.rows as f64 / max as f64 * (h - 4.0);
        let back_h = d.backscatter as f64 / max as f64 * (h - 4.0);
        let bw = (step * 0.85).max(0.5);
        let tip = crate::i18n::f(
            lang,
            "report.day_tooltip",
            &[("date", &d.date), ("rows", &d.rows.to_string()), ("backscatter", &d.backscatter.to_string())],
        );
        let _ = write!(
            svg,
            "<g><title>{}</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"/><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{back_h:.1}\" fill=\"{}\"/></g>",
            esc(&tip),
            h - total_h + back_h,
            total_h - back_h,
            ui("accent"),
            h - total_h,
            verdict_colour("backscatter")
        );
    }
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{}\">{}</text><text x=\"{w}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            h + 14.0,
            first.date,
            h + 14.0,
            last.date
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A single stacked bar with a legend: how a whole splits into parts.
fn split_bar(parts: &[(String, usize, String)], title: &str) -> String {
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut svg =
        format!("<svg viewBox=\"0 0 440 {}\" role=\"img\" aria-label=\"{}\">", 26 + 16 * parts.len(), esc(title));
    let mut x = 0.0;
    for (label, n, colour) in parts {
        let w = if total == 0 { 0.0 } else { *n as f64 / total as f64 * 440.0 };
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"0\" width=\"{w:.1}\" height=\"16\" fill=\"{colour}\"><title>{}: {n}</title></rect>",
            esc(label)
        );
        x += w;
    }
    for (i, (label, n, colour)) in parts.iter().enumerate() {
        let y = 22 + 16 * i;
        let pct = if total == 0 { 0.0 } else { *n as f64 * 100.0 / total as f64 };
        let _ = write!(
            svg,
            "<rect x=\"0\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"16\" y=\"{}\">{}: {n} ({pct:.0}%)</text>",
            y + 9,
            esc(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One chart or table of the overview, under its caption.
fn figure(out: &mut dyn Write, caption: &str, body: &str) -> io::Result<()> {
    writeln!(out, "<figure><figcaption>{}</figcaption>{body}</figure>", esc(caption))
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

fn top_table(items: &[(String, usize)], what: &str, count: &str, lang: crate::i18n::Lang) -> String {
    let mut t = format!("<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>", esc(what), esc(count));
    for (k, n) in items.iter().take(10) {
        let _ = write!(t, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", esc(super::item_name(k, lang)));
    }
    t.push_str("</tbody></table>");
    t
}

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let s = summarize(rows);
    head(out, ctx, &s)?;
    for row in rows {
        self::row(out, ctx, row)?;
    }
    tail(out, ctx)
}

/// Everything before the rows: the summary `s` of them as charts, and the table's heading.
pub fn head(out: &mut dyn Write, ctx: &Context<'_>, s: &Summary) -> io::Result<()> {
    let lang = ctx.lang;
    let t = |key: &str| crate::i18n::t(lang, key);
    let f = |key: &str, args: &[(&str, &str)]| crate::i18n::f(lang, key, args);
    let n = |x: usize| x.to_string();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
        lang.as_str()
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    )?;
    writeln!(
        out,
        "<title>{}: {}</title><style>{}</style></head><body>",
        esc(t("report.title")),
        esc(&ctx.title),
        style()
    )?;
    let counts = f(
        "report.counts",
        &[("rows", &n(s.rows)), ("messages", &n(s.messages)), ("hard", &n(s.hard)), ("soft", &n(s.soft))],
    );
    let filter = f("report.filter", &[("filter", &ctx.filter.describe(ctx.rules, lang))]);
    let generated = f("report.generated", &[("date", &crate::dates::short(ctx.generated))]);
    writeln!(
        out,
        "<h1>{}</h1><p class=\"meta\">{}<br>{}<br>{}<br>{}<br>{}</p>",
        esc(t("report.title")),
        esc(&ctx.title),
        esc(&filter),
        esc(&counts),
        esc(&ctx.summary),
        esc(&generated)
    )?;

    writeln!(out, "<h2>{}</h2><div class=\"grid\">", esc(t("report.overview")))?;
    let categories: Vec<(String, usize, String)> = s
        .by_reason
        .iter()
        .map(|(r, n)| {
            let info = ctx.rules.info(r);
            (info.name(lang).to_string(), *n, Palette::css(&palette().roles, &info.role))
        })
        .collect();
    figure(out, t("report.by_category"), &bar_chart(&categories, t("report.by_category")))?;
    if !s.by_day.is_empty() {
        let mut undated = String::new();
        if s.undated > 0 {
            undated += &format!("<div class=\"small\">{}</div>", esc(&f("report.undated", &[("n", &n(s.undated))])));
        }
        if s.earlier > 0 {
            let text = f("report.earlier", &[("n", &n(s.earlier)), ("date", &s.by_day[0].date)]);
            undated += &format!("<div class=\"small\">{}</div>", esc(&text));
        }
        writeln!(
            out,
            "<figure><figcaption>{} <span class=\"small\">{}</span></figcaption>{}{undated}</figure>",
            esc(t("report.per_day")),
            esc(t("report.per_day_note")),
            timeline(s, lang)
        )?;
    }
    if !s.by_verdict.is_empty() {
        let parts: Vec<(String, usize, String)> = s
            .by_verdict
            .iter()
            .map(|(v, n)| {
                let name = crate::bounce::Verdict::parse(v)
                    .map(|v| ctx.rules.verdict_info(v).name(lang).to_string())
                    .unwrap_or_else(|| v.clone());
                (name, *n, verdict_colour(v))
            })
            .collect();
        figure(out, t("report.verdicts"), &split_bar(&parts, t("report.verdicts")))?;
    }
    if s.hard + s.soft > 0 {
        let parts =
            [(t("report.hard").to_string(), s.hard, ui("hard")), (t("report.soft").to_string(), s.soft, ui("soft"))];
        figure(out, t("report.hard_soft"), &split_bar(&parts, t("report.hard_soft")))?;
    }
    figure(out, t("report.top_domains"), &top_table(&s.by_domain, t("report.col_domain"), t("report.col_rows"), lang))?;
    figure(out, t("report.top_servers"), &top_table(&s.by_mta, t("report.col_server"), t("report.col_rows"), lang))?;
    writeln!(out, "</div>")?;

    writeln!(
        out,
        "<h2>{}</h2><table class=\"rows\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(t("report.bounces")),
        esc(t("report.col_recipient")),
        esc(t("report.col_category")),
        esc(t("report.col_verdict")),
        esc(t("report.col_details"))
    )
}

/// One row of the table.
pub fn row(out: &mut dyn Write, ctx: &Context<'_>, row: &Row<'_>) -> io::Result<()> {
    let (lang, t) = (ctx.lang, |key: &str| crate::i18n::t(ctx.lang, key));
    {
        let r = row.recipient;
        let info = ctx.rules.info(&r.reason);
        let texts = info.texts(lang);
        let is_bounce = row.bounce.kind == crate::bounce::Kind::Bounce;
        let evidence: Vec<String> = row.bounce.evidence.iter().map(|e| esc(&e.text(lang))).collect();
        let (severity, class) = if is_bounce { (super::severity_text(r, lang), super::severity(r)) } else { ("", "") };
        let verdict = if is_bounce { ctx.rules.verdict_info(row.bounce.verdict).name(lang) } else { "" };
        writeln!(
            out,
            "<tr><td>{}<div class=\"small\">{} #{} · {}</div></td><td><span class=\"r-{}\">{}</span><div class=\"small\"><span class=\"{class}\">{}</span> {} {}</div></td><td><span class=\"v-{}\">{}</span><div class=\"small\">{}</div></td><td><mark>{}</mark><div class=\"small\">{}<br><b>{}</b> {}</div></td></tr>",
            esc(&r.address),
            esc(&row.bounce.source),
            row.index,
            esc(&crate::dates::day(row.bounce.date)),
            esc(&info.role),
            esc(info.name(lang)),
            esc(severity),
            esc(&r.status),
            esc(&r.reply_code),
            row.verdict(),
            esc(verdict),
            evidence.join("<br>"),
            esc(&r.diagnostic),
            esc(&texts.explanation),
            esc(t("report.what_to_do")),
            esc(&texts.remedy)
        )
    }
}

/// Everything after the rows.
pub fn tail(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let f = |key: &str, args: &[(&str, &str)]| crate::i18n::f(ctx.lang, key, args);
    writeln!(
        out,
        "</tbody></table><p class=\"small\">{}</p></body></html>",
        esc(&f("report.written_by", &[("version", env!("CARGO_PKG_VERSION"))]))
    )
}
