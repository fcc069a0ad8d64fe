//! A question of the FAQ: the question as title, the answer as Markdown.

use serde::Deserialize;

use super::{At, Citation, CitationFront, PartialDate, SpannedSlug, SpannedText};

/// Front-matter keys of a question, for "did you mean" hints.
pub(super) const KEYS: &[&str] = &[
    "title",
    "summary",
    "weight",
    "date",
    "updated",
    "tags",
    "related",
    "sources",
    "draft",
    "autolink",
    "slug",
    "image",
    "image_alt",
];

/// The front-matter of a question, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Front {
    pub(super) title: SpannedText,
    pub(super) summary: Option<SpannedText>,
    pub(super) weight: Option<i64>,
    pub(super) date: Option<PartialDate>,
    pub(super) updated: Option<PartialDate>,
    #[serde(default)]
    pub(super) tags: Vec<SpannedText>,
    #[serde(default)]
    pub(super) related: Vec<SpannedSlug>,
    #[serde(default)]
    pub(super) sources: Vec<CitationFront>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) slug: Option<String>,
    #[serde(default = "super::yes")]
    pub(super) autolink: bool,
    pub(super) image: Option<SpannedText>,
    pub(super) image_alt: Option<super::Text>,
}

/// One question and its answer.
#[derive(Debug, Clone, Hash)]
pub struct Question {
    /// URL-safe name, from the file name unless `slug` is set.
    pub slug: String,
    /// The question itself.
    pub title: String,
    /// Where the title is written in the file.
    pub title_at: std::ops::Range<usize>,
    /// One-paragraph short answer, shown on the home page.
    pub summary: Option<String>,
    /// Position in lists; lower first, then by title.
    pub weight: Option<i64>,
    /// When the answer was first written.
    pub date: Option<PartialDate>,
    /// When the answer was last reviewed.
    pub updated: Option<PartialDate>,
    /// Tags, as written, with their place in the file.
    pub tags: Vec<At<String>>,
    /// Slugs of related questions.
    pub related: Vec<At<String>>,
    /// Where the facts come from.
    pub sources: Vec<Citation>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// `autolink = false` keeps glossary terms in this file unlinked.
    pub autolink: bool,
    /// The writer's own share image, shown instead of the drawn card.
    pub image: Option<super::ShareImage>,
}
