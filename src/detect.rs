//! Detection vocabulary: which senders, subjects and opening phrases make a message a delivery
//! report, which make it a delay warning, an auto-reply, or a challenge-response request (not a
//! bounce). The words live in `rules/detect.toml`; this module compiles them once.

use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Patterns {
    #[serde(default)]
    patterns: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kinds {
    #[serde(default)]
    subject: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
    #[serde(default)]
    sender: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectFile {
    sender: Patterns,
    subject: Patterns,
    subject_start: Patterns,
    intro: Patterns,
    recipient_intro: Patterns,
    delay: Kinds,
    challenge: Kinds,
    vacation: Kinds,
}

/// One set of patterns, compiled as two automata: the ASCII patterns without Unicode (smaller
/// and faster), and the others with it (a few, whose non-ASCII letters let the search skip most
/// text quickly; some also match ASCII text, such as `n['’]t`).
#[derive(Debug)]
pub struct Vocab {
    /// Over bytes: without Unicode, `.` and negated classes may match any byte.
    ascii: regex::bytes::Regex,
    other: Option<Regex>,
}

impl Vocab {
    /// Does any pattern of the set match somewhere in `text`?
    pub fn is_match(&self, text: &str) -> bool {
        self.ascii.is_match(text.as_bytes()) || self.other.as_ref().is_some_and(|o| o.is_match(text))
    }
}

/// The compiled vocabulary. Every set matches case-insensitively, and a space in a pattern
/// stands for any run of white space (line breaks included).
#[derive(Debug)]
pub struct Detect {
    /// From/Sender of a reporting daemon.
    pub sender: Vocab,
    /// A bounce subject, anywhere in the subject.
    pub subject: Vocab,
    /// A subject that is a bounce subject from its start (after a `[tag]`, `Fwd:`, `Re:`).
    pub subject_start: Vocab,
    /// Words that state a failed delivery.
    pub intro: Vocab,
    /// Free-text phrases that name the failed recipient; group `a` is the address.
    pub recipient_intro: Vec<Regex>,
    pub delay_subject: Vocab,
    pub delay_text: Vocab,
    pub challenge_subject: Vocab,
    pub challenge_text: Vocab,
    pub challenge_sender: Vocab,
    pub vacation_subject: Vocab,
    /// The raw subject patterns (the header first look compiles them over bytes).
    pub subject_patterns: Vec<String>,
    pub vacation_patterns: Vec<String>,
    pub subject_start_patterns: Vec<String>,
    pub sender_patterns: Vec<String>,
}

/// White space a space in a pattern stands for: ASCII white space and the no-break space (a
/// Unicode `\s` class would multiply the automaton for every space of hundreds of patterns). A
/// group, so that a quantifier after the space (`white ?list`) applies to all of it.
const WHITE_SPACE: &str = r"(?:[ \t\r\n\x0B\x0C\u{A0}]+)";
/// The same without the no-break space, for automata without Unicode.
const ASCII_WHITE_SPACE: &str = r"(?:[ \t\r\n\x0B\x0C]+)";

/// Bring a pattern to the matching form: a literal space matches any white space.
pub fn loose(p: &str) -> String {
    loose_with(p, WHITE_SPACE)
}

fn loose_with(p: &str, white_space: &str) -> String {
    let mut out = String::with_capacity(p.len() + 8);
    let mut chars = p.chars();
    let mut in_class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(e) = chars.next() {
                    out.push(e);
                }
            }
            '[' => {
                in_class += 1;
                out.push(c);
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(c);
            }
            ' ' if in_class == 0 => out.push_str(white_space),
            c => out.push(c),
        }
    }
    out
}

