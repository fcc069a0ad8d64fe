//! What changed since the last build, classified from the paths a watcher
//! reported (in the spirit of Zola's `ChangeKind`). The pipeline uses it to
//! decide what to read again; everything read is then reused or not by its
//! content hash.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A change to the site's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Build everything from scratch (the first build, or an unknown
    /// change).
    Everything,
    /// These files or folders changed (created, written, removed, renamed).
    Paths(BTreeSet<PathBuf>),
}

/// What kind of change the paths make, from the broadest down: the
/// pipeline reads again what the kind calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Nothing the site depends on.
    None,
    /// The Markdown body of known files only.
    Body,
    /// The front-matter of known files.
    FrontMatter,
    /// A content file was added or removed (the content folder is listed
    /// again).
    AddedOrRemoved,
    /// A static file.
    Static,
    /// A template.
    Template,
    /// `site.toml`.
    Settings,
    /// Everything.
    Everything,
}

impl ChangeKind {
    /// A word for the console line.
    pub fn describe(self) -> &'static str {
        match self {
            ChangeKind::None => "nothing",
            ChangeKind::Body => "body",
            ChangeKind::FrontMatter => "front-matter",
            ChangeKind::AddedOrRemoved => "file added or removed",
            ChangeKind::Static => "static file",
            ChangeKind::Template => "template",
            ChangeKind::Settings => "site.toml",
            ChangeKind::Everything => "everything",
        }
    }
}

/// Where a changed path is, relative to the site's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    Settings,
    Template,
    Static,
    /// A content file (`faq/x.md`, relative to `content/`).
    Content(String),
    /// A content folder, or the content folder itself: list everything
    /// again (a folder moved or deleted reports one event, not one per
    /// file).
    ContentFolder,
    Elsewhere,
}

/// Classifies one changed path of the site in `root`.
pub(crate) fn place(root: &Path, path: &Path) -> Place {
    let Ok(rel) = path.strip_prefix(root) else {
        return Place::Elsewhere;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next();
    let rest: Vec<String> = parts.collect();
    let hidden = rest
        .iter()
        .chain(first.iter())
        .any(|p| p.starts_with('.') || p.ends_with('~'));
    if hidden {
        return Place::Elsewhere;
    }
    match first.as_deref() {
        Some("site.toml") => Place::Settings,
        Some("templates") => Place::Template,
        Some("static") => Place::Static,
        Some("content") => {
            let rel = rest.join("/");
            if rest.is_empty() || path.extension().is_none_or(|e| e != "md") && path.is_dir() {
                Place::ContentFolder
            } else if rel.ends_with(".md") {
                Place::Content(rel)
            } else if path.exists() && !path.is_dir() {
                // A bundle file (an image beside a page).
                Place::Content(rel)
            } else {
                Place::ContentFolder
            }
        }
        _ => Place::Elsewhere,
    }
}

/// True for the paths a rebuild depends on.
pub fn relevant(root: &Path, path: &Path) -> bool {
    place(root, path) != Place::Elsewhere
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_place() {
        let root = Path::new("/site");
        assert_eq!(place(root, Path::new("/site/site.toml")), Place::Settings);
        assert_eq!(
            place(root, Path::new("/site/templates/base.html")),
            Place::Template
        );
        assert_eq!(place(root, Path::new("/site/static/a.css")), Place::Static);
        assert_eq!(
            place(root, Path::new("/site/content/faq/x.md")),
            Place::Content("faq/x.md".into())
        );
        assert_eq!(
            place(root, Path::new("/site/content")),
            Place::ContentFolder
        );
        assert_eq!(
            place(root, Path::new("/site/content/faq/.x.md.swp")),
            Place::Elsewhere
        );
        assert_eq!(
            place(root, Path::new("/site/public/index.html")),
            Place::Elsewhere
        );
        assert_eq!(place(root, Path::new("/elsewhere/x")), Place::Elsewhere);
        assert!(!relevant(root, Path::new("/site/target/x")));
    }
}
