//! The command line as a tool: version, shell completions, manual pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dossier;

const COMMANDS: [&str; 7] = [
    "build",
    "serve",
    "check",
    "new",
    "init",
    "completions",
    "man",
];

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn version_names_the_crate_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&dossier(dir.path(), &["--version"]).success());
    assert!(
        out.starts_with(&format!("dossier {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
}

#[test]
fn bash_completions_name_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let script = stdout(&dossier(dir.path(), &["completions", "bash"]).success());
    assert!(script.contains("_dossier()"), "{script}");
    assert!(script.contains("complete -F _dossier"), "{script}");
    for command in COMMANDS {
        assert!(script.contains(command), "no `{command}` in the script");
    }
    // The options of a command are completed too.
    assert!(script.contains("--base-url"), "{script}");
}

#[test]
fn every_shell_gets_a_script() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&dossier(dir.path(), &["completions", shell]).success());
        assert!(script.contains("dossier"), "{shell}");
    }
    dossier(dir.path(), &["completions", "tcsh"]).code(2);
}

#[test]
fn man_page_is_roff_with_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let page = stdout(&dossier(dir.path(), &["man"]).success());
    assert!(page.contains(".TH dossier 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for command in COMMANDS {
        assert!(
            page.contains(&format!("dossier\\-{command}(1)")),
            "no `{command}` in the page"
        );
    }
    let build = stdout(&dossier(dir.path(), &["man", "build"]).success());
    assert!(build.contains(".TH dossier-build 1"), "{build}");
    assert!(build.contains("base\\-url"), "{build}");
    let err = dossier(dir.path(), &["man", "nope"]).code(2);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(err.contains("the commands are: build, serve"), "{err}");
}
