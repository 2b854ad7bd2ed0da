//! Block-list findings over refusal texts in the forms real servers use (written for these tests,
//! with documentation addresses): each names its list and what it lists, and refusals that are
//! no block list (a recipient's own policy, anti-spoofing, an unresolvable sender domain) name
//! none. The table is `tests/data/blocklist-refusals.tsv`: reason, refusal, list, listed.

#[test]
fn refusals_name_their_list_and_what_is_listed() {
    let table = include_str!("data/blocklist-refusals.tsv");
    let mut failures = Vec::new();
    let mut n = 0;
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [reason, text, list, listed] = cells[..] else { panic!("four cells: {line}") };
        n += 1;
        let got = bouncescope::blocklist::find(reason, text);
        let got = got.map(|f| (f.list.to_string(), f.listed)).unwrap_or_default();
        if got != (list.to_string(), listed.to_string()) {
            failures.push(format!("{text}\n   want {list:?} {listed:?}, got {:?} {:?}", got.0, got.1));
        }
    }
    assert!(n >= 60, "the table has teeth: {n} refusals");
    assert!(failures.is_empty(), "{} of {n} wrong:\n{}", failures.len(), failures.join("\n"));
}
