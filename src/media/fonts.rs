//! The fonts of share cards: an embedded Latin font plus the files a site
//! names, which face draws which character, and how wide text is.
//!
//! No system font is ever loaded, so a card looks the same on every
//! machine and in CI. Widths come from shaping with `harfrust`, the shaper
//! `resvg` itself uses, so the measured lines are the drawn lines.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use resvg::usvg::fontdb;
use skrifa::MetadataProvider;
use skrifa::raw::TableProvider;

use super::card::CardError;

/// Noto Sans, subset to Latin (see `docs/media.md`).
static NOTO_SANS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static NOTO_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Regular text (site title).
pub const REGULAR: u16 = 400;
/// Bold text (page title, kicker).
pub const BOLD: u16 = 700;

/// One face of a font file, registered in the database under a family
/// name of our own so that an SVG `font-family` names exactly this face,
/// whatever the files call themselves (two files may both say "Noto
/// Sans").
struct Face {
    alias: String,
    family: String,
    weight: u16,
    italic: bool,
    /// Position of the file in the list: the embedded font is 0, the
    /// site's files follow in the order given; earlier files win.
    rank: usize,
    data: Arc<Vec<u8>>,
    index: u32,
    units_per_em: f32,
    shaper: harfrust::ShaperData,
}

impl Face {
    fn font(&self) -> Option<skrifa::FontRef<'_>> {
        skrifa::FontRef::from_index(&self.data, self.index).ok()
    }

    fn covers(&self, c: char) -> bool {
        self.font().and_then(|f| f.charmap().map(c)).is_some()
    }
}

/// The fonts a card may use.
///
/// The embedded Noto Sans (Regular and Bold, Latin only) comes first; the
/// extra files follow in the order given, each file's faces in their
/// order. Each character is drawn by the first face, in that order, that
/// has a glyph for it, choosing within a file the weight nearest the one
/// asked for. Build it once per build and share it: it holds the files.
pub struct CardFonts {
    faces: Vec<Face>,
    database: Arc<fontdb::Database>,
    digest: u64,
}

