//! The built-in demo mailbox: bounces of our own making, in several MTA styles and in English,
//! Dutch and German, covering every group of reasons. Generated at run time from a small table,
//! so nothing from any corpus is embedded.

use crate::mailbox::RawMessage;

/// How a demo bounce is written.
#[derive(Clone, Copy)]
enum Style {
    /// Postfix: multipart/report with a delivery-status part and the returned headers.
    Postfix,
    /// Exim: plain text with "The following address(es) failed" and an inline copy.
    Exim,
    /// qmail: "Hi. This is the qmail-send program".
    Qmail,
}

/// Who really sent the bounced original.
#[derive(Clone, Copy, PartialEq)]
enum Origin {
    /// The owner, through their provider; a copy is in the Sent folder.
    Owner,
    /// Someone with the owner's password, from a foreign network; no copy in Sent.
    StolenLogin,
    /// A spammer who forged the owner's address on a botnet host.
    Forged,
    /// The bounce returns no original at all, and the Sent folder has no copy to match its
    /// recipient with (sent from a phone): nothing can tell.
    Missing,
}

/// (style, recipient, status, diagnostic line, day of month, hour)
const BOUNCES: &[(Style, &str, &str, &str, u32, u32)] = &[
    (
        Style::Postfix,
        "jan.devries@example.nl",
        "5.1.1",
        "550 5.1.1 <jan.devries@example.nl>: Recipient address rejected: User unknown in virtual mailbox table",
        2,
        9,
    ),
    (
        Style::Postfix,
        "m.mueller@example.de",
        "5.2.2",
        "552 5.2.2 <m.mueller@example.de>: Postfach voll - mailbox full, quota exceeded",
        2,
        11,
    ),
    (
        Style::Exim,
        "sales@no-such-domain.example",
        "5.1.2",
        "Host or domain name not found. Name service error for name=no-such-domain.example type=MX: Host not found",
        3,
        8,
    ),
    (
        Style::Postfix,
        "info@shop.example.com",
        "5.7.1",
        "554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org",
        3,
        14,
    ),
    (
        Style::Postfix,
        "anna@example.org",
        "5.7.26",
        "550 5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy",
        4,
        10,
    ),
    (Style::Qmail, "piet@example.be", "5.2.2", "552 Mailbox is vol: quota overschreden (mailbox full)", 4, 16),
    (
        Style::Exim,
        "klaus@example.at",
        "5.3.4",
        "552 5.3.4 Nachricht ist zu groß: message size exceeds fixed limit",
        5,
        9,
    ),
    (
        Style::Postfix,
        "support@example.io",
        "4.4.7",
        "delivery temporarily suspended: connect to mx.example.io[192.0.2.9]:25: Connection timed out",
        5,
        13,
    ),
    (
        Style::Qmail,
        "team@example.co.uk",
        "5.7.1",
        "553 sorry, that domain isn't in my list of allowed rcpthosts; relaying denied (#5.7.1)",
        6,
        10,
    ),
    (
        Style::Postfix,
        "oldstaff@example.com",
        "5.2.1",
        "550 5.2.1 <oldstaff@example.com>: account has been disabled",
        6,
        15,
    ),
    (Style::Exim, "bulk@example.net", "5.7.1", "550 5.7.1 Message rejected as spam by content filter", 7, 9),
    (
        Style::Postfix,
        "office@example.de",
        "4.7.0",
        "421 4.7.0 Transmit rate limit exceeded, try again later (RID)",
        7,
        12,
    ),
    (Style::Exim, "hr@example.fr", "5.7.1", "554 5.7.1 Virus found in attachment: Eicar-Test-Signature", 8, 10),
    (
        Style::Postfix,
        "lists@example.edu",
        "5.7.1",
        "550 5.7.1 Message not accepted for policy reasons: members-only list",
        8,
        11,
    ),
    (Style::Qmail, "x7kq2@example.net", "5.1.1", "550 Unknown user x7kq2@example.net", 9, 2),
    (Style::Qmail, "zz81m@example.org", "5.1.1", "550 sorry, no mailbox here by that name", 9, 2),
    (Style::Qmail, "qq0rt@example.com", "5.1.1", "550 Empfänger unbekannt", 9, 3),
    (
        Style::Postfix,
        "mail@example.nl",
        "4.3.0",
        "451 4.3.0 Temporary failure, try again later: SMTP-Service currently not available due to resource limitations",
        10,
        9,
    ),
    // The same mailbox full again, a week and more later: it keeps failing.
    (Style::Postfix, "m.mueller@example.de", "4.2.2", "452 4.2.2 <m.mueller@example.de>: Mailbox full", 5, 10),
    (Style::Postfix, "m.mueller@example.de", "4.2.2", "452 4.2.2 <m.mueller@example.de>: Mailbox full", 13, 10),
    // The same listed IP refused again, by Spamhaus and by Outlook.com.
    (
        Style::Postfix,
        "orders@example.ch",
        "5.7.1",
        "554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.25",
        11,
        10,
    ),
    (
        Style::Postfix,
        "lisa@outlook.example",
        "5.7.1",
        "550 5.7.1 Unfortunately, messages from [192.0.2.25] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
        12,
        9,
    ),
];

