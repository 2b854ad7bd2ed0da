//! JSON: rows with the reason's texts, the verdict and its evidence, plus the scan's counts.

use super::{Context, Row};
use serde_json::json;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let r = row.recipient;
            let b = row.bounce;
            let info = ctx.rules.info(&r.reason);
            let texts = info.texts(ctx.lang);
            json!({
                "source": b.source,
                "index": row.index,
                "recipient": r.address,
                "status": r.status,
                "reply_code": r.reply_code,
                "reason": r.reason,
                "category": info.name(ctx.lang),
                "hard": r.hard,
                "verdict": row.verdict(),
                "diagnostic": r.diagnostic,
                "explanation": texts.explanation,
                "remedy": texts.remedy,
                "evidence": b.evidence.iter().map(|e| json!({ "signal": e.signal.as_str(), "text": e.text(ctx.lang) })).collect::<Vec<_>>(),
                "verdict_advice": if b.kind == crate::bounce::Kind::Bounce { Some(ctx.rules.verdict_info(b.verdict).texts(ctx.lang).remedy.clone()) } else { None },
                "date": b.date,
                "subject": b.subject,
                "reporting_mta": b.reporting_mta,
                "remote_mta": r.remote_mta,
                "command": r.command,
                "decided_by": r.decided_by,
                "blocklist": r.blocklist,
                "listed": r.listed,
                "decided_how": crate::classify::describe_decision(ctx.rules, ctx.lang, r.decided_by, r.rule, &r.status, &r.reply_code, &r.diagnostic),
                "original": b.original.as_ref().map(|o| json!({
                    "message_id": o.message_id, "from": o.from, "to": o.to, "subject": o.subject, "date": o.date,
                })),
            })
        })
        .collect();
    let doc = json!({
        "filter": ctx.filter.describe(ctx.rules, ctx.lang),
        "summary": ctx.summary,
        "language": ctx.lang.as_str(),
        "stats": {
            "scanned": ctx.stats.scanned,
            "bounces": ctx.stats.bounces,
            "auto_replies": ctx.stats.auto_replies,
            "feedback": ctx.stats.feedback,
            "delivered": ctx.stats.delivered,
            "other": ctx.stats.other,
            "unreadable": ctx.stats.unreadable,
        },
        "rows": items,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
