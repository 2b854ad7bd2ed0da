//! The engine: raw message → `Bounce`, and whole mailboxes scanned on all cores with results in
//! a stable order.

use crate::analyze;
use crate::bounce::{Bounce, Kind, Recipient};
use crate::classify::{self, Rules};
use crate::fact::Facts;
use crate::mailbox::{Entry, FileKind, Item, MAX_MESSAGE_BYTES, Mailbox, OpenError, RawMessage, Unreadable};
use crate::mime;
use crate::prefilter;
use crate::sanitize;
use crate::text;
use rayon::prelude::*;
use std::path::PathBuf;

/// How much of a message is parsed: reports, diagnostics and the returned headers come first;
/// what lies beyond (an original's attachments) is not needed and would only cost time and memory.
pub const PARSE_CAP: usize = 512 * 1024;

/// How many bytes of `data` to parse: [`PARSE_CAP`], or further when a delivery-status part
/// starts within it and runs past it (a report for thousands of recipients), up to its end.
pub fn parse_limit(data: &[u8]) -> usize {
    if data.len() > ATTACHMENT_CAP && is_mail_with_attachments(&data[..ATTACHMENT_CAP]) {
        return ATTACHMENT_CAP;
    }
    if data.len() <= PARSE_CAP {
        return data.len();
    }
    // A header block longer than the cap (a 1 MB header line) is parsed whole, with the start
    // of the body after it.
    let head_end = prefilter::header_end(&data[..data.len().min(MAX_MESSAGE_BYTES)]).unwrap_or(0);
    if head_end + 4096 > PARSE_CAP {
        return (head_end + PARSE_CAP).min(data.len());
    }
    // The report's parts may come after a huge first part (a 2 MB line of text): they are
    // looked for in the whole message, so that a scan finds what `explain` finds.
    let Some(start) = delivery_status_part(&data[..data.len().min(MAX_MESSAGE_BYTES)]) else {
        return PARSE_CAP;
    };
    // The part ends at the next boundary line; status fields never start with "--".
    let end = memchr::memmem::find_iter(&data[start..], b"\n--").next().map_or(data.len(), |i| start + i + 1);
    end.max(PARSE_CAP)
}

/// How much is parsed of a message that carries no report, returned message or returned
/// headers but a base64 part: an ordinary mail whose subject looked like a bounce, with an
/// attachment. Its words come before the attachment, whose decoding would cost the most.
pub const ATTACHMENT_CAP: usize = 64 * 1024;

/// Does `head` (the start of a message) show a base64 part and nothing a report is made of
/// (`multipart/report`, `message/…` parts, `text/rfc822-headers`)? A plain-text bounce listing
/// many recipients has no base64 and keeps [`PARSE_CAP`].
fn is_mail_with_attachments(head: &[u8]) -> bool {
    let mut base64 = false;
    for line in head.split(|&b| b == b'\n') {
        let Some(value) = field_value(line, b"content-type:") else {
            base64 |=
                field_value(line, b"content-transfer-encoding:").is_some_and(|v| prefilter::contains_ci(v, b"base64"));
            continue;
        };
        if [b"report".as_slice(), b"message/", b"rfc822-headers"].iter().any(|w| prefilter::contains_ci(value, w)) {
            return false;
        }
    }
    base64
}

/// The value of a header line `name: value` (`name` with its colon, in any case).
fn field_value<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    prefilter::starts_with_ci(line, name).then(|| &line[name.len()..])
}

/// Where the body of the first `message/(global-)delivery-status` part begins, if its header is
/// in `head`.
fn delivery_status_part(head: &[u8]) -> Option<usize> {
    let mut at = 0;
    for line in head.split_inclusive(|&b| b == b'\n') {
        at += line.len();
        let l = line.trim_ascii();
        if l.len() > 13
            && l[..13].eq_ignore_ascii_case(b"content-type:")
            && l.windows(15).any(|w| w.eq_ignore_ascii_case(b"delivery-status"))
            && !l.windows(6).any(|w| w.eq_ignore_ascii_case(b"report"))
        {
            return Some(at);
        }
    }
    None
}

/// Analyse one raw message. `Ok(None)`: not a bounce, auto-reply, feedback or delivery report.
/// The header first look ([`prefilter::candidate`]) decides first, on every path, so a message
/// gets the same answer from a scan, a report and `explain`.
pub fn analyze_message(rules: &Rules, raw: &RawMessage) -> Result<Option<Bounce>, String> {
    let head_len = prefilter::header_end(&raw.data).unwrap_or(raw.data.len());
    if !prefilter::candidate(&raw.data[..head_len]) {
        return Ok(None);
    }
    let Some(mail) = mime::parse(&raw.data[..parse_limit(&raw.data)]) else {
        return Err("no message headers found".into());
    };
    let (mail, facts, _) = facts_of(mail);
    Ok(build(rules, raw, &mail, facts))
}

