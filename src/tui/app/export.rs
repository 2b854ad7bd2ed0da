//! The visible rows as a report: what an export writes and what the overview counts.

use super::*;
use std::collections::HashMap;

impl App {
    /// Write exactly the visible rows to `filename` in the export folder; how many, and where.
    /// Never overwrites an existing file.
    pub fn export(&self, format: report::Format, filename: &str) -> Result<(usize, PathBuf), String> {
        let path = popups::export::target(&self.export_dir, filename);
        let shown = self.visible();
        let rows = shown.report_rows();
        let filter = report::Filter {
            categories: self.categories.iter().cloned().collect(),
            verdicts: Vec::new(),
            all: self.view == View::AutoReplies,
            hard: self.hard,
            ..Default::default()
        };
        let stats = self.stats.clone().unwrap_or_default();
        let ctx = report::Context {
            rules: &self.rules,
            lang: self.lang,
            filter: &filter,
            stats: &stats,
            title: format!("{} — {}", self.shown_title(), self.view.title(self.lang)),
            summary: (0..self.bounces.len())
                .map(|i| (self.bounces.kind(i), self.bounces.verdict(i), self.bounces.recipients(i)))
                .collect::<crate::verdict::Counts>()
                .summary(self.lang),
            generated: report::generated_now(),
            width: None,
        };
        write_new(&path, |w| report::write(format, w, &ctx, &rows))?;
        Ok((rows.len(), path))
    }

    /// Write the recipient table's shown rows, in its order, as `report --by recipient` does.
    pub fn export_recipients(&self, format: report::Format, filename: &str) -> Result<(usize, PathBuf), String> {
        let path = popups::export::target(&self.export_dir, filename);
        let shown: Vec<crate::history::History> =
            self.tables.shown.iter().map(|&i| self.tables.recipients[i].clone()).collect();
        let title = format!("{} — {}", self.shown_title(), self.t("view.recipients"));
        write_new(&path, |w| report::recipients::write(format, w, &title, &shown))?;
        Ok((shown.len(), path))
    }

    /// The visible rows' bounces, unpacked once each (what an export writes).
    pub fn visible(&self) -> Shown {
        let mut at: HashMap<usize, usize> = HashMap::new();
        let mut bounces = Vec::new();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let i = *at.entry(r.bounce).or_insert_with(|| {
                    bounces.push(self.bounces.get(r.bounce));
                    bounces.len() - 1
                });
                (i, r.recipient)
            })
            .collect();
        Shown { bounces, rows }
    }

    /// The counts of the visible rows: the overview's numbers, the same as a report's. Read
    /// from the row index, without unpacking a bounce.
    pub fn summary(&self) -> report::Summary {
        self.index.summary(&self.rows)
    }
}

/// Unpacked bounces and the rows shown of them: bounce (in `bounces`), recipient.
pub struct Shown {
    bounces: Vec<Bounce>,
    rows: Vec<(usize, usize)>,
}

impl Shown {
    /// As report rows, in the list's order.
    pub fn report_rows(&self) -> Vec<report::Row<'_>> {
        self.rows
            .iter()
            .map(|&(b, r)| {
                let bounce = &self.bounces[b];
                report::Row { bounce, index: r + 1, recipient: &bounce.recipients[r] }
            })
            .collect()
    }
}

/// Write a new file at `path` (never an existing one) with `write`; the error names the file.
fn write_new(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| crate::error::Error::io(path, e).to_string())?;
    let mut w = std::io::BufWriter::new(file);
    write(&mut w).and_then(|_| std::io::Write::flush(&mut w)).map_err(|e| crate::error::Error::io(path, e).to_string())
}
