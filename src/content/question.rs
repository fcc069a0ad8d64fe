//! A question of the FAQ: the question as title, the answer as Markdown.

use serde::Deserialize;

use super::fields::{citations, front, item, located, offset, share_image, slug_for, text, texts};
use super::{At, Citation, CitationFront, Item, PartialDate, SpannedSlug, SpannedText};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

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

/// Builds a question from its file; `stem` is its name from the path.
/// Problems with single values go to `problems` so that one run reports
/// them all; a file that cannot be read as a question at all is an `Err`.
pub(super) fn build(
    source: &Source,
    stem: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<Item<Question>, Vec<Diagnostic>> {
    let f: Front = front(source, KEYS)?;
    let slug = slug_for(source, stem, f.slug.as_deref()).map_err(|d| vec![d])?;
    let title_at = offset(source, f.title.span());
    let title = text(source, f.title, "title", problems);
    let image = share_image(source, f.image, f.image_alt, problems);
    let summary = f.summary.map(|s| text(source, s, "summary", problems));
    Ok(item(
        source,
        Question {
            slug,
            title,
            title_at,
            image,
            summary,
            weight: f.weight,
            date: f.date,
            updated: f.updated,
            tags: texts(source, f.tags, "tag", problems),
            related: located(source, f.related),
            sources: citations(source, f.sources, problems),
            draft: f.draft,
            autolink: f.autolink,
        },
    ))
}
