//! A folder of checksummed blobs, so that a rebuild reuses encoded images
//! and share cards instead of encoding them again.
//!
//! A cache is an optimisation, never a source of errors: a missing folder
//! is created, an unreadable, truncated or corrupt file counts as a miss
//! (and is overwritten by the next [`ImageCache::store`]), and a folder
//! that cannot be written only means the next build encodes again.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The first bytes of every cache file; bump the digit when the layout of
/// the file changes so that old files read as misses.
const MAGIC: &[u8; 8] = b"DOSSIER1";
/// Magic, payload length, payload checksum.
const HEADER_LEN: usize = 8 + 8 + 8;

/// Why a blob could not be stored. The caller carries on without the
/// cache; the message names the file so the user can fix the folder.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the image cache file {}: {source}", path.display())]
pub struct CacheError {
    /// The file or folder that could not be written.
    pub path: PathBuf,
    /// What the operating system said.
    #[source]
    pub source: std::io::Error,
}

/// Encoded images and cards on disk, one file per key.
///
/// Keys come from the callers ([`crate::media::image::variants`], and the
/// share-card key) and already cover everything the output depends on,
/// encoder versions included, so a file is never stale: it is either the
/// right bytes or a miss.
#[derive(Debug, Clone)]
pub struct ImageCache {
    dir: PathBuf,
}

impl ImageCache {
    /// A cache in `dir`, which need not exist yet (it is created by the
    /// first [`store`](Self::store)).
    pub fn new(dir: impl Into<PathBuf>) -> ImageCache {
        ImageCache { dir: dir.into() }
    }

    /// The folder the cache lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: u64, kind: &str) -> PathBuf {
        self.dir.join(format!("{key:016x}.{kind}"))
    }

    /// The payload stored under `key` and `kind` (a short file extension
    /// such as `variants`), or `None` if there is none or it does not pass
    /// its length and checksum tests.
    pub fn load(&self, key: u64, kind: &str) -> Option<Vec<u8>> {
        let file = std::fs::read(self.path(key, kind)).ok()?;
        let magic = file.get(..8)?;
        let len = u64::from_le_bytes(file.get(8..16)?.try_into().ok()?);
        let checksum = u64::from_le_bytes(file.get(16..HEADER_LEN)?.try_into().ok()?);
        let payload = file.get(HEADER_LEN..)?;
        let intact = magic == MAGIC
            && u64::try_from(payload.len()).ok() == Some(len)
            && crate::load::hash_of(payload) == checksum;
        intact.then(|| payload.to_vec())
    }

    /// Stores `payload` under `key` and `kind`, atomically: the bytes go to
    /// a temporary file in the same folder, which is then renamed over the
    /// old file, so a reader (or a build killed half-way) never sees half
    /// a file.
    pub fn store(&self, key: u64, kind: &str, payload: &[u8]) -> Result<(), CacheError> {
        let dir_error = |source| CacheError {
            path: self.dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(dir_error)?;
        let mut temp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)
            .map_err(dir_error)?;
        let len = u64::try_from(payload.len()).unwrap_or(u64::MAX);
        let path = self.path(key, kind);
        let file_error = |source| CacheError {
            path: path.clone(),
            source,
        };
        let file = temp.as_file_mut();
        file.write_all(MAGIC).map_err(file_error)?;
        file.write_all(&len.to_le_bytes()).map_err(file_error)?;
        file.write_all(&crate::load::hash_of(payload).to_le_bytes())
            .map_err(file_error)?;
        file.write_all(payload).map_err(file_error)?;
        temp.persist(&path).map_err(|e| file_error(e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_loads_a_blob() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(dir.path().join("not/yet/there"));
        assert_eq!(cache.load(7, "bin"), None);
        cache.store(7, "bin", b"hello").unwrap();
        assert_eq!(cache.load(7, "bin").as_deref(), Some(&b"hello"[..]));
        assert_eq!(cache.load(7, "other"), None);
        assert_eq!(cache.load(8, "bin"), None);
        // Only the cache file is left, no temporary file.
        assert_eq!(std::fs::read_dir(cache.dir()).unwrap().count(), 1);
    }

    #[test]
    fn corrupt_and_truncated_files_are_misses_and_get_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(dir.path());
        cache.store(1, "bin", b"payload bytes").unwrap();
        let path = cache.path(1, "bin");
        let good = std::fs::read(&path).unwrap();

        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for bad in [&flipped[..], &good[..good.len() - 1], &good[..5], b""] {
            std::fs::write(&path, bad).unwrap();
            assert_eq!(cache.load(1, "bin"), None);
        }
        cache.store(1, "bin", b"payload bytes").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), good);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_an_error_not_a_panic() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let cache = ImageCache::new(&ro);
        let result = cache.store(1, "bin", b"x");
        // Root may write anyway; either way nothing panics and a load is
        // consistent with what was stored.
        match result {
            Ok(()) => assert_eq!(cache.load(1, "bin").as_deref(), Some(&b"x"[..])),
            Err(e) => {
                assert!(e.to_string().contains("cannot write the image cache"));
                assert_eq!(cache.load(1, "bin"), None);
            }
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
