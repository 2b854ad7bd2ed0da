//! Everything a key, a click or the loader can ask of the app. `App::update` is the only place
//! that changes state.

/// The views that separate what to act on from noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    All,
    Real,
    Backscatter,
    Abuse,
    Undetermined,
    AutoReplies,
}

impl View {
    pub const ALL: [View; 6] = [View::All, View::Real, View::Backscatter, View::Abuse, View::Undetermined, View::AutoReplies];

    pub fn title(self) -> &'static str {
        match self {
            View::All => "All bounces",
            View::Real => "Real failures",
            View::Backscatter => "Backscatter",
            View::Abuse => "Account abuse",
            View::Undetermined => "Undetermined",
            View::AutoReplies => "Auto-replies",
        }
    }
}

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Date,
    Category,
    Domain,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Date => Sort::Category,
            Sort::Category => Sort::Domain,
            Sort::Domain => Sort::Date,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Sort::Date => "date",
            Sort::Category => "category",
            Sort::Domain => "domain",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    DetailUp,
    DetailDown,
    SwitchView(View),
    OpenCategories,
    CycleHardSoft,
    StartSearch,
    CycleSort,
    ToggleGroup,
    ShowRaw,
    StartExport,
    CycleLanguage,
    Help,
    /// Open the overview (charts of the current view).
    Overview,
    /// Close an overlay, or clear the search.
    Back,
    /// In pickers: toggle the item under the cursor.
    Toggle,
    /// In pickers: select all / none.
    ToggleAll,
    /// Confirm (Enter) in pickers and prompts.
    Confirm,
    /// A character typed into a prompt.
    Input(char),
    Backspace,
    /// A click on list row `n` (0-based, of the visible rows).
    ClickRow(usize),
    ScrollUp,
    ScrollDown,
}
