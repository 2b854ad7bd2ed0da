//! Mailbox sources: detect what a PATH is and stream its raw messages, one at a time.
//!
//! Nothing here ever writes: files are opened read-only and no Maildir flag is touched.

pub mod mbox;
pub mod packed;
pub mod separator;
pub mod single;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use mbox::{MboxReader, next_separator, starts_with_separator};
pub use single::read_message;

/// Messages larger than this are cut here: bounces are small, and a 100 MB message
/// must not need 100 MB of memory. The cut is reported on the message.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

pub use crate::error::{OpenError, io_reason};

/// One raw message as read from disk.
#[derive(Debug, Clone)]
pub struct RawMessage {
    /// Path relative to the PATH argument (`FILE:N` for mbox messages).
    pub source: String,
    /// Maildir++ folder name (`Sent`, `Junk`, …) or mbox file stem; empty for the top folder.
    pub folder: String,
    pub data: Vec<u8>,
    /// True when the message was longer than [`MAX_MESSAGE_BYTES`] and was cut.
    pub truncated: bool,
    /// Where its `From ` line starts in its mbox (0 for a file holding one message): the detail
    /// pane reads it again from there instead of counting messages from the start.
    pub offset: u64,
}

/// A message that could not be read, with the reason (it is counted, never dropped silently).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unreadable {
    pub source: String,
    pub reason: String,
}

/// What the reader yields: a message, or a note about one that could not be read.
#[derive(Debug)]
pub enum Item {
    Message(RawMessage),
    Unreadable(Unreadable),
    /// A message whose header says it is ordinary mail (first look on): read past, not copied,
    /// not even named (its number in the mbox).
    Ordinary(usize),
}

/// How a file inside a mailbox is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// One message per file (Maildir entry or `.eml`).
    Single,
    /// Many messages separated by `From ` lines.
    Mbox,
}

/// A file found under a PATH, not yet read. Its folder is shared with the other files listed
/// there: a list of 100,000 messages does not hold 100,000 full paths.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The folder holding the file.
    pub dir: std::sync::Arc<Path>,
    /// Path relative to PATH; its last part is the file's name.
    pub source: String,
    pub folder: String,
    pub kind: FileKind,
}

impl Entry {
    /// An entry for the file at `path`.
    pub fn new(path: &Path, source: String, folder: String, kind: FileKind) -> Entry {
        Entry { dir: path.parent().unwrap_or(Path::new("")).into(), source, folder, kind }
    }

    /// The file's name (the last part of `source`).
    pub fn name(&self) -> &str {
        memchr::memrchr(b'/', self.source.as_bytes()).map_or(&self.source, |i| &self.source[i + 1..])
    }

    /// Where the file is.
    pub fn path(&self) -> PathBuf {
        self.dir.join(self.name())
    }
}

/// An opened PATH: the list of files it holds, in a stable order, plus notes on what was skipped.
#[derive(Debug)]
pub struct Mailbox {
    pub root: PathBuf,
    pub entries: Vec<Entry>,
    /// Things found while listing that are not messages (FIFOs, loops, unreadable folders).
    pub notes: Vec<Unreadable>,
}

/// Is `dir` a Maildir (has `cur/` or `new/`)?
pub fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() || dir.join("new").is_dir()
}

/// How much of a file is looked at to tell an mbox with junk before its first `From ` line.
const SNIFF_BYTES: usize = 64 * 1024;

/// Does the file look like an mbox: it starts with a `From ` separator line, or a few lines that
/// are not a message's header (junk: a note, a log line, a cut message) come before one?
fn sniff_mbox(path: &Path) -> bool {
    file_head(path).is_ok_and(|head| looks_like_mbox(&head))
}

/// See [`sniff_mbox`]: `head` is the start of the file. A message of its own starts with a
/// header field (`Name: value`); an mbox with junk before it has a separator line
/// (`From sender date`) at a line start further on.
pub fn looks_like_mbox(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"From ") {
        return true;
    }
    let first = head.split(|&b| b == b'\n').find(|l| !l.trim_ascii().is_empty()).unwrap_or(b"");
    let is_field =
        first.iter().position(|&b| b == b':').is_some_and(|c| c > 0 && first[..c].iter().all(|b| b.is_ascii_graphic()));
    !is_field && has_separator_line(head)
}

