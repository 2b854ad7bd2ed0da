//! TSV: the machine contract of SPEC.md.

use super::{COLUMNS, Row, tsv_cell};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, rows: &[Row<'_>]) -> io::Result<()> {
    header(out)?;
    for row in rows {
        self::row(out, row)?;
    }
    Ok(())
}

pub fn header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", COLUMNS.join("\t"))
}

pub fn row(out: &mut dyn Write, row: &Row<'_>) -> io::Result<()> {
    let mut line = String::with_capacity(512);
    for (i, cell) in row.cells().iter().enumerate() {
        if i > 0 {
            line.push('\t');
        }
        line.push_str(&tsv_cell(cell));
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}
