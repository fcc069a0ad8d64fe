//! The data templates receive, as Rust types. Field names are part of the
//! template contract documented in the README.

use serde::Serialize;

use crate::content::{Citation, KeyFigure};
use crate::link::{Site, paths};

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    pub(super) question_count: usize,
    pub(super) search_files: usize,
    pub(super) file_links: bool,
    pub(super) event_count: usize,
    pub(super) term_count: usize,
}

#[derive(Serialize, Clone)]
pub(super) struct QuestionLink {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) url: String,
    pub(super) tags: Vec<TagLink>,
}

#[derive(Serialize, Clone)]
pub(super) struct TagLink {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct DateView {
    pub(super) iso: String,
    pub(super) human: String,
}

impl From<&crate::content::PartialDate> for DateView {
    fn from(d: &crate::content::PartialDate) -> Self {
        DateView {
            iso: d.iso(),
            human: d.human(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct LinkView {
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) content: String,
    pub(super) key_figures: &'a [KeyFigure],
}

#[derive(Serialize)]
pub(super) struct QuestionView<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) content: &'a str,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) date: Option<DateView>,
    pub(super) updated: Option<DateView>,
    pub(super) tags: Vec<TagLink>,
    pub(super) sources: &'a [Citation],
    pub(super) related: Vec<LinkView>,
    pub(super) events: Vec<EventLink>,
    pub(super) terms: Vec<LinkView>,
}

#[derive(Serialize)]
pub(super) struct EventLink {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) date: DateView,
    pub(super) status: &'static str,
}

#[derive(Serialize)]
pub(super) struct EventView<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) date: DateView,
    pub(super) end: Option<DateView>,
    pub(super) status: &'static str,
    pub(super) status_label: &'static str,
    pub(super) content: &'a str,
    pub(super) questions: Vec<LinkView>,
    pub(super) sources: &'a [Citation],
}

#[derive(Serialize)]
pub(super) struct YearView<'a> {
    pub(super) year: String,
    pub(super) events: Vec<EventView<'a>>,
}

#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) slug: &'a str,
    pub(super) term: &'a str,
    pub(super) aliases: &'a [String],
    pub(super) abbr: Option<&'a str>,
    pub(super) content: &'a str,
    pub(super) see_also: Vec<LinkView>,
    pub(super) mentioned_in: Vec<LinkView>,
}

#[derive(Serialize)]
pub(super) struct LetterView<'a> {
    pub(super) letter: String,
    pub(super) id: String,
    pub(super) terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
pub(super) struct JumpLetter {
    pub(super) letter: String,
    pub(super) id: String,
    pub(super) present: bool,
}

/// What a page says about itself to browsers, search engines and link
/// previews: `<title>`, description, Open Graph and JSON-LD.
#[derive(Serialize)]
pub(crate) struct Meta {
    pub(super) document_title: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) og_type: &'static str,
    pub(super) json_ld: Option<String>,
}

/// A schema.org `Question` with its accepted answer.
pub(super) fn faq_question(
    site: &Site,
    slug: &str,
    title: &str,
    answer: &str,
) -> serde_json::Value {
    serde_json::json!({
        "@type": "Question",
        "name": title,
        "url": site.absolute_url(&paths::question(slug)),
        "acceptedAnswer": { "@type": "Answer", "text": answer },
    })
}

/// A schema.org `FAQPage`, serialised for a `<script>` element (`</` is
/// escaped so the text can never close the element).
pub(super) fn faq_page(questions: Vec<serde_json::Value>) -> String {
    let page = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": questions,
    });
    page.to_string().replace("</", "<\\/")
}

#[derive(Serialize)]
pub(super) struct SitemapEntry {
    pub(super) loc: String,
    pub(super) lastmod: Option<String>,
}

#[derive(Serialize)]
pub(super) struct FeedEntry {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) updated: String,
    pub(super) summary: String,
}

/// URLs of the site's main pages and assets, relative to one page.
#[derive(Serialize)]
pub(crate) struct PageUrls {
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

impl PageUrls {
    /// The relative path to the site's root, for `asset()`.
    pub(crate) fn root(&self) -> &str {
        &self.root
    }
}

/// A question in the print edition.
#[derive(Serialize)]
pub(super) struct PrintQuestion {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) content: String,
}

/// An event or term in the print edition.
#[derive(Serialize)]
pub(super) struct PrintEntry {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) note: String,
    pub(super) content: String,
}
