//! Terminal and report injection, one test per channel: a bounce whose headers, recipient and
//! diagnostic carry OSC 52 clipboard writes, title changes, CSI sequences, C0/C1 controls, bidi
//! overrides, HTML and spreadsheet formulas. None of it may reach a terminal or a report raw.

use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::Input;
use bouncescope::tui::action::Action;
use bouncescope::tui::app::App;
use bouncescope::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::process::Command;

const OSC52: &str = "\x1b]52;c;cm0gLXJmIH4=\x07";
const TITLE: &str = "\x1b]0;owned\x07";
const CSI: &str = "\x1b[2J\x1b[31m";
const C1: &str = "\u{9b}1;31m\u{9d}0;x\u{9c}";
const BIDI: &str = "\u{202e}txt.exe\u{202c}\u{2066}";

/// A Postfix-style DSN with hostile text everywhere an attacker controls it.
fn hostile_bounce() -> String {
    format!(
        "Return-Path: <>\n\
         From: =?utf-8?B?G10wO293bmVkBw==?= Mail Delivery {TITLE}<MAILER-DAEMON@mx.example.net>\n\
         To: owner@example.net\n\
         Subject: Undelivered Mail {OSC52} =?utf-8?Q?=1B[2J?= {BIDI}\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\
         \n\
         --b\n\
         Content-Type: text/plain\n\
         \n\
         <=cmd@example.org>: host mx.example.org said: 550 5.1.1 {CSI}<script>alert(1)</script> user unknown {C1} {BIDI}\n\
         \n\
         --b\n\
         Content-Type: message/delivery-status\n\
         \n\
         Reporting-MTA: dns; mx.example.net{OSC52}\n\
         \n\
         Final-Recipient: rfc822; =cmd@example.org\n\
         Action: failed{TITLE}\n\
         Status: 5.1.1\n\
         Diagnostic-Code: smtp; 550 5.1.1 {CSI}<script>alert(1)</script> user unknown {C1} {BIDI}\n\
         \n\
         Final-Recipient: rfc822; +1@example.org\n\
         Action: failed\n\
         Status: 5.2.2\n\
         Diagnostic-Code: smtp; =HYPERLINK(\"http://evil.example\",\"mailbox full\")\n\
         \n\
         --b\n\
         Content-Type: text/rfc822-headers\n\
         \n\
         From: owner@example.net\n\
         To: =cmd@example.org\n\
         Subject: {OSC52}hi\n\
         Received: from x ([198.51.100.7]) by y{TITLE}; Mon, 2 Nov 2026 10:00:00 +0100\n\
         \n\
         --b--\n"
    )
}

fn maildir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    for sub in ["new", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    std::fs::create_dir_all(md.join("cur")).unwrap();
    std::fs::write(md.join("cur/1700000000.1.host:2,S"), hostile_bounce()).unwrap();
    (dir, md)
}

/// Could this text act on a terminal or hide its meaning (controls other than newline and tab,
/// C1 controls, bidi overrides and isolates)?
fn dangerous(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

fn report(md: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bouncescope"))
        .env("BOUNCESCOPE_CONFIG", "")
        .args(["report", "--format", format])
        .arg(md)
        .output()
        .unwrap();
    assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("example.org"), "{format}: the hostile bounce is missing:\n{text}");
    text
}

fn assert_clean(what: &str, text: &str) {
    if let Some(c) = dangerous(text) {
        panic!("{what}: {c:?} reached the output:\n{text:?}");
    }
}

#[test]
fn tsv_carries_no_escapes() {
    let (_d, md) = maildir();
    let text = report(&md, "tsv");
    assert_clean("tsv", &text);
    assert_eq!(text.lines().count(), 3, "a header and one row per recipient");
}

#[test]
fn table_carries_no_escapes() {
    let (_d, md) = maildir();
    assert_clean("table", &report(&md, "table"));
}

#[test]
fn markdown_carries_no_escapes_or_html() {
    let (_d, md) = maildir();
    let text = report(&md, "md");
    assert_clean("md", &text);
    assert!(!text.contains("<script"), "raw HTML in Markdown:\n{text}");
}

#[test]
fn html_escapes_everything() {
    let (_d, md) = maildir();
    let text = report(&md, "html");
    assert_clean("html", &text);
    assert!(!text.contains("<script>alert"), "script tag not escaped");
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the diagnostic should be shown, escaped");
}

#[test]
fn json_values_hold_no_controls() {
    let (_d, md) = maildir();
    let text = report(&md, "json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    fn walk(v: &serde_json::Value) {
        match v {
            serde_json::Value::String(s) => assert_clean("json value", s),
            serde_json::Value::Array(a) => a.iter().for_each(walk),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
                assert_clean("json key", k);
                walk(v)
            }),
            _ => {}
        }
    }
    walk(&value);
}

#[test]
fn csv_neutralises_formulas() {
    let (_d, md) = maildir();
    let text = report(&md, "csv");
    assert_clean("csv", &text);
    // Split into cells (quoted cells may hold commas and doubled quotes).
    for line in text.lines().skip(1) {
        let mut cells = Vec::new();
        let (mut cell, mut quoted, mut chars) = (String::new(), false, line.chars().peekable());
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut cell)),
                (c, _) => cell.push(c),
            }
        }
        cells.push(cell);
        for c in &cells {
            assert!(!c.starts_with(['=', '+', '-', '@']), "a formula cell survived: {c:?} in {line}");
        }
        assert!(
            cells.iter().any(|c| c.starts_with("'=") || c.starts_with("'+")),
            "the formula-like text should be kept, neutralised: {line}"
        );
    }
}

#[test]
fn explain_carries_no_escapes() {
    let (_d, md) = maildir();
    let file = md.join("cur/1700000000.1.host:2,S");
    let out = Command::new(env!("CARGO_BIN_EXE_bouncescope"))
        .env("BOUNCESCOPE_CONFIG", "")
        .arg("explain")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_clean("explain", &String::from_utf8(out.stdout).unwrap());
}

#[test]
fn the_tui_buffer_carries_no_escapes() {
    let (_d, md) = maildir();
    let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Paths(vec![md]));
    app.load_now(&Default::default());
    let mut screens = Vec::new();
    for step in [None, Some(Action::Down), Some(Action::ShowRaw)] {
        if let Some(a) = step {
            app.update(a);
        }
        app.settle();
        let mut terminal = Terminal::new(TestBackend::new(140, 40)).unwrap();
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let text: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert_clean("TUI", &text);
        screens.push(text);
    }
    assert!(screens.iter().any(|s| s.contains("cmd@example.org")), "the hostile bounce should be listed");
    assert!(screens.iter().any(|s| s.contains("user unknown")), "its diagnostic should be shown");
}
