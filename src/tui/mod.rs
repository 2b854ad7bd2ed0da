//! The terminal UI: a thin layer over the engine. Keys become actions, `App::update` changes the
//! state, `impl Widget for &App` draws it, and the loader thread streams results in.

pub mod action;
pub mod app;
pub mod keymap;
pub mod loader;
pub mod outside;
pub mod popups;
pub mod reader;
pub mod rows;
pub mod store;
pub mod tables;
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

/// Is the terminal gone (standard input hung up or closed)?
fn terminal_gone() -> bool {
    let mut fd = libc::pollfd { fd: 0, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd, zero timeout.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// Ends the process when the terminal goes away or a signal asks to stop, but the UI loop cannot
/// notice: crossterm's `poll` spins inside itself once the tty is gone (crossterm issue #793), so
/// without this an orphaned bouncescope would burn a core forever.
fn spawn_watchdog(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    interrupt: std::sync::Arc<std::sync::atomic::AtomicBool>,
    outside: std::sync::Arc<std::sync::atomic::AtomicBool>,
    finished: std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering::Relaxed;
    // Only a terminal on standard input is watched (with a pipe there, crossterm reads /dev/tty).
    let watch_stdin = std::io::stdin().is_terminal();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(100));
            if finished.load(Relaxed) {
                return;
            }
            // While a command runs outside the TUI, Ctrl-C is the command's.
            let interrupted = interrupt.load(Relaxed) && !outside.load(Relaxed);
            if stop.load(Relaxed) || interrupted || (watch_stdin && terminal_gone()) {
                stop.store(true, Relaxed);
                // Give the UI loop the chance to end normally and restore the terminal itself.
                std::thread::sleep(Duration::from_millis(500));
                if !finished.load(Relaxed) {
                    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
                    ratatui::restore();
                    std::process::exit(129);
                }
                return;
            }
        }
    });
}

/// What a mouse event asks for, by where it happened: the wheel scrolls the pane under it (the
/// list, or the detail pane, or an open overlay), a click selects a row or a view's tab.
pub fn mouse_action(app: &App, m: crossterm::event::MouseEvent) -> Option<action::Action> {
    use action::Action;
    let inside = |r: ratatui::layout::Rect| {
        m.row >= r.y && m.row < r.y + r.height && m.column >= r.x && m.column < r.x + r.width
    };
    let over_detail = app.overlay.is_none() && inside(app.detail_area.get());
    match m.kind {
        MouseEventKind::ScrollDown if over_detail => Some(Action::DetailDown),
        MouseEventKind::ScrollUp if over_detail => Some(Action::DetailUp),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp),
        MouseEventKind::Down(_) if app.overlay.is_some() => None,
        MouseEventKind::Down(_) if inside(app.list_area.get()) => {
            Some(Action::ClickRow((m.row - app.list_area.get().y) as usize))
        }
        MouseEventKind::Down(_) => {
            let (row, tabs) = app.tab_spans.get();
            let tab = tabs.iter().position(|&(from, to)| m.row == row && m.column >= from && m.column < to)?;
            Some(match action::View::ALL.get(tab) {
                Some(view) => Action::SwitchView(*view),
                None => Action::ShowTable(action::Table::ALL[tab - action::View::ALL.len()]),
            })
        }
        _ => None,
    }
}

/// Put `text` on the terminal's clipboard: OSC 52, which tmux (`set-clipboard on`) and most
/// terminals honour. Base64 keeps the text from ever reaching the terminal as control codes.
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text))?;
    out.flush()
}

/// Run the TUI until the user quits.
pub fn run(rules: Rules, theme: Theme, lang: Lang, input: Input, owner: OwnerConfig) -> std::io::Result<()> {
    let rx = loader::spawn(rules.clone(), input.clone(), owner);
    let mut app = App::new(rules, theme, lang, input);
    // From here on this thread only draws: message files are read, parsed and judged on the
    // loader and reader threads (checked in debug builds).
    crate::ui_thread::mark();
    // SIGTERM, SIGHUP and SIGINT end the loop like `q`, so the guard restores the terminal;
    // while a command runs outside the TUI (`outside`), Ctrl-C is the command's.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let interrupt = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let outside = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, stop.clone())?;
    }
    signal_hook::flag::register(signal_hook::consts::SIGINT, interrupt.clone())?;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    spawn_watchdog(stop.clone(), interrupt.clone(), outside.clone(), finished.clone());
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
    use std::sync::atomic::Ordering::Relaxed;
    while !app.quit && !stop.load(Relaxed) && !interrupt.load(Relaxed) {
        // Drain what the loader sent; never wait for it.
        while let Ok(msg) = rx.try_recv() {
            app.receive(msg);
        }
        app.receive_rendered();
        app.refresh_if_stale();
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
        if let Some(text) = app.clipboard.take() {
            copy_to_clipboard(&text)?;
        }
        if let Some(job) = app.take_job() {
            app.notice = Some(outside::run(&mut terminal, job, &outside).unwrap_or_else(|e| e.to_string()));
            // A Ctrl-C meant for the command is not ours.
            interrupt.store(false, Relaxed);
            continue;
        }
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
                    if let Some(a) = mouse_action(&app, m) {
                        app.update(a);
                    }
                }
                _ => {}
            }
        } else {
            app.when_idle();
        }
    }
    finished.store(true, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}