/// The facts of a parsed message. A container that is no report itself (a bounce forwarded as
/// an attachment, a gateway's `message/rfc822` wrapper around the real report) gives the report
/// inside instead, with its facts.
/// The `bool` says whether the report inside a container was taken.
fn facts_of(mail: mime::Mail) -> (mime::Mail, Facts, bool) {
    let facts = analyze::analyze(&mail);
    let found = facts.kind.is_some() && facts.facts.iter().any(|f| !f.address.is_empty());
    if !found && let Some(inner) = mail.wrapped_report.as_deref().and_then(mime::parse) {
        let inner_facts = analyze::analyze(&inner);
        if inner_facts.kind == Some(Kind::Bounce) {
            return (inner, inner_facts, true);
        }
    }
    (mail, facts, false)
}

fn build(rules: &Rules, raw: &RawMessage, mail: &mime::Mail, facts: Facts) -> Option<Bounce> {
    let kind = facts.kind?;
    let recipients = facts
        .facts
        .iter()
        .map(|f| {
            let (reason, key_line, decided_by, rule) = match kind {
                Kind::Bounce => {
                    let out = classify::classify(rules, f, &facts.report_text);
                    (out.reason, out.key_line, out.decided_by, out.rule)
                }
                Kind::Delivered => ("delivered".to_string(), f.diagnostic.clone(), classify::DecidedBy::Status, 0),
                Kind::Feedback => ("feedback".to_string(), String::new(), classify::DecidedBy::Default, 0),
                Kind::Vacation => ("vacation".to_string(), mail.subject.clone(), classify::DecidedBy::Default, 0),
            };
            let mut reply_code = f.reply_code.clone();
            if reply_code.is_empty() && kind == Kind::Bounce {
                reply_code = text::find_reply_code(&key_line).unwrap_or_default();
            }
            let mut status = f.status.clone();
            if status.is_empty() && kind == Kind::Bounce {
                status = text::find_status(&key_line).unwrap_or_default();
            }
            let hard = kind == Kind::Bounce && classify::is_hard(rules, &reason, &status, &reply_code, &f.action);
            Recipient {
                decided_by,
                rule,
                address: sanitize::line(&f.address).into(),
                status: status.into(),
                reply_code: reply_code.into(),
                reason: reason.into(),
                hard,
                diagnostic: sanitize::line(&key_line).into(),
                action: sanitize::line(&f.action).into(),
                command: sanitize::line(&f.command).into(),
                remote_mta: sanitize::line(&f.remote_mta).into(),
            }
        })
        .collect();
    let h = &mail.headers;
    Some(Bounce {
        source: raw.source.as_str().into(),
        offset: raw.offset,
        folder: raw.folder.as_str().into(),
        kind,
        date: mail.date,
        from: sanitize::line(h.get("from").unwrap_or("")).into(),
        to: sanitize::line(h.get("to").unwrap_or("")).into(),
        delivered_to: sanitize::line(h.get("x-original-to").or(h.get("delivered-to")).or(h.get("to")).unwrap_or(""))
            .into(),
        subject: sanitize::line(&mail.subject).into(),
        reporting_mta: sanitize::line(&facts.reporting_mta).into(),
        recipients,
        original: facts.original.map(|mut o| {
            for s in [&mut o.message_id, &mut o.from, &mut o.to, &mut o.subject, &mut o.date] {
                *s = sanitize::line(s).into();
            }
            if let Some(t) = o.trace.as_deref_mut() {
                for s in [&mut t.return_path, &mut t.authentication_results, &mut t.x_authenticated_sender]
                    .into_iter()
                    .chain(t.received.iter_mut())
                {
                    *s = sanitize::line(s).into();
                }
                for (domain, selector) in &mut t.dkim {
                    *domain = sanitize::line(domain).into();
                    *selector = sanitize::line(selector).into();
                }
            }
            o
        }),
        verdict: Default::default(),
        evidence: Vec::new(),
    })
}

/// Counts that add up: every message is scanned or listed as unreadable.
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq)]
pub struct Stats {
    /// Messages read and parsed.
    pub scanned: usize,
    pub bounces: usize,
    pub auto_replies: usize,
    pub feedback: usize,
    pub delivered: usize,
    /// Scanned messages that are none of the above.
    pub other: usize,
    /// Messages or files that could not be read or parsed.
    pub unreadable: Vec<Unreadable>,
    /// Messages cut at the size limit.
    pub truncated: usize,
}

impl Stats {
    pub fn count(&mut self, b: &Option<Bounce>) {
        self.scanned += 1;
        match b.as_ref().map(|b| b.kind) {
            Some(Kind::Bounce) => self.bounces += 1,
            Some(Kind::Vacation) => self.auto_replies += 1,
            Some(Kind::Feedback) => self.feedback += 1,
            Some(Kind::Delivered) => self.delivered += 1,
            None => self.other += 1,
        }
    }
}

/// What a scan sends while it runs.
#[derive(Debug)]
pub enum Event {
    /// Listing done: how many files there are to read (an mbox counts as one).
    Listed { files: usize },
    /// Results for the next messages, in mailbox order.
    Batch { bounces: Vec<Bounce>, scanned: usize },
    /// A message or file that could not be read.
    Unreadable(Unreadable),
}

