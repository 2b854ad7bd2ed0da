//! The app's state and how actions change it, headless (no terminal): views, search, filters,
//! moving, export, the language switch, help and the raw view, sorting and grouping.

use bouncescope::bounce::{Bounce, Kind, Verdict};
use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::Input;
use bouncescope::report::Format;
use bouncescope::tui::action::{Action, Sort, View};
use bouncescope::tui::app::{App, RowRef};
use bouncescope::tui::keymap::Mode;
use bouncescope::tui::popups::{self, Overlay};
use bouncescope::tui::theme::Theme;

fn demo() -> App {
    let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Demo);
    app.load_now(&Default::default());
    app
}

#[test]
fn views_filter_by_verdict() {
    let mut app = demo();
    assert_eq!(app.rows.len(), 22);
    app.update(Action::SwitchView(View::Backscatter));
    assert_eq!(app.rows.len(), 3);
    assert!(app.rows.iter().all(|r| app.bounces.get(r.bounce).verdict == Verdict::Backscatter));
    app.update(Action::SwitchView(View::AutoReplies));
    assert_eq!(app.rows.len(), 2);
}

#[test]
fn search_hard_soft_and_categories_combine() {
    let mut app = demo();
    app.update(Action::StartSearch);
    for c in "example.de".chars() {
        app.update(Action::Input(c));
    }
    assert_eq!(app.mode(), Mode::Search);
    app.update(Action::Confirm);
    assert_eq!(app.rows.len(), 4, "m.mueller@example.de (three times) and office@example.de");
    app.update(Action::CycleHardSoft); // hard only
    assert_eq!(app.rows.len(), 0);
    app.update(Action::CycleHardSoft); // soft only
    assert_eq!(app.rows.len(), 4);
    app.update(Action::Back); // clears the search
    app.update(Action::CycleHardSoft); // both
    let all = app.rows.len();
    // The picker opens with every category ticked: unticking one leaves the others.
    app.update(Action::OpenCategories);
    let first = app.category_counts()[0].clone();
    app.update(Action::Toggle);
    app.update(Action::Confirm);
    assert_eq!(app.rows.len(), all - first.1);
    // None ticked, then only the first one.
    app.update(Action::OpenCategories);
    app.update(Action::ToggleAll); // none (the picker opened on all but the first: `a` ticks all)
    app.update(Action::ToggleAll); // now none
    assert!(matches!(&app.overlay, Some(Overlay::Categories(c)) if c.ticked.is_empty()));
    app.update(Action::Confirm);
    assert!(app.overlay.is_some(), "nothing ticked is not applied: the picker stays open");
    app.update(Action::Toggle);
    app.update(Action::Confirm);
    assert_eq!(app.rows.len(), first.1);
    // Every one ticked is no filter at all.
    app.update(Action::OpenCategories);
    app.update(Action::ToggleAll);
    app.update(Action::Confirm);
    assert!(app.categories.is_empty());
    assert_eq!(app.rows.len(), all);
}

#[test]
fn search_finds_exactly_the_rows_whose_text_holds_the_needle() {
    let mut app = demo();
    // Needles at the start and the end of a row's text, inside it, and across two fields.
    for needle in [
        "jan.devries",
        "userunknown",
        "mailboxfull",
        "5.1.1",
        "@example",
        "e",
        "unknown\u{1}",
        "no such needle",
        "undelivered",
        "smtp.example",
        ".out@",
        "demo-0003",
    ] {
        app.search = needle.to_string();
        app.refresh();
        let mut got: Vec<RowRef> = app.rows.clone();
        let all: Vec<Bounce> = app.bounces.iter().collect();
        let mut want: Vec<RowRef> = all
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == Kind::Bounce)
            .flat_map(|(bi, b)| b.recipients.iter().enumerate().map(move |(ri, r)| (bi, ri, b, r)))
            .filter(|(_, _, b, r)| {
                // The row's own text, the original's Subject, Message-ID and recipient (when it is
                // another address), and, each on its own, the reason, the bounce's subject and
                // its server.
                let (os, mid, to) = b.original.as_ref().map_or(("", "", ""), |o| (&*o.subject, &*o.message_id, &*o.to));
                let to = if to.eq_ignore_ascii_case(&r.address) || to.contains(r.address.as_str()) { "" } else { to };
                let own = format!("{}\u{1}{}\u{1}{os}\u{1}{mid}\u{1}{to}", r.address, r.diagnostic);
                [own.as_str(), &r.reason, &b.subject, &b.reporting_mta]
                    .iter()
                    .any(|t| t.to_lowercase().contains(needle))
            })
            .map(|(bi, ri, _, _)| RowRef { bounce: bi, recipient: ri })
            .collect();
        got.sort_by_key(|r| (r.bounce, r.recipient));
        want.sort_by_key(|r| (r.bounce, r.recipient));
        assert_eq!(got, want, "needle {needle:?}");
        // The needles of the fields shared by many rows and of the original find something.
        if ["undelivered", "smtp.example", "demo-0003"].contains(&needle) {
            assert!(!got.is_empty(), "needle {needle:?} finds nothing in the demo");
        }
    }
}

