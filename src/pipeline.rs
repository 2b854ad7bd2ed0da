//! Raw message → `Bounce`: parse (within the size limits), find the report's facts, classify
//! every recipient. The one path a scan, a report, `explain` and the TUI all take.

use crate::analyze;
use crate::bounce::{Bounce, Kind, OriginalInfo, Recipient};
use crate::classify::{self, Rules};
use crate::fact::Facts;
use crate::mailbox::{MAX_MESSAGE_BYTES, RawMessage};
use crate::mime;
use crate::prefilter;
use crate::sanitize;
use crate::text;

/// How much of a message is parsed: reports, diagnostics and the returned headers come first;
/// what lies beyond (an original's attachments) is not needed and would only cost time and memory.
pub const PARSE_CAP: usize = 512 * 1024;

/// How many bytes of `data` to parse: [`PARSE_CAP`], or further when a delivery-status part
/// starts within it and runs past it (a report for thousands of recipients), up to its end.
pub fn parse_limit(data: &[u8]) -> usize {
    if data.len() > ATTACHMENT_CAP && is_mail_with_attachments(&data[..ATTACHMENT_CAP]) {
        return ATTACHMENT_CAP;
    }
    if data.len() <= PARSE_CAP {
        return data.len();
    }
    // A header block longer than the cap (a 1 MB header line) is parsed whole, with the start
    // of the body after it.
    let head_end = prefilter::header_end(&data[..data.len().min(MAX_MESSAGE_BYTES)]).unwrap_or(0);
    if head_end + 4096 > PARSE_CAP {
        return (head_end + PARSE_CAP).min(data.len());
    }
    // The report's parts may come after a huge first part (a 2 MB line of text): they are
    // looked for in the whole message, so that a scan finds what `explain` finds.
    let Some(start) = delivery_status_part(&data[..data.len().min(MAX_MESSAGE_BYTES)]) else {
        return PARSE_CAP;
    };
    // The part ends at the next boundary line; status fields never start with "--".
    let end = memchr::memmem::find_iter(&data[start..], b"\n--").next().map_or(data.len(), |i| start + i + 1);
    end.max(PARSE_CAP)
}

/// How much is parsed of a message that carries no report, returned message or returned
/// headers but a base64 part: an ordinary mail whose subject looked like a bounce, with an
/// attachment. Its words come before the attachment, whose decoding would cost the most.
pub const ATTACHMENT_CAP: usize = 64 * 1024;

/// Does `head` (the start of a message) show a base64 part and nothing a report is made of
/// (`multipart/report`, `message/…` parts, `text/rfc822-headers`)? A plain-text bounce listing
/// many recipients has no base64 and keeps [`PARSE_CAP`].
fn is_mail_with_attachments(head: &[u8]) -> bool {
    let mut base64 = false;
    for line in head.split(|&b| b == b'\n') {
        let Some(value) = field_value(line, b"content-type:") else {
            base64 |=
                field_value(line, b"content-transfer-encoding:").is_some_and(|v| prefilter::contains_ci(v, b"base64"));
            continue;
        };
        if [b"report".as_slice(), b"message/", b"rfc822-headers"].iter().any(|w| prefilter::contains_ci(value, w)) {
            return false;
        }
    }
    base64
}

/// The value of a header line `name: value` (`name` with its colon, in any case).
fn field_value<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    prefilter::starts_with_ci(line, name).then(|| &line[name.len()..])
}

/// Where the body of the first `message/(global-)delivery-status` part begins, if its header is
/// in `head`.
fn delivery_status_part(head: &[u8]) -> Option<usize> {
    let mut at = 0;
    for line in head.split_inclusive(|&b| b == b'\n') {
        at += line.len();
        let l = line.trim_ascii();
        if l.len() > 13
            && l[..13].eq_ignore_ascii_case(b"content-type:")
            && l.windows(15).any(|w| w.eq_ignore_ascii_case(b"delivery-status"))
            && !l.windows(6).any(|w| w.eq_ignore_ascii_case(b"report"))
        {
            return Some(at);
        }
    }
    None
}

