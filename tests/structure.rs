//! The shape of the code, as STYLE.md asks for it: no source file over 600
//! lines, and no import cycle between the top-level modules of `src/`
//! (each stage takes its input from an earlier one and never reaches
//! back). Function length (100 lines) is clippy's `too_many_lines`, denied
//! in Cargo.toml.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            files.push(entry.path().to_path_buf());
        }
    }
    files.sort();
    files
}

/// The top-level module a file of `src/` belongs to: `link` for
/// `src/link/targets.rs`, `config` for `src/config.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// The file without its unit tests (`#[cfg(test)] mod tests { ... }`,
/// which always come last): tests may use any module.
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The top-level modules `text` names as `crate::NAME`, including those
/// inside a `use crate::{a, b::c}` group.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_whitespace() => {}
                    _ if item_start && depth == 0 => {
                        found.insert(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(after));
        }
        rest = after;
    }
    found.retain(|m| !m.is_empty());
    found
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        for file in rust_files(&root.join(dir)) {
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            if lines > 600 {
                long.push(format!("{} ({lines} lines)", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "split these by job: {long:#?}");
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src) {
        let module = module_of(&src, &file);
        if module == "main" || module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let refs = crate_references(without_tests(&text));
        let entry = uses.entry(module.clone()).or_default();
        entry.extend(refs.into_iter().filter(|m| *m != module));
    }
    assert!(uses.len() > 20, "the modules were found: {:?}", uses.keys());
    assert!(
        uses["pipeline"].contains("link") && uses["link"].contains("content"),
        "references were read: {uses:?}"
    );
    // A cycle exists when a module reaches itself through its uses.
    let mut cycles = Vec::new();
    for start in uses.keys() {
        let mut path = vec![start.clone()];
        let mut seen = BTreeSet::new();
        if let Some(cycle) = reach(start, start, &uses, &mut path, &mut seen) {
            cycles.push(cycle.join(" -> "));
        }
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

/// Depth-first search from `at` for a path back to `target`.
fn reach(
    target: &str,
    at: &str,
    uses: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    for next in uses.get(at).into_iter().flatten() {
        if next == target {
            let mut cycle = path.clone();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(c) = reach(target, next, uses, path, seen) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn references_are_read_from_paths_and_groups() {
    let refs = crate_references(
        "use crate::config::Config;\nuse crate::{link::Index, load::{Source, hash_of}};\nlet x = crate::urls::paths::HOME;",
    );
    let want: BTreeSet<String> = ["config", "link", "load", "urls"].map(String::from).into();
    assert_eq!(refs, want);
}
