//! Parsed mail → facts: is it a bounce, an auto-reply, a feedback report or a delivery report;
//! which recipients failed, with which codes and which text. Classification comes after.

use crate::bounce::{Kind, OriginalInfo};
use crate::dsn;
use crate::mime::{Headers, Mail};
use crate::text;
use regex::Regex;
use std::sync::LazyLock;

/// What one recipient's failure looks like before classification.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fact {
    pub address: String,
    pub status: String,
    pub reply_code: String,
    pub action: String,
    pub diagnostic_type: String,
    /// The DSN Diagnostic-Code, or the recipient's paragraph of a plain-text report.
    pub diagnostic: String,
    /// The recipient's paragraph in the human-readable part (when a DSN also exists).
    pub text_block: String,
    pub command: String,
    pub remote_mta: String,
    /// Found in a plain-text report (no delivery-status part).
    pub plain_text: bool,
    /// The DSN's Reporting-MTA (the host that wrote the report).
    pub reporting_mta: String,
}

/// Everything the classifier and the verdict need from one message.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub kind: Option<Kind>,
    pub facts: Vec<Fact>,
    pub reporting_mta: String,
    /// The human-readable report (before any inline original), used as a last resort.
    pub report_text: String,
    pub original: Option<OriginalInfo>,
}

pub(crate) static BOUNCE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:undeliver|undelivered\ mail|mail\ delivery\ (?:failed|failure|system|subsystem)|returned\ mail|delivery\ (?:status\ notification|failure|report|notification|problem|has\ failed)
        |failure\ notice|non[-\ ]?deliver|nondeliver|could\ not\ be\ delivered|not\ delivered|delivery\ fail|bounce|rejected|message\ (?:blocked|failure|refused)
        |mail\ (?:error|failure|could\ not)|unzustellbar|onbestelbaar|niet\ afgeleverd|nicht\ zugestellt|zustellung|fehlgeschlagen|no\ se\ puede\ entregar|non\ remis|echec|échec
        |errors?\ (?:sending|in\ mail)|warning:\ could\ not|returned\ to\ sender|delayed\ mail|delivery\ delayed|action\ required|problem\ delivering|permanent\ error
        |mail\ system\ error|undeliverable|配信|エラー|不能|未達|失敗)",
    )
    .unwrap()
});

static BOUNCE_SUBJECT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?ix)^\s*(?:\[[^\]]*\]\s*)?(?:{})", BOUNCE_SUBJECT.as_str().trim_start_matches("(?ix)"))).unwrap()
});

pub(crate) static DAEMON_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:mailer[-_ ]?daemon|post_?master|mail\s+delivery|mail\s+administrator|mdaemon|\bmailer@|\bdaemon@|\bbounces?[@+]|\bmail\s+system|\bsystem\s+administrator|\bnoreply-dmarc|\bmailerdaemon|\bmailadmin|internet\s+mail\s+delivery)").unwrap()
});

static BOUNCE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:could\ not\ be\ delivered|couldn't\ be\ delivered|was\ not\ delivered|wasn't\ able\ to\ deliver|unable\ to\ deliver|delivery\ (?:to\ the\ following|has\ failed|failed)
        |permanent\ (?:error|failure)|undeliverable|non-delivery|not\ be\ delivered|following\ address(?:es|\(es\))?\ failed|message\ could\ not|fatal\ errors?
        |delivery\ status\ notification|returned\ to\ (?:the\ )?sender|transcript\ of\ session|the\ following\ recipient|failed\ recipient|retry\ time|giving\ up
        |rejected\ your\ message|attempting\ to\ deliver|error\ (?:has\ )?occurred|delivery\ (?:error|problem|attempts?)|has\ been\ rejected|could\ not\ deliver|nicht\ zugestellt|unzustellbar|niet\ (?:worden\ )?afgeleverd|niet\ (?:worden\ )?bezorgd|konnte\ nicht|nicht\ übermittelt|kon\ niet)",
    )
    .unwrap()
});

static DELAY_NOTICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdelay(?:ed)?\b|\bwarning\b|verzögert|vertraagd").unwrap());
static DELAY_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)warning message only|will be retried|delivery attempts will continue|has been delayed|do not need to resend|this is only a temporary failure").unwrap()
});

pub(crate) static VACATION_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:auto(?:matic)?[ -]?(?:reply|response|antwort|answer)|auto:|out\s+of\s+(?:the\s+)?office|abwesenheit|afwezig|automatisch\s+antwoord|automatische\s+antwort|vacation|on\s+vacation|autosvar|réponse\s+automatique|risposta\s+automatica|respuesta\s+autom)").unwrap()
});

static COMMAND_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:in\ reply\ to|after|>>>|most\ progress\ was|while\ sending|during|before|in\ response\ to)\s+(?:the\ )?(?:end\ of\ )?
         (?P<c>rcpt\s+to|mail\s+from|data|helo|ehlo|starttls|auth|connect|end\s+of\s+data|message\ body|quit|initial\ connection|greeting)
        |(?P<d>rcpt\s+to|mail\s+from|data)\s+(?:command|response)
        |does\ not\ like\ (?P<r>recipient)
        |\[(?P<y>rcpt_to|mail_from|data)\]",
    )
    .unwrap()
});

