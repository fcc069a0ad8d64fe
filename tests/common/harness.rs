//! The test list of the browser and checker tests, on `libtest-mimic`
//! (their target has `harness = false`).
//!
//! The standard harness can only pass or fail a test that finds its browser
//! or checker missing, so such a test used to show `ok` without checking
//! anything. Here what each test needs is looked at before any test runs:
//! a test whose prerequisite is missing is listed as `ignored`, with the
//! reason printed once, and under `DOSSIER_REQUIRE_BROWSER=1` (CI) it runs
//! and fails with that reason instead.

use std::path::PathBuf;
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};

use super::{browser, repo_root};

/// Something a test needs that `cargo test` cannot install.
#[derive(Clone, Copy)]
pub enum Needs {
    /// Chromium and ChromeDriver (see [`browser::missing`]).
    Chromium,
    /// A checker installed from npm, by its path under `node_modules`.
    Checker(&'static str),
}

impl Needs {
    /// Why this is missing and how to install it, or `None` when present.
    fn missing(self) -> Option<String> {
        match self {
            Needs::Chromium => browser::missing(),
            Needs::Checker(rel) => {
                let path = checker(rel);
                (!path.exists()).then(|| {
                    format!(
                        "{} is missing. Install it with `npm install --prefix target/checkers vnu-jar@26.9.27 axe-core@4.14.1` and a Java runtime (.ci/run does).",
                        path.display()
                    )
                })
            }
        }
    }
}

/// A checker from npm: under `DOSSIER_CHECKERS`, or `target/checkers`,
/// where `.ci/run` installs them.
pub fn checker(rel: &str) -> PathBuf {
    std::env::var_os("DOSSIER_CHECKERS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/checkers"))
        .join("node_modules")
        .join(rel)
}

/// One test: its name, what it needs, and its body, which asserts (panics)
/// as a `#[test]` function does.
pub struct Check {
    /// The name `cargo test` shows and filters on: the function's.
    pub name: &'static str,
    /// What must be installed for it to run.
    pub needs: &'static [Needs],
    /// The test.
    pub run: fn(),
}

/// A [`Check`] named after its function: `check!(my_test, [Needs::Chromium])`.
// `common` is compiled into every test target; only `quality` uses this.
#[allow(unused_macros)]
macro_rules! check {
    ($test:ident, [$($needs:expr),* $(,)?]) => {
        $crate::common::harness::Check {
            name: stringify!($test),
            needs: &[$($needs),*],
            run: $test,
        }
    };
}
#[allow(unused_imports)]
pub(crate) use check;

/// Runs `checks` with `cargo test`'s arguments (filters, `--list`,
/// `--ignored`, ...) and returns the exit code.
pub fn run(checks: &[Check]) -> ExitCode {
    let args = Arguments::from_args();
    let required = std::env::var("DOSSIER_REQUIRE_BROWSER").as_deref() == Ok("1");
    let mut reasons: Vec<String> = Vec::new();
    let trials: Vec<Trial> = checks
        .iter()
        .map(|check| {
            let missing: Vec<String> = check.needs.iter().filter_map(|n| n.missing()).collect();
            if missing.is_empty() {
                let test = check.run;
                return Trial::test(check.name, move || {
                    test();
                    Ok(())
                });
            }
            let why = missing.join("\n");
            // Run anyway (DOSSIER_REQUIRE_BROWSER=1, or `--include-ignored`):
            // the test fails with the reason.
            let trial = Trial::test(check.name, move || {
                Err(Failed::from(format!("this test cannot run here: {why}")))
            });
            if required {
                return trial;
            }
            let trial = trial.with_ignored_flag(true);
            if !args.is_filtered_out(&trial) {
                for reason in missing {
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
            }
            trial
        })
        .collect();
    // Not said when nothing is ignored after all (`--list`, `--include-ignored`).
    if !reasons.is_empty() && !args.list && !args.ignored && !args.include_ignored {
        eprintln!("\n!!! IGNORING the browser and checker tests that cannot run here:");
        for reason in &reasons {
            eprintln!("!!! {reason}");
        }
        eprintln!("!!! Set DOSSIER_REQUIRE_BROWSER=1 to make this a failure (CI does).\n");
    }
    libtest_mimic::run(&args, trials).exit_code()
}
