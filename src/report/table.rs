//! A readable plain table for terminals.

use super::{Context, Row};
use crate::sanitize::fit;
use std::io::{self, Write};


pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    writeln!(out, "{} {} {} {} {} DIAGNOSTIC", fit("RECIPIENT", 32), fit("CATEGORY", 24), fit("STATUS", 7), fit("H/S", 7), fit("VERDICT", 12))?;
    for row in rows {
        let r = row.recipient;
        writeln!(
            out,
            "{} {} {} {} {} {}",
            fit(&r.address, 32),
            fit(ctx.rules.info(&r.reason).name(ctx.lang), 24),
            fit(&r.status, 7),
            fit(if r.action == "delayed" { "delayed" } else if r.hard { "hard" } else { "soft" }, 7),
            fit(row.verdict(), 12),
            fit(&r.diagnostic, 100)
        )?;
    }
    let s = ctx.stats;
    writeln!(out, "\n{}", ctx.summary)?;
    writeln!(
        out,
        "{} rows. Scanned {} messages: {} bounces, {} auto-replies, {} feedback, {} delivery reports, {} other, {} unreadable.",
        rows.len(),
        s.scanned,
        s.bounces,
        s.auto_replies,
        s.feedback,
        s.delivered,
        s.other,
        s.unreadable.len()
    )
}