/// Which SMTP command an error text refers to (`RCPT`, `MAIL`, `DATA`, `HELO`, `EHLO`, `CONN`, …):
/// first from phrases like "in reply to RCPT TO command", else from upper-case command words.
pub fn command_of(text: &str) -> String {
    if let Some(c) = COMMAND_RE.captures(text) {
        if c.name("r").is_some() {
            return "RCPT".to_string();
        }
        if let Some(y) = c.name("y") {
            return match y.as_str().to_ascii_lowercase().as_str() {
                "rcpt_to" => "RCPT",
                "mail_from" => "MAIL",
                _ => "DATA",
            }
            .to_string();
        }
        let raw = c.name("c").or_else(|| c.name("d")).map(|m| m.as_str().to_ascii_lowercase()).unwrap_or_default();
        let raw: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        return match raw.as_str() {
            "rcpt to" => "RCPT",
            "mail from" => "MAIL",
            "data" | "end of data" | "message body" => "DATA",
            "helo" => "HELO",
            "ehlo" => "EHLO",
            "starttls" => "STARTTLS",
            "auth" => "AUTH",
            "quit" => "QUIT",
            _ => "CONN",
        }
        .to_string();
    }
    // The latest stage of the SMTP dialogue named in capitals wins.
    const STAGES: [(&str, &str); 9] = [
        ("HELO", "HELO"), ("EHLO", "EHLO"), ("STARTTLS", "STARTTLS"), ("AUTH ", "AUTH"), ("MAIL F", "MAIL"),
        ("RCPT", "RCPT"), ("DATA", "DATA"), ("QUIT", "QUIT"), ("XFORWARD", "XFORWARD"),
    ];
    // Where each word occurs, found in one pass for all of them.
    static WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| aho_corasick::AhoCorasick::new(STAGES.map(|(w, _)| w)).expect("valid"));
    let mut places: [Vec<usize>; STAGES.len()] = Default::default();
    for m in WORDS.find_overlapping_iter(text) {
        places[m.pattern().as_usize()].push(m.start());
    }
    let mut found = "";
    for ((word, name), places) in STAGES.into_iter().zip(&places) {
        let mut from = 0;
        for &at in places {
            if at < from {
                continue;
            }
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            let standalone = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '@' && c != '.' && c != '-');
            // A command word counts when an error reply answers it (a transcript), not in a
            // summary like "RCPT TO: a@b" under "Message details".
            let mut end = (at + 300).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let answered = crate::text::find_error_reply_code(&text[at..end]).is_some_and(|c| !c.starts_with('2'));
            if (word.ends_with(' ') || word.contains(' ') || (standalone(before) && standalone(after))) && answered {
                found = name;
                break;
            }
            from = at + word.len();
        }
    }
    found.to_string()
}

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
        || VACATION_SUBJECT.is_match(&mail.subject)
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
    let is_daemon = DAEMON_FROM.is_match(from);
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
    if first_text.contains("notificationType") || first_text.contains("\"eventType\"") {
        if let Some((kind, list, original)) = crate::ses::parse(first_text) {
            facts.kind = Some(kind);
            facts.facts = list;
            if original.is_some() {
                facts.original = original;
            }
            return facts;
        }
    }
    // 2. Read receipts are not bounces.
    if mail.report_type == "disposition-notification" {
        return facts;
    }
    // 3. RFC 3464 / 6533 DSN: a delivery-status part, or DSN fields written into the text.
    // The bounce's own sender (the reporting daemon) is never a failed recipient.
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
                if matches!(fact.action.as_str(), "delivered" | "relayed" | "expanded") || fact.status.starts_with("2.") {
                    delivered.push(fact);
                } else {
                    failed.push(fact);
                }
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
    // 5. Plain-text bounces: a bounce-like envelope or subject, and a failed recipient in the text.
    let null_sender = h.get("return-path").is_some_and(|v| v.trim() == "<>") || lower_address(from).is_empty();
    let strong = is_daemon
        || null_sender
        || has_dsn_part
        || h.get("x-failed-recipients").is_some()
        || BOUNCE_SUBJECT_START.is_match(&mail.subject);
    let weak = BOUNCE_SUBJECT.is_match(&mail.subject) && BOUNCE_TEXT.is_match(&facts.report_text);
    if !strong && !weak {
        return facts;
    }
    if text_recipients.is_empty() {
        if let Some(list) = h.get("x-failed-recipients") {
            text_recipients = text::addresses(list)
                .map(|a| text::TextRecipient { address: a.to_string(), block: String::new() })
                .collect();
        }
    }
    if text_recipients.is_empty() {
        // No address in the report, but a diagnostic: the failed recipient is the original's To.
        let has_diag = text::find_reply_code(&facts.report_text).is_some() || text::find_status(&facts.report_text).is_some();
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
    let delayed = DELAY_NOTICE.is_match(&mail.subject) || DELAY_TEXT.is_match(&facts.report_text);
    facts.kind = Some(Kind::Bounce);
    facts.facts = text_recipients
        .into_iter()
        .map(|r| {
            let status = text::find_error_status(&r.block).unwrap_or_default();
            let mut command = command_of(&r.block);
            if command.is_empty() {
                command = command_of(&facts.report_text);
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
    facts
}

fn dedupe(facts: Vec<Fact>) -> Vec<Fact> {
    let mut seen = std::collections::HashSet::with_capacity(facts.len());
    facts
        .into_iter()
        .filter(|f| f.address.is_empty() || seen.insert(f.address.to_ascii_lowercase()))
        .collect()
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
    if status.is_empty() || (generic(status) && !generic(&in_text)) {
        in_text
    } else {
        status.to_string()
    }
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
    let (headers, found_as) = match &mail.original {
        Some(o) if !o.headers.is_empty() => (o.headers.clone(), o.found_as.clone()),
        _ => {
            let all: String = mail.parts.iter().filter(|p| p.ctype.starts_with("text/")).map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
            let block = text::inline_original_headers(&all)?;
            (Headers::parse(&block), "inline".to_string())
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
    }
}
