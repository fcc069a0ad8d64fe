//! Which pages exist in which language: for `<link rel="alternate"
//! hreflang>` in every page's head, the language switcher, `og:locale`
//! and the sitemap's `xhtml:link` alternates.
//!
//! A page's translations are the pages at the same path in the other
//! languages (`faq/x/` and `zh/faq/x/`): content pages exist where their
//! file is translated, the built-in pages (home, timeline, glossary, tags)
//! in every language.

use std::collections::HashSet;

use serde::Serialize;

use crate::content::{PartialDate, Precision};
use crate::link::Index;
use crate::load::hash_of;
use crate::urls::{Urls, paths};

/// One language's pages.
struct Language {
    code: String,
    /// BCP 47 (`zh-Hans`).
    tag: String,
    /// Its name in itself ("中文").
    name: String,
    urls: Urls,
    /// Every page that has translations, by path.
    pages: HashSet<String>,
    /// The sitemap's entries: path and date of last review.
    sitemap: Vec<(String, Option<String>)>,
}

/// Every language's pages, the default language first.
#[derive(Default)]
pub(crate) struct Alternates {
    languages: Vec<Language>,
}

/// A translation of the page being rendered, or the home page of a
/// language it has no translation in.
#[derive(Serialize, Hash)]
pub(crate) struct AlternateView {
    /// BCP 47 tag, for `hreflang` and `lang`.
    pub(crate) hreflang: String,
    /// The language's name in itself.
    pub(crate) name: String,
    /// Absolute URL (for `<link rel="alternate">`).
    pub(crate) href: String,
    /// Relative URL from the page (for the switcher).
    pub(crate) url: String,
    /// The page being rendered.
    pub(crate) current: bool,
    /// No translation of this page: `url` is the language's home page.
    pub(crate) missing: bool,
}

/// An entry of the sitemap with its alternates.
#[derive(Serialize, Hash)]
pub(crate) struct SitemapEntry {
    pub(crate) loc: String,
    pub(crate) lastmod: Option<String>,
    /// Every language the page exists in (itself included), when there is
    /// more than one.
    pub(crate) alternates: Vec<SitemapAlternate>,
}

/// A translation of a sitemap entry.
#[derive(Serialize, Hash)]
pub(crate) struct SitemapAlternate {
    pub(crate) hreflang: String,
    pub(crate) href: String,
}

fn day(d: Option<PartialDate>) -> Option<String> {
    d.filter(|d| d.precision == Precision::Day).map(|d| d.iso())
}

impl Alternates {
    /// The pages of every language's index, the default language first.
    pub(crate) fn new<'a>(indexes: impl IntoIterator<Item = &'a Index>) -> Alternates {
        let languages = indexes
            .into_iter()
            .map(|index| {
                let mut sitemap: Vec<(String, Option<String>)> =
                    [paths::HOME, paths::TIMELINE, paths::GLOSSARY]
                        .iter()
                        .map(|p| (p.to_string(), None))
                        .collect();
                sitemap.extend(
                    index
                        .questions
                        .iter()
                        .map(|q| (q.path.clone(), day(q.item.updated.or(q.item.date)))),
                );
                sitemap.extend(
                    index
                        .pages
                        .iter()
                        .map(|p| (p.path.clone(), day(p.item.updated))),
                );
                sitemap.extend(index.tags.iter().map(|t| (paths::tag(&t.slug), None)));
                let mut pages: HashSet<String> = sitemap.iter().map(|(p, _)| p.clone()).collect();
                pages.insert(paths::TAGS.to_string());
                if index.config.print_page {
                    pages.insert(paths::PRINT.to_string());
                }
                if index.questions.len() > index.config.home_questions {
                    pages.insert(paths::QUESTIONS.to_string());
                }
                Language {
                    code: index.config.code.clone(),
                    tag: index.config.language.clone(),
                    name: index.config.language_label(),
                    urls: index.urls.clone(),
                    pages,
                    sitemap,
                }
            })
            .collect();
        Alternates { languages }
    }

    /// True when the site has more than one language.
    pub(crate) fn multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// A key of everything here, for the chrome's key.
    pub(crate) fn key(&self) -> u64 {
        let mut pages: Vec<(&str, Vec<&String>)> = self
            .languages
            .iter()
            .map(|l| {
                let mut p: Vec<&String> = l.pages.iter().collect();
                p.sort_unstable();
                (l.code.as_str(), p)
            })
            .collect();
        pages.sort_unstable();
        hash_of(&(
            pages,
            self.languages
                .iter()
                .map(|l| (&l.tag, &l.name, &l.urls))
                .collect::<Vec<_>>(),
        ))
    }

    /// The translations of the page at `path` in language `code`, itself
    /// included, in the order of the languages; for a language without
    /// one, its home page (`missing`). Empty on a one-language site and for
    /// pages that have no translations by nature (pages of mentions, pages
    /// after the first of a list).
    pub(crate) fn of(&self, code: &str, path: &str) -> Vec<AlternateView> {
        let Some(this) = self.languages.iter().find(|l| l.code == code) else {
            return Vec::new();
        };
        if !self.multilingual() || !this.pages.contains(path) {
            return Vec::new();
        }
        self.languages
            .iter()
            .map(|l| {
                let missing = !l.pages.contains(path);
                let target = if missing { paths::HOME } else { path };
                AlternateView {
                    hreflang: l.tag.clone(),
                    name: l.name.clone(),
                    href: l.urls.absolute(target),
                    url: if l.code == code {
                        this.urls.url_from(path, target)
                    } else {
                        this.urls.other_language_from(path, &l.urls, target)
                    },
                    current: l.code == code,
                    missing,
                }
            })
            .collect()
    }

    /// The absolute URL of the page at `path` in the default language, for
    /// `hreflang="x-default"`, when it exists there.
    pub(crate) fn x_default(&self, path: &str) -> Option<String> {
        let first = self.languages.first()?;
        first
            .pages
            .contains(path)
            .then(|| first.urls.absolute(path))
    }

    /// The `og:locale` form of a BCP 47 tag: `zh-Hans` is `zh_CN`, `en` is
    /// `en`, `pt-BR` is `pt_BR`.
    pub(crate) fn og_locale(tag: &str) -> String {
        match tag.to_ascii_lowercase().as_str() {
            "zh-hans" | "zh-cn" | "zh" => "zh_CN".to_string(),
            "zh-hant" | "zh-tw" => "zh_TW".to_string(),
            _ => tag.replace('-', "_"),
        }
    }

    /// Every language's sitemap entries, with their alternates.
    pub(crate) fn sitemap(&self) -> Vec<SitemapEntry> {
        let mut entries = Vec::new();
        for l in &self.languages {
            for (path, lastmod) in &l.sitemap {
                let mut alternates: Vec<SitemapAlternate> = self
                    .languages
                    .iter()
                    .filter(|o| o.pages.contains(path))
                    .map(|o| SitemapAlternate {
                        hreflang: o.tag.clone(),
                        href: o.urls.absolute(path),
                    })
                    .collect();
                if alternates.len() < 2 {
                    alternates.clear();
                }
                entries.push(SitemapEntry {
                    loc: l.urls.absolute(path),
                    lastmod: lastmod.clone(),
                    alternates,
                });
            }
        }
        entries
    }
}
