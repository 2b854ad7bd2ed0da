//! Markdown for tickets: summary, then the table.

use super::{Context, Row, Summary, summarize};
use crate::sanitize::line;
use std::io::{self, Write};

/// Escape a cell for a Markdown table.
fn cell(s: &str) -> String {
    line(s).replace('\\', "\\\\").replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;").replace('`', "\\`")
}

/// A text sparkline of per-day counts.
fn sparkline(values: &[usize]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values.iter().map(|&v| if v == 0 { ' ' } else { BARS[(v * 7).div_ceil(max).min(7)] }).collect()
}

fn counts(
    out: &mut dyn Write,
    lang: crate::i18n::Lang,
    title: &str,
    what: &str,
    count: &str,
    items: &[(String, usize)],
) -> io::Result<()> {
    writeln!(out, "\n### {title}\n\n| {what} | {count} |\n|---|---:|")?;
    for (k, n) in items.iter().take(10) {
        writeln!(out, "| {} | {n} |", cell(super::item_name(k, lang)))?;
    }
    Ok(())
}

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let s = summarize(rows);
    head(out, ctx, &s)?;
    for row in rows {
        self::row(out, ctx, row)?;
    }
    tail(out, ctx, &s)
}

/// Everything before the rows: the summary `s` of them, and the table's heading.
pub fn head(out: &mut dyn Write, ctx: &Context<'_>, s: &Summary) -> io::Result<()> {
    let lang = ctx.lang;
    let t = |key: &str| crate::i18n::t(lang, key);
    let f = |key: &str, args: &[(&str, &str)]| crate::i18n::f(lang, key, args);
    let n = |x: usize| x.to_string();
    let recipients = t("report.col_rows");
    writeln!(out, "# {}: {}\n", t("report.title"), cell(&ctx.title))?;
    let totals = f(
        "report.counts",
        &[("rows", &n(s.rows)), ("messages", &n(s.messages)), ("hard", &n(s.hard)), ("soft", &n(s.soft))],
    );
    writeln!(
        out,
        "{}. {}\n",
        cell(&f("report.filter", &[("filter", &ctx.filter.describe(ctx.rules, lang))])),
        cell(&totals)
    )?;
    writeln!(out, "{}\n", cell(&ctx.summary))?;
    writeln!(out, "{}\n", cell(&f("report.generated", &[("date", &crate::dates::short(ctx.generated))])))?;
    writeln!(
        out,
        "## {}\n\n### {}\n\n| {} | {recipients} |\n|---|---:|",
        t("report.overview"),
        t("report.by_category"),
        t("report.col_category")
    )?;
    for (reason, n) in &s.by_reason {
        writeln!(out, "| {} (`{}`) | {} |", cell(ctx.rules.info(reason).name(lang)), reason, n)?;
    }
    if let (Some(first), Some(last)) = (s.by_day.first(), s.by_day.last()) {
        let all: Vec<usize> = s.by_day.iter().map(|d| d.rows).collect();
        let back: Vec<usize> = s.by_day.iter().map(|d| d.backscatter).collect();
        let (all_w, back_w) = (t("report.all"), t("report.backscatter"));
        let pad = all_w.chars().count().max(back_w.chars().count()) + 2;
        writeln!(
            out,
            "\n### {}\n\n```text\n{all_w:<pad$}{}\n{back_w:<pad$}{}\n```",
            f("report.per_day_range", &[("first", &first.date), ("last", &last.date)]),
            sparkline(&all),
            sparkline(&back)
        )?;
        let peak = s.by_day.iter().max_by_key(|d| (d.rows, std::cmp::Reverse(d.date.clone()))).unwrap();
        writeln!(
            out,
            "\n{}",
            f(
                "report.busiest",
                &[("date", &peak.date), ("rows", &n(peak.rows)), ("backscatter", &n(peak.backscatter))]
            )
        )?;
        if s.undated > 0 {
            writeln!(out, "{}", f("report.undated", &[("n", &n(s.undated))]))?;
        }
        if s.earlier > 0 {
            writeln!(out, "{}", f("report.earlier", &[("n", &n(s.earlier)), ("date", &s.by_day[0].date)]))?;
        }
    }
    if !s.by_verdict.is_empty() {
        let verdicts: Vec<(String, usize)> = s
            .by_verdict
            .iter()
            .map(|(v, c)| {
                (
                    crate::bounce::Verdict::parse(v)
                        .map(|v| ctx.rules.verdict_info(v).name(lang).to_string())
                        .unwrap_or_else(|| v.clone()),
                    *c,
                )
            })
            .collect();
        counts(out, lang, t("report.verdicts"), t("report.col_verdict"), recipients, &verdicts)?;
    }
    counts(
        out,
        lang,
        t("report.hard_soft"),
        t("report.col_kind"),
        recipients,
        &[(t("report.hard").to_string(), s.hard), (t("report.soft").to_string(), s.soft)],
    )?;
    counts(out, lang, t("report.top_domains"), t("report.col_domain"), recipients, &s.by_domain)?;
    counts(out, lang, t("report.top_servers"), t("report.col_server"), recipients, &s.by_mta)?;
    let columns = [
        "col_source",
        "col_index",
        "col_recipient",
        "col_status",
        "col_code",
        "col_category",
        "col_hard",
        "col_verdict",
        "col_diagnostic",
        "col_evidence",
    ];
    let head: Vec<&str> = columns.iter().map(|c| t(&format!("report.{c}"))).collect();
    writeln!(
        out,
        "\n## {}\n\n| {} |\n|---|---:|---|---|---|---|---|---|---|---|",
        t("report.bounces"),
        head.join(" | ")
    )
}

/// One row of the table.
pub fn row(out: &mut dyn Write, ctx: &Context<'_>, row: &Row<'_>) -> io::Result<()> {
    let lang = ctx.lang;
    let r = row.recipient;
    let is_bounce = row.bounce.kind == crate::bounce::Kind::Bounce;
    let verdict = if is_bounce { ctx.rules.verdict_info(row.bounce.verdict).name(lang) } else { "" };
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        cell(&row.bounce.source),
        row.index,
        cell(&r.address),
        cell(&r.status),
        cell(&r.reply_code),
        cell(ctx.rules.info(&r.reason).name(lang)),
        super::severity_text(r, lang),
        cell(verdict),
        cell(&r.diagnostic),
        cell(&row.bounce.evidence.iter().map(|e| e.text(lang)).collect::<Vec<_>>().join(" · "))
    )
}

/// Everything after the rows: what the reasons of summary `s` mean, and what to do.
pub fn tail(out: &mut dyn Write, ctx: &Context<'_>, s: &Summary) -> io::Result<()> {
    let (lang, t) = (ctx.lang, |key: &str| crate::i18n::t(ctx.lang, key));
    writeln!(out, "\n## {}\n", t("report.meanings"))?;
    for (reason, _) in &s.by_reason {
        let info = ctx.rules.info(reason);
        let texts = info.texts(lang);
        writeln!(
            out,
            "- **{}**: {} *{}* {}",
            cell(info.name(lang)),
            cell(&texts.explanation),
            t("report.what_to_do"),
            cell(&texts.remedy)
        )?;
    }
    Ok(())
}
