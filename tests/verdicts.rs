//! Verdicts on mailboxes of our own making: a Maildir with a `.Sent` folder (and the same as
//! mbox files), holding bounces of real mail, of forged mail, of mail sent through a stolen
//! account, bounces without the original, and an auto-reply.

use std::path::Path;
use std::process::Command;

const OWNER: &str = "owner@example.net";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A message the owner sent through their provider (login from their usual network).
fn sent_mail(n: usize, to: &str, day: u32) -> String {
    format!(
        "Return-Path: <{OWNER}>\nReceived: from [192.168.1.5] (dsl-7.example.net [198.51.100.7])\n\t(Authenticated sender: {OWNER})\n\tby smtp.example.net (Postfix) with ESMTPSA id S{n}\n\tfor <{to}>; Mon, {day:02} Nov 2026 10:00:00 +0100\nMessage-ID: <sent-{n}@example.net>\nDate: Mon, {day:02} Nov 2026 10:00:00 +0100\nFrom: Owner <{OWNER}>\nTo: <{to}>\nSubject: Note {n}\n\nHello\n"
    )
}

/// An original that never passed the owner's servers: a botnet host forging the owner's address.
fn forged_original(n: usize, to: &str, day: u32) -> String {
    format!(
        "Received: from pc-{n}.dyn.example.br (pc-{n}.dyn.example.br [203.0.113.{n}])\n\tby mx.remote{n}.example with SMTP id F{n}\n\tfor <{to}>; Mon, {day:02} Nov 2026 03:00:00 +0100\nMessage-ID: <{n}.spam@bulk.example>\nDate: Mon, {day:02} Nov 2026 03:00:00 +0100\nFrom: Owner <{OWNER}>\nTo: <{to}>\nSubject: Cheap watches\n"
    )
}

/// An original sent through the owner's account with their login, from a foreign network.
fn stolen_original(n: usize, to: &str, day: u32) -> String {
    format!(
        "Received: from [10.0.0.2] (vps.example.ru [192.0.2.200])\n\t(Authenticated sender: {OWNER})\n\tby smtp.example.net (Postfix) with ESMTPSA id A{n}\n\tfor <{to}>; Mon, {day:02} Nov 2026 04:00:00 +0100\nMessage-ID: <{n}.abuse@example.net>\nDate: Mon, {day:02} Nov 2026 04:00:00 +0100\nFrom: Owner <{OWNER}>\nTo: <{to}>\nSubject: Invoice\n"
    )
}

/// A Postfix-style DSN to `bounce_to` for `rcpt`, carrying `original` headers (or none).
fn dsn(bounce_to: &str, rcpt: &str, day: u32, original: Option<&str>) -> String {
    let orig = original.map(|o| format!("--B\nContent-Type: text/rfc822-headers\n\n{o}\n")).unwrap_or_default();
    format!(
        "Return-Path: <>\nDate: Mon, {day:02} Nov 2026 12:00:00 +0100\nFrom: MAILER-DAEMON@mx.far.example (Mail Delivery System)\nTo: {bounce_to}\nDelivered-To: {bounce_to}\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\n<{rcpt}>: host mx.far.example said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.far.example\n\nFinal-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n{orig}--B--\n"
    )
}