#[test]
fn moving_loads_the_message_and_keeps_in_bounds() {
    let mut app = demo();
    app.update(Action::Bottom);
    assert_eq!(app.selected, 21);
    app.update(Action::Down);
    assert_eq!(app.selected, 21);
    assert!(app.rendered.is_some());
    app.update(Action::Top);
    app.update(Action::Up);
    assert_eq!(app.selected, 0);
}

#[test]
fn export_writes_exactly_the_view_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo();
    app.export_dir = dir.path().to_path_buf();
    app.update(Action::SwitchView(View::Backscatter));
    app.update(Action::StartExport);
    app.update(Action::Confirm);
    let notice = app.notice.clone().unwrap();
    assert!(notice.starts_with("Exported 3 rows to"), "{notice}");
    let file = dir.path().join("bouncescope-backscatter.tsv");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert_eq!(
        popups::export::suggest_filename(app.view.name(), &app.export_dir, Format::Tsv),
        "bouncescope-backscatter-2.tsv"
    );
    assert!(app.export(Format::Tsv, "bouncescope-backscatter.tsv").is_err());
}

#[test]
fn mouse_click_and_wheel_select_rows() {
    let mut app = demo();
    app.list_offset.set(3);
    app.update(Action::ClickRow(2));
    assert_eq!(app.selected, 5);
    app.update(Action::ScrollDown);
    assert_eq!(app.selected, 6);
    app.update(Action::ScrollUp);
    assert_eq!(app.selected, 5);
}

#[test]
fn language_cycles_and_help_opens_and_closes() {
    let mut app = demo();
    app.update(Action::CycleLanguage);
    assert_eq!(app.lang, Lang::Nl);
    app.update(Action::Help);
    assert_eq!(app.mode(), Mode::Viewer);
    app.update(Action::Back);
    assert_eq!(app.mode(), Mode::Main);
    app.update(Action::ShowRaw);
    assert!(matches!(&app.overlay, Some(Overlay::Raw(_, text)) if text.contains("gelezen")), "read meanwhile");
    app.settle();
    assert!(matches!(&app.overlay, Some(Overlay::Raw(_, text)) if text.contains("Subject:")));
}

