//! JSON: rows with the reason's texts, the verdict and its evidence, plus the scan's counts.
//! Written as it comes: the opening (filter and language), then each row, then the counts and
//! the summary line (the keys in their sorted order), so a report written while the mailbox is
//! read is the same document, byte for byte, as one written after it.

use super::{Context, Row};
use crate::classify::{Lang, Rules};
use crate::engine::Stats;
use serde_json::json;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    begin(out, &ctx.filter.describe(ctx.rules, ctx.lang), ctx.lang)?;
    for (i, row) in rows.iter().enumerate() {
        self::row(out, ctx.rules, ctx.lang, row, i == 0)?;
    }
    end(out, !rows.is_empty(), ctx.stats, &ctx.summary)
}

/// The opening, up to the list of rows.
pub fn begin(out: &mut dyn Write, filter: &str, lang: Lang) -> io::Result<()> {
    write!(
        out,
        "{{\n  \"filter\": {},\n  \"language\": {},\n  \"rows\": [",
        value(&json!(filter), 1),
        value(&json!(lang.as_str()), 1)
    )
}

/// One row (`first`: the first of the list).
pub fn row(out: &mut dyn Write, rules: &Rules, lang: Lang, row: &Row<'_>, first: bool) -> io::Result<()> {
    let (r, b) = (row.recipient, row.bounce);
    let info = rules.info(&r.reason);
    let texts = info.texts(lang);
    let v = json!({
        "source": b.source,
        "index": row.index,
        "recipient": r.address,
        "status": r.status,
        "reply_code": r.reply_code,
        "reason": r.reason,
        "category": info.name(lang),
        "hard": r.hard,
        "verdict": row.verdict(),
        "diagnostic": r.diagnostic,
        "explanation": texts.explanation,
        "remedy": texts.remedy,
        "evidence": b.evidence.iter().map(|e| json!({ "signal": e.signal.as_str(), "text": e.text(lang) })).collect::<Vec<_>>(),
        "verdict_advice": if b.kind == crate::bounce::Kind::Bounce { Some(rules.verdict_info(b.verdict).texts(lang).remedy.clone()) } else { None },
        "date": b.date,
        "subject": b.subject,
        "reporting_mta": b.reporting_mta,
        "remote_mta": r.remote_mta,
        "command": r.command,
        "decided_by": r.decided_by,
        "blocklist": r.blocklist,
        "listed": r.listed,
        "decided_how": crate::classify::describe_decision(rules, lang, r.decided_by, r.rule, &r.status, &r.reply_code, &r.diagnostic),
        "original": b.original.as_ref().map(|o| json!({
            "message_id": o.message_id, "from": o.from, "to": o.to, "subject": o.subject, "date": o.date,
        })),
    });
    write!(out, "{}\n    {}", if first { "" } else { "," }, value(&v, 2))
}

/// The end: the list of rows closed (`any`: it holds some), the counts and the summary line.
pub fn end(out: &mut dyn Write, any: bool, stats: &Stats, summary: &str) -> io::Result<()> {
    let stats = json!({
        "scanned": stats.scanned,
        "bounces": stats.bounces,
        "auto_replies": stats.auto_replies,
        "feedback": stats.feedback,
        "delivered": stats.delivered,
        "other": stats.other,
        "unreadable": stats.unreadable,
    });
    let close = if any { "\n  ]" } else { "]" };
    writeln!(out, "{close},\n  \"stats\": {},\n  \"summary\": {}\n}}", value(&stats, 1), value(&json!(summary), 1))
}

/// `v` as the pretty printer writes it `depth` levels deep in a document (its strings hold no
/// line breaks: those are escaped).
fn value(v: &serde_json::Value, depth: usize) -> String {
    let text = serde_json::to_string_pretty(v).expect("a JSON value serialises");
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}
