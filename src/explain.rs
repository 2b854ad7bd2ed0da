//! `bouncescope explain`: how one message was read and classified, in plain words, by the
//! same path as a scan.

use crate::bounce::Kind;
use crate::classify::{self, Rules};
use crate::mailbox::RawMessage;
use crate::mime;
use crate::pipeline::{build, facts_of, parse_limit};
use crate::prefilter;
use crate::sanitize;

/// A human-readable account of how a message was analysed: the same steps as a scan or a
/// report take ([`analyze_message`]), told in plain words, then the outcome per recipient and
/// what decided it.
pub fn explain(rules: &Rules, data: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let head_len = prefilter::header_end(data).unwrap_or(data.len());
    let passed = prefilter::candidate(&data[..head_len]);
    let Some(mail) = mime::parse(&data[..parse_limit(data)]) else { return "no message headers found\n".into() };
    let (mail, facts, wrapped) = facts_of(mail);
    let raw =
        RawMessage { source: String::new(), folder: String::new(), data: Vec::new(), truncated: false, offset: 0 };
    let bounce = if passed { build(rules, &raw, &mail, facts.clone()) } else { None };
    let _ = writeln!(out, "Subject: {}", mail.subject);
    let _ = writeln!(out, "From: {}", mail.headers.get("from").unwrap_or("(none)"));
    let parts: Vec<&str> = mail.parts.iter().map(|p| p.ctype.as_str()).collect();
    let _ = writeln!(out, "Parts: {}", if parts.is_empty() { "(none)".to_string() } else { parts.join(", ") });
    if !passed {
        let _ =
            writeln!(out, "First look: nothing in the headers suggests a bounce, so a scan passes this message over.");
    }
    let kind = match (&bounce, facts.kind) {
        (Some(b), _) => match b.kind {
            Kind::Bounce if facts.facts.iter().all(|f| f.action == "delayed") => {
                "a delay warning (delivery is still being retried)"
            }
            Kind::Bounce if facts.facts.iter().any(|f| f.plain_text) => "a bounce (a plain-text report)",
            Kind::Bounce => "a bounce (a delivery-status report)",
            Kind::Vacation => "an auto-reply (not a bounce)",
            Kind::Feedback => "a feedback-loop report (not a bounce)",
            Kind::Delivered => "a successful-delivery report (not a bounce)",
        },
        (None, _) => "not a bounce: no report, no failed recipient found",
    };
    if wrapped && bounce.is_some() {
        let _ = writeln!(
            out,
            "It carries a report as an attached message: that report is read (its Subject and From above)."
        );
    }
    let _ = writeln!(out, "This is {kind}.");
    match &facts.original {
        Some(o) => {
            let _ = writeln!(
                out,
                "Returned original ({}): Message-ID {}, From {}",
                o.found_as,
                if o.message_id.is_empty() { "(none)" } else { &o.message_id },
                if o.from.is_empty() { "(none)" } else { &o.from }
            );
        }
        None => {
            let _ = writeln!(out, "Returned original: none in the message.");
        }
    }
    if let Some(b) = &bounce {
        for (i, (f, r)) in facts.facts.iter().zip(&b.recipients).enumerate() {
            let _ = writeln!(
                out,
                "\nRecipient {}: {}",
                i + 1,
                if r.address.is_empty() { "(no address)" } else { &r.address }
            );
            let mut codes = Vec::new();
            for (name, v) in [
                ("status", &f.status),
                ("reply code", &f.reply_code),
                ("command", &f.command),
                ("action", &f.action),
                ("diagnostic type", &f.diagnostic_type),
            ] {
                if !v.is_empty() {
                    codes.push(format!("{name} {v}"));
                }
            }
            let _ =
                writeln!(out, "  Facts: {}", if codes.is_empty() { "no codes".to_string() } else { codes.join(", ") });
            if !f.diagnostic.is_empty() {
                let _ = writeln!(out, "  Diagnostic: {}", sanitize::line(&f.diagnostic));
            }
            if !f.text_block.is_empty() && f.text_block != f.diagnostic {
                let _ = writeln!(out, "  Its paragraph in the report: {}", sanitize::line(&f.text_block));
            }
            let info = rules.info(&r.reason);
            let _ = writeln!(
                out,
                "  Reason: {} ({}), {}",
                r.reason,
                info.display,
                if r.hard { "hard (permanent: do not retry)" } else { "soft (may pass: retrying can work)" }
            );
            let how = classify::describe_decision(
                rules,
                crate::i18n::Lang::En,
                r.decided_by,
                r.rule,
                &r.status,
                &r.reply_code,
                &r.diagnostic,
            );
            let _ = writeln!(out, "  Decided by: {} — {how}", r.decided_by.as_str());
            if !r.diagnostic.is_empty() {
                let _ = writeln!(out, "  Key line: {}", r.diagnostic);
            }
        }
    }
    // Everything above comes from the message: nothing in it may act on the terminal.
    sanitize::text(&out)
}
