//! The thread that draws the terminal must never wait on the disk, the MIME parser or the
//! verdicts: those run on the loader and reader threads. The drawing thread marks itself
//! ([`mark`]); reading a message file, parsing a message and judging a verdict call [`forbid`],
//! which in debug builds (every test and every end-to-end run of the test binary) panics when
//! it runs on the marked thread. Release builds check nothing.

use std::cell::Cell;

thread_local! {
    static MARKED: Cell<bool> = const { Cell::new(false) };
}

/// This thread draws the terminal from now on.
pub fn mark() {
    MARKED.set(true);
}

/// `what` (reading a message file, parsing a message, judging a verdict) must not run on the
/// drawing thread.
#[inline]
pub fn forbid(what: &str) {
    if cfg!(debug_assertions) && MARKED.get() {
        panic!("{what} on the thread that draws the terminal");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn work_on_a_marked_thread_is_refused_in_debug_builds() {
        let refused = std::thread::spawn(|| {
            super::mark();
            super::forbid("reading a message file");
        })
        .join()
        .is_err();
        assert_eq!(refused, cfg!(debug_assertions));
        // An unmarked thread may.
        std::thread::spawn(|| super::forbid("reading a message file")).join().unwrap();
    }
}
