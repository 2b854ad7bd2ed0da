//! `report --redact`, the report a support desk hands to a customer: no local path, no address
//! of the owner's beyond its domain, no command-line hint; a line saying when it was made.

mod support {
    pub mod owner;
}

use std::process::Command;

#[test]
fn a_redacted_report_shows_no_paths_owner_addresses_or_flag_hints() {
    let dir = tempfile::tempdir().unwrap();
    let (md, _) = support::owner::maildir(dir.path());
    let local = support::owner::OWNER.split('@').next().unwrap();
    let here = dir.path().display().to_string();
    for format in ["html", "md", "json", "csv", "tsv"] {
        let run = |redact: bool| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_bouncescope"));
            c.env("BOUNCESCOPE_CONFIG", "").env("SOURCE_DATE_EPOCH", "1798761600");
            c.args(["report", "--all", "--format", format]).arg(&md);
            // No Sent folder for the flag hints to show up, and a second mailbox for full paths.
            c.args(["--sent", "/dev/null/none", "--me", support::owner::OWNER])
                .arg(dir.path().join("Maildir/.Verzonden"));
            if redact {
                c.arg("--redact");
            }
            let out = c.output().unwrap();
            assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        let (plain, redacted) = (run(false), run(true));
        // The check has teeth: the plain report holds what the redacted one must not.
        assert!(plain.contains(&here), "{format}: the plain report names the paths");
        if format == "json" {
            assert!(plain.contains(&format!("{local}@")), "{format}: the plain report names the owner");
            assert!(redacted.contains("…@voorbeeld.nl"), "{format}: the owner's domain stays");
        }
        assert!(!redacted.contains(&here), "{format}: a path is left:\n{redacted}");
        assert!(!redacted.contains(&format!("{local}@")), "{format}: the owner's address is left:\n{redacted}");
        if plain.contains("--sent") {
            assert!(!redacted.contains("--sent") && !redacted.contains("--relay"), "{format}: a flag hint is left");
        }
        if format == "html" || format == "md" {
            assert!(redacted.contains("Generated 2027-01-01 00:00 UTC"), "{format}: no generated line");
        }
    }
}