#[test]
fn sorting_and_grouping() {
    let mut app = demo();
    app.update(Action::CycleSort); // category
    let names: Vec<String> = app
        .rows
        .iter()
        .map(|r| app.rules.info(&app.bounces.get(r.bounce).recipients[r.recipient].reason).display.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    app.update(Action::ToggleGroup);
    let domains: Vec<String> =
        app.rows.iter().map(|r| Bounce::domain(&app.bounces.get(r.bounce).recipients[r.recipient].address)).collect();
    // Each domain's rows together, the biggest domain first.
    let mut runs: Vec<&String> = domains.iter().collect();
    runs.dedup();
    let distinct: std::collections::BTreeSet<&String> = domains.iter().collect();
    assert_eq!(runs.len(), distinct.len(), "each domain's rows are together: {domains:?}");
    let sizes: Vec<usize> = runs.iter().map(|d| app.group_size(d)).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    // By the code shown, numbers compared as numbers; S turns any order round.
    app.update(Action::ToggleGroup);
    app.update(Action::CycleSort); // domain
    app.update(Action::CycleSort); // code
    let code = |app: &App, r: &RowRef| {
        let rc = &app.bounces.get(r.bounce).recipients[r.recipient];
        let c = if rc.status.is_empty() { rc.reply_code.to_string() } else { rc.status.to_string() };
        c.split(['.', ' ']).map(|p| p.parse::<u32>().unwrap_or(0)).collect::<Vec<_>>()
    };
    let codes: Vec<Vec<u32>> = app.rows.iter().map(|r| code(&app, r)).collect();
    assert!(codes.windows(2).all(|w| w[0] <= w[1]), "{codes:?}");
    assert!(codes.first() != codes.last(), "the demo has several codes");
    let before = app.rows.clone();
    app.update(Action::ReverseSort);
    let mut reversed = app.rows.clone();
    reversed.reverse();
    assert_eq!(reversed, before);
}

/// A mailbox spanning years shows the year in the list (one year's does not: it takes room).
#[test]
fn the_list_shows_the_year_when_the_dates_span_years() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("Maildir");
    for (i, date) in ["Tue, 07 Nov 1995 10:00:00 +0000", "Fri, 08 Nov 2024 10:00:00 +0000"].iter().enumerate() {
        let path = md.join(format!("cur/{i}.M1.host:2,S"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            format!(
                "From: MAILER-DAEMON@mx.example\nTo: me@example.net\nSubject: Undelivered Mail Returned to Sender\nDate: {date}\n\nThis is the mail system at host mx.example.\n\n<gone{i}@example.org>: host mx.example.org said: 550 5.1.1 User unknown\n"
            ),
        )
        .unwrap();
    }
    let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Paths(vec![md]));
    app.load_now(&Default::default());
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("1995-11-07 10:00") && screen.contains("2024-11-08 10:00"), "{screen}");
}

/// Tab gives the keys to the detail pane: j/k, PgDn and G scroll its text, within it; Tab again
/// gives them back to the list.
#[test]
fn tab_moves_the_keys_between_the_list_and_the_detail_pane() {
    let mut app = demo();
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let max = app.detail_max.get();
    assert!(max > 3, "the detail pane has more than a screen: {max}");
    app.update(Action::ToggleFocus);
    app.update(Action::Down);
    app.update(Action::Down);
    assert_eq!((app.selected, app.detail_scroll), (0, 2), "the text scrolled, the selection stayed");
    app.update(Action::Bottom);
    assert_eq!(app.detail_scroll, max);
    app.update(Action::Down);
    assert_eq!(app.detail_scroll, max, "no further than its last line");
    app.update(Action::Top);
    assert_eq!(app.detail_scroll, 0);
    app.update(Action::ToggleFocus);
    app.update(Action::Down);
    assert_eq!(app.selected, 1);
}

/// `|` asks for a command and hands it a copy of the selected message; `v` hands the pager the
/// message made safe for the terminal. Both run outside the app (the TUI's loop takes the job).
#[test]
fn pipe_and_pager_get_a_copy_of_the_selected_message() {
    let mut app = demo();
    app.update(Action::StartPipe);
    assert_eq!(app.mode(), Mode::Field);
    for c in "wc -c | tee q".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Confirm);
    assert!(app.overlay.is_none());
    app.settle();
    let job = app.take_job().expect("a job once the message is read");
    assert_eq!(job.command, "wc -c | tee q");
    let raw = bouncescope::display::load_raw(&app.input, &app.bounces.get(app.rows[0].bounce).source, 0).unwrap();
    assert_eq!(job.input, raw);
    assert!(!job.pager);
    app.update(Action::OpenPager);
    app.settle();
    let job = app.take_job().expect("a pager job");
    assert!(job.pager && !job.input.contains(&0x1b));
    assert!(app.take_job().is_none());
}

/// Grouped by domain, the biggest domain comes first; z folds the selected row's domain to its
/// first row, Z folds or unfolds every domain.
#[test]
fn groups_are_biggest_first_and_fold() {
    let mut app = demo();
    let all = app.rows.len();
    app.update(Action::ToggleCollapse);
    assert!(app.notice.is_some(), "folding asks to group first");
    app.update(Action::ToggleGroup);
    let domain = |app: &App, r: &RowRef| Bounce::domain(&app.bounces.get(r.bounce).recipients[r.recipient].address);
    let domains: Vec<String> = app.rows.iter().map(|r| domain(&app, r)).collect();
    let sizes: Vec<usize> = domains.iter().map(|d| app.group_size(d)).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "biggest first: {domains:?} {sizes:?}");
    let first = domains[0].clone();
    assert!(app.group_size(&first) >= 2, "the demo has a domain with several rows");
    app.update(Action::ToggleCollapse);
    assert_eq!(app.rows.len(), all - app.group_size(&first) + 1, "folded to its first row");
    app.update(Action::ToggleCollapse);
    assert_eq!(app.rows.len(), all);
    app.update(Action::CollapseAll);
    let distinct: std::collections::BTreeSet<String> = domains.iter().cloned().collect();
    assert_eq!(app.rows.len(), distinct.len(), "one row per domain");
    app.update(Action::CollapseAll);
    assert_eq!(app.rows.len(), all);
}

