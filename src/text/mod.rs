//! Plain-text bounce scanning: status and reply codes, addresses, the inline copy of the original,
//! and the per-recipient blocks that MTAs write in their human-readable reports.

use regex::Regex;
use std::sync::LazyLock;

mod intro;

use intro::intro_address;

/// An enhanced status code with what may stand around it; the code is the match's ASCII digits
/// and dots from its first digit on (read without capture groups, which cost more than the search).
static STATUS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9.])[245]\.[0-9]{1,3}\.[0-9]{1,3}(?:[^0-9.]|\.(?:[^0-9]|$)|$)").unwrap());
/// A reply code after what may introduce it (never a digit): the code is the match's first three digits.
const REPLY: &str = r#"(?:^|[\s:(\[<"'#=;]|\bsaid:?|<<<)\s*[245][0-5][0-9](?:[-\s]|$|\s*[,;.:)\]])"#;
static REPLY_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(REPLY).unwrap());
/// [`REPLY`] without its `said`: in a text without "said" it finds what [`REPLY_RE`] finds. The
/// word boundary before `said` makes [`REPLY_RE`]'s automaton give way to a slower engine on
/// text that is not ASCII; this one reads any text.
static REPLY_WITHOUT_SAID: LazyLock<Regex> = LazyLock::new(|| Regex::new(&REPLY.replace(r"|\bsaid:?", "")).unwrap());

/// The reply pattern to search `s` with: [`REPLY_RE`], or where it would be slow and `said`
/// cannot match, the same without it.
fn reply_re(s: &str) -> &'static Regex {
    if s.is_ascii() || s.contains("said") { &REPLY_RE } else { &REPLY_WITHOUT_SAID }
}

/// The code in a match of [`STATUS_RE`]: from its first digit, `d.d{1,3}.d{1,3}`, and its offset.
fn status_in(m: regex::Match<'_>) -> (String, usize) {
    let t = m.as_str().as_bytes();
    let start = t.iter().position(u8::is_ascii_digit).unwrap_or(0);
    let digits = |from: usize| from + t[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let subject_end = digits(start + 2);
    let detail_end = digits(subject_end + 1);
    (m.as_str()[start..detail_end].to_string(), m.start() + start)
}

/// The code in a match of [`REPLY_RE`]: its first three digits.
fn reply_in(m: regex::Match<'_>) -> String {
    let t = m.as_str();
    let start = t.bytes().position(|b| b.is_ascii_digit()).unwrap_or(0);
    t[start..start + 3].to_string()
}
static ADDR_RE: LazyLock<Regex> = LazyLock::new(|| {
    // Letters and digits of any script too: internationalised addresses (RFC 6531) and domains.
    Regex::new(r"[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.\-]+@(?:[\p{L}\p{N}\-]+\.)+[\p{L}\p{N}\-]{2,}|[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.\-]+@\[[0-9.:A-Fa-f]+\]").unwrap()
});

/// `s` with each run of white space made one space, and none at either end.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first RFC 3463 enhanced status code (`5.1.1`) in `s`.
pub fn find_status(s: &str) -> Option<String> {
    find_status_at(s).map(|(code, _)| code)
}

/// The first enhanced status code and its byte offset.
pub fn find_status_at(s: &str) -> Option<(String, usize)> {
    STATUS_RE.find(s).map(status_in)
}

/// All enhanced status codes in `s`, in order.
pub fn all_statuses(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some((code, at)) = find_status_at(rest) {
        out.push(code.clone());
        rest = &rest[at + code.len()..];
    }
    out
}

/// The first error status (class 4 or 5) in `s`, else the first status at all: in a transcript
/// the error matters, not the `250 2.1.5 Ok` before it.
pub fn find_error_status(s: &str) -> Option<String> {
    let all = all_statuses(s);
    all.iter().find(|c| !c.starts_with('2')).or(all.first()).cloned()
}

/// The first error reply code (4xx/5xx) in `s`, else the first reply code.
pub fn find_error_reply_code(s: &str) -> Option<String> {
    let all: Vec<String> = reply_re(s).find_iter(s).map(reply_in).collect();
    all.iter().find(|c| !c.starts_with('2')).or(all.first()).cloned()
}

/// The first SMTP reply code (`550`) in `s`.
pub fn find_reply_code(s: &str) -> Option<String> {
    reply_re(s).find(s).map(reply_in)
}

/// All e-mail addresses in `s`, in order.
pub fn addresses(s: &str) -> impl Iterator<Item = &str> {
    ADDR_RE.find_iter(s).map(|m| m.as_str().trim_matches(|c| c == '.' || c == '\'' || c == '`'))
}

/// Lines that start the copy of the original message inside a plain-text bounce.
static ORIGINAL_SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:
          -{2,}\s*this\ is\ a\ copy\ of\ (?:the|your)\ message
        | -{2,}\s*below\ this\ line\ is\ a\ copy\ of\ the\ message
        | -{2,}\s*original\ message\s*-{2,}
        | -{2,}\s*(?:unsent|returned)\ message\ follows
        | -{2,}\s*the\ (?:original|header)\ (?:message|of\ the\ original\ message)
        | -{2,}\s*original\ message\ (?:header|follows)
        | -{2,}\s*message\ header\ follows
        | -{2,}\s*\ ?(?:original\ )?message\ headers?\ follows?
        | original\ message\ headers?:?\s*$
        | -{3,}\s*original\ message\s*-{3,}
        | the\ original\ message\ (?:was|headers?)\ (?:follows|as\ follows)
        | -{2,}\s*the\ body\ of\ (?:your|the)\ message
        | content-description:\s*undelivered\ message
        | -{2,}\s*\S+\ original\ message\ (?:follows|below)
        | \|\-+\ original\ message\ headers
        | -{3,}\s*returned\ message\s*-{3,}
        | (?:included|attached|below)\ is\ a\ copy\ of\ the\ (?:original\ )?message
        )",
    )
    .unwrap()
});

