//! The pages of a site: what each template receives, and a cheap key of
//! everything a page shows, so that `dossier serve` renders a page again
//! only when its key changes.
//!
//! Keys are computed by hashing the page's inputs (titles, slugs, dates,
//! the keys of rendered Markdown bodies), never by serialising the page.

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Value;

use crate::assets::Assets;
use crate::content::{Item, Page};
use crate::highlight::Highlighter;
use crate::link::{DocRef, Site, paths};
use crate::load::hash_of;
use crate::markdown;

/// The rendered Markdown of every document with the key it was rendered
/// for (see `render::render_bodies`).
pub(crate) struct Bodies {
    pub(crate) questions: Vec<(u64, std::sync::Arc<str>)>,
    pub(crate) events: Vec<(u64, std::sync::Arc<str>)>,
    pub(crate) terms: Vec<(u64, std::sync::Arc<str>)>,
    /// Home, FAQ, timeline and glossary introductions.
    pub(crate) sections: [(u64, std::sync::Arc<str>); 4],
}

/// One output page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    Home,
    Question(usize),
    Timeline,
    Glossary,
    Tag(usize),
    Tags,
    NotFound,
    Sitemap,
    Atom,
    Robots,
    Print,
}

/// Everything needed to describe the pages of one build.
pub(crate) struct Pages<'a> {
    site: &'a Site,
    bodies: &'a Bodies,
    short_answers: Vec<std::borrow::Cow<'a, str>>,
    tag_links: Vec<TagLink>,
    tag_index: BTreeMap<String, usize>,
    question_paths: Vec<String>,
    assets: &'a Assets,
    highlighter: &'a Highlighter,
    /// For each question, a hash of what the pages that list it show:
    /// slug, title, short answer, tags, dates.
    listings: Vec<u64>,
}

mod keys;
mod views;

pub(crate) use views::Meta;
pub(crate) use views::PageUrls;
use views::{
    DateView, EventLink, EventView, FeedEntry, JumpLetter, LetterView, LinkView, QuestionLink,
    QuestionView, SectionView, SiteView, SitemapEntry, TagLink, TermView, YearView, faq_page,
    faq_question,
};
use views::{PrintEntry, PrintQuestion};

