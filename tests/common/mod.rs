//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod browser;
pub mod harness;
pub mod server;

use std::path::{Path, PathBuf};

/// The build date every test pins, as `SOURCE_DATE_EPOCH` (seconds since
/// 1970-01-01 UTC): 2026-12-01. Builds take "today" from it, so no test
/// depends on the day it runs.
pub const BUILD_DATE: &str = "1796083200";

/// The repository root (the flagship site).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under tests/fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Copies a site into a fresh temporary folder so a test can change it.
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if matches!(
            first.as_deref(),
            Some("target" | "public" | ".git" | "src" | "tests")
        ) {
            continue;
        }
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// Runs `dossier` with `args` in `dir`.
pub fn dossier(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("dossier")
        .unwrap()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", BUILD_DATE)
        .args(args)
        .assert()
}

/// Reads a generated file as text.
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Builds the flagship site with `--strict` (no warnings: every glossary
/// term used, no plan out of date) into a temporary `public/`, optionally
/// with another `--base-url`.
pub fn build_flagship(base_url: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let mut args = vec!["build", "--strict", "--output", target.to_str().unwrap()];
    if let Some(url) = base_url {
        args.extend(["--base-url", url]);
    }
    dossier(&repo_root(), &args).success();
    out
}

/// The standard error of a finished `dossier` run, as text.
pub fn stderr(run: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(run.get_output().stderr.clone()).unwrap()
}

/// `dossier build` in `dir`, which must succeed; its standard error.
pub fn build(dir: &Path) -> String {
    stderr(&dossier(dir, &["build"]).success())
}

/// `dossier ARGS` in `dir`, which must fail; its standard error.
pub fn fails(dir: &Path, args: &[&str]) -> String {
    stderr(&dossier(dir, args).failure())
}

/// Writes `text` to `rel` under `root`, making its folder first.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A temporary site made of `(path, text)` files.
pub fn temp_site<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

/// The JSON value a search script assigns (`...]=VALUE;`).
pub fn script_value(public: &Path, file: &str) -> serde_json::Value {
    let text = read(public, file);
    let json = &text[text.find("]=").unwrap() + 2..text.trim_end().len() - 1];
    serde_json::from_str(json).unwrap()
}
