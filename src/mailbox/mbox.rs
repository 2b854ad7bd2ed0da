//! Streaming mbox reader (mboxo/mboxrd). `Content-Length` is never trusted: only `From ` lines
//! separate messages, and `>From ` lines are unescaped by one level.

use super::{io_reason, Item, RawMessage, Unreadable, MAX_MESSAGE_BYTES};
use std::io::{BufRead, BufReader, Read};

/// Yields the messages of one mbox file, one at a time.
pub struct MboxReader<R: Read> {
    reader: BufReader<R>,
    source: String,
    folder: String,
    ordinal: usize,
    line: Vec<u8>,
    /// A separator line already read that starts the next message.
    pending_start: bool,
    done: bool,
}

impl<R: Read> MboxReader<R> {
    /// Read messages from `inner`; `source` is the file's name, used as `FILE:N`.
    pub fn new(inner: R, source: String, folder: String) -> Self {
        MboxReader {
            reader: BufReader::with_capacity(64 * 1024, inner),
            source,
            folder,
            ordinal: 0,
            line: Vec::with_capacity(256),
            pending_start: false,
            done: false,
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b'\n' || b == b'\r')
}

/// `>From `, `>>From ` … (mboxrd quoting): returns how many `>` to drop (one) if quoted.
fn is_quoted_from(line: &[u8]) -> bool {
    let n = line.iter().take_while(|&&b| b == b'>').count();
    n > 0 && line[n..].starts_with(b"From ")
}

impl<R: Read> Iterator for MboxReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        // Find the start of the next message (skip anything before the first `From ` line).
        if !self.pending_start {
            loop {
                self.line.clear();
                match self.reader.read_until(b'\n', &mut self.line) {
                    Ok(0) => {
                        self.done = true;
                        if self.ordinal == 0 {
                            self.ordinal = 1;
                            return Some(Item::Unreadable(Unreadable {
                                source: format!("{}:1", self.source),
                                reason: "no `From ` separator line: not an mbox".into(),
                            }));
                        }
                        return None;
                    }
                    Ok(_) if self.line.starts_with(b"From ") => break,
                    Ok(_) => continue,
                    Err(e) => {
                        self.done = true;
                        return Some(self.unreadable(io_reason(&e)));
                    }
                }
            }
        }
        self.pending_start = false;
        self.ordinal += 1;
        let mut data: Vec<u8> = Vec::with_capacity(4096);
        let mut truncated = false;
        let mut prev_blank = false;
        loop {
            self.line.clear();
            match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(self.unreadable(format!("read error: {}", io_reason(&e))));
                }
            }
            if prev_blank && self.line.starts_with(b"From ") {
                self.pending_start = true;
                break;
            }
            prev_blank = is_blank(&self.line);
            let content: &[u8] = if is_quoted_from(&self.line) { &self.line[1..] } else { &self.line };
            if data.len() + content.len() <= MAX_MESSAGE_BYTES {
                data.extend_from_slice(content);
            } else {
                truncated = true;
            }
        }
        // The blank line before a separator belongs to the mbox format, not to the message.
        if self.pending_start {
            if data.ends_with(b"\r\n") {
                data.truncate(data.len() - 2);
            } else if data.ends_with(b"\n") {
                data.truncate(data.len() - 1);
            }
        }
        let source = format!("{}:{}", self.source, self.ordinal);
        if data.iter().all(|b| b.is_ascii_whitespace()) {
            return Some(Item::Unreadable(Unreadable { source, reason: "empty message".into() }));
        }
        Some(Item::Message(RawMessage { source, folder: self.folder.clone(), data, truncated }))
    }
}

impl<R: Read> MboxReader<R> {
    fn unreadable(&self, reason: String) -> Item {
        Item::Unreadable(Unreadable { source: format!("{}:{}", self.source, self.ordinal.max(1)), reason })
    }
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
            })
            .collect()
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
}
