//! A message's header block: found in raw bytes, its line ends made `\n`, and read into fields
//! in order (unfolded, not decoded). The first look of a scan, the Sent index and the MIME view
//! all read headers this way.

use std::borrow::Cow;

/// Header fields in order, names lower-cased, values unfolded and trimmed (not decoded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// Parse a header block (stops at the first empty line). Tolerates junk lines.
    pub fn parse(block: &str) -> Headers {
        let mut out: Vec<(String, String)> = Vec::with_capacity(32);
        let mut start = 0;
        while start < block.len() {
            let end = memchr::memchr(b'\n', &block.as_bytes()[start..]).map_or(block.len(), |i| start + i);
            let line = &block[start..end];
            start = end + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                if let Some(last) = out.last_mut() {
                    if !last.1.is_empty() {
                        last.1.push(' ');
                    }
                    last.1.push_str(line.trim());
                }
                continue;
            }
            // `From ` envelope lines and other junk are skipped, not fatal.
            if let Some(colon) = memchr::memchr(b':', line.as_bytes())
                && is_field_name(&line[..colon])
            {
                out.push((line[..colon].to_ascii_lowercase(), line[colon + 1..].trim().to_string()));
            }
        }
        Headers(out)
    }

    /// First value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// All values of a field, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.len() < 80 && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
}

/// Turn CRLF and CR-only line ends into LF, borrowing when there is nothing to do.
pub fn normalize_newlines(data: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'\r', data).is_none() {
        return Cow::Borrowed(data);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut from = 0;
    for cr in memchr::memchr_iter(b'\r', data) {
        out.extend_from_slice(&data[from..cr]);
        out.push(b'\n');
        from = if data.get(cr + 1) == Some(&b'\n') { cr + 2 } else { cr + 1 };
    }
    out.extend_from_slice(&data[from.min(data.len())..]);
    Cow::Owned(out)
}

/// The header block of raw message bytes (up to the first empty line), lossily decoded.
pub fn header_block(data: &[u8]) -> Cow<'_, str> {
    let end = memchr::memmem::find(data, b"\n\n").map(|i| i + 1).unwrap_or(data.len());
    utf8_lossy(&data[..end])
}

/// `String::from_utf8_lossy`, but valid UTF-8 (nearly all mail) is checked by the fast validator
/// and borrowed: the lossy decoder reads byte by byte.
pub fn utf8_lossy(data: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(data) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(data),
    }
}
