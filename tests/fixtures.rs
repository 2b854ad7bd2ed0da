//! Rule, theme and config files, valid and invalid (`tests/data/fixtures/{rules,themes,config}`):
//! every valid file loads; every invalid one is refused with exactly the one-line error written
//! beside it in `tests/data/fixtures/errors.tsv` (the file's path, then what is wrong with it).

use bouncescope::classify::Rules;
use bouncescope::tui::theme::Theme;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures(kind: &str, validity: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixtures").join(kind).join(validity);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// Load a fixture as what it is; the error as printed.
fn load(kind: &str, path: &Path) -> Result<(), String> {
    match kind {
        "rules" => Rules::with_files(&[path]).map(|_| ()).map_err(|e| e.to_string()),
        "themes" => Theme::load(path.to_str().unwrap()).map(|_| ()).map_err(|e| e.to_string()),
        "config" => bouncescope::config::load(path).map(|_| ()).map_err(|e| e.to_string()),
        _ => unreachable!(),
    }
}

#[test]
fn valid_files_load() {
    for kind in ["rules", "themes", "config"] {
        for f in fixtures(kind, "valid") {
            if let Err(e) = load(kind, &f) {
                panic!("{}: {e}", f.display());
            }
        }
    }
}

#[test]
fn invalid_files_are_refused_with_their_one_line_error() {
    let table =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fixtures/errors.tsv")).unwrap();
    let want: BTreeMap<&str, &str> =
        table.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).filter_map(|l| l.split_once('\t')).collect();
    let mut got = Vec::new();
    for kind in ["rules", "themes", "config"] {
        for f in fixtures(kind, "invalid") {
            let name = format!("{kind}/invalid/{}", f.file_name().unwrap().to_string_lossy());
            let e = load(kind, &f).expect_err(&name);
            assert!(!e.contains('\n'), "{name}: more than one line: {e}");
            let prefix = format!("{}: ", f.display());
            let rest = e.strip_prefix(&prefix).unwrap_or_else(|| panic!("{name}: does not name the file: {e}"));
            got.push((name, rest.to_string()));
        }
    }
    let listing: String = got.iter().map(|(n, e)| format!("{n}\t{e}\n")).collect();
    for (name, e) in &got {
        assert_eq!(want.get(name.as_str()).copied(), Some(e.as_str()), "{name}; all errors now:\n{listing}");
    }
    assert_eq!(want.len(), got.len(), "errors.tsv lists fixtures that are gone:\n{listing}");
}