/// Who sent the original of demo bounce `n` (1-based).
fn origin_of(n: usize) -> Origin {
    match n {
        11 | 12 => Origin::StolenLogin,
        15..=17 => Origin::Forged,
        18 => Origin::Missing,
        _ => Origin::Owner,
    }
}

fn date(day: u32, hour: u32) -> String {
    format!("Mon, {day:02} Nov 2026 {hour:02}:14:07 +0100")
}

fn original(rcpt: &str, day: u32, hour: u32, n: usize) -> String {
    match origin_of(n) {
        Origin::Owner | Origin::Missing => owner_original(rcpt, day, hour, n, "198.51.100.7", "dsl-7.example.net"),
        Origin::StolenLogin => owner_original(rcpt, day, hour, n, "203.0.113.66", "vps-66.example.ru"),
        Origin::Forged => format!(
            "Return-Path: <owner@example.net>\nReceived: from example.net (host-91.botnet.example [192.0.2.91])\n\tby mx.{dom} with SMTP id F{n:04}\n\tfor <{rcpt}>; {d}\nMessage-ID: <{n}{n}x.{n}@example.net>\nDate: {d}\nFrom: \"Owner\" <owner@example.net>\nTo: <{rcpt}>\nSubject: Cheap meds, best price\n",
            dom = crate::bounce::Bounce::domain(rcpt),
            d = date(day, hour.saturating_sub(1))
        ),
    }
}

/// A message sent through the owner's provider with a login, from `ip`.
fn owner_original(rcpt: &str, day: u32, hour: u32, n: usize, ip: &str, rdns: &str) -> String {
    format!(
        "Return-Path: <owner@example.net>\nReceived: from [{ip}] ({rdns} [{ip}])\n\t(Authenticated sender: owner@example.net)\n\tby smtp.example.net (Postfix) with ESMTPSA id 4Xq{n:04}\n\tfor <{rcpt}>; {d}\nDKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=mail2026; h=from:to:subject; b=AAAA\nMessage-ID: <demo-{n:04}@example.net>\nDate: {d}\nFrom: Owner <owner@example.net>\nTo: <{rcpt}>\nSubject: Offer #{n}\n",
        d = date(day, hour.saturating_sub(1))
    )
}

fn bounce(style: Style, rcpt: &str, status: &str, diag: &str, day: u32, hour: u32, n: usize) -> String {
    let orig = if origin_of(n) == Origin::Missing { String::new() } else { original(rcpt, day, hour, n) };
    let d = date(day, hour);
    // Backscatter of a spam run reaches random local parts of the owner's domain (catch-all).
    let to =
        if origin_of(n) == Origin::Forged { format!("x{n}k7q@example.net") } else { "owner@example.net".to_string() };
    match style {
        Style::Postfix => format!(
            "Return-Path: <>\nDate: {d}\nFrom: MAILER-DAEMON@smtp.example.net (Mail Delivery System)\nTo: {to}\nSubject: Undelivered Mail Returned to Sender\nMessage-Id: <bounce-{n:04}@smtp.example.net>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B{n}\"\n\n--B{n}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nThis is the mail system at host smtp.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<{rcpt}>: host mx.{dom} said: {diag}\n\n--B{n}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; smtp.example.net\nArrival-Date: {d}\n\nFinal-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: {status}\nRemote-MTA: dns; mx.{dom}\nDiagnostic-Code: smtp; {diag}\n\n--B{n}\nContent-Type: text/rfc822-headers\n\n{orig}\n--B{n}--\n",
            dom = crate::bounce::Bounce::domain(rcpt)
        ),
        Style::Exim => format!(
            "Return-path: <>\nDate: {d}\nFrom: Mail Delivery System <Mailer-Daemon@mx.example.net>\nTo: {to}\nSubject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: {rcpt}\nAuto-Submitted: auto-replied\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  {rcpt}\n    SMTP error from remote mail server after end of data:\n    {diag}\n\n------ This is a copy of the message, including all the headers. ------\n\n{orig}\nHello,\n"
        ),
        Style::Qmail => format!(
            "Return-Path: <>\nDate: {d}\nFrom: MAILER-DAEMON@mail.example.net\nTo: {to}\nSubject: failure notice\n\nHi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<{rcpt}>:\n192.0.2.44 does not like recipient.\nRemote host said: {diag}\nGiving up on 192.0.2.44.\n\n--- Below this line is a copy of the message.\n\n{orig}\nHello,\n"
        ),
    }
}

fn vacation() -> String {
    format!(
        "Date: {}\nFrom: Sanne de Boer <sanne@example.nl>\nTo: owner@example.net\nSubject: Automatisch antwoord: Offer #3\nAuto-Submitted: auto-replied\n\nIk ben afwezig tot 14 november. Voor dringende zaken: info@example.nl.\n",
        date(4, 12)
    )
}

