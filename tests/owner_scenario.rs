//! An owner's mailbox as it is lived in, written independently of the verdict rules by
//! `scripts/owner-scenario.py` (a bakery owner's Maildir: 80 sent messages, real failures in
//! eight MTA styles, three spam waves forging her address, a stolen login, auto-replies,
//! ordinary mail), with the truth beside it. The verdicts must be at least 97 % right, and no
//! real failure may be called backscatter.

mod support {
    pub mod skip;
}

use std::collections::HashMap;
use std::process::Command;

#[test]
fn verdicts_on_an_owners_mailbox() {
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(python) = python else {
        support::skip::unavailable("python3 is not installed (it writes the owner's mailbox)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/owner-scenario.py");
    let made = Command::new(python).arg(script).arg(dir.path()).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let out = Command::new(env!("CARGO_BIN_EXE_bouncescope"))
        .env("BOUNCESCOPE_CONFIG", "")
        .args(["report", "--all", "--format", "tsv"])
        .arg(dir.path().join("Maildir"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout).unwrap();
    // source → verdict of its first row ("" for a message that is no bounce).
    let mut got: HashMap<&str, &str> = HashMap::new();
    for line in report.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        got.entry(cells[0]).or_insert(cells[7]);
    }
    let truth = std::fs::read_to_string(dir.path().join("truth.tsv")).unwrap();
    let (mut right, mut total, mut real_as_backscatter) = (0, 0, Vec::new());
    let mut wrong = Vec::new();
    for line in truth.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (file, want) = (cells[0], cells[1]);
        let have = match got.get(file) {
            None | Some(&"") => "none",
            Some(v) => v,
        };
        total += 1;
        if have == want {
            right += 1;
        } else {
            wrong.push(format!("{file}: want {want}, got {have} ({})", cells.get(2).unwrap_or(&"")));
        }
        if want == "real" && have == "backscatter" {
            real_as_backscatter.push(file.to_string());
        }
    }
    assert!(total > 100, "the scenario has {total} messages");
    let share = right as f64 * 100.0 / total as f64;
    eprintln!("owner scenario: {right}/{total} verdicts right = {share:.1} %");
    assert!(real_as_backscatter.is_empty(), "real failures called backscatter: {real_as_backscatter:?}");
    assert!(share >= 97.0, "{right}/{total} = {share:.1} % right; wrong:\n{}", wrong.join("\n"));
}
