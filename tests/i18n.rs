//! One language for the whole screen and report. An owner's Maildir whose mail data is all
//! Dutch is shown in Dutch and in German: no English label, name, sentence or heading of the
//! program may be left on the main screen (every view), the detail pane of every row scrolled
//! from top to bottom, the help, the pickers and the overview, at 80x24 and 140x40, nor in the
//! HTML and Markdown reports.

mod support {
    pub mod owner;
}

use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::Input;
use bouncescope::i18n::Catalogue;
use bouncescope::tui::action::{Action, Table, View};
use bouncescope::tui::app::App;
use bouncescope::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::process::Command;

/// The program's English texts that `lang` words differently, cut into the pieces that can
/// show on their own (at placeholders and " · " separators). A piece the translation also uses
/// (a technical term like "Backscatter" or "SMTP") is not English-only and is left out.
fn english_pieces(lang: Lang) -> Vec<String> {
    let c = Catalogue::get();
    let rules = Rules::builtin();
    let mut pairs: Vec<(String, String)> =
        c.keys(Lang::En).into_iter().map(|k| (c.text(Lang::En, k).to_string(), c.text(lang, k).to_string())).collect();
    for info in rules.reasons.values().chain(rules.verdicts.values()) {
        pairs.push((info.name(Lang::En).into(), info.name(lang).into()));
        pairs.push((info.badge(Lang::En).into(), info.badge(lang).into()));
        pairs.push((info.texts(Lang::En).explanation.clone(), info.texts(lang).explanation.clone()));
        pairs.push((info.texts(Lang::En).remedy.clone(), info.texts(lang).remedy.clone()));
    }
    for list in bouncescope::blocklist::LISTS.iter() {
        pairs.push((list.advice(Lang::En).into(), list.advice(lang).into()));
    }
    let translated: String = pairs.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n");
    let mut pieces = Vec::new();
    for (en, other) in &pairs {
        if en == other {
            continue;
        }
        let mut text = en.clone();
        while let (Some(a), Some(b)) = (text.find('{'), text.find('}')) {
            if b < a {
                break;
            }
            text.replace_range(a..=b, "\u{1}");
        }
        for piece in text.split(['\u{1}', '·', '(', ')', ':', ';', '"', '—']) {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            let words = piece.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
            let long_word = piece.chars().filter(|c| c.is_alphabetic()).count() >= 5;
            if (words >= 2 || long_word) && !translated.contains(piece) && !pieces.iter().any(|p| p == piece) {
                pieces.push(piece.to_string());
            }
        }
    }
    pieces
}

/// English words that are no Dutch or German word: written into the code instead of the
/// catalogue, they would slip past the catalogue's pieces.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "with",
    "from",
    "your",
    "you",
    "never",
    "unknown",
    "rows",
    "recipients",
    "messages",
    "this",
    "that",
    "not",
    "none",
    "named",
    "failed",
    "error",
    "found",
    "could",
    "read",
    "scanned",
    "real",
    "abuse",
    "undetermined",
    "category",
    "verdict",
];

fn assert_no_english(lang: Lang, what: &str, text: &str, pieces: &[String]) {
    // A web address (a block list's look-up page) is an address, in no language.
    let text = &text
        .split(' ')
        .map(|w| if w.starts_with("http://") || w.starts_with("https://") { "" } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    for p in pieces {
        assert!(!text.contains(p.as_str()), "{}: English {p:?} left in {what}:\n{text}", lang.as_str());
    }
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        assert!(!ENGLISH_WORDS.contains(&word), "{}: English word {word:?} left in {what}:\n{text}", lang.as_str());
    }
}

/// The screen, once the reader thread has answered (the selected message is shown).
fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.settle();
    let app = &*app;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buf = terminal.backend().buffer().clone();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

