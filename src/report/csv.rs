//! CSV for spreadsheets: every cell neutralised against formula injection.

use super::{Context, Row, COLUMNS};
use crate::sanitize::{csv_cell, line};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    writeln!(out, "{},category,explanation,remedy", COLUMNS.join(","))?;
    for row in rows {
        let r = row.recipient;
        let info = ctx.rules.info(&r.reason);
        let texts = info.texts(ctx.lang);
        let cells: [&str; 12] = [
            &row.bounce.source,
            &row.index.to_string(),
            &r.address,
            &r.status,
            &r.reply_code,
            &r.reason,
            &u8::from(r.hard).to_string(),
            row.verdict(),
            &r.diagnostic,
            &info.display,
            &texts.explanation,
            &texts.remedy,
        ];
        let line_out: Vec<String> = cells.iter().map(|c| csv_cell(&line(c))).collect();
        writeln!(out, "{}", line_out.join(","))?;
    }
    Ok(())
}
