//! The overview and the reports show the same numbers as the list for the same filter, and the
//! HTML report opens in a headless browser without errors and without the network.

mod support {
    pub mod skip;
}

use bouncescope::bounce::Verdict;
use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::Input;
use bouncescope::tui::action::{Action, View};
use bouncescope::tui::app::App;
use bouncescope::tui::theme::Theme;
use std::process::Command;

fn demo_app() -> App {
    let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Demo);
    app.load_now(&Default::default());
    app
}

fn report(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bouncescope"))
        .env("BOUNCESCOPE_CONFIG", "")
        .args(["report", "--demo"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// For each view: the overview's counts equal the list's rows, and the HTML and Markdown reports
/// of the same filter carry the same numbers.
#[test]
fn overview_and_reports_agree_with_the_list() {
    for (view, verdict) in [
        (View::All, None),
        (View::Real, Some(Verdict::Real)),
        (View::Backscatter, Some(Verdict::Backscatter)),
        (View::Abuse, Some(Verdict::Abuse)),
    ] {
        let mut app = demo_app();
        app.update(Action::SwitchView(view));
        let s = app.summary();
        // Counted from the row index, and from the bounces unpacked as an export writes them.
        assert_eq!(s, bouncescope::report::summarize(&app.visible().report_rows()), "{view:?}");
        assert_eq!(s.rows, app.rows.len(), "{view:?}: overview rows vs list rows");
        assert_eq!(s.by_reason.iter().map(|x| x.1).sum::<usize>(), app.rows.len());
        assert_eq!(s.by_day.iter().map(|d| d.rows).sum::<usize>() + s.undated + s.earlier, app.rows.len());
        assert_eq!(s.hard + s.soft, app.rows.len());
        let mut args = vec![];
        if let Some(v) = verdict {
            args.extend(["--verdict", v.as_str()]);
        }
        let html = report(&[args.as_slice(), &["--format", "html"]].concat());
        let md = report(&[args.as_slice(), &["--format", "md"]].concat());
        let headline =
            format!("{} recipients in {} bounce messages: {} hard, {} soft.", s.rows, s.messages, s.hard, s.soft);
        assert!(html.contains(&headline), "{view:?}: HTML lacks {headline:?}");
        assert!(md.contains(&headline), "{view:?}: Markdown lacks {headline:?}");
        for (reason, n) in &s.by_reason {
            let display = app.rules.info(reason).display.replace('\'', "&#39;");
            assert!(
                html.contains(&format!("<title>{display}: {n}</title>")),
                "{view:?}: HTML bar for {reason} should say {n}"
            );
            assert!(
                md.contains(&format!("(`{reason}`) | {n} |")),
                "{view:?}: Markdown count for {reason} should be {n}"
            );
        }
        for d in s.by_day.iter().filter(|d| d.rows > 0) {
            assert!(
                html.contains(&format!(
                    "<title>{}: {} {}, {} backscatter</title>",
                    d.date,
                    d.rows,
                    if d.rows == 1 { "recipient" } else { "recipients" },
                    d.backscatter
                )),
                "{view:?}: day {}",
                d.date
            );
        }
    }
}

#[test]
fn selecting_a_category_bar_filters_the_list() {
    let mut app = demo_app();
    app.update(Action::Overview);
    app.update(Action::Down);
    let (reason, n) = app.summary().by_reason[1].clone();
    app.update(Action::Confirm);
    assert!(app.overlay.is_none(), "the overview closes");
    assert_eq!(app.rows.len(), n);
    assert!(app.rows.iter().all(|r| app.bounces.get(r.bounce).recipients[r.recipient].reason == reason));
}

/// Chromium, headless and offline: the report renders, logs no console error and loads nothing.
#[test]
fn the_html_report_opens_offline_in_a_headless_browser() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        support::skip::unavailable("no headless browser (chromium) installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, report(&["--format", "html"])).unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--proxy-server=127.0.0.1:9",
            "--dump-dom",
        ])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(dom.contains("Bounce report") && dom.contains("<svg"), "the page did not render:\n{log}");
    for bad in [":CONSOLE", "Uncaught", "violates", "Refused to", "net::ERR", "Failed to load"] {
        assert!(!log.contains(bad), "browser log has {bad:?}:\n{log}");
    }
}

/// The overview opened while the mailbox is still loading follows the rows as they arrive.
#[test]
fn an_open_overview_follows_the_rows_as_they_load() {
    let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Demo);
    app.update(Action::Overview);
    app.load_now(&Default::default());
    let Some(bouncescope::tui::popups::Overlay::Overview(bouncescope::tui::popups::Overview { summary, .. })) =
        &app.overlay
    else {
        panic!("the overview closed")
    };
    assert!(summary.rows > 0);
    assert_eq!(**summary, app.summary());
}
