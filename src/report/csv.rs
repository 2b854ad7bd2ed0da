//! CSV for spreadsheets: every cell neutralised against formula injection.

use super::{COLUMNS, Context, Row};
use crate::sanitize::{csv_cell, line};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    writeln!(out, "{},category,explanation,remedy", COLUMNS.join(","))?;
    for row in rows {
        let r = row.recipient;
        let info = ctx.rules.info(&r.reason);
        let texts = info.texts(ctx.lang);
        let cells: Vec<String> = row
            .cells()
            .into_iter()
            .chain([info.name(ctx.lang).to_string(), texts.explanation.clone(), texts.remedy.clone()])
            .collect();
        let line_out: Vec<String> = cells.iter().map(|c| csv_cell(&line(c))).collect();
        writeln!(out, "{}", line_out.join(","))?;
    }
    Ok(())
}