const CHUNK: usize = 256;

/// Where messages come from: mailbox PATHs, or the built-in demo mailbox.
#[derive(Debug, Clone)]
pub enum Input {
    Paths(Vec<PathBuf>),
    Demo,
}

/// An input whose mailboxes are listed, ready to scan.
#[derive(Debug)]
pub enum Listing {
    Demo,
    Boxes(Vec<Mailbox>),
}

/// List the input's mailboxes. Fails when a PATH cannot be opened.
pub fn list(input: &Input) -> Result<Listing, OpenError> {
    Ok(match input {
        Input::Demo => Listing::Demo,
        Input::Paths(paths) => Listing::Boxes(paths.iter().map(|p| Mailbox::open(p)).collect::<Result<_, _>>()?),
    })
}

/// Build the engine's automata (regular expressions compiled on first use) by analysing the demo
/// mailbox once: a report can do this while its mailbox is being listed.
pub fn warm_up(rules: &Rules) {
    for raw in crate::demo::messages() {
        let _ = analyze_message(rules, &raw);
    }
}

/// Scan the input; `sink` receives events in order. Fails only when a PATH cannot be opened.
pub fn scan(rules: &Rules, input: &Input, sink: impl FnMut(Event)) -> Result<Stats, OpenError> {
    Ok(scan_listed(rules, &list(input)?, sink))
}

/// Scan an input already listed; `sink` receives events in order.
pub fn scan_listed(rules: &Rules, listing: &Listing, mut sink: impl FnMut(Event)) -> Stats {
    let mut stats = Stats::default();
    match listing {
        Listing::Demo => {
            let msgs = crate::demo::messages();
            sink(Event::Listed { files: msgs.len() });
            scan_work(rules, msgs.into_iter().map(Work::Raw), &mut stats, &mut sink);
        }
        Listing::Boxes(boxes) => {
            sink(Event::Listed { files: boxes.iter().map(|b| b.entries.len()).sum() });
            for mb in boxes {
                for note in &mb.notes {
                    stats.unreadable.push(note.clone());
                    sink(Event::Unreadable(note.clone()));
                }
                // Runs of single-message files go through one pipeline; a large mbox is read in
                // pieces on all cores.
                let mut rest = &mb.entries[..];
                while !rest.is_empty() {
                    let singles = rest.iter().take_while(|e| e.kind == FileKind::Single).count();
                    if singles > 0 {
                        scan_files(rules, &rest[..singles], &mut stats, &mut sink);
                        rest = &rest[singles..];
                        continue;
                    }
                    let entry = &rest[0];
                    rest = &rest[1..];
                    match mbox_pieces(entry) {
                        Some(len) => scan_mbox_pieces(
                            rules,
                            entry,
                            Pieces { len, size: MBOX_PIECE, map: true },
                            &mut stats,
                            &mut sink,
                        ),
                        None => {
                            let work = crate::mailbox::read_entry_with(entry, true).map(|item| match item {
                                Item::Message(m) => Work::Raw(m),
                                Item::Unreadable(u) => Work::Failed(u),
                                Item::Ordinary(_) => Work::Ordinary,
                            });
                            scan_work(rules, work, &mut stats, &mut sink);
                        }
                    }
                }
            }
        }
    }
    stats
}

/// One unit of work for the scan.
enum Work {
    /// A message already in memory (mbox, demo).
    Raw(RawMessage),
    /// Something that could not be read.
    Failed(Unreadable),
    /// An mbox message the reader already found ordinary by its header.
    Ordinary,
}

/// What became of one unit of work.
enum Outcome {
    /// The header says it is ordinary mail: not read further.
    Skipped,
    Analyzed(Option<Box<Bounce>>, bool),
    Unreadable(Unreadable),
}

/// A message on its way: already decided, or read and waiting for its analysis.
enum Step {
    Done(Outcome),
    Read(RawMessage),
}

