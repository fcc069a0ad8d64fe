//! Progress of long builds and checks: a bar on a terminal, nothing more
//! than the summary in a log, nothing with `--quiet`. The terminal is a
//! pseudo-terminal from util-linux's `script`, so this runs on Linux.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{BUILD_DATE, copy_site, fixture};

/// The basic site with a question template that loops 16 million times,
/// so that rendering each question lasts well over the second after which
/// progress shows, on any machine.
fn slow_site() -> tempfile::TempDir {
    let site = copy_site(&fixture("basic"));
    let template = std::fs::read_to_string(common::repo_root().join("templates/question.html"))
        .unwrap()
        .replacen(
            "{% block content %}",
            "{% block content %}{% for i in range(end=4000) %}{% for j in range(end=4000) %}{% endfor %}{% endfor %}",
            1,
        );
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/question.html"), template).unwrap();
    site
}

/// Runs `dossier ARGS` in `root` with stderr (and stdout) on a terminal;
/// returns everything it wrote there.
fn on_terminal(root: &Path, args: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin("dossier");
    let command = format!("'{}' {args}", binary.display());
    let output = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", BUILD_DATE)
        .output()
        .expect("util-linux `script` runs the command on a pseudo-terminal");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "dossier {args}:\n{text}");
    text
}

/// Runs `dossier ARGS` in `root` with stderr a pipe, as in a CI log.
fn in_a_log(root: &Path, args: &[&str]) -> String {
    let output = common::dossier(root, args).success().get_output().clone();
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_long_build_shows_a_bar_on_a_terminal_only() {
    let site = slow_site();
    let root = site.path();

    let shown = on_terminal(root, "build");
    assert!(
        shown.contains("building") && shown.contains("files written"),
        "a bar with the count of files: {shown:?}"
    );
    assert!(shown.contains("\x1b[2K"), "drawn over itself: {shown:?}");
    assert!(shown.contains("built 2 questions"), "{shown:?}");

    let logged = in_a_log(root, &["build"]);
    assert!(
        !logged.contains('\r') && !logged.contains("\x1b["),
        "no control characters in a log: {logged:?}"
    );
    assert!(!logged.contains("building"), "{logged:?}");
    assert_eq!(
        logged.lines().filter(|l| l.starts_with("built ")).count(),
        1,
        "the summary is the one line a build ends with: {logged:?}"
    );

    let quiet = on_terminal(root, "--quiet build");
    assert!(
        !quiet.contains("building") && !quiet.contains("\x1b[2K"),
        "--quiet draws no bar: {quiet:?}"
    );
}

#[test]
fn a_long_check_shows_a_bar_on_a_terminal_only() {
    let site = slow_site();
    let root = site.path();

    let shown = on_terminal(root, "check");
    assert!(
        shown.contains("building") && shown.contains("files built"),
        "{shown:?}"
    );

    let logged = in_a_log(root, &["check"]);
    assert!(
        !logged.contains('\r') && !logged.contains("\x1b[") && !logged.contains("building"),
        "{logged:?}"
    );

    let quiet = on_terminal(root, "--quiet check");
    assert!(!quiet.contains("building"), "{quiet:?}");
}
