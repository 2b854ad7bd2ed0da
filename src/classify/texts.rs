//! What a reason or a verdict is called and what it means, per language: its name, badge,
//! colour role, hard/soft default, and an explanation and remedy in English, Dutch and German
//! (the tables of rules/reasons.toml and rules/verdicts.toml).

use serde::Deserialize;

pub use crate::i18n::Lang;

/// Name, badge, explanation and remedy in one language. Name and badge may be left out (the
/// reason's own `display` and `badge` are then shown).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    #[serde(default)]
    pub display: Option<String>,
    #[serde(default)]
    pub badge: Option<String>,
    pub explanation: String,
    pub remedy: String,
}

/// What the rules say about one reason.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReasonInfo {
    #[serde(skip_deserializing)]
    pub name: String,
    pub display: String,
    pub badge: String,
    pub role: String,
    /// Hard or soft when no status or reply code tells whether the failure is permanent.
    pub hard: bool,
    /// A state that passes (a full mailbox, a rate limit): soft even when the code is permanent.
    #[serde(default)]
    pub transient: bool,
    pub en: Texts,
    pub nl: Texts,
    pub de: Texts,
}

impl ReasonInfo {
    pub fn texts(&self, lang: Lang) -> &Texts {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
            Lang::De => &self.de,
        }
    }

    /// The display name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        self.texts(lang).display.as_deref().unwrap_or(&self.display)
    }

    /// The short badge in `lang`.
    pub fn badge(&self, lang: Lang) -> &str {
        self.texts(lang).badge.as_deref().unwrap_or(&self.badge)
    }
}