/// The same alternation over ASCII only (`(?i-u)`), for a first look at raw header bytes: the
/// patterns with non-ASCII letters are left out, so a subject with any byte outside ASCII must be
/// checked again after decoding (see `prefilter`).
pub fn ascii_alternation(patterns: &[String]) -> String {
    let ascii: Vec<String> =
        patterns.iter().filter(|p| p.is_ascii()).map(|p| loose_with(p, ASCII_WHITE_SPACE)).collect();
    if ascii.is_empty() {
        return r"[^\s\S]".to_string();
    }
    format!("(?i-u:{})", ascii.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|"))
}

/// One case-insensitive alternation of `patterns` (one that never matches when there are none).
pub fn alternation(patterns: &[String]) -> String {
    if patterns.is_empty() {
        return r"[^\s\S]".to_string();
    }
    format!("(?i:{})", patterns.iter().map(|p| format!("(?:{})", loose(p))).collect::<Vec<_>>().join("|"))
}

impl Detect {
    /// Compile a detection file; the error names the section and the pattern.
    pub fn parse(file: &str, text: &str) -> Result<Detect, String> {
        let f: DetectFile =
            toml::from_str(text).map_err(|e| format!("{file}: {}", e.to_string().lines().next().unwrap_or("")))?;
        let check = |section: &str, patterns: &[String]| -> Result<(), String> {
            // Parsing names a bad pattern; compiling once for the whole set is what costs.
            for p in patterns {
                regex_syntax::Parser::new().parse(&loose(p)).map_err(|e| {
                    format!("{file}: [{section}] bad pattern '{p}': {}", e.to_string().lines().last().unwrap_or(""))
                })?;
            }
            Ok(())
        };
        // One prefix for the whole set (an anchor), not one per pattern.
        let anchored = |section: &str, prefix: &str, patterns: &[String]| -> Result<Vocab, String> {
            check(section, patterns)?;
            let build = |re: String| {
                regex::RegexBuilder::new(&re)
                    .size_limit(64 << 20)
                    .build()
                    .map_err(|e| format!("{file}: [{section}]: {e}"))
            };
            let (ascii, other): (Vec<String>, Vec<String>) = patterns.iter().cloned().partition(|p| p.is_ascii());
            let ascii_re = regex::bytes::RegexBuilder::new(&format!("(?i-u:{prefix}){}", ascii_alternation(&ascii)))
                .size_limit(64 << 20)
                .build()
                .map_err(|e| format!("{file}: [{section}]: {e}"))?;
            Ok(Vocab {
                ascii: ascii_re,
                other: if other.is_empty() {
                    None
                } else {
                    Some(build(format!("(?i:{prefix}){}", alternation(&other)))?)
                },
            })
        };
        let one = |section: &str, patterns: &[String]| anchored(section, "", patterns);
        let start_prefix = r"^\s*(?:\[[^\]]*\]\s*)?(?:(?:fwd?|aw|wg|tr|rv|re):\s*)*";
        let mut recipient_intro = Vec::new();
        check("recipient_intro", &f.recipient_intro.patterns)?;
        for p in &f.recipient_intro.patterns {
            let re = Regex::new(&format!("(?i){}", loose(p))).map_err(|e| {
                format!("{file}: [recipient_intro] '{p}': {}", e.to_string().lines().last().unwrap_or(""))
            })?;
            if re.capture_names().all(|n| n != Some("a")) {
                return Err(format!("{file}: [recipient_intro] pattern '{p}' has no group named `a` for the address"));
            }
            recipient_intro.push(re);
        }
        Ok(Detect {
            sender: one("sender", &f.sender.patterns)?,
            subject: one("subject", &f.subject.patterns)?,
            subject_start: anchored("subject_start", start_prefix, &f.subject_start.patterns)?,
            subject_start_patterns: f.subject_start.patterns.clone(),
            intro: one("intro", &f.intro.patterns)?,
            recipient_intro,
            delay_subject: one("delay.subject", &f.delay.subject)?,
            delay_text: one("delay.text", &f.delay.text)?,
            challenge_subject: one("challenge.subject", &f.challenge.subject)?,
            challenge_text: one("challenge.text", &f.challenge.text)?,
            challenge_sender: one("challenge.sender", &f.challenge.sender)?,
            vacation_subject: anchored("vacation.subject", r"^\s*", &f.vacation.subject)?,
            subject_patterns: f.subject.patterns,
            vacation_patterns: f.vacation.subject,
            sender_patterns: f.sender.patterns,
        })
    }

    /// Is this message a challenge-response or whitelist request (a person must confirm they
    /// sent it)? Such a message is not a bounce, whatever its subject.
    pub fn is_challenge(&self, from: &str, subject: &str, text: &str) -> bool {
        self.challenge_sender.is_match(from)
            || self.challenge_subject.is_match(subject)
            || self.challenge_text.is_match(text)
    }
}

/// The built-in vocabulary (`rules/detect.toml`, compiled into the binary).
pub static DETECT: LazyLock<Detect> = LazyLock::new(|| {
    Detect::parse("rules/detect.toml", include_str!("../rules/detect.toml"))
        .expect("rules/detect.toml is valid (tested)")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_file_compiles() {
        let d = &*DETECT;
        assert!(d.subject.is_match("Undelivered Mail Returned to Sender"));
        assert!(d.subject_start.is_match("Fwd: Undeliverable: Invoice"));
        assert!(d.sender.is_match("MAILER-DAEMON@mx.example.net"));
        assert!(d.vacation_subject.is_match("Out of Office: lunch"));
        assert!(!d.subject.is_match("lunch on friday?"));
    }

    #[test]
    fn a_space_matches_any_white_space() {
        let ws = WHITE_SPACE;
        assert_eq!(loose("could not be"), format!("could{ws}not{ws}be"));
        assert_eq!(loose("[ a]b c"), format!("[ a]b{ws}c"));
        let re = Regex::new(&alternation(&["could not be delivered".into()])).unwrap();
        assert!(re.is_match("COULD NOT\n  be delivered"));
        let re = Regex::new(&alternation(&["white ?list".into()])).unwrap();
        assert!(re.is_match("whitelist") && re.is_match("white list"));
    }

    #[test]
    fn a_bad_file_names_the_section_and_the_pattern() {
        let mut text = include_str!("../rules/detect.toml").to_string();
        let at = text.find("\n[intro]").expect("an [intro] section");
        let at = at + text[at..].find("patterns = [").expect("intro patterns") + "patterns = [".len();
        text.insert_str(at, "'(unclosed', ");
        let err = Detect::parse("x.toml", &text).unwrap_err();
        assert!(err.starts_with("x.toml: [intro] bad pattern '(unclosed'"), "{err}");
    }
}
