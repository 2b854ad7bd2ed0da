//! Hostile mail and broken mailboxes: nothing crashes or hangs, every message is accounted for,
//! and the mailbox is byte-for-byte unchanged after a report and a TUI session.

mod support {
    pub mod skip;
    pub mod tmux;
}

use bouncescope::classify::Rules;
use bouncescope::engine::{self, Input};
use bouncescope::mailbox::RawMessage;
use bouncescope::{display, explain, pipeline};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The binary, with no config file (a developer's own config must not change test results).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bouncescope"));
    c.env("BOUNCESCOPE_CONFIG", "");
    c
}

fn write(path: &Path, data: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

fn bounce(rcpt: &str, diag: &str) -> String {
    format!(
        "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: owner@example.net\nSubject: failure notice\n\nHi. This is the qmail-send program.\n\n<{rcpt}>:\n192.0.2.1 does not like recipient.\nRemote host said: {diag}\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <x@example.net>\nFrom: owner@example.net\nTo: {rcpt}\n"
    )
}

/// The hostile messages: (name, bytes).
fn hostile() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = Vec::new();
    let dsn_head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n";
    v.push(("truncated-mime".into(), format!("{dsn_head}--b\nContent-Type: text/plain\n\n<a@b.example>: 550 user unknown\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.example\nAction: fail").into_bytes()));
    v.push(("no-boundary".into(), b"From: MAILER-DAEMON@x\nSubject: failure notice\nContent-Type: multipart/report\n\n--b\n<a@b.example>: 550 5.1.1 unknown\n".to_vec()));
    v.push((
        "duplicate-boundaries".into(),
        format!("{dsn_head}--b\n--b\n--b\nContent-Type: text/plain\n\n<a@b.example>: 550 no such user\n--b--\n--b--\n")
            .into_bytes(),
    ));
    let mut nested = String::from(
        "From: MAILER-DAEMON@x\nSubject: failure notice\nContent-Type: multipart/mixed; boundary=\"n0\"\n\n",
    );
    for i in 0..1000 {
        nested.push_str(&format!("--n{i}\nContent-Type: multipart/mixed; boundary=\"n{}\"\n\n", i + 1));
    }
    nested.push_str("--n1000\nContent-Type: text/plain\n\n<a@b.example>: 550 user unknown\n");
    v.push(("nested-1000".into(), nested.into_bytes()));
    let mut parts = String::from(
        "From: MAILER-DAEMON@x\nSubject: failure notice\nContent-Type: multipart/mixed; boundary=\"p\"\n\n",
    );
    for i in 0..10_000 {
        parts.push_str(&format!("--p\nContent-Type: text/plain\n\npart {i}\n"));
    }
    parts.push_str("--p--\n");
    v.push(("parts-10000".into(), parts.into_bytes()));
    v.push((
        "header-1mb".into(),
        format!(
            "From: MAILER-DAEMON@x\nSubject: {}\nX-Long: {}\n\n<a@b.example>: 550 user unknown\n",
            "A".repeat(1000),
            "x".repeat(1 << 20)
        )
        .into_bytes(),
    ));
    v.push((
        "nul-bytes".into(),
        b"From: MAILER-DAEMON@x\x00\nSubject: fail\x00ure notice\n\n<a@b.example>:\x00 550 user unknown\x00\n".to_vec(),
    ));
    v.push(("invalid-utf8".into(), b"From: MAILER-DAEMON@x\nSubject: \xff\xfe failure notice\nContent-Type: text/plain; charset=x-no-such-charset\n\n<a@b.example>: 550 \xc3\x28 user unknown \xf0\x28\x8c\xbc\n".to_vec()));
    v.push(("8bit-headers".into(), "From: Mäiler-Dämon <MAILER-DAEMON@x>\nSubject: Unzustellbar: Größe\n\n<ä@b.example>: 550 Empfänger unbekannt\n".as_bytes().to_vec()));
    let words = "=?utf-8?B?".to_string() + &"QUFB".repeat(50) + "?= ";
    v.push(("rfc2047-abuse".into(), format!("From: =?x-evil?Q?=1b]0;pwned=07?= <MAILER-DAEMON@x>\nSubject: {}=?utf-8?B?broken\n\n<a@b.example>: 550 user unknown\n", words.repeat(1000)).into_bytes()));
    let mut many = String::from(dsn_head);
    many.push_str("--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n");
    for i in 0..10_000 {
        many.push_str(&format!("Final-Recipient: rfc822; u{i}@d{}.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n\n", i % 97));
    }
    many.push_str("--b--\n");
    v.push(("dsn-10000-recipients".into(), many.into_bytes()));
    v.push((
        "escapes".into(),
        bounce(
            "evil@x.example",
            "550 \x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;title\x07 \u{202e}gnp.exe user unknown \u{9b}31m",
        )
        .into_bytes(),
    ));
    v.push(("no-headers".into(), b"\x00\x01\x02 just binary \xff".to_vec()));
    v
}

