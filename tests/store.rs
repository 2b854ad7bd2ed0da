//! The TUI keeps its bounces packed (`tui::store`): every bounce must come back exactly as it
//! went in (but for the original's trace, which is for judging only), and its rows must be found
//! by the text the list searches. Checked on the demo mailbox, the labelled corpus (when it is
//! here) and mutated mail.

mod support {
    pub mod fuzz;
    pub mod skip;
}

use bouncescope::bounce::Bounce;
use bouncescope::classify::Rules;
use bouncescope::engine::{self, Input};
use bouncescope::history;
use bouncescope::mailbox::RawMessage;
use bouncescope::pipeline;
use bouncescope::tui::store::Bounces;
use std::path::PathBuf;

/// Pack `bounces`, then check each one unpacked and its rows' search text.
fn round_trip(bounces: &[Bounce]) {
    let mut store = Bounces::default();
    for b in bounces {
        store.push(b);
    }
    let mut row = 0;
    for (i, b) in bounces.iter().enumerate() {
        let mut want = b.clone();
        if let Some(o) = &mut want.original {
            o.trace = None;
        }
        assert_eq!(format!("{:?}", store.get(i)), format!("{want:?}"), "bounce {i} ({})", b.source);
        for r in &b.recipients {
            for needle in [r.address.to_lowercase(), r.diagnostic.to_lowercase()].iter().filter(|n| !n.is_empty()) {
                assert!(store.rows_holding(needle)[row], "bounce {i}: row {row} holds {needle:?}");
            }
            row += 1;
        }
    }
    assert_eq!(store.len(), bounces.len());
    // What the recipient table reads without unpacking: the same failures, the address in
    // lower case when it is ASCII.
    let key = |(bounce, recipient, f): (usize, usize, history::Failure<'_>)| {
        let address = if f.address.is_ascii() { f.address.to_ascii_lowercase() } else { f.address.to_string() };
        (bounce, recipient, f.date, address, f.reason.to_string(), f.status.to_string(), f.hard)
    };
    let want: Vec<_> = bounces
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            history::failures(std::slice::from_ref(b), None).enumerate().map(move |(k, f)| key((i, k, f)))
        })
        .collect();
    assert_eq!(store.failures().map(key).collect::<Vec<_>>(), want);
    let listed: Vec<usize> =
        (0..bounces.len()).filter(|&i| bounces[i].recipients.iter().any(|r| !r.blocklist.is_empty())).collect();
    assert_eq!(store.blocklisted().map(|(i, _)| i).collect::<Vec<_>>(), listed);
}

#[test]
fn the_demo_mailbox_comes_back_whole() {
    let (bounces, _) = engine::scan_all(&Rules::builtin(), &Input::Demo).unwrap();
    assert!(bounces.len() > 20);
    round_trip(&bounces);
}

#[test]
fn the_corpus_comes_back_whole() {
    let dir = std::env::var_os("BOUNCESCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("dev");
    if !dir.join("expected.tsv").is_file() {
        support::skip::unavailable("no corpus at ../shared/corpus (set BOUNCESCOPE_CORPUS)");
        return;
    }
    let (bounces, _) = engine::scan_all(&Rules::builtin(), &Input::Paths(vec![dir])).unwrap();
    assert!(bounces.len() > 400);
    round_trip(&bounces);
}

#[test]
fn mutated_mail_comes_back_whole() {
    let rules = Rules::builtin();
    let seeds = support::fuzz::seeds();
    let mut rng = support::fuzz::Rng::new(18);
    let bounces: Vec<Bounce> = (0..3000)
        .filter_map(|i| {
            let raw = RawMessage {
                source: format!("fuzz-{i}"),
                folder: String::new(),
                data: support::fuzz::mutate(&mut rng, &seeds),
                truncated: false,
                offset: i as u64,
            };
            pipeline::analyze_message(&rules, &raw).ok().flatten()
        })
        .collect();
    assert!(bounces.len() > 1000, "{} bounces", bounces.len());
    round_trip(&bounces);
}