/// Analyse one raw message. `Ok(None)`: not a bounce, auto-reply, feedback or delivery report.
/// The header first look ([`prefilter::candidate`]) decides first, on every path, so a message
/// gets the same answer from a scan, a report and `explain`.
pub fn analyze_message(rules: &Rules, raw: &RawMessage) -> Result<Option<Bounce>, String> {
    analyze_messages(rules, &[raw]).pop().expect("one result per message")
}

/// [`analyze_message`] for each of `raws`, in order, taken stage by stage: every message of a
/// group is parsed, then every one analysed, then every one classified. Each stage works with
/// automata and tables of its own (the MIME parser's, the report readers', the rules'); run for
/// one message after another they evict each other from the caches, run over a group they stay
/// in them. Measured alone on one core, 20,000 real-format bounces took 0.8 of the time they took
/// message by message.
pub fn analyze_messages(rules: &Rules, raws: &[&RawMessage]) -> Vec<Result<Option<Bounce>, String>> {
    let mut out = Vec::with_capacity(raws.len());
    for group in raws.chunks(STAGE_GROUP) {
        let parsed: Vec<Result<Option<mime::Mail>, String>> = group.iter().map(|raw| parse(raw)).collect();
        let facts: Vec<_> = parsed.into_iter().map(|p| p.map(|mail| mail.map(facts_of))).collect();
        out.extend(
            facts
                .into_iter()
                .zip(group)
                .map(|(f, raw)| f.map(|f| f.and_then(|(mail, facts, _)| build(rules, raw, &mail, facts)))),
        );
    }
    out
}

/// How many messages [`analyze_messages`] takes through each stage at a time: parsed messages
/// wait for the next stage, so a group holds at most this many (each within its [`parse_limit`]).
/// Groups of 16 to 64 were about as fast.
const STAGE_GROUP: usize = 32;

/// The first stage: `None` for a message whose header shows ordinary mail.
fn parse(raw: &RawMessage) -> Result<Option<mime::Mail>, String> {
    let head_len = prefilter::header_end(&raw.data).unwrap_or(raw.data.len());
    if !prefilter::candidate(&raw.data[..head_len]) {
        return Ok(None);
    }
    match mime::parse(&raw.data[..parse_limit(&raw.data)]) {
        Some(mail) => Ok(Some(mail)),
        None => Err("no message headers found".into()),
    }
}

/// The facts of a parsed message. A container that is no report itself (a bounce forwarded as
/// an attachment, a gateway's `message/rfc822` wrapper around the real report) gives the report
/// inside instead, with its facts.
/// The `bool` says whether the report inside a container was taken.
pub(crate) fn facts_of(mail: mime::Mail) -> (mime::Mail, Facts, bool) {
    let facts = analyze::analyze(&mail);
    let found = facts.kind.is_some() && facts.facts.iter().any(|f| !f.address.is_empty());
    if !found && let Some(inner) = mail.wrapped_report.as_deref().and_then(mime::parse) {
        let inner_facts = analyze::analyze(&inner);
        if inner_facts.kind == Some(Kind::Bounce) {
            return (inner, inner_facts, true);
        }
    }
    (mail, facts, false)
}

