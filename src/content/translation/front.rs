//! What a translation's front-matter may say, kind by kind: the text keys
//! it translates and the facts it may repeat.
//!
//! These shapes are separate from the originals' (`question::Front` and so
//! on) because every key is optional or a bare TOML value here: a
//! translation gives only what it translates, and a repeated fact is kept
//! as written so that it can be compared with the original's.

use serde::Deserialize;
use toml::Spanned;

use crate::content::{Kind, PartialDate, SpannedText, Text};

/// A fact a translation may repeat (and must then repeat exactly).
pub(super) type Fact = Option<Spanned<toml::Value>>;

/// A translation's front-matter, by the kind of its original.
#[derive(Debug)]
pub(super) enum Front {
    Question(QuestionText),
    Event(EventText),
    Term(TermText),
    Page(PageText),
    Section(SectionText),
}

/// A source as a translation writes it: its title and publisher are text;
/// its address and date are facts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CitationText {
    pub(super) title: Option<SpannedText>,
    pub(super) publisher: Option<Text>,
    pub(super) url: Fact,
    pub(super) date: Fact,
}

/// A question's translated front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuestionText {
    pub(super) title: SpannedText,
    pub(super) summary: Option<SpannedText>,
    pub(super) sources: Option<Spanned<Vec<CitationText>>>,
    pub(super) updated: Option<PartialDate>,
    pub(super) image_alt: Option<Text>,
    pub(super) weight: Fact,
    pub(super) date: Fact,
    pub(super) tags: Fact,
    pub(super) related: Fact,
    pub(super) draft: Fact,
    pub(super) autolink: Fact,
    pub(super) slug: Fact,
    pub(super) image: Fact,
}

/// An event's translated front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventText {
    pub(super) title: SpannedText,
    pub(super) sources: Option<Spanned<Vec<CitationText>>>,
    pub(super) date: Fact,
    pub(super) end: Fact,
    pub(super) status: Fact,
    pub(super) faq: Fact,
    pub(super) tags: Fact,
    pub(super) draft: Fact,
    pub(super) autolink: Fact,
    pub(super) slug: Fact,
}

/// A term's translated front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermText {
    pub(super) term: SpannedText,
    #[serde(default)]
    pub(super) aliases: Vec<SpannedText>,
    pub(super) abbr: Option<SpannedText>,
    pub(super) see_also: Fact,
    pub(super) draft: Fact,
    pub(super) autolink: Fact,
    pub(super) slug: Fact,
}

/// A page's menu entry in a translation: the label is text, the weight a
/// fact.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MenuText {
    pub(super) label: Option<Text>,
    pub(super) weight: Fact,
}

/// A standalone page's translated front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageText {
    pub(super) title: SpannedText,
    pub(super) description: Option<Text>,
    pub(super) updated: Option<PartialDate>,
    pub(super) menu: Option<MenuText>,
    pub(super) image_alt: Option<Text>,
    pub(super) draft: Fact,
    pub(super) slug: Fact,
    pub(super) autolink: Fact,
    pub(super) image: Fact,
}

/// A key figure in a translation, matched to the original's by position.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyFigureText {
    pub(super) value: Option<Text>,
    pub(super) label: Option<Text>,
    pub(super) note: Option<Text>,
}

/// A section introduction's translated front-matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionText {
    pub(super) title: Option<SpannedText>,
    pub(super) description: Option<Text>,
    pub(super) key_figures: Option<Spanned<Vec<KeyFigureText>>>,
}

/// Keys of a translation, by kind, for "did you mean" hints: the text keys
/// first, then the facts it may repeat.
pub(super) fn keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Question => &[
            "title",
            "summary",
            "sources",
            "updated",
            "image_alt",
            "weight",
            "date",
            "tags",
            "related",
            "draft",
            "autolink",
            "slug",
            "image",
        ],
        Kind::Event => &[
            "title", "sources", "date", "end", "status", "faq", "tags", "draft", "autolink", "slug",
        ],
        Kind::Term => &[
            "term", "aliases", "abbr", "see_also", "draft", "autolink", "slug",
        ],
        Kind::Page => &[
            "title",
            "description",
            "updated",
            "menu",
            "image_alt",
            "draft",
            "slug",
            "autolink",
            "image",
        ],
        Kind::Section(_) => &["title", "description", "key_figures"],
    }
}
