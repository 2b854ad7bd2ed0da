//! Detection: which messages are bounces. Terse bounces (a few lines from a daemon, no DSN, no
//! original), reports wrapped in a container, delay warnings and challenge-response requests, all
//! written here; and every example of `tests/data/detect-phrases.tsv` recognised by its kind's
//! patterns in `rules/detect.toml`.

use bouncescope::bounce::Bounce;
use bouncescope::classify::Rules;
use bouncescope::detect::DETECT;
use bouncescope::mailbox::RawMessage;
use bouncescope::pipeline::analyze_message;

fn analyse(mail: &str) -> Option<Bounce> {
    let raw = RawMessage {
        source: "t".into(),
        folder: String::new(),
        data: mail.as_bytes().to_vec(),
        truncated: false,
        offset: 0,
    };
    analyze_message(&Rules::builtin(), &raw).unwrap()
}

fn rows(mail: &str) -> Vec<(String, String)> {
    analyse(mail)
        .map(|b| b.recipients.iter().map(|r| (r.address.to_string(), r.reason.to_string())).collect())
        .unwrap_or_default()
}

/// The header lines of a report from `from` with `subject`, to the owner.
fn head(from: &str, subject: &str) -> String {
    format!("From: {from}\nTo: owner@example.net\nSubject: {subject}\nDate: Mon, 24 Nov 2025 10:00:05 +0000\n")
}

fn terse(body: &str) -> String {
    format!(
        "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: owner@example.net\nSubject: Returned mail\nDate: Mon, 24 Nov 2025 10:00:05 +0000\n\n{body}\n"
    )
}

#[test]
fn terse_bounces_name_their_recipient_mid_sentence() {
    assert_eq!(
        rows(&terse("Your message to <ann@example.org> could not be delivered.\n550 Message size exceeds fixed limit")),
        [("ann@example.org".into(), "mesgtoobig".into())]
    );
    assert_eq!(
        rows(&terse(
            "The following recipients returned permanent errors: bob@example.org.\nReason: 550 mailbox is full"
        )),
        [("bob@example.org".into(), "mailboxfull".into())]
    );
    let got = rows(&terse("Delivery to cy@example.org and dee@example.com failed: 550 No such user"));
    let addrs: Vec<&str> = got.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(addrs, ["cy@example.org", "dee@example.com"]);
}

#[test]
fn a_terse_bounce_never_takes_a_contact_address_or_the_owner() {
    let got = rows(&terse(
        "Your message to <eve@example.org> could not be delivered: mailbox unavailable.\nFor help, write to postmaster@mx.example.net or owner@example.net.",
    ));
    assert_eq!(got.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(), ["eve@example.org"]);
}

#[test]
fn a_mailbox_full_notice_without_codes_is_a_bounce() {
    let got = rows(&terse("Could not be delivered to: <fay@example.jp>\nAs their mailbox is full."));
    assert_eq!(got, [("fay@example.jp".into(), "mailboxfull".into())]);
}

#[test]
fn a_report_forwarded_as_an_attachment_is_read_inside() {
    let inner = "From: MAILER-DAEMON@mx.example.net\nTo: owner@example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n--r\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.net.\n\n<gus@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <gus@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)\n--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; gus@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <gus@example.org>: Recipient address rejected: User unknown in local recipient table\n--r--\n";
    let outer = format!(
        "From: Helpdesk <helpdesk@example.net>\nTo: owner@example.net\nSubject: Fwd: Undelivered Mail Returned to Sender\nContent-Type: multipart/mixed; boundary=\"w\"\n\n--w\nContent-Type: text/plain\n\nSee the attached bounce.\n--w\nContent-Type: message/rfc822\n\n{inner}\n--w--\n"
    );
    assert_eq!(rows(&outer), [("gus@example.org".into(), "userunknown".into())]);
}

#[test]
fn a_delay_warning_is_a_soft_bounce_row_marked_delayed() {
    let mail = "From: MAILER-DAEMON@mx.example.net\nTo: owner@example.net\nSubject: Delayed Mail (still being retried)\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"d\"\n\n--d\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.net.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\n<hal@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed out\n--d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; hal@example.org\nAction: delayed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection timed out\nWill-Retry-Until: Mon, 1 Dec 2025 10:00:00 +0000\n--d--\n";
    let b = analyse(mail).expect("a bounce row");
    let r = &b.recipients[0];
    assert_eq!((r.address.as_str(), r.action.as_str(), r.hard), ("hal@example.org", "delayed", false));
}

