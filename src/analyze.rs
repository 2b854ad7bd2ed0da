//! Parsed mail → facts: is it a bounce, an auto-reply, a feedback report or a delivery report;
//! which recipients failed, with which codes and which text. Classification comes after.

use crate::bounce::{Kind, OriginalInfo};
use crate::detect::DETECT;
use crate::dsn;
use crate::fact::{Fact, Facts, command_of};
use crate::header::Headers;
use crate::mime::Mail;
use crate::text;
use regex::Regex;
use std::sync::LazyLock;

/// A server's error reply quoted in a report: a 4yz/5yz reply code at a line's start or after
/// "said:", or a 4.x.x/5.x.x status code (not a phone number, a price or a version).
static QUOTED_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^[ 	>#]*|said:?\s*|<<<\s*)[45][0-5][0-9][ -]|(?:^|[\s(\[#])[45]\.[0-9]{1,3}\.[0-9]{1,3}(?:[\s)\];,.]|$)").unwrap()
});

fn lower_address(s: &str) -> String {
    text::addresses(s).next().map(|a| a.to_string()).unwrap_or_default()
}

fn is_vacation(mail: &Mail) -> bool {
    let h = &mail.headers;
    let auto = h.get("auto-submitted").unwrap_or("").to_ascii_lowercase();
    auto.starts_with("auto-replied")
        || h.get("x-autoreply").is_some_and(|v| v.eq_ignore_ascii_case("yes"))
        || h.get("x-autorespond").is_some()
        || h.get("precedence").is_some_and(|v| v.eq_ignore_ascii_case("auto_reply"))
        || h.get("x-apple-action").is_some_and(|v| v.eq_ignore_ascii_case("vacation"))
        || DETECT.vacation_subject.is_match(&mail.subject)
}

/// The human-readable text of the report: text parts outside the original, cut at an inline copy.
fn report_text(mail: &Mail) -> String {
    let mut out = String::new();
    let plain = mail.parts.iter().any(|p| p.ctype == "text/plain");
    for p in &mail.parts {
        let use_it = p.ctype == "text/plain" || (!plain && p.ctype == "text/html");
        if use_it {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&p.text);
            if out.len() > 256 * 1024 {
                break;
            }
        }
    }
    if let Some(unquoted) = text::unquote_forwarded(&out) {
        out = unquoted;
    }
    if let Some(cut) = text::original_start(&out) {
        out.truncate(cut);
    }
    out
}

