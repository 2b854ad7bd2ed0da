//! A message's header block: found in raw bytes, its line ends made `\n`, and read into fields
//! in order (unfolded, not decoded). The first look of a scan, the Sent index and the MIME view
//! all read headers this way.

use std::borrow::Cow;

/// Header fields in order, names lower-cased, values unfolded and trimmed (not decoded). All
/// names and values are kept in one string: a bounce's header and its original's hold some
/// forty fields, which as a pair of strings each made the parse mostly allocation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers {
    text: String,
    fields: Vec<Field>,
}

/// Where a field's name and value are in [`Headers::text`]: the name from `name`, the value
/// from `value` to `end`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Field {
    name: u32,
    value: u32,
    end: u32,
}

impl Headers {
    /// Parse a header block (stops at the first empty line). Tolerates junk lines.
    pub fn parse(block: &str) -> Headers {
        // A headers part may hold more than its header block: its first 64 KB are room enough.
        let mut out =
            Headers { text: String::with_capacity(block.len().min(64 * 1024)), fields: Vec::with_capacity(32) };
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
                // The last field's value is at the end of the text.
                if let Some(last) = out.fields.last_mut() {
                    if last.end > last.value {
                        out.text.push(' ');
                    }
                    out.text.push_str(line.trim());
                    last.end = out.text.len() as u32;
                }
                continue;
            }
            // `From ` envelope lines and other junk are skipped, not fatal.
            if let Some(colon) = memchr::memchr(b':', line.as_bytes())
                && is_field_name(&line[..colon])
            {
                let name = out.text.len() as u32;
                out.text.push_str(&line[..colon]);
                out.text[name as usize..].make_ascii_lowercase();
                let value = out.text.len() as u32;
                out.text.push_str(line[colon + 1..].trim());
                out.fields.push(Field { name, value, end: out.text.len() as u32 });
            }
        }
        out
    }

    /// The fields in order: (name, value).
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.fields
            .iter()
            .map(|f| (&self.text[f.name as usize..f.value as usize], &self.text[f.value as usize..f.end as usize]))
    }

    /// First value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// All values of a field, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields().filter(move |(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_in_order_unfolded_with_names_in_lower_case() {
        let h = Headers::parse(
            "From mailer-daemon Tue Dec  1 10:00:00 2026\nReceived: a\n\tb\nX-Empty:\n  \nSUBJECT:  Undelivered \nreceived: c\n\nBody: no\n",
        );
        let fields: Vec<(&str, &str)> = h.fields().collect();
        assert_eq!(fields, [("received", "a b"), ("x-empty", ""), ("subject", "Undelivered"), ("received", "c")]);
        assert_eq!(h.get("received"), Some("a b"));
        assert_eq!(h.all("received").collect::<Vec<_>>(), ["a b", "c"]);
        assert_eq!(h.get("body"), None);
        assert!(Headers::parse("\nSubject: x\n").is_empty());
    }
}