/// Does the file start with a mail header: a field every message has one of (From, Date,
/// Subject, Message-ID, Received, Return-Path, To, MIME-Version, Content-Type, Delivered-To) in
/// its header block?
fn looks_like_message(head: &[u8]) -> bool {
    const FIELDS: &[&str] = &[
        "from",
        "date",
        "subject",
        "message-id",
        "received",
        "return-path",
        "to",
        "mime-version",
        "content-type",
        "delivered-to",
        "x-original-to",
        "reply-to",
        "sender",
    ];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let block = crate::header::header_block(head);
    crate::header::Headers::parse(&block).fields().any(|(name, _)| FIELDS.contains(&name))
}

/// Is there a `From ` line that looks like an mbox separator (`From ADDRESS DATE`, with a
/// weekday or a year in it) in `data`?
fn has_separator_line(data: &[u8]) -> bool {
    for line in data.split(|&b| b == b'\n') {
        if line.starts_with(b"From ") && line.len() < 300 {
            let l = String::from_utf8_lossy(line);
            let has_date = ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "].iter().any(|d| l.contains(d))
                || l.split_whitespace().any(|w| {
                    w.len() == 4
                        && (w.starts_with("19") || w.starts_with("20"))
                        && w.bytes().all(|b| b.is_ascii_digit())
                });
            // `From sender date…`: the sender is an address or a daemon's name, not a word of prose.
            let sender = l.split_whitespace().nth(1).unwrap_or("");
            let sender_ok = sender.contains('@')
                || sender.eq_ignore_ascii_case("mailer-daemon")
                || sender == "-"
                || sender.eq_ignore_ascii_case("MAILER_DAEMON");
            if has_date && sender_ok && l.split_whitespace().count() >= 3 {
                return true;
            }
        }
    }
    false
}

fn is_eml_name(name: &str) -> bool {
    let lower = packed::unpacked_name(name).to_ascii_lowercase();
    lower.ends_with(".eml") || lower.ends_with(".msg") || lower.ends_with(".mail")
}

impl Mailbox {
    /// Fail as [`Mailbox::open`] would on PATH itself (missing, unreadable, not a file or
    /// folder), without listing what is inside: the interface checks its PATHs this way so that
    /// its first frame never waits for a large folder to be listed.
    pub fn check(path: &Path) -> Result<(), OpenError> {
        if root_metadata(path)?.is_file() {
            file_head(path)?;
        }
        Ok(())
    }

    /// Open PATH: a Maildir, an mbox file, a folder of `.eml` files or a single `.eml` file.
    pub fn open(path: &Path) -> Result<Mailbox, OpenError> {
        let meta = root_metadata(path)?;
        let mut mb = Mailbox { root: path.to_path_buf(), entries: Vec::new(), notes: Vec::new() };
        if meta.is_dir() {
            let mut visited = Vec::new();
            mb.walk_dir(path, "", 0, &mut visited);
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Its head, read once, tells an mbox from a message.
            let head = file_head(path)?;
            let kind = if looks_like_mbox(&head) { FileKind::Mbox } else { FileKind::Single };
            // A file named on its own that is neither an mbox nor a message (a password file, a
            // log) is a mistake worth a word, not an empty result.
            if kind == FileKind::Single && !head.is_empty() && !looks_like_message(&head) {
                return Err(OpenError::Unreadable {
                    path: path.display().to_string(),
                    reason: "not a mailbox or a mail message (no mail header at its start)".into(),
                });
            }
            let folder = if kind == FileKind::Mbox { stem(packed::unpacked_name(&name)) } else { String::new() };
            mb.entries.push(Entry::new(path, name, folder, kind));
        }
        Ok(mb)
    }

