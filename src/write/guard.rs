//! Which folders dossier may replace with a build: the output as the user
//! named it (symbolic links followed), never the site's sources, and never
//! a folder holding files dossier did not write.
//!
//! Separate from writing because these checks run once, before anything is
//! staged, and are the whole of the promise that nobody's files are
//! deleted; the rest of the stage only writes into its own staging folder.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::{MANIFEST, MANIFEST_HEADER, WriteError, io_err};

/// The output with a symbolic link resolved, so that the folder it points
/// to is replaced and the link kept.
pub(super) fn resolve_output(output: &Path) -> Result<PathBuf, WriteError> {
    let absolute = if output.is_absolute() {
        output.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(io_err(output))?
            .join(output)
    };
    match fs::symlink_metadata(&absolute) {
        Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(&absolute) {
            Ok(target) => Ok(target),
            Err(e) => Err(WriteError::NotOurs {
                output: output.to_path_buf(),
                reason: format!("it is a symbolic link to a place that cannot be reached ({e})"),
                help: "point the link at a folder, or remove it".to_string(),
            }),
        },
        Ok(m) if !m.is_dir() => Err(WriteError::NotOurs {
            output: output.to_path_buf(),
            reason: "it is a file, not a folder".to_string(),
            help: "choose a folder as output".to_string(),
        }),
        // An existing folder: its real path, `..` and `.` resolved.
        Ok(_) => fs::canonicalize(&absolute).map_err(io_err(output)),
        Err(_) => {
            // A folder to create: its parent's real path and its name.
            let name = absolute.file_name().filter(|_| {
                !matches!(
                    absolute.components().next_back(),
                    Some(Component::ParentDir | Component::CurDir)
                )
            });
            match (absolute.parent(), name) {
                (Some(parent), Some(name)) => {
                    let parent = fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
                    Ok(parent.join(name))
                }
                _ => Err(WriteError::NotOurs {
                    output: output.to_path_buf(),
                    reason: "it does not name a folder".to_string(),
                    help: "give the output folder's path, such as public".to_string(),
                }),
            }
        }
    }
}

/// Refuses an output that is, contains or lies inside the site's sources.
pub(super) fn refuse_sources(root: &Path, output: &Path, real: &Path) -> Result<(), WriteError> {
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canon(root);
    let refuse = |relation, what: String| {
        Err(WriteError::Sources {
            output: output.to_path_buf(),
            relation,
            what,
        })
    };
    if real == root {
        return refuse("is", "the site's folder".to_string());
    }
    if root.starts_with(real) {
        return refuse("contains", "the site's folder".to_string());
    }
    for source in ["content", "templates", "static", "site.toml"] {
        let path = canon(&root.join(source));
        if real == path {
            return refuse("is", format!("the site's {source}"));
        }
        if path.starts_with(real) {
            return refuse("contains", format!("the site's {source}"));
        }
        if real.starts_with(&path) {
            return refuse("lies inside", format!("the site's {source}"));
        }
    }
    Ok(())
}

/// Refuses to replace a folder that holds files dossier did not write: one
/// without a manifest (unless empty), or with files the manifest does not
/// list or whose size changed since.
pub(super) fn refuse_foreign(output: &Path, real: &Path) -> Result<(), WriteError> {
    let Ok(mut entries) = fs::read_dir(real) else {
        return Ok(()); // Not there yet.
    };
    if entries.next().is_none() {
        return Ok(());
    }
    let manifest = match fs::read_to_string(real.join(MANIFEST)) {
        Ok(m) if m.starts_with(MANIFEST_HEADER) => m,
        _ => {
            return Err(WriteError::NotOurs {
                output: output.to_path_buf(),
                reason: "it is a folder that dossier did not write (it has no .dossier-manifest), and replacing it would delete its files".to_string(),
                help: "choose another output folder, or empty this one yourself if its files are not needed".to_string(),
            });
        }
    };
    let listed: HashMap<&str, u64> = manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (size, path) = line.split_once('\t')?;
            Some((path, size.parse().ok()?))
        })
        .collect();
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(real).min_depth(1) {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = crate::load::rel_path(real, entry.path());
        if rel == MANIFEST {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).ok();
        let ours = entry.file_type().is_file() && listed.get(rel.as_str()).copied() == size;
        if !ours {
            foreign.push(rel);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let more = if foreign.len() > 5 {
        format!(" and {} more", foreign.len() - 5)
    } else {
        String::new()
    };
    Err(WriteError::NotOurs {
        output: output.to_path_buf(),
        reason: format!(
            "it holds files that dossier did not write or that were changed since: {}{more}",
            shown.join(", ")
        ),
        help: "files you want published belong in static/ (copied into every build); move them there, or delete them from the output".to_string(),
    })
}
