//! Where the engine spends its time, stage by stage, on one thread: reads up to N messages of a
//! Maildir's cur/ into memory, then times the first look, the MIME parse, the analysis and the
//! classification separately (best of three rounds). A tool for working on speed:
//!
//!     cargo run --release --example stages -- target/bench-data/bounces/maildir 20000

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bouncescope::classify::Rules;
use bouncescope::mailbox::RawMessage;
use bouncescope::pipeline;
use bouncescope::{analyze, mime, prefilter};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: stages MAILDIR [N]"));
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("cur")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.truncate(n);
    let raws: Vec<RawMessage> = files
        .iter()
        .map(|f| RawMessage {
            source: f.display().to_string(),
            folder: String::new(),
            data: std::fs::read(f).unwrap(),
            truncated: false,
            offset: 0,
        })
        .collect();
    let bytes: usize = raws.iter().map(|r| r.data.len()).sum();
    println!("{} messages, {:.1} MB", raws.len(), bytes as f64 / 1e6);
    let t = Instant::now();
    let rules = Rules::builtin();
    println!("rules compiled       {:>8.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / raws.len() as f64;
    for round in 0..3 {
        let t = Instant::now();
        let cand: Vec<bool> = raws
            .iter()
            .map(|r| prefilter::candidate(&r.data[..prefilter::header_end(&r.data).unwrap_or(r.data.len())]))
            .collect();
        let first = t.elapsed();
        let t = Instant::now();
        let mails: Vec<_> = raws
            .iter()
            .zip(&cand)
            .filter(|(_, c)| **c)
            .map(|(r, _)| mime::parse(&r.data[..pipeline::parse_limit(&r.data)]))
            .collect();
        let parse = t.elapsed();
        let t = Instant::now();
        let facts: Vec<_> = mails.iter().flatten().map(analyze::analyze).collect();
        let analysis = t.elapsed();
        let t = Instant::now();
        let mut all = 0;
        for r in &raws {
            all += usize::from(pipeline::analyze_message(&rules, r).ok().flatten().is_some());
        }
        let whole = t.elapsed();
        drop(facts);
        println!(
            "round {round}: first look {:.2} µs, parse {:.2} µs, analyze {:.2} µs, whole analyze_message {:.2} µs ({} results) per message",
            per(first),
            per(parse),
            per(analysis),
            per(whole),
            all
        );
    }
}
