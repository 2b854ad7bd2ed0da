//! Which line of a plain-text report names a failed recipient, and the address it names: the
//! ways MTAs write such a line, as patterns tried in order.

use super::{addresses, find_status};
use regex::Regex;
use std::sync::LazyLock;

/// Lines about the sender, the route or the message itself: the addresses in them are no failed
/// recipient's.
const NOT_RECIPIENT: &str = r"(?ix)(?:
      mail\s+from\s*:? | envelope-from | return-path | reply-to | \bsender\b | \bfrom\s*: | \bfrom\ <
    | errors-to | message-id | \bby\s+\S+\s+with | ^\s*to\s*: | ^\s*cc\s*:
    | \bhelo\b | \behlo\b | your\ message\ (?:to|was\ sent) | \boriginal\ message\ was\ received
    | \bfor\ <[^>]+>;
    )";
static NOT_RECIPIENT_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(NOT_RECIPIENT).unwrap());
/// The same without its word boundaries: it matches wherever [`NOT_RECIPIENT_LINE`] does. On a
/// line that is not ASCII a Unicode word boundary makes the other's automaton give way to a
/// slower engine; this one reads any line, and only a line it matches needs the other.
static NOT_RECIPIENT_LOOSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&NOT_RECIPIENT.replace(r"\b", "")).unwrap());

/// Is `line` about the sender, the route or the message ([`NOT_RECIPIENT_LINE`])?
fn is_not_recipient_line(line: &str) -> bool {
    (line.is_ascii() || NOT_RECIPIENT_LOOSE.is_match(line)) && NOT_RECIPIENT_LINE.is_match(line)
}

/// The ways a line names a recipient, tried in this order after an optional bullet; each
/// captures the address as group `a`.
const INTRO_BRANCHES: &[&str] = &[
    r#"(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?(?P<a>[^\s<>]+@[^\s<>]+?)>?\s*$"#,
    r#".{0,20}rcpt\s+to:\s*<?(?P<a>[^>\s]+@[^>\s]+?)>?(?:\s|$)"#,
    r#"<(?P<a>[^>\s]+@[^>\s]+)>\s*(?::|\.\.\.|\s*$|\s+\(|\s+on\s|\s+-|,)"#,
    r#""?(?P<a>[^\s<>"(),:;\[]+@[^\s<>"(),:;\[]+?)"?\s*(?::|\.\.\.|$|\s+on\s+\w+|\s+\(|\s*<|\s*\[|\s+-)"#,
    r#"(?:recipient|to|address|destinataire|empfänger|adres|ontvanger)(?:\s+address)?\s*:\s*<?(?P<a>[^\s<>]+@[^\s<>]+?)>?\s*$"#,
    r#"[^<>@\n]{1,60}\s<(?P<a>[^>\s]+@[^>\s]+)>\s*$"#,
    r#"[^<>@\n]{1,60}\s\((?P<a>[^)\s]+@[^)\s]+)\)\s*$"#,
    r#"'(?P<a>[^'\s]+@[^'\s]+)'\s*(?::.*)?$"#,
    r#"[245]\d\d[\s-]+<(?P<a>[^>\s]+@[^>\s]+)>\.\.\."#,
    r#".{0,80}\b(?:to|for)\s+<(?P<a>[^>\s]+@[^>\s]+)>[.:,]?\s*$"#,
    r#".{0,40}(?:fail|error|undeliver|could\ not|unable|rejected|bounced|unknown|invalid|full|no\ such).{0,60}:\s*<?(?P<a>[^\s<>]+@[^\s<>]+?)>?\s*$"#,
    r#".{0,40}\baddress:\s*<(?P<a>[^>\s]+@[^>\s]+)>"#,
    r#".{0,40}(?:undeliverable|undelivered|failed|failure|not\ (?:be\ )?delivered|unable\ to\ deliver|rejected)\ .{0,20}\bto\s+<?(?P<a>[^\s<>]+@[^\s<>]+?)>?[.:,]?\s*$"#,
    r#".{0,80}\brecipient\s+<(?P<a>[^>\s]+@[^>\s]+)>"#,
    r#"(?P<a>[^\s<>"(),:;\[]+@[^\s<>"(),:;\[]+)\s+.{0,40}(?:invalid|error|unknown|fail|reject|full|denied)"#,
    r#".{0,60}(?:unable\ to\ deliver|could\ not\ (?:be\ )?deliver\w*|delivery\ (?:to|failed)).{0,40}<(?P<a>[^>\s]+@[^>\s]+)>"#,
];

