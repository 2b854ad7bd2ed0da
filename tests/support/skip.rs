//! A test that needs a tool or data that may be missing here (tmux, a browser, python3, the
//! corpus): under CI (`CI` set, as `.ci/run` runs) it fails, so that nothing is skipped there
//! unseen; elsewhere it says SKIPPED and why, and returns.

/// Call when `what` is missing; returns only outside CI.
pub fn unavailable(what: &str) {
    assert!(std::env::var_os("CI").is_none(), "{what}: required under CI, but missing");
    eprintln!("SKIPPED: {what}");
}
