//! Write stage: files go into a staging folder beside the output as they are
//! rendered, and the finished folder is swapped in at the end. dossier only
//! ever replaces a folder it wrote itself:
//!
//! - every output it writes holds a manifest ([`MANIFEST`]) of the files it
//!   wrote; a non-empty folder without one, or with files the manifest does
//!   not list, is refused, so nobody's files are deleted;
//! - an output that is, contains or lies inside the site's sources is
//!   refused;
//! - a symbolic link as output is written through: the folder it points to
//!   is the one replaced, and the link stays;
//! - builds into one output take a lock, so leftovers of interrupted builds
//!   (staging and old folders) can be removed safely by the next one;
//! - the swap is one `renameat2(RENAME_EXCHANGE)` on Linux, so at every
//!   moment either the old or the new site is in place. Where the exchange
//!   is not supported, the old folder is renamed aside and the new one
//!   renamed in; for the moment between the two renames there is no output.

mod guard;

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::output::OutputFile;
use guard::{refuse_foreign, refuse_sources, resolve_output};

/// The file inside every output dossier writes, listing what it wrote.
pub const MANIFEST: &str = ".dossier-manifest";

const MANIFEST_HEADER: &str = "# dossier output manifest v1: files written by dossier (size, path). Delete this folder freely; dossier rebuilds it.";

/// Set when the user interrupts the process (Ctrl-C): writing stops at the
/// next file and the staging folder is removed.
static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Asks every build in progress to stop (from a Ctrl-C handler).
pub fn cancel() {
    CANCELLED.store(true, Ordering::SeqCst);
}

/// True once [`cancel`] was called.
pub fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// Why writing the output failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder would overwrite or sit inside the site's sources.
    #[error(
        "refusing to write the site into {output}: it {relation} {what}\n  help: choose an output folder outside content/, templates/ and static/, such as the default ROOT/public"
    )]
    Sources {
        /// The output as given.
        output: PathBuf,
        /// "is", "contains" or "lies inside".
        relation: &'static str,
        /// The source it conflicts with.
        what: String,
    },
    /// The output holds files dossier did not write.
    #[error("refusing to replace {output}: {reason}\n  help: {help}")]
    NotOurs {
        /// The output as given.
        output: PathBuf,
        /// What was found.
        reason: String,
        /// What to do.
        help: String,
    },
    /// Two files of the site have the same output path.
    #[error("two files of the site would be written to {0}")]
    Duplicate(String),
    /// An output path that would leave the output folder.
    #[error("refusing to write {0}: the path leaves the output folder")]
    BadPath(String),
    /// The user interrupted the build.
    #[error("interrupted; the previous output was left as it was")]
    Cancelled,
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

/// An output being written: a staging folder beside the real one, filled
/// from any thread, swapped in by [`Staging::commit`]. Dropped without a
/// commit, it removes the staging folder and leaves the output alone.
#[derive(Debug)]
pub struct Staging {
    /// The output folder (symbolic links resolved).
    output: PathBuf,
    /// The folder being filled.
    dir: PathBuf,
    /// Output paths written so far, with their sizes.
    written: Mutex<HashMap<String, u64>>,
    /// The first write that failed, for the caller to report.
    failure: Mutex<Option<WriteError>>,
    /// Folders already made in the staging folder: most pages have a
    /// folder of their own, and asking for it again costs system calls.
    folders: Mutex<std::collections::HashSet<PathBuf>>,
    /// Held until the staging folder is swapped in or removed.
    _lock: fs::File,
    committed: bool,
}

impl Staging {
    /// Checks that `output` may be replaced by a build of the site in
    /// `root`, takes the output's lock, removes leftovers of interrupted
    /// builds and creates an empty staging folder.
    pub fn begin(root: &Path, output: &Path) -> Result<Staging, WriteError> {
        let real = resolve_output(output)?;
        refuse_sources(root, output, &real)?;
        refuse_foreign(output, &real)?;
        let (parent, name) = parent_and_name(&real);
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let lock_path = parent.join(format!(".{name}.dossier-lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        lock.lock().map_err(io_err(&lock_path))?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.dossier-staging-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            output: real,
            dir,
            written: Mutex::new(HashMap::new()),
            failure: Mutex::new(None),
            folders: Mutex::new(std::collections::HashSet::new()),
            _lock: lock,
            committed: false,
        })
    }