    fn walk_dir(&mut self, dir: &Path, rel: &str, depth: usize, visited: &mut Vec<PathBuf>) {
        // Symlink loops: remember canonical folders already walked.
        if let Ok(canon) = fs::canonicalize(dir) {
            if visited.contains(&canon) {
                self.note(rel, "folder already visited (symlink loop), skipped");
                return;
            }
            visited.push(canon);
        }
        if depth > 32 {
            self.note(rel, "folders nested too deep, skipped");
            return;
        }
        if is_maildir(dir) {
            self.walk_maildir(dir, rel, visited);
            return;
        }
        // A Maildir's `cur/` or `new/` named on its own: its files are messages, whatever their names.
        let own_messages = depth == 0
            && dir.file_name().is_some_and(|n| n == "cur" || n == "new")
            && dir.parent().is_some_and(is_maildir);
        let mut names = match list_sorted(dir) {
            Ok(n) => n,
            Err(e) => {
                self.note(rel, &io_reason(&e));
                return;
            }
        };
        names.retain(|n| !n.starts_with('.') || is_maildir(&dir.join(n)));
        let shared: std::sync::Arc<Path> = dir.into();
        for name in names {
            let path = dir.join(&name);
            let child_rel = join_rel(rel, &name);
            let Ok(meta) = fs::metadata(&path) else {
                self.note(&child_rel, "cannot be read (broken link or permission denied)");
                continue;
            };
            if meta.is_dir() {
                self.walk_dir(&path, &child_rel, depth + 1, visited);
            } else if meta.is_file() {
                if own_messages || is_eml_name(&name) {
                    self.entries.push(Entry {
                        dir: shared.clone(),
                        source: child_rel,
                        folder: String::new(),
                        kind: FileKind::Single,
                    });
                } else if sniff_mbox(&path) {
                    let folder = stem(packed::unpacked_name(&name));
                    self.entries.push(Entry { dir: shared.clone(), source: child_rel, folder, kind: FileKind::Mbox });
                }
                // Other files (READMEs, indexes, lock files) are not mail and are passed over.
            } else if is_eml_name(&name) {
                self.note(&child_rel, "not a regular file (FIFO, socket or device), skipped");
            }
        }
    }

    fn walk_maildir(&mut self, dir: &Path, rel: &str, visited: &mut Vec<PathBuf>) {
        let folder_name = maildir_folder_name(rel);
        for sub in ["new", "cur"] {
            let subdir = dir.join(sub);
            if !subdir.is_dir() {
                continue;
            }
            let prefix = join_rel(rel, sub);
            let entries = match list_sorted_typed(&subdir, &prefix) {
                Ok(n) => n,
                Err(e) => {
                    self.note(&prefix, &io_reason(&e));
                    continue;
                }
            };
            let shared: std::sync::Arc<Path> = subdir.as_path().into();
            self.entries.reserve(entries.len());
            for (source, file_type) in entries {
                let name = &source[prefix.len() + 1..];
                if name.starts_with('.') {
                    continue;
                }
                // The directory entry's type saves a stat per message; links are followed.
                if file_type.is_some_and(|t| t.is_file()) {
                    self.entries.push(Entry {
                        dir: shared.clone(),
                        source,
                        folder: folder_name.clone(),
                        kind: FileKind::Single,
                    });
                    continue;
                }
                match fs::metadata(subdir.join(name)) {
                    Ok(m) if m.is_file() => self.entries.push(Entry {
                        dir: shared.clone(),
                        source,
                        folder: folder_name.clone(),
                        kind: FileKind::Single,
                    }),
                    Ok(m) if m.is_dir() => self.note(&source, "a folder where a message file should be, skipped"),
                    Ok(_) => self.note(&source, "not a regular file (FIFO, socket or device), skipped"),
                    Err(e) => self.note(&source, &io_reason(&e)),
                }
            }
        }
        // Maildir++ sub-folders: `.Sent`, `.Junk`, `.INBOX.Sent`, …
        let sub_folders: Vec<PathBuf> = maildir::Maildir::from(dir.to_path_buf())
            .list_subdirs()
            .filter_map(|m| m.ok())
            .map(|m| m.path().to_path_buf())
            .collect();
        let mut sub_folders = sub_folders;
        sub_folders.sort();
        for path in sub_folders {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') && is_maildir(&path) {
                let child_rel = join_rel(rel, &name);
                self.walk_dir(&path, &child_rel, 1, visited);
            }
        }
    }

    /// Name every message and note by the PATH it was opened as (`PATH/cur/…`, `PATH:N` for an
    /// mbox), not relative to it: messages of several mailboxes can then be told apart.
    pub fn name_by_root(&mut self) {
        let label = self.root.display().to_string();
        let is_dir = self.root.is_dir();
        let named = |source: &str| if is_dir { format!("{label}/{source}") } else { label.clone() };
        for e in &mut self.entries {
            e.source = named(&e.source);
        }
        for n in &mut self.notes {
            n.source = named(&n.source);
        }
    }

    fn note(&mut self, source: &str, reason: &str) {
        let source = if source.is_empty() { ".".to_string() } else { source.to_string() };
        self.notes.push(Unreadable { source, reason: reason.to_string() });
    }

    /// Stream every message of this mailbox, in a stable order. Memory use is one message at a time.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        let notes = self.notes.iter().cloned().map(Item::Unreadable);
        notes.chain(self.entries.iter().flat_map(read_entry))
    }
}

