//! The thread that draws the terminal never reads a message file, parses a message or judges a
//! verdict: a TUI session over a real Maildir with a Sent folder, driven through every view,
//! every row, the raw view, the overview, search, sorting and the language switch, runs on a
//! thread marked as the drawing thread. In debug builds (as tests run) each of those three kinds
//! of work panics when it finds itself on that thread (`bouncescope::ui_thread`).

mod support {
    pub mod owner;
}

use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::{self, Input};
use bouncescope::tui::action::{Action, Table, View};
use bouncescope::tui::app::App;
use bouncescope::tui::loader::{self, Msg};
use bouncescope::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    terminal.backend().to_string()
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "the check lives in debug assertions")]
fn the_drawing_thread_reads_parses_and_judges_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (md, _) = support::owner::maildir(dir.path());
    // What a report says of the same mailbox.
    let (mut expected, _) = engine::scan_all(&Rules::builtin(), &Input::Paths(vec![md.clone()])).unwrap();
    bouncescope::verdict::judge_all(
        &mut engine::owner_for(&Input::Paths(vec![md.clone()]), &Default::default()),
        &mut expected,
    );
    let session = std::thread::spawn(move || {
        let input = Input::Paths(vec![md]);
        let rx = loader::spawn(Rules::builtin(), input.clone(), Default::default());
        let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, input);
        bouncescope::ui_thread::mark();
        // As the TUI's loop: take in what the loader says, draw.
        let mut judged = false;
        loop {
            let msg = rx.recv_timeout(Duration::from_secs(30)).expect("the loader reports");
            judged |= matches!(msg, Msg::Judged(..));
            let done = matches!(msg, Msg::Done(_) | Msg::Failed(_));
            app.receive(msg);
            app.receive_rendered();
            app.refresh_if_stale();
            draw(&app);
            if done {
                // No key waits: the loop's idle work (the tables built ahead of the first look).
                app.when_idle();
                draw(&app);
                break;
            }
        }
        assert!(judged, "the owner is known (Sent folder): the final verdicts come from the loader");
        let verdicts = |bs: &[bouncescope::bounce::Bounce]| -> Vec<String> {
            bs.iter().map(|b| format!("{} {:?} {}", b.source, b.verdict, b.evidence.len())).collect()
        };
        assert_eq!(
            verdicts(&app.bounces.iter().collect::<Vec<_>>()),
            verdicts(&expected),
            "the screen's verdicts are the report's"
        );
        let mut shown = 0;
        let mut raw_seen = false;
        for view in View::ALL {
            app.update(Action::SwitchView(view));
            app.update(Action::Top);
            for _ in 0..app.rows.len() {
                app.settle();
                let screen = draw(&app);
                assert!(!screen.contains("Reading the message"), "settled, the message is shown:\n{screen}");
                shown += 1;
                app.update(Action::ShowRaw);
                app.settle();
                raw_seen |= draw(&app).contains("Subject:");
                app.update(Action::Back);
                app.update(Action::Down);
            }
        }
        assert!(shown >= 10 && raw_seen, "{shown} rows shown, raw view seen: {raw_seen}");
        // The tables are built from what is in memory; a row's bounces are read like any row's.
        for table in Table::ALL {
            app.update(Action::ShowTable(table));
            draw(&app);
            app.update(Action::Bottom);
            draw(&app);
            app.update(Action::Confirm);
            app.settle();
            draw(&app);
            app.update(Action::Back);
            draw(&app);
        }
        for action in [Action::Overview, Action::Back, Action::CycleSort, Action::ToggleGroup, Action::CycleLanguage] {
            app.update(action);
            app.receive_rendered();
            draw(&app);
        }
        app.update(Action::StartSearch);
        for c in "voorbeeld".chars() {
            app.update(Action::Input(c));
            draw(&app);
        }
        app.update(Action::Confirm);
        app.settle();
        draw(&app);
    });
    if let Err(panic) = session.join() {
        let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        panic!("the drawing thread did work it must not do: {text}");
    }
}
