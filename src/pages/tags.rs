//! The list of tags (`tags/`) and one page per tag (`tags/<slug>/`).

use serde::Serialize;

use super::pagination::{self, Pagination};
use super::views::{self, QuestionLink, TagLink};
use super::{Lists, Meta, Page};
use crate::urls::paths;

#[derive(Serialize, Hash)]
pub(crate) struct TagsView {
    tags: Vec<TagLink>,
}

pub(crate) fn list<'a>(lists: &'a Lists<'a>) -> Page<TagsView> {
    let index = lists.index;
    Page {
        path: paths::TAGS.to_string(),
        template: "tags.html",
        meta: Meta::simple(index, index.t("tags"), None),
        view: TagsView {
            tags: (0..index.tags.len())
                .filter_map(|t| views::tag_link(index, paths::TAGS, t))
                .collect(),
        },
    }
}

#[derive(Serialize, Hash)]
pub(crate) struct TagView<'a> {
    tag: TagLink,
    questions: Vec<QuestionLink<'a>>,
    pagination: Option<Pagination>,
}

/// Each tag's pages: `tags/<slug>/`, then `page/2/`... past `per_page`.
pub(crate) fn pages<'a>(lists: &'a Lists<'a>) -> Vec<Page<TagView<'a>>> {
    let index = lists.index;
    let mut pages = Vec::new();
    for (t, tag) in index.tags.iter().enumerate() {
        let first = paths::tag(&tag.slug);
        let split = pagination::split(tag.questions.len(), index.config.per_page);
        let total = split.len();
        for (n, range) in split {
            let path = paths::numbered(&first, n);
            let Some(link) = views::tag_link(index, &path, t) else {
                continue;
            };
            let (n_text, total_text) = (n.to_string(), total.to_string());
            let title = match n {
                1 => crate::ui::fill(index.t("questions_tagged"), &[("tag", &tag.name)]),
                _ => crate::ui::fill(
                    index.t("questions_tagged_page"),
                    &[("tag", &tag.name), ("n", &n_text), ("total", &total_text)],
                ),
            };
            pages.push(Page {
                meta: Meta::simple(index, &title, None),
                template: "tag.html",
                view: TagView {
                    tag: link,
                    questions: tag
                        .questions
                        .get(range)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|&q| views::question_link(lists, &path, q))
                        .collect(),
                    pagination: pagination::pagination(index, &first, n, total),
                },
                path,
            });
        }
    }
    pages
}