impl<'a> Pages<'a> {
    pub(crate) fn new(
        site: &'a Site,
        bodies: &'a Bodies,
        assets: &'a Assets,
        highlighter: &'a Highlighter,
    ) -> Pages<'a> {
        // The short answer: `summary`, or the answer's first paragraph. The
        // same text is shown on the page and given to search engines.
        let short_answers = site
            .questions
            .iter()
            .map(|q| match &q.summary {
                Some(s) => std::borrow::Cow::Borrowed(s.as_str()),
                None => {
                    std::borrow::Cow::Owned(markdown::first_paragraph_text(q.source.body_text()))
                }
            })
            .collect();
        let tag_links = site
            .tags
            .iter()
            .map(|t| TagLink {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: paths::tag(&t.slug),
                count: t.questions.len(),
            })
            .collect();
        let tag_index = site
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        let question_paths = site
            .questions
            .iter()
            .map(|q| paths::question(&q.slug))
            .collect();
        let listings = site
            .questions
            .par_iter()
            .zip(&short_answers)
            .map(|(q, short)| {
                hash_of(&(
                    &q.slug, &q.title, &q.tags, q.date, q.updated, &q.summary, short,
                ))
            })
            .collect();
        Pages {
            site,
            bodies,
            assets,
            highlighter,
            listings,
            short_answers,
            tag_links,
            tag_index,
            question_paths,
        }
    }

    /// Every page of the site.
    pub(crate) fn all(&self) -> Vec<PageKind> {
        let mut pages = vec![
            PageKind::Home,
            PageKind::Timeline,
            PageKind::Glossary,
            PageKind::Tags,
            PageKind::NotFound,
        ];
        pages.extend((0..self.site.questions.len()).map(PageKind::Question));
        pages.extend((0..self.site.tags.len()).map(PageKind::Tag));
        pages.extend([PageKind::Sitemap, PageKind::Atom, PageKind::Robots]);
        if self.site.config.print_page {
            pages.push(PageKind::Print);
        }
        pages
    }

    /// The page's path in the site (`faq/x/`, `sitemap.xml`).
    pub(crate) fn path(&self, page: PageKind) -> String {
        match page {
            PageKind::Home => paths::HOME.to_string(),
            PageKind::Question(i) => self
                .site
                .questions
                .get(i)
                .map(|q| paths::question(&q.slug))
                .unwrap_or_default(),
            PageKind::Timeline => paths::TIMELINE.to_string(),
            PageKind::Glossary => paths::GLOSSARY.to_string(),
            PageKind::Tag(i) => self
                .site
                .tags
                .get(i)
                .map(|t| paths::tag(&t.slug))
                .unwrap_or_default(),
            PageKind::Tags => paths::TAGS.to_string(),
            PageKind::NotFound => "404.html".to_string(),
            PageKind::Sitemap => "sitemap.xml".to_string(),
            PageKind::Atom => "atom.xml".to_string(),
            PageKind::Robots => "robots.txt".to_string(),
            PageKind::Print => paths::PRINT.to_string(),
        }
    }

    /// The template that renders the page.
    pub(crate) fn template(page: PageKind) -> &'static str {
        match page {
            PageKind::Home => "index.html",
            PageKind::Question(_) => "question.html",
            PageKind::Timeline => "timeline.html",
            PageKind::Glossary => "glossary.html",
            PageKind::Tag(_) => "tag.html",
            PageKind::Tags => "tags.html",
            PageKind::NotFound => "404.html",
            PageKind::Sitemap => "sitemap.xml",
            PageKind::Atom => "atom.xml",
            PageKind::Robots => "robots.txt",
            PageKind::Print => "print.html",
        }
    }

    /// A tag link as written in the page at `from`.
    fn tag_link(&self, from: &str, i: usize) -> Option<TagLink> {
        let link = self.tag_links.get(i)?;
        Some(TagLink {
            url: self.site.url_from(from, &link.url),
            ..link.clone()
        })
    }

    fn tags_of(&self, from: &str, tags: &[String]) -> Vec<TagLink> {
        tags.iter()
            .filter_map(|t| {
                self.tag_index
                    .get(&slug::slugify(t))
                    .and_then(|&i| self.tag_link(from, i))
            })
            .collect()
    }

    fn question_link(&self, from: &str, i: usize) -> Option<QuestionLink> {
        let q = self.site.questions.get(i)?;
        Some(QuestionLink {
            slug: q.slug.clone(),
            title: q.title.clone(),
            summary: self
                .short_answers
                .get(i)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            url: self.site.url_from(from, self.question_paths.get(i)?),
            tags: self.tags_of(from, &q.tags),
        })
    }

    fn link_to_question(&self, from: &str, i: usize) -> Option<LinkView> {
        Some(LinkView {
            title: self.site.questions.get(i)?.title.clone(),
            url: self.site.url_from(from, self.question_paths.get(i)?),
        })
    }

    /// The URLs every template needs, written for the page at `from`.
    pub(crate) fn urls(&self, page: PageKind) -> PageUrls {
        let from = self.path(page);
        let s = self.site;
        let to = |path: &str| s.url_from(&from, path);
        PageUrls {
            root: s.root_from(&from),
            home: to(paths::HOME),
            questions: to("#questions"),
            timeline: to(paths::TIMELINE),
            glossary: to(paths::GLOSSARY),
            tags: to(paths::TAGS),
            feed: to("atom.xml"),
            stylesheet: to(&self.assets.name("style.css")),
            syntax_stylesheet: to(&self.assets.name("syntax.css")),
            script: to(&self.assets.name("dossier.js")),
            favicon: to(&self.assets.name("favicon.svg")),
            print: s.config.print_page.then(|| to(paths::PRINT)),
        }
    }

    /// The `site` value every template receives.
    pub(crate) fn site_value(&self) -> Value {
        let s = self.site;
        let view = SiteView {
            title: &s.config.title,
            description: &s.config.description,
            language: &s.config.language,
            base_url: &s.config.base_url,
            question_count: s.questions.len(),
            search_files: crate::search::chunk_count(s),
            file_links: s.config.file_links,
            event_count: s.events.len(),
            term_count: s.terms.len(),
        };
        Value::from_serializable(&view)
    }

    fn section(&self, p: &Option<Item<Page>>, body: &str, fallback: &'static str) -> Value {
        let page = p.as_ref().map(|p| &p.data);
        Value::from_serializable(&SectionView {
            title: page.and_then(|p| p.title.as_deref()).unwrap_or(fallback),
            description: page.and_then(|p| p.description.as_deref()).unwrap_or(""),
            content: body.to_string(),
            key_figures: page.map(|p| p.key_figures.as_slice()).unwrap_or(&[]),
        })
    }

    /// The `page` value of a page.
    pub(crate) fn value(&self, page: PageKind) -> Value {
        let s = self.site;
        let b = self.bodies;
        let c = &s.content;
        // Every link is written relative to this page.
        let from = self.path(page);
        let from = from.as_str();
        let mut map = tera::Map::new();
        match page {
            PageKind::Home => {
                map.insert("home".into(), self.section(&c.home, &b.sections[0].1, ""));
                map.insert(
                    "faq".into(),
                    self.section(&c.faq_index, &b.sections[1].1, "Questions"),
                );
                let questions: Vec<QuestionLink> = (0..s.questions.len())
                    .filter_map(|i| self.question_link(from, i))
                    .collect();
                map.insert("questions".into(), Value::from_serializable(&questions));
            }
            PageKind::Question(i) => {
                let Some(q) = s.questions.get(i) else {
                    return Value::from(map);
                };
                let path = paths::question(&q.slug);
                let view = QuestionView {
                    slug: &q.slug,
                    title: &q.title,
                    summary: self.short_answers.get(i).map(|s| &**s).unwrap_or(""),
                    content: b.questions.get(i).map(|b| &*b.1).unwrap_or(""),
                    url: s.url_from(from, &path),
                    permalink: s.absolute_url(&path),
                    date: q.date.as_ref().map(DateView::from),
                    updated: q.updated.as_ref().map(DateView::from),
                    tags: self.tags_of(from, &q.tags),
                    sources: &q.sources,
                    related: s
                        .related
                        .get(i)
                        .into_iter()
                        .flatten()
                        .filter_map(|&r| self.link_to_question(from, r))
                        .collect(),
                    events: s
                        .question_events
                        .get(i)
                        .into_iter()
                        .flatten()
                        .filter_map(|&e| event_link(s, from, e))
                        .collect(),
                    terms: s
                        .question_terms
                        .get(i)
                        .into_iter()
                        .flatten()
                        .filter_map(|&t| term_link(s, from, t))
                        .collect(),
                };
                return Value::from_serializable(&view);
            }
            PageKind::Timeline => {
                let mut years: Vec<YearView<'_>> = Vec::new();
                for ((e, body), qs) in s.events.iter().zip(&b.events).zip(&s.event_questions) {
                    let year = format!("{:04}", e.date.start.year());
                    let view = EventView {
                        slug: &e.slug,
                        title: &e.title,
                        date: DateView::from(&e.date),
                        end: e.end.as_ref().map(DateView::from),
                        status: status_key(e.status),
                        status_label: e.status.label(),
                        content: &body.1,
                        questions: qs
                            .iter()
                            .filter_map(|&q| self.link_to_question(from, q))
                            .collect(),
                        sources: &e.sources,
                    };
                    match years.last_mut() {
                        Some(y) if y.year == year => y.events.push(view),
                        _ => years.push(YearView {
                            year,
                            events: vec![view],
                        }),
                    }
                }
                map.insert(
                    "section".into(),
                    self.section(&c.timeline_index, &b.sections[2].1, "Timeline"),
                );
                map.insert("years".into(), Value::from_serializable(&years));
            }
            PageKind::Glossary => {
                let mut letters: Vec<LetterView<'_>> = Vec::new();
                let entries = s
                    .terms
                    .iter()
                    .zip(&b.terms)
                    .zip(s.term_see_also.iter().zip(&s.term_mentions));
                for ((t, body), (see_also, mentions)) in entries {
                    let letter = first_letter(&t.term);
                    let view = TermView {
                        slug: &t.slug,
                        term: &t.term,
                        aliases: &t.aliases,
                        abbr: t.abbr.as_deref(),
                        content: &body.1,
                        see_also: see_also
                            .iter()
                            .filter_map(|&x| term_link(s, from, x))
                            .collect(),
                        mentioned_in: mentions
                            .iter()
                            .filter_map(|d| doc_link(s, from, *d))
                            .collect(),
                    };
                    match letters.last_mut() {
                        Some(l) if l.letter == letter => l.terms.push(view),
                        _ => letters.push(LetterView {
                            id: letter_id(&letter),
                            letter,
                            terms: vec![view],
                        }),
                    }
                }
                let jump: Vec<JumpLetter> = ('A'..='Z')
                    .map(|c| c.to_string())
                    .chain(
                        letters
                            .iter()
                            .map(|l| l.letter.clone())
                            .filter(|l| !l.chars().all(|c| c.is_ascii_uppercase())),
                    )
                    .map(|letter| JumpLetter {
                        present: letters.iter().any(|l| l.letter == letter),
                        id: letter_id(&letter),
                        letter,
                    })
                    .collect();
                map.insert(
                    "section".into(),
                    self.section(&c.glossary_index, &b.sections[3].1, "Glossary"),
                );
                map.insert("letters".into(), Value::from_serializable(&letters));
                map.insert("jump".into(), Value::from_serializable(&jump));
            }
            PageKind::Tag(i) => {
                if let (Some(t), Some(link)) = (s.tags.get(i), self.tag_link(from, i)) {
                    map.insert("tag".into(), Value::from_serializable(&link));
                    let qs: Vec<QuestionLink> = t
                        .questions
                        .iter()
                        .filter_map(|&q| self.question_link(from, q))
                        .collect();
                    map.insert("questions".into(), Value::from_serializable(&qs));
                }
            }
            PageKind::Tags => {
                let tags: Vec<TagLink> = (0..s.tags.len())
                    .filter_map(|i| self.tag_link(from, i))
                    .collect();
                map.insert("tags".into(), Value::from_serializable(&tags));
            }
            PageKind::NotFound => {}
            PageKind::Sitemap => {
                let mut entries = vec![
                    SitemapEntry {
                        loc: s.absolute_url(paths::HOME),
                        lastmod: None,
                    },
                    SitemapEntry {
                        loc: s.absolute_url(paths::TIMELINE),
                        lastmod: None,
                    },
                    SitemapEntry {
                        loc: s.absolute_url(paths::GLOSSARY),
                        lastmod: None,
                    },
                ];
                entries.extend(s.questions.iter().map(|q| {
                    SitemapEntry {
                        loc: s.absolute_url(&paths::question(&q.slug)),
                        lastmod: q
                            .updated
                            .or(q.date)
                            .filter(|d| d.precision == crate::content::Precision::Day)
                            .map(|d| d.iso()),
                    }
                }));
                entries.extend(s.tags.iter().map(|t| SitemapEntry {
                    loc: s.absolute_url(&paths::tag(&t.slug)),
                    lastmod: None,
                }));
                map.insert("entries".into(), Value::from_serializable(&entries));
            }
            PageKind::Atom => {
                const EPOCH: &str = "1970-01-01T00:00:00Z";
                let mut feed: Vec<FeedEntry> = s
                    .questions
                    .iter()
                    .map(|q| FeedEntry {
                        title: q.title.clone(),
                        url: s.absolute_url(&paths::question(&q.slug)),
                        updated: q
                            .updated
                            .or(q.date)
                            .map(|d| d.rfc3339())
                            .unwrap_or_else(|| EPOCH.to_string()),
                        summary: q.summary.clone().unwrap_or_default(),
                    })
                    .collect();
                feed.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.url.cmp(&b.url)));
                let updated = feed
                    .first()
                    .map(|f| f.updated.clone())
                    .unwrap_or_else(|| EPOCH.to_string());
                map.insert("entries".into(), Value::from_serializable(&feed));
                map.insert("updated".into(), Value::from(updated));
                map.insert("feed_url".into(), Value::from(s.absolute_url("atom.xml")));
                map.insert("home_url".into(), Value::from(s.absolute_url(paths::HOME)));
                let author = if s.config.author.is_empty() {
                    &s.config.title
                } else {
                    &s.config.author
                };
                map.insert("author".into(), Value::from(author.clone()));
            }
            PageKind::Print => return self.print_value(from),
            PageKind::Robots => {
                map.insert(
                    "sitemap_url".into(),
                    Value::from(s.absolute_url("sitemap.xml")),
                );
            }
        }
        Value::from(map)
    }

    /// What the page says about itself: `<title>`, description, Open Graph
    /// and JSON-LD.
    pub(crate) fn meta(&self, page: PageKind) -> Meta {
        let s = self.site;
        let c = &s.content;
        let simple = |title: &str, description: Option<&str>| Meta {
            document_title: format!("{title} · {}", s.config.title),
            title: title.to_string(),
            description: description
                .filter(|d| !d.is_empty())
                .unwrap_or(&s.config.description)
                .to_string(),
            og_type: "website",
            json_ld: None,
        };
        let section = |p: &Option<Item<Page>>, fallback: &str| {
            let page = p.as_ref().map(|p| &p.data);
            simple(
                page.and_then(|p| p.title.as_deref()).unwrap_or(fallback),
                page.and_then(|p| p.description.as_deref()),
            )
        };
        match page {
            PageKind::Home => {
                let title = c
                    .home
                    .as_ref()
                    .and_then(|h| h.title.clone())
                    .unwrap_or_else(|| s.config.title.clone());
                let description = c
                    .home
                    .as_ref()
                    .and_then(|h| h.description.clone())
                    .unwrap_or_else(|| s.config.description.clone());
                let entries = s
                    .questions
                    .iter()
                    .zip(&self.short_answers)
                    .map(|(q, a)| faq_question(s, &q.slug, &q.title, a))
                    .collect();
                Meta {
                    document_title: title.clone(),
                    title,
                    description,
                    og_type: "website",
                    json_ld: Some(faq_page(entries)),
                }
            }
            PageKind::Question(i) => {
                let (Some(q), Some(a)) = (s.questions.get(i), self.short_answers.get(i)) else {
                    return simple(&s.config.title, None);
                };
                Meta {
                    document_title: format!("{} · {}", q.title, s.config.title),
                    title: q.title.clone(),
                    description: a.to_string(),
                    og_type: "article",
                    json_ld: Some(faq_page(vec![faq_question(s, &q.slug, &q.title, a)])),
                }
            }
            PageKind::Timeline => section(&c.timeline_index, "Timeline"),
            PageKind::Glossary => section(&c.glossary_index, "Glossary"),
            PageKind::Tags => simple("Tags", None),
            PageKind::NotFound => simple("Page not found", None),
            PageKind::Tag(i) => simple(
                &format!(
                    "Questions tagged “{}”",
                    s.tags.get(i).map(|t| t.name.as_str()).unwrap_or("")
                ),
                None,
            ),
            PageKind::Print => simple(
                "Print edition",
                Some("Every question, the timeline and the glossary on one page."),
            ),
            PageKind::Sitemap | PageKind::Atom | PageKind::Robots => simple(&s.config.title, None),
        }
    }
}

