//! Load stage: walk `content/`, read every Markdown file and split its
//! `+++` TOML front-matter from the body.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Span};

/// One content file, read and split, not yet interpreted.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path shown to the user, relative to the site root: `content/faq/x.md`.
    pub path: Arc<Path>,
    /// Path relative to `content/` with `/` separators: `faq/x.md`. This is
    /// what `@/` links name.
    pub rel: Arc<str>,
    /// The whole file.
    pub text: Arc<str>,
    /// Byte range of the TOML between the `+++` fences.
    pub front_matter: Range<usize>,
    /// Byte range of the Markdown after the closing fence.
    pub body: Range<usize>,
    /// Hash of `text`, so that later stages can tell an unchanged file from
    /// a changed one without comparing texts (`dossier serve`).
    pub hash: u64,
    /// Hash of the path and front-matter alone: an edit that leaves it as
    /// it was changes only the body.
    pub front_hash: u64,
}

/// Hashes anything hashable, the same way in every run. foldhash is several
/// times faster than the standard SipHash on the many small keys `dossier
/// serve` compares on each rebuild.
pub fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x0064_6f73_7369_6572).hash_one(value)
}

impl Source {
    /// The front-matter text.
    pub fn front_matter_text(&self) -> &str {
        self.text.get(self.front_matter.clone()).unwrap_or("")
    }

    /// The Markdown body.
    pub fn body_text(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or("")
    }

    /// A span over `range` of this file.
    pub fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.path.clone(), self.text.clone(), range)
    }
}

/// The content files of a site: every `.md` file under `root/content`,
/// read and split, in a stable order; and the other files of page bundles
/// (`content/faq/x/chip.png` beside `content/faq/x/index.md`), which are
/// published beside their page.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The Markdown files, read and split.
    pub sources: Vec<Source>,
    /// Files in bundle folders: path on disk and path under `content/`.
    pub assets: Vec<(PathBuf, String)>,
}

/// Reads the content of the site in `root` (see [`Loaded`]).
///
/// Hidden files and folders (editor swap files, `.git`) are skipped.
/// Files that could be read are returned along with every problem, so that
/// later stages can report their own problems in the same run; warnings
/// (skipped special files, links that leave the site) are among them.
pub fn load(root: &Path) -> (Loaded, Vec<Diagnostic>) {
    let (files, mut problems) = content_files(root);
    let content = root.join("content");
    let (markdown, others): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(f, _)| f.extension().is_some_and(|x| x == "md"));
    let results: Vec<Result<Source, Diagnostic>> = markdown
        .par_iter()
        .map(|(file, _)| read_source(root, &content, file))
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(s) => sources.push(s),
            Err(d) => problems.push(d),
        }
    }
    let bundles: std::collections::HashSet<&str> = sources
        .iter()
        .filter_map(|s| s.rel.strip_suffix("index.md"))
        .filter(|dir| !dir.is_empty())
        .collect();
    let assets = others
        .into_iter()
        .filter(|(_, rel)| {
            rel.rfind('/')
                .and_then(|i| rel.get(..=i))
                .is_some_and(|dir| bundles.contains(dir))
        })
        .collect();
    (Loaded { sources, assets }, problems)
}

/// Every file under `root/content` (see [`site_files`]), or an error when
/// there is no content folder.
pub fn content_files(root: &Path) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let content = root.join("content");
    if !content.is_dir() {
        let missing = Diagnostic::error_in(
            "there is no content folder",
            Some(Path::new("content").into()),
        )
        .with_help(format!(
            "create {} with an _index.md, or run `dossier init DIR` for a new site",
            content.display()
        ));
        return (Vec::new(), vec![missing]);
    }
    site_files(root, &content)
}

/// `path` relative to `dir`, with `/` separators: the form that `@/` links,
/// template names and output paths use.
pub fn rel_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every regular file under `dir` (a folder of the site in `root`), sorted
/// by name, with its path relative to `dir` (see [`rel_path`]).
///
/// - Hidden files and folders (editor swap files, `.git`) are skipped.
/// - Symbolic links are followed, to files and to folders, as long as they
///   stay inside the site; one that leads outside it is refused with a
///   warning naming it, so that nothing outside the site is published by
///   accident. A dangling link is an error.
/// - Anything that is not a regular file or a folder (a FIFO, a socket, a
///   device), also behind a link, is skipped with a warning: reading one
///   could block the build for ever.
pub fn site_files(root: &Path, dir: &Path) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(|p| shown_path(root, p));
                let diagnostic = match (err.loop_ancestor(), err.io_error()) {
                    (Some(_), _) => Diagnostic::error_in(
                        "this symbolic link leads back into a folder that contains it",
                        path,
                    )
                    .with_help("remove the link; dossier follows links only to files and folders inside the site"),
                    (None, Some(io)) => Diagnostic::error_in(format!("cannot read this file: {io}"), path)
                        .with_help("check that the file exists and that you may read it"),
                    (None, None) => Diagnostic::error_in(format!("cannot read this: {err}"), path),
                };
                problems.push(diagnostic);
                continue;
            }
        };
        if e.path_is_symlink() {
            let inside = std::fs::canonicalize(e.path())
                .map(|target| target.starts_with(&real_root))
                .unwrap_or(false);
            if !inside {
                problems.push(
                    Diagnostic::error_in(
                        "this symbolic link leads outside the site; it was not followed",
                        Some(shown_path(root, e.path())),
                    )
                    .warning()
                    .with_help("copy the file into the site instead, so that what is published is in the site's folder"),
                );
                continue;
            }
        }
        let kind = e.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            problems.push(
                Diagnostic::error_in(
                    "this is not a regular file (a FIFO, socket or device); it was skipped",
                    Some(shown_path(root, e.path())),
                )
                .warning()
                .with_help("only regular files and folders belong in a site"),
            );
            continue;
        }
        let rel = rel_path(dir, e.path());
        files.push((e.into_path(), rel));
    }
    (files, problems)
}

