//! Key bindings, each with a description: the help overlay and the status line are generated
//! from this table, so no key is described twice.

use super::action::{Action, Table, View};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The main screen.
    Main,
    /// A picker overlay (categories, export formats).
    Picker,
    /// Typing in the search prompt.
    Search,
    /// Help or raw message overlay: any listed key.
    Viewer,
    /// A text field (the export dialog's file name): every printable key is typed.
    Field,
}

/// One binding: the keys, how they are shown, what they do and a description.
pub struct Binding {
    pub mode: Mode,
    pub keys: &'static [KeyCode],
    pub ctrl: bool,
    pub label: &'static str,
    pub action: fn() -> Action,
    /// What it does: the catalogue's `key.<desc>` text.
    pub desc: &'static str,
    /// Shown in the status line under the catalogue's `hint.<hint>` word ("" = not shown).
    pub hint: &'static str,
}

macro_rules! b {
    ($mode:ident, [$($k:expr),+], $label:expr, $act:expr, $desc:expr, $hint:expr) => {
        Binding { mode: Mode::$mode, keys: &[$($k),+], ctrl: false, label: $label, action: || $act, desc: $desc, hint: $hint }
    };
}

use KeyCode::*;

/// All bindings, in help order.
pub static BINDINGS: &[Binding] = &[
    b!(Main, [Char('j'), Down], "j/↓", Action::Down, "next_bounce", ""),
    b!(Main, [Char('k'), Up], "k/↑", Action::Up, "prev_bounce", ""),
    b!(Main, [PageDown], "PgDn", Action::PageDown, "page_down", ""),
    b!(Main, [PageUp], "PgUp", Action::PageUp, "page_up", ""),
    b!(Main, [Char('g'), Home], "g/Home", Action::Top, "first_bounce", ""),
    b!(Main, [Char('G'), End], "G/End", Action::Bottom, "last_bounce", ""),
    b!(Main, [Char('J'), Char(']')], "J/]", Action::DetailDown, "detail_down", ""),
    b!(Main, [Char('K'), Char('[')], "K/[", Action::DetailUp, "detail_up", ""),
    b!(Main, [Char('1')], "1", Action::SwitchView(View::All), "view_all", ""),
    b!(Main, [Char('2')], "2", Action::SwitchView(View::Real), "view_real", ""),
    b!(Main, [Char('3')], "3", Action::SwitchView(View::Backscatter), "view_backscatter", ""),
    b!(Main, [Char('4')], "4", Action::SwitchView(View::Abuse), "view_abuse", ""),
    b!(Main, [Char('5')], "5", Action::SwitchView(View::Undetermined), "view_undetermined", ""),
    b!(Main, [Char('6')], "6", Action::SwitchView(View::AutoReplies), "view_autoreplies", ""),
    b!(Main, [Char('7')], "7", Action::ShowTable(Table::Recipients), "view_recipients", ""),
    b!(Main, [Char('8')], "8", Action::ShowTable(Table::Blocklists), "view_blocklists", ""),
    b!(Main, [Enter], "Enter", Action::Confirm, "open_row", ""),
    b!(Main, [Char('c')], "c", Action::OpenCategories, "categories", "category"),
    b!(Main, [Char('h')], "h", Action::CycleHardSoft, "hardsoft", "hard"),
    b!(Main, [Char('/')], "/", Action::StartSearch, "search", "search"),
    b!(Main, [Char('s')], "s", Action::CycleSort, "sort", "sort"),
    b!(Main, [Char('S')], "S", Action::ReverseSort, "reverse_sort", ""),
    b!(Main, [Char('d')], "d", Action::ToggleGroup, "group", ""),
    b!(Main, [Char('z')], "z", Action::ToggleCollapse, "collapse", ""),
    b!(Main, [Char('Z')], "Z", Action::CollapseAll, "collapse_all", ""),
    b!(Main, [Char('r')], "r", Action::ShowRaw, "raw", ""),
    b!(Main, [Char('v')], "v", Action::OpenPager, "pager", ""),
    b!(Main, [Char('|')], "|", Action::StartPipe, "pipe", ""),
    b!(Main, [Char('e')], "e", Action::StartExport, "export", "export"),
    b!(Main, [Char('L')], "L", Action::CycleLanguage, "language", ""),
    b!(Main, [Char('o')], "o", Action::Overview, "overview", "overview"),
    b!(Main, [Char('?')], "?", Action::Help, "help", "help"),
    b!(Main, [Tab], "Tab", Action::ToggleFocus, "focus", ""),
    b!(Main, [Char('n')], "n", Action::NextLike, "next_like", ""),
    b!(Main, [Char('N')], "N", Action::PrevLike, "prev_like", ""),
    b!(Main, [Char('0')], "0", Action::ClearFilters, "clear_filters", ""),
    b!(Main, [Char('y')], "y", Action::CopyAddress, "copy_address", ""),
    b!(Main, [Char('Y')], "Y", Action::CopyDiagnostic, "copy_diagnostic", ""),
    b!(Main, [Esc], "Esc", Action::Back, "back", ""),
    b!(Main, [Char('q')], "q", Action::Quit, "quit", "quit"),
    b!(Picker, [Char('j'), Down], "j/↓", Action::Down, "next_item", ""),
    b!(Picker, [Char('k'), Up], "k/↑", Action::Up, "prev_item", ""),
    b!(Picker, [PageDown], "PgDn", Action::PageDown, "page_down", ""),
    b!(Picker, [PageUp], "PgUp", Action::PageUp, "page_up", ""),
    b!(Picker, [Char('g'), Home], "g/Home", Action::Top, "first_item", ""),
    b!(Picker, [Char('G'), End], "G/End", Action::Bottom, "last_item", ""),
    b!(Picker, [Char(' ')], "Space", Action::Toggle, "toggle", ""),
    b!(Picker, [Char('a')], "a", Action::ToggleAll, "all_none", ""),
    b!(Picker, [Enter], "Enter", Action::Confirm, "apply", ""),
    b!(Picker, [Esc, Char('q'), Char('o')], "Esc", Action::Back, "close", ""),
    b!(Field, [Down, Tab], "↓/Tab", Action::Down, "next_format", ""),
    b!(Field, [Up, BackTab], "↑", Action::Up, "prev_format", ""),
    b!(Field, [Enter], "Enter", Action::Confirm, "write_file", ""),
    b!(Field, [Esc], "Esc", Action::Back, "close", ""),
    b!(Field, [Backspace], "Backspace", Action::Backspace, "backspace", ""),
    b!(Search, [Enter], "Enter", Action::Confirm, "keep_search", ""),
    b!(Search, [Esc], "Esc", Action::Back, "cancel_search", ""),
    b!(Search, [Backspace], "Backspace", Action::Backspace, "backspace", ""),
    b!(Viewer, [Char('j'), Down], "j/↓", Action::ScrollDown, "scroll_down", ""),
    b!(Viewer, [Char('k'), Up], "k/↑", Action::ScrollUp, "scroll_up", ""),
    b!(Viewer, [PageDown], "PgDn", Action::PageDown, "page_down", ""),
    b!(Viewer, [PageUp], "PgUp", Action::PageUp, "page_up", ""),
    b!(Viewer, [Char('/')], "/", Action::StartSearch, "find_in_raw", ""),
    b!(Viewer, [Char('n')], "n", Action::NextLike, "next_found", ""),
    b!(Viewer, [Char('N')], "N", Action::PrevLike, "prev_found", ""),
    b!(Viewer, [Esc, Char('q'), Char('?'), Char('r')], "Esc", Action::Back, "close", ""),
];