/// What an overlay added to `base` (the same screen without it): the cells that differ. The
/// message text the overlay partly covers is the mail's, not the program's.
fn overlay_part(base: &str, over: &str) -> String {
    // Per line, the overlay's cells from the first that differs to the last that does: a word
    // inside the box whose letter happens to equal the screen below stays whole.
    base.lines()
        .zip(over.lines())
        .map(|(b, o)| {
            let (b, o): (Vec<char>, Vec<char>) = (b.chars().collect(), o.chars().collect());
            let differs = |i: &usize| b.get(*i) != o.get(*i);
            match ((0..o.len()).find(differs), (0..o.len()).rev().find(differs)) {
                (Some(first), Some(last)) => o[first..=last].iter().collect::<String>(),
                _ => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen without the message text: the mail's own words (its DSN fields are English by
/// standard) are below the detail pane's "── message" rule; everything above it is the program's.
fn program_part(app: &App, screen: &str) -> String {
    let rule = format!("── {} ", bouncescope::i18n::t(app.lang, "detail.message_rule"));
    let lines: Vec<&str> = screen.lines().collect();
    let status = lines.last().copied().unwrap_or("");
    match lines.iter().position(|l| l.contains(&rule)) {
        Some(i) => lines[..i].iter().chain([&status]).copied().collect::<Vec<_>>().join("\n"),
        // Scrolled past the rule: the detail pane shows only message text; keep what is above it.
        None if app.detail_scroll > 0 => {
            let top = lines
                .iter()
                .position(|l| l.contains(bouncescope::i18n::t(app.lang, "detail.title").trim()))
                .unwrap_or(lines.len());
            lines[..top.min(lines.len())].iter().chain([&status]).copied().collect::<Vec<_>>().join("\n")
        }
        None => screen.to_string(),
    }
}

/// Select row `row` of the list or table shown, then give `each` the screen at every scroll
/// position of the detail pane, from its top to its end; scrolled back to its top after.
fn each_detail_page(app: &mut App, row: usize, w: u16, h: u16, mut each: impl FnMut(&App, &str)) {
    app.update(Action::Top);
    for _ in 0..row {
        app.update(Action::Down);
    }
    loop {
        let s = screen(app, w, h);
        each(app, &s);
        let before = app.detail_scroll;
        app.update(Action::DetailDown);
        if app.detail_scroll == before {
            break;
        }
    }
    while app.detail_scroll > 0 {
        app.update(Action::DetailUp);
    }
}

/// The owner's Maildir of `support::owner`, with a refusal by a block list of mail the owner
/// sent (for the block-list view).
fn owner_box_with_a_block_list_refusal(dir: &std::path::Path) -> std::path::PathBuf {
    let (md, _) = support::owner::maildir(dir);
    let rcpt = "klant@lijst.voorbeeld";
    let sent = support::owner::sent_mail(42, rcpt, 23);
    std::fs::write(md.join(".Verzonden/cur/1700000099.s99.host:2,S"), &sent).unwrap();
    let refusal = "554 5.7.1 Geweigerd: 192.0.2.66 staat op dnsbl-1.uceprotect.net";
    let dsn = support::owner::dsn(support::owner::OWNER, rcpt, 23, "5.7.1", refusal, Some(&sent));
    std::fs::write(md.join("cur/05-lijst:2,"), dsn).unwrap();
    md
}

#[test]
fn no_english_left_on_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let md = owner_box_with_a_block_list_refusal(dir.path());
    for lang in [Lang::Nl, Lang::De] {
        let pieces = english_pieces(lang);
        assert!(pieces.len() > 100, "the check has teeth: {} pieces", pieces.len());
        let mut app = App::new(Rules::builtin(), Theme::load("dark").unwrap(), lang, Input::Paths(vec![md.clone()]));
        app.load_now(&Default::default());
        assert_eq!(app.view_count(View::All), 11, "every bounce is listed");
        app.update(Action::ShowTable(Table::Blocklists));
        assert_eq!(app.tables.shown.len(), 1, "the refusal names its block list");
        for (w, h) in [(80, 24), (140, 40)] {
            for view in View::ALL {
                app.update(Action::SwitchView(view));
                for row in 0..app.rows.len().max(1) {
                    each_detail_page(&mut app, row, w, h, |app, s| {
                        let what = format!("{view:?} row {row} at {w}x{h}");
                        assert_no_english(lang, &what, &program_part(app, s), &pieces);
                    });
                }
            }
            // The tables: every row's account scrolled to its end, and the row's bounces.
            for table in Table::ALL {
                app.update(Action::ShowTable(table));
                for row in 0..app.tables.shown.len().max(1) {
                    each_detail_page(&mut app, row, w, h, |_, s| {
                        assert_no_english(lang, &format!("{table:?} row {row} at {w}x{h}"), s, &pieces);
                    });
                }
                app.update(Action::Confirm);
                let s = screen(&mut app, w, h);
                assert_no_english(
                    lang,
                    &format!("{table:?} row's bounces at {w}x{h}"),
                    &program_part(&app, &s),
                    &pieces,
                );
                app.update(Action::Back);
                app.update(Action::CycleSort);
                let s = screen(&mut app, w, h);
                assert_no_english(lang, &format!("{table:?} sorted at {w}x{h}"), &s, &pieces);
            }
            app.update(Action::SwitchView(View::All));
            let base = screen(&mut app, w, h);
            app.update(Action::Help);
            for _ in 0..12 {
                assert_no_english(
                    lang,
                    &format!("help at {w}x{h}"),
                    &overlay_part(&base, &screen(&mut app, w, h)),
                    &pieces,
                );
                app.update(Action::ScrollDown);
                app.update(Action::ScrollDown);
                app.update(Action::ScrollDown);
            }
            app.update(Action::Back);
            for (open, what) in [
                (Action::Overview, "overview"),
                (Action::OpenCategories, "categories"),
                (Action::StartExport, "export"),
            ] {
                app.update(open);
                assert_no_english(
                    lang,
                    &format!("{what} at {w}x{h}"),
                    &overlay_part(&base, &screen(&mut app, w, h)),
                    &pieces,
                );
                app.update(Action::Back);
            }
            app.update(Action::StartSearch);
            let s = screen(&mut app, w, h);
            assert_no_english(lang, &format!("search at {w}x{h}"), &program_part(&app, &s), &pieces);
            app.update(Action::Back);
        }
    }
}

/// What a reader of an HTML page sees: its text and the titles (tooltips), not the style sheet
/// or the class names.
fn visible_text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reports of the same mailbox: the text of the HTML page and the Markdown.
#[test]
fn no_english_left_in_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let md = owner_box_with_a_block_list_refusal(dir.path());
    for lang in [Lang::Nl, Lang::De] {
        let pieces = english_pieces(lang);
        for format in ["html", "md"] {
            let out = Command::new(env!("CARGO_BIN_EXE_bouncescope"))
                .env("BOUNCESCOPE_CONFIG", "")
                .args(["report", "--all", "--lang", lang.as_str(), "--format", format])
                .arg(&md)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            let text = if format == "html" { visible_text(&text) } else { text };
            assert!(text.contains("Backscatter"), "the report has verdicts");
            assert_no_english(lang, format, &text, &pieces);
        }
    }
}

/// The check catches what it should: the English screen is full of English pieces.
#[test]
fn the_check_finds_english() {
    let pieces = english_pieces(Lang::Nl);
    let mut app = {
        let mut a = App::new(Rules::builtin(), Theme::load("dark").unwrap(), Lang::En, Input::Demo);
        a.load_now(&Default::default());
        a
    };
    let s = screen(&mut app, 100, 30);
    let found: Vec<&String> = pieces.iter().filter(|p| s.contains(p.as_str())).collect();
    assert!(found.len() >= 10, "only {found:?}");
    let words: std::collections::HashSet<&str> =
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| ENGLISH_WORDS.contains(w)).collect();
    assert!(words.len() >= 3, "only {words:?}");
}
