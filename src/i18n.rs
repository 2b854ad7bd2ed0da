//! The catalogue: every label and sentence the TUI and the reports show, one file per language
//! (`rules/texts/{en,nl,de}.toml`, built in). Code names a text by its key (`"detail.verdict"`)
//! and fills its `{placeholders}`; reason and verdict texts stay with their rules.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The languages of the screen, the reports, and the explanations and remedies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, clap::ValueEnum, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nl,
    De,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::De => "de",
        }
    }
}

const FILES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../rules/texts/en.toml")),
    (Lang::Nl, include_str!("../rules/texts/nl.toml")),
    (Lang::De, include_str!("../rules/texts/de.toml")),
];

/// Key → text for each language, keys as `table.key`.
pub struct Catalogue {
    texts: [HashMap<String, String>; 3],
}

fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Nl => 1,
        Lang::De => 2,
    }
}

/// `table.key` → text for one file; a file that is not two levels of strings is a build defect.
fn flatten(lang: Lang, text: &str) -> HashMap<String, String> {
    let doc: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("rules/texts/{}.toml: {e}", lang.as_str()));
    let mut out = HashMap::new();
    for (table, entries) in doc {
        let toml::Value::Table(entries) = entries else {
            panic!("rules/texts/{}.toml: {table} is not a table", lang.as_str())
        };
        for (key, value) in entries {
            let toml::Value::String(s) = value else {
                panic!("rules/texts/{}.toml: {table}.{key} is not a string", lang.as_str())
            };
            out.insert(format!("{table}.{key}"), s);
        }
    }
    out
}

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue { texts: FILES.map(|(lang, text)| flatten(lang, text)) });

impl Catalogue {
    /// The built-in catalogue.
    pub fn get() -> &'static Catalogue {
        &CATALOGUE
    }

    /// Every key of a language, sorted (for the completeness test).
    pub fn keys(&self, lang: Lang) -> Vec<&str> {
        let mut keys: Vec<&str> = self.texts[index(lang)].keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    /// The text of `key` in `lang`, else in English, else "(?)" (a visible defect, never an
    /// empty label).
    pub fn text(&'static self, lang: Lang, key: &str) -> &'static str {
        self.texts[index(lang)].get(key).or_else(|| self.texts[0].get(key)).map(String::as_str).unwrap_or_else(|| {
            // An unknown key is a programming error (the tests render every screen).
            debug_assert!(false, "no text for {key}");
            "(?)"
        })
    }
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> &'static str {
    Catalogue::get().text(lang, key)
}

/// The text of `key` in `lang` with each `{name}` replaced by its value. Where `{n}` is 1 and
/// the catalogue has a `<key>_one` text (singular), that one is used.
pub fn f(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    if args.iter().any(|(k, v)| *k == "n" && *v == "1") {
        let one = format!("{key}_one");
        if Catalogue::get().texts[0].contains_key(&one) {
            return fill(t(lang, &one), args);
        }
    }
    fill(t(lang, key), args)
}

/// Replace each `{name}` of `template` by its value, and each `{name|one|other}` by `one` when
/// the value is 1 and by `other` else ("{n} {n|row|rows}"); unknown names stay as written.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let mut parts = after[..close].split('|');
            let name = parts.next()?;
            let v = args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)?;
            let chosen = match (parts.next(), parts.next()) {
                (Some(one), Some(other)) => {
                    if v == "1" {
                        one
                    } else {
                        other
                    }
                }
                _ => v,
            };
            Some((chosen, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{names}` a template uses, sorted (for the placeholder test).
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.split('|').next().unwrap_or(name)))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(fill("{n} of {m}", &[("m", "3"), ("n", "1")]), "1 of 3");
        assert_eq!(fill("a {x} {", &[]), "a {x} {");
        assert_eq!(placeholders("{b} and {a} and {b}"), vec!["a", "b"]);
        assert_eq!(f(Lang::En, "app.recipients", &[("n", "1")]), "1 recipient");
        assert_eq!(f(Lang::En, "app.recipients", &[("n", "2")]), "2 recipients");
        // Inline singular and plural, for texts with more than one count.
        let t = "{a} {a|row|rows} in {b} {b|message|messages}";
        assert_eq!(fill(t, &[("a", "1"), ("b", "3")]), "1 row in 3 messages");
        assert_eq!(fill(t, &[("a", "2"), ("b", "1")]), "2 rows in 1 message");
        assert_eq!(placeholders(t), vec!["a", "b"]);
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let c = Catalogue::get();
        let en = c.keys(Lang::En);
        for lang in [Lang::Nl, Lang::De] {
            assert_eq!(c.keys(lang), en, "{} keys differ from en", lang.as_str());
            for key in &en {
                let (e, o) = (c.text(Lang::En, key), c.text(lang, key));
                assert_eq!(placeholders(e), placeholders(o), "{}: {key}", lang.as_str());
                assert!(!o.trim().is_empty(), "{}: {key} is empty", lang.as_str());
            }
        }
    }
}