/// Run `f` on its own thread and fail if it takes longer than `limit` (a hang) or panics.
fn bounded<T: Send + 'static>(what: &str, limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit).unwrap_or_else(|_| panic!("{what}: did not finish within {limit:?} (hang or panic)"))
}

#[test]
fn malformed_messages_never_panic_or_hang() {
    for (name, data) in hostile() {
        let started = Instant::now();
        let n = name.clone();
        let result = bounded(&name, Duration::from_secs(20), move || {
            let rules = Rules::builtin();
            let raw = RawMessage { source: n, folder: String::new(), data, truncated: false, offset: 0 };
            let analysed = pipeline::analyze_message(&rules, &raw);
            let rendered = display::render(&raw.data, analysed.as_ref().ok().and_then(|b| b.as_ref()));
            (
                analysed.map(|b| {
                    b.map(|b| {
                        (b.recipients.len(), b.recipients.iter().map(|r| r.diagnostic.clone()).collect::<Vec<_>>())
                    })
                }),
                rendered.text,
            )
        });
        let (analysed, text) = result;
        assert!(!text.contains('\x1b'), "{name}: an escape survived rendering");
        if let Ok(Some((_, diags))) = &analysed {
            for d in diags {
                assert!(
                    !d.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                    "{name}: control in {d:?}"
                );
            }
        }
        let got = analysed.as_ref().map(|b| b.as_ref().map(|x| x.0));
        eprintln!("{name}: {got:?} in {:?}", started.elapsed());
        // A sensible result or a clear skip: each message that names a failed recipient gives it.
        let expected = match name.as_str() {
            "parts-10000" => Ok(None),
            "no-headers" => Err(()),
            "dsn-10000-recipients" => Ok(Some(10_000)),
            _ => Ok(Some(1)),
        };
        assert_eq!(got.map_err(|_| ()), expected, "{name}");
    }
}

#[test]
fn a_dsn_with_10000_recipients_gives_10000_rows() {
    let (_, data) = hostile().into_iter().find(|(n, _)| n == "dsn-10000-recipients").unwrap();
    let raw = RawMessage { source: "x".into(), folder: String::new(), data, truncated: false, offset: 0 };
    let b = pipeline::analyze_message(&Rules::builtin(), &raw).unwrap().unwrap();
    assert_eq!(b.recipients.len(), 10_000);
    assert!(b.recipients.iter().all(|r| r.reason == "userunknown"));
}

/// Every file's hash, size and mtime, and every directory's listing.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut names: Vec<String> = Vec::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            names.push(e.file_name().to_string_lossy().into_owned());
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                let data = std::fs::read(&p).unwrap();
                let mut h: u64 = 0xcbf29ce484222325;
                for b in &data {
                    h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
                }
                out.insert(p, format!("{h:x} {} {:?}", data.len(), meta.modified().unwrap()));
            } else {
                out.insert(p, format!("special {:?}", meta.file_type()));
            }
        }
        names.sort();
        out.insert(dir.join("<listing>"), names.join("/"));
    }
    out
}