    /// Writes one output file. Safe to call from many threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        if cancelled() {
            return Err(WriteError::Cancelled);
        }
        let rel = safe_relative(path)?;
        {
            let mut written = self.written.lock().map_err(|_| WriteError::Cancelled)?;
            if written
                .insert(path.to_string(), bytes.len() as u64)
                .is_some()
            {
                return Err(WriteError::Duplicate(path.to_string()));
            }
        }
        let path = self.dir.join(rel);
        if let Some(folder) = path.parent() {
            let known = self.folders.lock().is_ok_and(|f| f.contains(folder));
            if !known {
                fs::create_dir_all(folder).map_err(io_err(folder))?;
                if let Ok(mut f) = self.folders.lock() {
                    f.insert(folder.to_path_buf());
                }
            }
        }
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Writes one file, remembering the first failure (see
    /// [`Staging::failure`]) so that it can be reported as a write error.
    pub fn write_or_remember(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.write(path, bytes).map_err(|e| {
            let message = e.to_string();
            if let Ok(mut first) = self.failure.lock()
                && first.is_none()
            {
                *first = Some(e);
            }
            message
        })
    }

    /// The first write that failed, if any.
    pub fn failure(&self) -> Option<WriteError> {
        self.failure.lock().ok()?.take()
    }

    /// Writes many files in parallel.
    pub fn write_all(&self, files: &[OutputFile]) -> Result<(), WriteError> {
        files
            .par_iter()
            .try_for_each(|f| self.write(&f.path, &f.bytes))
    }

    /// Writes the manifest and swaps the staging folder in place of the
    /// output; the previous output is removed afterwards.
    pub fn commit(mut self) -> Result<(), WriteError> {
        if cancelled() {
            return Err(WriteError::Cancelled);
        }
        let mut entries: Vec<(String, u64)> = self
            .written
            .lock()
            .map_err(|_| WriteError::Cancelled)?
            .drain()
            .collect();
        entries.sort();
        let mut manifest = String::with_capacity(entries.len() * 40 + 128);
        manifest.push_str(MANIFEST_HEADER);
        manifest.push('\n');
        for (path, size) in &entries {
            manifest.push_str(&format!("{size}\t{path}\n"));
        }
        write_file(&self.dir.join(MANIFEST), manifest.as_bytes())?;
        swap(&self.dir, &self.output)?;
        self.committed = true;
        Ok(())
    }

    /// The number of files written so far.
    pub fn count(&self) -> usize {
        self.written.lock().map(|w| w.len()).unwrap_or(0)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Builds `files` into `output` in one go (see [`Staging`]).
pub fn write(root: &Path, output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::begin(root, output)?;
    staging.write_all(files)?;
    staging.commit()
}

fn parent_and_name(path: &Path) -> (PathBuf, String) {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    (parent, name)
}

/// Removes staging and old folders that interrupted builds of this output
/// left behind. Called with the output's lock held, so none is in use.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.dossier-staging-");
    let old = format!(".{name}.dossier-old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&staging) || file_name.starts_with(&old) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// `path` as a relative path that stays inside the output folder.
fn safe_relative(path: &str) -> Result<&Path, WriteError> {
    let p = Path::new(path);
    let fine = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && path != MANIFEST;
    if fine {
        Ok(p)
    } else {
        Err(WriteError::BadPath(path.to_string()))
    }
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

/// Puts the finished staging folder in place of the output.
fn swap(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(io_err(output));
    }
    match exchange(staging, output) {
        Ok(()) => {
            // `staging` now holds the previous output.
            let _ = fs::remove_dir_all(staging);
            Ok(())
        }
        Err(_) => swap_by_two_renames(staging, output),
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The fallback: the old output is moved aside, the new one moved in, and
/// the old one removed only once the new one is in place.
fn swap_by_two_renames(staging: &Path, output: &Path) -> Result<(), WriteError> {
    let (parent, name) = parent_and_name(output);
    let old = parent.join(format!(".{name}.dossier-old-{}", std::process::id()));
    fs::rename(output, &old).map_err(io_err(output))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(io_err(output)(e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/faq", "templates", "static"] {
            fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        fs::write(dir.path().join("site.toml"), "title = \"t\"\n").unwrap();
        fs::write(dir.path().join("content/faq/a.md"), "+++\n+++\n").unwrap();
        dir
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn outputs_among_the_sources_are_refused() {
        let s = site();
        let root = s.path();
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/faq"),
            root.join("templates"),
            root.join("static/out"),
            root.join("site.toml"),
            root.parent().unwrap().to_path_buf(),
        ] {
            let e = write(root, &bad, &[file("index.html", "x")]).unwrap_err();
            assert!(
                matches!(e, WriteError::Sources { .. } | WriteError::NotOurs { .. }),
                "{}: {e}",
                bad.display()
            );
        }
        assert!(root.join("content/faq/a.md").exists());
        assert!(root.join("site.toml").exists());
    }

    #[test]
    fn a_folder_dossier_did_not_write_is_refused_and_its_files_kept() {
        let s = site();
        let out = s.path().join("elsewhere");
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        let e = write(s.path(), &out, &[file("index.html", "x")]).unwrap_err();
        assert!(e.to_string().contains("did not write"), "{e}");
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
    }

    #[test]
    fn a_rebuild_replaces_its_own_output_but_not_files_added_to_it() {
        let s = site();
        let out = s.path().join("public");
        write(
            s.path(),
            &out,
            &[file("index.html", "one"), file("a/b.html", "b")],
        )
        .unwrap();
        write(s.path(), &out, &[file("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a/b.html").exists(), "files of the old build go");
        fs::write(out.join("CNAME"), "example.org").unwrap();
        let e = write(s.path(), &out, &[file("index.html", "three")]).unwrap_err();
        assert!(e.to_string().contains("CNAME"), "{e}");
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "example.org"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    }

    #[test]
    fn a_hand_edited_output_file_is_not_overwritten() {
        let s = site();
        let out = s.path().join("public");
        write(s.path(), &out, &[file("index.html", "one")]).unwrap();
        fs::write(out.join("index.html"), "edited by hand").unwrap();
        assert!(write(s.path(), &out, &[file("index.html", "two")]).is_err());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "edited by hand"
        );
    }

    #[test]
    fn a_symlinked_output_is_written_through_and_the_link_kept() {
        let s = site();
        let target = s.path().join("real-out");
        fs::create_dir_all(&target).unwrap();
        let link = s.path().join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write(s.path(), &link, &[file("index.html", "x")]).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "x");
    }

    #[test]
    fn leftovers_of_interrupted_builds_are_removed() {
        let s = site();
        let out = s.path().join("public");
        for left in [".public.dossier-staging-1", ".public.dossier-old-2"] {
            fs::create_dir_all(s.path().join(left).join("faq")).unwrap();
        }
        write(s.path(), &out, &[file("index.html", "x")]).unwrap();
        let names: Vec<String> = fs::read_dir(s.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("dossier-staging") || n.contains("dossier-old")),
            "{names:?}"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output_and_no_staging_folder() {
        let s = site();
        let out = s.path().join("public");
        write(s.path(), &out, &[file("index.html", "one")]).unwrap();
        let before = fs::read(out.join("index.html")).unwrap();
        let e = write(
            s.path(),
            &out,
            &[file("index.html", "two"), file("index.html", "again")],
        )
        .unwrap_err();
        assert!(matches!(e, WriteError::Duplicate(_)), "{e}");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), before);
        assert!(write(s.path(), &out, &[file("../escape.html", "x")]).is_err());
        assert!(!s.path().join("escape.html").exists());
        let staging_left = fs::read_dir(s.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains("staging"));
        assert!(!staging_left);
    }
}