/// A bounce forwarded by a person ("Begin forwarded message:" then "> "-quoted lines): the text
/// with the forwarded part unquoted, so that it reads like the bounce itself.
pub fn unquote_forwarded(text: &str) -> Option<String> {
    // The earliest of the marks, in any case: searched for in a lower-cased copy (same offsets),
    // which is several times faster than a case-blind automaton over the text.
    let lower = text.to_ascii_lowercase();
    let at = ["begin forwarded message:", "forwarded message", "original message follows"]
        .iter()
        .filter_map(|m| memchr::memmem::find(lower.as_bytes(), m.as_bytes()))
        .min()?;
    let rest = &text[at..];
    let lines: Vec<&str> = crate::lines::lines(rest).skip(1).collect();
    let non_empty = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let quoted = lines.iter().filter(|l| l.starts_with('>')).count();
    if non_empty < 3 || quoted * 2 < non_empty {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for line in lines {
        let l = line.strip_prefix('>').map(|l| l.strip_prefix(' ').unwrap_or(l)).unwrap_or(line);
        out.push_str(l);
        out.push('\n');
    }
    Some(out)
}

/// Byte offset where the inline copy of the original starts, if there is one.
pub fn original_start(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in crate::lines::inclusive(text) {
        if line.len() < 200 && may_separate(line) && ORIGINAL_SEPARATORS.is_match(line) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Can [`ORIGINAL_SEPARATORS`] match `line`? Each of its ways starts, after white space, with
/// one of a few characters: `-`, `|`, or the first letter of a phrase. A line whose first such
/// character is not ASCII (a Unicode space, say) is left to the pattern.
fn may_separate(line: &str) -> bool {
    match line.bytes().find(|b| !b.is_ascii_whitespace() && *b != 0x0b) {
        Some(b) => {
            !b.is_ascii() || matches!(b.to_ascii_lowercase(), b'-' | b'|' | b'o' | b't' | b'c' | b'i' | b'a' | b'b')
        }
        None => false,
    }
}

/// A header block following an inline separator: skip the separator and blank lines, then take
/// lines while they look like header fields.
pub fn inline_original_headers(text: &str) -> Option<String> {
    let start = original_start(text)?;
    let rest = &text[start..];
    let mut lines = crate::lines::lines(rest).skip(1).skip_while(|l| l.trim().is_empty() || !looks_like_field(l));
    let mut block = String::new();
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        let line = line.strip_prefix("> ").unwrap_or(line).trim_end();
        // A field, or the continuation of the previous one.
        if (line.starts_with([' ', '\t']) && !block.is_empty()) || looks_like_field(line) {
            block.push_str(line);
            block.push('\n');
        } else {
            break;
        }
    }
    (!block.is_empty()).then_some(block)
}

fn looks_like_field(line: &str) -> bool {
    let line = line.trim_start_matches(['>', ' ']);
    match line.split_once(':') {
        Some((name, _)) => {
            !name.is_empty() && name.len() < 40 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }
        None => false,
    }
}

/// One recipient found in a plain-text report, with the lines that describe its failure.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRecipient {
    pub address: String,
    /// The lines about this recipient (joined with `\n`), the address line included.
    pub block: String,
}

/// Find the failed recipients in the human-readable report (the text before any inline original).
/// `exclude` are addresses that are never recipients (the bounce's own From/To).
pub fn recipients(report: &str, exclude: &[String]) -> Vec<TextRecipient> {
    let lines: Vec<&str> = crate::lines::lines(report).collect();
    let mut intros: Vec<(usize, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.len() > 400 {
            continue;
        }
        if let Some(addr) = intro_address(line) {
            // "… failed: a@b, c@d and e@f." names them all.
            for addr in listed_with(line, &addr) {
                if !exclude.iter().any(|e| e.eq_ignore_ascii_case(&addr)) {
                    intros.push((i, addr));
                }
            }
        }
    }
    let mut out: Vec<TextRecipient> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (k, (i, addr)) in intros.iter().enumerate() {
        let next_intro = intros.get(k + 1).map(|(j, _)| *j).unwrap_or(lines.len());
        let block = if says_more_than_address(lines[*i], addr) {
            // "554 <addr>... User unknown" / "<addr>: host said: 550 …": the line itself is the
            // diagnostic; only indented continuation lines belong to it.
            let mut end = *i + 1;
            while end < next_intro
                && lines[end].starts_with([' ', '\t'])
                && !lines[end].trim().is_empty()
                && end < *i + 10
            {
                end += 1;
            }
            lines[*i..end].iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n")
        } else {
            block_after(&lines, *i, next_intro)
        };
        if let Some(existing) = seen.get(&addr.to_ascii_lowercase()).map(|&j| &mut out[j]) {
            // A second mention (e.g. a transcript) adds detail to the first.
            if !existing.block.contains(block.as_str()) && existing.block.len() < 4000 {
                existing.block.push('\n');
                existing.block.push_str(&block);
            }
            continue;
        }
        seen.insert(addr.to_ascii_lowercase(), out.len());
        out.push(TextRecipient { address: addr.clone(), block });
    }
    out
}

/// The addresses of a list that starts with `first` on `line` ("a@b, <c@d> and e@f."), or
/// just `first` when what follows it is not a list of addresses.
fn listed_with(line: &str, first: &str) -> Vec<String> {
    if memchr::memchr_iter(b'@', line.as_bytes()).nth(1).is_none() {
        return vec![first.to_string()];
    }
    let lower = line.to_ascii_lowercase();
    let Some(at) = lower.find(&first.to_ascii_lowercase()) else { return vec![first.to_string()] };
    let rest = &line[at..];
    let rest = rest.trim_end().trim_end_matches(['.', ':', ';']);
    let pieces: Vec<&str> = rest
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_matches(['<', '>', '"', '\'', ' ']))
        .filter(|p| !p.is_empty())
        .collect();
    let all_addresses =
        pieces.len() >= 2 && pieces.iter().all(|p| !p.contains(char::is_whitespace) && addresses(p).next() == Some(*p));
    if all_addresses { pieces.iter().map(|p| p.to_string()).collect() } else { vec![first.to_string()] }
}