/// Analyse a parsed message. `None`: not a bounce, auto-reply, feedback or delivery report.
pub fn analyze(mail: &Mail) -> Facts {
    let h = &mail.headers;
    let from = h.get("from").unwrap_or("");
    let is_daemon = DETECT.sender.is_match(from);
    let mut facts = Facts { report_text: report_text(mail), ..Default::default() };
    facts.original = original_info(mail);

    // 1. Feedback reports (ARF).
    if mail.report_type == "feedback-report" || mail.parts.iter().any(|p| p.ctype == "message/feedback-report") {
        facts.kind = Some(Kind::Feedback);
        facts.facts = feedback_recipients(mail, facts.original.as_ref());
        return facts;
    }
    // 1b. Amazon SES notifications (JSON by mail).
    let first_text = mail.parts.iter().find(|p| p.ctype.starts_with("text/")).map(|p| p.text.as_str()).unwrap_or("");
    if (first_text.contains("notificationType") || first_text.contains("\"eventType\""))
        && let Some((kind, list, original)) = crate::ses::parse(first_text)
    {
        facts.kind = Some(kind);
        facts.facts = list;
        if original.is_some() {
            facts.original = original;
        }
        return facts;
    }
    // 2. Read receipts are not bounces.
    if mail.report_type == "disposition-notification" {
        return facts;
    }
    // 3. RFC 3464 / 6533 DSN: a delivery-status part, or DSN fields written into the text.
    // The bounce's own sender (the reporting daemon) is never a failed recipient.
    // (The bounce's own To is not excluded: test and forwarded bounces are addressed to the
    // failed recipient often enough.)
    let mut text_recipients = text::recipients(&facts.report_text, &[lower_address(from)]);
    let mut dsn_text: Vec<&str> = mail
        .parts
        .iter()
        .filter(|p| p.ctype == "message/delivery-status" || p.ctype == "message/global-delivery-status")
        .map(|p| p.text.as_str())
        .collect();
    let has_dsn_part = !dsn_text.is_empty();
    if let (false, Some(region)) = (has_dsn_part, dsn::region_in_text(&facts.report_text)) {
        dsn_text.push(region);
    }
    if !dsn_text.is_empty() {
        let mut ds = dsn::DeliveryStatus::default();
        for t in &dsn_text {
            let d = dsn::parse(t);
            if ds.reporting_mta.is_empty() {
                ds.reporting_mta = d.reporting_mta;
            }
            ds.recipients.extend(d.recipients);
        }
        facts.reporting_mta = ds.reporting_mta.clone();
        ds.recipients.retain(|r| !r.final_recipient.is_empty() || !r.action.is_empty());
        if !ds.recipients.is_empty() {
            let mut delivered = Vec::new();
            let mut failed = Vec::new();
            let mut blocks = TextBlocks::new(&mut text_recipients);
            for r in ds.recipients {
                let block = blocks.take(&r.final_recipient, &r.original_recipient);
                let mut fact = dsn_fact(r, block);
                fact.reporting_mta = ds.reporting_mta.clone();
                if matches!(fact.action.as_str(), "delivered" | "relayed" | "expanded") || fact.status.starts_with("2.")
                {
                    delivered.push(fact);
                } else {
                    failed.push(fact);
                }
            }
            // A recipient named only in an X.400 or directory form: the original's single To
            // address is the one the sender wrote.
            let to: Vec<String> = facts
                .original
                .as_ref()
                .map(|o| text::addresses(&o.to).map(str::to_string).collect())
                .unwrap_or_default();
            let not_mail: Vec<usize> = (0..failed.len())
                .filter(|&i| !failed[i].address.is_empty() && !dsn::is_mail_address(&failed[i].address))
                .collect();
            if let ([only], [i]) = (to.as_slice(), not_mail.as_slice()) {
                failed[*i].address = only.clone();
            }
            if failed.is_empty() {
                facts.kind = Some(Kind::Delivered);
                facts.facts = delivered;
            } else {
                facts.kind = Some(Kind::Bounce);
                facts.facts = dedupe(failed);
            }
            return facts;
        }
    }
    // 4. Auto-replies.
    if !is_daemon && dsn_text.is_empty() && is_vacation(mail) {
        facts.kind = Some(Kind::Vacation);
        facts.facts = vec![Fact { address: lower_address(from), ..Default::default() }];
        return facts;
    }
    // 5. Challenge-response and whitelist requests ask a person to confirm: not bounces.
    // (A bounce of one's own confirmation mail, "Undeliverable: Please verify your address",
    // stays a bounce: its subject is a bounce subject from the start.)
    // A report quoting a server's error reply is no request to confirm (and the check of the
    // text is not needed for it).
    let quotes_error = QUOTED_ERROR.is_match(&facts.report_text);
    if !quotes_error
        && !DETECT.subject_start.is_match(&mail.subject)
        && DETECT.is_challenge(from, &mail.subject, &facts.report_text)
    {
        return facts;
    }
    // 6. Plain-text bounces: a bounce-like envelope or subject, and a failed recipient in the text.
    let null_sender = h.get("return-path").is_some_and(|v| v.trim() == "<>") || lower_address(from).is_empty();
    let strong = is_daemon
        || null_sender
        || has_dsn_part
        || h.get("x-failed-recipients").is_some()
        || DETECT.subject_start.is_match(&mail.subject);
    let weak = !strong && DETECT.subject.is_match(&mail.subject) && DETECT.intro.is_match(&facts.report_text);
    if !strong && !weak {
        return facts;
    }
    if text_recipients.is_empty()
        && let Some(list) = h.get("x-failed-recipients")
    {
        text_recipients = text::addresses(list)
            .map(|a| text::TextRecipient { address: a.to_string(), block: String::new() })
            .collect();
    }
    if text_recipients.is_empty() && (is_daemon || null_sender) {
        // A terse bounce: the recipient named mid-sentence ("Your message to <a@b> could not be
        // delivered"), by a phrase of rules/detect.toml or beside the failure it states.
        let mut exclude: Vec<String> = [from, h.get("to").unwrap_or("")].iter().map(|v| lower_address(v)).collect();
        if let Some(o) = &facts.original {
            exclude.push(lower_address(&o.from));
        }
        text_recipients = terse_recipients(&facts.report_text, &exclude);
    }
    if text_recipients.is_empty() {
        // No address in the report, but a diagnostic: the failed recipient is the original's To.
        let has_diag =
            text::find_reply_code(&facts.report_text).is_some() || text::find_status(&facts.report_text).is_some();
        let to = facts.original.as_ref().map(|o| o.to.clone()).unwrap_or_default();
        if has_diag && !to.is_empty() {
            text_recipients = text::addresses(&to)
                .take(1)
                .map(|a| text::TextRecipient { address: a.to_string(), block: facts.report_text.trim().to_string() })
                .collect();
        }
    }
    if text_recipients.is_empty() {
        return facts;
    }
    // A delay warning ("will be retried", subject "Delayed") reports a deferral, not a failure.
    let delayed = DETECT.delay_subject.is_match(&mail.subject) || DETECT.delay_text.is_match(&facts.report_text);
    facts.kind = Some(Kind::Bounce);
    // The report's command, for recipients whose own lines name none (read once).
    let report_command = std::cell::OnceCell::new();
    facts.facts = text_recipients
        .into_iter()
        .map(|r| {
            let status = text::find_error_status(&r.block).unwrap_or_default();
            let mut command = command_of(&r.block);
            if command.is_empty() {
                command = report_command.get_or_init(|| command_of(&facts.report_text)).clone();
            }
            Fact {
                reply_code: text::find_error_reply_code(&r.block).unwrap_or_default(),
                command,
                plain_text: true,
                action: if delayed { "delayed".to_string() } else { String::new() },
                status,
                diagnostic: r.block,
                address: r.address,
                ..Default::default()
            }
        })
        .collect();
    // "Your message was successfully delivered … 250 2.0.0 Ok": a delivery report, not a bounce.
    if facts.facts.iter().all(|f| f.status.starts_with("2.")) {
        facts.kind = Some(Kind::Delivered);
    }
    facts
}

