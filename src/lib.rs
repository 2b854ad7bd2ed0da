//! bouncescope: find, classify and judge bounces (non-delivery reports) in Maildir and mbox files.
//!
//! The engine (everything but `tui`) knows nothing of terminals: source → raw message → parsed
//! mail → facts → classified bounce → verdict → list or report.

pub mod analyze;
pub mod bounce;
pub mod classify;
pub mod config;
pub mod dates;
pub mod demo;
pub mod detect;
pub mod dsn;
pub mod engine;
pub mod error;
pub mod fact;
pub mod i18n;
pub mod mailbox;
pub mod mime;
pub mod palette;
pub mod prefilter;
pub mod report;
pub mod sanitize;
pub mod ses;
pub mod text;
pub mod tui;
pub mod verdict;
