//! The terminal UI: a thin layer over the engine. Keys become actions, `App::update` changes the
//! state, `impl Widget for &App` draws it, and the loader thread streams results in.

pub mod action;
pub mod app;
pub mod keymap;
pub mod loader;
pub mod theme;
pub mod ui;

use crate::classify::{Lang, Rules};
use crate::engine::Input;
use crate::verdict::OwnerConfig;
use app::App;
use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use std::time::Duration;
use theme::Theme;

/// Restores the terminal however the UI ends (return, error, panic unwinding).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        ratatui::restore();
    }
}

/// Run the TUI until the user quits.
pub fn run(rules: Rules, theme: Theme, lang: Lang, input: Input, owner: OwnerConfig) -> std::io::Result<()> {
    let rx = loader::spawn(rules.clone(), input.clone(), owner);
    let mut app = App::new(rules, theme, lang, input);
    // SIGTERM and SIGHUP end the loop like `q`, so the guard restores the terminal.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, stop.clone())?;
    }
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
    while !app.quit && !stop.load(std::sync::atomic::Ordering::Relaxed) {
        // Drain what the loader sent; never wait for it.
        while let Ok(msg) = rx.try_recv() {
            app.receive(msg);
        }
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
        // Test hook (tests/tui_tmux.rs): prove that a panic restores the terminal first.
        if std::env::var_os("BOUNCESCOPE_TEST_PANIC").is_some() && app.progress.done {
            panic!("test panic requested by BOUNCESCOPE_TEST_PANIC");
        }
        if event::poll(Duration::from_millis(50))? {
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    if let Some(a) = keymap::lookup(app.mode(), k) {
                        app.update(a);
                    }
                }
                Event::Mouse(m) => {
                    let area = app.list_area.get();
                    match m.kind {
                        MouseEventKind::ScrollDown => app.update(action::Action::ScrollDown),
                        MouseEventKind::ScrollUp => app.update(action::Action::ScrollUp),
                        MouseEventKind::Down(_) if m.row >= area.y && m.row < area.y + area.height && m.column >= area.x && m.column < area.x + area.width => {
                            app.update(action::Action::ClickRow((m.row - area.y) as usize));
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}