/// Bounds on a terse report's recipients: how many, and how much text each keeps.
const MAX_TERSE_RECIPIENTS: usize = 1000;
const TERSE_BLOCK_BYTES: usize = 2048;

/// Local parts of addresses that reports name for contact, never as the failed recipient.
const CONTACT_LOCAL_PARTS: &[&str] = &[
    "postmaster",
    "mailer-daemon",
    "mailerdaemon",
    "abuse",
    "support",
    "help",
    "helpdesk",
    "noreply",
    "no-reply",
    "hostmaster",
    "webmaster",
    "security",
    "admin",
];

/// Recipients of a terse report: addresses that a recipient phrase of `rules/detect.toml`
/// names, else addresses on a line that states a failure or carries an error code (or the line
/// after one that states it). Contact and excluded addresses never count.
fn terse_recipients(report: &str, exclude: &[String]) -> Vec<text::TextRecipient> {
    let usable = |a: &str| {
        let a = a.to_ascii_lowercase();
        let local = a.split('@').next().unwrap_or("");
        !a.is_empty() && !exclude.contains(&a) && !CONTACT_LOCAL_PARTS.contains(&local)
    };
    let mut out: Vec<text::TextRecipient> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut push = |out: &mut Vec<text::TextRecipient>, addr: &str, block: String| {
        if usable(addr) && seen.insert(addr.to_ascii_lowercase()) {
            out.push(text::TextRecipient { address: addr.to_ascii_lowercase(), block });
        }
    };
    for re in &DETECT.recipient_intro {
        for c in re.captures_iter(report) {
            if out.len() >= MAX_TERSE_RECIPIENTS {
                break;
            }
            let (Some(whole), Some(a)) = (c.get(0), c.name("a").and_then(|m| text::addresses(m.as_str()).next()))
            else {
                continue;
            };
            // The paragraph from the phrase on, within a bounded window (a hostile report may
            // repeat the phrase thousands of times on one line).
            let window = report.floor_char_boundary(whole.end() + TERSE_BLOCK_BYTES);
            let end = report[whole.end()..window].find("\n\n").map_or(window, |i| whole.end() + i);
            push(&mut out, a, report[whole.start()..end].trim().to_string());
        }
    }
    if !out.is_empty() {
        return out;
    }
    let lines: Vec<&str> = crate::lines::lines(report).collect();
    for (i, line) in lines.iter().enumerate() {
        if !line.contains('@') || line.len() > 1000 {
            continue;
        }
        let states = |l: &str| {
            DETECT.intro.is_match(l) || text::find_error_reply_code(l).is_some() || text::find_error_status(l).is_some()
        };
        let here = states(line) || lines.get(i + 1).is_some_and(|l| states(l));
        let before = i > 0 && DETECT.intro.is_match(lines[i - 1]);
        if !(here || before) {
            continue;
        }
        let block: Vec<&str> =
            lines[i..(i + 4).min(lines.len())].iter().map(|l| &l[..l.floor_char_boundary(TERSE_BLOCK_BYTES)]).collect();
        let block = block.join("\n").trim().to_string();
        for a in text::addresses(line) {
            if out.len() >= MAX_TERSE_RECIPIENTS {
                return out;
            }
            push(&mut out, a, block.clone());
        }
    }
    out
}

