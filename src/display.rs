//! The detail pane's view of a message: read again from its mailbox, made safe for a terminal,
//! and the key diagnostic line of each recipient located in it.

use crate::bounce::Bounce;
use crate::engine::Input;
use crate::mailbox::{Entry, FileKind, Item};
use crate::mime;
use crate::sanitize;
use std::path::PathBuf;

/// The readable text of a message (decoded text parts and delivery-status fields, then the
/// original's headers), sanitised for display, with the byte range of each recipient's key line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub text: String,
    /// One entry per recipient of the bounce: where its key diagnostic line is in `text`.
    pub highlights: Vec<Option<std::ops::Range<usize>>>,
}

/// Render a raw message for the detail pane and find the key lines of `bounce` in it.
/// Loads the full message once; the list keeps only the compact `Bounce`.
pub fn render(raw: &[u8], bounce: Option<&Bounce>) -> Rendered {
    let Some(mail) = mime::parse(raw) else {
        return Rendered { text: sanitize::text(&String::from_utf8_lossy(raw)), highlights: Vec::new() };
    };
    let mut text = String::new();
    let has_plain = mail.parts.iter().any(|p| p.ctype == "text/plain");
    for p in &mail.parts {
        let show = p.ctype == "text/plain"
            || (!has_plain && p.ctype == "text/html")
            || p.ctype.contains("delivery-status")
            || p.ctype.contains("rfc822-headers")
            || p.ctype.contains("feedback-report");
        if show {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&p.text);
        }
    }
    let text = sanitize::text(&text);
    // Recipients often share a diagnostic line: find each distinct one once.
    let mut found: std::collections::HashMap<&str, Option<std::ops::Range<usize>>> = std::collections::HashMap::new();
    let highlights = bounce
        .map(|b| {
            b.recipients
                .iter()
                .map(|r| found.entry(r.diagnostic.as_str()).or_insert_with(|| locate(&text, &r.diagnostic)).clone())
                .collect()
        })
        .unwrap_or_default();
    Rendered { text, highlights }
}

/// Where a (one-line, whitespace-folded) key line occurs in a multi-line text: the byte range
/// of the line that holds its start. Tolerates the folding of white space and line breaks.
pub fn locate(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let words: Vec<&str> = key.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    // Match on the first few words, allowing any white space (including new lines) between them.
    let probe: Vec<String> = words.iter().take(6).map(|w| regex::escape(w)).collect();
    let re = regex::Regex::new(&probe.join(r"\s+")).ok()?;
    let m = re.find(text)?;
    let start = text[..m.start()].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[m.start()..].find('\n').map(|i| m.start() + i).unwrap_or(text.len());
    Some(start..end)
}

/// Read one message again by its source (for the detail pane and the raw view). An mbox message
/// (`FILE:N`) is read from `offset`, where the scan found it, when a message still starts there;
/// else the file is read from the start to its N-th message.
pub fn load_raw(input: &Input, source: &str, offset: u64) -> Option<Vec<u8>> {
    crate::ui_thread::forbid("reading a message file");
    match input {
        Input::Demo => crate::demo::messages().into_iter().find(|m| m.source == source).map(|m| m.data),
        Input::Paths(paths) => {
            for root in paths {
                // With several mailboxes a message is named by its PATH (see `Mailbox::name_by_root`).
                let named;
                let source = if paths.len() > 1 {
                    let label = root.display().to_string();
                    match source.strip_prefix(label.as_str()) {
                        Some(rest) if root.is_dir() && rest.starts_with('/') => &rest[1..],
                        Some(rest) if !root.is_dir() && (rest.is_empty() || rest.starts_with(':')) => {
                            named = format!("{}{rest}", root.file_name()?.to_string_lossy());
                            named.as_str()
                        }
                        _ => continue,
                    }
                } else {
                    source
                };
                let direct = if root.is_dir() {
                    root.join(source)
                } else if root.file_name().is_some_and(|n| n.to_string_lossy() == source) {
                    root.clone()
                } else {
                    PathBuf::new()
                };
                // An mbox message is "FILE:N"; a Maildir message's name may hold a ':' too.
                let in_mbox = source.rsplit_once(':').and_then(|(file, n)| Some((file, n.parse::<usize>().ok()?)));
                if direct.is_file() || (in_mbox.is_none() && root.is_dir()) {
                    // The mailbox's one reader, which follows a message its mail client moved.
                    let entry = Entry::new(&direct, source.to_string(), String::new(), FileKind::Single);
                    if let Item::Message(m) = crate::mailbox::read_message(&entry, crate::mailbox::MAX_MESSAGE_BYTES) {
                        return Some(m.data);
                    }
                    continue;
                }
                let Some((file, n)) = in_mbox else { continue };
                let mbox = if root.is_dir() {
                    root.join(file)
                } else if root.file_name().is_some_and(|f| f.to_string_lossy() == file) {
                    root.clone()
                } else {
                    continue;
                };
                let f = std::fs::File::open(&mbox).ok()?;
                // A packed mbox cannot be entered in the middle: its messages are counted.
                let packed = crate::mailbox::packed::is_packed(&mbox);
                if !packed
                    && (offset > 0 || n == 1)
                    && let Some(data) = message_at(&f, offset, file)
                {
                    return Some(data);
                }
                let unpacked = crate::mailbox::packed::unpack(f).ok()?;
                let reader = crate::mailbox::MboxReader::new(unpacked, file.to_string(), String::new());
                if let Some(Item::Message(m)) = reader.into_iter().nth(n - 1) {
                    return Some(m.data);
                }
            }
            None
        }
    }
}