pub(crate) fn build(rules: &Rules, raw: &RawMessage, mail: &mime::Mail, facts: Facts) -> Option<Bounce> {
    let kind = facts.kind?;
    let recipients = facts
        .facts
        .iter()
        .map(|f| {
            let (reason, key_line, decided_by, rule) = match kind {
                Kind::Bounce => {
                    let out = classify::classify(rules, f, &facts.report_text);
                    (out.reason, out.key_line, out.decided_by, out.rule)
                }
                Kind::Delivered => ("delivered".to_string(), f.diagnostic.clone(), classify::DecidedBy::Status, 0),
                Kind::Feedback => ("feedback".to_string(), String::new(), classify::DecidedBy::Default, 0),
                Kind::Vacation => ("vacation".to_string(), mail.subject.clone(), classify::DecidedBy::Default, 0),
            };
            let mut reply_code = f.reply_code.clone();
            if reply_code.is_empty() && kind == Kind::Bounce {
                reply_code = text::find_reply_code(&key_line).unwrap_or_default();
            }
            let mut status = f.status.clone();
            if status.is_empty() && kind == Kind::Bounce {
                status = text::find_status(&key_line).unwrap_or_default();
            }
            let hard = kind == Kind::Bounce && classify::is_hard(rules, &reason, &status, &reply_code, &f.action);
            let found = crate::blocklist::find(&reason, &key_line);
            let (blocklist, listed) = found.map_or((Default::default(), Default::default()), |f| {
                (f.list.into(), sanitize::line(&f.listed).into())
            });
            Recipient {
                blocklist,
                listed,
                decided_by,
                rule,
                address: sanitize::line(&f.address).into(),
                status: status.into(),
                reply_code: reply_code.into(),
                reason: reason.into(),
                hard,
                diagnostic: sanitize::line(&key_line).into(),
                action: sanitize::line(&f.action).into(),
                command: sanitize::line(&f.command).into(),
                remote_mta: sanitize::line(&f.remote_mta).into(),
            }
        })
        .collect();
    let h = &mail.headers;
    Some(Bounce {
        source: raw.source.as_str().into(),
        offset: raw.offset,
        folder: raw.folder.as_str().into(),
        kind,
        date: mail.date,
        from: sanitize::line(h.get("from").unwrap_or("")).into(),
        to: sanitize::line(h.get("to").unwrap_or("")).into(),
        delivered_to: sanitize::line(h.get("x-original-to").or(h.get("delivered-to")).or(h.get("to")).unwrap_or(""))
            .into(),
        subject: sanitize::line(&mail.subject).into(),
        reporting_mta: sanitize::line(&facts.reporting_mta).into(),
        recipients,
        original: facts.original.map(sanitized),
        verdict: Default::default(),
        evidence: Default::default(),
    })
}

