//! The long fuzz run: `cargo run --release --example soak -- [INPUTS] [SEED]` (default one
//! million inputs). Mutates our own sample mails and runs each through the whole read path on all
//! cores; counts panics and broken invariants, saves each failing input for replay, and exits
//! non-zero if there was any.

#[path = "../tests/support/fuzz.rs"]
mod fuzz;

use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inputs: usize = args.first().map_or(1_000_000, |a| a.parse().expect("INPUTS must be a number"));
    let seed: u64 = args.get(1).map_or(1, |a| a.parse().expect("SEED must be a number"));
    // Panics are caught and counted; keep their messages short and on stderr.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let rules = bouncescope::classify::Rules::builtin();
    let owner = bouncescope::engine::demo_owner();
    let seeds = fuzz::seeds();
    let (done, panics, broken, bytes) =
        (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let slowest = std::sync::Mutex::new(Duration::ZERO);
    let start = Instant::now();
    const BATCH: usize = 1000;
    (0..inputs.div_ceil(BATCH)).into_par_iter().for_each(|batch| {
        let mut rng = fuzz::Rng::new(seed ^ (batch as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        for i in 0..BATCH.min(inputs - batch * BATCH) {
            let data = fuzz::mutate(&mut rng, &seeds);
            bytes.fetch_add(data.len(), Ordering::Relaxed);
            let t = Instant::now();
            let outcome = std::panic::catch_unwind(|| fuzz::check(&rules, &owner, &data));
            let took = t.elapsed();
            let failed = match outcome {
                Ok(Ok(())) => false,
                Ok(Err(why)) => {
                    eprintln!("invariant broken: {why}");
                    broken.fetch_add(1, Ordering::Relaxed);
                    true
                }
                Err(_) => {
                    panics.fetch_add(1, Ordering::Relaxed);
                    true
                }
            };
            if failed {
                let path = std::env::temp_dir().join(format!("bouncescope-soak-{seed}-{batch}-{i}.eml"));
                if std::fs::write(&path, &data).is_ok() {
                    eprintln!("  input saved to {}", path.display());
                }
            }
            let mut s = slowest.lock().unwrap();
            *s = (*s).max(took);
            drop(s);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 100_000 == 0 {
                eprintln!(
                    "{n} inputs, {} panics, {} broken, {:.0?}",
                    panics.load(Ordering::Relaxed),
                    broken.load(Ordering::Relaxed),
                    start.elapsed()
                );
            }
        }
    });
    let secs = start.elapsed().as_secs_f64();
    let (n, p, b) = (done.into_inner(), panics.into_inner(), broken.into_inner());
    println!(
        "soak: {n} mutated inputs ({:.0} MB) from {} seeds, seed {seed}: {p} panics, {b} broken invariants; {secs:.1} s ({:.0} inputs/s), slowest input {:.1} ms",
        bytes.into_inner() as f64 / 1e6,
        seeds.len(),
        n as f64 / secs,
        slowest.into_inner().unwrap().as_secs_f64() * 1e3
    );
    if p + b > 0 {
        std::process::exit(1);
    }
}
