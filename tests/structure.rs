//! The house rules of the source tree, checked on the code itself: no file under `src/` over
//! 600 lines, every module opens with a line saying what it is for, and no import circle
//! between modules. A module may use its own submodules and ancestors; anything else it names
//! through `crate::` or `super::` makes its subtree depend on that module's, at the level where
//! the two part (siblings under one parent), and following dependencies never leads back to
//! where it started.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`["tui", "app"]`) → its source text without tests and comments.
fn modules() -> BTreeMap<Vec<String>, (PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().with_extension("");
        let mut path: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
        if path.last().is_some_and(|l| l == "mod") {
            path.pop();
        }
        if path == ["lib"] || path == ["main"] {
            continue;
        }
        out.insert(path, (f.clone(), std::fs::read_to_string(&f).unwrap()));
    }
    out
}

/// The code of a file as the build without tests sees it, comments taken out.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n")
}

/// Every path named from `module` through `crate::` or `super::`, `use` groups spread out.
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let re = regex::Regex::new(r"\b(crate|super)((?:::(?:super|[A-Za-z0-9_]+))*)(::\{([^;]*?)\})?").unwrap();
    let mut out = Vec::new();
    for c in re.captures_iter(code) {
        let mut rest: Vec<String> = c[2].split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
        let mut start: Vec<String> = Vec::new();
        if &c[1] == "super" {
            // `super` of `a/b.rs` and of `a/b/mod.rs` is `a`.
            start = module[..module.len().saturating_sub(1)].to_vec();
            while rest.first().is_some_and(|r| r == "super") {
                rest.remove(0);
                start.pop();
            }
        }
        let base: Vec<String> = start.into_iter().chain(rest).collect();
        out.push(base.clone());
        if let Some(group) = c.get(4) {
            for item in group.as_str().split(',') {
                let item = item.trim().trim_matches(['{', '}']).split_whitespace().next().unwrap_or("");
                if !item.is_empty() && item != "self" {
                    out.push(base.iter().cloned().chain(item.split("::").map(str::to_string)).collect());
                }
            }
        }
    }
    out
}

/// Which module a path names: its longest prefix that is a module.
fn module_of(path: &[String], mods: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| mods.contains(p))
}

#[test]
fn no_file_under_src_is_over_600_lines() {
    let long: Vec<String> = modules()
        .values()
        .filter(|(_, text)| text.lines().count() > 600)
        .map(|(f, text)| format!("{} ({} lines)", f.display(), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split by idea: {long:?}");
}

#[test]
fn every_module_says_what_it_is_for() {
    let silent: Vec<String> = modules()
        .values()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(f, _)| f.display().to_string())
        .collect();
    assert!(silent.is_empty(), "no //! line at the top of {silent:?}");
}

#[test]
fn no_import_goes_round_in_a_circle() {
    let mods = modules();
    let names: BTreeSet<Vec<String>> = mods.keys().cloned().collect();
    let mut deps = Deps::new();
    for (m, (_, text)) in &mods {
        for p in named_paths(m, &code(text)) {
            if let Some(t) = module_of(&p, &names)
                && !m.starts_with(&t)
                && !t.starts_with(m)
            {
                // A module stands for all of it: the dependency is between the two siblings
                // whose subtrees hold the user and the used (`tui::popups::viewer` naming
                // `tui::app` makes `tui::popups` depend on `tui::app`).
                let common = m.iter().zip(&t).take_while(|(a, b)| a == b).count();
                deps.entry(m[..=common].to_vec()).or_default().insert(t[..=common].to_vec());
            }
        }
    }
    assert!(deps.values().map(BTreeSet::len).sum::<usize>() > 50, "the check has teeth: {deps:?}");
    if let Some(circle) = circle(&deps) {
        panic!("import circle: {}", circle.iter().map(|m| m.join("::")).collect::<Vec<_>>().join(" → "));
    }
}

type Deps = BTreeMap<Vec<String>, BTreeSet<Vec<String>>>;

/// A way from some module back to itself, if there is one (depth-first from each module).
fn circle(deps: &Deps) -> Option<Vec<Vec<String>>> {
    for start in deps.keys() {
        let mut stack = vec![vec![start.clone()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            for next in deps.get(path.last().unwrap()).into_iter().flatten() {
                if next == start {
                    return Some(path.iter().chain([next]).cloned().collect());
                }
                if seen.insert(next.clone()) {
                    stack.push(path.iter().cloned().chain([next.clone()]).collect());
                }
            }
        }
    }
    None
}

/// The check itself reads paths from `use` lines and calls, and finds a circle when there is one.
#[test]
fn the_check_finds_a_circle_when_there_is_one() {
    let a = code("use crate::b::Thing; // crate::d\nfn f() { super::c::g(); }");
    let paths = named_paths(&["a".into()], &a);
    assert_eq!(paths.len(), 2, "comments are not code: {paths:?}");
    assert!(paths.contains(&vec!["b".to_string(), "Thing".to_string()]), "{paths:?}");
    assert!(paths.contains(&vec!["c".to_string(), "g".to_string()]), "{paths:?}");
    let grouped = named_paths(&["x".into(), "y".into()], "use super::{z::Z, w};");
    assert!(grouped.contains(&vec!["x".to_string(), "z".to_string(), "Z".to_string()]), "{grouped:?}");
    assert!(grouped.contains(&vec!["x".to_string(), "w".to_string()]), "{grouped:?}");
    let m = |s: &str| vec![s.to_string()];
    let mut deps = Deps::new();
    deps.entry(m("a")).or_default().insert(m("b"));
    deps.entry(m("b")).or_default().insert(m("c"));
    assert_eq!(circle(&deps), None);
    deps.entry(m("c")).or_default().insert(m("a"));
    assert_eq!(circle(&deps), Some(vec![m("a"), m("b"), m("c"), m("a")]));
}
