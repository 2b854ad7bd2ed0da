//! Classification: a recipient's codes and diagnostic text → a reason from SPEC.md, plus the
//! line that explains it. Everything the decision uses comes from `rules/`.

mod describe;
mod phrase;
pub mod rules;
mod texts;

pub use describe::describe_decision;
pub use rules::{Lang, ReasonInfo, RuleError, Rules, Texts};

pub use crate::bounce::DecidedBy;
use crate::fact::Fact;

/// Where the deciding text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The recipient's own diagnostic (DSN Diagnostic-Code or its paragraph).
    Diagnostic,
    /// The recipient's paragraph in the human-readable part.
    Block,
    /// The whole human-readable report.
    Report,
}

/// The result for one recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub reason: String,
    /// The line that decided (or best explains) the reason, unfolded, untrimmed of meaning.
    pub key_line: String,
    pub origin: Origin,
    /// What decided the reason.
    pub decided_by: DecidedBy,
    /// The phrase rule that decided: its index in `Rules::phrases` plus one; 0 for none.
    pub rule: u32,
}

impl Outcome {
    fn new(reason: impl Into<String>, key_line: String, origin: Origin, decided_by: DecidedBy, rule: u32) -> Outcome {
        Outcome { reason: reason.into(), key_line, origin, decided_by, rule }
    }
}

/// A phrase rule's hit: its reason, where in the folded text, and which rule (index + 1).
#[derive(Debug, Clone)]
struct Hit {
    reason: String,
    at: usize,
    rule: u32,
}

/// A stage's decision: the reason, where the deciding phrase is (if a phrase took part), what
/// decided, and the rule.
struct Decision {
    reason: String,
    at: Option<usize>,
    by: DecidedBy,
    rule: u32,
}

/// Text folded for matching: lower case, white space collapsed; remembers where each source line starts.
struct Folded {
    text: String,
    line_starts: Vec<usize>,
    lines: Vec<String>,
    /// Which phrase rules can match `text`, and where (decisive and ordinary rules both ask).
    matching: std::cell::OnceCell<phrase::Candidates>,
}

impl Folded {
    fn new(src: &str) -> Folded {
        let mut text = String::with_capacity(src.len());
        let mut line_starts = Vec::new();
        let mut lines = Vec::new();
        let mut reply_prefix: Option<String> = None;
        for line in crate::lines::lines(src) {
            let mut t = crate::text::one_line(line);
            // Multi-line SMTP replies repeat "550-5.7.1 " on every line: keep it on the first only,
            // so that phrases read across the line breaks.
            if let Some(p) = reply_prefix.as_deref() {
                // p is "550-5.7.1" or "550-": the last line of the reply uses a space instead.
                let code = &p[..3];
                let status = &p[4..];
                if t.len() > 3 && t.starts_with(code) && matches!(t.as_bytes()[3], b'-' | b' ') {
                    let rest = t[4..].trim_start();
                    let rest = if !status.is_empty() { rest.strip_prefix(status).unwrap_or(rest) } else { rest };
                    t = rest.trim_start().to_string();
                }
            } else if let Some(p) = continuation_prefix(&t) {
                // Folded DSN fields hold the whole reply on one line: drop the repeats inside it.
                let (code, status) = (&p[..3], &p[4..]);
                if !status.is_empty() {
                    let head_len = p.len();
                    let tail = t[head_len..]
                        .replace(&format!(" {code}-{status} "), " ")
                        .replace(&format!(" {code} {status} "), " ");
                    t = format!("{}{}", &t[..head_len], tail);
                }
                reply_prefix = Some(p);
            }
            if t.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            line_starts.push(text.len());
            text.push_str(&t.to_lowercase());
            lines.push(t);
        }
        Folded { text, line_starts, lines, matching: std::cell::OnceCell::new() }
    }

    /// For each phrase rule: can it match this text, and where? Worked out once per text.
    fn matching(&self, rules: &Rules) -> &phrase::Candidates {
        self.matching.get_or_init(|| rules.matching(&self.text))
    }

