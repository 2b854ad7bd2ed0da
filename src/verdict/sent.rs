//! The owner's Sent folder(s): found next to the opened mailbox, read headers-only, and indexed
//! by Message-ID, recipient and date. Also where the owner's own addresses are learned.

use crate::header::{self, Headers};
use crate::mailbox::{self, FileKind, Item, Mailbox};
use crate::text;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Folder names that hold sent mail, in the languages we know (lower case, without `INBOX.`).
const SENT_NAMES: &[&str] = &[
    "sent",
    "sent items",
    "sent messages",
    "sent mail",
    "sent-mail",
    "sentmail",
    "gesendet",
    "gesendete elemente",
    "gesendete objekte",
    "gesendete nachrichten",
    "verzonden",
    "verzonden items",
    "verzonden berichten",
    "envoyés",
    "elementos enviados",
    "posta inviata",
];

fn is_sent_name(name: &str) -> bool {
    let n = name.trim_start_matches('.').to_lowercase();
    let n = n.strip_prefix("inbox.").or_else(|| n.strip_prefix("inbox/")).unwrap_or(&n);
    let n = n.strip_suffix(".mbox").unwrap_or(n);
    SENT_NAMES.contains(&n)
}

/// Sent folders for the given mailbox PATHs: Maildir++ sub-folders, and `Sent` mbox files or
/// Maildirs beside an mbox or inside a folder of mailboxes.
pub fn find_sent_folders(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for p in paths {
        let dir = if p.is_dir() { p.clone() } else { p.parent().map(Path::to_path_buf).unwrap_or_default() };
        if p.is_file() && p.file_name().is_some_and(|n| is_sent_name(&n.to_string_lossy())) {
            found.push(p.clone());
            continue;
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            for child in names {
                let name = child.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if is_sent_name(&name) && !found.contains(&child) && &child != p {
                    found.push(child);
                }
            }
        }
    }
    found
}

/// What the Sent folders say.
#[derive(Debug, Clone, Default)]
pub struct SentIndex {
    /// Message-IDs without brackets, lower case.
    pub message_ids: HashSet<String>,
    /// Recipient address (lower case) → dates it was written to (Unix seconds).
    pub recipients: HashMap<String, Vec<i64>>,
    /// From address (lower case) → how many sent messages carry it.
    pub from_counts: HashMap<String, usize>,
    /// Oldest and newest Date seen (0 when none).
    pub first: i64,
    pub last: i64,
    pub count: usize,
    /// Display names of the folders read.
    pub folders: Vec<String>,
}

/// Normalise a Message-ID for comparison: brackets and white space stripped, lower case.
pub fn normalize_mid(mid: &str) -> String {
    mid.trim().trim_start_matches('<').trim_end_matches('>').trim().to_ascii_lowercase()
}

/// How much of a sent message is read: its headers are in the first 64 KB.
const SENT_HEAD_BYTES: usize = 64 * 1024;

impl SentIndex {
    /// Read the Sent folders (headers only).
    pub fn build(folders: &[PathBuf]) -> SentIndex {
        let mut idx = SentIndex::default();
        for f in folders {
            let Ok(mb) = Mailbox::open(f) else { continue };
            idx.folders.push(f.display().to_string());
            for entry in &mb.entries {
                let items: Box<dyn Iterator<Item = Item>> = match entry.kind {
                    // Headers only: a sent message's first 64 KB hold them.
                    FileKind::Single => Box::new(std::iter::once(mailbox::read_message(entry, SENT_HEAD_BYTES))),
                    FileKind::Mbox => mailbox::read_entry(entry),
                };
                for item in items {
                    if let Item::Message(m) = item {
                        idx.add(&m.data);
                    }
                }
            }
        }
        idx
    }

    /// Add one sent message (raw bytes; only the header block is read).
    pub fn add(&mut self, raw: &[u8]) {
        let data = header::normalize_newlines(raw);
        let h = Headers::parse(&header::header_block(&data));
        if h.is_empty() {
            return;
        }
        self.count += 1;
        if let Some(mid) = h.get("message-id") {
            self.message_ids.insert(normalize_mid(mid));
        }
        let date = h.get("date").map(parse_date).unwrap_or(0);
        if date != 0 {
            self.first = if self.first == 0 { date } else { self.first.min(date) };
            self.last = self.last.max(date);
        }
        for field in ["to", "cc", "bcc"] {
            for v in h.all(field) {
                for a in text::addresses(v) {
                    self.recipients.entry(a.to_ascii_lowercase()).or_default().push(date);
                }
            }
        }
        if let Some(from) = h.get("from").and_then(|f| text::addresses(f).next()) {
            *self.from_counts.entry(from.to_ascii_lowercase()).or_default() += 1;
        }
    }

    /// The owner's addresses: From addresses used more than once (or the only one there is).
    pub fn owner_addresses(&self) -> Vec<String> {
        let mut v: Vec<(&String, &usize)> = self.from_counts.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let repeated: Vec<String> = v.iter().filter(|(_, n)| **n >= 2).map(|(a, _)| (*a).clone()).collect();
        if !repeated.is_empty() { repeated } else { v.first().map(|(a, _)| vec![(*a).clone()]).unwrap_or_default() }
    }
}

/// Parse an RFC 5322 date to Unix seconds (0 when it cannot be read).
pub fn parse_date(value: &str) -> i64 {
    let raw = format!("Date: {value}\n\n");
    mail_parser::MessageParser::default()
        .parse_headers(raw.as_bytes())
        .and_then(|m| m.date().map(|d| d.to_timestamp()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_names() {
        assert!(is_sent_name(".Sent"));
        assert!(is_sent_name(".INBOX.Sent Items"));
        assert!(is_sent_name("Verzonden items"));
        assert!(is_sent_name("Gesendet"));
        assert!(is_sent_name("sent.mbox"));
        assert!(!is_sent_name(".Junk"));
    }

    #[test]
    fn index_and_owner() {
        let mut idx = SentIndex::default();
        for i in 0..3 {
            idx.add(format!("Message-ID: <m{i}@example.net>\nFrom: Owner <owner@example.net>\nTo: a{i}@x.example\nDate: Mon, 02 Nov 2026 10:0{i}:00 +0100\n\nbody").as_bytes());
        }
        idx.add(b"Message-ID: <z@example.net>\nFrom: other@example.net\nTo: b@x.example\n\n");
        assert!(idx.message_ids.contains("m1@example.net"));
        assert_eq!(idx.owner_addresses(), vec!["owner@example.net".to_string()]);
        assert!(idx.recipients.contains_key("a2@x.example"));
        assert_eq!(idx.count, 4);
        assert!(idx.first > 0 && idx.last > idx.first);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("Thu, 01 Jan 1970 00:01:00 +0000"), 60);
        assert_eq!(parse_date("nonsense"), 0);
    }
}