/// The suggested export name is replaced by what is typed, as a selected text is; Backspace
/// edits it instead.
#[test]
fn typing_replaces_the_suggested_export_name() {
    let mut app = demo();
    app.update(Action::StartExport);
    for c in "/tmp/by dom.csv".chars() {
        app.update(Action::Input(c));
    }
    assert!(matches!(&app.overlay, Some(Overlay::Export(e)) if e.filename == "/tmp/by dom.csv"));
    app.update(Action::Back);
    app.update(Action::StartExport);
    app.update(Action::Backspace);
    app.update(Action::Input('v'));
    assert!(
        matches!(&app.overlay, Some(Overlay::Export(e)) if e.filename == "bouncescope-all.tsv"),
        "edited, not replaced"
    );
}

#[test]
fn a_table_search_shows_its_first_rows_and_enter_lists_a_row_s_bounces() {
    use bouncescope::tui::action::Table;
    let mut app = demo();
    // Hard bounces only in the list: the table counts every bounce all the same.
    app.update(Action::CycleHardSoft);
    app.update(Action::ShowTable(Table::Recipients));
    assert_eq!(app.tables.shown.len(), 17);
    app.update(Action::Bottom);
    assert_eq!(app.tables.selected, 16);
    app.update(Action::StartSearch);
    for c in "example.de".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Confirm);
    // The row selected before is gone: the first one is selected, not the last.
    assert_eq!(app.tables.shown.len(), 2, "m.mueller@example.de and office@example.de");
    assert_eq!(app.tables.selected, 0);
    assert_eq!(app.tables.selected_recipient().unwrap().address, "m.mueller@example.de");
    // Enter: the address's three (soft) bounces, the list's filters set aside; Esc: back as it was.
    app.update(Action::Confirm);
    assert_eq!(app.tables.open, None);
    assert_eq!(app.rows.len(), 3);
    assert!(
        app.rows.iter().all(|r| app.bounces.get(r.bounce).recipients[r.recipient].address == "m.mueller@example.de")
    );
    assert!(app.search.is_empty() && app.hard.is_none());
    app.update(Action::Back);
    assert_eq!(app.tables.open, Some(Table::Recipients));
    assert_eq!((app.search.as_str(), app.tables.shown.len(), app.hard), ("example.de", 2, Some(true)));
    // A number key leaves the table for that view of the list.
    app.update(Action::SwitchView(View::Real));
    assert_eq!(app.tables.open, None);
    assert!(app.rows.iter().all(|r| app.bounces.get(r.bounce).verdict == Verdict::Real));
}

#[test]
fn leaving_a_row_s_bounces_comes_back_to_that_row_and_each_table_starts_at_its_top() {
    use bouncescope::tui::action::Table;
    let mut app = demo();
    app.update(Action::ShowTable(Table::Recipients));
    for _ in 0..3 {
        app.update(Action::Down);
    }
    let chosen = app.tables.selected_recipient().unwrap().address.clone();
    let bounces = app.tables.selected_recipient().unwrap().bounces;
    app.update(Action::Confirm);
    assert!(
        app.rows
            .iter()
            .all(|r| app.bounces.get(r.bounce).recipients[r.recipient].address.eq_ignore_ascii_case(&chosen))
    );
    // Every row of the address that its history counts, and no other.
    assert_eq!(app.rows.len(), bounces);
    app.update(Action::Back);
    assert_eq!(app.tables.selected_recipient().unwrap().address, chosen, "back on the row Enter was pressed on");
    // The list's own view and back: still there.
    app.update(Action::SwitchView(View::All));
    app.update(Action::ShowTable(Table::Recipients));
    assert_eq!(app.tables.selected_recipient().unwrap().address, chosen);
    // The other table starts at its top, and so does this one after it.
    app.update(Action::ShowTable(Table::Blocklists));
    assert_eq!((app.tables.selected, app.tables.shown.len()), (0, 2));
    app.update(Action::ShowTable(Table::Recipients));
    assert_eq!(app.tables.selected, 0);
}

