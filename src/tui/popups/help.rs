//! The help text, generated from the keymap in the screen's language.

use super::Context;
use crate::tui::keymap::{BINDINGS, Mode};
use ratatui::text::{Line, Span};

/// Every key of every mode, with what it does.
pub fn lines(cx: &Context) -> Vec<Line<'static>> {
    let t = &cx.theme;
    let mut lines = Vec::new();
    for (mode, heading) in [
        (Mode::Main, "help.main"),
        (Mode::Picker, "help.pickers"),
        (Mode::Search, "help.search"),
        (Mode::Field, "help.field"),
        (Mode::Viewer, "help.viewer"),
    ] {
        lines.push(Line::from(Span::styled(cx.t(heading), t.accent())));
        for b in BINDINGS.iter().filter(|b| b.mode == mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10}", b.label), t.header()),
                Span::styled(b.describe(cx.lang), t.text()),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(cx.t("help.columns"), t.accent())));
    lines.push(Line::from(Span::styled(format!("  {}", legend(cx.lang, "help.legend")), t.text())));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("  Ctrl-C    ", t.header()),
        Span::styled(cx.t("key.quit_anywhere"), t.text()),
    ]));
    lines.push(Line::from(vec![
        Span::styled(format!("  {:<10}", cx.t("key.mouse")), t.header()),
        Span::styled(cx.t("key.mouse_does"), t.text()),
    ]));
    lines
}

/// The catalogue text `key` with the list's one-letter marks filled in.
pub fn legend(lang: crate::i18n::Lang, key: &str) -> String {
    let mark = |m: &str| crate::i18n::t(lang, &format!("list.mark_{m}"));
    crate::i18n::f(lang, key, &["hard", "soft", "real", "backscatter", "abuse", "undetermined"].map(|m| (m, mark(m))))
}
