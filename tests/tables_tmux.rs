//! The recipient and block-list views end to end: the real binary on a Maildir with a Sent
//! folder, in a real terminal (tmux) at 80x24 and 140x40, driven by keys — the counts, first and
//! last dates, "sent again" and the suppression mark of each address; Enter listing a row's
//! bounces and Esc coming back; the block lists grouped by listed IP with their look-up page,
//! copied with `y`; the recipient table exported; the language switched.

mod support {
    pub mod owner;
    pub mod skip;
    pub mod tmux;
}

use support::owner::{OWNER, dsn, sent_mail};
use support::tmux::Session;

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const SPAMCOP: &str = "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using bl.spamcop.net";
const OUTLOOK: &str = "550 5.7.1 Unfortunately, messages from [192.0.2.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).";

/// A Maildir with a Sent folder: an address gone (one hard bounce), a mailbox full for ten
/// days, a mailbox full that was mailed again after its bounce, and two addresses refused by
/// SpamCop and one by Outlook.com for the same IP.
fn mailbox(dir: &std::path::Path) -> std::path::PathBuf {
    let md = dir.join("Maildir");
    let mut sent = vec![
        sent_mail(1, "gone@a.example", 2),
        sent_mail(2, "full@b.example", 2),
        sent_mail(3, "full@b.example", 12),
        sent_mail(4, "fixed@c.example", 3),
        // After its bounce of the 3rd: mailed again, and no bounce came back.
        sent_mail(5, "fixed@c.example", 10),
        sent_mail(6, "one@d.example", 4),
        sent_mail(7, "two@e.example", 5),
        sent_mail(8, "three@f.example", 6),
    ];
    for n in 0..20 {
        sent.push(sent_mail(100 + n, &format!("friend{n}@g.example"), 1 + (n as u32 % 9)));
    }
    for (i, s) in sent.iter().enumerate() {
        write(&md.join(format!(".Sent/cur/17000000{i:02}.s{i}.host:2,S")), s);
    }
    let full = "452 4.2.2 Mailbox full, try again later";
    let bounces = [
        ("gone@a.example", 2, "5.1.1", "550 5.1.1 User unknown", 1),
        ("full@b.example", 2, "4.2.2", full, 2),
        ("full@b.example", 12, "4.2.2", full, 3),
        ("fixed@c.example", 3, "4.2.2", full, 4),
        ("one@d.example", 4, "5.7.1", SPAMCOP, 6),
        ("two@e.example", 5, "5.7.1", SPAMCOP, 7),
        ("three@f.example", 6, "5.7.1", OUTLOOK, 8),
    ];
    for (i, (rcpt, day, status, diag, n)) in bounces.iter().enumerate() {
        let original = sent_mail(*n, rcpt, *day);
        write(&md.join(format!("cur/{i:02}-bounce:2,")), &dsn(OWNER, rcpt, *day, status, diag, Some(&original)));
    }
    std::fs::create_dir_all(md.join("new")).unwrap();
    std::fs::create_dir_all(md.join("tmp")).unwrap();
    md
}

/// The table row that starts with `text` (after the suppression mark).
fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.trim_start_matches(['✗', ' ']).starts_with(text))
        .unwrap_or_else(|| panic!("no row of {text:?}:\n{screen}"))
}