#[test]
fn challenge_response_requests_are_not_bounces() {
    for (from, subject, body) in [
        (
            "Spam Arrest <noreply@spamarrest.com>",
            "Re: Invoice [verification required]",
            "I am protected by Spam Arrest. Please verify that you are a human by clicking the link below; your message will be delivered once you confirm.",
        ),
        (
            "anna@example.org",
            "Please confirm your message",
            "To control spam, I now allow incoming messages only from senders I have approved beforehand. Please confirm that you are a real person.",
        ),
        (
            "MAILER-DAEMON@boxbe.com",
            "Request to be added to guest list",
            "Your message to anna@example.org is awaiting your confirmation. Boxbe keeps a guest list: please verify.",
        ),
    ] {
        let mail = format!("Return-Path: <>\nFrom: {from}\nTo: owner@example.net\nSubject: {subject}\n\n{body}\n");
        assert!(analyse(&mail).is_none(), "{subject}: given a bounce row");
    }
}

#[test]
fn a_bounce_of_ones_own_confirmation_mail_stays_a_bounce() {
    let mail = terse(
        "Your message to <ivy@example.org> could not be delivered: 550 5.1.1 user unknown.\nSubject of your message: Please verify your email address",
    );
    let mail = mail.replace("Subject: Returned mail", "Subject: Undeliverable: Please verify your email address");
    assert_eq!(rows(&mail).len(), 1);
}

#[test]
fn every_detection_example_is_recognised_by_its_kind() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/detect-phrases.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let d = &*DETECT;
    let mut bad = Vec::new();
    let mut n = 0;
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (kind, lang, example) = (cells[0], cells[1], cells[2]);
        n += 1;
        let ok = match kind {
            // The header first look lets it through too, raw or encoded.
            "subject" => {
                d.subject.is_match(example)
                    && bouncescope::prefilter::candidate(
                        format!("From: someone@example.org\nSubject: {example}\n\n").as_bytes(),
                    )
            }
            "intro" => d.intro.is_match(example),
            "delay" => d.delay_subject.is_match(example) || d.delay_text.is_match(example),
            "challenge" => {
                (d.challenge_subject.is_match(example) || d.challenge_text.is_match(example))
                    && !d.subject_start.is_match(example)
            }
            "vacation" => d.vacation_subject.is_match(example),
            other => panic!("unknown kind {other}"),
        };
        if !ok {
            bad.push(format!("{kind} ({lang}): {example}"));
        }
    }
    assert!(n >= 150, "only {n} examples");
    assert!(bad.is_empty(), "not recognised:\n{}", bad.join("\n"));
}

/// The styles of Lotus Notes/Domino, IMail, Exchange 2003 and an X.400 gateway, each written here
/// after the shape those servers use.
#[test]
fn notes_domino_imail_exchange2003_and_x400_reports() {
    let domino = format!(
        "{}MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nYour message\n\n  Subject: Invoice November\n\nwas not delivered to:\n\n  sales@example.com\n\nbecause:\n\n  User sales (sales@example.com) not listed in Domino Directory\n",
        head(
            "Mail Router <postmaster@notes.example.com>",
            "DELIVERY FAILURE: User sales (sales@example.com) not listed in Domino Directory"
        )
    );
    assert_eq!(rows(&domino), [("sales@example.com".into(), "userunknown".into())]);
    let notes = format!(
        "{}Return-Path: <>\n\n------- Failure Reasons  --------\n\nUser not listed in public Name & Address Book\njane@example.org\n\n------- Returned Message --------\nSubject: Invoice November\n",
        head("Postmaster <postmaster@example.org>", "Undeliverable message")
    );
    assert_eq!(rows(&notes), [("jane@example.org".into(), "userunknown".into())]);
    let imail = format!(
        "{}\nUnknown user: nobody@example.com\n\nOriginal message follows.\n\nReceived: from owner.example.net\nSubject: Invoice November\n",
        head("postmaster@mail.example.com", "Undeliverable Mail")
    );
    assert_eq!(rows(&imail), [("nobody@example.com".into(), "userunknown".into())]);
    let ex2003 = format!(
        "{}\nYour message\n\n  To:      bob@example.com\n  Subject: Invoice November\n\ndid not reach the following recipient(s):\n\nbob@example.com on Mon, 24 Nov 2025 10:00:05 +0000\n            The e-mail account does not exist at the organization this message was sent to.\n            <mx.example.com #5.1.1>\n",
        head("System Administrator <postmaster@example.com>", "Undeliverable: Invoice November")
    );
    assert_eq!(rows(&ex2003), [("bob@example.com".into(), "userunknown".into())]);
    let x400 = format!(
        "{}MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nDelivery to the following recipient failed permanently.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; gw.example.net\n\nFinal-Recipient: x400; /S=Smith/G=John/O=Corp/PRMD=corp/ADMD=x/C=de/\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: x400; 1 (unable to transfer) 1 (unrecognised O/R name)\n\n--b\nContent-Type: text/rfc822-headers\n\nFrom: owner@example.net\nTo: John Smith <john.smith@corp.example>\nSubject: Invoice\nMessage-ID: <a@example.net>\n\n--b--\n",
        head("MAILER-DAEMON@gw.example.net", "Delivery Status Notification (Failure)")
    );
    assert_eq!(rows(&x400), [("john.smith@corp.example".into(), "userunknown".into())]);
}

