//! Every bounce phrasing quoted in the help articles the product grew from (../shared/seeds:
//! Dutch, English and German ISP pages) lands in its evident category.

use bouncescope::classify::{Rules, classify};
use bouncescope::fact::{Fact, command_of};

/// (phrase as the articles quote it, expected reason), from `tests/data/seed-phrases.tsv` (which
/// `tests/generalise.rs` also wraps into seven bounce formats).
fn seeds() -> Vec<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seed-phrases.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            (cells[1].to_string(), cells[0].to_string())
        })
        .collect()
}

fn classify_phrase(rules: &Rules, phrase: &str) -> String {
    // The articles quote these lines as the answer about the recipient's address (the RCPT TO
    // stage) unless the line names another stage itself.
    let command = match command_of(phrase) {
        c if c.is_empty() => "RCPT".to_string(),
        c => c,
    };
    let fact = Fact {
        diagnostic: phrase.to_string(),
        command,
        status: bouncescope::text::find_status(phrase).unwrap_or_default(),
        plain_text: true,
        ..Default::default()
    };
    classify(rules, &fact, "").reason
}

#[test]
fn every_seed_phrasing_lands_in_its_category() {
    let rules = Rules::builtin();
    let seeds = seeds();
    assert!(seeds.len() >= 90, "{} seed phrasings", seeds.len());
    let wrong: Vec<String> = seeds
        .iter()
        .filter_map(|(phrase, want)| {
            let got = classify_phrase(&rules, phrase);
            (got != *want).then(|| format!("{phrase:?}: want {want}, got {got}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} seed phrasings misclassified:\n{}", wrong.len(), seeds.len(), wrong.join("\n"));
}

#[test]
fn seed_reasons_have_texts_in_three_languages() {
    let rules = Rules::builtin();
    for (_, reason) in seeds() {
        let info = rules.info(&reason);
        assert_eq!(info.name, reason);
        for lang in [bouncescope::classify::Lang::En, bouncescope::classify::Lang::Nl, bouncescope::classify::Lang::De]
        {
            assert!(info.texts(lang).remedy.len() > 20, "{reason} {lang:?}");
        }
    }
}
