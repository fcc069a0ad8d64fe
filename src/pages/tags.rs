//! The list of tags (`tags/`) and one page per tag (`tags/<slug>/`).

use serde::Serialize;

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
        meta: Meta::simple(index, "Tags", None),
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
}

pub(crate) fn pages<'a>(lists: &'a Lists<'a>) -> Vec<Page<TagView<'a>>> {
    let index = lists.index;
    index
        .tags
        .iter()
        .enumerate()
        .filter_map(|(t, tag)| {
            let path = paths::tag(&tag.slug);
            Some(Page {
                meta: Meta::simple(
                    index,
                    &format!("Questions tagged \u{201c}{}\u{201d}", tag.name),
                    None,
                ),
                template: "tag.html",
                view: TagView {
                    tag: views::tag_link(index, &path, t)?,
                    questions: tag
                        .questions
                        .iter()
                        .filter_map(|&q| views::question_link(lists, &path, q))
                        .collect(),
                },
                path,
            })
        })
        .collect()
}
