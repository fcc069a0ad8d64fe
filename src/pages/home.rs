//! The home page: the lede, the key figures and every question with its
//! short answer.

use serde::Serialize;

use super::views::{self, LinkView, QuestionLink, SectionView};
use super::{Lists, Meta, Page};
use crate::urls::paths;

#[derive(Serialize, Hash)]
pub(crate) struct HomeView<'a> {
    home: SectionView<'a>,
    faq: SectionView<'a>,
    /// The first `home_questions` questions.
    questions: Vec<QuestionLink<'a>>,
    /// With more, how many there are and the full list's address.
    all_questions: Option<AllQuestions>,
    /// An introduction holds highlighted code (the page loads `syntax.css`).
    code: bool,
    /// The site's first chart, from the first question that has one: with
    /// the key figures, the page's visual lead.
    chart: Option<LeadChart>,
}

#[derive(Serialize, Hash)]
struct LeadChart {
    html: String,
    /// The question it comes from.
    question: LinkView,
}

#[derive(Serialize, Hash)]
struct AllQuestions {
    count: usize,
    url: String,
}

pub(crate) fn page<'a>(lists: &'a Lists<'a>) -> Page<HomeView<'a>> {
    let index = lists.index;
    let from = paths::HOME;
    let sections = &index.sections;
    let bodies = &lists.bodies.sections;
    let shown = index.questions.len().min(index.config.home_questions);
    let questions: Vec<QuestionLink<'a>> = (0..shown)
        .filter_map(|i| views::question_link(lists, from, i))
        .collect();
    let all_questions = (index.questions.len() > shown).then(|| AllQuestions {
        count: index.questions.len(),
        url: index.urls.url_from(from, paths::QUESTIONS),
    });
    let title = sections
        .home
        .as_ref()
        .and_then(|h| h.title.clone())
        .unwrap_or_else(|| index.config.title.clone());
    let description = sections
        .home
        .as_ref()
        .and_then(|h| h.description.clone())
        .unwrap_or_else(|| index.config.description.clone());
    let entries = questions
        .iter()
        .zip(&index.questions)
        .map(|(link, q)| views::faq_question(index, &q.path, link.title, link.summary))
        .collect();
    let chart = lists
        .bodies
        .questions
        .iter()
        .enumerate()
        .find_map(|(q, body)| {
            let chart = crate::chart::parse(body.analysis.chart.as_deref()?).ok()?;
            Some(LeadChart {
                html: crate::chart::render(&chart, "lead-chart", &index.language.chart),
                question: views::link_to_question(index, from, q)?,
            })
        });
    Page {
        path: from.to_string(),
        template: "index.html",
        meta: Meta {
            document_title: title.clone(),
            title,
            description,
            og_type: "website",
            json_ld: Some(views::faq_page(entries)),
        },
        view: HomeView {
            home: views::section(index, sections.home.as_ref(), bodies.home.as_ref(), ""),
            faq: views::section(
                index,
                sections.faq.as_ref(),
                bodies.faq.as_ref(),
                index.t("questions"),
            ),
            questions,
            all_questions,
            code: [&bodies.home, &bodies.faq]
                .into_iter()
                .flatten()
                .any(|body| body.analysis.code),
            chart,
        },
    }
}
