//! `report` written while the mailbox is read: TSV, CSV and JSON rows go out as each message is
//! decided, and nothing but the scan's counts is kept, so memory stays flat however many bounces
//! there are. Markdown and HTML open with the summary of their rows: the rows are written to a
//! temporary file as they are decided and counted (`Tally`), and follow the summary at the end.
//! Only where no verdict needs another message: when nothing is known about the owner, every
//! verdict is "undetermined" at once. With an owner known, bursts and learned relays need
//! the whole mailbox, and the report is written after it (`report::write`).

use super::{Context, Counted, Filter, Format, Tally, csv, html, json, md, tsv};
use crate::bounce::Kind;
use crate::classify::{Lang, Rules};
use crate::engine::{Event, Listing, Stats};
use crate::verdict::{Case, Owner};
use std::io::{self, Seek, Write};

/// What a Markdown or HTML report's heading shows besides its counts.
#[derive(Debug, Clone, Default)]
pub struct Heading {
    /// The mailbox paths.
    pub title: String,
    /// When the report was made (Unix seconds); `None`: when the scan is over, as for a
    /// report written after it ([`super::generated_now`]).
    pub generated: Option<i64>,
}

/// Can this report be written while the mailbox is read? Markdown and HTML also need a
/// temporary file (where none can be made, they are written after the scan).
pub fn possible(format: Format, owner: &Owner) -> bool {
    let paged = matches!(format, Format::Md | Format::Html);
    let streamed = paged || matches!(format, Format::Tsv | Format::Csv | Format::Json);
    streamed && owner.knows_nothing() && (!paged || tempfile::tempfile().is_ok())
}

/// Scan `listing`, writing to `out` every row `filter` keeps, in mailbox order (the same bytes
/// as the report written after the scan). The header is written with the first results, so a
/// mailbox that holds no mail at all leaves `out` empty. After a write error (a closed pipe)
/// nothing more is written; the scan's counts come back with the error.
#[allow(clippy::too_many_arguments)]
pub fn write(
    format: Format,
    out: &mut dyn Write,
    rules: &Rules,
    lang: Lang,
    filter: &Filter,
    listing: &Listing,
    owner: &Owner,
    heading: &Heading,
) -> (Stats, io::Result<()>) {
    let mut result: io::Result<()> = Ok(());
    // Markdown and HTML: the rows written so far, and their counts.
    let paged = matches!(format, Format::Md | Format::Html);
    let mut spill = if paged {
        match tempfile::tempfile() {
            Ok(file) => Some(io::BufWriter::new(file)),
            Err(e) => return (Stats::default(), Err(e)),
        }
    } else {
        None
    };
    let mut tally = Tally::default();
    // The rows need only the rules and the language of their context.
    let no_stats = Stats::default();
    let row_ctx = context(rules, lang, filter, &no_stats, heading, String::new());
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
            if !std::mem::replace(&mut header, true) && !paged {
                start(out)?;
            }
            // A batch's bounces are alive until the batch is written: within it, a bounce's
            // address names its message (the next batch's may take the same addresses).
            let mut last = None;
            for row in super::rows(&bounces, filter) {
                match (format, spill.as_mut()) {
                    (Format::Md, Some(spill)) => md::row(spill, &row_ctx, &row)?,
                    (Format::Html, Some(spill)) => html::row(spill, &row_ctx, &row)?,
                    (Format::Csv, _) => csv::row(out, rules, lang, &row)?,
                    (Format::Json, _) => json::row(out, rules, lang, &row, !std::mem::replace(&mut any, true))?,
                    _ => tsv::row(out, &row)?,
                }
                if paged {
                    // The rows of one message come one after another.
                    let message = std::ptr::from_ref(row.bounce);
                    if last.replace(message) != Some(message) {
                        tally.add_messages(1);
                    }
                    tally.add_alike(Counted::of(&row).into_owned(), 1);
                }
            }
            Ok(())
        })();
    });
    // Only folders that could not be read: the header all the same (the report after the scan
    // writes one over no rows too).
    if result.is_ok() && !header && !stats.unreadable.is_empty() {
        header = true;
        if !paged {
            result = start(out);
        }
    }
    // Markdown and HTML: the summary, the rows, what follows them.
    if let (true, true, Some(spill)) = (result.is_ok(), header, spill) {
        let ctx = context(rules, lang, filter, &stats, heading, counts.summary(lang));
        result = (|| {
            let mut rows = spill.into_inner().map_err(io::IntoInnerError::into_error)?;
            rows.rewind()?;
            let s = tally.finish();
            if format == Format::Md {
                md::head(out, &ctx, &s)?;
                io::copy(&mut rows, out)?;
                md::tail(out, &ctx, &s)
            } else {
                html::head(out, &ctx, &s)?;
                io::copy(&mut rows, out)?;
                html::tail(out, &ctx)
            }
        })();
    }
    // JSON closes with the scan's counts and the summary line.
    if result.is_ok() && header && format == Format::Json {
        result = json::end(out, any, &stats, &counts.summary(lang));
    }
    (stats, result)
}

