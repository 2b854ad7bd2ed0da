//! End to end: the real binary in a real terminal (tmux), driven by keys, asserting on the
//! captured screen: view switch, search, category filter, export writes a file, help, the
//! verdict and its evidence readable at 80x24 and 120x36, quit restores the terminal. `.ci/run` installs tmux and sets BOUNCESCOPE_REQUIRE_TMUX.

mod support {
    pub mod owner;
    pub mod skip;
    pub mod tmux;
}

use std::process::Command;
use support::tmux::Session;

fn tmux_available() -> bool {
    support::tmux::available("the end-to-end terminal tests")
}

#[test]
fn triage_by_keys_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let name = format!("bs-e2e-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let cmd = format!("{bin} --demo; echo BOUNCESCOPE-EXITED; sleep 30");
    let s = Session::start(name, 100, 30, Some(dir.path()), &cmd);
    s.wait_for("24 messages scanned");
    s.wait_for("All bounces · 22 recipients");

    s.keys(&["3"]);
    s.wait_for("Backscatter · 3 recipients");

    s.keys(&["/", "E", "m", "p", "f", "Enter"]);
    let screen = s.wait_for("Backscatter · 1 recipient ");
    assert!(screen.contains("qq0rt@example.com"), "{screen}");
    s.keys(&["Escape", "1"]);
    s.wait_for("All bounces · 22 recipients");

    // Only the first category (mailbox full: four rows): none ticked, then that one.
    s.keys(&["c"]);
    s.wait_for("Categories");
    s.keys(&["a", "Space", "Enter"]);
    s.wait_for("All bounces · 4 recipients");

    s.keys(&["e"]);
    s.wait_for("Export");
    s.keys(&["Enter"]);
    s.wait_for("Exported 4 rows");
    let exported = std::fs::read_to_string(dir.path().join("bouncescope-all.tsv")).expect("export file written");
    assert_eq!(exported.lines().count(), 5);
    assert!(exported.lines().skip(1).all(|l| l.split('\t').nth(5) == Some("mailboxfull")), "{exported}");

    s.keys(&["?"]);
    s.wait_for("Keys");
    s.keys(&["Escape"]);

    s.keys(&["q"]);
    let after = s.wait_for("BOUNCESCOPE-EXITED");
    assert!(!after.contains("All bounces ·"), "the alternate screen was not left:\n{after}");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !tmux_available() {
        return;
    }
    let name = format!("bs-term-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let pidfile = std::env::temp_dir().join(format!("{name}.pid"));
    let cmd = format!("{bin} --demo & echo $! > {p}; wait; echo BOUNCESCOPE-EXITED; sleep 30", p = pidfile.display());
    let s = Session::start(name, 80, 24, None, &cmd);
    s.wait_for("24 messages scanned");
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    assert!(Command::new("kill").args(["-TERM", pid.trim()]).status().unwrap().success());
    let after = s.wait_for("BOUNCESCOPE-EXITED");
    assert!(!after.contains("All bounces ·"), "the alternate screen was not left:\n{after}");
    let _ = std::fs::remove_file(pidfile);
}

#[test]
fn a_panic_restores_the_terminal_then_reports() {
    if !tmux_available() {
        return;
    }
    let name = format!("bs-panic-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let cmd = format!("BOUNCESCOPE_TEST_PANIC=1 {bin} --demo; echo BOUNCESCOPE-EXITED; sleep 30");
    let s = Session::start(name, 100, 24, None, &cmd);
    let after = s.wait_for("BOUNCESCOPE-EXITED");
    assert!(after.contains("test panic requested"), "the panic message is shown after restoring:\n{after}");
    assert!(!after.contains("All bounces ·"), "the alternate screen was not left:\n{after}");
}

/// Closing the terminal (tmux kill-session hangs up the tty) ends bouncescope: it must not be
/// left behind spinning on a dead terminal.
#[test]
fn a_closed_terminal_ends_the_program() {
    if !tmux_available() {
        return;
    }
    let name = format!("bs-hup-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let pidfile = std::env::temp_dir().join(format!("{name}.pid"));
    let cmd = format!("{bin} --demo & echo $! > {p}; wait", p = pidfile.display());
    let s = Session::start(name, 80, 24, None, &cmd);
    s.wait_for("24 messages scanned");
    let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_string();
    let _ = std::fs::remove_file(&pidfile);
    s.close();
    let start = std::time::Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        // A zombie has exited; only a running or sleeping process counts as left behind.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state.split(") ").nth(1).is_some_and(|s| s.starts_with('Z')) {
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(5) {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("bouncescope (pid {pid}) still runs 5 s after its terminal was closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The detail pane's part of a captured screen: the rows below its title, right of its left
/// border when it sits beside the list.
fn detail_pane(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(top) = lines.iter().position(|l| l.contains(" Detail ")) else { return String::new() };
    let column = lines[top].chars().position(|c| c == '┌');
    let body = &lines[top + 1..lines.len().saturating_sub(1)];
    body.iter()
        .map(|l| match column {
            Some(c) => l.chars().skip(c + 1).collect::<String>(),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Every evidence line of the selected bounce, and its verdict, can be read in a small and in a
/// wide terminal: shown at once or reached with J, however the lines wrap.
#[test]
fn the_verdict_and_every_evidence_line_can_be_read() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (md, _) = support::owner::maildir(dir.path());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let report =
        Command::new(bin).env("BOUNCESCOPE_CONFIG", "").args(["report", "--format", "json"]).arg(&md).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (view_key, source, verdict) in
        [("4", "03-misbruik", "Account abuse"), ("5", "04-kaal", "Undetermined"), ("3", "11-vals", "Backscatter")]
    {
        let row = doc["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["source"].as_str().unwrap().contains(source))
            .expect("row in the report");
        let evidence: Vec<String> =
            row["evidence"].as_array().unwrap().iter().map(|e| flat(e["text"].as_str().unwrap())).collect();
        assert!(evidence.len() >= 2, "{source}: {evidence:?}");
        for (w, h) in [(80, 24), (120, 36)] {
            let name = format!("bs-ev-{}-{w}-{source}", std::process::id());
            let cmd = format!("BOUNCESCOPE_CONFIG= {bin} {}; sleep 30", md.display());
            let s = Session::start(name, w, h, None, &cmd);
            s.wait_for("messages scanned");
            s.keys(&[view_key]);
            if source.ends_with("vals") {
                // Backscatter: the owner-addressed one (no catch-all), searched for by recipient.
                s.keys(&["/", "k", "l", "a", "n", "t", "1", "Enter"]);
            }
            let mut seen = detail_pane(&s.wait_for(&format!("Verdict    {verdict}")));
            for _ in 0..12 {
                s.keys(&["J"]);
                seen.push_str(&detail_pane(&s.screen()));
            }
            let seen = flat(&seen);
            for e in &evidence {
                assert!(seen.contains(e.as_str()), "{source} at {w}x{h}: {e:?} never readable in\n{seen}");
            }
        }
    }
}

/// The lines `a–b of n` the detail pane's title shows, as (b, n).
fn detail_position(screen: &str) -> Option<(usize, usize)> {
    let at = screen.find("lines ")?;
    let rest = &screen[at + "lines ".len()..];
    let (range, rest) = rest.split_once(" of ")?;
    let last = range.split('–').nth(1)?.trim().parse().ok()?;
    let total = rest.split_whitespace().next()?.parse().ok()?;
    Some((last, total))
}

/// What a first-time user does: type a whole path into the export dialog (letters that are
/// commands elsewhere, `/`, `-`, `.` and spaces), tick and untick categories and watch the
/// count, scroll the detail to its last line and no further, find the next match with `n`,
/// and copy the selected address (OSC 52, which tmux takes into its buffer).
#[test]
fn typing_a_path_ticking_categories_scrolling_finding_and_copying() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let target_dir = dir.path().join("my exports-q.o");
    std::fs::create_dir(&target_dir).unwrap();
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let name = format!("bs-user-{}", std::process::id());
    let cmd = format!("BOUNCESCOPE_CONFIG= {bin} --demo; sleep 30");
    let s = Session::start(name, 120, 36, Some(dir.path()), &cmd);
    s.tmux(&["set", "-g", "set-clipboard", "on"]);
    s.wait_for("All bounces · 22 recipients");

    // Export to a path typed whole.
    s.keys(&["e"]);
    s.wait_for("Export");
    for _ in 0..30 {
        s.keys(&["BSpace"]);
    }
    let path = target_dir.join("by dom-jk.v1.tsv");
    s.type_text(path.to_str().unwrap());
    s.wait_for("by dom-jk.v1.tsv");
    s.keys(&["Enter"]);
    s.wait_for("Exported 22 rows");
    let written = std::fs::read_to_string(&path).expect("the typed path is written");
    assert_eq!(written.lines().count(), 23, "a header and the 22 visible rows:\n{written}");

    // Categories: all ticked at first; none; one; the count follows, and the list with it.
    s.keys(&["c"]);
    s.wait_for("22 rows in the ticked categories");
    s.keys(&["a"]);
    s.wait_for("Nothing ticked");
    s.keys(&["Space"]);
    let screen = s.wait_for(" in the ticked categories");
    let n: usize = screen
        .lines()
        .filter(|l| l.contains(" in the ticked categories"))
        .find_map(|l| {
            let word = l.split(" row").next()?.split_whitespace().last()?;
            word.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().ok()
        })
        .expect("a count");
    assert!(n > 0 && n < 22, "{screen}");
    s.keys(&["Down", "Space"]);
    let more = s.wait_for(" in the ticked categories");
    s.keys(&["Space"]);
    s.wait_for(&format!("{n} row"));
    s.keys(&["Enter"]);
    s.wait_for(&format!("All bounces · {n} recipient"));
    assert!(!more.is_empty());
    s.keys(&["0"]);
    s.wait_for("All bounces · 22 recipients");

    // The detail pane scrolls to its last line and no further.
    let mut last = None;
    for _ in 0..40 {
        s.keys(&["J"]);
        let now = detail_position(&s.screen());
        if now.is_some() && now == last {
            break;
        }
        last = now;
    }
    let (end, total) = last.expect("the detail pane shows where it is");
    assert_eq!(end, total, "J reaches the last line");
    s.keys(&["J", "J"]);
    assert_eq!(detail_position(&s.screen()), Some((end, total)), "and goes no further");
    s.keys(&["g"]);

    // n: the next row matching the search.
    s.keys(&["/", "e", "x", "a", "m", "p", "l", "e", ".", "d", "e", "Enter"]);
    let before = s.wait_for("All bounces · 4 recipients");
    s.keys(&["n"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let after = s.screen();
    assert_ne!(before, after, "n moved to the next match");

    // y: the selected address on the clipboard.
    s.keys(&["y"]);
    s.wait_for("Copied ");
    let buffer = s.tmux(&["show-buffer"]);
    assert!(buffer.contains("@example.de"), "tmux took the OSC 52 copy: {buffer:?}");
}

/// On a terminal `report` prints a table whose rows fit its width.
#[test]
fn the_report_table_fits_the_terminal() {
    if !tmux_available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    for width in [80u16, 132] {
        let name = format!("bs-table-{}-{width}", std::process::id());
        let cmd = format!("BOUNCESCOPE_CONFIG= {bin} report --demo; echo TABLE-DONE; sleep 30");
        let s = Session::start(name.clone(), width, 60, None, &cmd);
        s.wait_for("TABLE-DONE");
        // Joined as written (a wrapped line comes back whole).
        let joined = s.tmux(&["capture-pane", "-p", "-J", "-t", &name]);
        let rows: Vec<&str> = joined.lines().filter(|l| l.contains("@example.")).collect();
        assert!(rows.len() >= 10, "{joined}");
        for row in rows {
            assert!(row.chars().count() <= usize::from(width), "{width} columns: {row:?}");
        }
    }
}

/// `|` pipes the selected message to a command typed in the terminal, which reads a copy (the
/// mailbox is unchanged); after Enter the TUI is back. `v` opens it in $PAGER.
#[test]
fn the_selected_message_is_piped_to_a_command_and_the_tui_comes_back() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (md, _) = support::owner::maildir(dir.path());
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = walk(&md);
    let out = dir.path().join("piped.eml");
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let name = format!("bs-pipe-{}", std::process::id());
    let cmd = format!("BOUNCESCOPE_CONFIG= PAGER=cat {bin} {}; echo BOUNCESCOPE-EXITED; sleep 30", md.display());
    let s = Session::start(name, 100, 30, None, &cmd);
    s.wait_for("messages scanned");
    s.keys(&["|"]);
    s.wait_for("Pipe the message to");
    s.type_text(&format!("cat > {}", out.display()));
    s.keys(&["Enter"]);
    s.wait_for("Press Enter to return to bouncescope");
    s.keys(&["Enter"]);
    s.wait_for("done");
    let piped = std::fs::read_to_string(&out).expect("the command wrote what it read");
    assert!(piped.contains("Subject:"), "{piped}");
    // The pager (cat here) shows the message and the TUI comes back by itself.
    s.keys(&["v"]);
    s.wait_for("cat: done");
    s.keys(&["q"]);
    s.wait_for("BOUNCESCOPE-EXITED");
    assert_eq!(walk(&md), before, "the mailbox is unchanged");
}

/// Every file under `dir` with its bytes, in order.
fn walk(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
