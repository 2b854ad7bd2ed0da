//! HTML: one self-contained page (no scripts, fonts or network), summary then table.

use super::{summarize, Context, Row};
use crate::sanitize::html as esc;
use std::io::{self, Write};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1rem;color:#222;background:#fff}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}\
code{font-family:ui-monospace,monospace;background:#fff3b0;padding:0 .2rem}.bar{background:#4a7bd0;height:.8rem;display:inline-block}\
.hard{color:#b00020;font-weight:600}.small{color:#666;font-size:.8rem}@media(max-width:700px){.wide{display:none}}";

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let s = summarize(rows);
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">", ctx.lang.as_str())?;
    writeln!(out, "<title>Bounce report: {}</title><style>{STYLE}</style></head><body>", esc(&ctx.title))?;
    writeln!(out, "<h1>Bounce report</h1><p>{}<br>Filter: {}. {} rows from {} messages, {} hard.<br>{}</p>", esc(&ctx.title), esc(&ctx.filter.describe()), s.rows, s.messages, s.hard, esc(&ctx.summary))?;
    let max = s.by_reason.first().map(|x| x.1).unwrap_or(1).max(1);
    writeln!(out, "<h2>By category</h2><table><tr><th>category</th><th>rows</th><th class=\"wide\"></th></tr>")?;
    for (reason, n) in &s.by_reason {
        let w = n * 300 / max;
        writeln!(out, "<tr><td>{}</td><td>{n}</td><td class=\"wide\"><span class=\"bar\" style=\"width:{w}px\"></span></td></tr>", esc(&ctx.rules.info(reason).display))?;
    }
    writeln!(out, "</table><h2>By recipient domain</h2><table><tr><th>domain</th><th>rows</th></tr>")?;
    for (d, n) in s.by_domain.iter().take(20) {
        writeln!(out, "<tr><td>{}</td><td>{n}</td></tr>", esc(d))?;
    }
    writeln!(out, "</table><h2>Bounces</h2><table><tr><th>recipient</th><th>category</th><th>verdict</th><th>diagnostic</th></tr>")?;
    for row in rows {
        let r = row.recipient;
        let info = ctx.rules.info(&r.reason);
        let texts = info.texts(ctx.lang);
        let evidence: Vec<String> = row.bounce.evidence.iter().map(|e| esc(&e.text)).collect();
        writeln!(
            out,
            "<tr><td>{}<div class=\"small\">{}#{}</div></td><td class=\"{}\">{}<div class=\"small\">{} {}</div></td><td>{}<div class=\"small\">{}</div></td><td><code>{}</code><div class=\"small\">{} {}</div></td></tr>",
            esc(&r.address),
            esc(&row.bounce.source),
            row.index,
            if r.hard { "hard" } else { "" },
            esc(&info.display),
            esc(&r.status),
            esc(&r.reply_code),
            esc(row.verdict()),
            evidence.join("<br>"),
            esc(&r.diagnostic),
            esc(&texts.explanation),
            esc(&texts.remedy)
        )?;
    }
    writeln!(out, "</table></body></html>")
}
