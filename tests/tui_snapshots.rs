//! The TUI's screens and overlays rendered into ratatui's TestBackend and compared with reviewed
//! snapshots (insta). The colour-carrying screen also snapshots the styles of the buffer.

use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::Input;
use bouncescope::tui::action::{Action, Table, View};
use bouncescope::tui::app::App;
use bouncescope::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn demo_app(theme: &str) -> App {
    let mut app = App::new(Rules::builtin(), Theme::load(theme).unwrap(), Lang::En, Input::Demo);
    app.load_now(&Default::default());
    // As the TUI's loop does once the mailbox is loaded and no key waits: the tables are built
    // (their tabs show counts).
    app.when_idle();
    app
}

/// Draw `app` once the reader thread has answered (the selected message is shown).
fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.settle();
    let app = &*app;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    terminal
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    draw(app, w, h).backend().to_string()
}

#[test]
fn main_screen_80x24() {
    insta::assert_snapshot!(screen(&mut demo_app("dark"), 80, 24));
}

#[test]
fn main_screen_wide() {
    insta::assert_snapshot!(screen(&mut demo_app("dark"), 160, 40));
}

#[test]
fn detail_of_a_real_failure() {
    let mut app = demo_app("dark");
    for _ in 0..4 {
        app.update(Action::Down);
    }
    insta::assert_snapshot!(screen(&mut app, 100, 32));
}

#[test]
fn backscatter_view() {
    let mut app = demo_app("dark");
    app.update(Action::SwitchView(View::Backscatter));
    insta::assert_snapshot!(screen(&mut app, 100, 30));
}

#[test]
fn category_picker() {
    let mut app = demo_app("dark");
    app.update(Action::OpenCategories);
    app.update(Action::Down);
    app.update(Action::Toggle);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn help_overlay() {
    let mut app = demo_app("dark");
    app.update(Action::Help);
    insta::assert_snapshot!(screen(&mut app, 100, 44));
}

#[test]
fn export_picker() {
    let mut app = demo_app("dark");
    app.update(Action::StartExport);
    app.update(Action::Down);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn search_prompt() {
    let mut app = demo_app("dark");
    app.update(Action::StartSearch);
    for c in "example.de".chars() {
        app.update(Action::Input(c));
    }
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn badge_colours_light_theme() {
    // Colour carries meaning here, so the styles of the list rows are part of the snapshot.
    let mut app = demo_app("light");
    let t = draw(&mut app, 80, 12);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 4..9 {
        let mut line = String::new();
        for x in 0..22 {
            let cell = &buf[(x, y)];
            line.push_str(&format!("{}:{:?} ", cell.symbol(), cell.fg));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn monochrome_uses_no_colour() {
    let mut app = demo_app("dark");
    app.theme = Theme::monochrome();
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "a colour leaked into NO_COLOR mode");
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
}

#[test]
fn tiny_terminal_does_not_panic() {
    let mut app = demo_app("dark");
    for (w, h) in [(20, 5), (1, 1), (80, 6), (40, 10)] {
        let _ = screen(&mut app, w, h);
    }
}

#[test]
fn overview_screen() {
    let mut app = demo_app("dark");
    app.update(Action::Overview);
    app.update(Action::Down);
    insta::assert_snapshot!(screen(&mut app, 120, 32));
}

#[test]
fn grouped_by_domain_biggest_first_one_folded() {
    let mut app = demo_app("dark");
    app.update(Action::ToggleGroup);
    app.update(Action::ToggleCollapse);
    insta::assert_snapshot!(screen(&mut app, 160, 40));
}

#[test]
fn pipe_prompt() {
    let mut app = demo_app("dark");
    app.update(Action::StartPipe);
    for c in "grep -i status".chars() {
        app.update(Action::Input(c));
    }
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn raw_message_found_word() {
    let mut app = demo_app("dark");
    app.update(Action::ShowRaw);
    app.settle();
    app.update(Action::StartSearch);
    for c in "diagnostic".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Confirm);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
    insta::assert_snapshot!("raw_message_found_word_wide", screen(&mut app, 160, 40));
}

/// The screens this release changed, each at the small and the wide size the other tests do
/// not already take it at.
#[test]
fn changed_screens_at_80x24_and_160x40() {
    type Setup = fn(&mut App);
    let screens: [(&str, Setup); 6] = [
        ("category_picker", |app| {
            app.update(Action::OpenCategories);
            app.update(Action::ToggleAll);
            app.update(Action::Toggle);
        }),
        ("export_picker", |app| {
            app.update(Action::StartExport);
            for c in "reports/by dom-2.tsv".chars() {
                app.update(Action::Input(c));
            }
        }),
        ("help", |app| app.update(Action::Help)),
        ("grouped_and_folded", |app| {
            app.update(Action::ToggleGroup);
            app.update(Action::ToggleCollapse);
        }),
        ("pipe_prompt", |app| {
            app.update(Action::StartPipe);
            for c in "wc -l".chars() {
                app.update(Action::Input(c));
            }
        }),
        ("detail_focus_sorted_by_code_reversed", |app| {
            app.update(Action::CycleSort);
            app.update(Action::CycleSort);
            app.update(Action::CycleSort);
            app.update(Action::ReverseSort);
            app.update(Action::ToggleFocus);
        }),
    ];
    for (name, setup) in screens {
        for (w, h) in [(80, 24), (160, 40)] {
            let mut app = demo_app("dark");
            setup(&mut app);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&mut app, w, h));
        }
    }
}

#[test]
fn recipient_view_at_80x24_and_wide() {
    let mut app = demo_app("dark");
    app.update(Action::ShowTable(Table::Recipients));
    insta::assert_snapshot!("recipient_view_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("recipient_view_140x36", screen(&mut app, 140, 36));
}

#[test]
fn recipient_row_lists_its_bounces() {
    let mut app = demo_app("dark");
    app.update(Action::ShowTable(Table::Recipients));
    // The first row is the address that bounced most (m.mueller@example.de, three times).
    app.update(Action::Confirm);
    insta::assert_snapshot!(screen(&mut app, 120, 30));
}

#[test]
fn blocklist_view_at_80x24_and_wide() {
    let mut app = demo_app("dark");
    app.update(Action::ShowTable(Table::Blocklists));
    insta::assert_snapshot!("blocklist_view_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("blocklist_view_140x36", screen(&mut app, 140, 36));
}