/// The returned original's header values, safe to show (control characters taken out).
fn sanitized(mut o: OriginalInfo) -> OriginalInfo {
    for s in [&mut o.message_id, &mut o.from, &mut o.to, &mut o.subject, &mut o.date] {
        *s = sanitize::line(s).into();
    }
    // The trace was just made: nothing shares it yet.
    if let Some(t) = o.trace.as_mut().and_then(std::sync::Arc::get_mut) {
        for s in [&mut t.return_path, &mut t.authentication_results, &mut t.x_authenticated_sender]
            .into_iter()
            .chain(t.received.iter_mut())
        {
            *s = sanitize::line(s).into();
        }
        for (domain, selector) in &mut t.dkim {
            *domain = sanitize::line(domain).into();
            *selector = sanitize::line(selector).into();
        }
    }
    o
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn raw(data: String) -> RawMessage {
        RawMessage {
            source: "t.eml".into(),
            folder: String::new(),
            data: data.into_bytes(),
            truncated: false,
            offset: 0,
        }
    }

    fn base64_lines(bytes: usize) -> String {
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n".repeat(bytes / 77 + 1)
    }

    #[test]
    fn an_ordinary_mail_with_an_attachment_is_parsed_up_to_the_attachment_cap() {
        let mail = format!(
            "From: a@example.org\nTo: b@example.net\nSubject: delivery notification for your order\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: text/plain\n\nYour parcel is on its way.\n--m\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{}--m--\n",
            base64_lines(300_000)
        );
        assert_eq!(parse_limit(mail.as_bytes()), ATTACHMENT_CAP);
        assert!(analyze_message(&Rules::builtin(), &raw(mail)).unwrap().is_none());
    }

    #[test]
    fn a_returned_original_with_an_attachment_keeps_the_whole_cap() {
        let mail = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n<x@remote.example>: host mx.remote.example said: 550 5.1.1 User unknown\n\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <1@example.net>\nFrom: owner@example.net\nContent-Type: multipart/mixed; boundary=\"i\"\n\n--i\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{}--i--\n--b--\n",
            base64_lines(900_000)
        );
        assert_eq!(parse_limit(mail.as_bytes()), PARSE_CAP);
        let b = analyze_message(&Rules::builtin(), &raw(mail)).unwrap().unwrap();
        assert_eq!(b.original.unwrap().message_id, "<1@example.net>");
    }

    #[test]
    fn a_plain_text_report_for_many_recipients_is_read_past_the_attachment_cap() {
        let lines: String = (0..1500).map(|i| format!("  user{i}@remote.example\n    SMTP error from remote mail server after RCPT TO:<user{i}@remote.example>:\n    550 5.1.1 User unknown\n\n")).collect();
        let mail = format!(
            "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\nSubject: Mail delivery failed: returning message to sender\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n{lines}"
        );
        assert!(mail.len() > 2 * ATTACHMENT_CAP);
        assert_eq!(parse_limit(mail.as_bytes()), mail.len());
        let b = analyze_message(&Rules::builtin(), &raw(mail)).unwrap().unwrap();
        assert_eq!(b.recipients.len(), 1500);
    }

    #[test]
    fn a_delivery_status_for_thousands_of_recipients_is_read_to_its_end() {
        let fields: String = (0..9000)
            .map(|i| format!("Final-Recipient: rfc822; user{i}@remote.example\nAction: failed\nStatus: 5.1.1\n\n"))
            .collect();
        let mail = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nMail for many recipients failed.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n{fields}--b--\n"
        );
        assert!(mail.len() > PARSE_CAP);
        assert_eq!(parse_limit(mail.as_bytes()), mail.len() - "--b--\n".len());
        let b = analyze_message(&Rules::builtin(), &raw(mail)).unwrap().unwrap();
        assert_eq!(b.recipients.len(), 9000);
    }
}

#[cfg(test)]
mod group_tests {
    use super::*;

    /// Messages analysed stage by stage, in groups, get what each gets alone: the demo mailbox
    /// (bounces and auto-replies) three times over, more than two groups, with an
    /// ordinary mail and a message that has no header at all among them.
    #[test]
    fn a_group_gives_what_each_message_gives_alone() {
        let rules = Rules::builtin();
        let mut raws = crate::demo::messages();
        raws.extend(crate::demo::messages());
        raws.extend(crate::demo::messages());
        let mut headless = raws[0].clone();
        headless.data = b"\n\nno header here\n".to_vec();
        raws.insert(raws.len() / 2, headless);
        let mut ordinary = raws[1].clone();
        ordinary.data = b"From: ann@example.org\nTo: bob@example.net\nSubject: lunch\n\nAt noon?\n".to_vec();
        raws.insert(raws.len() / 3, ordinary);
        assert!(raws.len() > 2 * STAGE_GROUP, "{}", raws.len());
        let show = |r: &Result<Option<Bounce>, String>| format!("{r:?}");
        let alone: Vec<String> = raws.iter().map(|r| show(&analyze_message(&rules, r))).collect();
        let refs: Vec<&RawMessage> = raws.iter().collect();
        let grouped: Vec<String> = analyze_messages(&rules, &refs).iter().map(show).collect();
        assert_eq!(grouped, alone);
        assert!(alone.iter().any(|a| a.starts_with("Err")) && alone.iter().any(|a| a == "Ok(None)"));
        assert!(alone.iter().filter(|a| a.starts_with("Ok(Some")).count() > STAGE_GROUP);
    }
}
