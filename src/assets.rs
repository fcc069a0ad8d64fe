//! Static assets: the built-in stylesheet, script and icon, the generated
//! highlighting stylesheet, and the site's own `static/` folder.
//!
//! Stylesheets and scripts get a content hash in their file name
//! (`style.3f9a1c2b.css`), so a host can cache them forever: a changed file
//! gets a new name. Templates reach them through `asset(path="style.css")`
//! or the `urls` value. Other files (images, fonts) keep their names, since
//! Markdown may refer to them directly.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::load::hash_of;
use crate::output::OutputFile;
use crate::theme::STATIC as DEFAULT_STATIC;

/// Every static file of the site, as written to the output.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// The files with their output paths (hashed where that applies).
    pub files: Vec<OutputFile>,
    /// Original path (`style.css`) to output path (`style.3f9a1c2b.css`).
    names: Arc<HashMap<String, String>>,
    /// Problems that did not stop the build (skipped files).
    pub warnings: Vec<Diagnostic>,
}

/// True for the files that get a hashed name.
fn hashed(path: &str) -> bool {
    path.ends_with(".css") || path.ends_with(".js")
}

/// `dir/name.ext` with the hash before the extension.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash = format!("{:08x}", hash_of(bytes) as u32);
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{hash}.{ext}")
        }
        _ => format!("{path}.{hash}"),
    }
}

impl Assets {
    /// Reads the site's static files over the built-in ones and adds the
    /// highlighting stylesheet.
    pub fn collect(root: &Path) -> Result<Assets, Vec<Diagnostic>> {
        let mut by_path: std::collections::BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect();
        by_path.insert("syntax.css".to_string(), Highlighter::css().into_bytes());
        let dir = root.join("static");
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        if dir.is_dir() {
            let (files, found) = crate::load::site_files(root, &dir);
            let (errors, skipped): (Vec<_>, Vec<_>) = found
                .into_iter()
                .partition(|d| d.severity == crate::diagnostic::Severity::Error);
            problems.extend(errors);
            warnings.extend(skipped);
            for (file, rel) in files {
                match std::fs::read(&file) {
                    Ok(bytes) => {
                        by_path.insert(rel, bytes);
                    }
                    Err(e) => problems.push(
                        Diagnostic::error_in(
                            format!("cannot read this static file: {e}"),
                            Some(Path::new("static").join(&rel).into()),
                        )
                        .with_help("check that the file exists and that you may read it"),
                    ),
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut names = HashMap::new();
        let files = by_path
            .into_iter()
            .map(|(path, bytes)| {
                let out = if hashed(&path) {
                    hashed_name(&path, &bytes)
                } else {
                    path.clone()
                };
                names.insert(path, out.clone());
                OutputFile { path: out, bytes }
            })
            .collect();
        Ok(Assets {
            files,
            names: Arc::new(names),
            warnings,
        })
    }

    /// The output path of a static file: hashed for stylesheets and scripts.
    /// Unknown paths are returned as they are.
    pub fn name(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        self.names
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.to_string())
    }

    /// The map from original to output paths, for the `asset` template
    /// function.
    pub fn names(&self) -> Arc<HashMap<String, String>> {
        self.names.clone()
    }

    /// A key of every file's path and bytes.
    pub fn key_with_bytes(&self) -> u64 {
        hash_of(
            &self
                .files
                .iter()
                .map(|f| (&f.path, hash_of(&f.bytes)))
                .collect::<Vec<_>>(),
        )
    }

    /// A key that changes when any asset changes.
    pub fn key(&self) -> u64 {
        let mut names: Vec<(&String, &String)> = self.names.iter().collect();
        names.sort();
        hash_of(&names)
    }
}

/// Registers `asset(path="style.css")`, which returns the URL of a static
/// file, hashed name included, relative to the page being rendered.
pub fn register_function(tera: &mut tera::Tera, assets: &Assets) {
    let names = assets.names();
    tera.register_function(
        "asset",
        move |kwargs: tera::Kwargs, state: &tera::State<'_>| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            let root: String = state.get("root")?.unwrap_or_default();
            let name = names.get(path).map(String::as_str).unwrap_or(path);
            Ok(format!("{root}{name}"))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheets_and_scripts_get_a_content_hash_that_follows_the_content() {
        let a = hashed_name("style.css", b"body{}");
        let b = hashed_name("style.css", b"body{color:red}");
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style.12345678.css".len(),
            "{a}"
        );
        assert_ne!(a, b, "a changed file gets a new name");
        assert_eq!(
            a,
            hashed_name("style.css", b"body{}"),
            "an unchanged file keeps its name"
        );
        assert!(hashed_name("js/app.js", b"x").starts_with("js/app."));
        assert!(hashed("x.css") && hashed("x.js") && !hashed("x.png") && !hashed("favicon.svg"));
    }
}