fn build_mailboxes(root: &Path) -> (PathBuf, PathBuf) {
    let md = root.join("Maildir");
    write(&md.join("new/1.a.host"), bounce("a@x.example", "550 user unknown").as_bytes());
    write(&md.join("cur/2.b.host:2,"), bounce("b@y.example", "552 mailbox full").as_bytes());
    write(
        &md.join(".Sent/cur/3.c.host:2,S"),
        b"Message-ID: <s@example.net>\nFrom: owner@example.net\nTo: z@z.example\n\nhi\n",
    );
    std::fs::create_dir_all(md.join("tmp")).unwrap();
    std::fs::create_dir_all(md.join(".Sent/new")).unwrap();
    for (i, (name, data)) in hostile().into_iter().enumerate() {
        write(&md.join(format!("cur/9{i:02}.{name}:2,")), &data);
    }
    let mbox = root.join("inbox.mbox");
    let mut text = Vec::new();
    for (i, (_, data)) in hostile().into_iter().enumerate().take(8) {
        text.extend_from_slice(format!("From x Mon Nov  2 10:00:0{} 2026\n", i % 10).as_bytes());
        text.extend_from_slice(&data);
        text.extend_from_slice(b"\n\n");
    }
    write(&mbox, &text);
    (md, mbox)
}

