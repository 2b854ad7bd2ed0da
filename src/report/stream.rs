//! `report` written while the mailbox is read: TSV and CSV rows go out as each message is
//! decided, and nothing but the scan's counts is kept, so memory stays flat however many bounces
//! there are. Only where no verdict needs another message: when nothing is known about the owner,
//! every verdict is "undetermined" at once. With an owner known, bursts and learned relays need
//! the whole mailbox, and the report is written after it (`report::write`).

use super::{Filter, Format, csv, tsv};
use crate::bounce::Kind;
use crate::classify::{Lang, Rules};
use crate::engine::{Event, Listing, Stats};
use crate::verdict::{Case, Owner};
use std::io::{self, Write};

/// Can this report be written while the mailbox is read?
pub fn possible(format: Format, owner: &Owner) -> bool {
    matches!(format, Format::Tsv | Format::Csv) && owner.knows_nothing()
}

/// Scan `listing`, writing to `out` every row `filter` keeps, in mailbox order (the same bytes
/// as the report written after the scan). The header is written with the first results, so a
/// mailbox that holds no mail at all leaves `out` empty. After a write error (a closed pipe)
/// nothing more is written; the scan's counts come back with the error.
pub fn write(
    format: Format,
    out: &mut dyn Write,
    rules: &Rules,
    lang: Lang,
    filter: &Filter,
    listing: &Listing,
    owner: &Owner,
) -> (Stats, io::Result<()>) {
    let mut result: io::Result<()> = Ok(());
    let mut header = false;
    let stats = crate::engine::scan_listed(rules, listing, |event| {
        let Event::Batch { mut bounces, .. } = event else { return };
        if result.is_err() {
            return;
        }
        for b in bounces.iter_mut().filter(|b| b.kind == Kind::Bounce) {
            (b.verdict, b.evidence) = crate::verdict::judge(owner, &Case::of(b), 0);
        }
        result = (|| {
            if !std::mem::replace(&mut header, true) {
                match format {
                    Format::Csv => csv::header(out)?,
                    _ => tsv::header(out)?,
                }
            }
            for row in super::rows(&bounces, filter) {
                match format {
                    Format::Csv => csv::row(out, rules, lang, &row)?,
                    _ => tsv::row(out, &row)?,
                }
            }
            Ok(())
        })();
    });
    // Only folders that could not be read: the header all the same (the report after the scan
    // writes one over no rows too).
    if result.is_ok() && !header && !stats.unreadable.is_empty() {
        result = match format {
            Format::Csv => csv::header(out),
            _ => tsv::header(out),
        };
    }
    (stats, result)
}
