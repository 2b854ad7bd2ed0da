//! The visible rows as a report: what an export writes and what the overview counts.

use super::*;

impl App {
    /// Write exactly the visible rows to `filename` in the export folder; how many, and where.
    /// Never overwrites an existing file.
    pub fn export(&self, format: report::Format, filename: &str) -> Result<(usize, PathBuf), String> {
        let path = popups::export::target(&self.export_dir, filename);
        let rows = self.visible_rows();
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
            summary: crate::verdict::summary(&self.bounces, self.lang),
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

    /// The visible rows as report rows (what an export writes and the overview counts).
    pub fn visible_rows(&self) -> Vec<report::Row<'_>> {
        self.rows
            .iter()
            .map(|r| report::Row {
                bounce: &self.bounces[r.bounce],
                index: r.recipient + 1,
                recipient: &self.bounces[r.bounce].recipients[r.recipient],
            })
            .collect()
    }

    /// The counts of the visible rows: the overview's numbers, the same as a report's.
    pub fn summary(&self) -> report::Summary {
        report::summarize(&self.visible_rows())
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
