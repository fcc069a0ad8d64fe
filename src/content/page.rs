//! A standalone page: `content/about.md` becomes `/about/`.

use serde::{Deserialize, Serialize};

use super::fields::{front, item, offset, share_image, slug_for, text};
use super::{Item, PartialDate, Text};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// Front-matter keys of a page, for "did you mean" hints.
pub(super) const KEYS: &[&str] = &[
    "title",
    "description",
    "updated",
    "menu",
    "draft",
    "slug",
    "autolink",
    "image",
    "image_alt",
];

/// An entry in the site's navigation.
#[derive(Debug, Clone, Hash, Serialize, PartialEq, Eq)]
pub struct Menu {
    /// The link text (the page's title when absent).
    pub label: Option<String>,
    /// Order: lower first; the built-in sections have weights 10 to 40.
    pub weight: i64,
}

/// A menu entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MenuFront {
    label: Option<Text>,
    #[serde(default)]
    weight: i64,
}

impl From<MenuFront> for Menu {
    fn from(m: MenuFront) -> Menu {
        Menu {
            label: m.label.map(String::from),
            weight: m.weight,
        }
    }
}

/// The front-matter of a page, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Front {
    pub(super) title: super::SpannedText,
    pub(super) description: Option<Text>,
    pub(super) updated: Option<PartialDate>,
    pub(super) menu: Option<MenuFront>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) slug: Option<String>,
    #[serde(default = "super::yes")]
    pub(super) autolink: bool,
    pub(super) image: Option<super::SpannedText>,
    pub(super) image_alt: Option<Text>,
}

/// A page that is not a question, event or term: "About", "Methodology".
#[derive(Debug, Clone, Hash)]
pub struct Page {
    /// URL-safe name, from the file name unless `slug` is set.
    pub slug: String,
    /// The page's title.
    pub title: String,
    /// Where the title is written in the file.
    pub title_at: std::ops::Range<usize>,
    /// One-line description for meta tags.
    pub description: Option<String>,
    /// When the page was last reviewed.
    pub updated: Option<PartialDate>,
    /// Its entry in the navigation, if it asks for one.
    pub menu: Option<Menu>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// `autolink = false` keeps glossary terms in this file unlinked.
    pub autolink: bool,
    /// The writer's own share image, shown instead of the drawn card.
    pub image: Option<super::ShareImage>,
}

/// Builds a standalone page from its file; `stem` is its name from the
/// path.
pub(super) fn build(
    source: &Source,
    stem: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<Item<Page>, Vec<Diagnostic>> {
    let f: Front = front(source, KEYS)?;
    let slug = slug_for(source, stem, f.slug.as_deref()).map_err(|d| vec![d])?;
    Ok(item(
        source,
        Page {
            slug,
            title_at: offset(source, f.title.span()),
            image: share_image(source, f.image, f.image_alt, problems),
            title: text(source, f.title, "title", problems),
            description: f.description.map(String::from),
            updated: f.updated,
            menu: f.menu.map(Menu::from),
            draft: f.draft,
            autolink: f.autolink,
        },
    ))
}
