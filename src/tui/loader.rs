//! Background scan: the loader thread learns the owner, scans the mailbox, judges each bounce
//! as it comes and all of them again at the end, and talks to the UI only by messages over a
//! channel. The UI drains the channel each tick and never waits; it computes no verdict.

use crate::bounce::{Bounce, Kind};
use crate::classify::Rules;
use crate::engine::{self, Event, Input, Stats};
use crate::mailbox::Unreadable;
use crate::verdict::{self, Case, Judged, OwnerConfig};
use std::sync::mpsc::{self, Receiver};

/// What the loader reports.
#[derive(Debug)]
pub enum Msg {
    /// How many files there are to read.
    Listed(usize),
    /// The next analysed messages, in mailbox order, each bounce with a first verdict, and how
    /// many messages were scanned.
    Batch(Vec<Bounce>, usize),
    Unreadable(Unreadable),
    /// The Sent folder's recipients (lower case) and the dates each was written to, sent once
    /// before the first batch when there is a Sent folder (for the recipient view's "sent again").
    SentTo(std::collections::HashMap<String, Vec<i64>>),
    /// Final verdicts for the messages from this index on, in the order they came in the
    /// batches (`None` for a message that is no bounce): judged with the whole mailbox known,
    /// relays learned and bursts counted. Sent in slices, so that old and new evidence are never
    /// held for the whole mailbox at once; not sent when nothing is known about the owner (the
    /// first verdicts are final then).
    Judged(usize, Vec<Option<Judged>>),
    Done(Stats),
    /// A PATH could not be opened at all.
    Failed(String),
}

/// Final verdicts per [`Msg::Judged`].
const JUDGED_SLICE: usize = 4096;

/// Start scanning `input` in a background thread.
pub fn spawn(rules: Rules, input: Input, owner: OwnerConfig) -> Receiver<Msg> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("bouncescope-loader".into())
        .spawn(move || run(&rules, &input, &owner, |m| tx.send(m).is_ok()))
        .expect("a thread can be started");
    rx
}

/// The loader's work, on the thread that calls it: every message goes to `send`, which says
/// whether anybody still listens (once the UI has quit, the rest is dropped quietly).
pub fn run(rules: &Rules, input: &Input, config: &OwnerConfig, mut send: impl FnMut(Msg) -> bool) {
    let mut owner = engine::owner_for(input, config);
    if let Some(sent) = &owner.sent
        && !send(Msg::SentTo(sent.recipients.clone()))
    {
        return;
    }
    // Judged again at the end only when something about the owner is known.
    let again = !owner.knows_nothing();
    let mut cases: Vec<Case> = Vec::new();
    let mut listening = true;
    let result = engine::scan(rules, input, |e| {
        if !listening {
            return;
        }
        let msg = match e {
            Event::Listed { files } => Msg::Listed(files),
            Event::Batch { mut bounces, scanned } => {
                for b in &mut bounces {
                    let case = Case::of(b);
                    if b.kind == Kind::Bounce {
                        (b.verdict, b.evidence) = verdict::judge(&owner, &case, 0);
                    }
                    // What is for judging only, which is done here, the list never shows: the
                    // original's trace (Received, DKIM, Authentication-Results; its copy would
                    // be the biggest part of a bounce) and the bounce's own From, To and
                    // Delivered-To (the detail pane reads the message again from disk).
                    if let Some(o) = &mut b.original {
                        o.trace = None;
                    }
                    for field in [&mut b.from, &mut b.to, &mut b.delivered_to] {
                        *field = Default::default();
                    }
                    if again {
                        cases.push(case);
                    }
                }
                Msg::Batch(bounces, scanned)
            }
            Event::Unreadable(u) => Msg::Unreadable(u),
        };
        listening = send(msg);
    });
    if listening && again {
        let bursts = verdict::prepare(&mut owner, &cases);
        for (k, slice) in cases.chunks(JUDGED_SLICE).enumerate() {
            let judged = slice
                .iter()
                .zip(&bursts[k * JUDGED_SLICE..])
                .map(|(c, &burst)| (c.kind == Kind::Bounce).then(|| verdict::judge(&owner, c, burst)))
                .collect();
            listening = listening && send(Msg::Judged(k * JUDGED_SLICE, judged));
        }
    }
    if listening {
        send(match result {
            Ok(stats) => Msg::Done(stats),
            Err(e) => Msg::Failed(e.to_string()),
        });
    }
}
