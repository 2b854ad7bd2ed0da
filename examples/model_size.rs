//! How much memory the per-bounce model takes: live heap bytes per bounce after a scan and the
//! verdicts, with a counting allocator around mimalloc. A tool for keeping memory flat:
//!
//!     cargo run --release --example model_size -- target/bench-data/bounces/maildir

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: forwards to mimalloc and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's promises for `alloc` are passed on unchanged.
        unsafe { INNER.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        // SAFETY: `p` came from this allocator, which got it from mimalloc with layout `l`.
        unsafe { INNER.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        // SAFETY: as for `dealloc`; the new size comes from the caller's promise.
        unsafe { INNER.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: model_size PATH"));
    let rules = bouncescope::classify::Rules::builtin();
    let input = bouncescope::engine::Input::Paths(vec![path]);
    let before = LIVE.load(Ordering::Relaxed);
    let (mut bounces, stats) = bouncescope::engine::scan_all(&rules, &input).unwrap();
    let scanned = LIVE.load(Ordering::Relaxed);
    let mut owner = bouncescope::engine::owner_for(&input, &Default::default());
    bouncescope::verdict::judge_all(&mut owner, &mut bounces);
    let judged = LIVE.load(Ordering::Relaxed);
    let n = bounces.len().max(1) as f64;
    println!("{} messages, {} results", stats.scanned, bounces.len());
    println!(
        "after the scan:     {:>8.1} MB live, {:>6.0} bytes per result",
        (scanned - before) as f64 / 1e6,
        (scanned - before) as f64 / n
    );
    println!(
        "after the verdicts: {:>8.1} MB live, {:>6.0} bytes per result",
        (judged - before) as f64 / 1e6,
        (judged - before) as f64 / n
    );
    println!(
        "size_of::<Bounce>() = {}, Recipient = {}",
        std::mem::size_of::<bouncescope::bounce::Bounce>(),
        std::mem::size_of::<bouncescope::bounce::Recipient>()
    );
}