/// Read one entry: a single message, or an mbox streamed message by message.
pub fn read_entry(entry: &Entry) -> Box<dyn Iterator<Item = Item> + Send + '_> {
    read_entry_with(entry, false)
}

/// Like [`read_entry`]; with `first_look`, ordinary mbox messages come as `Item::Ordinary`.
pub fn read_entry_with(entry: &Entry, first_look: bool) -> Box<dyn Iterator<Item = Item> + Send + '_> {
    match entry.kind {
        FileKind::Single => Box::new(std::iter::once(read_message(entry, MAX_MESSAGE_BYTES))),
        FileKind::Mbox => match packed::open(&entry.path()) {
            Ok(f) => {
                let r = MboxReader::new(f, entry.source.clone(), entry.folder.clone());
                Box::new(if first_look { r.with_first_look() } else { r })
            }
            Err(e) => Box::new(std::iter::once(Item::Unreadable(Unreadable {
                source: entry.source.clone(),
                reason: io_reason(&e),
            }))),
        },
    }
}

/// PATH's metadata, failing as opening it would: missing, a folder that cannot be listed, or
/// neither a file nor a folder ([`Mailbox::check`] and [`Mailbox::open`] share these checks).
fn root_metadata(path: &Path) -> Result<fs::Metadata, OpenError> {
    let err = |reason: String| OpenError::Unreadable { path: path.display().to_string(), reason };
    let meta = fs::metadata(path).map_err(|e| err(io_reason(&e)))?;
    if meta.is_dir() {
        fs::read_dir(path).map_err(|e| err(io_reason(&e)))?;
    } else if !meta.is_file() {
        return Err(err("not a regular file or folder".into()));
    }
    Ok(meta)
}

/// The first [`SNIFF_BYTES`] of the file PATH, unpacked (fewer in a shorter file).
fn file_head(path: &Path) -> Result<Vec<u8>, OpenError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    packed::open(path)
        .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut head))
        .map_err(|e| OpenError::Unreadable { path: path.display().to_string(), reason: io_reason(&e) })?;
    Ok(head)
}

/// The files of `dir` as `prefix/name` (`prefix` is never empty), by name, with their types as the directory gives them.
/// Each is the entry's `source` as it will be kept: a folder of 500,000 messages is not listed
/// into names first and then copied.
fn list_sorted_typed(dir: &Path, prefix: &str) -> std::io::Result<Vec<(String, Option<fs::FileType>)>> {
    let mut v: Vec<(String, Option<fs::FileType>)> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| (join_rel(prefix, &e.file_name().to_string_lossy()), e.file_type().ok()))
        .collect();
    // Names in a folder are unique (and share the prefix): an unstable sort gives the same
    // order, faster.
    v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(v)
}

fn list_sorted(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> =
        fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    Ok(names)
}

fn join_rel(rel: &str, name: &str) -> String {
    if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") }
}

fn stem(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s.to_string(),
        _ => name.to_string(),
    }
}

/// `.INBOX.Sent` → `INBOX.Sent`; `` → ``; `a/.Sent` → `Sent`.
fn maildir_folder_name(rel: &str) -> String {
    let last = rel.rsplit('/').next().unwrap_or("");
    last.trim_start_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names() {
        assert_eq!(maildir_folder_name(""), "");
        assert_eq!(maildir_folder_name(".Sent"), "Sent");
        assert_eq!(maildir_folder_name("x/.INBOX.Sent"), "INBOX.Sent");
    }

    #[test]
    fn io_reasons_are_short() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&e), "no such file or folder");
    }
}
