//! How a bounce is packed: numbers in LEB128 (seven bits a byte, most of them one byte), text
//! as its length and bytes, a shared value as its number, and text that is in the search text
//! already as where its capitals are.

use crate::bounce::{DecidedBy, Text};

/// Values many bounces share, once each, by number.
#[derive(Debug, Default)]
pub(super) struct Shared(indexmap::IndexSet<Box<str>, foldhash::fast::RandomState>);

impl Shared {
    pub(super) fn id(&mut self, value: &str) -> u64 {
        match self.0.get_index_of(value) {
            Some(i) => i as u64,
            None => self.0.insert_full(value.into()).0 as u64,
        }
    }

    pub(super) fn get(&self, id: u64) -> &str {
        self.0.get_index(id as usize).map_or("", |v| v)
    }
}

pub(super) fn decided_by_code(d: DecidedBy) -> u64 {
    match d {
        DecidedBy::Provider => 0,
        DecidedBy::Phrase => 1,
        DecidedBy::Status => 2,
        DecidedBy::ReplyCode => 3,
        DecidedBy::Default => 4,
    }
}

pub(super) fn decided_by_of(code: u64) -> DecidedBy {
    match code {
        0 => DecidedBy::Provider,
        1 => DecidedBy::Phrase,
        2 => DecidedBy::Status,
        3 => DecidedBy::ReplyCode,
        _ => DecidedBy::Default,
    }
}

/// Writes a bounce: numbers as LEB128 (seven bits a byte, most of them one byte), text as its
/// length and bytes, a shared value as its number.
pub(super) struct Writer<'a> {
    pub(super) out: Vec<u8>,
    pub(super) shared: &'a mut Shared,
}

impl Writer<'_> {
    pub(super) fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.out.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.out.push(n as u8);
    }

    pub(super) fn text(&mut self, s: &str) {
        self.number(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    pub(super) fn shared(&mut self, s: &str) {
        let id = self.shared.id(s);
        self.number(id);
    }

    /// Text whose lower case is in the search text (`in_hay`): only where its capitals are
    /// (when it is ASCII), as runs of a gap and a length. Else the text itself.
    pub(super) fn cased(&mut self, s: &str, in_hay: bool) {
        if !in_hay || !s.is_ascii() {
            self.number(0);
            self.text(s);
            return;
        }
        let b = s.as_bytes();
        let mut runs = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_uppercase() {
                let start = i;
                while i < b.len() && b[i].is_ascii_uppercase() {
                    i += 1;
                }
                runs.push((start, i - start));
            } else {
                i += 1;
            }
        }
        self.number(1 + runs.len() as u64);
        let mut at = 0;
        for (start, len) in runs {
            self.number((start - at) as u64);
            self.number(len as u64);
            at = start + len;
        }
    }
}

/// Reads what [`Writer`] wrote, in the same order. The bytes are always ours: a short read
/// yields zeros and empty text rather than a panic.
pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) shared: &'a Shared,
}

impl<'a> Reader<'a> {
    pub(super) fn number(&mut self) -> u64 {
        let mut n = 0u64;
        for (i, &b) in self.bytes.iter().enumerate().take(10) {
            n |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                self.bytes = &self.bytes[i + 1..];
                return n;
            }
        }
        self.bytes = &[];
        n
    }

    /// Pass over `n` numbers.
    pub(super) fn skip(&mut self, n: u64) {
        for _ in 0..n {
            self.number();
        }
    }

    pub(super) fn str(&mut self) -> &'a str {
        let len = (self.number() as usize).min(self.bytes.len());
        let (s, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        // Written from a `str`, so always UTF-8.
        std::str::from_utf8(s).unwrap_or_default()
    }

    pub(super) fn text(&mut self) -> Text {
        Text::from(self.str())
    }

    /// What [`Writer::cased`] wrote: the text when it was written out, else `None` (and its
    /// capitals are passed over).
    pub(super) fn plain(&mut self) -> Option<&'a str> {
        match self.number() {
            0 => Some(self.str()),
            runs => {
                self.skip(2 * (runs - 1));
                None
            }
        }
    }

    /// What [`Writer::cased`] wrote, with `lower` the field's search text.
    pub(super) fn cased(&mut self, lower: &str) -> Text {
        let runs = self.number();
        if runs == 0 {
            return self.text();
        }
        let mut out = lower.as_bytes().to_vec();
        let mut at = 0usize;
        for _ in 1..runs {
            let start = at.saturating_add(self.number() as usize);
            let end = start.saturating_add(self.number() as usize).min(out.len());
            out.get_mut(start.min(end)..end).into_iter().for_each(|s| s.make_ascii_uppercase());
            at = end;
        }
        // ASCII in, ASCII out.
        Text::from(std::str::from_utf8(&out).unwrap_or_default())
    }

    pub(super) fn shared_texts<const N: usize>(&mut self) -> [Text; N] {
        std::array::from_fn(|_| {
            let id = self.number();
            Text::from(self.shared.get(id))
        })
    }
}
