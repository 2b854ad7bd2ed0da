//! CSV for spreadsheets: every cell neutralised against formula injection.

use super::{COLUMNS, Context, Row};
use crate::classify::{Lang, Rules};
use crate::sanitize::{csv_cell, line};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    header(out)?;
    for r in rows {
        row(out, ctx.rules, ctx.lang, r)?;
    }
    Ok(())
}

pub fn header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{},category,explanation,remedy", COLUMNS.join(","))
}

pub fn row(out: &mut dyn Write, rules: &Rules, lang: Lang, row: &Row<'_>) -> io::Result<()> {
    let r = row.recipient;
    let info = rules.info(&r.reason);
    let texts = info.texts(lang);
    let cells: Vec<String> = row
        .cells()
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .chain([info.name(lang).to_string(), texts.explanation.clone(), texts.remedy.clone()])
        .collect();
    let line_out: Vec<String> = cells.iter().map(|c| csv_cell(&line(c))).collect();
    writeln!(out, "{}", line_out.join(","))
}
