//! Section pages: `_index.md` of the home page, the FAQ, the timeline and
//! the glossary.

use serde::{Deserialize, Serialize};

use super::fields::{front, item, offset};
use super::{Item, Text};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// Front-matter keys of a section page, for "did you mean" hints.
pub(super) const KEYS: &[&str] = &["title", "description", "key_figures"];

/// A headline number for the home page, kept in front-matter so that
/// templates never hard-code facts.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct KeyFigure {
    /// The number as shown, e.g. "600,000".
    pub value: String,
    /// What it counts.
    pub label: String,
    /// Optional note: a plan, a target, a source.
    #[serde(default)]
    pub note: String,
}

/// A key figure as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyFigureFront {
    value: Text,
    label: Text,
    #[serde(default)]
    note: Text,
}

impl From<KeyFigureFront> for KeyFigure {
    fn from(f: KeyFigureFront) -> KeyFigure {
        KeyFigure {
            value: f.value.into(),
            label: f.label.into(),
            note: f.note.into(),
        }
    }
}

/// The front-matter of a section page, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Front {
    pub(super) title: Option<toml::Spanned<Text>>,
    pub(super) description: Option<Text>,
    #[serde(default)]
    pub(super) key_figures: Vec<KeyFigureFront>,
}

/// Title and introduction of a section.
#[derive(Debug, Clone, Default, Hash)]
pub struct Section {
    /// Heading of the section.
    pub title: Option<String>,
    /// Where the title is written in the file (the file's start when it
    /// has none).
    pub title_at: std::ops::Range<usize>,
    /// One-line description for meta tags.
    pub description: Option<String>,
    /// Headline numbers (used on the home page).
    pub key_figures: Vec<KeyFigure>,
}

/// Builds a section introduction from its file.
pub(super) fn build(source: &Source) -> Result<Item<Section>, Vec<Diagnostic>> {
    let f: Front = front(source, KEYS)?;
    Ok(item(
        source,
        Section {
            title_at: f.title.as_ref().map_or(0..0, |t| offset(source, t.span())),
            title: f.title.map(|t| String::from(t.into_inner())),
            description: f.description.map(String::from),
            key_figures: f.key_figures.into_iter().map(KeyFigure::from).collect(),
        },
    ))
}
