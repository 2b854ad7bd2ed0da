//! Generalisation: the engine is tried on what servers say, not on files it has seen. Every
//! phrase of the catalogue (`tests/data/phrases.tsv`: phrase, reason, where the knowledge comes
//! from) is wrapped into seven real bounce formats written here — an RFC 3464 DSN, Postfix, Exim,
//! qmail, Sendmail, an Exchange NDR and Gmail — and each must classify as the catalogue says.
//! Provider texts (`tests/data/provider-phrases.tsv`) are wrapped the same way, addressed to the
//! provider's domain.

use bouncescope::classify::Rules;
use bouncescope::mailbox::RawMessage;
use bouncescope::pipeline::analyze_message;
use std::collections::BTreeMap;

/// One catalogue line.
struct Phrase {
    reason: String,
    text: String,
    source: String,
    /// Recipient domain (provider catalogue) and status (when the provider states one).
    domain: String,
    /// A generic phrase (no provider's own text): its stage matters.
    generic: bool,
    status: String,
}

fn read_tsv(name: &str, columns: &[&str]) -> Vec<BTreeMap<String, String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let head: Vec<&str> = lines.next().expect("header line").split('\t').collect();
    for c in columns {
        assert!(head.contains(c), "{name}: no column {c} in {head:?}");
    }
    lines
        .map(|l| head.iter().zip(l.split('\t')).map(|(k, v)| (k.to_string(), v.trim().to_string())).collect())
        .collect()
}

fn catalogue() -> Vec<Phrase> {
    phrase_file("phrases.tsv")
}

fn phrase_file(name: &str) -> Vec<Phrase> {
    read_tsv(name, &["reason", "phrase", "source"])
        .into_iter()
        .map(|r| Phrase {
            reason: r["reason"].clone(),
            text: r["phrase"].clone(),
            source: r["source"].clone(),
            domain: "example.org".into(),
            status: String::new(),
            generic: true,
        })
        .collect()
}

fn providers() -> Vec<Phrase> {
    read_tsv("provider-phrases.tsv", &["reason", "domain", "status", "diagnostic", "source"])
        .into_iter()
        .map(|r| Phrase {
            reason: r["reason"].clone(),
            text: r["diagnostic"].clone(),
            source: r["source"].clone(),
            domain: r["domain"].clone(),
            status: r["status"].clone(),
            generic: false,
        })
        .collect()
}

/// The SMTP stage a phrase of this reason answers in real transcripts.
fn command(reason: &str) -> &'static str {
    match reason {
        "rejected" => "MAIL FROM",
        "spamdetected" | "virusdetected" | "contenterror" | "mesgtoobig" | "policyviolation" | "notcompliantrfc"
        | "filtered" | "exceedlimit" | "authfailure" => "end of DATA",
        "blocked" | "requireptr" | "badreputation" | "toomanyconn" | "speeding" | "failedstarttls" => "MAIL FROM",
        _ => "RCPT TO",
    }
}

/// The SMTP reply code and status written around the phrase: the provider's own status when it
/// states one (its reply code following its class), else a generic one that names no cause.
fn codes(p: &Phrase) -> (String, String) {
    if !p.status.is_empty() {
        let reply = if p.status.starts_with('4') { "450" } else { "550" };
        return (reply.into(), p.status.clone());
    }
    ("550".into(), "5.0.0".into())
}

const FORMATS: [&str; 7] = ["rfc3464", "postfix", "exim", "qmail", "sendmail", "exchange", "gmail"];

const ORIGINAL: &str = "Message-ID: <20251124100000.1234@owner.example.net>\nFrom: Owner <owner@example.net>\nTo: {rcpt}\nSubject: Invoice November\nDate: Mon, 24 Nov 2025 10:00:00 +0000\n\nHello,\n";

fn dsn_part(rcpt: &str, status: &str, reply: &str, text: &str, remote: &str) -> String {
    format!(
        "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\nArrival-Date: Mon, 24 Nov 2025 10:00:01 +0000\n\nFinal-Recipient: rfc822; {rcpt}\nOriginal-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: {status}\nRemote-MTA: dns; {remote}\nDiagnostic-Code: smtp; {reply} {status} {text}\n"
    )
}

