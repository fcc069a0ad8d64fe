//! Sets `DOSSIER_VERSION` for `dossier --version`: the crate's version and,
//! when built from a git checkout, the short commit (`0.1.0 (2af1a63)`), so
//! that a bug report names the exact code. Outside a checkout (a published
//! crate) or without git it is the version alone.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    // `.git` is a folder in a clone and a file in a worktree; without it the
    // commit would be that of some enclosing repository, or none.
    let commit = if manifest.join(".git").exists() {
        watch_head();
        git(&["rev-parse", "--short", "HEAD"])
    } else {
        None
    };
    match commit {
        Some(commit) => println!("cargo:rustc-env=DOSSIER_VERSION={version} ({commit})"),
        None => println!("cargo:rustc-env=DOSSIER_VERSION={version}"),
    }
}

/// Reruns this script when HEAD moves: a checkout changes `HEAD`, a commit
/// changes the branch's ref (loose, or in `packed-refs`).
fn watch_head() {
    let (Some(git_dir), Some(common_dir)) = (
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ) else {
        return;
    };
    // Only files that exist: cargo reruns a script whose watched file is
    // missing on every build.
    let rerun = |path: &Path| {
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    };
    rerun(&Path::new(&git_dir).join("HEAD"));
    let common = Path::new(&common_dir);
    rerun(&common.join("packed-refs"));
    if let Some(reference) = git(&["rev-parse", "--symbolic-full-name", "HEAD"])
        && reference.starts_with("refs/")
    {
        rerun(&common.join(reference));
    }
}
