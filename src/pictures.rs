//! The site's images as pages write them: each image file under
//! `static/` or beside a page, its size, and the narrower copies that
//! go into `srcset`.
//!
//! A page asks for an image by site path while its body is rendered; the
//! file is read, measured and resized on first use only (in parallel with
//! the other bodies), its copies come from the disk cache in
//! `.dossier-cache/media/` when they were made before, and the copies of
//! every image a page used are written with the build. A copy is named
//! after its source, its width and its bytes (`chip.800w.1a2b3c4d.webp`),
//! so a host may cache it for ever.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostic::Diagnostic;
use crate::load::hash_of;
use crate::media::cache::ImageCache;
use crate::media::image::{self as img, Variant, VariantSettings};
use crate::output::OutputFile;

/// File endings of images.
const IMAGE_ENDINGS: &[&str] = &[".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"];

/// True for a site path that names an image.
pub fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    IMAGE_ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// Where an image's bytes are.
#[derive(Debug, Clone)]
enum Origin {
    /// A static file, read already.
    Static(Arc<[u8]>),
    /// A file beside a page: its path on disk.
    Bundle(PathBuf),
}

/// One image: its size and its narrower copies with their site paths.
#[derive(Debug)]
pub struct Picture {
    /// Width and height in pixels; `None` when the file is not an image
    /// dossier can read.
    pub size: Option<(u32, u32)>,
    /// Narrower copies, narrowest first, with their site paths.
    pub variants: Vec<(String, Variant)>,
    /// What went wrong reading or resizing it, shown as a warning.
    pub problem: Option<String>,
    /// Copies read from the cache, and made by this build.
    pub hits: usize,
    /// Copies made by this build.
    pub encoded: usize,
}

/// The images of one build.
pub struct SiteMedia {
    files: HashMap<String, (Origin, u64)>,
    cache: ImageCache,
    settings: VariantSettings,
    /// Pictures by site path and stamp, measured so far (kept between the
    /// rebuilds of `dossier serve`).
    pictures: Mutex<HashMap<(String, u64), Arc<Picture>>>,
}

impl SiteMedia {
    /// The images among the static files (`path`, bytes) and the bundle
    /// files (path on disk, site path), with the cache under `root`.
    /// `previous` are the pictures of the last build, reused when their
    /// file did not change.
    pub fn new(
        root: &Path,
        statics: &[OutputFile],
        bundle: &[(PathBuf, String)],
        previous: Option<SiteMedia>,
    ) -> SiteMedia {
        let mut files = HashMap::new();
        for f in statics.iter().filter(|f| is_image(&f.path)) {
            let stamp = hash_of(&f.bytes);
            files.insert(
                f.path.clone(),
                (Origin::Static(f.bytes.as_slice().into()), stamp),
            );
        }
        for (disk, rel) in bundle.iter().filter(|(_, rel)| is_image(rel)) {
            let stamp = std::fs::metadata(disk)
                .map(|m| hash_of(&(m.len(), m.modified().ok())))
                .unwrap_or(0);
            files.insert(rel.clone(), (Origin::Bundle(disk.clone()), stamp));
        }
        let pictures = previous
            .map(|p| p.pictures.into_inner().unwrap_or_default())
            .unwrap_or_default();
        SiteMedia {
            files,
            cache: ImageCache::new(root.join(".dossier-cache").join("media")),
            settings: VariantSettings::default(),
            pictures: Mutex::new(pictures),
        }
    }

    /// The disk cache of image copies (and share cards).
    pub fn cache(&self) -> &ImageCache {
        &self.cache
    }

    /// A key that changes when any image changes, for the keys of the
    /// bodies that show them.
    pub fn key(&self) -> u64 {
        let mut stamps: Vec<(&String, u64)> =
            self.files.iter().map(|(p, (_, s))| (p, *s)).collect();
        stamps.sort_unstable();
        hash_of(&stamps)
    }

    /// The picture at site path `path`, measured (and its copies made) on
    /// first use; `None` when no image file has that path.
    pub fn picture(&self, path: &str) -> Option<Arc<Picture>> {
        let (origin, stamp) = self.files.get(path)?;
        let key = (path.to_string(), *stamp);
        if let Some(p) = self.pictures.lock().ok()?.get(&key) {
            return Some(p.clone());
        }
        let picture = Arc::new(self.measure(path, origin));
        self.pictures.lock().ok()?.insert(key, picture.clone());
        Some(picture)
    }

