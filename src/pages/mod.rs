//! The pages of a site, one file per kind: each kind gives its pages'
//! paths, their template and a typed view (`Serialize + Hash`). The hash of
//! the view is the page's key: `dossier serve` renders a page again only
//! when its key (or the chrome every page shares) changes, so a key cannot
//! drift from what the template shows. Adding a kind of page is adding a
//! file here and a line in [`all`].

mod feeds;
mod glossary;
mod home;
pub(crate) mod languages;
mod not_found;
mod page;
mod pagination;
mod print;
pub(crate) mod question;
mod questions;
mod tags;
mod timeline;
mod views;

use std::borrow::Cow;
use std::hash::Hash;

use serde::Serialize;
use tera::{Context, Value};

use crate::assets::Assets;
use crate::bodies::Bodies;
use crate::diagnostic::Diagnostic;
use crate::link::{Index, Links};
use crate::load::hash_of;
use crate::output::OutputFile;
use crate::templates::Templates;
use crate::urls::{file_for, paths};

pub(crate) use views::Meta;

/// One page: where it goes, which template renders it, what it says about
/// itself, and the data its template receives as `page`.
pub(crate) struct Page<V> {
    pub(crate) path: String,
    pub(crate) template: &'static str,
    pub(crate) meta: Meta,
    pub(crate) view: V,
}

/// A page of any kind, as the render stage handles it.
pub(crate) trait AnyPage: Sync {
    /// The page's site path (`faq/x/`).
    fn path(&self) -> &str;
    /// A key of everything the page shows besides the chrome.
    fn key(&self) -> u64;
    /// Renders the page.
    fn render(&self, chrome: &Chrome<'_>) -> Result<OutputFile, Diagnostic>;
}

impl<V: Serialize + Hash + Sync> AnyPage for Page<V> {
    fn path(&self) -> &str {
        &self.path
    }

    fn key(&self) -> u64 {
        hash_of(&(self.template, &self.path, &self.meta, &self.view))
    }

    fn render(&self, chrome: &Chrome<'_>) -> Result<OutputFile, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert_value("site", chrome.site.clone());
        ctx.insert_value("ui", chrome.ui.clone());
        ctx.insert("page", &self.view);
        ctx.insert("meta", &self.meta);
        let urls = chrome.urls(&self.path);
        ctx.insert("root", &urls.root);
        ctx.insert("urls", &urls);
        ctx.insert("nav", &chrome.nav(&self.path));
        let absolute = chrome.index.urls.absolute(&self.path);
        ctx.insert("current_url", &absolute);
        ctx.insert("canonical_url", &absolute);
        ctx.insert("share_image", &chrome.cards.views.get(&self.path));
        let code = &chrome.index.config.code;
        let alternates = chrome.alternates.of(code, &self.path);
        // hreflang links only for a page that has a translation.
        ctx.insert(
            "translated",
            &(alternates.iter().filter(|a| !a.missing).count() > 1),
        );
        ctx.insert("alternates", &alternates);
        ctx.insert("x_default", &chrome.alternates.x_default(&self.path));
        ctx.insert(
            "og_locale",
            &languages::Alternates::og_locale(&chrome.index.config.language),
        );
        let other_locales: Vec<String> = alternates
            .iter()
            .filter(|a| !a.current && !a.missing)
            .map(|a| languages::Alternates::og_locale(&a.hreflang))
            .collect();
        ctx.insert("og_locale_alternates", &other_locales);
        chrome
            .templates
            .tera
            .render(self.template, &ctx)
            .map(|text| OutputFile {
                path: file_for(&self.path),
                bytes: text.into_bytes(),
            })
            .map_err(|e| chrome.templates.error(&e))
    }
}

/// What every page shares: the `site` value (serialised once per build),
/// the navigation, the asset names and the templates.
pub(crate) struct Chrome<'a> {
    pub(crate) index: &'a Index,
    pub(crate) templates: &'a Templates,
    pub(crate) assets: &'a Assets,
    site: Value,
    /// The words of the built-in pages (`{{ ui.sources }}`).
    ui: Value,
    nav: Vec<views::NavEntry>,
    search_files: usize,
    cards: &'a crate::cards::Cards,
    pub(crate) alternates: &'a languages::Alternates,
}