fn dedupe(facts: Vec<Fact>) -> Vec<Fact> {
    let mut seen = std::collections::HashSet::with_capacity(facts.len());
    facts.into_iter().filter(|f| f.address.is_empty() || seen.insert(f.address.to_ascii_lowercase())).collect()
}

/// The text paragraphs of the human-readable part, looked up by address (case-insensitively).
struct TextBlocks<'a> {
    list: &'a mut [text::TextRecipient],
    index: std::collections::HashMap<String, usize>,
}

impl<'a> TextBlocks<'a> {
    fn new(list: &'a mut [text::TextRecipient]) -> Self {
        let mut index = std::collections::HashMap::with_capacity(list.len());
        for (i, r) in list.iter().enumerate() {
            index.entry(r.address.to_ascii_lowercase()).or_insert(i);
        }
        TextBlocks { list, index }
    }

    /// Take the paragraph about `addr` (or `alt`); each paragraph is handed out once.
    fn take(&mut self, addr: &str, alt: &str) -> String {
        let found = self
            .index
            .remove(&addr.to_ascii_lowercase())
            .or_else(|| if alt.is_empty() { None } else { self.index.remove(&alt.to_ascii_lowercase()) });
        found.map(|i| std::mem::take(&mut self.list[i].block)).unwrap_or_default()
    }
}

/// A DSN status like 5.0.0 says little: prefer a more specific code written in the diagnostic.
fn prefer_status(status: &str, diag: &str) -> String {
    let in_text = text::find_status(diag).unwrap_or_default();
    let generic = |s: &str| s.is_empty() || s.ends_with(".0.0");
    if status.is_empty() || (generic(status) && !generic(&in_text)) { in_text } else { status.to_string() }
}

fn dsn_fact(r: dsn::RecipientFields, block: String) -> Fact {
    let diag = r.diagnostic_code.clone();
    let status = prefer_status(&r.status, &diag);
    let mut reply_code = text::find_reply_code(&diag).unwrap_or_default();
    if reply_code.is_empty() {
        reply_code = text::find_reply_code(&block).unwrap_or_default();
    }
    let mut command = command_of(&diag);
    if command.is_empty() {
        command = command_of(&block);
    }
    let status = if status.is_empty() || status.ends_with(".0.0") { prefer_status(&status, &block) } else { status };
    Fact {
        address: r.final_recipient,
        status,
        reply_code,
        action: r.action,
        diagnostic_type: r.diagnostic_type,
        diagnostic: diag,
        text_block: block,
        command,
        remote_mta: r.remote_mta,
        plain_text: false,
        reporting_mta: String::new(),
        category: r.bounce_category,
    }
}

