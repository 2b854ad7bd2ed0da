//! Colours by meaning, one palette for the whole product: the theme files (`themes/*.toml`)
//! name a colour per UI element, category role and verdict. The TUI makes terminal styles of a
//! palette (`tui::theme`); the HTML report colours its page with the `light` one, so a verdict
//! or a category has the same colour on the screen and in the report.

pub use crate::error::ThemeError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    ("high-contrast", include_str!("../themes/high-contrast.toml")),
    ("colorblind", include_str!("../themes/colorblind.toml")),
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

pub const UI_KEYS: &[&str] = &[
    "text",
    "dim",
    "header",
    "accent",
    "border",
    "selected_fg",
    "selected_bg",
    "highlight_fg",
    "highlight_bg",
    "warning",
    "hard",
    "soft",
];
pub const ROLE_KEYS: &[&str] =
    &["recipient", "mailbox", "content", "reputation", "auth", "rate", "transient", "info", "unknown"];
pub const VERDICT_KEYS: &[&str] = &["real", "backscatter", "abuse", "undetermined"];

/// One colour as a theme file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The terminal's own default.
    Reset,
    /// One of the 16 terminal colours, 0–15 in the ANSI order.
    Ansi(u8),
    /// An entry of the 256-colour table.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// The 16 colour names in ANSI order (0–15).
const NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

/// Parse a colour: a name, `#rrggbb` or an index 0-255.
pub fn parse_color(s: &str) -> Option<Colour> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return Some(Colour::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return None;
    }
    if let Ok(i) = s.parse::<u8>() {
        return Some(Colour::Indexed(i));
    }
    let name = s.to_ascii_lowercase().replace(['-', '_', ' '], "").replace("grey", "gray");
    if name == "reset" || name == "default" {
        return Some(Colour::Reset);
    }
    NAMES.iter().position(|n| *n == name).map(|i| Colour::Ansi(i as u8))
}

impl Colour {
    /// As CSS (`#rrggbb`); a terminal colour gets the usual xterm value.
    pub fn css(self) -> String {
        const ANSI: [u32; 16] = [
            0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000,
            0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
        ];
        let rgb = match self {
            Colour::Reset => return "inherit".into(),
            Colour::Rgb(r, g, b) => (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b),
            Colour::Ansi(i) => ANSI[usize::from(i & 15)],
            Colour::Indexed(i) if i < 16 => ANSI[usize::from(i)],
            Colour::Indexed(i) if i >= 232 => {
                let v = 8 + 10 * u32::from(i - 232);
                (v << 16) | (v << 8) | v
            }
            Colour::Indexed(i) => {
                let i = u32::from(i - 16);
                let level = |c: u32| if c == 0 { 0 } else { 55 + 40 * c };
                (level(i / 36) << 16) | (level(i / 6 % 6) << 8) | level(i % 6)
            }
        };
        format!("#{rgb:06x}")
    }
}

/// A theme's colours by meaning.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub name: String,
    pub ui: BTreeMap<String, Colour>,
    pub roles: BTreeMap<String, Colour>,
    pub verdicts: BTreeMap<String, Colour>,
}

impl Palette {
    /// A built-in theme by name, or a theme file (overriding the dark theme).
    pub fn load(name_or_path: &str) -> Result<Palette, ThemeError> {
        let mut palette = Palette::builtin("dark");
        if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            palette.apply(name_or_path, text)?;
            return Ok(palette);
        }
        let path = Path::new(name_or_path);
        let text = std::fs::read_to_string(path).map_err(|e| ThemeError {
            file: name_or_path.to_string(),
            message: format!("{} (built-in themes: {})", crate::error::io_reason(&e), builtin_names().join(", ")),
        })?;
        palette.apply(name_or_path, &text)?;
        Ok(palette)
    }

    /// A built-in theme (the dark one for an unknown name).
    pub fn builtin(name: &str) -> Palette {
        let mut p = Palette::default();
        let text = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(BUILTIN[0].1);
        p.apply(name, text).expect("built-in themes are valid (tested)");
        p
    }

    /// Apply a theme file over this palette.
    pub fn apply(&mut self, file: &str, text: &str) -> Result<(), ThemeError> {
        let err = |message: String| ThemeError { file: file.to_string(), message };
        let tf: ThemeFile = toml::from_str(text).map_err(|e| err(crate::error::toml_message(text, &e)))?;
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
                let c = parse_color(v)
                    .ok_or_else(|| err(format!("{section}.{k}: '{v}' is not a colour (a name, #rrggbb or 0-255)")))?;
                target.insert(k.clone(), c);
            }
        }
        Ok(())
    }

    /// The CSS colour of a UI element, role or verdict (`inherit` when the theme names none).
    pub fn css(map: &BTreeMap<String, Colour>, key: &str) -> String {
        map.get(key).map_or_else(|| "inherit".to_string(), |c| c.css())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_map_every_key() {
        for name in builtin_names() {
            let p = Palette::load(name).unwrap();
            assert_eq!(p.name, name);
            for (section, map, keys) in
                [("ui", &p.ui, UI_KEYS), ("roles", &p.roles, ROLE_KEYS), ("verdicts", &p.verdicts, VERDICT_KEYS)]
            {
                for k in keys {
                    assert!(map.contains_key(*k), "{name}: {section}.{k}");
                }
            }
        }
    }

    #[test]
    fn colours_become_css() {
        assert_eq!(parse_color("#0a0B0c").unwrap().css(), "#0a0b0c");
        assert_eq!(parse_color("light-red").unwrap().css(), "#ff0000");
        assert_eq!(parse_color("grey").unwrap(), Colour::Ansi(7));
        assert_eq!(parse_color("196").unwrap().css(), "#ff0000");
        assert_eq!(parse_color("244").unwrap().css(), "#808080");
        assert_eq!(parse_color("nope"), None);
        assert_eq!(parse_color("#+12345"), None);
    }

    #[test]
    fn bad_theme_fields_name_file_and_key() {
        let mut p = Palette::load("dark").unwrap();
        let e = p.apply("mine.toml", "[ui]\ntext = \"nocolour\"\n").unwrap_err();
        assert_eq!(e.to_string(), "mine.toml: ui.text: 'nocolour' is not a colour (a name, #rrggbb or 0-255)");
        let e = p.apply("mine.toml", "[roles]\nfoo = \"red\"\n").unwrap_err();
        assert!(e.to_string().starts_with("mine.toml: roles.foo: unknown key"), "{e}");
        let e = Palette::load("/nonexistent/theme.toml").unwrap_err();
        assert!(e.to_string().starts_with("/nonexistent/theme.toml: no such file or folder"), "{e}");
    }
}
