//! A command run outside the TUI on the selected message (`|` pipes it to a command, `v` opens
//! it in `$PAGER`): the terminal is handed over and taken back. The command gets a copy of the
//! message on its standard input, never the file: the mailbox stays untouched. A pager gets the
//! message made safe for the terminal; a command gets it as it is.

use ratatui::DefaultTerminal;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// What to run, and what it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// A shell command line (`sh -c`).
    pub command: String,
    pub input: Vec<u8>,
    /// A pager takes the screen and gives it back by itself; after any other command the user
    /// presses Enter to come back, having read its output.
    pub pager: bool,
}

/// The pager to open a message in: `$PAGER`, else `less`.
pub fn pager() -> String {
    std::env::var("PAGER").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "less".into())
}

/// Run `job` with the terminal handed over; `outside` is set meanwhile (the watchdog then lets
/// the command have Ctrl-C). Returns a line for the status bar.
pub fn run(terminal: &mut DefaultTerminal, job: Job, outside: &AtomicBool) -> std::io::Result<String> {
    outside.store(true, Relaxed);
    crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture)?;
    ratatui::restore();
    let result = spawn_and_wait(job);
    *terminal = ratatui::try_init()?;
    crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
    terminal.clear()?;
    outside.store(false, Relaxed);
    result
}

fn spawn_and_wait(job: Job) -> std::io::Result<String> {
    let mut child = Command::new("sh").arg("-c").arg(&job.command).stdin(Stdio::piped()).spawn()?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    // Written from a thread of its own: a pager reads as the user scrolls.
    let input = job.input;
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let status = child.wait()?;
    let _ = writer.join();
    let line = match status.code() {
        Some(0) => format!("{}: done", job.command),
        Some(code) => format!("{}: exit status {code}", job.command),
        None => format!("{}: ended by a signal", job.command),
    };
    if !job.pager {
        print!("\n[{line}] Press Enter to return to bouncescope. ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
    }
    Ok(crate::sanitize::line(&line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_reads_a_copy_of_the_message() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got");
        let job =
            Job { command: format!("cat > '{}'", out.display()), input: b"Subject: x\n\nbody\n".to_vec(), pager: true };
        let line = spawn_and_wait(job).unwrap();
        assert!(line.ends_with("done"), "{line}");
        assert_eq!(std::fs::read(&out).unwrap(), b"Subject: x\n\nbody\n");
        let failing = Job { command: "exit 3".into(), input: Vec::new(), pager: true };
        assert!(spawn_and_wait(failing).unwrap().ends_with("exit status 3"));
    }
}