/// Does the line say something about the address (an error text after it)?
fn says_more_than_address(line: &str, addr: &str) -> bool {
    let Some(at) = line.find(addr) else { return false };
    let rest = line[at + addr.len()..].trim_start_matches(['>', '"', '\'', ':', '.', ' ', ',', ']']);
    rest.len() >= 10 && rest.chars().filter(|c| c.is_alphabetic()).count() >= 6
}

/// The paragraph starting at line `start`: until a blank line that is followed by an unindented
/// line, the next recipient, or 20 lines. A paragraph without any error wording runs on.
fn block_after(lines: &[&str], start: usize, stop: usize) -> String {
    let mut end = start + 1;
    let limit = stop.min(start + 20).min(lines.len());
    while end < limit {
        let line = lines[end];
        if line.trim().is_empty() {
            let next = lines.get(end + 1).copied().unwrap_or("");
            let so_far = lines[start..end].join("\n");
            let has_detail = find_reply_code(&so_far).is_some()
                || find_status(&so_far).is_some()
                || lines[start + 1..end].iter().any(|l| l.trim().len() > 3);
            // "Technical details of permanent failure:" / "Remote host said:" introduce the
            // next paragraph: keep going.
            let introduces = lines[start..end]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end().ends_with(':'));
            if has_detail && !next.starts_with([' ', '\t']) && !introduces {
                break;
            }
        }
        end += 1;
    }
    lines[start..end].iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The codes as the capture groups of the former patterns read them.
    fn status_by_groups(s: &str) -> Option<(String, usize)> {
        static RE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?:^|[^0-9.])([245])\.([0-9]{1,3})\.([0-9]{1,3})(?:[^0-9.]|\.(?:[^0-9]|$)|$)").unwrap()
        });
        let c = RE.captures(s)?;
        Some((format!("{}.{}.{}", &c[1], &c[2], &c[3]), c.get(1).unwrap().start()))
    }

    fn replies_by_groups(s: &str) -> Vec<String> {
        static RE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?:^|[\s:(\[<"'#=;]|\bsaid:?|<<<)\s*([245][0-5][0-9])(?:[-\s]|$|\s*[,;.:)\]])"#).unwrap()
        });
        RE.captures_iter(s).map(|c| c[1].to_string()).collect()
    }

    proptest! {
        #[test]
        fn codes_read_from_the_match_are_those_of_the_groups(
            s in proptest::collection::vec(prop::sample::select(vec!["5", "4", "2", "0", "9", ".", " ", ":", "<", "(", "-", "é", "x", "5.1.1", "4.7.", "250 ", "said: "]), 0..14)
                .prop_map(|t| t.concat())
        ) {
            prop_assert_eq!(find_status_at(&s), status_by_groups(&s));
            prop_assert_eq!(REPLY_RE.find_iter(&s).map(reply_in).collect::<Vec<_>>(), replies_by_groups(&s));
            prop_assert_eq!(reply_re(&s).find_iter(&s).map(reply_in).collect::<Vec<_>>(), replies_by_groups(&s));
        }
    }

    /// The first-character check never rules out a line the separator pattern matches: every
    /// way the pattern has, in upper and lower case, after ASCII and other white space, and the
    /// demo mailbox's lines.
    #[test]
    fn the_first_character_check_keeps_every_separator() {
        let ways = [
            "---- This is a copy of the message",
            "-- Below this line is a copy of the message.",
            "------ Original Message ------",
            "--- Returned message follows",
            "-- The original message",
            "-- Original message follows",
            "-- Message header follows",
            "-- message headers follow",
            "Original message headers:",
            "--- original message ---",
            "The original message was as follows",
            "-- The body of your message",
            "Content-Description: Undelivered Message",
            "-- X original message follows",
            "|------------------------- Original message headers",
            "--- returned message ---",
            "Attached is a copy of the original message",
            "Included is a copy of the message",
            "below is a copy of the message",
        ];
        let mut lines = crate::demo::lines();
        for w in ways {
            for case in [w.to_string(), w.to_uppercase(), w.to_lowercase()] {
                for space in ["", "  ", "\t", "\x0b", "\x0c\r", "\u{a0}", "\u{2003} "] {
                    lines.push(format!("{space}{case}\n"));
                }
            }
        }
        let mut matched = 0;
        for line in &lines {
            if ORIGINAL_SEPARATORS.is_match(line) {
                matched += 1;
                assert!(may_separate(line), "{line:?}");
            }
        }
        assert!(matched >= 19 * 3 * 7, "only {matched} separators matched");
    }

    #[test]
    fn a_forwarded_bounce_is_unquoted_from_the_earliest_mark() {
        let text = "FYI\n\nBegin Forwarded Message:\n> From: MAILER-DAEMON@mx.example\n> Subject: failure\n>\n> 550 5.1.1 <a@b.example>: user unknown\n\n-- original message follows --\n";
        let out = unquote_forwarded(text).unwrap();
        assert!(out.starts_with("From: MAILER-DAEMON@mx.example\nSubject: failure\n\n550 5.1.1"), "{out}");
        assert_eq!(unquote_forwarded("no marks here\n> a\n> b\n> c\n"), None);
        assert_eq!(unquote_forwarded("forwarded message\nnot quoted\nat all\nreally\n"), None);
    }

    #[test]
    fn codes_in_bounce_lines() {
        for line in [
            "550 5.1.1 <a@b>: user unknown",
            "said: 552-5.2.2 over quota",
            "x5.7.1.",
            "Status: 4.4.7",
            "<<< 451 4.7.1 try later",
            "é5.1.10 no",
            "5.1.1234",
            "é said550 nicht zustellbar",
            "Empfänger: 550 unbekannt",
            "ésaid550",
        ] {
            assert!(!REPLY_WITHOUT_SAID.as_str().contains("said") && REPLY.contains("said"));
            assert_eq!(find_status_at(line), status_by_groups(line), "{line}");
            assert_eq!(REPLY_RE.find_iter(line).map(reply_in).collect::<Vec<_>>(), replies_by_groups(line), "{line}");
            assert_eq!(
                reply_re(line).find_iter(line).map(reply_in).collect::<Vec<_>>(),
                replies_by_groups(line),
                "{line}"
            );
        }
    }

    #[test]
    fn internationalised_addresses_are_found_without_surrounding_quotes() {
        let found: Vec<&str> =
            addresses("an “jörg@bücher.example” und <δοκιμή@παράδειγμα.δοκιμή>, a@b.example.").collect();
        assert_eq!(found, ["jörg@bücher.example", "δοκιμή@παράδειγμα.δοκιμή", "a@b.example"]);
        let r = recipients("<ä@b.example>: 550 Empfänger unbekannt\n", &[]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].address, "ä@b.example");
    }

    #[test]
    fn status_codes_not_ip_addresses() {
        assert_eq!(find_status("host 192.0.2.1 said: 550 5.1.1 <a@b> unknown"), Some("5.1.1".into()));
        assert_eq!(find_status("from 10.4.2.55"), None);
        assert_eq!(find_status("(#5.7.1)"), Some("5.7.1".into()));
        assert_eq!(find_status("Status: 4.4.7"), Some("4.4.7".into()));
        assert_eq!(find_status("version 2.4.1."), Some("2.4.1".into()));
    }

    #[test]
    fn reply_codes() {
        assert_eq!(find_reply_code("remote host said: 550 MAILBOX NOT FOUND"), Some("550".into()));
        assert_eq!(find_reply_code("<<< 552-5.2.2 full"), Some("552".into()));
        assert_eq!(find_reply_code("port 2525 closed"), None);
        assert_eq!(find_reply_code("at 192.0.2.250 in 2010"), None);
    }

    #[test]
    fn qmail_and_exim_recipients() {
        let qmail = "Hi. This is the qmail-send program.\n\n<kijitora@example.ne.jp>:\nremote host said: 550 Unknown user\n\n<b@example.org>:\n550 no mailbox\n";
        let r = recipients(qmail, &[]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].address, "kijitora@example.ne.jp");
        assert!(r[0].block.contains("Unknown user"));
        assert!(!r[0].block.contains("no mailbox"));
        let exim = "The following address(es) failed:\n\n  kijitora@example.ed.jp\n    SMTP error from remote mail server after MAIL FROM:<shironeko@example.jp> SIZE=1543:\n    host mx.example.jp [192.0.2.20]: 550 5.7.0 Please use the smtp server of your ISP.\n";
        let r = recipients(exim, &[]);
        assert_eq!(r.len(), 1);
        assert!(r[0].block.contains("550 5.7.0"));
    }

    #[test]
    fn separators() {
        let t = "report\n\n------ This is a copy of the message, including all the headers. ------\n\nMessage-Id: <x@y>\nFrom: a@b\n\nbody\n";
        assert!(original_start(t).is_some());
        assert_eq!(inline_original_headers(t).unwrap(), "Message-Id: <x@y>\nFrom: a@b\n");
    }
}
