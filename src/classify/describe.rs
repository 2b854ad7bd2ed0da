//! "Decided by": what decided a recipient's reason, in plain words and the chosen language.

use super::Folded;
use super::{DecidedBy, Lang, Rules};

/// In plain words, what decided an outcome: "the phrase rule 12 of rules/phrases.toml
/// (mailboxfull) matched …", "the status code 5.1.1 (rules/status.toml)", …
pub fn describe_decision(
    rules: &Rules,
    lang: Lang,
    by: DecidedBy,
    rule: u32,
    status: &str,
    reply_code: &str,
    key_line: &str,
) -> String {
    let f = |key: &str, args: &[(&str, &str)]| crate::i18n::f(lang, key, args);
    let phrase = (rule > 0).then(|| rules.phrases.get(rule as usize - 1)).flatten();
    if let Some(p) = phrase {
        // The words of the key line that the rule matched, as the server wrote them.
        let folded = Folded::new(key_line).text;
        let words = p.regex().find(&folded).map(|m| m.as_str().trim().to_string()).filter(|w| !w.is_empty());
        let what = if by == DecidedBy::Provider { "provider" } else { "phrase" };
        let number = p.number.to_string();
        let args = [("reason", p.reason.as_str()), ("file", p.file.as_str()), ("number", number.as_str())];
        return match words {
            Some(w) => f(&format!("decided.{what}_words"), &[&args[..], &[("words", w.as_str())]].concat()),
            None => f(&format!("decided.{what}"), &args),
        };
    }
    match by {
        DecidedBy::Status if status.starts_with("2.") => f("decided.delivered", &[("status", status)]),
        DecidedBy::Status => f("decided.status", &[("status", status)]),
        DecidedBy::ReplyCode => f("decided.reply_code", &[("code", reply_code)]),
        DecidedBy::Default => f("decided.default", &[]),
        DecidedBy::Provider => f("decided.category", &[]),
        DecidedBy::Phrase => f("decided.any_phrase", &[]),
    }
}
