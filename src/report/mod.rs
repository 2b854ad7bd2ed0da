//! Reports: the same rows and filters as the TUI, written as TSV, CSV, JSON, Markdown, HTML or a
//! terminal table. One writer per format.

mod csv;
mod html;
mod json;
mod md;
pub mod recipients;
pub mod redact;
pub mod stream;
mod summary;
mod table;
mod tsv;

pub use summary::{Counted, Day, MAX_DAYS, Summary, Tally, summarize};

use crate::bounce::{Bounce, Kind, Recipient, Verdict};
use crate::classify::{Lang, Rules};
use crate::engine::Stats;
use std::borrow::Cow;
use std::io::{self, Write};

/// Output formats of `bouncescope report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Tsv,
    Json,
    Csv,
    Md,
    Html,
    /// A readable table (the default on a terminal).
    Table,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::Html => "html",
            Format::Table => "txt",
        }
    }

    /// The format a file name's extension names (`r.html`, `R.CSV`, `notes.markdown`), if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "tsv" | "tab" => Format::Tsv,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "md" | "markdown" => Format::Md,
            "html" | "htm" => Format::Html,
            "txt" | "text" => Format::Table,
            _ => return None,
        })
    }
}

/// Which rows a report (or the TUI list) shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only these reasons (empty: all bounce reasons).
    pub categories: Vec<String>,
    /// Only these verdicts (empty: all).
    pub verdicts: Vec<Verdict>,
    /// Also list auto-replies, feedback and delivery reports.
    pub all: bool,
    /// Only hard (`Some(true)`) or soft (`Some(false)`) failures.
    pub hard: Option<bool>,
    /// Only messages dated from this time on, and before that one (Unix seconds); a message
    /// without a date is left out by either.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Only rows whose reason a code alone or the default decided (worth a second look).
    pub unsure: bool,
}

impl Filter {
    /// Does this recipient row of this message pass?
    pub fn keeps(&self, b: &Bounce, r: &Recipient) -> bool {
        let non_bounce = b.kind != Kind::Bounce;
        if non_bounce && !self.all && !self.categories.iter().any(|c| c == r.reason) {
            return false;
        }
        if !self.categories.is_empty() && !self.categories.iter().any(|c| c == r.reason) {
            return false;
        }
        if !self.verdicts.is_empty() && (non_bounce || !self.verdicts.contains(&b.verdict)) {
            return false;
        }
        if self.hard.is_some_and(|hard| non_bounce || r.hard != hard) {
            return false;
        }
        if self.unsure && !r.decided_by.is_unsure() {
            return false;
        }
        let dated = b.date != 0;
        !(self.since.is_some_and(|t| !dated || b.date < t) || self.until.is_some_and(|t| !dated || b.date >= t))
    }

    /// A one-line description for report headers.
    /// The filter in words; verdicts by their names in `lang`, categories by their codes (the
    /// codes `--category` takes).
    pub fn describe(&self, rules: &crate::classify::Rules, lang: crate::i18n::Lang) -> String {
        use crate::i18n::f;
        let mut parts = Vec::new();
        if !self.categories.is_empty() {
            parts.push(f(lang, "filter.category", &[("list", &self.categories.join(", "))]));
        }
        if !self.verdicts.is_empty() {
            parts.push(f(
                lang,
                "filter.verdict",
                &[(
                    "list",
                    &self.verdicts.iter().map(|v| rules.verdict_info(*v).name(lang)).collect::<Vec<_>>().join(", "),
                )],
            ));
        }
        match self.hard {
            Some(true) => parts.push(crate::i18n::t(lang, "filter.hard").to_string()),
            Some(false) => parts.push(crate::i18n::t(lang, "filter.soft").to_string()),
            None => {}
        }
        if let Some(t) = self.since {
            parts.push(f(lang, "filter.since", &[("date", &crate::dates::day(t))]));
        }
        if let Some(t) = self.until {
            parts.push(f(lang, "filter.until", &[("date", &crate::dates::day(t - 86_400))]));
        }
        if self.unsure {
            parts.push(crate::i18n::t(lang, "filter.unsure").to_string());
        }
        if self.all {
            parts.push(crate::i18n::t(lang, "filter.everything").to_string());
        }
        if parts.is_empty() { crate::i18n::t(lang, "filter.all").to_string() } else { parts.join("; ") }
    }
}

/// One report row: a recipient of a message.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub bounce: &'a Bounce,
    /// 1-based index of the recipient within its message.
    pub index: usize,
    pub recipient: &'a Recipient,
}

