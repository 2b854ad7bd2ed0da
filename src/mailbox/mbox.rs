//! Streaming mbox reader (mboxo/mboxrd). `Content-Length` is never trusted: only `From ` lines
//! after an empty line separate messages, and `>From ` lines are unescaped by one level.
//!
//! The file is read in large blocks (the pieces of a large mbox by positioned reads of their
//! own), and separators are found with a SIMD search (`separator`). With the header-only first
//! look on, an ordinary message is never copied: its header block is checked in place and its
//! body (attachments included) is skipped. Memory stays bounded by the block size and the
//! per-message cap, whatever the size of the mbox.

use super::{Item, MAX_MESSAGE_BYTES, RawMessage, Unreadable, io_reason, separator};
use crate::prefilter;
use std::io::Read;

/// Bytes per read; small in unit tests, so that messages and
/// separators straddle blocks often.
const BLOCK: usize = if cfg!(test) { 4 << 10 } else { 256 << 10 };

/// Yields the messages of one mbox file, one at a time.
pub struct MboxReader<R: Read> {
    inner: R,
    source: String,
    folder: String,
    /// When on, ordinary messages (by their header) are reported as `Item::Ordinary`.
    first_look: bool,
    /// Block buffer, allocated (and zeroed) once; data lives in `buf[..hi]`.
    buf: Vec<u8>,
    hi: usize,
    /// Start of unconsumed data in `buf`.
    pos: usize,
    eof: bool,
    started: bool,
    done: bool,
    ordinal: usize,
    /// Where `data()[0]` lies in the file.
    origin: u64,
    /// Bytes `inner` should give (see [`MboxReader::expecting`]), and bytes it gave.
    expected: Option<u64>,
    got: u64,
    /// A file cut short has been reported.
    shrink_noted: bool,
    /// Bytes (not counting white space) before the first `From ` line: reported once.
    junk: usize,
}

impl<R: Read> MboxReader<R> {
    /// Read messages from `inner`; `source` is the file's name, used as `FILE:N`.
    pub fn new(inner: R, source: String, folder: String) -> Self {
        MboxReader {
            inner,
            source,
            folder,
            first_look: false,
            buf: Vec::new(),
            hi: 0,
            pos: 0,
            eof: false,
            started: false,
            done: false,
            ordinal: 0,
            expected: None,
            got: 0,
            shrink_noted: false,
            junk: 0,
            origin: 0,
        }
    }

    /// The input starts at byte `offset` of the file (a piece of it): message offsets count
    /// from the file's start.
    pub fn starting_at(mut self, offset: u64) -> Self {
        self.origin = offset;
        self
    }

    /// `inner` should give `len` bytes: when it ends sooner (the file was cut while it was
    /// read), that is reported once at the end.
    pub fn expecting(mut self, len: u64) -> Self {
        self.expected = Some(len);
        self
    }

    /// The bytes read so far: `data()[..hi]`.
    fn data(&self) -> &[u8] {
        &self.buf
    }

    /// Report ordinary messages as `Item::Ordinary` without copying them (for scans).
    pub fn with_first_look(mut self) -> Self {
        self.first_look = true;
        self
    }

    /// Read through `buf` (a buffer from an earlier reader, see [`MboxReader::into_buffer`]):
    /// a fresh block buffer costs page faults and zeroing, for every piece of a large mbox.
    pub fn with_buffer(mut self, buf: Vec<u8>) -> Self {
        self.buf = buf;
        self
    }

    /// The block buffer, for the next reader.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// How many messages were read so far (the ordinal of the last one).
    pub fn messages_read(&self) -> usize {
        self.ordinal
    }

