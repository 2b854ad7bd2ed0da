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

/// The compiled vocabulary. Every set matches case-insensitively, and a space in a pattern
/// stands for any run of white space (line breaks included).
#[derive(Debug)]
pub struct Detect {
    /// From/Sender of a reporting daemon.
    pub sender: Regex,
    /// A bounce subject, anywhere in the subject.
    pub subject: Regex,
    /// A subject that is a bounce subject from its start (after a `[tag]`, `Fwd:`, `Re:`).
    pub subject_start: Regex,
    /// Words that state a failed delivery.
    pub intro: Regex,
    /// Free-text phrases that name the failed recipient; group `a` is the address.
    pub recipient_intro: Vec<Regex>,
    pub delay_subject: Regex,
    pub delay_text: Regex,
    pub challenge_subject: Regex,
    pub challenge_text: Regex,
    pub challenge_sender: Regex,
    pub vacation_subject: Regex,
    /// The raw subject patterns (the header first look compiles them over bytes).
    pub subject_patterns: Vec<String>,
    pub vacation_patterns: Vec<String>,
    pub sender_patterns: Vec<String>,
}

/// Bring a pattern to the matching form: a literal space matches any white space.
pub fn loose(p: &str) -> String {
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
            ' ' if in_class == 0 => out.push_str(r"\s+"),
            c => out.push(c),
        }
    }
    out
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
        let f: DetectFile = toml::from_str(text).map_err(|e| format!("{file}: {}", e.to_string().lines().next().unwrap_or("")))?;
        let one = |section: &str, patterns: &[String]| -> Result<Regex, String> {
            for p in patterns {
                Regex::new(&loose(p)).map_err(|e| format!("{file}: [{section}] bad pattern '{p}': {}", e.to_string().lines().last().unwrap_or("")))?;
            }
            regex::RegexBuilder::new(&alternation(patterns)).size_limit(64 << 20).build().map_err(|e| format!("{file}: [{section}]: {e}"))
        };
        let start: Vec<String> = f.subject_start.patterns.iter().map(|p| format!(r"^\s*(?:\[[^\]]*\]\s*)?(?:(?:fwd?|aw|wg|tr|rv|re):\s*)*(?:{p})")).collect();
        let mut recipient_intro = Vec::new();
        for p in &f.recipient_intro.patterns {
            let re = Regex::new(&format!("(?i){}", loose(p))).map_err(|e| format!("{file}: [recipient_intro] bad pattern '{p}': {}", e.to_string().lines().last().unwrap_or("")))?;
            if re.capture_names().all(|n| n != Some("a")) {
                return Err(format!("{file}: [recipient_intro] pattern '{p}' has no group named `a` for the address"));
            }
            recipient_intro.push(re);
        }
        Ok(Detect {
            sender: one("sender", &f.sender.patterns)?,
            subject: one("subject", &f.subject.patterns)?,
            subject_start: one("subject_start", &start)?,
            intro: one("intro", &f.intro.patterns)?,
            recipient_intro,
            delay_subject: one("delay.subject", &f.delay.subject)?,
            delay_text: one("delay.text", &f.delay.text)?,
            challenge_subject: one("challenge.subject", &f.challenge.subject)?,
            challenge_text: one("challenge.text", &f.challenge.text)?,
            challenge_sender: one("challenge.sender", &f.challenge.sender)?,
            vacation_subject: one("vacation.subject", &f.vacation.subject.iter().map(|p| format!(r"^\s*(?:{p})")).collect::<Vec<_>>())?,
            subject_patterns: f.subject.patterns,
            vacation_patterns: f.vacation.subject,
            sender_patterns: f.sender.patterns,
        })
    }

    /// Is this message a challenge-response or whitelist request (a person must confirm they
    /// sent it)? Such a message is not a bounce, whatever its subject.
    pub fn is_challenge(&self, from: &str, subject: &str, text: &str) -> bool {
        self.challenge_sender.is_match(from) || self.challenge_subject.is_match(subject) || self.challenge_text.is_match(text)
    }
}

/// The built-in vocabulary (`rules/detect.toml`, compiled into the binary).
pub static DETECT: LazyLock<Detect> =
    LazyLock::new(|| Detect::parse("rules/detect.toml", include_str!("../rules/detect.toml")).expect("rules/detect.toml is valid (tested)"));

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
        assert_eq!(loose("could not be"), r"could\s+not\s+be");
        assert_eq!(loose("[ a]b c"), r"[ a]b\s+c");
        let re = Regex::new(&alternation(&["could not be delivered".into()])).unwrap();
        assert!(re.is_match("COULD NOT\n  be delivered"));
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