fn wrap(format: &str, p: &Phrase) -> String {
    let rcpt = format!("someone@{}", p.domain);
    let remote = format!("mx1.{}", p.domain);
    let (reply, status) = codes(p);
    let text = &p.text;
    let cmd = command(&p.reason);
    let original = ORIGINAL.replace("{rcpt}", &rcpt);
    let head = |from: &str, subject: &str, ctype: &str| {
        format!(
            "Return-Path: <>\nFrom: {from}\nTo: owner@example.net\nSubject: {subject}\nDate: Mon, 24 Nov 2025 10:00:05 +0000\nMessage-ID: <bounce.1@mx.example.net>\nMIME-Version: 1.0\n{ctype}\n\n"
        )
    };
    let report = "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"";
    let dsn = dsn_part(&rcpt, &status, &reply, text, &remote);
    match format {
        "rfc3464" => format!(
            "{}--b\nContent-Type: text/plain; charset=utf-8\n\nThis is an automatically generated Delivery Status Notification.\n\nDelivery to the following recipients failed permanently:\n\n  {rcpt}\n\n--b\n{}\n--b\nContent-Type: text/rfc822-headers\n\n{original}--b--\n",
            head(
                "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
                "Delivery Status Notification (Failure)",
                report
            ),
            dsn,
        ),
        "postfix" => format!(
            "{}--b\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\n\nThis is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n<{rcpt}>: host {remote}[192.0.2.25] said: {reply} {status} {text} (in reply to {cmd} command)\n\n--b\nContent-Description: Delivery report\n{}\n--b\nContent-Description: Undelivered Message\nContent-Type: message/rfc822\n\n{original}\n--b--\n",
            head("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", report),
            dsn,
        ),
        "exim" => format!(
            "{}This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  {rcpt}\n    host {remote} [192.0.2.25]\n    SMTP error from remote mail server after {}:\n    {reply} {text}\n\n------ This is a copy of the message, including all the headers. ------\n\n{original}",
            head(
                "Mail Delivery System <Mailer-Daemon@mx.example.net>",
                "Mail delivery failed: returning message to sender",
                &format!("X-Failed-Recipients: {rcpt}\nContent-Type: text/plain; charset=utf-8")
            ),
            if cmd == "end of DATA" { "end of data".to_string() } else { format!("{cmd}:<{rcpt}>") }
        ),
        "qmail" => format!(
            "{}Hi. This is the qmail-send program at mx.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<{rcpt}>:\n192.0.2.25 {}\nRemote host said: {reply} {text}\nGiving up on 192.0.2.25.\n\n--- Below this line is a copy of the message.\n\n{original}",
            head("MAILER-DAEMON@mx.example.net", "failure notice", "Content-Type: text/plain; charset=utf-8"),
            // qmail-remote's words for the stage that failed.
            match cmd {
                "RCPT TO" => "does not like recipient.",
                "MAIL FROM" => "does not like sender.",
                _ => "failed after I sent the message.",
            }
        ),
        "sendmail" => format!(
            "{}--b\nContent-Type: text/plain; charset=utf-8\n\nThe original message was received at Mon, 24 Nov 2025 10:00:00 GMT\nfrom owner.example.net [198.51.100.7]\n\n   ----- The following addresses had permanent fatal errors -----\n<{rcpt}>\n    (reason: {reply} {status} {text})\n\n   ----- Transcript of session follows -----\n... while talking to {remote}.:\n>>> {} <{rcpt}>\n<<< {reply} {status} {text}\n\n--b\n{}\n--b\nContent-Type: message/rfc822\n\n{original}\n--b--\n",
            head(
                "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
                "Returned mail: see transcript for details",
                report
            ),
            match cmd {
                "end of DATA" => "DATA".to_string(),
                c => format!("{}:", c.replace(" FROM", " From").replace(" TO", " To")),
            },
            dsn,
        ),
        "exchange" => format!(
            "{}--b\nContent-Type: text/plain; charset=utf-8\n\nDelivery has failed to these recipients or groups:\n\n{rcpt}\nThe mail system could not deliver the message to this recipient.\n\nDiagnostic information for administrators:\n\nGenerating server: ex01.example.net\n\n{rcpt}\n{remote} #{reply} {status} {text} ##\n\nOriginal message headers:\n\n{original}\n--b\n{}\n--b--\n",
            head("postmaster@example.net", "Undeliverable: Invoice November", report),
            dsn,
        ),
        "gmail" => format!(
            "{}--b\nContent-Type: text/plain; charset=UTF-8\n\n** Message not delivered **\n\nThere was a problem delivering your message to {rcpt}. See the technical details below.\n\nThe response from the remote server was:\n{reply} {status} {text}\n\n--b\n{}\n--b\nContent-Type: message/rfc822\n\n{original}\n--b--\n",
            head(
                "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
                "Delivery Status Notification (Failure)",
                report
            ),
            dsn,
        ),
        _ => unreachable!(),
    }
}