/// A delay warning says so in every report a person reads, never just "soft".
#[test]
fn reports_call_a_delay_warning_delayed_still_retrying() {
    let dir = tempfile::tempdir().unwrap();
    let mail = "From: MAILER-DAEMON@mx.example.net\nTo: owner@example.net\nSubject: Delayed Mail (still being retried)\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"d\"\n\n--d\nContent-Type: text/plain\n\nThis is a warning only.\n\n<hal@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed out\n--d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; hal@example.org\nAction: delayed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection timed out\n--d--\n";
    let file = dir.path().join("delay.eml");
    std::fs::write(&file, mail).unwrap();
    for format in ["md", "html", "table"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_bouncescope"))
            .env("BOUNCESCOPE_CONFIG", "")
            .args(["report", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let want = if format == "table" { "delayed" } else { "delayed, still retrying" };
        assert!(out.status.success() && text.contains(want), "{format}: {text}");
    }
}

/// Mail from daemons and lists that is no bounce gets no bounce row: a moderation notice, a DMARC
/// report, a quarantine summary, a password reset with a null sender, a newsletter with bounce
/// words, a read receipt; a plain-text success report is a delivery report.
#[test]
fn notices_that_are_not_bounces_get_no_bounce_row() {
    let cases = [
        format!(
            "{}\nYour mail to 'Sales' with the subject\n\n    Invoice November\n\nIs being held until the list moderator can review it for approval.\n\nThe reason it is being held:\n\n    Post by non-member to a members-only list\n",
            head("sales-bounces@lists.example.org", "Your message to Sales awaits moderator approval")
        ),
        format!(
            "{}\nThis is an aggregate report from google.com.\nPlease contact postmaster@google.com with any questions.\n",
            head(
                "noreply-dmarc-support@google.com",
                "Report domain: example.net Submitter: google.com Report-ID: 1234"
            )
        ),
        format!(
            "{}\nYou have 3 messages in your spam quarantine.\nFrom: promo@shop.example  Subject: Sale!\n",
            head("Quarantine <postmaster@example.net>", "Spam quarantine summary: 3 messages")
        ),
        format!(
            "Return-Path: <>\n{}\nSomeone asked to reset the password of owner@example.net. If that was not you,\nignore this message; write to help@accounts.example.com with questions.\n",
            head("no-reply@accounts.example.com", "Password reset")
        ),
        format!(
            "{}\nDear customer, your payment could not be delivered to our bank. Please update\nyour details at billing@example.com or call 555 0100.\n",
            head("\"Bounce Digest\" <news@example.com>", "Your order was rejected? Action required: update payment")
        ),
        format!(
            "{}Content-Type: multipart/report; report-type=disposition-notification; boundary=\"r\"\n\n--r\nContent-Type: text/plain\n\nYour message to ann@example.org was read on Monday.\n--r--\n",
            head("ann@example.org", "Read: Invoice November")
        ),
    ];
    for mail in &cases {
        assert!(
            analyse(mail).is_none_or(|b| b.kind != bouncescope::bounce::Kind::Bounce),
            "given a bounce row:\n{mail}"
        );
    }
    let success = format!(
        "{}\nThis is the mail system at host mx.example.net.\n\nYour message was successfully delivered to the destination(s)\nlisted below.\n\n<ann@example.org>: delivery via mx.example.org[192.0.2.1]:25: 250 2.0.0 Ok: queued as 4ABC\n",
        head("Mail Delivery System <MAILER-DAEMON@mx.example.net>", "Successful Mail Delivery Report")
    );
    assert_eq!(analyse(&success).map(|b| b.kind), Some(bouncescope::bounce::Kind::Delivered));
}

/// Failed-recipient phrasings of older MTAs (MDaemon, Yahoo, Exchange X.400 blocks, IMail/SMTP32,
/// a qmail variant), as Mailman's bounce detectors know them: each example, written here in that
/// style (`tests/data/detect-recipients.tsv`), sent as a terse report, gives its address a row.
#[test]
fn every_recipient_phrasing_example_names_its_address() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/detect-recipients.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut bad = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (body, want) = (cells[0].replace("\\n", "\n"), cells[1]);
        let got = rows(&terse(&body));
        if !got.iter().any(|(a, _)| a == want) {
            bad.push(format!("{want}: got {got:?} from {body:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