/// The mbox message whose `From ` line starts at `offset`, if one still does: at the file's start
/// or after an empty line (else the file has changed, and the caller counts messages instead).
pub(crate) fn message_at(file: &std::fs::File, offset: u64, name: &str) -> Option<Vec<u8>> {
    use std::io::Seek;
    use std::os::unix::fs::FileExt;
    let back = offset.min(3) as usize;
    let mut around = [0u8; 8];
    let n = file.read_at(&mut around, offset - back as u64).ok()?;
    let (gap, line) = around[..n].split_at(back.min(n));
    let blank_before = matches!(gap, [] | [.., b'\n', b'\n'] | [b'\n', b'\r', b'\n']);
    if !blank_before || !line.starts_with(b"From ") {
        return None;
    }
    let mut f = file.try_clone().ok()?;
    f.seek(std::io::SeekFrom::Start(offset)).ok()?;
    match crate::mailbox::MboxReader::new(f, name.to_string(), String::new()).next() {
        Some(Item::Message(m)) => Some(m.data),
        _ => None,
    }
}

#[cfg(test)]
mod render_tests {
    use super::*;
    use crate::bounce::Kind;
    use crate::classify::Rules;
    use crate::pipeline::analyze_message;

    #[test]
    fn key_line_is_found_in_the_rendered_text() {
        let rules = Rules::builtin();
        let msgs = crate::demo::messages();
        for raw in &msgs {
            let b = analyze_message(&rules, raw).unwrap().unwrap();
            if b.kind != Kind::Bounce {
                continue;
            }
            let r = render(&raw.data, Some(&b));
            let range = r.highlights[0].clone().unwrap_or_else(|| panic!("{}: key line not found", raw.source));
            let line = &r.text[range];
            assert!(
                line.contains(b.recipients[0].diagnostic.split_whitespace().next().unwrap()),
                "{}: {line}",
                raw.source
            );
        }
    }

    #[test]
    fn a_message_moved_by_its_mail_client_is_read_again_at_its_new_name() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("new/1700000000.M1.host"), "Subject: hallo\n\nbody\n").unwrap();
        let input = Input::Paths(vec![dir.path().to_path_buf()]);
        let listed = "new/1700000000.M1.host";
        assert_eq!(load_raw(&input, listed, 0).as_deref(), Some(&b"Subject: hallo\n\nbody\n"[..]));
        // Read and flagged since the listing: now in cur/ with flags.
        std::fs::rename(dir.path().join(listed), dir.path().join("cur/1700000000.M1.host:2,S")).unwrap();
        assert_eq!(load_raw(&input, listed, 0).as_deref(), Some(&b"Subject: hallo\n\nbody\n"[..]));
        assert_eq!(
            load_raw(&input, "cur/1700000000.M1.host:2,S", 0).as_deref(),
            Some(&b"Subject: hallo\n\nbody\n"[..])
        );
        assert_eq!(load_raw(&input, "new/gone", 0), None);
    }

    #[test]
    fn locate_tolerates_folding() {
        let text = "a\nhost said: 550 5.1.1\n   user unknown\nb";
        let r = locate(text, "host said: 550 5.1.1 user unknown").unwrap();
        assert_eq!(&text[r], "host said: 550 5.1.1");
        assert_eq!(locate(text, "nothing like it"), None);
    }
}