impl Pages<'_> {
    /// The print edition: every document rendered again for one shared
    /// page (ids prefixed, headings under the document's title).
    fn print_value(&self, from: &str) -> Value {
        use rayon::prelude::*;
        let s = self.site;
        let print = |source: &crate::load::Source, prefix: &str, shift: u8| -> String {
            let resolve = |dest: &str| s.resolve(from, dest);
            markdown::render_print(
                source.body_text(),
                &resolve,
                self.highlighter,
                prefix,
                shift,
            )
        };
        let questions: Vec<PrintQuestion> = s
            .questions
            .par_iter()
            .enumerate()
            .map(|(i, q)| PrintQuestion {
                id: format!("q-{}", q.slug),
                title: q.title.clone(),
                summary: self
                    .short_answers
                    .get(i)
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                content: print(&q.source, &format!("q-{}-", q.slug), 1),
            })
            .collect();
        let events: Vec<PrintEntry> = s
            .events
            .par_iter()
            .map(|e| PrintEntry {
                id: format!("e-{}", e.slug),
                title: format!("{}: {}", e.date.human(), e.title),
                note: e.status.label().to_string(),
                content: print(&e.source, &format!("e-{}-", e.slug), 2),
            })
            .collect();
        let terms: Vec<PrintEntry> = s
            .terms
            .par_iter()
            .map(|t| PrintEntry {
                id: format!("t-{}", t.slug),
                title: t.term.clone(),
                note: t.abbr.clone().unwrap_or_default(),
                content: print(&t.source, &format!("t-{}-", t.slug), 2),
            })
            .collect();
        let mut map = tera::Map::new();
        map.insert("questions".into(), Value::from_serializable(&questions));
        map.insert("events".into(), Value::from_serializable(&events));
        map.insert("terms".into(), Value::from_serializable(&terms));
        Value::from(map)
    }
}

