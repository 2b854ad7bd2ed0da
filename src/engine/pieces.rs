//! A large mbox read in pieces on all cores: the file is cut at message separators near
//! evenly spaced offsets, each piece is read through a buffer of its own and analysed, and
//! the messages keep their mailbox numbers.

use super::*;

/// An mbox at least this large is read in pieces of about this size, in parallel.
pub(super) const MBOX_PIECE: u64 = 16 << 20;

/// The length of an mbox to read in pieces, or `None` to read it in one stream.
pub(super) fn mbox_pieces(entry: &crate::mailbox::Entry) -> Option<u64> {
    let file = std::fs::File::open(entry.path()).ok()?;
    let len = file.metadata().ok()?.len();
    (len >= 2 * MBOX_PIECE && workers() >= 2 && crate::mailbox::starts_with_separator(&file)).then_some(len)
}

/// How a large mbox is cut: the file's length and the size of a piece.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pieces {
    pub(super) len: u64,
    pub(super) size: u64,
}

/// Read an mbox piece by piece: one worker per core takes the next piece, reads it and
/// analyses its messages; results are sent in mailbox order as soon as all earlier pieces are
/// done, with the messages numbered as a single stream would number them.
pub(super) fn scan_mbox_pieces(
    rules: &Rules,
    entry: &Entry,
    pieces: Pieces,
    stats: &mut Stats,
    sink: &mut dyn FnMut(Event),
) {
    let Pieces { len, size } = pieces;
    let mut before = 0;
    in_order(
        0..len.div_ceil(size),
        |k| {
            let from = k * size;
            read_piece(rules, entry, from, (from + size).min(len), pieces)
        },
        |(mut outcomes, count)| {
            if before > 0 {
                for o in &mut outcomes {
                    match o {
                        Outcome::Analyzed(Some(b), _) => renumber(&mut b.source, &entry.source, before),
                        Outcome::Unreadable(u) => {
                            let mut source = crate::bounce::Text::from(u.source.as_str());
                            renumber(&mut source, &entry.source, before);
                            u.source = source.into();
                        }
                        _ => {}
                    }
                }
            }
            before += count;
            record(outcomes, stats, sink);
        },
    );
}