fn shown_path(root: &Path, path: &Path) -> Arc<Path> {
    path.strip_prefix(root).unwrap_or(path).into()
}

/// Reads and splits one file.
pub fn read_source(root: &Path, content: &Path, file: &Path) -> Result<Source, Diagnostic> {
    let path = shown_path(root, file);
    let rel = rel_path(content, file);
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostic::error_in(format!("cannot read this file: {e}"), Some(path.clone()))
            .with_help("check that the file exists and that you may read it")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = String::from_utf8_lossy(e.as_bytes()).into();
            // In the lossy text every byte before `bad` is unchanged.
            return Err(Diagnostic::error(
                "this file is not valid UTF-8",
                Span::new(path, lossy, bad..bad + 1),
            )
            .with_label("invalid byte here")
            .with_help("save the file as UTF-8 in your editor"));
        }
    };
    split(path, rel, text.into())
}

/// Splits `text` into front-matter and body.
pub fn split(path: Arc<Path>, rel: String, text: Arc<str>) -> Result<Source, Diagnostic> {
    let span = |r: Range<usize>| Span::new(path.clone(), text.clone(), r);
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = text.get(start..).unwrap_or("");
    if rest.trim().is_empty() {
        return Err(Diagnostic::error_in("this file is empty", Some(path.clone())).with_help(
            "a content file starts with `+++`, TOML front-matter such as `title = \"...\"`, a closing `+++`, then Markdown",
        ));
    }
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let first_line = rest.get(..first_line_end).unwrap_or("").trim_end();
    if first_line == "---" {
        return Err(Diagnostic::error(
            "front-matter must be TOML between `+++` lines, not YAML between `---` lines",
            span(start..start + 3),
        )
        .with_label("YAML front-matter starts here")
        .with_help(yaml_hint(rest)));
    }
    if first_line != "+++" {
        return Err(Diagnostic::error(
            "this file does not start with `+++` front-matter",
            span(start..start + first_line.len()),
        )
        .with_label("expected `+++` on the first line")
        .with_help(
            "start the file with a line `+++`, then TOML such as `title = \"...\"`, then a closing `+++` line",
        ));
    }
    let fm_start = start + first_line_end;
    let mut pos = fm_start;
    for line in text.get(fm_start..).unwrap_or("").split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = pos + line.len();
            let front_hash = hash_of(&(&rel, fm_start, text.get(fm_start..pos)));
            return Ok(Source {
                path,
                rel: rel.into(),
                front_matter: fm_start..pos,
                body: body_start..text.len(),
                hash: hash_of(&*text),
                front_hash,
                text,
            });
        }
        pos += line.len();
    }
    Err(
        Diagnostic::error("the front-matter is never closed", span(start..start + 3))
            .with_label("opened here, but no closing `+++` line follows")
            .with_help("add a line containing only `+++` after the last front-matter key"),
    )
}

/// Shows what YAML front-matter would look like in TOML, for simple
/// `key: value` lines, so the user can copy it.
fn yaml_hint(text: &str) -> String {
    let mut toml = String::from("+++\n");
    for line in text.lines().skip(1) {
        if line.trim_end() == "---" {
            break;
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            let bare = value.starts_with('[')
                || value.starts_with('"')
                || value.parse::<f64>().is_ok()
                || value == "true"
                || value == "false";
            let quoted = if bare {
                value.to_string()
            } else {
                format!("{value:?}")
            };
            toml.push_str(&format!("{} = {quoted}\n", key.trim()));
        }
    }
    toml.push_str("+++");
    format!("write the front-matter as TOML:\n{toml}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(text: &str) -> Result<Source, Diagnostic> {
        split(Path::new("content/a.md").into(), "a.md".into(), text.into())
    }

    #[test]
    fn front_matter_and_body_are_separated() {
        let s = split_str("+++\ntitle = \"x\"\n+++\n\nBody *here*.\n").unwrap();
        assert_eq!(s.front_matter_text(), "title = \"x\"\n");
        assert_eq!(s.body_text(), "\nBody *here*.\n");
    }

    #[test]
    fn closing_fence_may_end_the_file_and_use_crlf() {
        let s = split_str("+++\r\ntitle = \"x\"\r\n+++").unwrap();
        assert_eq!(s.front_matter_text(), "title = \"x\"\r\n");
        assert_eq!(s.body_text(), "");
    }

    #[test]
    fn yaml_front_matter_is_explained_with_toml_equivalent() {
        let e = split_str("---\ntitle: Hello\nweight: 2\n---\n").unwrap_err();
        let help = e.help.unwrap();
        assert!(help.contains("title = \"Hello\""), "{help}");
        assert!(help.contains("weight = 2"), "{help}");
    }

    #[test]
    fn unclosed_and_missing_fences_are_errors() {
        assert!(
            split_str("+++\ntitle = \"x\"\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
        assert!(
            split_str("# Just markdown\n")
                .unwrap_err()
                .message
                .contains("does not start with `+++`")
        );
        assert!(split_str("  \n").unwrap_err().message.contains("empty"));
    }
}
