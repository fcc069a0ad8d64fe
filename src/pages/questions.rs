//! Every question, when there are more than the home page lists:
//! `questions/`, `questions/page/2/`...

use serde::Serialize;

use super::pagination::{self, Pagination};
use super::views::{self, QuestionLink};
use super::{Lists, Meta, Page};
use crate::urls::paths;

#[derive(Serialize, Hash)]
pub(crate) struct QuestionsView<'a> {
    count: usize,
    questions: Vec<QuestionLink<'a>>,
    pagination: Option<Pagination>,
}

pub(crate) fn pages<'a>(lists: &'a Lists<'a>) -> Vec<Page<QuestionsView<'a>>> {
    let index = lists.index;
    let count = index.questions.len();
    if count <= index.config.home_questions {
        return Vec::new();
    }
    let split = pagination::split(count, index.config.per_page);
    let total = split.len();
    split
        .into_iter()
        .map(|(n, range)| {
            let path = paths::numbered(paths::QUESTIONS, n);
            let title = if n == 1 {
                index.t("all_questions").to_string()
            } else {
                crate::ui::fill(
                    index.t("all_questions_page"),
                    &[("n", &n.to_string()), ("total", &total.to_string())],
                )
            };
            Page {
                meta: Meta::simple(index, &title, None),
                template: "questions.html",
                view: QuestionsView {
                    count,
                    questions: range
                        .filter_map(|q| views::question_link(lists, &path, q))
                        .collect(),
                    pagination: pagination::pagination(index, paths::QUESTIONS, n, total),
                },
                path,
            }
        })
        .collect()
}