#[test]
fn the_recipient_view_counts_dates_and_states_and_lists_an_address_bounces() {
    if !support::tmux::available("the recipient view in a real terminal") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let md = mailbox(dir.path());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let cmd = format!("BOUNCESCOPE_CONFIG= {bin} {}; sleep 30", md.display());
    let s = Session::start(format!("bs-rcpt-{}", std::process::id()), 80, 24, Some(dir.path()), &cmd);
    s.wait_for("messages scanned");
    s.wait_for("7 bounce messages");
    s.keys(&["7"]);
    let screen = s.wait_for("Recipients · 6 failed addresses");
    // Most bounces first: the mailbox full twice, over ten days, goes on the suppression list.
    let full = line_with(&screen, "full@b.example");
    assert!(full.starts_with('✗') && full.contains(" 2 ") && full.contains("2026-11-12"), "{full}");
    let gone = line_with(&screen, "gone@a.example");
    assert!(gone.starts_with('✗') && gone.contains("USER") && gone.contains("2026-11-02"), "{gone}");
    let fixed = line_with(&screen, "fixed@c.example");
    assert!(!fixed.starts_with('✗') && fixed.contains("sent again"), "{fixed}");
    let refused = line_with(&screen, "one@d.example");
    assert!(!refused.starts_with('✗') && refused.contains("bouncing"), "the sender's own block is not the address's");
    // The selected (first) row's account.
    assert!(screen.contains("2 bounce messages, 0 hard · first 2026-11-02 · last 2026-11-12"), "{screen}");
    assert!(screen.contains("on the suppression list (Mailbox full)"), "{screen}");

    // Both ends of the table.
    s.keys(&["G"]);
    s.wait_for("1 bounce message, 1 hard · first 2026-11-05 · last 2026-11-05");
    s.keys(&["g"]);
    s.wait_for("2 bounce messages, 0 hard");

    // Search narrows the table; Enter lists the address's bounces; Esc comes back to it.
    s.keys(&["/"]);
    s.type_text("fixed");
    s.keys(&["Enter"]);
    let one = s.wait_for("Recipients · 1 failed address ");
    assert!(one.contains("mail went to it after its last bounce and did not bounce: probably"), "{one}");
    assert!(one.contains("not on the suppression list: mailed again since its last bounce"), "{one}");
    s.keys(&["Enter"]);
    let pinned = s.wait_for("fixed@c.example · 1 bounce · Esc back");
    assert!(pinned.contains("Mailbox full, try again later"), "the bounce itself is listed:\n{pinned}");
    s.keys(&["Escape"]);
    let back = s.wait_for("Recipients · 1 failed address ");
    assert!(back.contains("/fixed"), "the table's search is kept:\n{back}");

    // The keys of the bounce lists say where they work.
    s.keys(&["c"]);
    s.wait_for("That works on the bounce lists");

    // The table exported as `report --by recipient` writes it, the search applied.
    s.keys(&["e"]);
    s.wait_for("Export");
    s.keys(&["Enter"]);
    s.wait_for("Exported 1 row");
    let written = std::fs::read_to_string(dir.path().join("bouncescope-recipients.tsv")).expect("export written");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "recipient\tbounces\thard\tfirst\tlast\treason\tstatus\tstate");
    assert_eq!(
        lines[1..],
        ["fixed@c.example\t1\t0\t2026-11-03T11:00:00Z\t2026-11-03T11:00:00Z\tmailboxfull\t4.2.2\tsent-again"]
    );

    // In Dutch.
    s.keys(&["Escape", "L"]);
    let nl = s.wait_for("Ontvangers · 6 mislukte adressen");
    assert!(line_with(&nl, "fixed@c.example").contains("weer verstuurd"), "{nl}");
}

#[test]
fn the_block_list_view_groups_by_list_and_ip_with_the_look_up_page() {
    if !support::tmux::available("the block-list view in a real terminal") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let md = mailbox(dir.path());
    let bin = env!("CARGO_BIN_EXE_bouncescope");
    let cmd = format!("BOUNCESCOPE_CONFIG= {bin} {}; sleep 30", md.display());
    let s = Session::start(format!("bs-lists-{}", std::process::id()), 140, 40, Some(dir.path()), &cmd);
    s.tmux(&["set", "-g", "set-clipboard", "on"]);
    s.wait_for("messages scanned");
    s.wait_for("7 bounce messages");
    // Once loaded, with no key pressed, the tables are built and their tabs counted.
    s.wait_for("8:Lists 2");
    s.keys(&["8"]);
    let screen = s.wait_for("Block lists · 2 listings");
    let spamcop = line_with(&screen, "SpamCop");
    assert!(spamcop.contains("192.0.2.7") && spamcop.contains(" 2 ") && spamcop.contains("2026-11-04"), "{spamcop}");
    assert!(spamcop.contains("2026-11-05"), "first and last seen: {spamcop}");
    let outlook = line_with(&screen, "Microsoft");
    assert!(outlook.contains("192.0.2.7") && outlook.contains(" 1 "), "{outlook}");
    // The selected listing: what is listed, its page, the advice.
    assert!(screen.contains("https://www.spamcop.net/bl.shtml?192.0.2.7"), "{screen}");
    assert!(screen.contains("drops a listing by itself"), "{screen}");

    s.keys(&["y"]);
    s.wait_for("Copied https://www.spamcop.net/bl.shtml?192.0.2.7");
    assert!(s.tmux(&["show-buffer"]).contains("https://www.spamcop.net/bl.shtml?192.0.2.7"));

    s.keys(&["Enter"]);
    let pinned = s.wait_for("SpamCop · 192.0.2.7 · 2 bounces · Esc back");
    assert!(pinned.contains("one@d.example") && pinned.contains("two@e.example"), "{pinned}");
    assert!(!pinned.contains("three@f.example"), "{pinned}");
    s.keys(&["Escape", "j"]);
    let second = s.wait_for("sender.office.com");
    assert!(second.contains("Outlook.com, Hotmail and Microsoft 365"), "{second}");

    // In German.
    s.keys(&["L", "L"]);
    s.wait_for("Sperrlisten · 2 Einträge");
}
