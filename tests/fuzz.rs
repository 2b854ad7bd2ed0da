//! Property tests over the parsers and the classifier, and a short run of the mutation fuzzer
//! (`examples/soak.rs` runs the long one).

mod support {
    pub mod fuzz;
}

use bouncescope::classify::Rules;
use bouncescope::mailbox::mbox::MboxReader;
use bouncescope::mailbox::{Item, RawMessage};
use bouncescope::{dsn, mime, sanitize, text};
use bouncescope::{engine, pipeline};
use proptest::prelude::*;
use std::sync::OnceLock;
use support::fuzz;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(Rules::builtin)
}

/// The CI share of the soak run: the same mutator and checks, fewer inputs.
#[test]
fn mutated_mails_break_nothing() {
    let inputs: usize = std::env::var("BOUNCESCOPE_FUZZ_INPUTS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let owner = engine::demo_owner();
    let seeds = fuzz::seeds();
    let mut rng = fuzz::Rng::new(0x5eed);
    for i in 0..inputs {
        let data = fuzz::mutate(&mut rng, &seeds);
        if let Err(why) = fuzz::check(rules(), &owner, &data) {
            panic!("input {i}: {why}\n{}", String::from_utf8_lossy(&data));
        }
    }
}

/// Mail-like bytes: header lines, a blank line, body lines, with hostile characters mixed in.
fn mail_like() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just("Return-Path: <>".to_string()),
        Just("From: MAILER-DAEMON@mx.example.net".to_string()),
        Just("Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"".to_string()),
        "Subject: [ -~\u{1b}\u{9b}\u{202e}]{0,40}",
        "X-[A-Za-z]{1,8}: [ -~]{0,30}",
    ];
    let body = prop_oneof![
        Just("--b".to_string()),
        Just("Content-Type: message/delivery-status".to_string()),
        "Final-Recipient: rfc822; [a-z]{1,8}@[a-z]{1,8}\\.example",
        "Action: (failed|delayed|delivered|[a-z]{0,6})",
        "Status: [245]\\.[0-9]{1,3}\\.[0-9]{1,3}",
        "Diagnostic-Code: smtp; [245][0-9][0-9] [ -~\u{1b}\u{7}]{0,60}",
        "<[a-z]{1,8}@[a-z]{1,8}\\.example>: [ -~]{0,60}",
        "[ -~\t\u{0}\u{1b}\u{85}\u{202e}]{0,80}",
        Just(String::new()),
    ];
    (prop::collection::vec(header, 0..6), prop::collection::vec(body, 0..30)).prop_map(|(h, b)| {
        let mut s = h.join("\n");
        s.push_str("\n\n");
        s.push_str(&b.join("\n"));
        s.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any bytes: the engine gives a bounce, nothing, or a reason, and never panics.
    #[test]
    fn any_bytes_are_analysed_without_panic(data in prop::collection::vec(any::<u8>(), 0..2000)) {
        let raw = RawMessage { source: "p".into(), folder: String::new(), data, truncated: false, offset: 0 };
        let _ = pipeline::analyze_message(rules(), &raw);
        let _ = mime::parse(&raw.data);
    }

    /// Mail-like input passes every check the fuzzer makes (sanitised fields, rendering, reports).
    #[test]
    fn mail_like_input_passes_all_checks(data in mail_like()) {
        let owner = engine::demo_owner();
        prop_assert_eq!(fuzz::check(rules(), &owner, &data), Ok(()));
    }

    /// A recipient is started only by a new paragraph or a recipient field (groups may lack the
    /// blank line between them), and every recipient's status looks like a status code.
    #[test]
    fn dsn_fields_give_one_recipient_per_block(data in mail_like()) {
        let text = String::from_utf8_lossy(&data);
        let parsed = dsn::parse(&text);
        let paragraphs = text.split("\n\n").count();
        let recipient_fields = text.lines().filter(|l| l.to_ascii_lowercase().contains("-recipient:")).count();
        prop_assert!(parsed.recipients.len() <= paragraphs + recipient_fields, "{} recipients from {} paragraphs", parsed.recipients.len(), paragraphs);
        for r in &parsed.recipients {
            prop_assert!(r.status.is_empty() || r.status.chars().all(|c| c.is_ascii_digit() || c == '.'), "status {:?}", r.status);
        }
    }

    /// Display text never keeps a control, escape or bidi override; a line never keeps a newline.
    #[test]
    fn sanitised_text_is_inert(s in "[ -~\t\n\r\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}é€😀]{0,200}") {
        let line = sanitize::line(&s);
        prop_assert!(!line.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)), "{:?}", line);
        let text = sanitize::text(&s);
        prop_assert!(!text.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)), "{:?}", text);
    }

    /// Without escape sequences (which take the characters after ESC or a C1 introducer with
    /// them), letters and digits all pass through.
    #[test]
    fn sanitising_keeps_the_words(s in "[ -~\t\n\r\u{0}-\u{1a}\u{7f}\u{202a}-\u{202e}é€😀]{0,200}") {
        let line = sanitize::line(&s);
        let printable: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
        let kept: String = line.chars().filter(|c| c.is_alphanumeric()).collect();
        prop_assert_eq!(printable, kept);
    }

    /// HTML escaping leaves no markup; CSV cells never start a formula and round-trip.
    #[test]
    fn report_escaping_is_complete(s in "[ -~\u{e9}]{0,80}") {
        let html = sanitize::html(&s);
        prop_assert!(!html.contains(['<', '>', '"', '\'']));
        let cell = sanitize::csv_cell(&s);
        let inner = if cell.starts_with('"') { cell[1..cell.len() - 1].replace("\"\"", "\"") } else { cell.clone() };
        prop_assert!(!inner.starts_with(['=', '+', '-', '@']), "{:?}", cell);
        prop_assert!(inner == s || inner == format!("'{s}"), "{:?} -> {:?}", s, cell);
    }

    /// Status and reply-code finders return well-formed codes found in the text.
    #[test]
    fn code_finders_return_codes_from_the_text(s in "[ -~]{0,120}") {
        if let Some(st) = text::find_status(&s) {
            prop_assert!(s.contains(&st) && st.split('.').count() == 3, "{:?} in {:?}", st, s);
        }
        if let Some(code) = text::find_reply_code(&s) {
            prop_assert!(s.contains(&code) && code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()), "{:?}", code);
        }
    }

    /// An mbox written from any messages (with ">From " quoting) reads back as the same count,
    /// each message whole.
    #[test]
    fn mbox_round_trips(bodies in prop::collection::vec("(From [a-z]{0,5}|>From x|[ -~]{0,40})(\n(From [a-z]{0,5}|>From x|[ -~]{0,40})){0,6}", 1..20)) {
        let mut mbox = String::new();
        for (i, body) in bodies.iter().enumerate() {
            mbox.push_str(&format!("From sender@example.net Mon Nov  2 10:00:{:02} 2026\nSubject: m{i}\n\n", i % 60));
            for line in body.lines() {
                if line.trim_start_matches('>').starts_with("From ") {
                    mbox.push('>');
                }
                mbox.push_str(line);
                mbox.push('\n');
            }
            mbox.push('\n');
        }
        let items: Vec<Item> = MboxReader::new(mbox.as_bytes(), "m".into(), String::new()).collect();
        prop_assert_eq!(items.len(), bodies.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Message(m) => {
                    let subject = format!("Subject: m{i}\n");
                    prop_assert!(String::from_utf8_lossy(&m.data).contains(subject.as_str()));
                }
                _ => prop_assert!(false, "message {} not read", i),
            }
        }
    }
}