impl<'a> Chrome<'a> {
    pub(crate) fn new(
        index: &'a Index,
        templates: &'a Templates,
        assets: &'a Assets,
        cards: &'a crate::cards::Cards,
        alternates: &'a languages::Alternates,
    ) -> Chrome<'a> {
        let search_files = crate::search::docs_files(index);
        let c = &index.config;
        let site = Value::from_serializable(&views::SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            question_count: index.questions.len(),
            event_count: index.events.len(),
            term_count: index.terms.len(),
            search_files,
            file_links: c.file_links,
            cjk_lang: index.language.cjk_tag.as_deref(),
        });
        Chrome {
            index,
            templates,
            assets,
            site,
            ui: Value::from_serializable(&*index.ui),
            nav: views::navigation(index),
            search_files,
            cards,
            alternates,
        }
    }

    /// A key of the chrome: when it changes, every page is rendered again.
    pub(crate) fn key(&self) -> u64 {
        hash_of(&(
            &self.index.config,
            &self.nav,
            self.search_files,
            self.index.questions.len(),
            self.index.events.len(),
            self.index.terms.len(),
            self.templates.key,
            self.assets.key(),
            self.cards.key(),
            self.alternates.key(),
        ))
    }

    /// The URLs every template needs, written for the page at `from`.
    fn urls(&self, from: &str) -> views::PageUrls {
        let u = &self.index.urls;
        let to = |path: &str| u.url_from(from, path);
        let shared = |path: &str| u.shared_from(from, path);
        views::PageUrls {
            root: u.root_from(from),
            home: to(paths::HOME),
            questions: to("#questions"),
            timeline: to(paths::TIMELINE),
            glossary: to(paths::GLOSSARY),
            tags: to(paths::TAGS),
            feed: to("atom.xml"),
            stylesheet: shared(&self.assets.name("style.css")),
            syntax_stylesheet: shared(&self.assets.name("syntax.css")),
            script: shared(&self.assets.name("dossier.js")),
            favicon: shared(&self.assets.name("favicon.svg")),
            print: self.index.config.print_page.then(|| to(paths::PRINT)),
        }
    }

    /// The navigation as seen from the page at `from`.
    fn nav(&self, from: &str) -> Vec<views::NavLink> {
        self.nav
            .iter()
            .map(|n| views::NavLink {
                label: n.label.clone(),
                url: self.index.urls.url_from(from, &n.path),
                current: n.path == from && !n.path.contains('#'),
            })
            .collect()
    }
}

/// The data the list pages read: the index, every body and the back-links.
pub(crate) struct Lists<'a> {
    pub(crate) index: &'a Index,
    pub(crate) bodies: &'a Bodies,
    pub(crate) links: &'a Links,
    /// Each question's short answer (its `summary`, else the answer's
    /// first paragraph): the same text on every page and in JSON-LD.
    pub(crate) short_answers: Vec<Cow<'a, str>>,
    /// Which pages exist in which language (the sitemap lists them all).
    pub(crate) alternates: &'a languages::Alternates,
}

impl<'a> Lists<'a> {
    pub(crate) fn new(
        index: &'a Index,
        bodies: &'a Bodies,
        links: &'a Links,
        alternates: &'a languages::Alternates,
    ) -> Lists<'a> {
        let short_answers = index
            .questions
            .iter()
            .zip(&bodies.questions)
            .map(|(q, b)| question::short_answer(&q.item, &b.analysis))
            .collect();
        Lists {
            index,
            bodies,
            links,
            short_answers,
            alternates,
        }
    }
}

/// Every page but the questions' own (which the bodies stage hands over one
/// by one), in a stable order.
pub(crate) fn all<'a>(lists: &'a Lists<'a>) -> Vec<Box<dyn AnyPage + 'a>> {
    let mut pages: Vec<Box<dyn AnyPage + 'a>> = vec![
        Box::new(home::page(lists)),
        Box::new(timeline::page(lists)),
        Box::new(glossary::page(lists)),
        Box::new(tags::list(lists)),
    ];
    for page in tags::pages(lists) {
        pages.push(Box::new(page));
    }
    for page in questions::pages(lists) {
        pages.push(Box::new(page));
    }
    for page in glossary::mention_pages(lists) {
        pages.push(Box::new(page));
    }
    for page in page::pages(lists) {
        pages.push(Box::new(page));
    }
    pages.push(Box::new(feeds::atom(lists)));
    // One 404 page, sitemap and robots.txt for the whole site, from the
    // default language.
    if lists.index.fallback.is_none() {
        pages.push(Box::new(not_found::page(lists)));
        pages.push(Box::new(feeds::sitemap(lists)));
        pages.push(Box::new(feeds::robots(lists)));
    }
    if lists.index.config.print_page {
        pages.push(Box::new(print::page(lists)));
    }
    pages
}