/// Read a single-message file: its head first, the rest only if the head says it may matter.
fn read_file(entry: &Entry) -> Step {
    use std::io::Read;
    let (mut file, moved) = match crate::mailbox::open_single(entry) {
        Ok(opened) => opened,
        Err(e) => {
            return Step::Done(Outcome::Unreadable(Unreadable {
                source: entry.source.clone(),
                reason: crate::error::io_reason(&e),
            }));
        }
    };
    let entry = moved.as_ref().unwrap_or(entry);
    let unreadable =
        |reason: String| Step::Done(Outcome::Unreadable(Unreadable { source: entry.source.clone(), reason }));
    // The first look: one read of the head into a buffer reused by this worker thread (fresh
    // pages cost more than the read itself). For a regular file a short read means its end.
    thread_local! {
        static HEAD: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; prefilter::HEAD_BYTES]);
    }
    // Some(candidate) when the header block is complete in the head; None when it is not.
    let first_look = HEAD.with(|buf| -> Result<(Option<bool>, Option<Vec<u8>>), std::io::Error> {
        let mut buf = buf.borrow_mut();
        let n = read_once(&mut file, &mut buf[..])?;
        let head = &buf[..n];
        let decided = prefilter::header_end(head).map(|h| head.is_empty() || prefilter::candidate(&head[..h]));
        // Kept only when the rest of the message is needed.
        let keep = decided != Some(false);
        Ok((decided, keep.then(|| head.to_vec())))
    });
    let (decided, mut data) = match first_look {
        Ok((Some(false), _)) => return Step::Done(Outcome::Skipped),
        Ok((decided, data)) => (decided.is_some(), data.unwrap_or_default()),
        Err(e) => return unreadable(crate::error::io_reason(&e)),
    };
    if !decided {
        // A header block longer than the first look is read on (bounded by the message cap)
        // and judged before the rest is read.
        if let Err(e) = read_until_header_end(&mut file, &mut data) {
            return unreadable(crate::error::io_reason(&e));
        }
        let head_len = prefilter::header_end(&data).unwrap_or(data.len());
        if !data.is_empty() && !prefilter::candidate(&data[..head_len]) {
            return Step::Done(Outcome::Skipped);
        }
    }
    // A candidate: read the rest (one byte past the cap tells that it was cut), unless the first
    // look's one read came back short, which for a regular file means it reached the end.
    let complete = decided && data.len() < prefilter::HEAD_BYTES;
    if !complete {
        // The size known, the rest arrives in one read instead of a doubling buffer.
        if let Ok(meta) = file.metadata() {
            data.reserve((meta.len() as usize).min(MAX_MESSAGE_BYTES + 1).saturating_sub(data.len()) + 1);
        }
        if let Err(e) =
            (&mut file).take((MAX_MESSAGE_BYTES + 1).saturating_sub(data.len()) as u64).read_to_end(&mut data)
        {
            return unreadable(crate::error::io_reason(&e));
        }
    }
    if data.is_empty() {
        return unreadable("empty file".into());
    }
    let truncated = data.len() > MAX_MESSAGE_BYTES;
    data.truncate(MAX_MESSAGE_BYTES);
    Step::Read(RawMessage { source: entry.source.clone(), folder: entry.folder.clone(), data, truncated, offset: 0 })
}

/// Analyse the messages of `steps` as they are read, a batch at a time: reading (system calls,
/// file data streaming through the cache) evicts what the analysis works with (automata, rules),
/// so read messages wait until [`ANALYSIS_BATCH_BYTES`] of them are held. Results keep the order.
fn analyse_in_batches(rules: &Rules, steps: impl Iterator<Item = Step>) -> Vec<Outcome> {
    let mut out: Vec<Step> = Vec::new();
    let (mut held, mut first_held) = (0, 0);
    let analyse = |step: &mut Step| {
        if let Step::Read(raw) = step {
            *step = Step::Done(process_raw(rules, raw));
        }
    };
    for step in steps {
        if let Step::Read(raw) = &step {
            held += raw.data.len();
        }
        out.push(step);
        if held >= ANALYSIS_BATCH_BYTES {
            out[first_held..].iter_mut().for_each(analyse);
            (held, first_held) = (0, out.len());
        }
    }
    out.into_iter()
        .map(|step| match step {
            Step::Done(outcome) => outcome,
            Step::Read(raw) => process_raw(rules, &raw),
        })
        .collect()
}

/// How many bytes of read messages wait for their analysis (see [`analyse_in_batches`]).
const ANALYSIS_BATCH_BYTES: usize = 1 << 20;

/// One `read` into `buf`, retried only when interrupted.
fn read_once(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Read on until `data` holds a complete header block, the end of the file or the message cap.
fn read_until_header_end(file: &mut std::fs::File, data: &mut Vec<u8>) -> std::io::Result<()> {
    let mut block = vec![0; 64 * 1024];
    // The end is an empty line: at most four bytes, so each search starts just before the new bytes.
    let mut from = 0;
    while prefilter::header_end(&data[from..]).is_none() && data.len() < MAX_MESSAGE_BYTES {
        let n = read_once(file, &mut block)?;
        if n == 0 {
            break;
        }
        from = data.len().saturating_sub(4);
        data.extend_from_slice(&block[..n]);
    }
    Ok(())
}

fn process_raw(rules: &Rules, raw: &RawMessage) -> Outcome {
    match analyze_message(rules, raw) {
        Ok(b) => Outcome::Analyzed(b.map(Box::new), raw.truncated),
        Err(reason) => Outcome::Unreadable(Unreadable { source: raw.source.clone(), reason }),
    }
}

/// Analyse work in chunks on all cores; results keep the input order. A reader thread fills the
/// next chunks while the current one is analysed, so reading an mbox overlaps with parsing.
fn scan_work(rules: &Rules, work: impl Iterator<Item = Work> + Send, stats: &mut Stats, sink: &mut dyn FnMut(Event)) {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Work>>(2);
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for w in work {
                chunk.push(w);
                if chunk.len() >= CHUNK && tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))).is_err() {
                    return;
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(chunk);
            }
        });
        for chunk in rx {
            analyse_chunk(rules, &chunk, stats, sink);
        }
    });
}