    /// Read another block; false at end of file.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        crate::ui_thread::forbid("reading a message file");
        // Drop what is consumed, keeping two bytes before `pos`: a separator's empty line is
        // recognised by the bytes just before it.
        let drop = self.pos.saturating_sub(2);
        if drop > 0 {
            self.origin += drop as u64;
            self.buf.copy_within(drop..self.hi, 0);
            self.hi -= drop;
            self.pos -= drop;
        }
        if self.buf.len() < self.hi + BLOCK {
            self.buf.resize(self.hi + BLOCK, 0);
        }
        let n = loop {
            match self.inner.read(&mut self.buf[self.hi..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.hi += n;
        self.got += n as u64;
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// Index (absolute in `buf`) of the next separator's "\nFrom " at or after `from`: a
    /// `From ` line that follows an empty line.
    fn find_separator(&self, from: usize) -> Option<usize> {
        separator_after(&self.data()[..self.hi], from)
    }

    fn unreadable(&self, reason: String) -> Item {
        Item::Unreadable(Unreadable { source: format!("{}:{}", self.source, self.ordinal.max(1)), reason })
    }

    /// Once, at the end: a file that was cut while it was read.
    fn shrink_note(&mut self) -> Option<Item> {
        if self.shrink_noted || !self.eof || self.expected.is_none_or(|e| self.got >= e) {
            return None;
        }
        self.shrink_noted = true;
        Some(Item::Unreadable(Unreadable {
            source: self.source.clone(),
            reason: "the file was cut while it was being read; its last messages may be incomplete".into(),
        }))
    }

    /// Skip to just after the next `From ` line that starts a message (the first one).
    /// Bytes passed over that are not white space are counted in `junk`.
    fn find_first(&mut self) -> Result<bool, std::io::Error> {
        let not_blank = |d: &[u8]| d.iter().filter(|b| !b.is_ascii_whitespace()).count();
        loop {
            let data = &self.data()[self.pos..self.hi];
            if data.starts_with(b"From ") {
                break;
            }
            // The first separator may follow junk directly (no empty line before it):
            // `separator::find` gives the `\n` before any `From ` line.
            if let Some(off) = separator::find(data).map(|o| o + 1) {
                self.junk += not_blank(&data[..off]);
                self.pos += off;
                break;
            }
            // Keep the last few bytes: a separator may straddle the block boundary.
            let keep = data.len().min(5);
            self.junk += not_blank(&data[..data.len() - keep]);
            self.pos = self.hi - keep;
            if !self.fill()? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Can a large mbox be read in pieces? Only when it starts with a `From ` line (leading junk is
/// left to the sequential reader).
pub fn starts_with_separator(file: &std::fs::File) -> bool {
    use std::os::unix::fs::FileExt;
    let mut head = [0u8; 5];
    file.read_exact_at(&mut head, 0).is_ok() && &head == b"From "
}

/// Where a piece of an mbox that should begin at `at` really begins: the offset of the first
/// separator `From ` line (one after an empty line) at or after `at`, or `len`. The sequential
/// reader starts a message at each such offset, so pieces cut there and read alone give the
/// same messages as one stream.
pub fn next_separator(file: &std::fs::File, at: u64, len: u64) -> std::io::Result<u64> {
    use std::os::unix::fs::FileExt;
    if at == 0 || at >= len {
        return Ok(at.min(len));
    }
    let mut block = vec![0u8; 64 * 1024];
    // Search from three bytes back: the empty line before a separator ends there.
    let mut base = at.saturating_sub(3);
    loop {
        let n = file.read_at(&mut block, base)?;
        if n == 0 {
            return Ok(len);
        }
        if let Some(start) = separator_in(&block[..n], base, at) {
            return Ok(start);
        }
        if base + n as u64 >= len {
            return Ok(len);
        }
        // Overlap: a separator may straddle two blocks.
        base += n.saturating_sub(8).max(1) as u64;
    }
}

/// The offset of the first separator line at or after `at` in `buf`, which holds the file's
/// bytes from offset `base`.
fn separator_in(buf: &[u8], base: u64, at: u64) -> Option<u64> {
    separator_after(buf, at.saturating_sub(base + 1) as usize).map(|j| base + j as u64 + 1)
}

/// Index of the `\n` of the first `\nFrom ` at or after `from` that follows an empty line
/// (`\n\n` or `\n\r\n` before it; the bytes before `from` are looked at too).
fn separator_after(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(off) = separator::find(&buf[at.min(buf.len())..]) {
        let j = at + off;
        let blank = (j >= 1 && buf[j - 1] == b'\n') || (j >= 2 && buf[j - 1] == b'\r' && buf[j - 2] == b'\n');
        if blank {
            return Some(j);
        }
        at = j + 1;
    }
    None
}

/// `>From `, `>>From ` … (mboxrd quoting): drop one `>` from each such line.
fn unescape(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    for line in data.split_inclusive(|&b| b == b'\n') {
        let n = line.iter().take_while(|&&b| b == b'>').count();
        if n > 0 && line[n..].starts_with(b"From ") {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

impl<R: Read> Iterator for MboxReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return self.shrink_note();
        }
        if !self.started {
            self.started = true;
            match self.fill().and_then(|_| self.find_first()) {
                Ok(true) if self.junk > 0 => {
                    let junk = std::mem::take(&mut self.junk);
                    return Some(Item::Unreadable(Unreadable {
                        source: self.source.clone(),
                        reason: format!(
                            "{junk} bytes before the first `From ` line are not a message; skipped, the messages after them are read"
                        ),
                    }));
                }
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    self.ordinal = 1;
                    return Some(Item::Unreadable(Unreadable {
                        source: format!("{}:1", self.source),
                        reason: "no `From ` separator line: not an mbox".into(),
                    }));
                }
                Err(e) => {
                    self.done = true;
                    return Some(self.unreadable(io_reason(&e)));
                }
            }
        }
        // `pos` is at a "From " line: skip it.
        let start = self.origin + self.pos as u64;
        loop {
            if let Some(nl) = memchr::memchr(b'\n', &self.data()[self.pos..self.hi]) {
                self.pos += nl + 1;
                break;
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(self.unreadable(io_reason(&e)));
                }
            }
        }
        self.ordinal += 1;
        // Find where this message ends, reading on as needed. Decide on the first look as soon
        // as the header block is complete; an ordinary message's body is then only searched.
        let mut verdict: Option<bool> = None; // Some(true): keep (candidate)
        let mut kept: Vec<u8> = Vec::new();
        let mut truncated = false;
        loop {
            let end = self.find_separator(self.pos);
            let avail = end.unwrap_or(self.hi);
            if verdict.is_none() && self.first_look {
                let msg = &self.data()[self.pos..avail];
                if let Some(h) = prefilter::header_end(msg) {
                    verdict = Some(prefilter::candidate(&msg[..h]));
                } else if end.is_some() || self.eof || msg.len() > prefilter::HEAD_BYTES * 16 {
                    verdict = Some(true);
                }
            }
            let keep = !self.first_look || verdict == Some(true) || verdict.is_none();
            if let Some(j) = end {
                // `j` is the empty line's "\n"; with CRLF its "\r" sits just before it.
                let stop = if self.data()[j - 1] == b'\r' { j - 1 } else { j };
                if keep {
                    append_capped(&mut kept, &self.data()[self.pos..stop.max(self.pos)], &mut truncated);
                }
                self.pos = j + 1;
                break;
            }
            if self.eof {
                if keep {
                    append_capped(&mut kept, &self.data()[self.pos..self.hi], &mut truncated);
                }
                self.pos = self.hi;
                self.done = true;
                break;
            }
            // Not found in what we have: keep (or drop) the data so far, then read on. Hold back
            // a few bytes so a separator straddling the boundary is still found.
            let hold = 7.min(self.hi - self.pos);
            let upto = self.hi - hold;
            if verdict.is_some() || !self.first_look {
                if keep {
                    append_capped(&mut kept, &self.data()[self.pos..upto], &mut truncated);
                }
                self.pos = upto;
            }
            match self.fill() {
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(self.unreadable(format!("read error: {}", io_reason(&e))));
                }
            }
        }
        if self.first_look && verdict == Some(false) {
            return Some(Item::Ordinary(self.ordinal));
        }
        // The empty line that ends the file belongs to the mbox format, not to the message.
        if self.done {
            if kept.ends_with(b"\r\n\r\n") {
                kept.truncate(kept.len() - 2);
            } else if kept.ends_with(b"\n\n") {
                kept.truncate(kept.len() - 1);
            }
        }
        let source = format!("{}:{}", self.source, self.ordinal);
        if kept.iter().all(|b| b.is_ascii_whitespace()) {
            return Some(Item::Unreadable(Unreadable { source, reason: "empty message".into() }));
        }
        let data = if memchr::memmem::find(&kept, b">From ").is_some() { unescape(&kept) } else { kept };
        Some(Item::Message(RawMessage { source, folder: self.folder.clone(), data, truncated, offset: start }))
    }
}

fn append_capped(out: &mut Vec<u8>, data: &[u8], truncated: &mut bool) {
    let room = MAX_MESSAGE_BYTES.saturating_sub(out.len());
    if data.len() > room {
        *truncated = true;
    }
    out.extend_from_slice(&data[..data.len().min(room)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<Item> {
        MboxReader::new(text.as_bytes(), "box".into(), "box".into()).collect()
    }

    fn bodies(items: &[Item]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|i| match i {
                Item::Message(m) => (m.source.clone(), String::from_utf8_lossy(&m.data).into_owned()),
                Item::Unreadable(u) => (u.source.clone(), format!("ERR {}", u.reason)),
                Item::Ordinary(n) => (format!("box:{n}"), "ORDINARY".into()),
            })
            .collect()
    }

    #[test]
    fn a_file_cut_while_read_is_reported() {
        let text = format!("From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\n{}\n", "line\n".repeat(20_000));
        let mut f = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
        f.set_len(5000).unwrap();
        std::io::Seek::rewind(&mut f).unwrap();
        let items: Vec<Item> = MboxReader::new(f, "box".into(), "box".into()).expecting(text.len() as u64).collect();
        let Some(Item::Unreadable(note)) = items.last() else { panic!("{:?}", bodies(&items)) };
        assert_eq!(note.source, "box");
        assert!(note.reason.contains("cut while it was being read"), "{}", note.reason);
        // Read whole, nothing is said.
        let whole: Vec<Item> =
            MboxReader::new(text.as_bytes(), "box".into(), "box".into()).expecting(text.len() as u64).collect();
        assert!(whole.iter().all(|i| matches!(i, Item::Message(_))), "{:?}", bodies(&whole));
    }

    #[test]
    fn splits_on_from_lines_and_unescapes() {
        let text = "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\n>From here\n>>From there\n\nFrom c@d Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody\n";
        let got = bodies(&read_all(text));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], ("box:1".into(), "Subject: one\n\nFrom here\n>From there\n".into()));
        assert_eq!(got[1], ("box:2".into(), "Subject: two\n\nbody\n".into()));
    }

    #[test]
    fn from_inside_a_paragraph_does_not_split() {
        let text = "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nline\nFrom me to you\n";
        let got = bodies(&read_all(text));
        assert_eq!(got.len(), 1);
        assert!(got[0].1.contains("From me to you"));
    }

    #[test]
    fn content_length_is_ignored() {
        let text = "From a@b Mon Jan  1 00:00:00 2024\nContent-Length: 9999\n\nshort\n\nFrom c@d Mon Jan  1 00:00:00 2024\n\nsecond\n";
        assert_eq!(read_all(text).len(), 2);
    }

    #[test]
    fn no_separator_is_reported() {
        let got = bodies(&read_all("Subject: x\n\nbody\n"));
        assert_eq!(got, vec![("box:1".into(), "ERR no `From ` separator line: not an mbox".into())]);
    }

    #[test]
    fn crlf_mbox_and_separators_across_blocks() {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&format!(
                "From x Mon Jan  1 00:00:00 2024\r\nSubject: m{i}\r\n\r\n{}\r\n\r\n",
                "z".repeat(9000)
            ));
        }
        let got = bodies(&read_all(&text));
        assert_eq!(got.len(), 300);
        assert!(got[299].1.starts_with("Subject: m299\r\n"));
        assert!(got.iter().all(|(_, b)| b.ends_with("z\r\n")), "{:?}", &got[0].1[9000..]);
    }

    #[test]
    fn first_look_skips_ordinary_mail_without_copying() {
        let text = "From a Mon Jan  1 00:00:00 2024\nFrom: friend@example.org\nSubject: lunch\n\nhi\n\nFrom b Mon Jan  1 00:00:00 2024\nFrom: MAILER-DAEMON@x\nSubject: failure notice\n\n<a@b>: 550 unknown\n";
        let items: Vec<Item> =
            MboxReader::new(text.as_bytes(), "box".into(), String::new()).with_first_look().collect();
        let got = bodies(&items);
        assert_eq!(got[0], ("box:1".into(), "ORDINARY".into()));
        assert!(got[1].1.starts_with("From: MAILER-DAEMON"));
    }
}
