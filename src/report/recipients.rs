//! `report --by recipient`: one row per failed address (see [`crate::history`]), in every
//! report format, and the suppression list of `bouncescope suppress`.

use super::Format;
use crate::history::History;
use crate::sanitize::{csv_cell, html, line};
use std::io::{self, Write};

/// The columns of SPEC.md, in order.
pub const COLUMNS: [&str; 8] = ["recipient", "bounces", "hard", "first", "last", "reason", "status", "state"];

fn cells(h: &History) -> [String; 8] {
    [
        line(&h.address),
        h.bounces.to_string(),
        h.hard.to_string(),
        crate::dates::rfc3339(h.first),
        crate::dates::rfc3339(h.last),
        line(&h.reason),
        line(&h.status),
        h.state.as_str().to_string(),
    ]
}

/// Write the recipients' histories in `format`.
pub fn write(format: Format, out: &mut dyn Write, title: &str, histories: &[History]) -> io::Result<()> {
    match format {
        Format::Tsv => {
            writeln!(out, "{}", COLUMNS.join("\t"))?;
            for h in histories {
                writeln!(out, "{}", cells(h).join("\t"))?;
            }
        }
        Format::Csv => {
            writeln!(out, "{}", COLUMNS.join(","))?;
            for h in histories {
                writeln!(out, "{}", cells(h).iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","))?;
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = histories
                .iter()
                .map(|h| {
                    serde_json::Value::Object(
                        COLUMNS.iter().map(|c| c.to_string()).zip(cells(h).map(serde_json::Value::from)).collect(),
                    )
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "title": title, "recipients": rows }))?;
            writeln!(out)?;
        }
        Format::Md => {
            writeln!(out, "# {}\n", line(title).replace('|', "\\|"))?;
            writeln!(out, "| {} |\n|{}", COLUMNS.join(" | "), "---|".repeat(COLUMNS.len()))?;
            for h in histories {
                writeln!(out, "| {} |", cells(h).map(|c| c.replace('|', "\\|")).join(" | "))?;
            }
        }
        Format::Html => {
            writeln!(
                out,
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{}</title><style>body{{font-family:sans-serif}}td,th{{padding:2px 8px;text-align:left}}</style></head><body><h1>{}</h1><table><tr>{}</tr>",
                html(title),
                html(title),
                COLUMNS.iter().map(|c| format!("<th>{c}</th>")).collect::<String>()
            )?;
            for h in histories {
                writeln!(
                    out,
                    "<tr>{}</tr>",
                    cells(h).iter().map(|c| format!("<td>{}</td>", html(c))).collect::<String>()
                )?;
            }
            writeln!(out, "</table></body></html>")?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<40} {:>7} {:>5} {:<11} {:<11} {:<16} {:<7} STATE",
                "RECIPIENT", "BOUNCES", "HARD", "FIRST", "LAST", "REASON", "STATUS"
            )?;
            for h in histories {
                writeln!(
                    out,
                    "{} {:>7} {:>5} {:<11} {:<11} {} {} {}",
                    crate::sanitize::fit(&h.address, 40),
                    h.bounces,
                    h.hard,
                    crate::dates::day(h.first),
                    crate::dates::day(h.last),
                    crate::sanitize::fit(&h.reason, 16),
                    crate::sanitize::fit(&h.status, 7),
                    h.state.as_str()
                )?;
            }
        }
    }
    Ok(())
}

/// How `suppress` writes its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// One lower-case address a line.
    Txt,
    /// `email,reason,last_bounce,bounces`, as ESP import screens take it.
    Csv,
    Json,
}

/// Write the suppression list: each history with the reason it is suppressed for.
pub fn write_suppressions(format: ListFormat, out: &mut dyn Write, list: &[(&History, String)]) -> io::Result<()> {
    match format {
        ListFormat::Txt => {
            for (h, _) in list {
                writeln!(out, "{}", line(&h.address))?;
            }
        }
        ListFormat::Csv => {
            writeln!(out, "email,reason,last_bounce,bounces")?;
            for (h, reason) in list {
                let cells = [line(&h.address), line(reason), crate::dates::rfc3339(h.last), h.bounces.to_string()];
                writeln!(out, "{}", cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","))?;
            }
        }
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = list
                .iter()
                .map(|(h, reason)| {
                    serde_json::json!({
                        "email": h.address, "reason": reason, "last_bounce": crate::dates::rfc3339(h.last), "bounces": h.bounces
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