fn feedback() -> String {
    format!(
        "Date: {d}\nFrom: feedback@fbl.example.com\nTo: abuse@example.net\nSubject: Complaint about message from 198.51.100.7\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"F1\"\n\n--F1\nContent-Type: text/plain\n\nThis is an email abuse report for an email message received from IP 198.51.100.7.\n\n--F1\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: demo-fbl/1.0\nVersion: 1\nOriginal-Rcpt-To: reader@example.com\n\n--F1\nContent-Type: text/rfc822-headers\n\n{o}\n--F1--\n",
        d = date(6, 18),
        o = original("reader@example.com", 6, 18, 99)
    )
}

/// The demo owner's Sent folder: the mail they really sent (so verdicts can be shown).
pub fn sent_messages() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = BOUNCES
        .iter()
        .enumerate()
        .filter(|(i, _)| origin_of(i + 1) == Origin::Owner)
        .map(|(i, (_, r, _, _, day, h))| format!("{}\nHello,\n", original(r, *day, *h, i + 1)).into_bytes())
        .collect();
    // Mail to an address after its bounce that did not bounce again: probably fixed.
    out.push(
        b"Message-ID: <again-1@example.net>\nDate: Thu, 12 Nov 2026 10:00:00 +0100\nFrom: Owner <owner@example.net>\nTo: piet@example.be\nSubject: Offer, again\n\nHello\n"
            .to_vec(),
    );
    for k in 1..=12u32 {
        out.push(
            format!(
                "Message-ID: <older-{k}@example.net>\nDate: Mon, {k:02} Oct 2026 09:00:00 +0100\nFrom: Owner <owner@example.net>\nTo: friend{k}@example.org\nSubject: Hi\n\nHello\n"
            )
            .into_bytes(),
        );
    }
    out
}

/// Every line of every demo message, in order: texts for tests that check a pattern against
/// real-looking mail.
#[cfg(test)]
pub fn lines() -> Vec<String> {
    messages()
        .iter()
        .flat_map(|m| String::from_utf8_lossy(&m.data).lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// The demo messages, in order, with sources `demo/NN.eml`.
pub fn messages() -> Vec<RawMessage> {
    let mut texts: Vec<String> =
        BOUNCES.iter().enumerate().map(|(i, (st, r, s, d, day, h))| bounce(*st, r, s, d, *day, *h, i + 1)).collect();
    texts.push(vacation());
    texts.push(feedback());
    texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| RawMessage {
            source: format!("demo/{:02}.eml", i + 1),
            folder: String::new(),
            data: t.into_bytes(),
            truncated: false,
            offset: 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Rules;

    #[test]
    fn demo_bounces_classify_as_intended() {
        let rules = Rules::builtin();
        let want = [
            "userunknown",
            "mailboxfull",
            "hostunknown",
            "blocked",
            "authfailure",
            "mailboxfull",
            "mesgtoobig",
            "expired",
            "norelaying",
            "suspend",
            "spamdetected",
            "speeding",
            "virusdetected",
            "policyviolation",
            "userunknown",
            "userunknown",
            "userunknown",
            "systemerror",
            "mailboxfull",
            "mailboxfull",
            "blocked",
            "blocked",
        ];
        let msgs = messages();
        for (i, w) in want.iter().enumerate() {
            let b = crate::pipeline::analyze_message(&rules, &msgs[i])
                .unwrap()
                .unwrap_or_else(|| panic!("demo {} not a bounce", i + 1));
            assert_eq!(b.recipients.len(), 1, "demo {}", i + 1);
            assert_eq!(&b.recipients[0].reason, w, "demo {}: {}", i + 1, b.recipients[0].diagnostic);
        }
        let v = crate::pipeline::analyze_message(&rules, &msgs[want.len()]).unwrap().unwrap();
        assert_eq!(v.kind, crate::bounce::Kind::Vacation);
        let f = crate::pipeline::analyze_message(&rules, &msgs[want.len() + 1]).unwrap().unwrap();
        assert_eq!(f.kind, crate::bounce::Kind::Feedback);
    }

    #[test]
    fn demo_shows_every_verdict() {
        use crate::bounce::Verdict;
        let rules = Rules::builtin();
        let (mut bounces, _) = crate::engine::scan_all(&rules, &crate::engine::Input::Demo).unwrap();
        let mut owner = crate::engine::demo_owner();
        crate::verdict::judge_all(&mut owner, &mut bounces);
        let v: Vec<(usize, Verdict)> = bounces
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == crate::bounce::Kind::Bounce)
            .map(|(i, b)| (i + 1, b.verdict))
            .collect();
        for (n, verdict) in &v {
            let want = match origin_of(*n) {
                Origin::Owner => Verdict::Real,
                Origin::StolenLogin => Verdict::Abuse,
                Origin::Forged => Verdict::Backscatter,
                Origin::Missing => Verdict::Undetermined,
            };
            assert_eq!(*verdict, want, "demo {n}: {:?}", bounces[n - 1].evidence);
        }
    }
}
