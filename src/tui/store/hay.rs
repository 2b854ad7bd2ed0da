//! The rows' search text: per row, lower case, its recipient and diagnostic and its original's
//! Subject, Message-ID and recipient (the last only when it is not the row's own address), with
//! U+0001 between them and NUL after the row, in segments of about 1 MB (a bounce's rows all in
//! one; only a bounce larger than the slack makes its segment grow), searched in one pass per
//! segment.

use crate::bounce::Bounce;

/// Size of a segment (small in unit tests, so that they search across many).
const SEGMENT: usize = if cfg!(test) { 300 } else { 1 << 20 };

/// Search text of rows `first_row..`: row `first_row + i` ends at `ends[i]`.
#[derive(Debug)]
struct Segment {
    first_row: usize,
    text: String,
    ends: Vec<usize>,
}

#[derive(Debug, Default)]
pub(super) struct Hay {
    segments: Vec<Segment>,
    rows: usize,
}

/// Where a bounce's rows are: in this segment, from this row of it on.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    pub segment: u32,
    pub first_row: u32,
}

impl Hay {
    /// Write the search text of `b`'s rows (all in one segment); where they are, and whether
    /// its fields can be read back from them (not when one holds a separator).
    pub(super) fn add(&mut self, b: &Bounce) -> (At, bool) {
        if self.segments.last().is_none_or(|h| h.text.len() >= SEGMENT) {
            self.segments.push(Segment {
                first_row: self.rows,
                text: String::with_capacity(SEGMENT + 4096),
                ends: Vec::new(),
            });
        }
        let seg = self.segments.last_mut().expect("pushed above");
        let first_row = (self.rows - seg.first_row) as u32;
        let (osubject, mid, oto) = match &b.original {
            Some(o) => (o.subject.as_str(), o.message_id.as_str(), o.to.as_str()),
            None => ("", "", ""),
        };
        let mut clean = true;
        for r in &b.recipients {
            let oto = if oto.eq_ignore_ascii_case(&r.address) || oto.contains(r.address.as_str()) { "" } else { oto };
            for (i, part) in [r.address.as_str(), &r.diagnostic, osubject, mid, oto].into_iter().enumerate() {
                if i > 0 {
                    seg.text.push('\u{1}');
                }
                clean &= !part.contains(['\u{1}', '\0']);
                seg.text.extend(part.chars().flat_map(char::to_lowercase));
            }
            seg.ends.push(seg.text.len());
            seg.text.push('\0');
            self.rows += 1;
        }
        (At { segment: (self.segments.len() - 1) as u32, first_row }, clean)
    }

    /// The text of row `k` of the bounce at `at`.
    fn row(&self, at: At, k: usize) -> &str {
        let seg = &self.segments[at.segment as usize];
        let row = at.first_row as usize + k;
        let start = if row == 0 { 0 } else { seg.ends[row - 1] + 1 };
        &seg.text[start..seg.ends[row]]
    }

    /// The first field of row `k` of the bounce at `at`: its address, lower case.
    pub(super) fn address(&self, at: At, k: usize) -> &str {
        let text = self.row(at, k);
        text.split_once('\u{1}').map_or(text, |(address, _)| address)
    }

    /// The `n` rows of the bounce at `at`, split into their fields.
    pub(super) fn rows(&self, at: At, n: usize) -> Vec<Vec<&str>> {
        (0..n).map(|k| self.row(at, k).split('\u{1}').collect()).collect()
    }

    /// Which rows' text holds `needle` (lower case): one pass over all rows' text, each hit
    /// marking its row. Every row holds the empty needle.
    pub(super) fn holding(&self, needle: &str) -> Vec<bool> {
        if needle.is_empty() {
            return vec![true; self.rows];
        }
        let mut found = vec![false; self.rows];
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        for seg in &self.segments {
            let text = seg.text.as_bytes();
            let (mut pos, mut row) = (0, 0);
            while let Some(off) = finder.find(&text[pos..]) {
                let end = pos + off + needle.len();
                while row < seg.ends.len() && seg.ends[row] < end {
                    row += 1;
                }
                // A hit ending past the last row's text (a needle ending in NUL) is no row's.
                let Some(&row_end) = seg.ends.get(row) else { break };
                found[seg.first_row + row] = true;
                // One hit is enough: go on from the next row.
                pos = row_end + 1;
                if pos >= text.len() {
                    break;
                }
            }
        }
        found
    }
}
