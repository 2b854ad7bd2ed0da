//! The command-line contract of SPEC.md, run on the real binary over real files on disk.

use std::path::Path;
use std::process::Command;

/// The binary, with no config file (a developer's own config must not change test results).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bouncescope"));
    c.env("BOUNCESCOPE_CONFIG", "");
    c
}

/// A bounce of our own making (qmail style) for `rcpt`.
fn qmail_bounce(rcpt: &str, said: &str) -> String {
    format!(
        "Return-Path: <>\nFrom: MAILER-DAEMON@mail.example.net\nTo: owner@example.net\nSubject: failure notice\nDate: Mon, 02 Nov 2026 10:00:00 +0100\n\nHi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<{rcpt}>:\n192.0.2.9 does not like recipient.\nRemote host said: {said}\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <x1@example.net>\nFrom: owner@example.net\nTo: {rcpt}\nSubject: hi\n"
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn tsv_header_and_rows_follow_spec() {
    let out = bin().args(["report", "--demo", "--format", "tsv"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source\tindex\trecipient\tstatus\treply_code\treason\thard\tverdict\tdiagnostic\tdate\tsender\tmessage_id\tdecided_by\tblocklist\tlisted"
    );
    let rows: Vec<&str> = lines.collect();
    // The demo's block-list refusals name their list and the listed address; no other row has one.
    let listed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| !c[13].is_empty())
        .map(|c| (c[5], c[13], c[14]))
        .collect();
    let zen = ("blocked", "spamhaus-zen", "192.0.2.25");
    assert_eq!(listed, [zen, zen, ("blocked", "microsoft", "192.0.2.25")], "{rows:?}");
    for line in rows {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 15, "{line}");
        assert!(["provider", "phrase", "status", "reply_code", "default"].contains(&cells[12]), "{line}");
        assert!(cells[9].is_empty() || (cells[9].len() == 20 && cells[9].ends_with('Z')), "{line}");
    }
}

#[test]
fn unreadable_path_exits_1_with_one_line_naming_it() {
    let out = bin().args(["report", "/no/such/mailbox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/mailbox") && err.contains("no such file"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let out = bin().args(["report", "--demo", "--category", "nosuchreason"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["report", "--demo", "--format", "xml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn maildir_with_subfolders_and_mbox_are_read_with_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    write(&md.join("new/1700000000.1.host"), &qmail_bounce("a@example.org", "550 sorry, no mailbox here by that name"));
    write(&md.join("cur/1700000001.2.host:2,S"), &qmail_bounce("b@example.org", "552 mailbox full"));
    write(&md.join(".Junk/cur/1700000002.3.host:2,"), &qmail_bounce("c@example.org", "554 rejected as spam"));
    std::fs::create_dir_all(md.join("tmp")).unwrap();
    std::fs::create_dir_all(md.join(".Junk/new")).unwrap();
    let out = bin().args(["report", "--format", "tsv"]).arg(&md).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    let got: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0], r[2], r[5])).collect();
    assert_eq!(
        got,
        vec![
            ("new/1700000000.1.host", "a@example.org", "userunknown"),
            ("cur/1700000001.2.host:2,S", "b@example.org", "mailboxfull"),
            (".Junk/cur/1700000002.3.host:2,", "c@example.org", "spamdetected"),
        ]
    );

    // The same mails in one mbox, with a `>From ` line in a body and no trust in Content-Length.
    let mbox = dir.path().join("inbox.mbox");
    let mut text = String::new();
    for (i, (r, said)) in
        [("a@example.org", "550 sorry, no mailbox here by that name"), ("b@example.org", "552 mailbox full")]
            .iter()
            .enumerate()
    {
        text.push_str(&format!("From MAILER-DAEMON Mon Nov  2 10:00:0{i} 2026\nContent-Length: 3\n"));
        text.push_str(&qmail_bounce(r, said).replace("Subject: hi\n", "Subject: hi\n\n>From the start\n"));
        text.push('\n');
    }
    write(&mbox, &text);
    let out = bin().args(["report", "--format", "tsv"]).arg(&mbox).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let sources: Vec<&str> = text.lines().skip(1).map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(sources, vec!["inbox.mbox:1", "inbox.mbox:2"]);
}

#[test]
fn html_and_csv_are_safe_with_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("evil.eml");
    write(&f, &qmail_bounce("x@example.org", "550 <script>alert(1)</script> \x1b]0;pwned\x07 user unknown"));
    let out = bin().args(["report", "--format", "html"]).arg(&f).output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("<script>"), "HTML not escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains('\x1b'));
    let out = bin().args(["report", "--format", "tsv"]).arg(&f).output().unwrap();
    assert!(!out.stdout.contains(&0x1b), "escape reached the TSV");
}

#[test]
fn version_completions_and_man_page_come_from_the_cli_definition() {
    let out = bin().arg("--version").output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), format!("bouncescope {}", env!("CARGO_PKG_VERSION")));
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("report") && text.contains("verdict") && text.contains("explain"),
            "{shell} completion lacks subcommands or flags"
        );
    }
    let out = bin().arg("man").output().unwrap();
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(man.starts_with(".ie") || man.contains(".TH bouncescope"), "not a man page");
    assert!(man.contains("report") && man.contains("completions"));
    let help = String::from_utf8(bin().arg("--help").output().unwrap().stdout).unwrap();
    assert!(help.contains("Examples:"), "--help shows examples");
}