impl Row<'_> {
    /// The cells of [`COLUMNS`], unescaped.
    pub fn cells(&self) -> [Cow<'_, str>; 15] {
        let (b, r) = (self.bounce, self.recipient);
        let original = b.original.as_ref();
        let sender = original.and_then(|o| crate::text::addresses(&o.from).next()).unwrap_or_default();
        let message_id =
            original.map(|o| o.message_id.trim().trim_start_matches('<').trim_end_matches('>')).unwrap_or_default();
        [
            Cow::Borrowed(b.source.as_str()),
            Cow::Owned(self.index.to_string()),
            Cow::Borrowed(r.address.as_str()),
            Cow::Borrowed(r.status.as_str()),
            Cow::Borrowed(r.reply_code.as_str()),
            Cow::Borrowed(r.reason.as_str()),
            Cow::Borrowed(if r.hard { "1" } else { "0" }),
            Cow::Borrowed(self.verdict()),
            Cow::Borrowed(r.diagnostic.as_str()),
            Cow::Owned(crate::dates::rfc3339(b.date)),
            Cow::Borrowed(sender),
            Cow::Borrowed(message_id),
            Cow::Borrowed(r.decided_by.as_str()),
            Cow::Borrowed(r.blocklist.as_str()),
            Cow::Borrowed(r.listed.as_str()),
        ]
    }

    /// The verdict column: empty for non-bounces.
    pub fn verdict(&self) -> &'static str {
        if self.bounce.kind == Kind::Bounce { self.bounce.verdict.as_str() } else { "" }
    }
}

/// How a bounced recipient stands: "hard", "soft", or — for a delay warning, which is a soft
/// bounce row while the server still retries — "delayed" (in words "delayed, still retrying"),
/// so that nobody takes it for a final failure.
pub fn severity(r: &Recipient) -> &'static str {
    if r.action == "delayed" {
        "delayed"
    } else if r.hard {
        "hard"
    } else {
        "soft"
    }
}

/// A name for a table of top items: the item, or "not named" in `lang` for an empty one.
pub fn item_name(item: &str, lang: crate::i18n::Lang) -> &str {
    if item.is_empty() { crate::i18n::t(lang, "report.unnamed") } else { item }
}

/// [`severity`] in words, in `lang`.
pub fn severity_text(r: &Recipient, lang: crate::i18n::Lang) -> &'static str {
    crate::i18n::t(lang, &format!("report.{}", severity(r)))
}

/// The rows that pass the filter, in mailbox order.
pub fn rows<'a>(bounces: &'a [Bounce], filter: &Filter) -> Vec<Row<'a>> {
    bounces
        .iter()
        .flat_map(|b| b.recipients.iter().enumerate().map(move |(i, r)| Row { bounce: b, index: i + 1, recipient: r }))
        .filter(|row| filter.keeps(row.bounce, row.recipient))
        .collect()
}

/// Everything a writer needs.
pub struct Context<'a> {
    pub rules: &'a Rules,
    pub lang: Lang,
    pub filter: &'a Filter,
    pub stats: &'a Stats,
    /// The mailbox paths, for headings.
    pub title: String,
    /// The verdict summary line ("412 bounces: 37 real failures, …").
    pub summary: String,
    /// When the report was made (Unix seconds): [`generated_now`].
    pub generated: i64,
    /// The terminal's width when the report goes to one (the table fits it).
    pub width: Option<u16>,
}

/// Now, for a report's "generated" line; `SOURCE_DATE_EPOCH` (reproducible builds) wins.
pub fn generated_now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    })
}

/// Write `rows` in `format`.
pub fn write(format: Format, out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    match format {
        Format::Tsv => tsv::write(out, rows),
        Format::Csv => csv::write(out, ctx, rows),
        Format::Json => json::write(out, ctx, rows),
        Format::Md => md::write(out, ctx, rows),
        Format::Html => html::write(out, ctx, rows),
        Format::Table => table::write(out, ctx, rows),
    }
}

/// The TSV header columns (SPEC.md).
pub const COLUMNS: [&str; 15] = [
    "source",
    "index",
    "recipient",
    "status",
    "reply_code",
    "reason",
    "hard",
    "verdict",
    "diagnostic",
    "date",
    "sender",
    "message_id",
    "decided_by",
    "blocklist",
    "listed",
];

/// A cell for TSV: no tabs, no newlines, no controls.
pub(crate) fn tsv_cell(s: &str) -> Cow<'_, str> {
    crate::sanitize::line_cow(s)
}