/// Formats whose report names no SMTP stage. A recipient phrase there ("user unknown") may
/// answer RCPT or come after DATA: by the documented decision (rules/README.md, as sisimai
/// decides) it reads as `filtered` unless a status code says `X.1.1`.
const NO_STAGE: [&str; 3] = ["rfc3464", "exchange", "gmail"];

fn expected<'a>(rules: &Rules, format: &str, p: &'a Phrase) -> &'a str {
    let names_stage = !bouncescope::fact::command_of(&p.text).is_empty() || stage_free_userunknown(rules, &p.text);
    if p.generic
        && p.reason == "userunknown"
        && NO_STAGE.contains(&format)
        && !p.status.ends_with(".1.1")
        && !names_stage
    {
        "filtered"
    } else {
        &p.reason
    }
}

/// Does a `userunknown` rule that holds at any stage (no `commands` condition: a server's own
/// wording such as "RESOLVER.ADR.RecipNotFound") match the phrase?
fn stage_free_userunknown(rules: &Rules, text: &str) -> bool {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    rules.phrases.iter().any(|r| {
        r.reason == "userunknown"
            && r.commands.is_empty()
            && r.hosts.is_empty()
            && r.statuses.is_empty()
            && r.regex().is_match(&folded)
    })
}

/// (format, phrase, what came out) for every miss.
fn misses(rules: &Rules, phrases: &[Phrase]) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut bad = Vec::new();
    for p in phrases {
        for format in FORMATS {
            total += 1;
            let raw = RawMessage {
                source: format.into(),
                folder: String::new(),
                data: wrap(format, p).into_bytes(),
                truncated: false,
                offset: 0,
            };
            let got = match analyze_message(rules, &raw) {
                Ok(Some(b)) if b.recipients.len() == 1 => b.recipients[0].reason.to_string(),
                Ok(Some(b)) => format!("{} rows", b.recipients.len()),
                Ok(None) => "no bounce".into(),
                Err(e) => e,
            };
            let want = expected(rules, format, p);
            if got != want {
                bad.push(format!("{format:9} want {want:15} got {got:15} {:?} ({})", p.text, p.source));
            }
        }
    }
    (total, bad)
}

#[test]
fn every_catalogue_phrase_classifies_right_in_every_format() {
    let rules = Rules::builtin();
    let phrases = catalogue();
    assert!(phrases.len() >= 300, "the catalogue holds {} phrases", phrases.len());
    let (total, bad) = misses(&rules, &phrases);
    let mut per_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &phrases {
        *per_reason.entry(&p.reason).or_default() += 1;
    }
    eprintln!("catalogue: {} phrases × {} formats = {total}; per reason: {per_reason:?}", phrases.len(), FORMATS.len());
    assert!(bad.is_empty(), "{} of {total} wrong:\n{}", bad.len(), bad.join("\n"));
}

/// The phrasings quoted in the help articles the product grew from (Dutch, English, German).
#[test]
fn every_seed_phrasing_classifies_right_in_every_format() {
    let rules = Rules::builtin();
    let phrases = phrase_file("seed-phrases.tsv");
    assert!(phrases.len() >= 90, "{} seed phrasings", phrases.len());
    let (total, bad) = misses(&rules, &phrases);
    assert!(bad.is_empty(), "{} of {total} wrong:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn every_provider_text_classifies_right_in_every_format() {
    let rules = Rules::builtin();
    let phrases = providers();
    assert!(phrases.len() >= 30, "the provider catalogue holds {} texts", phrases.len());
    let (total, bad) = misses(&rules, &phrases);
    assert!(bad.is_empty(), "{} of {total} wrong:\n{}", bad.len(), bad.join("\n"));
}

/// Each format is a real bounce by itself: with a phrase that names no cause, each still gives
/// exactly one row for the recipient (and the returned original's sender and Message-ID).
#[test]
fn every_format_is_found_with_its_recipient_and_original() {
    let rules = Rules::builtin();
    let p = Phrase {
        reason: String::new(),
        text: "Requested action not taken".into(),
        source: String::new(),
        domain: "example.org".into(),
        status: String::new(),
        generic: true,
    };
    for format in FORMATS {
        let raw = RawMessage {
            source: format.into(),
            folder: String::new(),
            data: wrap(format, &p).into_bytes(),
            truncated: false,
            offset: 0,
        };
        let b = analyze_message(&rules, &raw).unwrap().unwrap_or_else(|| panic!("{format}: not found"));
        let got: Vec<&str> = b.recipients.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(got, ["someone@example.org"], "{format}");
        let o = b.original.as_ref().unwrap_or_else(|| panic!("{format}: no original"));
        assert_eq!(o.message_id, "<20251124100000.1234@owner.example.net>", "{format}");
    }
}
