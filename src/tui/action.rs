//! Everything a key, a click or the loader can ask of the app. `App::update` is the only place
//! that changes state.

/// The views that separate what to act on from noise.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    #[default]
    All,
    Real,
    Backscatter,
    Abuse,
    Undetermined,
    AutoReplies,
}

impl View {
    pub const ALL: [View; 6] =
        [View::All, View::Real, View::Backscatter, View::Abuse, View::Undetermined, View::AutoReplies];

    /// The view's name in the catalogue (`view.<name>`, `view.<name>_short`).
    pub fn name(self) -> &'static str {
        match self {
            View::All => "all",
            View::Real => "real",
            View::Backscatter => "backscatter",
            View::Abuse => "abuse",
            View::Undetermined => "undetermined",
            View::AutoReplies => "autoreplies",
        }
    }

    /// The view's title in `lang`.
    pub fn title(self, lang: crate::i18n::Lang) -> &'static str {
        crate::i18n::t(lang, &format!("view.{}", self.name()))
    }
}

/// The views that show a table instead of the bounce list: one row per failed address, or per
/// block-list listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Recipients,
    Blocklists,
}

impl Table {
    pub const ALL: [Table; 2] = [Table::Recipients, Table::Blocklists];

    /// The table's name in the catalogue (`view.<name>`, `view.<name>_short`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Recipients => "recipients",
            Table::Blocklists => "blocklists",
        }
    }
}

/// Every tab: the bounce lists' views, then the tables.
pub const TABS: usize = View::ALL.len() + Table::ALL.len();

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Date,
    Category,
    Domain,
    /// The status code shown (else the reply code).
    Code,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Date => Sort::Category,
            Sort::Category => Sort::Domain,
            Sort::Domain => Sort::Code,
            Sort::Code => Sort::Date,
        }
    }
    /// The sort order's name in the catalogue (`sort.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Sort::Date => "date",
            Sort::Category => "category",
            Sort::Domain => "domain",
            Sort::Code => "code",
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
    /// Show a table (the recipient or the block-list view).
    ShowTable(Table),
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
    /// Sort the other way round.
    ReverseSort,
    /// Move the keys' focus between the list and the detail pane.
    ToggleFocus,
    /// Grouped: fold or unfold the selected row's domain (all domains).
    ToggleCollapse,
    CollapseAll,
    /// Pipe the selected message to a command (`|`), or open it in the pager (`v`).
    StartPipe,
    OpenPager,
    /// The next (previous) row like the selected one: matching the search when there is one,
    /// else of the same category; wraps around.
    NextLike,
    PrevLike,
    /// Back to every bounce: view, categories, hard/soft and search cleared.
    ClearFilters,
    /// Copy the selected recipient's address (its diagnostic) to the clipboard (OSC 52).
    CopyAddress,
    CopyDiagnostic,
}