/// The messages of `entry` whose separators lie in `from..to`, numbered from 1.
fn read_piece(rules: &Rules, entry: &Entry, from: u64, to: u64, pieces: Pieces) -> (Vec<Outcome>, usize) {
    let len = pieces.len;
    use std::io::{Read, Seek};
    let unreadable = |e: std::io::Error| {
        (vec![Outcome::Unreadable(Unreadable { source: entry.source.clone(), reason: crate::error::io_reason(&e) })], 0)
    };
    let mut file = match std::fs::File::open(entry.path()) {
        Ok(f) => f,
        Err(e) => return unreadable(e),
    };
    let separator = |at| crate::mailbox::next_separator(&file, at, len);
    let (start, end) = match separator(from).and_then(|start| Ok((start, separator(to)?))) {
        Ok(bounds) => bounds,
        Err(e) => return unreadable(e),
    };
    if start >= end {
        // A message longer than a piece: it belongs to an earlier piece.
        return (Vec::new(), 0);
    }
    if let Err(e) = file.seek(std::io::SeekFrom::Start(start)) {
        return unreadable(e);
    }
    // Each worker reads its pieces through one block buffer.
    thread_local! {
        static BLOCK: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut reader =
        crate::mailbox::MboxReader::new(file.take(end - start), entry.source.clone(), entry.folder.clone())
            .with_first_look()
            .starting_at(start)
            .expecting(end - start)
            .with_buffer(BLOCK.take());
    let outcomes = analyse_in_batches(rules, reader.by_ref().map(step));
    let read = reader.messages_read();
    BLOCK.set(reader.into_buffer());
    (outcomes, read)
}

/// `FILE:N` → `FILE:N+before`.
fn renumber(source: &mut crate::bounce::Text, file: &str, before: usize) {
    if let Some(n) = source.strip_prefix(file).and_then(|r| r.strip_prefix(':')).and_then(|n| n.parse::<usize>().ok()) {
        *source = compact_str::format_compact!("{file}:{}", n + before);
    }
}

#[cfg(test)]
mod piece_tests {
    use super::*;
    use crate::display::{load_raw, message_at};

    /// The results of a scan as comparable text: bounces, then unreadable messages (each in
    /// mailbox order; how they interleave depends on batching).
    fn events(run: impl FnOnce(&mut Stats, &mut dyn FnMut(Event))) -> (Vec<String>, Stats) {
        let (mut out, mut failed) = (Vec::new(), Vec::new());
        let mut stats = Stats::default();
        run(&mut stats, &mut |e| match e {
            Event::Batch { bounces, .. } => out.extend(bounces.iter().map(|b| {
                format!(
                    "{} {:?} {}",
                    b.source,
                    b.kind,
                    b.recipients.iter().map(|r| r.address.as_str()).collect::<Vec<_>>().join(",")
                )
            })),
            Event::Unreadable(u) => failed.push(format!("unreadable {} {}", u.source, u.reason)),
            Event::Listed { .. } => {}
        });
        out.extend(failed);
        (out, stats)
    }

    #[test]
    fn an_mbox_read_in_pieces_gives_what_one_stream_gives() {
        let rules = Rules::builtin();
        let demo = crate::demo::messages();
        let mut text = Vec::new();
        for (i, m) in demo.iter().cycle().take(120).enumerate() {
            text.extend_from_slice(b"From sender@example Mon Nov  2 10:00:00 2026\n");
            let crlf = i % 7 == 3;
            for line in m.data.split_inclusive(|&b| b == b'\n') {
                let line = line.strip_suffix(b"\n").unwrap_or(line);
                if line.starts_with(b"From ") {
                    text.push(b'>');
                }
                text.extend_from_slice(line);
                text.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            // Traps: a "From " line without an empty line before it, a long ordinary message
            // that spans several pieces, and an empty message.
            match i % 10 {
                2 => text.extend_from_slice(b"From here on it is not a separator\n"),
                5 => {
                    text.extend_from_slice(
                        b"From sender@example Mon Nov  2 10:00:00 2026\nFrom: friend@example.org\nSubject: photos\n\n",
                    );
                    text.extend_from_slice("photo data line\n".repeat(600).as_bytes());
                }
                8 => text.extend_from_slice(b"\nFrom sender@example Mon Nov  2 10:00:00 2026\n\n"),
                _ => {}
            }
            text.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("box");
        std::fs::write(&path, &text).unwrap();
        let entry = Entry::new(&path, "box".into(), "box".into(), FileKind::Mbox);
        let (one, one_stats) = events(|stats, sink| {
            scan_work(&rules, crate::mailbox::read_entry_with(&entry, true).map(step), stats, sink);
        });
        assert!(one.len() > 100, "{}", one.len());
        let len = text.len() as u64;
        for size in [4096, 7000, 65_536, len / 3, len] {
            let (pieces, stats) =
                events(|stats, sink| scan_mbox_pieces(&rules, &entry, Pieces { len, size }, stats, sink));
            assert_eq!(pieces, one, "piece size {size}");
            assert_eq!(stats, one_stats, "piece size {size}");
        }
        // Every bounce knows where its message starts: read from there, it is the message that
        // counting to its number finds.
        let mut found = Vec::new();
        let mut stats = Stats::default();
        scan_mbox_pieces(&rules, &entry, Pieces { len, size: 7000 }, &mut stats, &mut |e| {
            if let Event::Batch { bounces, .. } = e {
                found.extend(bounces.iter().map(|b| (b.source.to_string(), b.offset)));
            }
        });
        assert!(found.len() > 100 && found.iter().all(|(s, at)| *at > 0 || s == "box:1"), "{found:?}");
        let file = std::fs::File::open(&path).unwrap();
        for (source, at) in &found {
            let input = Input::Paths(vec![path.clone()]);
            assert_eq!(message_at(&file, *at, "box"), load_raw(&input, source, 0), "{source} at {at}");
        }
        // The same for the reader of small mboxes (one stream, its buffer compacted as it goes).
        let file = std::fs::File::open(&path).unwrap();
        let mut read = 0;
        for item in crate::mailbox::read_entry_with(&entry, false) {
            if let Item::Message(m) = item {
                assert_eq!(message_at(&file, m.offset, "box"), Some(m.data), "{}", m.source);
                read += 1;
            }
        }
        assert!(read > 100, "{read}");
        // A stale offset (the file changed) falls back to counting.
        let input = Input::Paths(vec![path.clone()]);
        assert_eq!(load_raw(&input, "box:3", 5), load_raw(&input, "box:3", 0));
        // And the numbering matches what the detail pane loads again.
        let last = one.iter().rev().find(|l| !l.starts_with("unreadable")).unwrap();
        let source = last.split(' ').next().unwrap();
        let raw = load_raw(&Input::Paths(vec![path]), source, 0).unwrap();
        let b = analyze_message(
            &rules,
            &RawMessage { source: source.into(), folder: String::new(), data: raw, truncated: false, offset: 0 },
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            format!(
                "{} {:?} {}",
                b.source,
                b.kind,
                b.recipients.iter().map(|r| r.address.as_str()).collect::<Vec<_>>().join(",")
            ),
            *last
        );
    }
}
