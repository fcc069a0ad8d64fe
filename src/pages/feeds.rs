//! Files for machines: the Atom feed, the sitemap and robots.txt. Their
//! URLs are absolute, from `base_url`.

use serde::Serialize;

use super::{Lists, Meta, Page};
use crate::urls::paths;

#[derive(Serialize, Hash)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: &'a str,
}

#[derive(Serialize, Hash)]
pub(crate) struct AtomView<'a> {
    entries: Vec<FeedEntry<'a>>,
    updated: String,
    feed_url: String,
    home_url: String,
    author: &'a str,
}

const EPOCH: &str = "1970-01-01T00:00:00Z";

pub(crate) fn atom<'a>(lists: &'a Lists<'a>) -> Page<AtomView<'a>> {
    let index = lists.index;
    let mut entries: Vec<FeedEntry<'a>> = index
        .questions
        .iter()
        .zip(&lists.short_answers)
        .map(|(q, short)| FeedEntry {
            title: &q.item.title,
            url: index.urls.absolute(&q.path),
            updated: q
                .item
                .updated
                .or(q.item.date)
                .map(|d| d.rfc3339())
                .unwrap_or_else(|| EPOCH.to_string()),
            summary: short,
        })
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.url.cmp(&b.url)));
    entries.truncate(index.config.feed_entries);
    let updated = entries
        .first()
        .map(|f| f.updated.clone())
        .unwrap_or_else(|| EPOCH.to_string());
    let c = &index.config;
    Page {
        path: "atom.xml".to_string(),
        template: "atom.xml",
        meta: Meta::simple(index, &c.title, None),
        view: AtomView {
            entries,
            updated,
            feed_url: index.urls.absolute("atom.xml"),
            home_url: index.urls.absolute(paths::HOME),
            author: if c.author.is_empty() {
                &c.title
            } else {
                &c.author
            },
        },
    }
}

#[derive(Serialize, Hash)]
pub(crate) struct SitemapView {
    entries: Vec<super::languages::SitemapEntry>,
}

/// The sitemap of every language, each page with its translations
/// (`xhtml:link`).
pub(crate) fn sitemap<'a>(lists: &'a Lists<'a>) -> Page<SitemapView> {
    let index = lists.index;
    Page {
        path: "sitemap.xml".to_string(),
        template: "sitemap.xml",
        meta: Meta::simple(index, &index.config.title, None),
        view: SitemapView {
            entries: lists.alternates.sitemap(),
        },
    }
}

#[derive(Serialize, Hash)]
pub(crate) struct RobotsView {
    sitemap_url: String,
}

pub(crate) fn robots<'a>(lists: &'a Lists<'a>) -> Page<RobotsView> {
    let index = lists.index;
    Page {
        path: "robots.txt".to_string(),
        template: "robots.txt",
        meta: Meta::simple(index, &index.config.title, None),
        view: RobotsView {
            sitemap_url: index.urls.absolute("sitemap.xml"),
        },
    }
}
