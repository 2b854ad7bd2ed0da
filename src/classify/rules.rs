//! Loading rule files: reason texts, the status table, phrase rules. The built-in files are
//! embedded at build time; users may add their own files, which are read after them.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

pub use super::phrase::{PhraseRule, normalize_pattern};
use super::phrase::{Prefilter, compile};
pub use super::texts::{Lang, ReasonInfo, Texts};
pub use crate::error::RuleError;

/// What decides when no rule, status or reply code does (`[fallback]` in rules/status.toml):
/// the status code's class and subject, then the report's form. Each field names a reason.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    /// `"5.7" = "securityerror"`: a status code's class and subject.
    #[serde(default)]
    pub class_subject: BTreeMap<String, String>,
    /// The diagnostic came from a local program (`Diagnostic-Code: X-Unix; …`).
    pub local_program: Option<String>,
    /// A delay warning (`Action: delayed`).
    pub delayed: Option<String>,
    /// The failure came at the greeting (HELO/EHLO).
    pub greeting: Option<String>,
    /// The diagnostic says something, but nothing a rule knows.
    pub unrecognised: Option<String>,
    /// The report says nothing at all.
    pub silent: Option<String>,
}

/// One rule file. Every section is optional and a file may hold any mix of them; every other
/// table is a reason's texts (`[userunknown]`), its name checked against the vocabulary.
#[derive(Debug, Deserialize)]
struct RuleFile {
    #[serde(default)]
    order: Option<Order>,
    #[serde(default)]
    rule: Vec<RuleDef>,
    #[serde(default)]
    status: BTreeMap<String, String>,
    #[serde(default)]
    defer: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    weak: Option<Weak>,
    #[serde(default)]
    outranks: BTreeMap<String, Vec<String>>,
    /// SMTP reply code → reason, for a reply code that is all there is.
    #[serde(default)]
    reply: BTreeMap<String, String>,
    /// A reporting MTA's own bounce category (a per-recipient DSN field) → reason.
    #[serde(default)]
    category: BTreeMap<String, String>,
    #[serde(default)]
    fallback: Option<Fallback>,
    /// Display name, badge and advice per verdict.
    #[serde(default)]
    verdict: BTreeMap<String, toml::Value>,
    /// Every other table: a reason's texts.
    #[serde(flatten)]
    reasons: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Weak {
    reasons: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Order {
    first: Vec<String>,
    second: Vec<String>,
    #[serde(default)]
    plain_text_command: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    reason: String,
    #[serde(default)]
    patterns: Vec<String>,
    /// Also use the patterns of the rules for this reason (defined earlier).
    #[serde(default)]
    patterns_from: Option<String>,
    #[serde(default)]
    commands: Vec<String>,
    #[serde(default)]
    except_commands: Vec<String>,
    /// Only for recipients at these domains or mail handed to these hosts (suffix match).
    #[serde(default)]
    hosts: Vec<String>,
    /// Only with a status code starting with one of these.
    #[serde(default)]
    statuses: Vec<String>,
    /// A hit decides the reason outright (provider code tables, documented texts).
    #[serde(default)]
    decisive: bool,
}

/// Reasons of SPEC.md: every rule must name one of these.
pub const REASONS: &[&str] = &[
    "userunknown",
    "hostunknown",
    "mailboxfull",
    "mesgtoobig",
    "exceedlimit",
    "spamdetected",
    "virusdetected",
    "contenterror",
    "policyviolation",
    "blocked",
    "badreputation",
    "requireptr",
    "norelaying",
    "rejected",
    "authfailure",
    "securityerror",
    "notcompliantrfc",
    "failedstarttls",
    "speeding",
    "toomanyconn",
    "suspend",
    "hasmoved",
    "notaccept",
    "filtered",
    "expired",
    "networkerror",
    "systemerror",
    "systemfull",
    "mailererror",
    "syntaxerror",
    "onhold",
    "delivered",
    "feedback",
    "vacation",
    "undefined",
];

/// All rules, compiled.
#[derive(Debug, Clone)]
pub struct Rules {
    pub reasons: BTreeMap<String, ReasonInfo>,
    /// Display name, advice and colour role per verdict (`real`, `backscatter`, `abuse`, `undetermined`).
    pub verdicts: BTreeMap<String, ReasonInfo>,
    pub status: BTreeMap<String, String>,
    pub defer: BTreeMap<String, Vec<String>>,
    /// Status-derived reasons that second-stage phrases override.
    pub weak: Vec<String>,
    /// Status-derived reasons that outrank phrase hits of the listed reasons.
    pub outranks: BTreeMap<String, Vec<String>>,
    /// SMTP reply code → reason, used only when nothing else decides.
    pub reply: BTreeMap<String, String>,
    /// A reporting MTA's own bounce category → reason; decides first, like a provider table.
    pub category: BTreeMap<String, String>,
    /// What decides when nothing else does.
    pub fallback: Fallback,
    pub first: Vec<String>,
    pub second: Vec<String>,
    /// The SMTP command assumed for plain-text reports that name none.
    pub plain_text_command: String,
    pub phrases: Vec<PhraseRule>,
    /// Which phrase rules can match a text, in one pass (built on first use).
    prefilter: OnceLock<Prefilter>,
}

const BUILTIN: &[(&str, &str)] = &[
    ("rules/reasons.toml", include_str!("../../rules/reasons.toml")),
    ("rules/status.toml", include_str!("../../rules/status.toml")),
    ("rules/phrases.toml", include_str!("../../rules/phrases.toml")),
    ("rules/providers.toml", include_str!("../../rules/providers.toml")),
    ("rules/mta.toml", include_str!("../../rules/mta.toml")),
    ("rules/verdicts.toml", include_str!("../../rules/verdicts.toml")),
];

impl Rules {
    /// The rules built into the binary.
    pub fn builtin() -> Rules {
        let mut rules = Rules::empty();
        for (name, text) in BUILTIN {
            rules.read_file(name, text, true).expect("built-in rules are valid (tested)");
        }
        rules
    }

    fn empty() -> Rules {
        Rules {
            reasons: BTreeMap::new(),
            verdicts: BTreeMap::new(),
            status: BTreeMap::new(),
            defer: BTreeMap::new(),
            weak: Vec::new(),
            outranks: BTreeMap::new(),
            reply: BTreeMap::new(),
            category: BTreeMap::new(),
            fallback: Fallback::default(),
            first: Vec::new(),
            second: Vec::new(),
            plain_text_command: String::new(),
            phrases: Vec::new(),
            prefilter: OnceLock::new(),
        }
    }

    /// The built-in rule files as they are in folder `dir` (same names), instead of the copies
    /// compiled in: lets a rule author try an edit with the built binary, without rebuilding.
    pub fn from_dir(dir: &Path) -> Result<Rules, RuleError> {
        let mut rules = Rules::empty();
        for (name, _) in BUILTIN {
            let file = dir.join(name.trim_start_matches("rules/"));
            let text = std::fs::read_to_string(&file)
                .map_err(|e| RuleError { file: file.display().to_string(), message: crate::error::io_reason(&e) })?;
            rules.add_file(&file.display().to_string(), &text)?;
        }
        Ok(rules)
    }

    /// The built-in rules (or those of `$BOUNCESCOPE_RULES_DIR`, see [`Rules::from_dir`]) plus
    /// the user's files, read in the given order.
    pub fn with_files(paths: &[impl AsRef<Path>]) -> Result<Rules, RuleError> {
        let mut rules = match std::env::var_os("BOUNCESCOPE_RULES_DIR") {
            Some(dir) if !dir.is_empty() => Rules::from_dir(Path::new(&dir))?,
            _ => Rules::builtin(),
        };
        for p in paths {
            let p = p.as_ref();
            let text = std::fs::read_to_string(p)
                .map_err(|e| RuleError { file: p.display().to_string(), message: crate::error::io_reason(&e) })?;
            rules.add_file(&p.display().to_string(), &text)?;
        }
        Ok(rules)
    }

    /// Add one rule file. A file may hold reason tables, `[status]`/`[defer]`, and/or `[[rule]]`s.
    /// User phrase rules are tried before the built-in ones of the same reason.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), RuleError> {
        self.read_file(file, text, false)
    }

    fn read_file(&mut self, file: &str, text: &str, lazy: bool) -> Result<(), RuleError> {
        let err = |message: String| RuleError { file: file.to_string(), message };
        let rf: RuleFile = toml::from_str(text).map_err(|e| err(crate::error::toml_message(text, &e)))?;
        // The order in which reasons win, and phrase rules (a user's before the built-in ones).
        if let Some(order) = rf.order {
            for r in order.first.iter().chain(order.second.iter()) {
                check_reason(r).map_err(&err)?;
            }
            self.first = order.first;
            self.second = order.second;
            self.plain_text_command = order.plain_text_command;
        }
        let mut new_rules = Vec::new();
        for (i, r) in rf.rule.into_iter().enumerate() {
            check_reason(&r.reason).map_err(|m| err(format!("rule {}: {m}", i + 1)))?;
            let mut r = r;
            if let Some(from) = &r.patterns_from {
                let borrowed: Vec<String> = new_rules
                    .iter()
                    .chain(self.phrases.iter())
                    .filter(|p: &&PhraseRule| &p.reason == from)
                    .flat_map(|p| p.patterns.clone())
                    .collect();
                if borrowed.is_empty() {
                    return Err(err(format!(
                        "rule {} ({}): patterns_from '{from}': no earlier rule for that reason",
                        i + 1,
                        r.reason
                    )));
                }
                r.patterns.extend(borrowed);
            }
            if r.patterns.is_empty() {
                return Err(err(format!("rule {} ({}): no patterns", i + 1, r.reason)));
            }
            for p in &r.patterns {
                regex_syntax::Parser::new().parse(p).map_err(|e| {
                    err(format!(
                        "rule {} ({}): bad pattern '{p}': {}",
                        i + 1,
                        r.reason,
                        crate::text::one_line(&e.to_string())
                    ))
                })?;
            }
            let joined =
                r.patterns.iter().map(|p| format!("(?:{})", normalize_pattern(p))).collect::<Vec<_>>().join("|");
            // A user's file is compiled now, so that a rule too big for the engine is named at
            // once; the built-in files are compiled rule by rule on first use (a test
            // compiles them all).
            let compiled = OnceLock::new();
            if !lazy {
                let regex = compile(&joined).map_err(|e| {
                    err(format!("rule {} ({}): {}", i + 1, r.reason, crate::text::one_line(&e.to_string())))
                })?;
                let _ = compiled.set(regex);
            }
            new_rules.push(PhraseRule {
                reason: r.reason,
                expression: joined,
                compiled,
                patterns: r.patterns.clone(),
                commands: r.commands.iter().map(|c| c.to_ascii_uppercase()).collect(),
                except_commands: r.except_commands.iter().map(|c| c.to_ascii_uppercase()).collect(),
                hosts: r.hosts.iter().map(|h| h.trim_start_matches('.').to_ascii_lowercase()).collect(),
                statuses: r.statuses,
                decisive: r.decisive,
                file: file.to_string(),
                number: i + 1,
            });
        }
        if !new_rules.is_empty() {
            new_rules.append(&mut self.phrases);
            self.phrases = new_rules;
            self.prefilter = OnceLock::new();
        }

        // Status codes, reply codes, MTA categories and how status-derived reasons rank.
        for (code, reason) in rf.status {
            if !valid_status_key(&code) {
                return Err(err(format!("status: '{code}' is not a status code like 5.1.1 or X.1.1")));
            }
            if !reason.is_empty() {
                check_reason(&reason).map_err(|m| err(format!("status.\"{code}\": {m}")))?;
            }
            self.status.insert(code, reason);
        }
        for (reason, list) in rf.defer {
            check_reason(&reason).map_err(|m| err(format!("defer: {m}")))?;
            self.defer.insert(reason, list);
        }
        if let Some(weak) = rf.weak {
            for r in &weak.reasons {
                check_reason(r).map_err(|m| err(format!("weak: {m}")))?;
            }
            self.weak = weak.reasons;
        }
        for (code, reason) in rf.reply {
            if !(code.len() == 3
                && code.bytes().all(|b| b.is_ascii_digit())
                && matches!(code.as_bytes()[0], b'4' | b'5'))
            {
                return Err(err(format!("reply: '{code}' is not an SMTP reply code like 550")));
            }
            check_reason(&reason).map_err(|m| err(format!("reply.\"{code}\": {m}")))?;
            self.reply.insert(code, reason);
        }
        for (name, reason) in rf.category {
            check_reason(&reason).map_err(|m| err(format!("category.\"{name}\": {m}")))?;
            self.category.insert(name.to_ascii_lowercase(), reason);
        }
        for (reason, list) in rf.outranks {
            check_reason(&reason).map_err(|m| err(format!("outranks: {m}")))?;
            for r in &list {
                check_reason(r).map_err(|m| err(format!("outranks.{reason}: {m}")))?;
            }
            self.outranks.insert(reason, list);
        }
        if let Some(f) = rf.fallback {
            for (key, reason) in &f.class_subject {
                if !(key.len() == 3 && matches!(&key[..2], "4." | "5.") && key.as_bytes()[2].is_ascii_digit()) {
                    return Err(err(format!("fallback.class_subject: '{key}' is not a class and subject like 5.7")));
                }
                check_reason(reason).map_err(|m| err(format!("fallback.class_subject.\"{key}\": {m}")))?;
            }
            let named = [&f.local_program, &f.delayed, &f.greeting, &f.unrecognised, &f.silent];
            for reason in named.into_iter().flatten() {
                check_reason(reason).map_err(|m| err(format!("fallback: {m}")))?;
            }
            let old = std::mem::take(&mut self.fallback);
            self.fallback = Fallback {
                class_subject: old.class_subject.into_iter().chain(f.class_subject).collect(),
                local_program: f.local_program.or(old.local_program),
                delayed: f.delayed.or(old.delayed),
                greeting: f.greeting.or(old.greeting),
                unrecognised: f.unrecognised.or(old.unrecognised),
                silent: f.silent.or(old.silent),
            };
        }

        // Verdict texts.
        for (name, v) in rf.verdict {
            if crate::bounce::Verdict::parse(&name).is_none() {
                return Err(err(format!(
                    "verdict.{name}: unknown verdict (expected real, backscatter, abuse, undetermined)"
                )));
            }
            let mut info: ReasonInfo = v.try_into().map_err(|e: toml::de::Error| {
                err(format!("[verdict.{name}]: {}", crate::text::one_line(&e.to_string())))
            })?;
            info.name = name.clone();
            self.verdicts.insert(name.clone(), info);
        }

        // Reason texts.
        for (name, v) in rf.reasons {
            check_reason(&name).map_err(&err)?;
            let mut info: ReasonInfo = v
                .try_into()
                .map_err(|e: toml::de::Error| err(format!("[{name}]: {}", crate::text::one_line(&e.to_string()))))?;
            info.name = name.clone();
            self.reasons.insert(name, info);
        }
        Ok(())
    }

    /// For each phrase rule (in order): can it match `text` at all, and where? One pass for all rules.
    pub(crate) fn matching(&self, text: &str) -> super::phrase::Candidates {
        self.prefilter.get_or_init(|| Prefilter::new(&self.phrases)).matching(text)
    }

    /// What a status code says by itself ("" when nothing).
    pub fn status_reason(&self, status: &str) -> &str {
        if status.is_empty() {
            return "";
        }
        if let Some(r) = self.status.get(status) {
            return r;
        }
        let generic = format!("X{}", &status[1..]);
        self.status.get(&generic).map(String::as_str).unwrap_or("")
    }

    /// Display information and advice for a verdict.
    pub fn verdict_info(&self, v: crate::bounce::Verdict) -> &ReasonInfo {
        self.verdicts.get(v.as_str()).expect("every verdict has texts (tested)")
    }

    /// Display information of a reason (falls back to `undefined`).
    pub fn info(&self, reason: &str) -> &ReasonInfo {
        self.reasons.get(reason).or_else(|| self.reasons.get("undefined")).expect("undefined reason exists")
    }
}

fn valid_status_key(code: &str) -> bool {
    let mut parts = code.split('.');
    let class_ok = matches!(parts.next(), Some("2" | "4" | "5" | "X"));
    let rest: Vec<&str> = parts.collect();
    class_ok
        && rest.len() == 2
        && rest.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn check_reason(r: &str) -> Result<(), String> {
    if REASONS.contains(&r) {
        Ok(())
    } else {
        Err(format!("unknown reason '{r}' (expected one of: {})", REASONS.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load_and_cover_every_reason() {
        let r = Rules::builtin();
        for name in REASONS {
            let info = r.reasons.get(*name).unwrap_or_else(|| panic!("no texts for {name}"));
            assert!(info.badge.chars().count() <= 6, "{name}: badges fit the list column");
            for lang in [Lang::En, Lang::Nl, Lang::De] {
                assert!(!info.texts(lang).explanation.is_empty(), "{name} {lang:?}");
                assert!(!info.texts(lang).remedy.is_empty(), "{name} {lang:?}");
            }
            for lang in [Lang::Nl, Lang::De] {
                assert!(
                    info.texts(lang).display.is_some() && info.texts(lang).badge.is_some(),
                    "{name}: no {lang:?} name or badge"
                );
                assert!(info.badge(lang).chars().count() <= 6, "{name} {lang:?}: badges fit the list column");
            }
        }
        for v in crate::bounce::Verdict::ALL {
            let info = r.verdict_info(v);
            for lang in [Lang::Nl, Lang::De] {
                assert!(!info.texts(lang).remedy.is_empty(), "{v:?} {lang:?}");
                assert!(
                    info.texts(lang).display.is_some() && info.texts(lang).badge.is_some(),
                    "{v:?}: no {lang:?} name or badge"
                );
            }
        }
        assert_eq!(r.status_reason("5.1.1"), "userunknown");
        assert_eq!(r.status_reason("4.2.2"), "mailboxfull");
        assert_eq!(r.status_reason("5.0.0"), "");
    }

    #[test]
    fn bad_rule_files_are_reported_with_file_and_reason() {
        let mut r = Rules::builtin();
        let e = r.add_file("my.toml", "[[rule]]\nreason = \"nosuch\"\npatterns = ['x']\n").unwrap_err();
        assert_eq!(e.file, "my.toml");
        assert!(e.message.starts_with("rule 1: unknown reason 'nosuch'"), "{}", e.message);
        let e = r.add_file("my.toml", "[[rule]]\nreason = \"blocked\"\npatterns = ['(unclosed']\n").unwrap_err();
        assert!(e.message.starts_with("rule 1 (blocked): bad pattern '(unclosed'"), "{}", e.message);
        let e = r.add_file("s.toml", "[status]\n\"5.1\" = \"blocked\"\n").unwrap_err();
        assert_eq!(e.message, "status: '5.1' is not a status code like 5.1.1 or X.1.1");
    }

    #[test]
    fn user_rules_come_first() {
        let mut r = Rules::builtin();
        r.add_file("mine.toml", "[[rule]]\nreason = \"speeding\"\npatterns = ['zork limit']\n").unwrap();
        assert_eq!(r.phrases[0].reason, "speeding");
    }
}
