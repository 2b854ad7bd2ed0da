//! HTML: one self-contained page (no scripts, fonts or network) that reads on a phone: the
//! filter, the overview as inline SVG charts, then the table with the key diagnostic lines,
//! explanations, remedies and verdict evidence.

use super::{summarize, Context, Row, Summary};
use crate::sanitize::html as esc;
use std::fmt::Write as _;
use std::io::{self, Write};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:72rem;color:#1d1d1f;background:#fff;line-height:1.4}\
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ddd}\
.meta{color:#555}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}\
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}svg{width:100%;height:auto;font-size:11px}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #e3e3e3;padding:.35rem;text-align:left;vertical-align:top}\
th{background:#f5f5f7}td.n{text-align:right;font-variant-numeric:tabular-nums}\
mark{font-family:ui-monospace,Menlo,Consolas,monospace;background:#fff3b0;color:#1d1d1f;padding:0 .2rem;overflow-wrap:anywhere}\
.hard{color:#b00020;font-weight:600}.soft{color:#8a5a00;font-weight:600}.small{color:#555;font-size:.82rem}\
.v-real{color:#b00020}.v-backscatter{color:#6b4fbb}.v-abuse{color:#c45500;font-weight:700}.v-undetermined{color:#555}\
@media(max-width:700px){table.rows thead{display:none}table.rows tr{display:block;border-bottom:2px solid #ccc;padding:.4rem 0}\
table.rows td{display:block;border:0;padding:.1rem 0}}";

/// Colours of the verdicts in charts (the same meaning as in the TUI).
fn verdict_colour(v: &str) -> &'static str {
    match v {
        "real" => "#d62728",
        "backscatter" => "#6b4fbb",
        "abuse" => "#ff7f0e",
        _ => "#8c8c8c",
    }
}

/// A horizontal bar chart: one labelled bar per item.
fn bar_chart(items: &[(String, usize)], title: &str) -> String {
    let max = items.iter().map(|i| i.1).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (170.0, 220.0, 18.0);
    let height = row_h * items.len() as f64 + 4.0;
    let mut svg = format!("<svg viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"{}\">", label_w + bar_w + 50.0, esc(title));
    for (i, (label, n)) in items.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (*n as f64 / max as f64 * bar_w).max(1.0);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#4a7bd0\"><title>{}: {n}</title></rect><text x=\"{}\" y=\"{}\">{n}</text>",
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

/// Bounces per day, backscatter stacked on top in its own colour so that a spike stands out.
fn timeline(s: &Summary) -> String {
    let days = &s.by_day;
    let max = days.iter().map(|d| d.rows).max().unwrap_or(1).max(1);
    let (w, h, left, bottom) = (440.0, 120.0, 28.0, 18.0);
    let step = (w - left) / days.len().max(1) as f64;
    let mut svg = format!("<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"bounces per day\">", h + bottom);
    let _ = write!(svg, "<text x=\"0\" y=\"10\">{max}</text><text x=\"0\" y=\"{h}\">0</text><line x1=\"{left}\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\" stroke=\"#999\"/>");
    for (i, d) in days.iter().enumerate() {
        let x = left + i as f64 * step;
        let total_h = d.rows as f64 / max as f64 * (h - 4.0);
        let back_h = d.backscatter as f64 / max as f64 * (h - 4.0);
        let bw = (step * 0.85).max(0.5);
        let _ = write!(
            svg,
            "<g><title>{}: {} bounces, {} backscatter</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"#4a7bd0\"/><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{back_h:.1}\" fill=\"{}\"/></g>",
            d.date,
            d.rows,
            d.backscatter,
            h - total_h,
            total_h - back_h,
            h - total_h,
            verdict_colour("backscatter")
        );
    }
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let _ = write!(svg, "<text x=\"{left}\" y=\"{}\">{}</text><text x=\"{w}\" y=\"{}\" text-anchor=\"end\">{}</text>", h + 14.0, first.date, h + 14.0, last.date);
    }
    svg.push_str("</svg>");
    svg
}

/// A single stacked bar with a legend: how a whole splits into parts.
fn split_bar(parts: &[(String, usize, &str)], title: &str) -> String {
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut svg = format!("<svg viewBox=\"0 0 440 {}\" role=\"img\" aria-label=\"{}\">", 26 + 16 * parts.len(), esc(title));
    let mut x = 0.0;
    for (label, n, colour) in parts {
        let w = if total == 0 { 0.0 } else { *n as f64 / total as f64 * 440.0 };
        let _ = write!(svg, "<rect x=\"{x:.1}\" y=\"0\" width=\"{w:.1}\" height=\"16\" fill=\"{colour}\"><title>{}: {n}</title></rect>", esc(label));
        x += w;
    }
    for (i, (label, n, colour)) in parts.iter().enumerate() {
        let y = 22 + 16 * i;
        let pct = if total == 0 { 0.0 } else { *n as f64 * 100.0 / total as f64 };
        let _ = write!(svg, "<rect x=\"0\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"16\" y=\"{}\">{}: {n} ({pct:.0}%)</text>", y + 9, esc(label));
    }
    svg.push_str("</svg>");
    svg
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

fn top_table(items: &[(String, usize)], what: &str) -> String {
    let mut t = format!("<table><thead><tr><th>{what}</th><th>rows</th></tr></thead><tbody>");
    for (k, n) in items.iter().take(10) {
        let _ = write!(t, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", esc(k));
    }
    t.push_str("</tbody></table>");
    t
}

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let s = summarize(rows);
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">", ctx.lang.as_str())?;
    writeln!(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")?;
    writeln!(out, "<title>Bounce report: {}</title><style>{STYLE}</style></head><body>", esc(&ctx.title))?;
    writeln!(out, "<h1>Bounce report</h1><p class=\"meta\">{}<br>Filter: {}<br>{} rows from {} messages: {} hard, {} soft.<br>{}</p>", esc(&ctx.title), esc(&ctx.filter.describe()), s.rows, s.messages, s.hard, s.soft, esc(&ctx.summary))?;

    writeln!(out, "<h2>Overview</h2><div class=\"grid\">")?;
    let categories: Vec<(String, usize)> = s.by_reason.iter().map(|(r, n)| (ctx.rules.info(r).display.clone(), *n)).collect();
    writeln!(out, "<figure><figcaption>By category</figcaption>{}</figure>", bar_chart(&categories, "rows by category"))?;
    if !s.by_day.is_empty() {
        let undated = if s.undated > 0 { format!("<div class=\"small\">{} rows without a date are not shown.</div>", s.undated) } else { String::new() };
        writeln!(out, "<figure><figcaption>Per day <span class=\"small\">(blue: all, violet: backscatter)</span></figcaption>{}{undated}</figure>", timeline(&s))?;
    }
    if !s.by_verdict.is_empty() {
        let parts: Vec<(String, usize, &str)> = s.by_verdict.iter().map(|(v, n)| (v.clone(), *n, verdict_colour(v))).collect();
        writeln!(out, "<figure><figcaption>Verdicts</figcaption>{}</figure>", split_bar(&parts, "verdicts"))?;
    }
    if s.hard + s.soft > 0 {
        let parts = [("hard".to_string(), s.hard, "#b00020"), ("soft".to_string(), s.soft, "#e0a800")];
        writeln!(out, "<figure><figcaption>Hard and soft</figcaption>{}</figure>", split_bar(&parts, "hard and soft"))?;
    }
    writeln!(out, "<figure><figcaption>Top recipient domains</figcaption>{}</figure>", top_table(&s.by_domain, "domain"))?;
    writeln!(out, "<figure><figcaption>Top reporting servers</figcaption>{}</figure>", top_table(&s.by_mta, "server"))?;
    writeln!(out, "</div>")?;

    writeln!(out, "<h2>Bounces</h2><table class=\"rows\"><thead><tr><th>recipient</th><th>category</th><th>verdict</th><th>key diagnostic line, explanation and remedy</th></tr></thead><tbody>")?;
    for row in rows {
        let r = row.recipient;
        let info = ctx.rules.info(&r.reason);
        let texts = info.texts(ctx.lang);
        let evidence: Vec<String> = row.bounce.evidence.iter().map(|e| esc(&e.text)).collect();
        let severity = if row.bounce.kind != crate::bounce::Kind::Bounce { "" } else { super::severity(r) };
        let class = if severity == "hard" { "hard" } else { "soft" };
        writeln!(
            out,
            "<tr><td>{}<div class=\"small\">{} #{} · {}</div></td><td>{}<div class=\"small\"><span class=\"{class}\">{severity}</span> {} {}</div></td><td class=\"v-{}\">{}<div class=\"small\">{}</div></td><td><mark>{}</mark><div class=\"small\">{}<br><b>What to do:</b> {}</div></td></tr>",
            esc(&r.address),
            esc(&row.bounce.source),
            row.index,
            esc(&crate::dates::day(row.bounce.date)),
            esc(&info.display),
            esc(&r.status),
            esc(&r.reply_code),
            row.verdict(),
            esc(row.verdict()),
            evidence.join("<br>"),
            esc(&r.diagnostic),
            esc(&texts.explanation),
            esc(&texts.remedy)
        )?;
    }
    writeln!(out, "</tbody></table><p class=\"small\">Written by bouncescope {}.</p></body></html>", env!("CARGO_PKG_VERSION"))
}
