//! Background scan: the loader thread learns the owner, scans the mailbox and talks to the UI
//! only by messages over a channel. The UI drains the channel each tick and never waits.

use crate::bounce::Bounce;
use crate::classify::Rules;
use crate::engine::{self, Event, Input, Stats};
use crate::mailbox::Unreadable;
use crate::verdict::{Owner, OwnerConfig};
use std::sync::mpsc::{self, Receiver, Sender};

/// What the loader reports.
#[derive(Debug)]
pub enum Msg {
    /// Who the owner is (Sent folder read).
    Owner(Box<Owner>),
    /// How many files there are to read.
    Listed(usize),
    /// The next analysed messages, in mailbox order, and how many were scanned.
    Batch(Vec<Bounce>, usize),
    Unreadable(Unreadable),
    Done(Stats),
    /// A PATH could not be opened at all.
    Failed(String),
}

/// Start scanning `input` in a background thread.
pub fn spawn(rules: Rules, input: Input, owner: OwnerConfig) -> Receiver<Msg> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("bouncescope-loader".into())
        .spawn(move || run(&rules, &input, &owner, &tx))
        .expect("a thread can be started");
    rx
}

fn run(rules: &Rules, input: &Input, owner: &OwnerConfig, tx: &Sender<Msg>) {
    // A closed channel means the UI has quit: stop quietly.
    let owner = engine::owner_for(input, owner);
    if tx.send(Msg::Owner(Box::new(owner))).is_err() {
        return;
    }
    let result = engine::scan(rules, input, |e| {
        let msg = match e {
            Event::Listed { files } => Msg::Listed(files),
            Event::Batch { bounces, scanned } => Msg::Batch(bounces, scanned),
            Event::Unreadable(u) => Msg::Unreadable(u),
        };
        let _ = tx.send(msg);
    });
    let _ = tx.send(match result {
        Ok(stats) => Msg::Done(stats),
        Err(e) => Msg::Failed(e.to_string()),
    });
}
