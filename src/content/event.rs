//! A dated event of the timeline.

use serde::{Deserialize, Serialize};

use super::fields::{citations, front, item, located, offset, slug_for, text, texts};
use super::{At, Citation, CitationFront, Item, PartialDate, SpannedSlug, SpannedText};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// Front-matter keys of an event, for "did you mean" hints.
pub(super) const KEYS: &[&str] = &[
    "date", "title", "status", "end", "faq", "tags", "sources", "draft", "autolink", "slug",
];

/// Whether an event has happened or is only expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It took place.
    #[default]
    Happened,
    /// Someone said it will take place.
    Announced,
    /// A plan or target.
    Planned,
    /// A forecast by someone other than the actor.
    Projected,
}

impl Status {
    /// The key of the status's word in the table of built-in words.
    pub fn ui_key(self) -> &'static str {
        match self {
            Status::Happened => "status_happened",
            Status::Announced => "status_announced",
            Status::Planned => "status_planned",
            Status::Projected => "status_projected",
        }
    }

    /// The status as written in front-matter, for CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Status::Happened => "happened",
            Status::Announced => "announced",
            Status::Planned => "planned",
            Status::Projected => "projected",
        }
    }
}

/// The front-matter of an event, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Front {
    pub(super) date: PartialDate,
    pub(super) title: SpannedText,
    #[serde(default)]
    pub(super) status: Status,
    pub(super) end: Option<toml::Spanned<PartialDate>>,
    #[serde(default)]
    pub(super) faq: Vec<SpannedSlug>,
    #[serde(default)]
    pub(super) tags: Vec<SpannedText>,
    #[serde(default)]
    pub(super) sources: Vec<CitationFront>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) slug: Option<String>,
    #[serde(default = "super::yes")]
    pub(super) autolink: bool,
}

/// One event on the timeline.
#[derive(Debug, Clone, Hash)]
pub struct Event {
    /// Anchor on the timeline page; from the file name unless `slug` is set,
    /// so editing the title never breaks links.
    pub slug: String,
    /// When it happened, with the precision written.
    pub date: PartialDate,
    /// Last date of a range.
    pub end: Option<PartialDate>,
    /// What happened.
    pub title: String,
    /// Happened, announced, planned or projected.
    pub status: Status,
    /// Slugs of the questions this event belongs to.
    pub faq: Vec<At<String>>,
    /// Tags, as written.
    pub tags: Vec<At<String>>,
    /// Where the facts come from.
    pub sources: Vec<Citation>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// `autolink = false` keeps glossary terms in this file unlinked.
    pub autolink: bool,
}

/// Builds an event from its file; `stem` is its name from the path.
/// Besides the schema, an `end` before the `date` is a problem.
pub(super) fn build(
    source: &Source,
    stem: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<Item<Event>, Vec<Diagnostic>> {
    let f: Front = front(source, KEYS)?;
    let slug = slug_for(source, stem, f.slug.as_deref()).map_err(|d| vec![d])?;
    let end = f.end.map(|end| {
        let range = offset(source, end.span());
        let end = end.into_inner();
        if end.last_day() < f.date.start {
            problems.push(
                Diagnostic::error(
                    format!("the event ends ({end}) before it starts ({})", f.date),
                    source.span(range),
                )
                .with_label("`end` is before `date`")
                .with_help("`end` is the last date of a range; swap the two, or remove `end`"),
            );
        }
        end
    });
    Ok(item(
        source,
        Event {
            slug,
            date: f.date,
            end,
            title: text(source, f.title, "title", problems),
            status: f.status,
            faq: located(source, f.faq),
            tags: texts(source, f.tags, "tag", problems),
            sources: citations(source, f.sources, problems),
            draft: f.draft,
            autolink: f.autolink,
        },
    ))
}