#[test]
fn config_path_init_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("conf/config.toml");
    let run = |args: &[&str]| bin().env("BOUNCESCOPE_CONFIG", &cfg).args(args).output().unwrap();
    // A file the variable names must exist, as one --config names must.
    let missing = run(&["report", "--demo"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr).into_owned();
    assert!(err.contains("no such config file") && err.contains("config.toml"), "{err}");
    let flag = bin().args(["report", "--demo", "--config"]).arg(&cfg).output().unwrap();
    assert_eq!(flag.status.code(), Some(2));
    let out = run(&["config", "path"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), cfg.display().to_string());
    assert!(run(&["config", "init"]).status.success());
    assert!(std::fs::read_to_string(&cfg).unwrap().contains("[owner]"));
    let again = run(&["config", "init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8(again.stderr).unwrap().contains("already exists"));
    // The example as written works.
    assert!(run(&["report", "--demo", "--format", "tsv"]).status.success());
    // Settings apply: the language from the file, a flag wins over it.
    std::fs::write(&cfg, "lang = \"de\"\n").unwrap();
    let csv = String::from_utf8(run(&["report", "--demo", "--format", "csv"]).stdout).unwrap();
    let csv_en = String::from_utf8(run(&["report", "--demo", "--format", "csv", "--lang", "en"]).stdout).unwrap();
    assert_ne!(csv, csv_en, "lang from the config file is used, and --lang overrides it");
    // An unknown key: exit 2, one line naming the file, the line and the key.
    std::fs::write(&cfg, "theme = \"dark\"\nlanguage = \"de\"\n").unwrap();
    let out = run(&["report", "--demo"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&cfg.display().to_string()) && err.contains("line 2") && err.contains("language"), "{err}");
}

/// An mbox of `n` qmail bounces.
fn mbox_text(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "From MAILER-DAEMON Mon Nov  2 10:00:00 2026\n{}\n",
                qmail_bounce(&format!("user{i}@example.org"), "550 5.1.1 no such user")
            )
        })
        .collect()
}