fn analyse_chunk(rules: &Rules, chunk: &[Work], stats: &mut Stats, sink: &mut dyn FnMut(Event)) {
    let outcomes: Vec<Outcome> = chunk
        .par_iter()
        .map(|w| match w {
            Work::Raw(raw) => process_raw(rules, raw),
            Work::Failed(u) => Outcome::Unreadable(u.clone()),
            Work::Ordinary => Outcome::Skipped,
        })
        .collect();
    record(outcomes, stats, sink);
}

/// Single-message files per unit of work of [`scan_files`].
const FILES_PER_TASK: usize = 64;

/// Read and analyse single-message files: one worker per core takes the next few files as soon
/// as it is free (no worker waits at a batch's end for the slowest message of the batch);
/// results are sent in mailbox order as soon as all earlier files are done.
fn scan_files(rules: &Rules, entries: &[Entry], stats: &mut Stats, sink: &mut dyn FnMut(Event)) {
    let tasks = entries.len().div_ceil(FILES_PER_TASK);
    // Send a few tasks at a time so that the interface gets batches of a useful size.
    let mut ready: Vec<Outcome> = Vec::new();
    in_order(
        tasks,
        |k| {
            analyse_in_batches(
                rules,
                entries[k * FILES_PER_TASK..((k + 1) * FILES_PER_TASK).min(entries.len())].iter().map(read_file),
            )
        },
        |outcomes| {
            ready.extend(outcomes);
            if ready.len() >= CHUNK {
                record(std::mem::take(&mut ready), stats, sink);
            }
        },
    );
    if !ready.is_empty() {
        record(ready, stats, sink);
    }
}