impl std::fmt::Debug for CardFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardFonts")
            .field(
                "faces",
                &self
                    .faces
                    .iter()
                    .map(|face| format!("{} {}", face.family, face.weight))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl CardFonts {
    /// The embedded Latin font plus `extra` font files (TrueType,
    /// OpenType or collections such as `NotoSansCJK-Regular.ttc`), which
    /// are read now. A file that cannot be read or holds no font is an
    /// error naming it.
    pub fn new(extra: &[PathBuf]) -> Result<CardFonts, CardError> {
        let mut files = vec![
            (None, NOTO_SANS_REGULAR.to_vec()),
            (None, NOTO_SANS_BOLD.to_vec()),
        ];
        for path in extra {
            let bytes = std::fs::read(path).map_err(|source| CardError::FontFile {
                path: path.clone(),
                source,
            })?;
            files.push((Some(path.as_path()), bytes));
        }
        CardFonts::from_files(files)
    }

    fn from_files(files: Vec<(Option<&Path>, Vec<u8>)>) -> Result<CardFonts, CardError> {
        let mut database = fontdb::Database::new();
        let mut faces = Vec::new();
        let mut digest_input = Vec::new();
        for (path, bytes) in files {
            digest_input.push(crate::load::hash_of(&bytes));
            // The two embedded files are one family: rank 0.
            let rank = path.map_or(0, |_| {
                faces.iter().map(|f: &Face| f.rank + 1).max().unwrap_or(1)
            });
            let data = Arc::new(bytes);
            let mut parsed = fontdb::Database::new();
            let ids = parsed.load_font_source(fontdb::Source::Binary(data.clone()));
            let before = faces.len();
            for id in ids {
                let Some(info) = parsed.face(id) else {
                    continue;
                };
                let Some(face) = new_face(info, &data, rank, faces.len()) else {
                    continue;
                };
                let mut ours = info.clone();
                ours.families = vec![(face.alias.clone(), fontdb::Language::English_UnitedStates)];
                database.push_face_info(ours);
                faces.push(face);
            }
            if faces.len() == before {
                return Err(CardError::NotAFont {
                    path: path.map(Path::to_path_buf).unwrap_or_default(),
                });
            }
        }
        Ok(CardFonts {
            faces,
            database: Arc::new(database),
            digest: crate::load::hash_of(&digest_input),
        })
    }

    /// Moves the faces of `family` (as the font calls itself, e.g. "Noto
    /// Sans CJK SC") ahead of the other extra files, so that a Chinese
    /// site can prefer the simplified-Chinese face of a collection whose
    /// first face is Japanese. Returns whether any face has that name.
    pub fn prefer_family(&mut self, family: &str) -> bool {
        let found = self.faces.iter().any(|f| f.rank > 0 && f.family == family);
        if found {
            for face in &mut self.faces {
                if face.rank > 0 && face.family == family {
                    face.rank = 1;
                } else if face.rank > 0 {
                    face.rank += 1;
                }
            }
        }
        found
    }

    /// The font families available, as the fonts name themselves, for
    /// messages and settings pages.
    pub fn families(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for face in &self.faces {
            if !names.contains(&face.family.as_str()) {
                names.push(&face.family);
            }
        }
        names
    }

    /// A hash of the font files' contents, stable across runs: part of
    /// [`card_key`](super::card::card_key).
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// The database to render with: exactly these faces, under the names
    /// [`family_of`](Self::family_of) gives.
    pub(crate) fn database(&self) -> Arc<fontdb::Database> {
        self.database.clone()
    }

    /// The face (an index into this list) that draws `c` at `weight`, or
    /// `None` if no face has a glyph for it.
    pub(crate) fn face_for(&self, c: char, weight: u16) -> Option<usize> {
        self.faces
            .iter()
            .enumerate()
            .filter(|(_, f)| f.covers(c))
            .min_by_key(|(i, f)| (f.rank, f.italic, f.weight.abs_diff(weight), *i))
            .map(|(i, _)| i)
    }

    /// The SVG `font-family` and `font-weight` that select face `face`.
    pub(crate) fn family_of(&self, face: usize) -> Option<(&str, u16)> {
        self.faces.get(face).map(|f| (f.alias.as_str(), f.weight))
    }

    /// The advance of each character of `text` drawn with face `face`, in
    /// ems (multiply by the font size for pixels). Shaped as a whole, so
    /// kerning and ligatures count; a ligature's advance goes to its first
    /// character and the others get 0.
    pub(crate) fn advances(&self, text: &str, face: usize) -> Vec<f32> {
        let mut per_char = vec![0.0; text.chars().count()];
        let Some(f) = self.faces.get(face) else {
            return per_char;
        };
        let Some(font) = f.font() else {
            return per_char;
        };
        let shaper = f.shaper.shaper(&font).build();
        let mut buffer = harfrust::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
        // Byte offset of each character, to map clusters to characters.
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (info, position) in output.glyph_infos().iter().zip(output.glyph_positions()) {
            let cluster = usize::try_from(info.cluster).unwrap_or(usize::MAX);
            let at = starts.partition_point(|&s| s <= cluster).saturating_sub(1);
            if let Some(slot) = per_char.get_mut(at) {
                *slot += position.x_advance as f32 / f.units_per_em;
            }
        }
        per_char
    }
}

fn new_face(info: &fontdb::FaceInfo, data: &Arc<Vec<u8>>, rank: usize, n: usize) -> Option<Face> {
    let font = skrifa::FontRef::from_index(data, info.index).ok()?;
    let units_per_em = f32::from(font.head().ok()?.units_per_em());
    if units_per_em <= 0.0 {
        return None;
    }
    let family = info
        .families
        .first()
        .map(|(name, _)| name.clone())
        .unwrap_or_default();
    Some(Face {
        alias: format!("dossier-face-{n}"),
        family,
        weight: info.weight.0,
        italic: info.style != fontdb::Style::Normal,
        rank,
        data: data.clone(),
        index: info.index,
        units_per_em,
        shaper: harfrust::ShaperData::new(&font),
    })
}
