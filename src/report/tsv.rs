//! TSV: the machine contract of SPEC.md.

use super::{tsv_cell, Row, COLUMNS};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, rows: &[Row<'_>]) -> io::Result<()> {
    writeln!(out, "{}", COLUMNS.join("\t"))?;
    for row in rows {
        let r = row.recipient;
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            tsv_cell(&row.bounce.source),
            row.index,
            tsv_cell(&r.address),
            tsv_cell(&r.status),
            tsv_cell(&r.reply_code),
            r.reason,
            u8::from(r.hard),
            row.verdict(),
            tsv_cell(&r.diagnostic)
        )?;
    }
    Ok(())
}
