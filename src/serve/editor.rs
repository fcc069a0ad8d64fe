//! "Open in editor": the preview asks the server to open a page's source
//! file, and the server starts the writer's editor on it.
//!
//! Starting a program is the one thing the preview does beyond reading,
//! so the request must prove three things (checked in `http.rs`): it comes
//! over loopback, from a page of this server (`Origin`), and knows the
//! session's random token, which only pages served to this machine carry.
//! The file must then be one a writer edits: under `content/` or
//! `templates/`, or `site.toml`. The editor is `$VISUAL`, else `$EDITOR`,
//! else the system's default application; it is started without a shell,
//! with the file as its last argument, and never waited for by a request.

use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// Folders whose files may be opened, relative to the site's root.
const OPENABLE_FOLDERS: &[&str] = &["content", "templates"];

/// The one file outside them that may be opened: build errors point at it.
const SETTINGS_FILE: &str = "site.toml";

/// A per-session secret: 128 random bits as hex. Only pages served to
/// this machine carry it, and no other site can read those pages.
#[derive(Clone)]
pub(super) struct Token(String);

impl Token {
    /// A fresh token from the operating system's random source.
    pub(super) fn new() -> io::Result<Token> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(io::Error::other)?;
        Ok(Token(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// The token as written into pages.
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `given` is the token. Compares every byte whatever the
    /// first difference, so the time taken says nothing about the token.
    pub(super) fn matches(&self, given: Option<&str>) -> bool {
        let Some(given) = given else { return false };
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// Why a file is not opened.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum NotOpened {
    /// The path leaves the folders a writer edits (403).
    Outside,
    /// No such file (404).
    Missing,
    /// The editor could not be started (500), with why.
    Failed(String),
}

/// The file `rel` (a `/`-separated path relative to the site's `root`,
/// such as `content/faq/x.md`) if it may be opened: the real file, after
/// symbolic links, must lie under `content/` or `templates/`, or be
/// `site.toml`.
pub(super) fn resolve(root: &Path, rel: &str) -> Result<PathBuf, NotOpened> {
    let path = Path::new(rel);
    let mut parts = path.components();
    let first = match parts.next() {
        Some(Component::Normal(first)) => first.to_string_lossy().into_owned(),
        _ => return Err(NotOpened::Outside),
    };
    if !parts.all(|c| matches!(c, Component::Normal(_))) || rel.contains('\\') {
        return Err(NotOpened::Outside);
    }
    let folder = OPENABLE_FOLDERS.contains(&first.as_str());
    if !folder && rel != SETTINGS_FILE {
        return Err(NotOpened::Outside);
    }
    let real = std::fs::canonicalize(root.join(path)).map_err(|_| NotOpened::Missing)?;
    let root = std::fs::canonicalize(root).map_err(|_| NotOpened::Missing)?;
    let allowed = if folder {
        // A link inside content/ may not lead out of it.
        let base = std::fs::canonicalize(root.join(&first)).map_err(|_| NotOpened::Missing)?;
        real.starts_with(&base) && real != base
    } else {
        real == root.join(SETTINGS_FILE)
    };
    if !allowed {
        return Err(NotOpened::Outside);
    }
    if !real.is_file() {
        return Err(NotOpened::Missing);
    }
    Ok(real)
}

/// How a file is opened: the program and the arguments before the file.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Editor {
    /// `$VISUAL` or `$EDITOR`, split into words as a shell would, but run
    /// without one: `code --wait` is the program `code` and `--wait`.
    Command {
        /// The variable it came from, for messages.
        variable: &'static str,
        program: OsString,
        args: Vec<OsString>,
    },
    /// Neither is set: the system's default application for the file.
    SystemDefault,
}

impl Editor {
    /// The editor the environment names.
    pub(super) fn from_env() -> Result<Editor, String> {
        Editor::from_vars(|name| std::env::var_os(name))
    }

    /// The editor `var` names (`$VISUAL` first, then `$EDITOR`).
    fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Result<Editor, String> {
        for variable in ["VISUAL", "EDITOR"] {
            let Some(value) = var(variable) else { continue };
            let value = value.to_string_lossy().into_owned();
            if value.trim().is_empty() {
                continue;
            }
            let words = shlex::split(&value).ok_or_else(|| {
                format!("${variable} (`{value}`) has an unclosed quote or a trailing backslash")
            })?;
            let mut words = words.into_iter().map(OsString::from);
            let Some(program) = words.next() else {
                continue;
            };
            return Ok(Editor::Command {
                variable,
                program,
                args: words.collect(),
            });
        }
        Ok(Editor::SystemDefault)
    }

    /// What to call it on the console.
    pub(super) fn describe(&self) -> String {
        match self {
            Editor::Command {
                variable, program, ..
            } => format!("${variable} ({})", program.to_string_lossy()),
            Editor::SystemDefault => "the system's default application".to_string(),
        }
    }

    /// Starts the editor on `file` and returns at once. The child inherits
    /// the server's terminal, so a terminal editor in `$EDITOR` can use it
    /// (as git's and other dev servers' launchers do); a thread waits for
    /// it so that it leaves no zombie behind, and reports a failure.
    pub(super) fn open(&self, file: &Path) -> Result<(), NotOpened> {
        match self {
            Editor::Command {
                variable,
                program,
                args,
            } => {
                let mut child = Command::new(program)
                    .args(args)
                    .arg(file)
                    .stdin(Stdio::inherit())
                    .spawn()
                    .map_err(|e| {
                        NotOpened::Failed(format!(
                            "cannot start ${variable} (`{}`): {e}",
                            program.to_string_lossy()
                        ))
                    })?;
                let name = program.to_string_lossy().into_owned();
                std::thread::spawn(move || match child.wait() {
                    Ok(status) if !status.success() => {
                        eprintln!("the editor `{name}` ended with {status}");
                    }
                    _ => {}
                });
                Ok(())
            }
            // `open` tries xdg-open and its kin, `open` on macOS, `start`
            // on Windows, each as a program of its own, and waits only
            // briefly for a launcher that fails at once.
            Editor::SystemDefault => open::that_detached(file).map_err(|e| {
                NotOpened::Failed(format!(
                    "cannot open {} with the system's default application: {e}; \
                     set $VISUAL or $EDITOR to your editor",
                    file.display()
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = Token::new().unwrap();
        let b = Token::new().unwrap();
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a.as_str(), b.as_str());
        assert!(a.matches(Some(a.as_str())));
        assert!(!a.matches(Some(b.as_str())));
        assert!(!a.matches(Some(&a.as_str()[..31])));
        assert!(!a.matches(Some("")));
        assert!(!a.matches(None));
    }

    #[test]
    fn visual_comes_first_and_is_split_without_a_shell() {
        let vars = |visual: Option<&str>, editor: Option<&str>| {
            let (visual, editor) = (visual.map(OsString::from), editor.map(OsString::from));
            Editor::from_vars(move |name| match name {
                "VISUAL" => visual.clone(),
                "EDITOR" => editor.clone(),
                _ => None,
            })
        };
        let command = |program: &str, args: &[&str], variable| Editor::Command {
            variable,
            program: program.into(),
            args: args.iter().map(OsString::from).collect(),
        };
        assert_eq!(
            vars(Some("code --wait"), Some("vi")),
            Ok(command("code", &["--wait"], "VISUAL"))
        );
        assert_eq!(
            vars(Some("  "), Some("'/opt/my editor/bin/ed' -n")),
            Ok(command("/opt/my editor/bin/ed", &["-n"], "EDITOR"))
        );
        assert_eq!(
            vars(None, Some("vi; rm -rf ~")),
            Ok(command("vi;", &["rm", "-rf", "~"], "EDITOR")),
            "a semicolon is an argument, not a command separator"
        );
        assert_eq!(vars(None, None), Ok(Editor::SystemDefault));
        assert!(vars(Some("code 'unclosed"), None).is_err());
    }

    // Makes a symbolic link, which needs Unix.
    #[cfg(unix)]
    #[test]
    fn only_content_templates_and_settings_can_be_opened() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for dir in ["content/faq", "templates", "static"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "content/faq/x.md",
            "templates/base.html",
            "static/style.css",
            "site.toml",
            "secret.txt",
        ] {
            std::fs::write(root.join(file), "x").unwrap();
        }
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("content/leak.md")).unwrap();
        let real = std::fs::canonicalize(root).unwrap();
        assert_eq!(
            resolve(root, "content/faq/x.md"),
            Ok(real.join("content/faq/x.md"))
        );
        assert_eq!(
            resolve(root, "templates/base.html"),
            Ok(real.join("templates/base.html"))
        );
        assert_eq!(resolve(root, "site.toml"), Ok(real.join("site.toml")));
        for outside in [
            "secret.txt",
            "static/style.css",
            "content/../secret.txt",
            "content/leak.md",
            "/etc/passwd",
            "../x",
            "content\\..\\secret.txt",
            "",
            "content",
        ] {
            assert_eq!(resolve(root, outside), Err(NotOpened::Outside), "{outside}");
        }
        assert_eq!(
            resolve(root, "content/faq/none.md"),
            Err(NotOpened::Missing)
        );
        assert_eq!(resolve(root, "content/faq"), Err(NotOpened::Missing));
    }
}
