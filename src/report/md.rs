//! Markdown for tickets: summary, then the table.

use super::{summarize, Context, Row};
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

fn counts(out: &mut dyn Write, title: &str, what: &str, items: &[(String, usize)]) -> io::Result<()> {
    writeln!(out, "\n### {title}\n\n| {what} | rows |\n|---|---:|")?;
    for (k, n) in items.iter().take(10) {
        writeln!(out, "| {} | {n} |", cell(k))?;
    }
    Ok(())
}

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let s = summarize(rows);
    writeln!(out, "# Bounce report: {}\n", cell(&ctx.title))?;
    writeln!(out, "Filter: {}. {} rows from {} messages: {} hard, {} soft.\n", cell(&ctx.filter.describe()), s.rows, s.messages, s.hard, s.soft)?;
    writeln!(out, "{}\n", cell(&ctx.summary))?;
    writeln!(out, "## Overview\n\n### By category\n\n| category | rows |\n|---|---:|")?;
    for (reason, n) in &s.by_reason {
        writeln!(out, "| {} (`{}`) | {} |", cell(&ctx.rules.info(reason).display), reason, n)?;
    }
    if let (Some(first), Some(last)) = (s.by_day.first(), s.by_day.last()) {
        let all: Vec<usize> = s.by_day.iter().map(|d| d.rows).collect();
        let back: Vec<usize> = s.by_day.iter().map(|d| d.backscatter).collect();
        writeln!(out, "\n### Per day, {} to {}\n\n```text\nall          {}\nbackscatter  {}\n```", first.date, last.date, sparkline(&all), sparkline(&back))?;
        let peak = s.by_day.iter().max_by_key(|d| (d.rows, std::cmp::Reverse(d.date.clone()))).unwrap();
        writeln!(out, "\nBusiest day: {} with {} rows ({} backscatter).", peak.date, peak.rows, peak.backscatter)?;
        if s.undated > 0 {
            writeln!(out, "{} rows without a date are not shown.", s.undated)?;
        }
    }
    if !s.by_verdict.is_empty() {
        counts(out, "Verdicts", "verdict", &s.by_verdict)?;
    }
    counts(out, "Hard and soft", "kind", &[("hard".to_string(), s.hard), ("soft".to_string(), s.soft)])?;
    counts(out, "Top recipient domains", "domain", &s.by_domain)?;
    counts(out, "Top reporting servers", "server", &s.by_mta)?;
    writeln!(out, "\n## Bounces\n\n| source | # | recipient | status | code | category | hard | verdict | key diagnostic line | evidence |\n|---|---:|---|---|---|---|---|---|---|---|")?;
    for row in rows {
        let r = row.recipient;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&row.bounce.source),
            row.index,
            cell(&r.address),
            cell(&r.status),
            cell(&r.reply_code),
            cell(&ctx.rules.info(&r.reason).display),
            super::severity(r),
            row.verdict(),
            cell(&r.diagnostic),
            cell(&row.bounce.evidence.iter().map(|e| &*e.text).collect::<Vec<_>>().join(" · "))
        )?;
    }
    writeln!(out, "\n## What the categories mean\n")?;
    for (reason, _) in &s.by_reason {
        let info = ctx.rules.info(reason);
        let texts = info.texts(ctx.lang);
        writeln!(out, "- **{}**: {} *What to do:* {}", cell(&info.display), cell(&texts.explanation), cell(&texts.remedy))?;
    }
    Ok(())
}
