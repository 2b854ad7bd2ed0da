//! The README stays true: its key table is the one generated from the keymap, and its two
//! set-up commands are the ones `.ci/run` relies on.

const README: &str = include_str!("../README.md");

#[test]
fn the_key_table_is_generated_from_the_keymap() {
    let table = bouncescope::tui::keymap::markdown_table();
    let start = README.find("<!-- keys:start -->\n").expect("README lacks the keys:start marker")
        + "<!-- keys:start -->\n".len();
    let end = README.find("<!-- keys:end -->").expect("README lacks the keys:end marker");
    assert_eq!(&README[start..end], table, "the README key table is out of date; replace it with:\n{table}");
}

#[test]
fn the_readme_starts_with_the_two_commands() {
    let block = README.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
    let commands: Vec<&str> = block.lines().map(|l| l.split('#').next().unwrap().trim()).collect();
    assert_eq!(commands, ["cargo run --release", "cargo test"]);
    let ci = include_str!("../.ci/run");
    assert!(ci.lines().any(|l| l.trim().starts_with("cargo test")), ".ci/run runs the README's test command");
}
