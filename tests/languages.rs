//! Fresh bounces of our own writing in Dutch, German and English, in several MTA styles: the
//! engine must find the recipient and the evident reason without any corpus help.

use bouncescope::classify::Rules;
use bouncescope::mailbox::RawMessage;
use bouncescope::pipeline::analyze_message;

fn reasons(text: &str) -> Vec<(String, String)> {
    let raw = RawMessage {
        source: "t.eml".into(),
        folder: String::new(),
        data: text.as_bytes().to_vec(),
        truncated: false,
        offset: 0,
    };
    let b = analyze_message(&Rules::builtin(), &raw).unwrap().expect("a bounce");
    b.recipients.iter().map(|r| (r.address.to_string(), r.reason.to_string())).collect()
}

fn exchange_ndr(lang_text: &str, rcpt: &str, status: &str, diag: &str) -> String {
    format!(
        "From: Microsoft Outlook <postmaster@contoso.example>\nTo: owner@example.net\nSubject: Onbestelbaar: offerte\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\n\n--x\nContent-Type: text/plain; charset=utf-8\n\n{lang_text}\n\n--x\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com\n\nFinal-Recipient: rfc822;{rcpt}\nAction: failed\nStatus: {status}\nDiagnostic-Code: smtp;{diag}\n\n--x--\n"
    )
}

#[test]
fn dutch_exchange_unknown_recipient() {
    let t = exchange_ndr(
        "Uw bericht aan jan@contoso.example kan niet worden bezorgd.\njan is niet gevonden bij contoso.example.",
        "jan@contoso.example",
        "5.1.10",
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    );
    assert_eq!(reasons(&t), vec![("jan@contoso.example".into(), "userunknown".into())]);
}

#[test]
fn german_exchange_mailbox_full() {
    let t = exchange_ndr(
        "Ihre Nachricht an anna@contoso.example konnte nicht übermittelt werden.\nDas Postfach des Empfängers ist voll und kann derzeit keine Nachrichten annehmen.",
        "anna@contoso.example",
        "5.2.2",
        "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException",
    );
    assert_eq!(reasons(&t), vec![("anna@contoso.example".into(), "mailboxfull".into())]);
}

#[test]
fn german_plain_text_bounce_two_recipients() {
    let t = "From: MAILER-DAEMON@mx.example.de\nTo: owner@example.net\nSubject: Unzustellbar: Rechnung\n\nDies ist eine automatisch erstellte Nachricht.\nIhre Nachricht konnte an folgende Empfänger nicht zugestellt werden:\n\n<k.schmidt@example.de>:\nhost mx.example.de[192.0.2.5] said: 550 5.1.1 Benutzer unbekannt (in reply to RCPT TO command)\n\n<info@example.at>:\nhost mx.example.at[192.0.2.6] said: 552 5.2.2 Postfach voll (in reply to RCPT TO command)\n";
    assert_eq!(
        reasons(t),
        vec![("k.schmidt@example.de".into(), "userunknown".into()), ("info@example.at".into(), "mailboxfull".into())]
    );
}

#[test]
fn dutch_spam_rejection_after_data() {
    let t = "From: Mail Delivery System <MAILER-DAEMON@smtp.example.nl>\nTo: owner@example.net\nSubject: Onbestelbaar bericht\n\nUw bericht kon niet worden afgeleverd bij de volgende ontvanger:\n\n<piet@example.nl>: host mx.example.nl[192.0.2.9] said: 554 5.7.1 Bericht als spam aangemerkt (in reply to end of DATA command)\n";
    assert_eq!(reasons(t), vec![("piet@example.nl".into(), "spamdetected".into())]);
}

#[test]
fn english_exim_blocklisted_sender() {
    let t = "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: owner@example.net\nSubject: Mail delivery failed: returning message to sender\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  sales@example.com\n    SMTP error from remote mail server after RCPT TO:<sales@example.com>:\n    host mx.example.com [192.0.2.1]: 554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org\n";
    assert_eq!(reasons(t), vec![("sales@example.com".into(), "blocked".into())]);
}
