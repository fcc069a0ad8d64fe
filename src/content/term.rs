//! A glossary term.

use serde::Deserialize;

use super::fields::{front, item, located, slug_for, text, texts};
use super::{At, Item, SpannedSlug, SpannedText};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// Front-matter keys of a term, for "did you mean" hints.
pub(super) const KEYS: &[&str] = &[
    "term", "aliases", "abbr", "see_also", "draft", "autolink", "slug",
];

/// The front-matter of a term, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Front {
    pub(super) term: SpannedText,
    #[serde(default)]
    pub(super) aliases: Vec<SpannedText>,
    pub(super) abbr: Option<SpannedText>,
    #[serde(default)]
    pub(super) see_also: Vec<SpannedSlug>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) slug: Option<String>,
    #[serde(default = "super::yes")]
    pub(super) autolink: bool,
}

/// One glossary entry.
#[derive(Debug, Clone, Hash)]
pub struct Term {
    /// Anchor on the glossary page.
    pub slug: String,
    /// The term as it should be shown.
    pub term: String,
    /// Other spellings, with their place in the file.
    pub aliases: Vec<At<String>>,
    /// What an abbreviation stands for.
    pub abbr: Option<String>,
    /// Slugs of related terms.
    pub see_also: Vec<At<String>>,
    /// The original's spellings, in a translation: they link too (SMIC
    /// inside Chinese text), but are not shown as aliases.
    pub foreign: Vec<String>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// `autolink = false` keeps glossary terms in this file unlinked.
    pub autolink: bool,
}

/// Builds a term from its file; `stem` is its name from the path.
pub(super) fn build(
    source: &Source,
    stem: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<Item<Term>, Vec<Diagnostic>> {
    let f: Front = front(source, KEYS)?;
    let slug = slug_for(source, stem, f.slug.as_deref()).map_err(|d| vec![d])?;
    Ok(item(
        source,
        Term {
            slug,
            term: text(source, f.term, "term", problems),
            aliases: texts(source, f.aliases, "alias", problems),
            abbr: f.abbr.map(|a| text(source, a, "abbr", problems)),
            see_also: located(source, f.see_also),
            foreign: Vec::new(),
            draft: f.draft,
            autolink: f.autolink,
        },
    ))
}
