//! Markdown for tickets: summary, then the table.

use super::{summarize, Context, Row};
use crate::sanitize::line;
use std::io::{self, Write};

/// Escape a cell for a Markdown table.
fn cell(s: &str) -> String {
    line(s).replace('\\', "\\\\").replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;").replace('`', "\\`")
}

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let s = summarize(rows);
    writeln!(out, "# Bounce report: {}\n", cell(&ctx.title))?;
    writeln!(out, "Filter: {}. {} rows from {} messages ({} hard).\n", ctx.filter.describe(), s.rows, s.messages, s.hard)?;
    writeln!(out, "{}\n", cell(&ctx.summary))?;
    writeln!(out, "## By category\n\n| category | rows |\n|---|---:|")?;
    for (reason, n) in &s.by_reason {
        writeln!(out, "| {} (`{}`) | {} |", ctx.rules.info(reason).display, reason, n)?;
    }
    writeln!(out, "\n## By recipient domain\n\n| domain | rows |\n|---|---:|")?;
    for (d, n) in s.by_domain.iter().take(20) {
        writeln!(out, "| {} | {} |", cell(d), n)?;
    }
    if !s.by_verdict.is_empty() {
        writeln!(out, "\n## By verdict\n\n| verdict | rows |\n|---|---:|")?;
        for (v, n) in &s.by_verdict {
            writeln!(out, "| {v} | {n} |")?;
        }
    }
    writeln!(out, "\n## Bounces\n\n| source | # | recipient | status | code | category | hard | verdict | diagnostic | evidence |\n|---|---:|---|---|---|---|---|---|---|---|")?;
    for row in rows {
        let r = row.recipient;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&row.bounce.source),
            row.index,
            cell(&r.address),
            r.status,
            r.reply_code,
            ctx.rules.info(&r.reason).display,
            if r.hard { "hard" } else { "soft" },
            row.verdict(),
            cell(&r.diagnostic),
            cell(&row.bounce.evidence.iter().map(|e| e.text.as_str()).collect::<Vec<_>>().join(" · "))
        )?;
    }
    Ok(())
}
