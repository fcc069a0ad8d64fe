//! Write stage: put the rendered files and the static files into a staging
//! folder beside the output, then swap it in. A build that fails before the
//! swap leaves the previous output exactly as it was.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;

/// Static files every site gets unless its own `static/` has one of the
/// same name: the default stylesheet and script that the default templates
/// use.
pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../static/style.css")),
    ("dossier.js", include_str!("../static/dossier.js")),
    ("favicon.svg", include_str!("../static/favicon.svg")),
];

/// Why writing the output failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder would overwrite the site's own files.
    #[error("refusing to write the site into {0}: it holds the site's sources")]
    UnsafeOutput(PathBuf),
    /// A file system operation failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` and the static files of `root` into `output`, replacing
/// its previous content only once everything has been written.
pub fn write(
    root: &Path,
    output: &Path,
    files: &[OutputFile],
    assets: &[OutputFile],
) -> Result<(), WriteError> {
    refuse_unsafe_output(root, output)?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let staging = parent.join(format!(".{name}.dossier-staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.dossier-old-{}", std::process::id()));
    let result = fill(&staging, files, assets).and_then(|()| swap(&staging, output, &old));
    if staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn refuse_unsafe_output(root: &Path, output: &Path) -> Result<(), WriteError> {
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canon(root);
    let out = canon(output);
    if root.starts_with(&out) || out.join("site.toml").exists() || out.join("content").is_dir() {
        return Err(WriteError::UnsafeOutput(output.to_path_buf()));
    }
    Ok(())
}

fn fill(staging: &Path, files: &[OutputFile], assets: &[OutputFile]) -> Result<(), WriteError> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(io_err(staging))?;
    }
    fs::create_dir_all(staging).map_err(io_err(staging))?;
    // Static files first: a page of the same path wins, as in `dossier serve`.
    for f in assets {
        write_file(&staging.join(&f.path), &f.bytes)?;
    }
    files
        .par_iter()
        .try_for_each(|f| write_file(&staging.join(&f.path), &f.bytes))
}

/// Writes one file, creating its folder.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let file = fs::File::create(path).map_err(io_err(path))?;
    let mut w = io::BufWriter::new(file);
    w.write_all(bytes).map_err(io_err(path))?;
    w.flush().map_err(io_err(path))
}

/// Moves the finished staging folder into place. The old output is moved
/// aside first and removed only after the new one is in place.
fn swap(staging: &Path, output: &Path, old: &Path) -> Result<(), WriteError> {
    if old.exists() {
        fs::remove_dir_all(old).map_err(io_err(old))?;
    }
    let had_output = output.exists();
    if had_output {
        fs::rename(output, old).map_err(io_err(output))?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_output {
            let _ = fs::rename(old, output);
        }
        return Err(io_err(output)(e));
    }
    if had_output {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}
