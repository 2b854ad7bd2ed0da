//! TSV: the machine contract of SPEC.md.

use super::{COLUMNS, Row, tsv_cell};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, rows: &[Row<'_>]) -> io::Result<()> {
    writeln!(out, "{}", COLUMNS.join("\t"))?;
    for row in rows {
        let cells = row.cells().map(|c| tsv_cell(&c));
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}
