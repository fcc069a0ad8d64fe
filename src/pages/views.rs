//! The data templates receive, as Rust types shared by several kinds of
//! page. Field names are part of the template contract documented in the
//! README.

use serde::Serialize;

use crate::bodies::Html;
use crate::content::{Citation, Item, KeyFigure, PartialDate, Section};
use crate::link::Index;
use crate::urls::paths;

/// The `site` value every template receives.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    pub(super) question_count: usize,
    pub(super) event_count: usize,
    pub(super) term_count: usize,
    pub(super) search_files: usize,
    pub(super) file_links: bool,
    /// The tag for Chinese runs in this language's pages (`zh-Hans`),
    /// none on pages in Chinese: `{{ text | lang_runs(tag=site.cjk_lang) }}`.
    pub(super) cjk_lang: Option<&'a str>,
}

/// URLs of the site's main pages and assets, relative to one page.
#[derive(Serialize)]
pub(super) struct PageUrls {
    pub(super) root: String,
    pub(super) home: String,
    pub(super) questions: String,
    pub(super) timeline: String,
    pub(super) glossary: String,
    pub(super) tags: String,
    pub(super) feed: String,
    pub(super) stylesheet: String,
    pub(super) syntax_stylesheet: String,
    pub(super) script: String,
    pub(super) favicon: String,
    pub(super) print: Option<String>,
}

/// An entry of the site's navigation, by site path.
#[derive(Debug, Clone, Hash)]
pub(super) struct NavEntry {
    pub(super) label: String,
    pub(super) path: String,
    weight: i64,
}

/// A navigation link as written in one page.
#[derive(Serialize)]
pub(super) struct NavLink {
    pub(super) label: String,
    pub(super) url: String,
    /// True on the page the link leads to (`aria-current="page"`).
    pub(super) current: bool,
}

/// The navigation: the built-in sections (weights 10 to 40) and every page
/// that asks for a `menu` entry, by weight, then label.
pub(super) fn navigation(index: &Index) -> Vec<NavEntry> {
    let mut nav = vec![
        NavEntry {
            label: index.t("questions").into(),
            path: "#questions".into(),
            weight: 10,
        },
        NavEntry {
            label: index.t("timeline").into(),
            path: paths::TIMELINE.into(),
            weight: 20,
        },
        NavEntry {
            label: index.t("glossary").into(),
            path: paths::GLOSSARY.into(),
            weight: 30,
        },
        NavEntry {
            label: index.t("tags").into(),
            path: paths::TAGS.into(),
            weight: 40,
        },
    ];
    for p in &index.pages {
        if let Some(menu) = &p.item.menu {
            nav.push(NavEntry {
                label: menu.label.clone().unwrap_or_else(|| p.item.title.clone()),
                path: p.path.clone(),
                weight: menu.weight,
            });
        }
    }
    nav.sort_by(|a, b| (a.weight, &a.label).cmp(&(b.weight, &b.label)));
    nav
}

/// What a page says about itself to browsers, search engines and link
/// previews: `<title>`, description, Open Graph and JSON-LD.
#[derive(Serialize, Hash)]
pub(crate) struct Meta {
    pub(super) document_title: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) og_type: &'static str,
    pub(super) json_ld: Option<String>,
}

impl Meta {
    /// The meta of a simple page: its title and the site's description
    /// unless it has its own.
    pub(super) fn simple(index: &Index, title: &str, description: Option<&str>) -> Meta {
        Meta {
            document_title: format!("{title} · {}", index.config.title),
            title: title.to_string(),
            description: description
                .filter(|d| !d.is_empty())
                .unwrap_or(&index.config.description)
                .to_string(),
            og_type: "website",
            json_ld: None,
        }
    }
}

/// A schema.org `Question` with its accepted answer.
pub(super) fn faq_question(
    index: &Index,
    path: &str,
    title: &str,
    answer: &str,
) -> serde_json::Value {
    serde_json::json!({
        "@type": "Question",
        "name": title,
        "url": index.urls.absolute(path),
        "acceptedAnswer": { "@type": "Answer", "text": answer },
    })
}

/// A schema.org `FAQPage`, made safe for a `<script>` element: no text can
/// end the element or open a comment in it.
pub(super) fn faq_page(questions: Vec<serde_json::Value>) -> String {
    let page = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": questions,
    });
    crate::html::json_in_script(&page.to_string())
}

/// A date as `<time datetime>` needs it and as readers see it.
#[derive(Serialize, Hash)]
pub(super) struct DateView {
    pub(super) iso: String,
    pub(super) human: String,
}

