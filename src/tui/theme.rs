//! Themes: colours by meaning. Widgets ask `theme.role(…)`, `theme.verdict(…)`,
//! `theme.selected()` — never a raw colour. A theme file overrides only the fields it names.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
    ("colorblind", include_str!("../../themes/colorblind.toml")),
];

/// The names of the built-in themes.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    ui: BTreeMap<String, String>,
    #[serde(default)]
    roles: BTreeMap<String, String>,
    #[serde(default)]
    verdicts: BTreeMap<String, String>,
}

const UI_KEYS: &[&str] =
    &["text", "dim", "header", "accent", "border", "selected_fg", "selected_bg", "highlight_fg", "highlight_bg", "warning"];
const ROLE_KEYS: &[&str] = &["recipient", "mailbox", "content", "reputation", "auth", "rate", "transient", "info", "unknown"];
const VERDICT_KEYS: &[&str] = &["real", "backscatter", "abuse", "undetermined"];

/// A theme error, naming the file and the key.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}: {message}")]
pub struct ThemeError {
    pub file: String,
    pub message: String,
}

/// Resolved colours. `None` everywhere means monochrome (NO_COLOR).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub name: String,
    ui: BTreeMap<String, Color>,
    roles: BTreeMap<String, Color>,
    verdicts: BTreeMap<String, Color>,
    mono: bool,
}

/// Parse a colour: a name, `#rrggbb` or an index 0-255.
pub fn parse_color(s: &str) -> Option<Color> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() == 6 {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return None;
    }
    if let Ok(i) = s.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    let c = match s.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    };
    Some(c)
}

impl Theme {
    /// A built-in theme by name, or a theme file (overriding the dark theme).
    pub fn load(name_or_path: &str) -> Result<Theme, ThemeError> {
        let mut theme = Theme::builtin("dark");
        if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            theme.apply(name_or_path, text)?;
            return Ok(theme);
        }
        let path = Path::new(name_or_path);
        let text = std::fs::read_to_string(path).map_err(|e| ThemeError {
            file: name_or_path.to_string(),
            message: format!("{} (built-in themes: {})", crate::mailbox::io_reason(&e), builtin_names().join(", ")),
        })?;
        theme.apply(name_or_path, &text)?;
        Ok(theme)
    }

    fn builtin(name: &str) -> Theme {
        let mut t = Theme::default();
        let text = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(BUILTIN[0].1);
        t.apply(name, text).expect("built-in themes are valid (tested)");
        t
    }

    /// Apply a theme file over this theme.
    pub fn apply(&mut self, file: &str, text: &str) -> Result<(), ThemeError> {
        let err = |message: String| ThemeError { file: file.to_string(), message };
        let tf: ThemeFile = toml::from_str(text).map_err(|e| err(e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))?;
        if let Some(n) = tf.name {
            self.name = n;
        }
        for (section, map, keys, target) in [
            ("ui", &tf.ui, UI_KEYS, &mut self.ui),
            ("roles", &tf.roles, ROLE_KEYS, &mut self.roles),
            ("verdicts", &tf.verdicts, VERDICT_KEYS, &mut self.verdicts),
        ] {
            for (k, v) in map {
                if !keys.contains(&k.as_str()) {
                    return Err(err(format!("{section}.{k}: unknown key (expected one of: {})", keys.join(", "))));
                }
                let c = parse_color(v).ok_or_else(|| err(format!("{section}.{k}: '{v}' is not a colour (a name, #rrggbb or 0-255)")))?;
                target.insert(k.clone(), c);
            }
        }
        Ok(())
    }

    /// No colours at all (NO_COLOR, --color never): emphasis by bold/reverse only.
    pub fn monochrome() -> Theme {
        Theme { name: "monochrome".into(), mono: true, ..Default::default() }
    }

    pub fn is_monochrome(&self) -> bool {
        self.mono
    }

    fn fg(&self, map: &BTreeMap<String, Color>, key: &str) -> Style {
        match map.get(key) {
            Some(c) if !self.mono => Style::new().fg(*c),
            _ => Style::new(),
        }
    }

    pub fn text(&self) -> Style {
        self.fg(&self.ui, "text")
    }
    pub fn dim(&self) -> Style {
        if self.mono { Style::new().add_modifier(Modifier::DIM) } else { self.fg(&self.ui, "dim") }
    }
    pub fn header(&self) -> Style {
        self.fg(&self.ui, "header").add_modifier(Modifier::BOLD)
    }
    pub fn accent(&self) -> Style {
        self.fg(&self.ui, "accent").add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.fg(&self.ui, "border")
    }
    pub fn warning(&self) -> Style {
        self.fg(&self.ui, "warning").add_modifier(Modifier::BOLD)
    }
    /// The selected list row.
    pub fn selected(&self) -> Style {
        if self.mono {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let mut s = Style::new().add_modifier(Modifier::BOLD);
        if let Some(c) = self.ui.get("selected_fg") {
            s = s.fg(*c);
        }
        if let Some(c) = self.ui.get("selected_bg") {
            s = s.bg(*c);
        }
        s
    }
    /// The key diagnostic line in the message text.
    pub fn highlight(&self) -> Style {
        if self.mono {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let mut s = Style::new().add_modifier(Modifier::BOLD);
        if let Some(c) = self.ui.get("highlight_fg") {
            s = s.fg(*c);
        }
        if let Some(c) = self.ui.get("highlight_bg") {
            s = s.bg(*c);
        }
        s
    }
    /// A category badge by colour role (`recipient`, `mailbox`, …).
    pub fn role(&self, role: &str) -> Style {
        self.fg(&self.roles, role).add_modifier(Modifier::BOLD)
    }
    /// A verdict marker.
    pub fn verdict(&self, verdict: &str) -> Style {
        self.fg(&self.verdicts, verdict).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_map_every_key() {
        for name in builtin_names() {
            let t = Theme::load(name).unwrap();
            assert_eq!(t.name, name);
            for k in UI_KEYS {
                assert!(t.ui.contains_key(*k), "{name}: ui.{k}");
            }
            for k in ROLE_KEYS {
                assert!(t.roles.contains_key(*k), "{name}: roles.{k}");
            }
            for k in VERDICT_KEYS {
                assert!(t.verdicts.contains_key(*k), "{name}: verdicts.{k}");
            }
        }
    }

    #[test]
    fn a_theme_file_overrides_only_what_it_names() {
        let mut t = Theme::load("dark").unwrap();
        t.apply("mine.toml", "[roles]\nmailbox = \"#010203\"\n").unwrap();
        assert_eq!(t.role("mailbox").fg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(t.role("recipient").fg, Theme::load("dark").unwrap().role("recipient").fg);
    }

    #[test]
    fn bad_theme_fields_name_file_and_key() {
        let mut t = Theme::load("dark").unwrap();
        let e = t.apply("mine.toml", "[ui]\ntext = \"nocolour\"\n").unwrap_err();
        assert_eq!(e.to_string(), "mine.toml: ui.text: 'nocolour' is not a colour (a name, #rrggbb or 0-255)");
        let e = t.apply("mine.toml", "[roles]\nfoo = \"red\"\n").unwrap_err();
        assert!(e.to_string().starts_with("mine.toml: roles.foo: unknown key"), "{e}");
        let e = Theme::load("/nonexistent/theme.toml").unwrap_err();
        assert!(e.to_string().starts_with("/nonexistent/theme.toml: no such file or folder"), "{e}");
    }

    #[test]
    fn monochrome_has_no_colours() {
        let t = Theme::monochrome();
        assert_eq!(t.role("mailbox").fg, None);
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }
}