#[test]
fn enter_on_a_listing_lists_exactly_the_rows_that_name_it() {
    use bouncescope::tui::action::Table;
    let mut app = demo();
    app.update(Action::ShowTable(Table::Blocklists));
    let listings = app.tables.shown.len();
    assert!(listings >= 2, "the demo names at least two listings");
    for k in 0..listings {
        assert_eq!(app.tables.selected, k);
        let l = app.tables.selected_listing().unwrap();
        let (id, listed, recipients) = (l.list.id.clone(), l.listed.clone(), l.recipients);
        // Found again from the bounces themselves: every counted row naming the list and listing.
        let mut want: Vec<RowRef> = Vec::new();
        for (bounce, b) in app.bounces.iter().enumerate() {
            if !bouncescope::history::counts(b.kind, b.verdict) {
                continue;
            }
            for (recipient, r) in b.recipients.iter().enumerate() {
                if r.blocklist == id.as_str() && r.listed == listed.as_str() {
                    want.push(RowRef { bounce, recipient });
                }
            }
        }
        assert_eq!(want.len(), recipients, "{id} {listed}");
        app.update(Action::Confirm);
        let mut got: Vec<RowRef> =
            app.rows.iter().map(|r| RowRef { bounce: r.bounce, recipient: r.recipient }).collect();
        got.sort_by_key(|r| (r.bounce, r.recipient));
        assert_eq!(got, want, "{id} {listed}");
        app.update(Action::Back);
        app.update(Action::Down);
    }
}

#[test]
fn a_sorted_list_filtered_again_is_the_list_sorted_afresh() {
    // Ungrouped, the whole list is sorted once and each query filters that order: it must give
    // what sorting the query's rows afresh gives, in every view, sort and direction.
    let mut cached = demo();
    for sort in [Sort::Date, Sort::Domain, Sort::Category, Sort::Code] {
        for reverse in [false, true] {
            for view in [View::All, View::Real, View::AutoReplies] {
                for (hard, search) in [(Some(true), ""), (None, "example")] {
                    (cached.sort, cached.reverse, cached.view, cached.hard) = (sort, reverse, view, hard);
                    cached.search = search.to_string();
                    cached.refresh();
                    let mut fresh = demo();
                    (fresh.sort, fresh.reverse, fresh.view, fresh.hard) = (sort, reverse, view, hard);
                    fresh.search = search.to_string();
                    fresh.refresh();
                    assert_eq!(cached.rows, fresh.rows, "{sort:?} reverse {reverse} {view:?} {hard:?} {search:?}");
                }
            }
        }
    }
    // Named in another language, the reasons sort differently: the order is made again.
    cached.sort = Sort::Category;
    cached.search.clear();
    (cached.view, cached.hard, cached.reverse) = (View::All, None, false);
    cached.refresh();
    cached.update(Action::CycleLanguage);
    let mut fresh = demo();
    fresh.update(Action::CycleLanguage);
    fresh.sort = Sort::Category;
    fresh.refresh();
    assert_eq!(cached.rows, fresh.rows);
}

#[test]
fn the_tables_are_built_when_idle_once_the_mailbox_is_loaded() {
    use bouncescope::tui::action::Table;
    // Not while loading: the bounces are still arriving.
    let mut loading = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Demo);
    loading.when_idle();
    assert!(!loading.tables.is_built());
    let mut app = demo();
    assert!(!app.tables.is_built(), "loading alone builds no table");
    app.when_idle();
    assert!(app.tables.is_built());
    // What the key then shows is the table built on demand.
    app.update(Action::ShowTable(Table::Recipients));
    let mut fresh = demo();
    fresh.update(Action::ShowTable(Table::Recipients));
    let addresses =
        |a: &App| a.tables.shown.iter().map(|&i| a.tables.recipients[i].address.clone()).collect::<Vec<_>>();
    assert_eq!(addresses(&app), addresses(&fresh));
    assert_eq!(app.tables.shown.len(), 17);
}