/// (bounce file name, bounce text, expected verdict) for one scenario.
fn scenario() -> (Vec<String>, Vec<(String, String, &'static str)>) {
    let mut sent: Vec<String> =
        (1..=24).map(|n| sent_mail(n, &format!("friend{n}@partner{n}.example"), 1 + (n as u32 % 9))).collect();
    sent.push(sent_mail(40, "alice@gone.example", 20));
    let mut bounces = vec![
        (
            "01-real".to_string(),
            dsn(OWNER, "alice@gone.example", 20, Some(&sent_mail(40, "alice@gone.example", 20))),
            "real",
        ),
        (
            "02-stolen".to_string(),
            dsn(OWNER, "victim@bank.example", 21, Some(&stolen_original(2, "victim@bank.example", 21))),
            "abuse",
        ),
        // Without the original, alone in its week: nothing tells.
        ("03-no-original".to_string(), dsn(OWNER, "bob@nowhere.example", 27, None), "undetermined"),
        // Without the original, to someone never written to, amid the spam run below.
        ("04-terse-in-run".to_string(), dsn(OWNER, "carol@elsewhere.example", 22, None), "backscatter"),
    ];
    // A spam run forging the owner: bounces to random local parts (catch-all) and to the owner.
    for (i, d) in ["a.example", "b.example", "c.example", "d.example", "e.example", "f.example"].iter().enumerate() {
        let rcpt = format!("user{i}@{d}");
        let to = if i % 2 == 0 { format!("k{i}x9q@example.net") } else { OWNER.to_string() };
        bounces.push((
            format!("1{i}-forged"),
            dsn(&to, &rcpt, 22, Some(&forged_original(10 + i, &rcpt, 22))),
            "backscatter",
        ));
    }
    (sent, bounces)
}

/// The bounce the engine makes of `raw`.
fn analyse(rules: &bouncescope::classify::Rules, raw: String) -> bouncescope::bounce::Bounce {
    let msg = bouncescope::mailbox::RawMessage {
        source: "x".into(),
        folder: String::new(),
        data: raw.into_bytes(),
        truncated: false,
        offset: 0,
    };
    bouncescope::pipeline::analyze_message(rules, &msg).unwrap().expect("a bounce")
}

fn tsv_verdicts(out: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(out)
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), c[7].to_string())
        })
        .collect()
}

fn run(args: &[&str], path: &Path) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_bouncescope"))
        .env("BOUNCESCOPE_CONFIG", "")
        .arg("report")
        .args(args)
        .arg(path)
        .arg("--format")
        .arg("tsv")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    tsv_verdicts(&out.stdout)
}

#[test]
fn maildir_with_sent_folder() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    let (sent, bounces) = scenario();
    for (i, s) in sent.iter().enumerate() {
        write(&md.join(format!(".Sent/cur/17000000{i:02}.s{i}.host:2,S")), s);
    }
    for (name, text, _) in &bounces {
        write(&md.join(format!("cur/{name}:2,")), text);
    }
    write(
        &md.join("new/99-vacation"),
        "From: alice@partner1.example\nTo: owner@example.net\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nI am away.\n",
    );
    std::fs::create_dir_all(md.join("tmp")).unwrap();
    let got = run(&[], &md);
    let want: Vec<(String, String)> = bounces.iter().map(|(n, _, v)| (format!("cur/{n}:2,"), v.to_string())).collect();
    assert_eq!(got, want, "auto-replies must not be listed, and every bounce gets its verdict");
}

#[test]
fn mbox_with_sent_mbox_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let (sent, bounces) = scenario();
    let mut sent_box = String::new();
    for s in &sent {
        sent_box.push_str(&format!("From owner@example.net Mon Nov  2 10:00:00 2026\n{s}\n"));
    }
    write(&dir.path().join("Sent"), &sent_box);
    let mut inbox = String::new();
    for (_, text, _) in &bounces {
        inbox.push_str(&format!("From MAILER-DAEMON Mon Nov  2 12:00:00 2026\n{text}\n"));
    }
    write(&dir.path().join("inbox"), &inbox);
    let got: Vec<String> = run(&[], &dir.path().join("inbox")).into_iter().map(|(_, v)| v).collect();
    let want: Vec<String> = bounces.iter().map(|(_, _, v)| v.to_string()).collect();
    assert_eq!(got, want);
}

#[test]
fn without_a_sent_folder_a_login_alone_is_not_enough() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("b.eml");
    write(&f, &dsn(OWNER, "victim@bank.example", 21, Some(&stolen_original(2, "victim@bank.example", 21))));
    let got = run(&["--me", OWNER], &f);
    assert_eq!(got[0].1, "undetermined");
    // Naming a Sent folder that covers the original's day turns it into a verdict; one that
    // ends a fortnight before it cannot say what is missing.
    let write_sent = |name: &str, days: u32| {
        let sent = dir.path().join(name);
        for n in 1..=24 {
            write(&sent.join(format!("cur/{n}:2,S")), &sent_mail(n, "friend@partner.example", 1 + n as u32 % days));
        }
        std::fs::create_dir_all(sent.join("new")).unwrap();
        sent
    };
    let covering = write_sent("sent-covering", 24);
    assert_eq!(run(&["--sent", covering.to_str().unwrap()], &f)[0].1, "abuse");
    let older = write_sent("sent-older", 6);
    assert_eq!(run(&["--sent", older.to_str().unwrap()], &f)[0].1, "undetermined");
}

