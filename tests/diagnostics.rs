//! One fixture per kind of mistake (tests/fixtures/errors/KIND): each is the
//! `basic` site with the files of `overlay/` put on top. The build must fail
//! with exactly the message in `expected.txt`, and leave the output of the
//! previous good build byte-for-byte as it was.
//!
//! After a deliberate change of wording, `DOSSIER_BLESS=1 cargo test --test
//! diagnostics` rewrites the expected files; read every one before committing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{copy_site, dossier, fixture, snapshot};

/// Copies `from` onto `to`, keeping symbolic links as links.
fn overlay(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.path_is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn run_fixture(name: &str) -> Result<(), String> {
    let dir = fixture("errors").join(name);
    let site = copy_site(&fixture("basic"));
    common::dossier(site.path(), &["build"]).success();
    let before = snapshot(&site.path().join("public"));

    overlay(&dir.join("overlay"), site.path());
    let extra = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut args = vec!["build"];
    args.extend(extra.split_whitespace());
    let output = common::dossier(site.path(), &args).get_output().clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    if output.status.code() != Some(1) {
        return Err(format!(
            "{name}: exit code {:?}, expected 1\n{stderr}",
            output.status.code()
        ));
    }
    let expected_file = dir.join("expected.txt");
    if std::env::var("DOSSIER_BLESS").as_deref() == Ok("1") {
        std::fs::write(&expected_file, &stderr).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
    if stderr != expected {
        return Err(format!(
            "{name}: message differs\n--- expected\n{expected}\n--- got\n{stderr}"
        ));
    }
    if snapshot(&site.path().join("public")) != before {
        return Err(format!(
            "{name}: the previous output was changed by a failed build"
        ));
    }
    Ok(())
}

#[test]
fn every_error_kind_has_its_message_and_keeps_the_previous_output() {
    let mut names: Vec<String> = std::fs::read_dir(fixture("errors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "fixtures: {names:?}");
    let failures: Vec<String> = names.iter().filter_map(|n| run_fixture(n).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_failed_write_keeps_the_previous_output() {
    // A static file where a page needs a folder makes writing fail half-way
    // through the staging folder; the output must not have moved.
    let site = copy_site(&fixture("basic"));
    common::dossier(site.path(), &["build"]).success();
    let before = snapshot(&site.path().join("public"));
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(
        site.path().join("static/faq"),
        "a file where the faq folder goes",
    )
    .unwrap();
    let out = common::dossier(site.path(), &["build"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("error: cannot write"), "{err}");
    assert!(
        err.contains("the previous output, if any, was left as it was"),
        "{err}"
    );
    assert_eq!(snapshot(&site.path().join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dossier-staging") || n.contains("dossier-old"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folder cleaned up: {leftovers:?}"
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let site = copy_site(&fixture("basic"));
    std::fs::write(
        site.path().join("content/faq/bad1.md"),
        "+++\ntitle = \"x\"\nsumary = \"y\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/timeline/bad2.md"),
        "+++\ntitle = \"x\"\ndate = \"2025-13\"\n+++\n",
    )
    .unwrap();
    let out = dossier(site.path(), &["build"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("content/faq/bad1.md:3:1"), "{err}");
    assert!(err.contains("unknown key `sumary`"), "{err}");
    assert!(err.contains("content/timeline/bad2.md:3:8"), "{err}");
    assert!(err.contains("bad date `2025-13`"), "{err}");
    assert!(err.contains("build failed with 2 error(s)"), "{err}");
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = copy_site(&fixture("basic"));
    dossier(site.path(), &["build", "--no-such-flag"]).code(2);
}