/// The action for a key in a mode (Ctrl-C always quits).
pub fn lookup(mode: Mode, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            Char('c') => Some(Action::Quit),
            Char('d') if mode == Mode::Main => Some(Action::DetailDown),
            Char('u') if mode == Mode::Main => Some(Action::DetailUp),
            _ => None,
        };
    }
    if let Some(b) = BINDINGS.iter().find(|b| b.mode == mode && !b.ctrl && b.keys.contains(&key.code)) {
        return Some((b.action)());
    }
    match (mode, key.code) {
        (Mode::Search | Mode::Field, Char(c)) => Some(Action::Input(c)),
        _ => None,
    }
}

impl Binding {
    /// What the binding does, in `lang`.
    pub fn describe(&self, lang: crate::i18n::Lang) -> &'static str {
        crate::i18n::t(lang, &format!("key.{}", self.desc))
    }
}

/// The short key hints of the status line (the hint's catalogue name).
pub fn status_hints() -> Vec<(&'static str, &'static str)> {
    BINDINGS.iter().filter(|b| !b.hint.is_empty()).map(|b| (b.label, b.hint)).collect()
}

/// The key table of the README (Markdown), generated from [`BINDINGS`] so it cannot drift.
pub fn markdown_table() -> String {
    let mut out = String::from("| where | key | does |\n|---|---|---|\n");
    for (mode, name) in [
        (Mode::Main, "list"),
        (Mode::Picker, "pickers, overview"),
        (Mode::Search, "search"),
        (Mode::Field, "export dialog"),
        (Mode::Viewer, "help, raw message"),
    ] {
        for b in BINDINGS.iter().filter(|b| b.mode == mode) {
            let keys = b.label.replace('|', "\\|");
            out.push_str(&format!("| {name} | `{keys}` | {} |\n", b.describe(crate::i18n::Lang::En)));
        }
    }
    out.push_str("| anywhere | `Ctrl-C` | quit |\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent {
            code: c,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn keys_map_to_actions_by_mode() {
        assert_eq!(lookup(Mode::Main, key(Char('j'))), Some(Action::Down));
        assert_eq!(lookup(Mode::Main, key(Char('3'))), Some(Action::SwitchView(View::Backscatter)));
        assert_eq!(lookup(Mode::Search, key(Char('j'))), Some(Action::Input('j')));
        assert_eq!(lookup(Mode::Picker, key(Char(' '))), Some(Action::Toggle));
        // In a text field every printable key is typed, commands' letters too.
        for c in ['j', 'k', 'q', 'o', '/', '~', ' ', '-', '.', 'A'] {
            assert_eq!(lookup(Mode::Field, key(Char(c))), Some(Action::Input(c)), "{c:?}");
        }
        assert_eq!(lookup(Mode::Field, key(Down)), Some(Action::Down));
        let ctrl_c = KeyEvent { modifiers: KeyModifiers::CONTROL, ..key(Char('c')) };
        assert_eq!(lookup(Mode::Search, ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.mode == b.mode {
                    assert!(!a.keys.iter().any(|k| b.keys.contains(k)), "{} and {} share a key", a.label, b.label);
                }
            }
        }
    }
}
