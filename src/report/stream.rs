//! `report` written while the mailbox is read: TSV, CSV and JSON rows go out as each message is
//! decided, and nothing but the scan's counts is kept, so memory stays flat however many bounces
//! there are. Only where no verdict needs another message: when nothing is known about the owner,
//! every verdict is "undetermined" at once. With an owner known, bursts and learned relays need
//! the whole mailbox, and the report is written after it (`report::write`).

use super::{Filter, Format, csv, json, tsv};
use crate::bounce::Kind;
use crate::classify::{Lang, Rules};
use crate::engine::{Event, Listing, Stats};
use crate::verdict::{Case, Owner};
use std::io::{self, Write};

/// Can this report be written while the mailbox is read?
pub fn possible(format: Format, owner: &Owner) -> bool {
    matches!(format, Format::Tsv | Format::Csv | Format::Json) && owner.knows_nothing()
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
    // JSON: whether a row was written yet, and the summary line's counts.
    let mut any = false;
    let mut counts = crate::verdict::Counts::default();
    let start = |out: &mut dyn Write| match format {
        Format::Csv => csv::header(out),
        Format::Json => json::begin(out, &filter.describe(rules, lang), lang),
        _ => tsv::header(out),
    };
    let stats = crate::engine::scan_listed(rules, listing, |event| {
        let Event::Batch { mut bounces, .. } = event else { return };
        if result.is_err() {
            return;
        }
        for b in bounces.iter_mut() {
            if b.kind == Kind::Bounce {
                (b.verdict, b.evidence) = crate::verdict::judge(owner, &Case::of(b), 0);
            }
            counts.add(b.kind, b.verdict, b.recipients.len());
        }
        result = (|| {
            if !std::mem::replace(&mut header, true) {
                start(out)?;
            }
            for row in super::rows(&bounces, filter) {
                match format {
                    Format::Csv => csv::row(out, rules, lang, &row)?,
                    Format::Json => json::row(out, rules, lang, &row, !std::mem::replace(&mut any, true))?,
                    _ => tsv::row(out, &row)?,
                }
            }
            Ok(())
        })();
    });
    // Only folders that could not be read: the header all the same (the report after the scan
    // writes one over no rows too).
    if result.is_ok() && !header && !stats.unreadable.is_empty() {
        header = true;
        result = start(out);
    }
    // JSON closes with the scan's counts and the summary line.
    if result.is_ok() && header && format == Format::Json {
        result = json::end(out, any, &stats, &counts.summary(lang));
    }
    (stats, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Input};
    use crate::verdict::Owner;

    /// Written while the demo mailbox is read, or after it (every verdict judged the same way,
    /// nothing being known of the owner), a report is the same bytes, in every streamed format.
    #[test]
    fn the_same_report_while_reading_as_after() {
        let rules = Rules::builtin();
        let owner = Owner::default();
        let (mut bounces, stats) = engine::scan_all(&rules, &Input::Demo).unwrap();
        crate::verdict::judge_all(&mut owner.clone(), &mut bounces);
        for (format, filter) in [
            (Format::Tsv, Filter { all: true, ..Default::default() }),
            (Format::Csv, Filter { hard: Some(true), ..Default::default() }),
            (Format::Json, Filter::default()),
            (Format::Json, Filter { categories: vec!["nosuchreason".into()], ..Default::default() }),
        ] {
            let mut after = Vec::new();
            let ctx = super::super::Context {
                rules: &rules,
                lang: Lang::De,
                filter: &filter,
                stats: &stats,
                title: String::new(),
                summary: crate::verdict::summary(&bounces, Lang::De),
                generated: 0,
                width: None,
            };
            super::super::write(format, &mut after, &ctx, &super::super::rows(&bounces, &filter)).unwrap();
            let mut reading = Vec::new();
            let listing = engine::list(&Input::Demo).unwrap();
            let (_, result) = write(format, &mut reading, &rules, Lang::De, &filter, &listing, &owner);
            result.unwrap();
            assert_eq!(String::from_utf8(reading).unwrap(), String::from_utf8(after).unwrap(), "{format:?} {filter:?}");
        }
    }
}
