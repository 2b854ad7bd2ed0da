//! The orders of the list's rows. Every order is the date order (newest first, then mailbox
//! order) bucketed stably by one id — a reason, a domain, a code — with the buckets taken in
//! the order of the ids' ranks; the date order is one bucket. An order is made once per change
//! of the rows and read front to back by the filters, on all cores.

/// A row where an order puts it, with what the filters read of it, so that filtering an order
/// reads one array front to back (16 bytes a row).
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub bounce: u32,
    /// Index in the row index's keys (its bounce's first row's, plus the recipient).
    pub key: u32,
    pub domain: u32,
    pub reason: u16,
    /// Bit `i`: the row is in `View::ALL[i]`; [`HARD`]: a hard bounce.
    pub flags: u8,
}

/// The flag of a hard bounce.
pub(super) const HARD: u8 = 1 << 7;

/// Every row, bucketed by an id: bucket `id` is `placed[starts[id]..starts[id + 1]]`.
#[derive(Debug)]
pub(super) struct Ordered {
    /// The row index's change count it was made at.
    pub made_at: u64,
    placed: Vec<Placed>,
    starts: Vec<usize>,
    /// The ids' ranks when they do not depend on the language (domains, codes).
    pub rank: Vec<u32>,
}

impl Ordered {
    /// The date order itself: one bucket.
    pub fn one(placed: Vec<Placed>, made_at: u64) -> Ordered {
        Ordered { made_at, starts: vec![0, placed.len()], placed, rank: vec![0] }
    }

    /// The rows of `by_date` bucketed by `id` (below `ids`), each bucket in date order.
    pub fn bucketed(
        by_date: &[Placed],
        ids: usize,
        id: impl Fn(&Placed) -> u32,
        rank: Vec<u32>,
        made_at: u64,
    ) -> Ordered {
        let (placed, starts) = stable_by_rank(by_date, ids, id);
        Ordered { made_at, placed, starts, rank }
    }

    /// The rows of the date order (one bucket).
    pub fn placed_by_date(&self) -> &[Placed] {
        &self.placed
    }

    /// Every row, the buckets in the order of `rank` (one per id).
    pub fn runs(&self, rank: &[u32]) -> Vec<&[Placed]> {
        let mut ids: Vec<usize> = (0..self.starts.len() - 1).collect();
        ids.sort_by_key(|&id| rank.get(id).copied().unwrap_or(u32::MAX));
        ids.into_iter().map(|id| &self.placed[self.starts[id]..self.starts[id + 1]]).filter(|r| !r.is_empty()).collect()
    }
}

/// `items` in the order of `rank(item)` (below `ranks`), items of one rank in the order they
/// came (a counting sort: one pass to count, one to place), and where each rank starts.
pub(super) fn stable_by_rank(
    items: &[Placed],
    ranks: usize,
    rank: impl Fn(&Placed) -> u32,
) -> (Vec<Placed>, Vec<usize>) {
    let mut starts = vec![0usize; ranks + 1];
    let Some(&first) = items.first() else { return (Vec::new(), starts) };
    for p in items {
        starts[rank(p) as usize + 1] += 1;
    }
    for r in 1..starts.len() {
        starts[r] += starts[r - 1];
    }
    let mut next = starts.clone();
    let mut out = vec![first; items.len()];
    for p in items {
        let at = &mut next[rank(p) as usize];
        out[*at] = *p;
        *at += 1;
    }
    (out, starts)
}

/// Below this many rows the filter runs on one core (a thread costs more than it saves).
const ONE_CORE: usize = if cfg!(test) { 16 } else { 50_000 };

/// The rows of `runs` (read as one sequence, backwards when `reverse`) that `keep` keeps, each
/// as `map` gives it, and how many were kept per domain (below `domains`; none counted when it
/// is 0). Parts of the sequence are filtered on all cores.
pub(super) fn filter<T: Send>(
    runs: &[&[Placed]],
    reverse: bool,
    domains: usize,
    keep: &(dyn Fn(&Placed) -> bool + Sync),
    map: &(dyn Fn(&Placed) -> T + Sync),
) -> (Vec<T>, Vec<usize>) {
    let total: usize = runs.iter().map(|r| r.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = split(runs, if total < ONE_CORE { 1 } else { cores });
    let one = |part: &[&[Placed]]| {
        let room = part.iter().map(|r| r.len()).sum();
        let (mut kept, mut sizes) = (Vec::with_capacity(room), vec![0usize; domains]);
        let mut take = |p: &Placed| {
            if keep(p) {
                if domains > 0 {
                    sizes[p.domain as usize] += 1;
                }
                kept.push(map(p));
            }
        };
        if reverse {
            part.iter().rev().for_each(|run| run.iter().rev().for_each(&mut take));
        } else {
            part.iter().for_each(|run| run.iter().for_each(&mut take));
        }
        (kept, sizes)
    };
    let mut done: Vec<(Vec<T>, Vec<usize>)> = if parts.len() == 1 {
        vec![one(&parts[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts.iter().map(|part| scope.spawn(|| one(part))).collect();
            handles.into_iter().map(|h| h.join().expect("a filter thread panicked")).collect()
        })
    };
    if reverse {
        done.reverse();
    }
    let mut rows = Vec::with_capacity(done.iter().map(|(k, _)| k.len()).sum());
    let mut sizes = vec![0usize; domains];
    for (kept, part_sizes) in done {
        rows.extend(kept);
        sizes.iter_mut().zip(part_sizes).for_each(|(s, n)| *s += n);
    }
    (rows, sizes)
}

/// `runs` cut into `parts` runs of runs of about the same number of rows, in order.
fn split<'a>(runs: &[&'a [Placed]], parts: usize) -> Vec<Vec<&'a [Placed]>> {
    let total: usize = runs.iter().map(|r| r.len()).sum();
    let per = total.div_ceil(parts.max(1)).max(1);
    let (mut out, mut room) = (vec![Vec::new()], per);
    for &run in runs {
        let mut run = run;
        while !run.is_empty() {
            if room == 0 {
                out.push(Vec::new());
                room = per;
            }
            let take = room.min(run.len());
            out.last_mut().expect("one part at least").push(&run[..take]);
            (run, room) = (&run[take..], room - take);
        }
    }
    out
}
