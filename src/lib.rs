//! bouncescope: find, classify and judge bounces (non-delivery reports) in Maildir and mbox files.
//!
//! Everything but `tui` knows nothing of terminals. Data flows one way: `mailbox` (source → raw
//! message) → `pipeline` (`mime` parsed mail → `analyze`/`ses` `fact`s → `classify`d bounce) →
//! `verdict` → `report`, the TUI, or `explain`; `engine` runs the pipeline over whole mailboxes
//! on all cores, and `display` reads one message again for the detail pane.

pub mod analyze;
pub mod anonymize;
pub mod blocklist;
pub mod bounce;
pub mod classify;
pub mod config;
pub mod dates;
pub mod demo;
pub mod detect;
pub mod display;
pub mod dsn;
pub mod engine;
pub mod error;
pub mod explain;
pub mod fact;
pub mod header;
pub mod history;
pub mod i18n;
pub mod lines;
pub mod mailbox;
pub mod mime;
pub mod palette;
pub mod pipeline;
pub mod prefilter;
pub mod report;
pub mod sanitize;
pub mod ses;
pub mod text;
pub mod tui;
pub mod ui_thread;
pub mod verdict;
