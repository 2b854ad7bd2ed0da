//! A real terminal for end-to-end tests: one detached tmux session on a tmux server of its own
//! (`-L`), so that tests running in parallel never share a server — when one test's session
//! ends, the server it ran on goes with it and no other test is connected to that server.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Is tmux here? Without it the caller skips with a message, except where CI requires it
/// (`.ci/run` installs tmux and sets BOUNCESCOPE_REQUIRE_TMUX).
pub fn available(what: &str) -> bool {
    if Command::new("tmux").arg("-V").output().is_ok() {
        return true;
    }
    assert!(std::env::var_os("BOUNCESCOPE_REQUIRE_TMUX").is_none(), "tmux is required here but missing");
    super::skip::unavailable(&format!("tmux is not installed ({what})"));
    false
}

/// One session on its own server; dropping it ends both.
pub struct Session {
    name: String,
}

impl Session {
    /// Run `cmd` in a new detached session of `w`x`h` cells, in `dir` when given. `name` must
    /// be unique among the tests running at the same time; it names the server too.
    pub fn start(name: String, w: u16, h: u16, dir: Option<&Path>, cmd: &str) -> Session {
        let (w, h) = (w.to_string(), h.to_string());
        let mut args = vec!["new-session", "-d", "-s", &name, "-x", &w, "-y", &h];
        if let Some(d) = dir {
            args.extend(["-c", d.to_str().unwrap()]);
        }
        args.push(cmd);
        let status = Command::new("tmux").args(["-L", &name, "-f", "/dev/null"]).args(&args).status().unwrap();
        assert!(status.success(), "tmux {args:?}");
        Session { name }
    }

    /// Run a tmux command on this session's server (`set -g set-clipboard on`, `show-buffer`).
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(["-L", &self.name]).args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.name])
    }

    /// Send each key, with a short pause after it.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &self.name, k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Type `text` as it is (spaces, `/` and all), one key at a time.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.tmux(&["send-keys", "-t", &self.name, "-l", &c.to_string()]);
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Wait until the screen contains `text` (5 s at most).
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "'{text}' never appeared; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// End the session now: its terminal is closed, as when a user closes the window.
    pub fn close(&self) {
        self.tmux(&["kill-server"]);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
    }
}