#[test]
fn a_sent_copy_is_never_backscatter_whatever_else_is_said() {
    use bouncescope::bounce::Verdict;
    use bouncescope::verdict::{Case, Owner, OwnerConfig, judge, sent::SentIndex};
    let rules = bouncescope::classify::Rules::builtin();
    let mut sent = SentIndex::default();
    for n in 1..=12 {
        sent.add(sent_mail(n, "friend@partner.example", 1 + n as u32 % 9).as_bytes());
    }
    // The original is in Sent, yet the bounce comes to a catch-all address and is dated oddly.
    let orig = sent_mail(3, "friend@partner.example", 4);
    let raw = dsn("zz9@example.net", "friend@partner.example", 30, Some(&orig));
    let b = analyse(&rules, raw);
    let owner = Owner::from_parts(&OwnerConfig::default(), Some(sent));
    let (v, evidence) = judge(&owner, &Case::of(&b), 0);
    assert_eq!(v, Verdict::Real, "{evidence:?}");
    assert!(evidence.iter().any(|e| e.signal == "SENT_MID"));
    assert!(evidence.iter().any(|e| e.signal == "CATCHALL"), "conflicting evidence is still shown");
}

#[test]
fn one_weak_signal_decides_nothing() {
    use bouncescope::bounce::Verdict;
    use bouncescope::verdict::{Case, Owner, OwnerConfig, judge, sent::SentIndex};
    let rules = bouncescope::classify::Rules::builtin();
    let mut sent = SentIndex::default();
    sent.add(sent_mail(1, "friend@partner.example", 2).as_bytes());
    // Only "never wrote to this recipient" (weak) and nothing else about the original.
    let orig = "Message-ID: <other@example.org>\nFrom: someone@example.org\nTo: x@far.example\n";
    let raw = dsn(OWNER, "x@far.example", 3, Some(orig));
    let b = analyse(&rules, raw);
    let owner = Owner::from_parts(&OwnerConfig::default(), Some(sent));
    let (v, evidence) = judge(&owner, &Case::of(&b), 0);
    assert_eq!(v, Verdict::Undetermined, "{evidence:?}");
    assert!(evidence.iter().any(|e| e.text(bouncescope::i18n::Lang::En).starts_with("Not enough evidence")));
}

#[test]
fn batv_tagged_bounce_counts_for_the_owner() {
    use bouncescope::verdict::{Case, Owner, OwnerConfig, judge};
    let rules = bouncescope::classify::Rules::builtin();
    let raw = dsn(
        "prvs=1234abcdef=owner@example.net",
        "x@far.example",
        3,
        Some("Message-ID: <q@example.net>\nFrom: owner@example.net\n"),
    );
    let b = analyse(&rules, raw);
    let me = OwnerConfig { addresses: vec![OWNER.into()], ..Default::default() };
    let (_, evidence) = judge(&Owner::from_parts(&me, None), &Case::of(&b), 0);
    assert!(evidence.iter().any(|e| e.signal == "BATV_TAG"), "{evidence:?}");
    assert!(!evidence.iter().any(|e| e.signal == "CATCHALL"), "a tagged address is no catch-all: {evidence:?}");
    // Knowing nothing of the owner, nothing is sought, and the note says why.
    let (v, evidence) = judge(&Owner::from_parts(&OwnerConfig::default(), None), &Case::of(&b), 0);
    assert_eq!(v, bouncescope::bounce::Verdict::Undetermined);
    assert_eq!(evidence.iter().map(|e| e.key).collect::<Vec<_>>(), vec!["missing_owner"]);
}