#[test]
fn the_output_file_names_the_format_and_empty_or_foreign_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let out = bin().args(["report", "--demo", "-o"]).arg(&html).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>") || text.starts_with("<!doctype html>"), "{}", &text[..60]);
    // --format still wins over the extension.
    let out =
        bin().args(["report", "--demo", "--format", "tsv", "-o"]).arg(dir.path().join("t.html")).output().unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_to_string(dir.path().join("t.html")).unwrap().starts_with("source\t"));

    // A file that is no mail, and an empty folder: exit 1 and one line naming them.
    let passwd = dir.path().join("passwd");
    write(&passwd, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for (path, why) in [(&passwd, "not a mailbox"), (&empty, "no mail found")] {
        let out = bin().arg("report").arg(path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", path.display());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&path.display().to_string()) && err.contains(why), "{err}");
    }
    // An unknown --category names the ones there are.
    let out = bin().args(["report", "--demo", "--category", "nosuch"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("nosuch") && err.contains("userunknown") && err.contains("mailboxfull"), "{err}");
}

#[test]
fn compressed_mailboxes_give_the_rows_of_the_plain_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let text = mbox_text(40);
    let plain = dir.path().join("inbox.mbox");
    write(&plain, &text);
    let gz = dir.path().join("inbox.mbox.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    let zst = dir.path().join("inbox.mbox.zst");
    std::fs::write(&zst, zstd::stream::encode_all(text.as_bytes(), 3).unwrap()).unwrap();
    let xz = dir.path().join("inbox.mbox.xz");
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(text.as_bytes()).unwrap();
    std::fs::write(&xz, e.finish().unwrap()).unwrap();
    let bz2 = dir.path().join("inbox.mbox.bz2");
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    std::fs::write(&bz2, e.finish().unwrap()).unwrap();
    // The rows without their source column (the file names differ).
    let rows = |path: &Path| -> Vec<String> {
        let out = bin().args(["report", "--format", "tsv"]).arg(path).output().unwrap();
        assert!(out.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(|l| l.split_once('\t').unwrap().1.to_string()).collect()
    };
    let want = rows(&plain);
    assert_eq!(want.len(), 41, "a header and 40 rows");
    for packed in [&gz, &zst, &xz, &bz2] {
        assert_eq!(rows(packed), want, "{}", packed.display());
    }
    // A packed message file in a folder, and the detail pane's re-read of a packed mbox message.
    let eml = dir.path().join("mails/one.eml.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(qmail_bounce("solo@example.org", "550 5.1.1 no such user").as_bytes()).unwrap();
    std::fs::create_dir_all(eml.parent().unwrap()).unwrap();
    std::fs::write(&eml, e.finish().unwrap()).unwrap();
    assert!(rows(&dir.path().join("mails")).iter().any(|r| r.contains("solo@example.org")));
    let input = bouncescope::engine::Input::Paths(vec![gz.clone()]);
    let raw = bouncescope::display::load_raw(&input, "inbox.mbox.gz:7", 0).expect("read again");
    assert!(String::from_utf8_lossy(&raw).contains("user6@example.org"));
}

#[test]
fn messages_of_two_mailboxes_are_named_by_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a/Maildir"), dir.path().join("b/Maildir"));
    for (md, rcpt) in [(&a, "one@example.org"), (&b, "two@example.org")] {
        write(&md.join("cur/1700000000.M1.host:2,S"), &qmail_bounce(rcpt, "550 5.1.1 no such user"));
        std::fs::create_dir_all(md.join("new")).unwrap();
    }
    let out = bin().args(["report", "--format", "tsv"]).arg(&a).arg(&b).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let sources: Vec<&str> = text.lines().skip(1).map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(sources.len(), 2, "{text}");
    assert_ne!(sources[0], sources[1], "the two messages can be told apart: {sources:?}");
    assert!(sources[0].starts_with(&a.display().to_string()), "{sources:?}");
    // Each is read again by its name.
    let input = bouncescope::engine::Input::Paths(vec![a.clone(), b.clone()]);
    for (source, rcpt) in sources.iter().zip(["one@example.org", "two@example.org"]) {
        let raw = bouncescope::display::load_raw(&input, source, 0).expect("read again");
        assert!(String::from_utf8_lossy(&raw).contains(rcpt), "{source}");
    }
    // One mailbox keeps its messages named relative to it.
    let one = bin().args(["report", "--format", "tsv"]).arg(&a).output().unwrap();
    assert!(String::from_utf8(one.stdout).unwrap().lines().nth(1).unwrap().starts_with("cur/"));
}

#[test]
fn a_maildirs_cur_folder_named_on_its_own_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    write(&md.join("cur/1700000000.M1.host:2,S"), &qmail_bounce("gone@example.org", "550 5.1.1 no such user"));
    std::fs::create_dir_all(md.join("new")).unwrap();
    let out = bin().args(["report", "--format", "tsv"]).arg(md.join("cur")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().contains("gone@example.org"));
}

/// A qmail bounce for `rcpt` dated `day` of November 2026.
fn bounce_on(rcpt: &str, said: &str, day: u32) -> String {
    qmail_bounce(rcpt, said).replace("Date: Mon, 02 Nov 2026", &format!("Date: Mon, {day:02} Nov 2026"))
}

#[test]
fn suppress_and_the_recipient_history_follow_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    std::fs::create_dir_all(md.join("new")).unwrap();
    let unknown = "550 5.1.1 no such user";
    let full = "552 5.2.2 mailbox full, over quota";
    let blocked = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org";
    for (i, (rcpt, said, day)) in [
        ("gone@example.org", unknown, 2),
        ("full@example.org", full, 3),
        ("full@example.org", full, 12),
        ("brief@example.org", full, 3),
        ("brief@example.org", full, 5),
        ("ours@example.org", blocked, 4),
        ("back@example.org", unknown, 6),
        ("between@example.org", full, 3),
        ("between@example.org", full, 20),
    ]
    .iter()
    .enumerate()
    {
        write(&md.join(format!("cur/17000000{i:02}.M{i}.host:2,S")), &bounce_on(rcpt, said, *day));
    }
    // The owner wrote to back@ again after its bounce.
    write(
        &md.join(".Sent/cur/1700000099.M99.host:2,S"),
        "From: owner@example.net\nTo: back@example.org\nSubject: again\nDate: Mon, 20 Nov 2026 10:00:00 +0100\nMessage-ID: <s1@example.net>\n\nhi\n",
    );
    // Mail to between@ got through between its two failures (no bounce answered it).
    write(
        &md.join(".Sent/cur/1700000098.M98.host:2,S"),
        "From: owner@example.net\nTo: between@example.org\nSubject: hello\nDate: Fri, 06 Nov 2026 10:00:00 +0100\nMessage-ID: <s2@example.net>\n\nhi\n",
    );
    let run = |args: &[&str]| {
        let out = bin().args(args).arg(&md).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run(&["suppress"]),
        "full@example.org\ngone@example.org\n",
        "not brief (2 days), ours (the sender's block), back (written to again), between (mail got through)"
    );
    assert_eq!(run(&["suppress", "--soft-days", "14"]), "gone@example.org\n");
    assert_eq!(run(&["suppress", "--since", "2026-11-03"]), "full@example.org\n");
    let csv = run(&["suppress", "--format", "csv"]);
    assert!(csv.starts_with("email,reason,last_bounce,bounces\n"), "{csv}");
    assert!(csv.contains("full@example.org,mailboxfull,2026-11-12T"), "{csv}");
    // The history: one row per address, with counts, dates and what happened since.
    let tsv = run(&["report", "--by", "recipient", "--format", "tsv"]);
    let mut lines = tsv.lines();
    assert_eq!(lines.next(), Some("recipient\tbounces\thard\tfirst\tlast\treason\tstatus\tstate"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    let row = |a: &str| rows.iter().find(|r| r[0] == a).unwrap_or_else(|| panic!("{a} in {tsv}")).clone();
    assert_eq!(row("full@example.org")[1..3], ["2", "0"]);
    assert!(
        row("full@example.org")[3].starts_with("2026-11-03") && row("full@example.org")[4].starts_with("2026-11-12")
    );
    assert_eq!(row("gone@example.org")[5..8], ["userunknown", "5.1.1", "bouncing"]);
    assert_eq!(row("back@example.org")[7], "sent-again");
    assert_eq!(row("between@example.org")[1..3], ["2", "0"]);
    assert_eq!(rows.len(), 6);
    for format in ["csv", "json", "md", "html", "table"] {
        assert!(run(&["report", "--by", "recipient", "--format", format]).contains("gone@example.org"), "{format}");
    }
}

#[test]
fn unsure_lists_exactly_the_rows_a_code_or_the_default_decided() {
    let run = |extra: &[&str]| {
        let out = bin().args(["report", "--demo", "--format", "tsv"]).args(extra).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let decided = |tsv: &str| -> Vec<String> {
        let mut lines = tsv.lines();
        let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
        let at = head.iter().position(|c| *c == "decided_by").unwrap();
        lines.map(|l| l.split('\t').nth(at).unwrap().to_string()).collect()
    };
    let all = decided(&run(&[]));
    let unsure = decided(&run(&["--unsure"]));
    let want: Vec<String> =
        all.iter().filter(|d| ["status", "reply_code", "default"].contains(&d.as_str())).cloned().collect();
    assert!(!want.is_empty() && want.len() < all.len(), "the demo has both kinds: {all:?}");
    assert_eq!(unsure, want);
}

#[test]
fn explain_redact_prints_a_copy_without_names() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("b.eml");
    write(&eml, &qmail_bounce("klant@winkel.nl", "550 5.1.1 <klant@winkel.nl>: user unknown"));
    let out = bin().args(["explain", "--redact"]).arg(&eml).output().unwrap();
    assert!(out.status.success());
    let copy = String::from_utf8(out.stdout).unwrap();
    for gone in ["winkel.nl", "klant@", "example.net"] {
        assert!(!copy.contains(gone), "{gone} left in:\n{copy}");
    }
    assert!(copy.contains("550 5.1.1") && copy.contains(".example"), "{copy}");
    // The copy is still read as the same kind of bounce.
    let copy_file = dir.path().join("copy.eml");
    std::fs::write(&copy_file, &copy).unwrap();
    let report = bin().args(["report", "--format", "tsv"]).arg(&copy_file).output().unwrap();
    assert!(String::from_utf8(report.stdout).unwrap().contains("\tuserunknown\t"));
}

/// With nothing known of the owner, TSV, CSV and JSON are written while the mailbox is read: the
/// TSV rows are the JSON rows, in the same order (`report::stream`'s unit test compares each
/// format with the report written after the scan, byte for byte).
#[test]
fn rows_written_while_reading_are_the_rows_of_the_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    std::fs::create_dir_all(md.join("new")).unwrap();
    let said = ["550 5.1.1 no such user", "552 5.2.2 mailbox full, over quota", "421 4.7.0 try again later"];
    for i in 0..30 {
        let text = bounce_on(&format!("user{i}@example.org"), said[i % 3], 1 + (i % 28) as u32);
        write(&md.join(format!("cur/17000000{i:02}.M{i}.host:2,S")), &text);
    }
    write(&md.join("cur/1700000099.M99.host:2,S"), "From: a@example.org\nTo: b@example.org\nSubject: hi\n\nhello\n");
    let run = |args: &[&str]| {
        let out = bin().args(args).arg(&md).env("BOUNCESCOPE_CONFIG", "").output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let tsv = run(&["report", "--format", "tsv"]);
    let json: serde_json::Value = serde_json::from_str(&run(&["report", "--format", "json"])).unwrap();
    let from_tsv: Vec<(String, String, String)> = tsv
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), c[2].to_string(), c[5].to_string())
        })
        .collect();
    let from_json: Vec<(String, String, String)> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().into(),
                r["recipient"].as_str().unwrap().into(),
                r["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(from_tsv.len(), 30);
    assert_eq!(from_tsv, from_json);
    let csv = run(&["report", "--format", "csv", "--hard"]);
    assert_eq!(csv.lines().count(), 1 + 10, "a header and the ten hard bounces:\n{csv}");
    // An empty folder is still an error naming it, with nothing written.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(empty.join("cur")).unwrap();
    let out = bin().args(["report", "--format", "tsv"]).arg(&empty).env("BOUNCESCOPE_CONFIG", "").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{:?}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no mail found"));
    // Nor is a file made for it.
    let target = dir.path().join("r.tsv");
    let out = bin().args(["report", "-o"]).arg(&target).arg(&empty).env("BOUNCESCOPE_CONFIG", "").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists(), "no report file for a mailbox without mail");
    // A reader that stops early (`| head -1`) is no error.
    let mut child = bin()
        .args(["report", "--format", "tsv"])
        .arg(&md)
        .env("BOUNCESCOPE_CONFIG", "")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}
