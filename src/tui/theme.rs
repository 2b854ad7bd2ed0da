//! Terminal styles from a palette (`crate::palette`): widgets ask `theme.role(…)`,
//! `theme.verdict(…)`, `theme.selected()` — never a raw colour. A theme file overrides only the
//! fields it names.

use crate::palette::{Colour, Palette};
pub use crate::palette::{ThemeError, builtin_names};
use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;

/// Resolved colours. Monochrome (NO_COLOR) means no colour at all.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub name: String,
    palette: Palette,
    mono: bool,
}

fn color(c: Colour) -> Color {
    match c {
        Colour::Reset => Color::Reset,
        Colour::Ansi(i) => [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ][usize::from(i & 15)],
        Colour::Indexed(i) => Color::Indexed(i),
        Colour::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

impl Theme {
    /// A built-in theme by name, or a theme file (overriding the dark theme).
    pub fn load(name_or_path: &str) -> Result<Theme, ThemeError> {
        let palette = Palette::load(name_or_path)?;
        Ok(Theme { name: palette.name.clone(), palette, mono: false })
    }

    /// Apply a theme file over this theme.
    pub fn apply(&mut self, file: &str, text: &str) -> Result<(), ThemeError> {
        self.palette.apply(file, text)?;
        self.name = self.palette.name.clone();
        Ok(())
    }

    /// No colours at all (NO_COLOR, --color never): emphasis by bold/reverse only.
    pub fn monochrome() -> Theme {
        Theme { name: "monochrome".into(), mono: true, ..Default::default() }
    }

    pub fn is_monochrome(&self) -> bool {
        self.mono
    }

    fn fg(&self, map: &BTreeMap<String, Colour>, key: &str) -> Style {
        match map.get(key) {
            Some(c) if !self.mono => Style::new().fg(color(*c)),
            _ => Style::new(),
        }
    }

    fn ui(&self, key: &str) -> Option<Color> {
        self.palette.ui.get(key).map(|c| color(*c))
    }
    pub fn text(&self) -> Style {
        self.fg(&self.palette.ui, "text")
    }
    pub fn dim(&self) -> Style {
        if self.mono { Style::new().add_modifier(Modifier::DIM) } else { self.fg(&self.palette.ui, "dim") }
    }
    pub fn header(&self) -> Style {
        self.fg(&self.palette.ui, "header").add_modifier(Modifier::BOLD)
    }
    pub fn accent(&self) -> Style {
        self.fg(&self.palette.ui, "accent").add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.fg(&self.palette.ui, "border")
    }
    pub fn warning(&self) -> Style {
        self.fg(&self.palette.ui, "warning").add_modifier(Modifier::BOLD)
    }
    /// The selected list row.
    pub fn selected(&self) -> Style {
        if self.mono {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let mut s = Style::new().add_modifier(Modifier::BOLD);
        if let Some(c) = self.ui("selected_fg") {
            s = s.fg(c);
        }
        if let Some(c) = self.ui("selected_bg") {
            s = s.bg(c);
        }
        s
    }
    /// The key diagnostic line in the message text.
    pub fn highlight(&self) -> Style {
        if self.mono {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let mut s = Style::new().add_modifier(Modifier::BOLD);
        if let Some(c) = self.ui("highlight_fg") {
            s = s.fg(c);
        }
        if let Some(c) = self.ui("highlight_bg") {
            s = s.bg(c);
        }
        s
    }
    /// A category badge by colour role (`recipient`, `mailbox`, …).
    pub fn role(&self, role: &str) -> Style {
        self.fg(&self.palette.roles, role).add_modifier(Modifier::BOLD)
    }
    /// A hard (`true`) or soft bounce mark.
    pub fn severity(&self, hard: bool) -> Style {
        self.fg(&self.palette.ui, if hard { "hard" } else { "soft" })
    }
    /// A verdict marker.
    pub fn verdict(&self, verdict: &str) -> Style {
        self.fg(&self.palette.verdicts, verdict).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_file_overrides_only_what_it_names() {
        let mut t = Theme::load("dark").unwrap();
        t.apply("mine.toml", "[roles]\nmailbox = \"#010203\"\n").unwrap();
        assert_eq!(t.role("mailbox").fg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(t.role("recipient").fg, Theme::load("dark").unwrap().role("recipient").fg);
    }

    #[test]
    fn monochrome_has_no_colours() {
        let t = Theme::monochrome();
        assert_eq!(t.role("mailbox").fg, None);
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn named_colours_stay_terminal_colours() {
        let t = Theme::load("high-contrast").unwrap();
        assert!(matches!(t.text().fg, Some(Color::White)), "{:?}", t.text().fg);
    }
}
