//! Section pages: `_index.md` of the home page, the FAQ, the timeline and
//! the glossary.

use serde::{Deserialize, Serialize};

/// Front-matter keys of a section page, for "did you mean" hints.
pub(super) const KEYS: &[&str] = &["title", "description", "key_figures"];

/// A headline number for the home page, kept in front-matter so that
/// templates never hard-code facts.
#[derive(Debug, Clone, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFigure {
    /// The number as shown, e.g. "600,000".
    pub value: String,
    /// What it counts.
    pub label: String,
    /// Optional note: a plan, a target, a source.
    #[serde(default)]
    pub note: String,
}

/// The front-matter of a section page, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Front {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) key_figures: Vec<KeyFigure>,
}

/// Title and introduction of a section.
#[derive(Debug, Clone, Default, Hash)]
pub struct Section {
    /// Heading of the section.
    pub title: Option<String>,
    /// One-line description for meta tags.
    pub description: Option<String>,
    /// Headline numbers (used on the home page).
    pub key_figures: Vec<KeyFigure>,
}