fn letter_id(letter: &str) -> String {
    if letter == "#" {
        "letter-other".to_string()
    } else {
        format!("letter-{}", letter.to_lowercase())
    }
}

fn status_key(s: crate::content::Status) -> &'static str {
    match s {
        crate::content::Status::Happened => "happened",
        crate::content::Status::Announced => "announced",
        crate::content::Status::Planned => "planned",
        crate::content::Status::Projected => "projected",
    }
}

fn event_link(site: &Site, from: &str, e: usize) -> Option<EventLink> {
    let ev = site.events.get(e)?;
    Some(EventLink {
        title: ev.title.clone(),
        url: site.url_from(from, &format!("{}#{}", paths::TIMELINE, ev.slug)),
        date: DateView::from(&ev.date),
        status: ev.status.label(),
    })
}

fn term_link(site: &Site, from: &str, t: usize) -> Option<LinkView> {
    let term = site.terms.get(t)?;
    Some(LinkView {
        title: term.term.clone(),
        url: site.url_from(from, &format!("{}#{}", paths::GLOSSARY, term.slug)),
    })
}

fn doc_link(site: &Site, from: &str, d: DocRef) -> Option<LinkView> {
    match d {
        DocRef::Question(q) => {
            let q = site.questions.get(q)?;
            Some(LinkView {
                title: q.title.clone(),
                url: site.url_from(from, &paths::question(&q.slug)),
            })
        }
        DocRef::Event(e) => event_link(site, from, e).map(|l| LinkView {
            title: l.title,
            url: l.url,
        }),
    }
}

/// The letter a term is filed under: its first letter, uppercased, with
/// accents removed; digits and symbols go under `#`.
fn first_letter(term: &str) -> String {
    let first = deunicode_first(term);
    match first {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        _ => "#".to_string(),
    }
}

fn deunicode_first(term: &str) -> Option<char> {
    slug::slugify(term.chars().next()?.to_string())
        .chars()
        .next()
}
