//! Standalone pages: `content/about.md` at `about/`.

use serde::Serialize;

use super::views::DateView;
use super::{Lists, Meta, Page};
use crate::bodies::Html;

#[derive(Serialize, Hash)]
pub(crate) struct PageView<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    content: Html,
    updated: Option<DateView>,
    code: bool,
    edit_url: Option<String>,
}

pub(crate) fn pages<'a>(lists: &'a Lists<'a>) -> Vec<Page<PageView<'a>>> {
    let index = lists.index;
    index
        .pages
        .iter()
        .zip(&lists.bodies.pages)
        .map(|(p, body)| {
            let item = &p.item;
            let description = item
                .description
                .as_deref()
                .filter(|d| !d.is_empty())
                .unwrap_or(&body.analysis.first_paragraph);
            Page {
                path: p.path.clone(),
                template: "page.html",
                meta: Meta::simple(index, &item.title, Some(description)),
                view: PageView {
                    slug: &item.slug,
                    title: &item.title,
                    description: item.description.as_deref().unwrap_or(""),
                    content: body.html(),
                    updated: item.updated.as_ref().map(|d| DateView::of(index, d)),
                    code: body.analysis.code,
                    edit_url: index.config.edit_link(&item.source.path),
                },
            }
        })
        .collect()
}
