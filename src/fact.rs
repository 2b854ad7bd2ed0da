//! The facts of one report before classification: per failed recipient (`Fact`) and per
//! message (`Facts`), and which SMTP command an error text names. `analyze` (parsed mail) and
//! `ses` (Amazon SES notifications) both produce them; `classify` and the verdict read them.

use crate::bounce::{Kind, OriginalInfo};
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
    /// The reporting MTA's own classification of the failure, lower case (PowerMTA's
    /// `X-PowerMTA-BounceCategory: bad-mailbox`), empty when none.
    pub category: String,
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

static COMMAND_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:in\ reply\ to|after|>>>|most\ progress\ was|while\ sending|during|before|in\ response\ to)\s+(?:the\ )?(?:end\ of\ )?
         (?P<c>rcpt\s+to|mail\s+from|data|helo|ehlo|starttls|auth|connect|end\s+of\s+data|message\ body|quit|initial\ connection|greeting)
        |(?P<d>rcpt\s+to|mail\s+from|data)\s+(?:command|response)
        |does\ not\ like\ (?P<r>recipient)
        |\[(?P<y>rcpt_to|mail_from|data)\]
        # qmail-remote: 'Connected to x but greeting failed.', '… but my name was rejected.',
        # '… but sender was rejected.', 'x failed on DATA command.', 'x failed after I sent the message.'
        |but\ (?P<q>greeting\ failed|my\ name\ was\ rejected|sender\ was\ rejected)
        |(?P<qd>failed\ on\ data\ command|failed\ after\ i\ sent\ the\ message|does\ not\ like\ sender)
        # Postfix: 'refused to talk to me:' answers our greeting (taken as HELO: a refused greeting
        # reads as a block); 1&1: 'for TEXT command' is the message.
        |(?P<g>refused\ to\ talk\ to\ me)
        |for\ (?P<t>text)\ command
        # Gmail's relay notices end with '(state N)': the SMTP stage it had reached.
        |\(state\ (?P<st>[0-9]{1,2})\)",
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
        if let Some(q) = c.name("q") {
            let q = q.as_str().to_ascii_lowercase();
            return if q.starts_with("greeting") {
                "CONN"
            } else if q.starts_with("my name") {
                "EHLO"
            } else {
                "MAIL"
            }
            .to_string();
        }
        if let Some(q) = c.name("qd") {
            return if q.as_str().to_ascii_lowercase().ends_with("sender") { "MAIL" } else { "DATA" }.to_string();
        }
        if c.name("g").is_some() {
            return "HELO".to_string();
        }
        if c.name("t").is_some() {
            return "DATA".to_string();
        }
        if let Some(st) = c.name("st") {
            return match st.as_str() {
                "6" | "8" | "9" => "MAIL",
                "12" => "AUTH",
                "13" => "EHLO",
                "14" => "RCPT",
                "15" | "17" | "18" => "DATA",
                _ => "",
            }
            .to_string();
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
        let raw = crate::text::one_line(&raw);
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
        ("HELO", "HELO"),
        ("EHLO", "EHLO"),
        ("STARTTLS", "STARTTLS"),
        ("AUTH ", "AUTH"),
        ("MAIL F", "MAIL"),
        ("RCPT", "RCPT"),
        ("DATA", "DATA"),
        ("QUIT", "QUIT"),
        ("XFORWARD", "XFORWARD"),
    ];
    // Where each word occurs, found in one pass for all of them.
    static WORDS: LazyLock<aho_corasick::AhoCorasick> =
        LazyLock::new(|| aho_corasick::AhoCorasick::new(STAGES.map(|(w, _)| w)).expect("valid"));
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
            let standalone =
                |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '@' && c != '.' && c != '-');
            // A command word counts when an error reply answers it (a transcript), not in a
            // summary like "RCPT TO: a@b" under "Message details".
            let end = text.floor_char_boundary(at + 300);
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