/// Run tasks `0..tasks` on one worker per core, each worker taking the next task as soon as it
/// is free, and hand their results to `deliver` in task order (later results wait for earlier).
fn in_order<T: Send>(tasks: usize, work: impl Fn(usize) -> T + Sync, mut deliver: impl FnMut(T)) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
        for _ in 0..rayon::current_num_threads().min(tasks) {
            let (tx, next, work) = (tx.clone(), &next, &work);
            scope.spawn(move || {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= tasks || tx.send((k, work(k))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        for (k, result) in rx {
            waiting.insert(k, result);
            while let Some(result) = waiting.remove(&due) {
                due += 1;
                deliver(result);
            }
        }
    });
}

/// An mbox at least this large is read in pieces of about this size, in parallel.
const MBOX_PIECE: u64 = 16 << 20;

/// The length of an mbox to read in pieces, or `None` to read it in one stream.
fn mbox_pieces(entry: &crate::mailbox::Entry) -> Option<u64> {
    let file = std::fs::File::open(entry.path()).ok()?;
    let len = file.metadata().ok()?.len();
    (len >= 2 * MBOX_PIECE && rayon::current_num_threads() >= 2 && crate::mailbox::starts_with_separator(&file))
        .then_some(len)
}

/// Read an mbox piece by piece: one worker per core takes the next piece, reads it and
/// analyses its messages; results are sent in mailbox order as soon as all earlier pieces are
/// done, with the messages numbered as a single stream would number them.
/// How a large mbox is cut: the file's length, the size of a piece, and whether pieces are read
/// from a map of the file (else through a buffer; a piece that cannot be mapped is read anyway).
#[derive(Debug, Clone, Copy)]
struct Pieces {
    len: u64,
    size: u64,
    map: bool,
}

fn scan_mbox_pieces(rules: &Rules, entry: &Entry, pieces: Pieces, stats: &mut Stats, sink: &mut dyn FnMut(Event)) {
    let Pieces { len, size, .. } = pieces;
    let mut before = 0;
    in_order(
        len.div_ceil(size) as usize,
        |k| {
            let from = k as u64 * size;
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
    let mapped = pieces.map.then(|| piece_bounds_mapped(&file, from, to, len)).flatten();
    let (start, end) = match mapped.map(Ok).unwrap_or_else(|| {
        Ok((crate::mailbox::next_separator(&file, from, len)?, crate::mailbox::next_separator(&file, to, len)?))
    }) {
        Ok(bounds) => bounds,
        Err(e) => return unreadable(e),
    };
    if start >= end {
        // A message longer than a piece: it belongs to an earlier piece.
        return (Vec::new(), 0);
    }
    let step = |item| match item {
        Item::Message(m) => Step::Read(m),
        Item::Unreadable(u) => Step::Done(Outcome::Unreadable(u)),
        Item::Ordinary(_) => Step::Done(Outcome::Skipped),
    };
    // The piece straight from the page cache when it can be mapped, else read through a buffer.
    if let Some(map) =
        pieces.map.then(|| crate::mailbox::mapped::Mapped::open(&file, start, (end - start) as usize).ok()).flatten()
    {
        let mut reader = crate::mailbox::MboxReader::mapped(map, entry.source.clone(), entry.folder.clone())
            .with_first_look()
            .starting_at(start);
        let outcomes = analyse_in_batches(rules, reader.by_ref().map(step));
        return (outcomes, reader.messages_read());
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
            .with_buffer(BLOCK.take());
    let outcomes = analyse_in_batches(rules, reader.by_ref().map(step));
    let read = reader.messages_read();
    BLOCK.set(reader.into_buffer());
    (outcomes, read)
}

/// Where the piece `from..to` really begins and ends (see [`crate::mailbox::next_separator`]),
/// looked up in a map of the file from just before `from` to its end instead of read: the end
/// of a piece may lie megabytes on, past a long message. `None` when the file cannot be mapped.
fn piece_bounds_mapped(file: &std::fs::File, from: u64, to: u64, len: u64) -> Option<(u64, u64)> {
    let base = from.saturating_sub(3);
    let map = crate::mailbox::mapped::Mapped::open(file, base, usize::try_from(len - base).ok()?).ok()?;
    let data = map.as_slice();
    Some((
        crate::mailbox::next_separator_mapped(data, base, from, len),
        crate::mailbox::next_separator_mapped(data, base, to, len),
    ))
}

/// `FILE:N` → `FILE:N+before`.
fn renumber(source: &mut crate::bounce::Text, file: &str, before: usize) {
    if let Some(n) = source.strip_prefix(file).and_then(|r| r.strip_prefix(':')).and_then(|n| n.parse::<usize>().ok()) {
        *source = compact_str::format_compact!("{file}:{}", n + before);
    }
}

/// Count outcomes and send them on, in order.
fn record(outcomes: Vec<Outcome>, stats: &mut Stats, sink: &mut dyn FnMut(Event)) {
    let mut bounces = Vec::new();
    let mut scanned = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Skipped => {
                scanned += 1;
                stats.count(&None);
            }
            Outcome::Analyzed(b, truncated) => {
                scanned += 1;
                stats.truncated += usize::from(truncated);
                let b = b.map(|b| *b);
                stats.count(&b);
                bounces.extend(b);
            }
            Outcome::Unreadable(u) => {
                stats.unreadable.push(u.clone());
                sink(Event::Unreadable(u));
            }
        }
    }
    sink(Event::Batch { bounces, scanned });
}

/// The demo mailbox's owner, with its Sent folder.
pub fn demo_owner() -> crate::verdict::Owner {
    let mut sent = crate::verdict::sent::SentIndex::default();
    for m in crate::demo::sent_messages() {
        sent.add(&m);
    }
    sent.folders.push("demo/Sent".into());
    crate::verdict::Owner::from_parts(&crate::verdict::OwnerConfig::default(), Some(sent))
}

/// The owner for an input: learned from Sent folders beside the mailboxes, plus the config.
pub fn owner_for(input: &Input, config: &crate::verdict::OwnerConfig) -> crate::verdict::Owner {
    match input {
        Input::Demo => demo_owner(),
        Input::Paths(paths) => crate::verdict::Owner::learn(config, paths),
    }
}

/// Scan and collect every bounce (for reports).
pub fn scan_all(rules: &Rules, input: &Input) -> Result<(Vec<Bounce>, Stats), OpenError> {
    Ok(collect(rules, &list(input)?))
}

/// Scan a listed input and collect every bounce.
pub fn collect(rules: &Rules, listing: &Listing) -> (Vec<Bounce>, Stats) {
    let mut all = Vec::new();
    let stats = scan_listed(rules, listing, |e| match e {
        // At most one result per file of a Maildir: room reserved now is only touched as it
        // fills, and growing by doubling would briefly hold the list twice.
        Event::Listed { files } => all.reserve(files),
        Event::Batch { bounces, .. } => all.extend(bounces),
        Event::Unreadable(_) => {}
    });
    (all, stats)
}

/// A human-readable account of how a message was analysed: the same steps as a scan or a
/// report take ([`analyze_message`]), told in plain words, then the outcome per recipient and
/// what decided it.
pub fn explain(rules: &Rules, data: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let head_len = prefilter::header_end(data).unwrap_or(data.len());
    let passed = prefilter::candidate(&data[..head_len]);
    let Some(mail) = mime::parse(&data[..parse_limit(data)]) else { return "no message headers found\n".into() };
    let (mail, facts, wrapped) = facts_of(mail);
    let raw =
        RawMessage { source: String::new(), folder: String::new(), data: Vec::new(), truncated: false, offset: 0 };
    let bounce = if passed { build(rules, &raw, &mail, facts.clone()) } else { None };
    let _ = writeln!(out, "Subject: {}", mail.subject);
    let _ = writeln!(out, "From: {}", mail.headers.get("from").unwrap_or("(none)"));
    let parts: Vec<&str> = mail.parts.iter().map(|p| p.ctype.as_str()).collect();
    let _ = writeln!(out, "Parts: {}", if parts.is_empty() { "(none)".to_string() } else { parts.join(", ") });
    if !passed {
        let _ =
            writeln!(out, "First look: nothing in the headers suggests a bounce, so a scan passes this message over.");
    }
    let kind = match (&bounce, facts.kind) {
        (Some(b), _) => match b.kind {
            Kind::Bounce if facts.facts.iter().all(|f| f.action == "delayed") => {
                "a delay warning (delivery is still being retried)"
            }
            Kind::Bounce if facts.facts.iter().any(|f| f.plain_text) => "a bounce (a plain-text report)",
            Kind::Bounce => "a bounce (a delivery-status report)",
            Kind::Vacation => "an auto-reply (not a bounce)",
            Kind::Feedback => "a feedback-loop report (not a bounce)",
            Kind::Delivered => "a successful-delivery report (not a bounce)",
        },
        (None, _) => "not a bounce: no report, no failed recipient found",
    };
    if wrapped && bounce.is_some() {
        let _ = writeln!(
            out,
            "It carries a report as an attached message: that report is read (its Subject and From above)."
        );
    }
    let _ = writeln!(out, "This is {kind}.");
    match &facts.original {
        Some(o) => {
            let _ = writeln!(
                out,
                "Returned original ({}): Message-ID {}, From {}",
                o.found_as,
                if o.message_id.is_empty() { "(none)" } else { &o.message_id },
                if o.from.is_empty() { "(none)" } else { &o.from }
            );
        }
        None => {
            let _ = writeln!(out, "Returned original: none in the message.");
        }
    }
    if let Some(b) = &bounce {
        for (i, (f, r)) in facts.facts.iter().zip(&b.recipients).enumerate() {
            let _ = writeln!(
                out,
                "\nRecipient {}: {}",
                i + 1,
                if r.address.is_empty() { "(no address)" } else { &r.address }
            );
            let mut codes = Vec::new();
            for (name, v) in [
                ("status", &f.status),
                ("reply code", &f.reply_code),
                ("command", &f.command),
                ("action", &f.action),
                ("diagnostic type", &f.diagnostic_type),
            ] {
                if !v.is_empty() {
                    codes.push(format!("{name} {v}"));
                }
            }
            let _ =
                writeln!(out, "  Facts: {}", if codes.is_empty() { "no codes".to_string() } else { codes.join(", ") });
            if !f.diagnostic.is_empty() {
                let _ = writeln!(out, "  Diagnostic: {}", sanitize::line(&f.diagnostic));
            }
            if !f.text_block.is_empty() && f.text_block != f.diagnostic {
                let _ = writeln!(out, "  Its paragraph in the report: {}", sanitize::line(&f.text_block));
            }
            let info = rules.info(&r.reason);
            let _ = writeln!(
                out,
                "  Reason: {} ({}), {}",
                r.reason,
                info.display,
                if r.hard { "hard (permanent: do not retry)" } else { "soft (may pass: retrying can work)" }
            );
            let how = classify::describe_decision(
                rules,
                crate::i18n::Lang::En,
                r.decided_by,
                r.rule,
                &r.status,
                &r.reply_code,
                &r.diagnostic,
            );
            let _ = writeln!(out, "  Decided by: {} — {how}", r.decided_by.as_str());
            if !r.diagnostic.is_empty() {
                let _ = writeln!(out, "  Key line: {}", r.diagnostic);
            }
        }
    }
    // Everything above comes from the message: nothing in it may act on the terminal.
    sanitize::text(&out)
}

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
    use std::io::Read;
    match input {
        Input::Demo => crate::demo::messages().into_iter().find(|m| m.source == source).map(|m| m.data),
        Input::Paths(paths) => {
            for root in paths {
                let direct = if root.is_dir() {
                    root.join(source)
                } else if root.file_name().is_some_and(|n| n.to_string_lossy() == source) {
                    root.clone()
                } else {
                    PathBuf::new()
                };
                if direct.is_file() {
                    let mut data = Vec::new();
                    std::fs::File::open(&direct)
                        .ok()?
                        .take(crate::mailbox::MAX_MESSAGE_BYTES as u64)
                        .read_to_end(&mut data)
                        .ok()?;
                    return Some(data);
                }
                // An mbox message: "FILE:N".
                let (file, n) = source.rsplit_once(':')?;
                let n: usize = n.parse().ok()?;
                let mbox = if root.is_dir() {
                    root.join(file)
                } else if root.file_name().is_some_and(|f| f.to_string_lossy() == file) {
                    root.clone()
                } else {
                    continue;
                };
                let f = std::fs::File::open(&mbox).ok()?;
                if (offset > 0 || n == 1)
                    && let Some(data) = message_at(&f, offset, file)
                {
                    return Some(data);
                }
                let reader = crate::mailbox::MboxReader::new(f, file.to_string(), String::new());
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
fn message_at(file: &std::fs::File, offset: u64, name: &str) -> Option<Vec<u8>> {
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
mod piece_tests {
    use super::*;

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
            let work = crate::mailbox::read_entry_with(&entry, true).map(|item| match item {
                Item::Message(m) => Work::Raw(m),
                Item::Unreadable(u) => Work::Failed(u),
                Item::Ordinary(_) => Work::Ordinary,
            });
            scan_work(&rules, work, stats, sink);
        });
        assert!(one.len() > 100, "{}", one.len());
        let len = text.len() as u64;
        for size in [4096, 7000, 65_536, len / 3, len] {
            for map in [true, false] {
                let (pieces, stats) =
                    events(|stats, sink| scan_mbox_pieces(&rules, &entry, Pieces { len, size, map }, stats, sink));
                assert_eq!(pieces, one, "piece size {size}, mapped: {map}");
                assert_eq!(stats, one_stats, "piece size {size}, mapped: {map}");
            }
        }
        // Every bounce knows where its message starts: read from there, it is the message that
        // counting to its number finds, whichever way the pieces were read.
        for map in [true, false] {
            let mut found = Vec::new();
            let mut stats = Stats::default();
            scan_mbox_pieces(&rules, &entry, Pieces { len, size: 7000, map }, &mut stats, &mut |e| {
                if let Event::Batch { bounces, .. } = e {
                    found.extend(bounces.iter().map(|b| (b.source.to_string(), b.offset)));
                }
            });
            assert!(found.len() > 100 && found.iter().all(|(s, at)| *at > 0 || s == "box:1"), "{found:?}");
            let file = std::fs::File::open(&path).unwrap();
            for (source, at) in &found {
                let input = Input::Paths(vec![path.clone()]);
                assert_eq!(
                    message_at(&file, *at, "box"),
                    load_raw(&input, source, 0),
                    "{source} at {at}, mapped: {map}"
                );
            }
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

#[cfg(test)]
mod render_tests {
    use super::*;

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
    fn locate_tolerates_folding() {
        let text = "a\nhost said: 550 5.1.1\n   user unknown\nb";
        let r = locate(text, "host said: 550 5.1.1 user unknown").unwrap();
        assert_eq!(&text[r], "host said: 550 5.1.1");
        assert_eq!(locate(text, "nothing like it"), None);
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn raw(data: String) -> RawMessage {
        RawMessage {
            source: "t.eml".into(),
            folder: String::new(),
            data: data.into_bytes(),
            truncated: false,
            offset: 0,
        }
    }

    fn base64_lines(bytes: usize) -> String {
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n".repeat(bytes / 77 + 1)
    }

    #[test]
    fn an_ordinary_mail_with_an_attachment_is_parsed_up_to_the_attachment_cap() {
        let mail = format!(
            "From: a@example.org\nTo: b@example.net\nSubject: delivery notification for your order\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: text/plain\n\nYour parcel is on its way.\n--m\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{}--m--\n",
            base64_lines(300_000)
        );
        assert_eq!(parse_limit(mail.as_bytes()), ATTACHMENT_CAP);
        assert!(analyze_message(&Rules::builtin(), &raw(mail)).unwrap().is_none());
    }

    #[test]
    fn a_returned_original_with_an_attachment_keeps_the_whole_cap() {
        let mail = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n<x@remote.example>: host mx.remote.example said: 550 5.1.1 User unknown\n\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <1@example.net>\nFrom: owner@example.net\nContent-Type: multipart/mixed; boundary=\"i\"\n\n--i\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{}--i--\n--b--\n",
            base64_lines(900_000)
        );
        assert_eq!(parse_limit(mail.as_bytes()), PARSE_CAP);
        let b = analyze_message(&Rules::builtin(), &raw(mail)).unwrap().unwrap();
        assert_eq!(b.original.unwrap().message_id, "<1@example.net>");
    }

    #[test]
    fn a_plain_text_report_for_many_recipients_is_read_past_the_attachment_cap() {
        let lines: String = (0..1500).map(|i| format!("  user{i}@remote.example\n    SMTP error from remote mail server after RCPT TO:<user{i}@remote.example>:\n    550 5.1.1 User unknown\n\n")).collect();
        let mail = format!(
            "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\nSubject: Mail delivery failed: returning message to sender\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n{lines}"
        );
        assert!(mail.len() > 2 * ATTACHMENT_CAP);
        assert_eq!(parse_limit(mail.as_bytes()), mail.len());
        let b = analyze_message(&Rules::builtin(), &raw(mail)).unwrap().unwrap();
        assert_eq!(b.recipients.len(), 1500);
    }

    #[test]
    fn a_delivery_status_for_thousands_of_recipients_is_read_to_its_end() {
        let fields: String = (0..9000)
            .map(|i| format!("Final-Recipient: rfc822; user{i}@remote.example\nAction: failed\nStatus: 5.1.1\n\n"))
            .collect();
        let mail = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nMail for many recipients failed.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n{fields}--b--\n"
        );
        assert!(mail.len() > PARSE_CAP);
        assert_eq!(parse_limit(mail.as_bytes()), mail.len() - "--b--\n".len());
        let b = analyze_message(&Rules::builtin(), &raw(mail)).unwrap().unwrap();
        assert_eq!(b.recipients.len(), 9000);
    }
}
