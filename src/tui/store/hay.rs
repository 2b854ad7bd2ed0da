//! The rows' search text: per row, lower case, its recipient and diagnostic and its original's
//! Subject, Message-ID and recipient (the last only when it is not the row's own address), with
//! U+0001 between them and NUL after the row, in segments of about 1 MB (a bounce's rows all in
//! one; only a bounce larger than the slack makes its segment grow), with the set of common
//! characters each row holds. The segments are searched on all cores: one character from the
//! sets, a longer needle in one pass over a segment's text, or row by row where few rows are
//! left to look at (the rows of a shorter needle it holds).

use crate::bounce::Bounce;

/// Size of a segment (small in unit tests, so that they search across many).
const SEGMENT: usize = if cfg!(test) { 300 } else { 1 << 20 };

/// Search text of rows `first_row..`: row `first_row + i` ends at `ends[i]`.
#[derive(Debug)]
struct Segment {
    first_row: usize,
    text: String,
    ends: Vec<usize>,
    /// Per row, which of the characters [`CHARS`] its text holds (bit `i` for `CHARS[i]`): a
    /// search for one character reads these instead of the text.
    chars: Vec<u64>,
}

/// The characters a row's [`Segment::chars`] records: all a search of one character needs for
/// the usual ones.
const CHARS: &[u8; 64] = b"abcdefghijklmnopqrstuvwxyz0123456789 .@-_:;<>()[]/=+,'\"#!?&%*$~|";

/// The bit of `byte` in [`Segment::chars`], if it has one.
fn char_bit(byte: u8) -> Option<u64> {
    CHARS.iter().position(|&c| c == byte).map(|i| 1 << i)
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
                chars: Vec::new(),
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
            let start = seg.ends.last().map_or(0, |e| e + 1);
            let chars = seg.text.as_bytes()[start..].iter().filter_map(|&b| char_bit(b)).fold(0, |m, b| m | b);
            seg.chars.push(chars);
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

    /// Which rows' text holds `needle` (lower case); with `among`, only rows marked there are
    /// looked at (those that held a part of `needle`, as the user types on). The segments are
    /// searched on all cores. Every row holds the empty needle.
    pub(super) fn holding(&self, needle: &str, among: Option<&[bool]>) -> Vec<bool> {
        if needle.is_empty() {
            return vec![true; self.rows];
        }
        let mut found = vec![false; self.rows];
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(self.segments.len()).max(1);
        // Each thread searches a run of whole segments and marks its own part of `found`.
        let mut parts = Vec::new();
        let (mut rest, mut segments) = (found.as_mut_slice(), self.segments.as_slice());
        for t in (1..=threads).rev() {
            let take = segments.len().div_ceil(t);
            let (mine, others) = segments.split_at(take);
            let rows = others.first().map_or(rest.len(), |s| s.first_row - mine[0].first_row);
            let (marks, left) = rest.split_at_mut(rows);
            parts.push((mine, marks));
            (rest, segments) = (left, others);
        }
        std::thread::scope(|scope| {
            for (segs, marks) in parts {
                let finder = &finder;
                scope.spawn(move || {
                    let first = segs.first().map_or(0, |s| s.first_row);
                    for seg in segs {
                        let marks = &mut marks[seg.first_row - first..][..seg.ends.len()];
                        // Where most rows are to be looked at, one pass over the text is quicker.
                        let among = among.map(|a| &a[seg.first_row..][..seg.ends.len()]);
                        match among {
                            Some(a) if a.iter().filter(|&&m| m).count() < a.len() / 4 => {
                                seg.holding_among(finder, marks, a)
                            }
                            Some(a) => {
                                seg.holding(finder, marks);
                                marks.iter_mut().zip(a).for_each(|(m, &a)| *m &= a);
                            }
                            None => seg.holding(finder, marks),
                        }
                    }
                });
            }
        });
        found
    }
}

impl Segment {
    /// Mark in `marks` (one per row of the segment) the rows holding the finder's needle: from
    /// the rows' character sets for one common character, else one pass over the segment's
    /// text, each hit marking its row.
    fn holding(&self, finder: &memchr::memmem::Finder<'_>, marks: &mut [bool]) {
        let (text, len) = (self.text.as_bytes(), finder.needle().len());
        // One character: what each row holds is known.
        if let Some(bit) = finder.needle().first().and_then(|&b| char_bit(b)).filter(|_| len == 1) {
            for (mark, chars) in marks.iter_mut().zip(&self.chars) {
                *mark = chars & bit != 0;
            }
            return;
        }
        // Another character: each row looked at alone (one pass would also mark, for a NUL, the
        // row after it).
        if let [byte] = finder.needle() {
            let mut start = 0;
            for (mark, &end) in marks.iter_mut().zip(&self.ends) {
                *mark = memchr::memchr(*byte, &text[start..end]).is_some();
                start = end + 1;
            }
            return;
        }
        let (mut pos, mut row) = (0, 0);
        while let Some(off) = finder.find(&text[pos..]) {
            let end = pos + off + len;
            while row < self.ends.len() && self.ends[row] < end {
                row += 1;
            }
            // A hit ending past the last row's text (a needle ending in NUL) is no row's.
            let Some(&row_end) = self.ends.get(row) else { break };
            marks[row] = true;
            // One hit is enough: go on from the next row.
            pos = row_end + 1;
            if pos >= text.len() {
                break;
            }
        }
    }

    /// Mark the rows holding the needle among those marked in `among` (from this segment's
    /// first row on), each looked at alone.
    fn holding_among(&self, finder: &memchr::memmem::Finder<'_>, marks: &mut [bool], among: &[bool]) {
        let mut start = 0;
        for (row, &end) in self.ends.iter().enumerate() {
            if among[row] {
                marks[row] = finder.find(&self.text.as_bytes()[start..end]).is_some();
            }
            start = end + 1;
        }
    }
}