#[test]
fn the_mailbox_is_never_changed_by_report_or_tui() {
    let dir = tempfile::tempdir().unwrap();
    let (md, mbox) = build_mailboxes(dir.path());
    let before = snapshot(dir.path());
    for args in [
        vec!["report", "--all", "--format", "json"],
        vec!["report", "--format", "html"],
        vec!["report", "--format", "tsv"],
    ] {
        for target in [&md, &mbox] {
            let out = bin().args(&args).arg(target).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    // A scripted TUI session over the same Maildir, exporting into another folder.
    if support::tmux::available("the export-outside-the-mailbox step") {
        let elsewhere = tempfile::tempdir().unwrap();
        let name = format!("bs-ro-{}", std::process::id());
        let cmd = format!("{} {}; sleep 30", env!("CARGO_BIN_EXE_bouncescope"), md.display());
        let s = support::tmux::Session::start(name, 100, 30, Some(elsewhere.path()), &cmd);
        s.wait_for("messages scanned");
        let keys = ["j", "j", "r", "Escape", "/", "x", "Enter", "3", "1", "e", "Enter", "c", "Space", "Enter", "q"];
        s.keys(&keys);
        std::thread::sleep(Duration::from_millis(300));
        s.close();
        assert!(std::fs::read_dir(elsewhere.path()).unwrap().count() >= 1, "the export landed outside the mailbox");
    }
    assert_eq!(before, snapshot(dir.path()), "the mailbox changed");
}

#[test]
fn every_message_is_accounted_for_and_odd_files_get_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let (md, _) = build_mailboxes(dir.path());
    // Odd entries in cur/: an empty file, a folder, a FIFO, a symlink loop.
    write(&md.join("cur/empty:2,"), b"");
    std::fs::create_dir_all(md.join("cur/a-folder:2,")).unwrap();
    let fifo = md.join("cur/a-fifo:2,");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    std::os::unix::fs::symlink("loop-b:2,", md.join("cur/loop-a:2,")).unwrap();
    std::os::unix::fs::symlink("loop-a:2,", md.join("cur/loop-b:2,")).unwrap();
    let total_entries = std::fs::read_dir(md.join("cur")).unwrap().count()
        + std::fs::read_dir(md.join("new")).unwrap().count()
        + std::fs::read_dir(md.join(".Sent/cur")).unwrap().count();
    let out = bounded("report over odd files", Duration::from_secs(60), {
        let md = md.clone();
        move || bin().args(["report", "--all", "--format", "json"]).arg(&md).output().unwrap()
    });
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stats = &doc["stats"];
    let unreadable = stats["unreadable"].as_array().unwrap();
    let scanned = stats["scanned"].as_u64().unwrap() as usize;
    assert_eq!(scanned + unreadable.len(), total_entries, "scanned + unreadable must cover every entry: {stats}");
    let sum = ["bounces", "auto_replies", "feedback", "delivered", "other"]
        .iter()
        .map(|k| stats[k].as_u64().unwrap() as usize)
        .sum::<usize>();
    assert_eq!(sum, scanned, "the kinds add up to what was scanned");
    for odd in ["cur/empty:2,", "cur/a-folder:2,", "cur/a-fifo:2,", "cur/loop-a:2,"] {
        let note = unreadable
            .iter()
            .find(|u| u["source"] == odd)
            .unwrap_or_else(|| panic!("no note for {odd}: {unreadable:?}"));
        assert!(!note["reason"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_message_moved_from_new_to_cur_during_a_scan_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("md");
    write(&md.join("new/1700000001.7.host"), bounce("a@x.example", "550 user unknown").as_bytes());
    write(&md.join("cur/1700000002.7.host:2,"), bounce("b@x.example", "550 user unknown").as_bytes());
    let mb = bouncescope::mailbox::Mailbox::open(&md).unwrap();
    // A mail client reads both after the listing: one moves to cur/, the other gets a flag.
    std::fs::rename(md.join("new/1700000001.7.host"), md.join("cur/1700000001.7.host:2,S")).unwrap();
    std::fs::rename(md.join("cur/1700000002.7.host:2,"), md.join("cur/1700000002.7.host:2,RS")).unwrap();
    let sources: Vec<String> = mb
        .items()
        .map(|item| match item {
            bouncescope::mailbox::Item::Message(m) => m.source,
            other => panic!("a moved message was not followed: {other:?}"),
        })
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sorted, ["cur/1700000001.7.host:2,S", "cur/1700000002.7.host:2,RS"]);
}

/// A file the user may not read gets a note and the rest of the mailbox is still read. As root
/// permissions do not apply, so the report then runs as `nobody` (via setpriv).
#[test]
fn a_permission_denied_file_gets_a_note() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let md = dir.path().join("md");
    write(&md.join("cur/1:2,"), bounce("a@x.example", "550 user unknown").as_bytes());
    write(&md.join("cur/2:2,"), bounce("b@x.example", "550 user unknown").as_bytes());
    std::fs::set_permissions(md.join("cur/2:2,"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // SAFETY: geteuid has no preconditions and cannot fail.
    let mut cmd = if unsafe { libc::geteuid() } == 0 {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_bouncescope")])
            .env("BOUNCESCOPE_CONFIG", "");
        c
    } else {
        bin()
    };
    let out = match cmd.args(["report", "--format", "json"]).arg(&md).output() {
        Ok(out) => out,
        Err(e) => {
            support::skip::unavailable(&format!("cannot drop privileges to test permissions ({e})"));
            return;
        }
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["stats"]["scanned"], 1);
    let unreadable = doc["stats"]["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert_eq!(unreadable[0]["source"], "cur/2:2,");
    assert_eq!(unreadable[0]["reason"], "permission denied");
}

#[test]
fn a_file_that_vanishes_after_listing_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("md");
    write(&md.join("cur/1:2,"), bounce("a@x.example", "550 user unknown").as_bytes());
    write(&md.join("cur/2:2,"), bounce("b@x.example", "550 user unknown").as_bytes());
    let mb = bouncescope::mailbox::Mailbox::open(&md).unwrap();
    std::fs::remove_file(md.join("cur/2:2,")).unwrap();
    let items: Vec<_> = mb.items().collect();
    assert!(
        matches!(&items[1], bouncescope::mailbox::Item::Unreadable(u) if u.source == "cur/2:2," && u.reason == "no such file or folder")
    );
}

/// Peak resident memory (MB) of `bouncescope report` on one file.
fn report_peak_rss_mb(file: &Path) -> f64 {
    let child = bin().args(["report", "--format", "tsv", "-o", "/dev/null"]).arg(file).spawn().unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain integers, for which all zero bytes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: reaping our own child with valid out-pointers.
    unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "report on {} failed", file.display());
    usage.ru_maxrss as f64 / 1024.0
}

/// The bound: a message is read up to MAX_MESSAGE_BYTES (16 MiB) and parsed up to PARSE_CAP, so a
/// 100 MB message costs at most a small multiple of 16 MiB over a one-line message — never its size.
#[test]
fn a_100mb_message_is_read_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.eml");
    write(&small, bounce("a@x.example", "550 user unknown").as_bytes());
    let big = dir.path().join("big.eml");
    let mut data = bounce("a@x.example", "550 user unknown").into_bytes();
    data.extend(std::iter::repeat_n(b'A', 100 << 20));
    write(&big, &data);
    drop(data);
    let base = report_peak_rss_mb(&small);
    let start = Instant::now();
    let peak = report_peak_rss_mb(&big);
    eprintln!("100 MB message: peak RSS {peak:.0} MB (one-line message: {base:.0} MB) in {:?}", start.elapsed());
    let bound = 3.0 * (bouncescope::mailbox::MAX_MESSAGE_BYTES >> 20) as f64;
    assert!(peak - base < bound, "a 100 MB message cost {:.0} MB over a small one (bound {bound:.0} MB)", peak - base);
}

#[test]
fn an_mbox_without_from_lines_is_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("weird.mbox");
    write(&f, b"From: not a separator\nSubject: x\n\nbody\n");
    let rules = Rules::builtin();
    let (_, stats) = engine::scan_all(&rules, &Input::Paths(vec![f])).unwrap();
    assert_eq!(stats.scanned + stats.unreadable.len(), 1, "{stats:?}");
}

/// A DSN whose readable part holds one 2 MB line: the delivery-status part after it is still
/// read, by a scan and by `explain` alike.
#[test]
fn a_dsn_after_a_2mb_line_is_found_by_scan_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let mail = format!(
        "From: MAILER-DAEMON@mx.example.net\nTo: owner@example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n{}\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\n--b--\n",
        "x".repeat(2 << 20)
    );
    let maildir = dir.path().join("Maildir");
    write(&maildir.join("cur/big:2,S"), mail.as_bytes());
    std::fs::create_dir_all(maildir.join("new")).unwrap();
    let rules = Rules::builtin();
    let (bounces, _) = engine::scan_all(&rules, &Input::Paths(vec![maildir])).unwrap();
    assert_eq!(bounces.len(), 1);
    assert_eq!(bounces[0].recipients[0].address, "gone@example.org");
    assert_eq!(bounces[0].recipients[0].reason, "mailboxfull");
    let explained = explain::explain(&rules, mail.as_bytes());
    assert!(
        explained.contains("Recipient 1: gone@example.org") && explained.contains("Reason: mailboxfull"),
        "{explained}"
    );
    // The report (and the TUI, whose loader runs the same scan) say the same.
    let out = bin().args(["report", "--format", "tsv"]).arg(dir.path().join("Maildir")).output().unwrap();
    let tsv = String::from_utf8_lossy(&out.stdout);
    let row: Vec<&str> = tsv.lines().nth(1).unwrap_or("").split('\t').collect();
    assert_eq!((row.get(2).copied(), row.get(5).copied()), (Some("gone@example.org"), Some("mailboxfull")), "{tsv}");
    let cli_explain = bin().arg("explain").arg(dir.path().join("Maildir/cur/big:2,S")).output().unwrap();
    assert!(String::from_utf8_lossy(&cli_explain.stdout).contains("Reason: mailboxfull"));
}

/// Junk before the first `From ` line is one unreadable item; the messages after it are read.
#[test]
fn an_mbox_with_junk_before_its_first_from_line_still_yields_its_bounces() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("archive");
    let mut data = b"this line was left by a broken export\nand another one\n".to_vec();
    for rcpt in ["a@example.org", "b@example.org"] {
        data.extend_from_slice(b"From MAILER-DAEMON Mon Jan  6 10:00:00 2025\n");
        data.extend_from_slice(bounce(rcpt, "550 5.1.1 no such user").as_bytes());
        data.extend_from_slice(b"\n");
    }
    write(&f, &data);
    let rules = Rules::builtin();
    let (bounces, stats) = engine::scan_all(&rules, &Input::Paths(vec![f.clone()])).unwrap();
    let got: Vec<&str> = bounces.iter().map(|b| b.recipients[0].address.as_str()).collect();
    assert_eq!(got, ["a@example.org", "b@example.org"]);
    assert_eq!(stats.unreadable.len(), 1, "{stats:?}");
    assert!(stats.unreadable[0].reason.contains("before the first `From ` line"), "{stats:?}");
    // The CLI names it too, and still exits 0 with both rows.
    let out = bin().args(["report", "--format", "tsv"]).arg(&f).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a message"));
}