/// Each branch as its own pattern: bullet, then the branch. Over bytes and without Unicode
/// classes: the bounded `.{0,N}` gaps would otherwise each compile to N UTF-8 decoders. Every
/// group is delimited by ASCII, so a captured address is whole UTF-8.
fn intro_patterns() -> impl Iterator<Item = String> {
    INTRO_BRANCHES.iter().map(|b| format!(r"(?ix-u)^\s*(?:>>>\s*|\*\s+|-\s+|•\s*|\d+\.\s+)?(?:{b})"))
}

/// The patterns parsed, once for both automata below: over bytes (the `-u` of each pattern).
fn intro_hirs() -> impl Iterator<Item = regex_syntax::hir::Hir> {
    intro_patterns().map(|p| regex_syntax::ParserBuilder::new().utf8(false).build().parse(&p).unwrap())
}

/// The branches that could match a line: each with its bounded repetitions (`.{0,80}`) made
/// unbounded, all as the patterns of one automaton that lists every pattern matching at the start
/// of the line. What a loosened branch matches includes what the branch matches, so the first
/// branch that matches is among those listed. A bounded gap makes a state for every position it
/// can be at: the exact branches as one automaton took 12 MB of states on the dev corpus' lines,
/// and a search was a cache miss a byte; loosened they take a tenth of that.
static INTRO_CANDIDATES: LazyLock<regex_automata::meta::Regex> = LazyLock::new(|| {
    let loosened: Vec<regex_syntax::hir::Hir> = intro_hirs().map(unbounded).collect();
    regex_automata::meta::Regex::builder()
        .configure(
            regex_automata::meta::Regex::config()
                .utf8_empty(false)
                .match_kind(regex_automata::MatchKind::All)
                .hybrid_cache_capacity(4 << 20),
        )
        .build_many_from_hir(&loosened)
        .unwrap()
});