fn feedback_recipients(mail: &Mail, original: Option<&OriginalInfo>) -> Vec<Fact> {
    let mut out = Vec::new();
    for p in mail.parts.iter().filter(|p| p.ctype == "message/feedback-report") {
        let h = Headers::parse(&p.text);
        for v in h.all("original-rcpt-to").chain(h.all("removal-recipient")) {
            let a = lower_address(v);
            if !a.is_empty() {
                out.push(Fact { address: a, ..Default::default() });
            }
        }
    }
    if out.is_empty() {
        let to = original.map(|o| o.to.as_str()).unwrap_or("");
        let address = lower_address(to);
        out.push(Fact { address, ..Default::default() });
    }
    out
}

static DKIM_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|;)\s*([ds])\s*=\s*([^;\s]+)").unwrap());

/// The original's headers, from a `message/rfc822` or headers part, else from an inline copy.
fn original_info(mail: &Mail) -> Option<OriginalInfo> {
    let inline: Headers;
    let (headers, found_as) = match &mail.original {
        Some(o) if !o.headers.is_empty() => (&o.headers, o.found_as.as_str()),
        _ => {
            let all: String = mail
                .parts
                .iter()
                .filter(|p| p.ctype.starts_with("text/"))
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let block = text::inline_original_headers(&all)?;
            inline = Headers::parse(&block);
            (&inline, "inline")
        }
    };
    let mut info = OriginalInfo {
        message_id: headers.get("message-id").unwrap_or("").into(),
        from: headers.get("from").unwrap_or("").into(),
        to: headers.get("to").unwrap_or("").into(),
        subject: headers.get("subject").unwrap_or("").into(),
        date: headers.get("date").unwrap_or("").into(),
        found_as: found_as.into(),
        trace: None,
    };
    let mut trace = crate::bounce::Trace {
        return_path: headers.get("return-path").unwrap_or("").into(),
        received: headers.all("received").map(crate::bounce::Text::from).collect(),
        authentication_results: headers.get("authentication-results").unwrap_or("").into(),
        x_authenticated_sender: headers.get("x-authenticated-sender").unwrap_or("").into(),
        dkim: Vec::new(),
    };
    for sig in headers.all("dkim-signature") {
        let mut d = String::new();
        let mut s = String::new();
        for c in DKIM_TAG.captures_iter(sig) {
            if &c[1] == "d" { d = c[2].to_ascii_lowercase() } else { s = c[2].to_string() }
        }
        if !d.is_empty() {
            trace.dkim.push((d.into(), s.into()));
        }
    }
    info.set_trace(trace);
    Some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(command_of(">>> RCPT To:<a@b>\n<<< 550 no such user"), "RCPT");
        assert_eq!(command_of("Message details:\n  MAIL FROM: a@b\n  RCPT TO: c@d\n  Size: 22"), "");
        assert_eq!(command_of("ä RCPT ü 550 x"), "RCPT");
        assert_eq!(command_of("550 5.2.1 <a@b>... User Unknown [RCPT_TO]"), "RCPT");
        assert_eq!(command_of("550 5.1.1 unknown (in reply to RCPT TO command)"), "RCPT");
        assert_eq!(command_of("SMTP error from remote mail server after end of data:"), "DATA");
        assert_eq!(command_of("most progress was RCPT TO response; remote host"), "RCPT");
        assert_eq!(command_of(">>> MAIL From:<a@b>"), "MAIL");
        assert_eq!(command_of("nothing here"), "");
        assert_eq!(command_of("Connected to 192.0.2.1 but sender was rejected."), "MAIL");
        assert_eq!(command_of("Connected to 192.0.2.1 but my name was rejected."), "EHLO");
        assert_eq!(command_of("192.0.2.1 failed after I sent the message."), "DATA");
        assert_eq!(command_of("host mx[192.0.2.1] refused to talk to me: 554 go away"), "HELO");
        assert_eq!(command_of("550 550 Unknown user someone@example.com (state 18)."), "DATA");
        assert_eq!(command_of("550 5.1.1 no such user (state 14)."), "RCPT");
    }
}