    fn line_at(&self, offset: usize) -> &str {
        let i = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        self.lines.get(i).map(String::as_str).unwrap_or("")
    }
}

/// `550-5.7.1` / `550-` at the start of a multi-line SMTP reply line, as the prefix to strip from
/// the lines that follow (`550-5.7.1` or `550 5.7.1`).
fn continuation_prefix(line: &str) -> Option<String> {
    let b = line.as_bytes();
    if b.len() > 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3] == b'-' {
        let code = &line[..3];
        let rest = &line[4..];
        let status = rest.split(' ').next().filter(|s| crate::text::find_status(s).is_some()).unwrap_or("");
        return Some(if status.is_empty() { format!("{code}-") } else { format!("{code}-{status}") });
    }
    None
}

/// What a phrase rule's conditions look at.
struct Context<'a> {
    command: &'a str,
    status: &'a str,
    /// Recipient domain, remote host and reporting host, lower case.
    hosts: [String; 3],
}

impl Context<'_> {
    fn host_matches(&self, wanted: &[String]) -> bool {
        let suffix = |h: &str, w: &str| {
            h == w || (h.len() > w.len() && h.ends_with(w) && h.as_bytes()[h.len() - w.len() - 1] == b'.')
        };
        wanted.is_empty() || self.hosts.iter().any(|h| !h.is_empty() && wanted.iter().any(|w| suffix(h, w)))
    }
}

