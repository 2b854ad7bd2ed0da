//! Scanning: whole mailboxes read and analysed on all cores (messages in groups, by
//! `pipeline::analyze_messages`), the results delivered in a stable order with the scan's counts;
//! and who the owner is for an input.

use crate::bounce::{Bounce, Kind};
use crate::classify::Rules;
use crate::mailbox::{Entry, FileKind, Item, Mailbox, OpenError, RawMessage, Unreadable};
use crate::pipeline::{analyze_message, analyze_messages};

use std::path::PathBuf;

mod pieces;
use pieces::{MBOX_PIECE, Pieces, mbox_pieces, scan_mbox_pieces};

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
        Input::Paths(paths) => {
            let mut boxes: Vec<Mailbox> = paths.iter().map(|p| Mailbox::open(p)).collect::<Result<_, _>>()?;
            // Two mailboxes both hold `cur/…`: their messages are then named by their PATH too.
            if boxes.len() > 1 {
                boxes.iter_mut().for_each(Mailbox::name_by_root);
            }
            Listing::Boxes(boxes)
        }
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
            scan_work(rules, msgs.into_iter().map(Step::Read), &mut stats, &mut sink);
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
                        Some(len) => {
                            scan_mbox_pieces(rules, entry, Pieces { len, size: MBOX_PIECE }, &mut stats, &mut sink)
                        }
                        None => {
                            let steps = crate::mailbox::read_entry_with(entry, true).map(step);
                            scan_work(rules, steps, &mut stats, &mut sink);
                        }
                    }
                }
            }
        }
    }
    stats
}

/// What became of one message (or of a file that could not be read).
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

/// Where a message the mailbox reader gave stands: read, or already decided by the reader.
fn step(item: Item) -> Step {
    match item {
        Item::Message(m) => Step::Read(m),
        Item::Unreadable(u) => Step::Done(Outcome::Unreadable(u)),
        Item::Ordinary(_) => Step::Done(Outcome::Skipped),
    }
}

/// Read a single-message file through the mailbox's one reader, its head first.
fn read_file(entry: &Entry) -> Step {
    step(crate::mailbox::single::read_candidate(entry))
}

/// Analyse the messages of `steps` as they are read, a batch at a time: reading (system calls,
/// file data streaming through the cache) evicts what the analysis works with (automata, rules),
/// so read messages wait until [`ANALYSIS_BATCH_BYTES`] of them are held. Results keep the order.
fn analyse_in_batches(rules: &Rules, steps: impl Iterator<Item = Step>) -> Vec<Outcome> {
    let mut out: Vec<Step> = Vec::new();
    let (mut held, mut first_held) = (0, 0);
    for step in steps {
        if let Step::Read(raw) = &step {
            held += raw.data.len();
        }
        out.push(step);
        if held >= ANALYSIS_BATCH_BYTES {
            analyse_steps(rules, &mut out[first_held..]);
            (held, first_held) = (0, out.len());
        }
    }
    analyse_steps(rules, &mut out[first_held..]);
    done(out)
}

/// Analyse the read messages among `steps` together ([`analyze_messages`]), each step then done.
fn analyse_steps(rules: &Rules, steps: &mut [Step]) {
    let raws: Vec<&RawMessage> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Read(raw) => Some(raw),
            Step::Done(_) => None,
        })
        .collect();
    let mut results = analyze_messages(rules, &raws).into_iter();
    for step in steps {
        if let Step::Read(raw) = step {
            *step = Step::Done(outcome(results.next().expect("one result per message"), raw));
        }
    }
}

/// How many bytes of read messages wait for their analysis (see [`analyse_in_batches`]).
const ANALYSIS_BATCH_BYTES: usize = 1 << 20;

/// The outcomes of steps all analysed by [`analyse_steps`].
fn done(steps: Vec<Step>) -> Vec<Outcome> {
    steps
        .into_iter()
        .map(|step| match step {
            Step::Done(outcome) => outcome,
            Step::Read(raw) => unreachable!("{} was read and not analysed", raw.source),
        })
        .collect()
}

/// What the analysis of `raw` makes of it.
fn outcome(result: Result<Option<Bounce>, String>, raw: &RawMessage) -> Outcome {
    match result {
        Ok(b) => Outcome::Analyzed(b.map(Box::new), raw.truncated),
        Err(reason) => Outcome::Unreadable(Unreadable { source: raw.source.clone(), reason }),
    }
}

/// Analyse a stream of messages (an mbox read in one go, the demo) on all cores: the stream is
/// cut into chunks, taken in turn by the workers of [`in_order`], so reading the next chunk
/// overlaps with analysing the ones taken before; results keep the stream's order.
fn scan_work(
    rules: &Rules,
    mut steps: impl Iterator<Item = Step> + Send,
    stats: &mut Stats,
    sink: &mut dyn FnMut(Event),
) {
    let chunks = std::iter::from_fn(move || {
        let chunk: Vec<Step> = steps.by_ref().take(CHUNK).collect();
        (!chunk.is_empty()).then_some(chunk)
    });
    in_order(chunks, |chunk| analyse_chunk(rules, chunk), |outcomes| record(outcomes, stats, sink));
}

fn analyse_chunk(rules: &Rules, mut steps: Vec<Step>) -> Vec<Outcome> {
    analyse_steps(rules, &mut steps);
    done(steps)
}

/// Single-message files per unit of work of [`scan_files`].
const FILES_PER_TASK: usize = 64;

/// Read and analyse single-message files: one worker per core takes the next few files as soon
/// as it is free (no worker waits at a batch's end for the slowest message of the batch);
/// results are sent in mailbox order as soon as all earlier files are done.
fn scan_files(rules: &Rules, entries: &[Entry], stats: &mut Stats, sink: &mut dyn FnMut(Event)) {
    // Send a few tasks at a time so that the interface gets batches of a useful size.
    let mut ready: Vec<Outcome> = Vec::new();
    in_order(
        entries.chunks(FILES_PER_TASK),
        |files| analyse_in_batches(rules, files.iter().map(read_file)),
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

/// Workers of a scan: one per core.
pub(super) fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The one scheduler of a scan: one worker per core takes the next task from `tasks` as soon
/// as it is free (taking is one at a time, so a stream may be read as its tasks are taken),
/// runs `work` on it, and `deliver` gets the results in the order the tasks were taken (a later
/// result waits for the earlier ones).
fn in_order<I: Send, T: Send>(
    tasks: impl Iterator<Item = I> + Send,
    work: impl Fn(I) -> T + Sync,
    mut deliver: impl FnMut(T),
) {
    let tasks = std::sync::Mutex::new(tasks.enumerate());
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
        for _ in 0..workers() {
            let (tx, tasks, work) = (tx.clone(), &tasks, &work);
            scope.spawn(move || {
                loop {
                    // A worker that panicked while taking a task has poisoned the lock: stop too
                    // (the scope hands its panic on).
                    let Some((k, task)) = tasks.lock().ok().and_then(|mut t| t.next()) else { return };
                    if tx.send((k, work(task))).is_err() {
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