    fn measure(&self, path: &str, origin: &Origin) -> Picture {
        let bytes: Arc<[u8]> = match origin {
            Origin::Static(b) => b.clone(),
            Origin::Bundle(disk) => match std::fs::read(disk) {
                Ok(b) => b.into(),
                Err(e) => return Picture::broken(format!("cannot read it: {e}")),
            },
        };
        let Some(info) = img::probe(&bytes) else {
            return Picture::broken(
                "it is not a PNG, JPEG, GIF, WebP, AVIF or SVG image, or it is damaged".to_string(),
            );
        };
        let size = Some((info.width, info.height));
        match img::variants(&bytes, &self.settings, &self.cache) {
            Ok((variants, outcome)) => Picture {
                size,
                variants: variants
                    .into_iter()
                    .map(|v| (variant_path(path, &v), v))
                    .collect(),
                problem: outcome.store_error.map(|e| e.to_string()),
                hits: outcome.hits,
                encoded: outcome.encoded,
            },
            Err(e) => Picture {
                size,
                problem: Some(e.to_string()),
                ..Picture::broken(String::new())
            },
        }
    }

    /// The pictures measured so far whose file is still the same, by
    /// site path: in a build, the images its pages show; in `dossier
    /// serve`, also those shown earlier in the session.
    fn current(&self) -> Vec<(String, Arc<Picture>)> {
        let pictures = match self.pictures.lock() {
            Ok(p) => p,
            Err(_) => return Vec::new(),
        };
        let mut current: Vec<(String, Arc<Picture>)> = pictures
            .iter()
            .filter(|((path, stamp), _)| self.files.get(path).is_some_and(|(_, s)| s == stamp))
            .map(|((path, _), p)| (path.clone(), p.clone()))
            .collect();
        current.sort_by(|a, b| a.0.cmp(&b.0));
        current
    }

    /// The copies of the images pages show, to be written with the build,
    /// and a warning for each image that could not be read or resized.
    pub fn outputs(&self) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        for (path, picture) in self.current() {
            if let Some(problem) = &picture.problem {
                let folder = match self.files.get(&path) {
                    Some((Origin::Bundle(_), _)) => "content",
                    _ => "static",
                };
                let file: Arc<Path> = Path::new(folder).join(&path).into();
                warnings.push(
                    Diagnostic::error_in(
                        format!("this image is shown without narrower copies: {problem}"),
                        Some(file),
                    )
                    .warning()
                    .with_help(
                        "replace the file with a PNG, JPEG, WebP or SVG image that opens in an image viewer",
                    ),
                );
            }
            files.extend(picture.variants.iter().map(|(p, v)| OutputFile {
                path: p.clone(),
                bytes: v.bytes.to_vec(),
            }));
        }
        (files, warnings)
    }

    /// How many copies of the images pages show were read from the cache,
    /// and how many were made, when each picture was first measured.
    pub fn counts(&self) -> (usize, usize) {
        self.current()
            .iter()
            .fold((0, 0), |(h, e), (_, p)| (h + p.hits, e + p.encoded))
    }
}

impl Picture {
    fn broken(problem: String) -> Picture {
        Picture {
            size: None,
            variants: Vec::new(),
            problem: (!problem.is_empty()).then_some(problem),
            hits: 0,
            encoded: 0,
        }
    }
}

/// `faq/x/chip.png` at 800 px as `faq/x/chip.800w.1a2b3c4d.webp`.
fn variant_path(path: &str, v: &Variant) -> String {
    let stem = match path.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') => stem,
        _ => path,
    };
    format!(
        "{stem}.{}w.{:08x}.{}",
        v.width,
        hash_of(&*v.bytes) as u32,
        v.extension()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_named_after_source_width_and_bytes() {
        let v = Variant {
            width: 800,
            height: 400,
            format: crate::media::image::ImageFormat::Jpeg,
            bytes: Arc::from(&b"x"[..]),
        };
        let p = variant_path("faq/x/chip.png", &v);
        assert!(p.starts_with("faq/x/chip.800w."), "{p}");
        assert!(p.ends_with(".jpg"), "{p}");
        assert!(is_image("a/B.JPG") && !is_image("a/b.pdf"));
    }
}