static REMOTE_HOST: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?:\bhost:?\s+|while talking to\s+|\bby\s+)([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.?\s*[\[(:]")
        .unwrap()
});

/// The host that answered: Remote-MTA, else "host X[ip] said" in the text.
fn remote_host(fact: &Fact) -> String {
    let from_field = fact.remote_mta.split([' ', '[', ';']).find(|t| t.contains('.')).unwrap_or("");
    if !from_field.is_empty() {
        return from_field.trim_end_matches('.').to_ascii_lowercase();
    }
    for text in [&fact.diagnostic, &fact.text_block] {
        if let Some(c) = REMOTE_HOST.captures(text) {
            return c[1].to_ascii_lowercase();
        }
    }
    String::new()
}

/// A decisive rule's hit, if any (provider code tables win outright).
fn decisive_hit(rules: &Rules, folded: &Folded, ctx: &Context<'_>) -> Option<Hit> {
    if folded.text.is_empty() {
        return None;
    }
    let candidates = folded.matching(rules);
    for (i, rule) in rules.phrases.iter().enumerate() {
        if candidates.could(i)
            && rule.decisive
            && applies(rule, ctx)
            && let Some(at) = candidates.start(i, rule, &folded.text)
        {
            return Some(Hit { reason: rule.reason.clone(), at, rule: i as u32 + 1 });
        }
    }
    None
}

fn applies(rule: &rules::PhraseRule, ctx: &Context<'_>) -> bool {
    // `commands`: only when the failed command is known and listed; `except_commands`: not
    // when it is known and listed.
    if !rule.commands.is_empty() && !rule.commands.iter().any(|c| c == ctx.command) {
        return false;
    }
    if !ctx.command.is_empty() && rule.except_commands.iter().any(|c| c == ctx.command) {
        return false;
    }
    if !rule.statuses.is_empty() && !rule.statuses.iter().any(|s| ctx.status.starts_with(s.as_str())) {
        return false;
    }
    ctx.host_matches(&rule.hosts)
}

/// Phrase hits: (reason, offset) for each reason, first rule wins, in rule order.
fn phrase_hits(rules: &Rules, folded: &Folded, ctx: &Context<'_>) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    if folded.text.is_empty() {
        return hits;
    }
    let candidates = folded.matching(rules);
    for (i, rule) in rules.phrases.iter().enumerate() {
        if !candidates.could(i) || rule.decisive || hits.iter().any(|h| h.reason == rule.reason) {
            continue;
        }
        if !applies(rule, ctx) {
            continue;
        }
        if let Some(at) = candidates.start(i, rule, &folded.text) {
            hits.push(Hit { reason: rule.reason.clone(), at, rule: i as u32 + 1 });
        }
    }
    hits
}

fn deferred(rules: &Rules, status_reason: &str, hits: &[&Hit]) -> bool {
    let Some(list) = rules.defer.get(status_reason) else { return false };
    hits.iter().any(|h| h.reason != status_reason && (list.iter().any(|d| d == "*" || *d == h.reason)))
}

/// Decide by the stages of `rules/phrases.toml`. `None` when neither status nor phrase says anything.
fn decide(rules: &Rules, status_reason: &str, hits: &[Hit], smtp: bool) -> Option<Decision> {
    let outranked = rules.outranks.get(status_reason);
    let hits: Vec<&Hit> = hits.iter().filter(|h| !outranked.is_some_and(|o| o.contains(&h.reason))).collect();
    let hit = |r: &str| hits.iter().find(|h| h.reason == r).copied();
    let by_phrase =
        |h: &Hit| Decision { reason: h.reason.clone(), at: Some(h.at), by: DecidedBy::Phrase, rule: h.rule };
    let by_status =
        |r: &str| Decision { reason: r.to_string(), at: hit(r).map(|h| h.at), by: DecidedBy::Status, rule: 0 };
    let status_ok = !status_reason.is_empty() && !deferred(rules, status_reason, &hits);
    // The first stage reads SMTP replies; a diagnostic of another type (X-Postfix, X-Unix: a
    // local program's words) goes straight to the second.
    for r in rules.first.iter().filter(|_| smtp) {
        if let Some(h) = hit(r) {
            return Some(by_phrase(h));
        }
        if status_ok && status_reason == r {
            return Some(by_status(r));
        }
    }
    if status_ok && !rules.weak.iter().any(|w| w == status_reason) {
        return Some(by_status(status_reason));
    }
    for r in &rules.second {
        if let Some(h) = hit(r) {
            return Some(by_phrase(h));
        }
    }
    if !status_reason.is_empty() {
        return Some(Decision { at: None, ..by_status(status_reason) });
    }
    None
}

/// The line carrying the SMTP reply or status code, else the first meaningful line.
fn code_line(folded: &Folded) -> String {
    let with_code = folded
        .lines
        .iter()
        .find(|l| crate::text::find_status(l).is_some() || crate::text::find_reply_code(l).is_some());
    with_code
        .or_else(|| folded.lines.iter().find(|l| l.len() > 8 && !l.contains('@')))
        .or(folded.lines.first())
        .cloned()
        .unwrap_or_default()
}

/// Is there any text besides the recipient's address (and bullets or brackets)?
fn says_something(text: &str, address: &str) -> bool {
    let rest = if address.is_empty() { text.to_string() } else { text.replace(address, "") };
    rest.chars().filter(|c| c.is_alphanumeric()).count() >= 3
}

/// Classify one recipient.
pub fn classify(rules: &Rules, fact: &Fact, report: &str) -> Outcome {
    // A plain-text report that names no SMTP command describes the recipient being refused:
    // take it as RCPT time (`rules.plain_text_command`).
    let mut command_owned = fact.command.clone();
    if command_owned.is_empty() && fact.plain_text {
        command_owned = rules.plain_text_command.clone();
    }
    let command = command_owned.as_str();
    let ctx = Context {
        command,
        status: &fact.status,
        hosts: [
            crate::bounce::Bounce::domain(&fact.address),
            remote_host(fact),
            fact.reporting_mta.split_whitespace().next().unwrap_or("").trim_end_matches('.').to_ascii_lowercase(),
        ],
    };
    let status_reason = rules.status_reason(&fact.status).to_string();
    let diag = Folded::new(&fact.diagnostic);
    let block = Folded::new(&fact.text_block);
    if fact.status.starts_with("2.") {
        return Outcome::new("delivered", code_line(&diag), Origin::Diagnostic, DecidedBy::Status, 0);
    }
    // 1. The reporting MTA's own category of the failure, provider code tables and documented
    // texts decide outright.
    // A tentative category (`[weak]`: "bad-mailbox" → userunknown) only decides when nothing
    // more specific does, below.
    let category = rules.category.get(&fact.category);
    if let Some(reason) = category.filter(|r| !rules.weak.contains(r)) {
        let key_line = code_line(if diag.lines.is_empty() { &block } else { &diag });
        return Outcome::new(reason.clone(), key_line, Origin::Diagnostic, DecidedBy::Provider, 0);
    }
    for (origin, folded) in [(Origin::Diagnostic, &diag), (Origin::Block, &block)] {
        if let Some(h) = decisive_hit(rules, folded, &ctx) {
            return Outcome::new(h.reason, folded.line_at(h.at).to_string(), origin, DecidedBy::Provider, h.rule);
        }
    }
    // 2–3. Phrases of the recipient's own diagnostic, else of its paragraph in the readable part,
    // weighed against the status code (rules/phrases.toml `order`, rules/status.toml).
    let mut hits = phrase_hits(rules, &diag, &ctx);
    let (mut origin, mut folded) = (Origin::Diagnostic, &diag);
    // The paragraph is read only when the DSN gave no diagnostic of its own.
    if hits.is_empty() && diag.lines.is_empty() {
        let block_hits = phrase_hits(rules, &block, &ctx);
        if !block_hits.is_empty() {
            (hits, origin, folded) = (block_hits, Origin::Block, &block);
        }
    }
    // A non-SMTP diagnostic type that still quotes a remote reply ("host x said: 550 …") is SMTP.
    let smtp = fact.diagnostic_type.is_empty()
        || fact.diagnostic_type == "smtp"
        || crate::text::find_reply_code(&fact.diagnostic)
            .is_some_and(|c| fact.diagnostic.contains(&format!("said: {c}")));
    if let Some(d) = decide(rules, &status_reason, &hits, smtp) {
        let key_line = match d.at {
            Some(at) => folded.line_at(at).to_string(),
            None => code_line(if diag.lines.is_empty() { &block } else { &diag }),
        };
        return Outcome::new(d.reason, key_line, origin, d.by, d.rule);
    }
    // Nothing specific for this recipient: look at the whole report (Lotus Notes writes the
    // reason above the address: "User not listed in public Name & Address Book\njane@…").
    let whole = Folded::new(report);
    if let Some(h) = decisive_hit(rules, &whole, &ctx) {
        return Outcome::new(h.reason, whole.line_at(h.at).to_string(), Origin::Report, DecidedBy::Provider, h.rule);
    }
    let hits = phrase_hits(rules, &whole, &ctx);
    if let Some(Decision { reason, at: Some(at), by, rule }) = decide(rules, "", &hits, true) {
        return Outcome::new(reason, whole.line_at(at).to_string(), Origin::Report, by, rule);
    }
    let key_source = if !diag.lines.is_empty() {
        &diag
    } else if !block.lines.is_empty() {
        &block
    } else {
        &whole
    };
    let key_line = code_line(key_source);
    if let Some(reason) = category {
        return Outcome::new(reason.clone(), key_line, Origin::Diagnostic, DecidedBy::Provider, 0);
    }
    // 4. The reply code, when it is all there is (rules/status.toml `[reply]`).
    let reply = if fact.reply_code.is_empty() {
        crate::text::find_error_reply_code(&key_line).unwrap_or_default()
    } else {
        fact.reply_code.clone()
    };
    if let Some(reason) = rules.reply.get(&reply) {
        return Outcome::new(reason.clone(), key_line, Origin::Diagnostic, DecidedBy::ReplyCode, 0);
    }
    // 5. The status code's class and subject, then what the report's form implies
    // (rules/status.toml `[fallback]`).
    let fb = &rules.fallback;
    let class_subject = fact.status.get(..3).and_then(|cs| fb.class_subject.get(cs));
    let by_form = if fact.diagnostic_type.starts_with("x-unix") {
        fb.local_program.as_ref()
    } else if fact.action == "delayed" {
        fb.delayed.as_ref()
    } else if matches!(command, "HELO" | "EHLO") {
        fb.greeting.as_ref()
    } else if says_something(&fact.diagnostic, &fact.address) || says_something(&fact.text_block, &fact.address) {
        fb.unrecognised.as_ref()
    } else {
        fb.silent.as_ref()
    };
    let (reason, by) = match (class_subject, by_form) {
        (Some(r), _) => (r.as_str(), DecidedBy::Status),
        (None, Some(r)) => (r.as_str(), DecidedBy::Default),
        (None, None) => ("undefined", DecidedBy::Default),
    };
    Outcome::new(reason, key_line, Origin::Diagnostic, by, 0)
}

/// Hard or soft (SPEC.md: hard = permanent, retrying is pointless), by one rule:
/// 1. a delay (`Action: delayed`) or a temporary code (status 4.x.x, else reply 4yz) is soft;
/// 2. a permanent code (status 5.x.x, else reply 5yz) is hard, unless the reason is a state
///    that passes (`transient` in rules/reasons.toml: a full mailbox, a rate limit, …);
/// 3. with no code at all, the reason's `hard` default in rules/reasons.toml decides.
pub fn is_hard(rules: &Rules, reason: &str, status: &str, reply_code: &str, action: &str) -> bool {
    let info = rules.info(reason);
    if matches!(reason, "delivered" | "feedback" | "vacation") || action == "delayed" {
        return false;
    }
    let class = status
        .bytes()
        .next()
        .filter(|c| matches!(c, b'4' | b'5'))
        .or_else(|| reply_code.bytes().next().filter(|c| matches!(c, b'4' | b'5')));
    match class {
        Some(b'4') => false,
        Some(_) => !info.transient,
        None => info.hard && !info.transient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason_of(diag: &str, status: &str) -> String {
        let rules = Rules::builtin();
        let fact = Fact {
            diagnostic: diag.into(),
            status: status.into(),
            command: crate::fact::command_of(diag),
            ..Default::default()
        };
        classify(&rules, &fact, "").reason
    }

    #[test]
    fn status_and_phrases() {
        assert_eq!(
            reason_of("550 5.1.1 <a@b>: Recipient address rejected: User unknown in local recipient table", "5.1.1"),
            "userunknown"
        );
        assert_eq!(reason_of("552 5.2.2 Mailbox full", "5.2.2"), "mailboxfull");
        assert_eq!(reason_of("550 5.1.1 mailbox full", "5.1.1"), "mailboxfull");
        assert_eq!(
            reason_of("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "5.7.1"),
            "blocked"
        );
        assert_eq!(reason_of("", "5.1.2"), "hostunknown");
        assert_eq!(reason_of("something odd happened", ""), "onhold");
        assert_eq!(reason_of("", ""), "undefined");
    }

    #[test]
    fn key_line_is_the_matching_line() {
        let rules = Rules::builtin();
        let fact = Fact {
            diagnostic: "<a@b.example>:\nhost mx said:\n  552 sorry, quota exceeded for this user\n".into(),
            ..Default::default()
        };
        let out = classify(&rules, &fact, "");
        assert_eq!(out.reason, "mailboxfull");
        assert_eq!(out.key_line, "552 sorry, quota exceeded for this user");
    }
}

#[cfg(test)]
mod stage_tests {
    use super::*;

    #[test]
    fn access_denied_at_mail_from_is_about_the_sender() {
        let rules = Rules::builtin();
        let fact = Fact {
            diagnostic: "550 5.7.1 Access denied".into(),
            status: "5.7.1".into(),
            command: "MAIL".into(),
            diagnostic_type: "smtp".into(),
            ..Default::default()
        };
        assert_eq!(classify(&rules, &fact, "").reason, "rejected");
        let at_rcpt = Fact { command: "RCPT".into(), ..fact };
        assert_eq!(classify(&rules, &at_rcpt, "").reason, "securityerror");
    }
}

#[cfg(test)]
mod hard_soft_tests {
    use super::*;

    /// The documented rule, row by row: (reason, status, reply code, action) → hard.
    #[test]
    fn hard_or_soft_follows_the_code_class_and_the_reason() {
        let rules = Rules::builtin();
        let table: &[(&str, &str, &str, &str, bool)] = &[
            // A permanent code is hard, whatever the reason…
            ("userunknown", "5.1.1", "550", "failed", true),
            ("filtered", "5.2.0", "550", "failed", true),
            ("suspend", "5.2.1", "550", "failed", true),
            ("norelaying", "5.7.1", "554", "failed", true),
            ("securityerror", "5.7.1", "", "failed", true),
            ("onhold", "5.0.0", "", "failed", true),
            ("blocked", "", "554", "", true),
            // … unless the reason is a state that passes.
            ("mailboxfull", "5.2.2", "552", "failed", false),
            ("speeding", "5.7.1", "550", "failed", false),
            ("toomanyconn", "", "554", "", false),
            ("systemfull", "5.3.1", "", "failed", false),
            ("expired", "5.4.7", "", "failed", false),
            // A temporary code or a delay is soft.
            ("userunknown", "4.1.1", "450", "failed", false),
            ("blocked", "", "421", "", false),
            ("expired", "4.4.1", "", "delayed", false),
            ("userunknown", "5.1.1", "550", "delayed", false),
            // No code: the reason's default.
            ("userunknown", "", "", "", true),
            ("hostunknown", "", "", "", true),
            ("spamdetected", "", "", "", false),
            ("mailboxfull", "", "", "", false),
            // Not bounces.
            ("vacation", "", "", "", false),
            ("delivered", "2.0.0", "250", "delivered", false),
        ];
        for &(reason, status, reply, action, hard) in table {
            assert_eq!(is_hard(&rules, reason, status, reply, action), hard, "{reason} {status} {reply} {action}");
        }
    }

    #[test]
    fn a_reply_code_alone_decides_only_when_it_says_why() {
        let rules = Rules::builtin();
        let fact = |diag: &str| Fact {
            diagnostic: diag.into(),
            reply_code: crate::text::find_reply_code(diag).unwrap_or_default(),
            ..Default::default()
        };
        let out = classify(&rules, &fact("552 requested action aborted"), "");
        assert_eq!((out.reason.as_str(), out.decided_by), ("mailboxfull", DecidedBy::ReplyCode));
        let out = classify(&rules, &fact("550 requested action not taken"), "");
        assert_eq!((out.reason.as_str(), out.decided_by), ("onhold", DecidedBy::Default));
        let out = classify(&rules, &Fact { status: "5.1.1".into(), ..fact("550 requested action not taken") }, "");
        assert_eq!((out.reason.as_str(), out.decided_by), ("userunknown", DecidedBy::Status));
        let out = classify(&rules, &fact("550 5.2.2 mailbox full"), "");
        assert_eq!(out.decided_by, DecidedBy::Phrase);
    }
}

#[cfg(test)]
mod category_tests {
    use super::*;

    #[test]
    fn an_mta_bounce_category_decides_unless_it_is_tentative() {
        let rules = Rules::builtin();
        let fact = |category: &str, diag: &str| Fact {
            category: category.into(),
            diagnostic: diag.into(),
            ..Default::default()
        };
        let out = classify(&rules, &fact("quota-issues", "550 requested action not taken"), "");
        assert_eq!((out.reason.as_str(), out.decided_by), ("mailboxfull", DecidedBy::Provider));
        // "bad-mailbox" is tentative: the text's "mailbox full" is more specific.
        assert_eq!(classify(&rules, &fact("bad-mailbox", "552 mailbox full"), "").reason, "mailboxfull");
        assert_eq!(classify(&rules, &fact("bad-mailbox", "550 requested action not taken"), "").reason, "userunknown");
        let ds = crate::dsn::parse(
            "Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\nX-PowerMTA-BounceCategory: quota-issues\n",
        );
        assert_eq!(ds.recipients[0].bounce_category, "quota-issues");
    }
}