/// A report's context for `heading`, with the scan's counts and the verdicts' summary line.
fn context<'a>(
    rules: &'a Rules,
    lang: Lang,
    filter: &'a Filter,
    stats: &'a Stats,
    heading: &Heading,
    summary: String,
) -> Context<'a> {
    Context {
        rules,
        lang,
        filter,
        stats,
        title: heading.title.clone(),
        summary,
        generated: heading.generated.unwrap_or_else(super::generated_now),
        width: None,
    }
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
            (Format::Md, Filter { all: true, ..Default::default() }),
            (Format::Html, Filter::default()),
            (Format::Md, Filter { categories: vec!["nosuchreason".into()], ..Default::default() }),
        ] {
            let mut after = Vec::new();
            let ctx = super::super::Context {
                rules: &rules,
                lang: Lang::De,
                filter: &filter,
                stats: &stats,
                title: "Demo".into(),
                summary: crate::verdict::summary(&bounces, Lang::De),
                generated: 1_790_000_000,
                width: None,
            };
            super::super::write(format, &mut after, &ctx, &super::super::rows(&bounces, &filter)).unwrap();
            let mut reading = Vec::new();
            let listing = engine::list(&Input::Demo).unwrap();
            let heading = Heading { title: "Demo".into(), generated: Some(1_790_000_000) };
            let (_, result) = write(format, &mut reading, &rules, Lang::De, &filter, &listing, &owner, &heading);
            result.unwrap();
            assert_eq!(String::from_utf8(reading).unwrap(), String::from_utf8(after).unwrap(), "{format:?} {filter:?}");
        }
    }

    /// A Maildir of many batches (the demo's messages twelve times over): Markdown and HTML
    /// written while it is read count the messages of every batch as the report after the scan
    /// does, in either language.
    #[test]
    fn markdown_and_html_of_many_batches_are_the_report_after_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        for copy in 0..12 {
            for (i, m) in crate::demo::messages().iter().enumerate() {
                std::fs::write(dir.path().join(format!("cur/{}.{copy}.{i}.bench:2,S", 1_790_000_000 + i)), &m.data)
                    .unwrap();
            }
        }
        let rules = Rules::builtin();
        let owner = Owner::default();
        let input = Input::Paths(vec![dir.path().to_path_buf()]);
        let (mut bounces, stats) = engine::scan_all(&rules, &input).unwrap();
        assert!(bounces.len() > 256, "more than one batch ({})", bounces.len());
        crate::verdict::judge_all(&mut owner.clone(), &mut bounces);
        for (format, lang) in [(Format::Md, Lang::En), (Format::Html, Lang::Nl)] {
            let filter = Filter::default();
            let ctx = super::super::Context {
                rules: &rules,
                lang,
                filter: &filter,
                stats: &stats,
                title: "box".into(),
                summary: crate::verdict::summary(&bounces, lang),
                generated: 7,
                width: None,
            };
            let mut after = Vec::new();
            super::super::write(format, &mut after, &ctx, &super::super::rows(&bounces, &filter)).unwrap();
            let mut reading = Vec::new();
            let heading = Heading { title: "box".into(), generated: Some(7) };
            let listing = engine::list(&input).unwrap();
            let (_, result) = write(format, &mut reading, &rules, lang, &filter, &listing, &owner, &heading);
            result.unwrap();
            assert_eq!(String::from_utf8(reading).unwrap(), String::from_utf8(after).unwrap(), "{format:?}");
        }
    }
}