/// `hir` with every repetition of more than one (`{1,60}`, `{0,20}`) unbounded and without its
/// capture groups: a pattern that matches wherever `hir` does, and more.
fn unbounded(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind};
    match hir.into_kind() {
        HirKind::Repetition(mut r) => {
            if r.max.is_some_and(|max| max > 1) {
                r.max = None;
            }
            r.sub = Box::new(unbounded(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(c) => unbounded(*c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(unbounded).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(unbounded).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Look(l) => Hir::look(l),
    }
}

/// The branches one by one, to capture the address of the first that matches.
static INTRO_EACH: LazyLock<Vec<regex_automata::meta::Regex>> = LazyLock::new(|| {
    intro_hirs()
        .map(|hir| {
            regex_automata::meta::Regex::builder()
                .configure(regex_automata::meta::Regex::config().utf8_empty(false))
                .build_from_hir(&hir)
                .unwrap()
        })
        .collect()
});

/// The first branch that matches `line`, and the span of its address (group `a`).
fn intro_branch(line: &str) -> Option<(usize, std::ops::Range<usize>)> {
    let input = regex_automata::Input::new(line).anchored(regex_automata::Anchored::Yes);
    let mut candidates = regex_automata::PatternSet::new(INTRO_BRANCHES.len());
    INTRO_CANDIDATES.which_overlapping_matches(&input, &mut candidates);
    for p in candidates.iter() {
        let branch = &INTRO_EACH[p.as_usize()];
        let mut caps = branch.create_captures();
        branch.search_captures(&input, &mut caps);
        if caps.is_match() {
            return Some((p.as_usize(), caps.get_group_by_name("a")?.range()));
        }
    }
    None
}

pub(super) fn intro_address(line: &str) -> Option<String> {
    // Every way of naming a recipient has an address in it.
    memchr::memchr(b'@', line.as_bytes())?;
    if is_not_recipient_line(line) && !line.to_ascii_lowercase().contains("rcpt to") {
        return None;
    }
    if is_reply_mentioning_address(line) {
        return None;
    }
    let (_, address) = intro_branch(line)?;
    let addr = line.get(address)?.trim_end_matches(['.', ',', ';', ':']);
    addresses(addr).next().map(str::to_string)
}

/// An SMTP reply line whose text mentions an address after other words ("550 malformed
/// address: x may not follow <a@b>", "550 5.7.1 mail from <s@d> refused"): the server's words
/// about that address, not a line naming a failed recipient ("550 5.1.1 <a@b>... unknown" is).
fn is_reply_mentioning_address(line: &str) -> bool {
    let mut t = line.trim_start();
    // "Remote host said: 550 …" (qmail), "host x said: 550 …" (Postfix).
    if let Some(i) = t.find("said:") {
        // "<a@b>: host x said: …" names the recipient first: that is an intro line.
        if t[..i].contains('@') {
            return false;
        }
        t = t[i + 5..].trim_start();
    }
    let b = t.as_bytes();
    if b.len() < 5
        || !b[..3].iter().all(u8::is_ascii_digit)
        || !matches!(b[0], b'2' | b'4' | b'5')
        || !matches!(b[3], b' ' | b'-')
    {
        return false;
    }
    let mut rest = t[4..].trim_start();
    // An enhanced status code may follow the reply code.
    if let Some(first) = rest.split_whitespace().next()
        && find_status(first).is_some()
    {
        rest = rest[first.len()..].trim_start();
    }
    let Some(at) = rest.find('@') else { return false };
    // The words before the address's own token (its local part, a bracket or a quote).
    let before = &rest[..at];
    let words =
        before.split_whitespace().count() - usize::from(!before.ends_with(char::is_whitespace) && !before.is_empty());
    words >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loose pattern first, then the exact one, says what the exact one says alone: on the
    /// demo mailbox's lines and on lines that are not ASCII, with and without a word boundary.
    #[test]
    fn not_recipient_lines_are_told_as_by_the_exact_pattern() {
        let mut lines = crate::demo::lines();
        lines.extend(
            [
                "Absender: MAILER-DAEMON (Zustellsystem) sender <ä@b.example>",
                "Ösender <ä@b.example>",
                "Empfänger: a@b.example, envoyé from <x@y.example>",
                "Empfänger a@b.example by mx.b.example with ESMTP",
                "Réponse à a@b.example: helo ok",
            ]
            .map(str::to_string),
        );
        // The loose pattern has no word boundary left (else it is as slow as the exact one).
        assert!(!NOT_RECIPIENT_LOOSE.as_str().contains(r"\b") && NOT_RECIPIENT.contains(r"\b"));
        let mut told = 0;
        for line in &lines {
            assert_eq!(is_not_recipient_line(line), NOT_RECIPIENT_LINE.is_match(line), "{line:?}");
            told += usize::from(!line.is_ascii() && NOT_RECIPIENT_LINE.is_match(line));
        }
        assert!(told >= 3, "only {told} lines that are not ASCII match");
    }

    /// The branch taken is the first branch that matches, as a `RegexSet` over the same
    /// patterns would list first, and every branch that matches is a candidate: on every line
    /// of the demo mailbox, on lines that match several branches at once, and on one where a
    /// loosened branch matches before the first that does.
    #[test]
    fn the_first_matching_branch_is_the_one_taken() {
        let set = regex::bytes::RegexSet::new(intro_patterns()).unwrap();
        let mut lines = crate::demo::lines();
        lines.extend(
            [
                "Final-Recipient: rfc822; a@b.example",
                "  <a@b.example>: host mx.b.example said: 550 5.1.1 user unknown (in reply to RCPT TO command)",
                "RCPT TO:<a@b.example> 550 5.1.1 unknown",
                "a@b.example: delivery failed, mailbox unknown",
                "Delivery to the following recipient failed permanently: a@b.example",
                "* a@b.example",
                "550 <a@b.example>... User unknown",
                "Could not deliver to <a@b.example>",
                // A loosened branch that matches where the branch does not (rcpt to after more
                // than 20 characters), before the branch that does.
                "delivery failed for the message sent via rcpt to: a@b.example",
            ]
            .map(String::from),
        );
        let mut several = 0;
        let mut passed_over = 0;
        for line in &lines {
            let all: Vec<usize> = set.matches(line.as_bytes()).iter().collect();
            several += usize::from(all.len() > 1);
            let mut candidates = regex_automata::PatternSet::new(INTRO_BRANCHES.len());
            INTRO_CANDIDATES.which_overlapping_matches(
                &regex_automata::Input::new(line).anchored(regex_automata::Anchored::Yes),
                &mut candidates,
            );
            assert!(all.iter().all(|&b| candidates.contains(regex_automata::PatternID::must(b))), "{line}");
            passed_over += usize::from(
                all.first().is_some_and(|&first| candidates.iter().next().map(|p| p.as_usize()) != Some(first)),
            );
            assert_eq!(intro_branch(line).map(|(branch, _)| branch), all.first().copied(), "{line}");
        }
        assert!(several >= 3, "only {several} lines match more than one branch");
        assert!(passed_over >= 1, "no line has a loosened branch before the one that matches");
    }
}