impl DateView {
    /// `d` as the readers of the index's language write it.
    pub(super) fn of(index: &Index, d: &PartialDate) -> DateView {
        DateView {
            iso: d.iso(),
            human: index.date(d),
        }
    }
}

/// A link with its text.
#[derive(Serialize, Hash)]
pub(super) struct LinkView {
    pub(super) title: String,
    pub(super) url: String,
}

/// A cited source.
#[derive(Serialize, Hash)]
pub(super) struct SourceView<'a> {
    pub(super) title: &'a str,
    pub(super) url: Option<&'a str>,
    pub(super) publisher: Option<&'a str>,
    pub(super) date: Option<DateView>,
}

pub(super) fn sources<'a>(index: &Index, citations: &'a [Citation]) -> Vec<SourceView<'a>> {
    citations
        .iter()
        .map(|c| SourceView {
            title: &c.title,
            url: c.url.as_deref(),
            publisher: c.publisher.as_deref(),
            date: c.date.as_ref().map(|d| DateView::of(index, d)),
        })
        .collect()
}

/// A tag as linked from a page.
#[derive(Serialize, Clone, Hash)]
pub(super) struct TagLink {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) url: String,
    pub(super) count: usize,
}

pub(super) fn tag_link(index: &Index, from: &str, t: usize) -> Option<TagLink> {
    let tag = index.tags.get(t)?;
    Some(TagLink {
        name: tag.name.clone(),
        slug: tag.slug.clone(),
        url: index.urls.url_from(from, &paths::tag(&tag.slug)),
        count: tag.questions.len(),
    })
}

/// A question in a list (home, tag pages).
#[derive(Serialize, Hash)]
pub(super) struct QuestionLink<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) url: String,
    pub(super) tags: Vec<TagLink>,
}

pub(super) fn question_link<'a>(
    lists: &'a super::Lists<'a>,
    from: &str,
    q: usize,
) -> Option<QuestionLink<'a>> {
    let index = lists.index;
    let entry = index.questions.get(q)?;
    Some(QuestionLink {
        slug: &entry.item.slug,
        title: &entry.item.title,
        summary: lists.short_answers.get(q).map(|s| &**s).unwrap_or(""),
        url: index.urls.url_from(from, &entry.path),
        tags: entry
            .tags
            .iter()
            .filter_map(|&t| tag_link(index, from, t))
            .collect(),
    })
}

pub(super) fn link_to_question(index: &Index, from: &str, q: usize) -> Option<LinkView> {
    let entry = index.questions.get(q)?;
    Some(LinkView {
        title: entry.item.title.clone(),
        url: index.urls.url_from(from, &entry.path),
    })
}

/// An event as linked from a question.
#[derive(Serialize, Hash)]
pub(super) struct EventLink {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) date: DateView,
    pub(super) status: String,
    /// Its status is "happened" (pages name the status of the others only).
    pub(super) happened: bool,
}

pub(super) fn event_link(index: &Index, from: &str, e: usize) -> Option<EventLink> {
    let ev = index.events.get(e)?;
    Some(EventLink {
        title: ev.item.title.clone(),
        url: index.urls.url_from(from, &paths::event(&ev.item.slug)),
        date: DateView::of(index, &ev.item.date),
        status: index.t(ev.item.status.ui_key()).to_string(),
        happened: ev.item.status == crate::content::Status::Happened,
    })
}

pub(super) fn term_link(index: &Index, from: &str, t: usize) -> Option<LinkView> {
    let term = index.terms.get(t)?;
    Some(LinkView {
        title: term.item.term.clone(),
        url: index.urls.url_from(from, &paths::term(&term.item.slug)),
    })
}

/// A section introduction.
#[derive(Serialize, Hash)]
pub(super) struct SectionView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) content: Html,
    pub(super) key_figures: &'a [KeyFigure],
    /// Where the section's `_index.md` is edited, when it exists and
    /// `edit_url` is set.
    pub(super) edit_url: Option<String>,
}

pub(super) fn section<'a>(
    index: &Index,
    item: Option<&'a Item<Section>>,
    body: Option<&std::sync::Arc<crate::bodies::Body>>,
    fallback: &'a str,
) -> SectionView<'a> {
    SectionView {
        title: item.and_then(|p| p.title.as_deref()).unwrap_or(fallback),
        description: item.and_then(|p| p.description.as_deref()).unwrap_or(""),
        content: body.map(|b| b.html()).unwrap_or_default(),
        key_figures: item.map(|p| p.key_figures.as_slice()).unwrap_or(&[]),
        edit_url: item.and_then(|p| index.config.edit_link(&p.source.path)),
    }
}
