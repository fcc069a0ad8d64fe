//! A question's own page: `faq/<slug>/`.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use super::views::{self, DateView, EventLink, LinkView, SourceView, TagLink};
use super::{Meta, Page};
use crate::bodies::{Body, Html};
use crate::content::{Item, Question};
use crate::link::Index;
use crate::markdown::Analysis;

#[derive(Serialize, Hash)]
pub(crate) struct QuestionView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: String,
    content: Html,
    url: String,
    permalink: String,
    date: Option<DateView>,
    updated: Option<DateView>,
    tags: Vec<TagLink>,
    sources: Vec<SourceView<'a>>,
    related: Vec<LinkView>,
    events: Vec<EventLink>,
    terms: Vec<TermUsed>,
    /// The answer holds highlighted code (its page loads `syntax.css`).
    code: bool,
    /// Where its source file is edited (`site.toml`'s `edit_url`).
    edit_url: Option<String>,
}

/// A term in "Terms used", with the preview its links in the answer have.
#[derive(Serialize, Hash)]
struct TermUsed {
    title: String,
    url: String,
    abbr: Option<String>,
    /// The first paragraph of its definition; empty when unknown.
    preview: String,
    /// The preview's id.
    tip: String,
}

/// The short answer: `summary`, or the answer's first paragraph. The same
/// text is shown on the page, in lists and given to search engines.
pub(crate) fn short_answer<'a>(
    question: &'a Item<Question>,
    analysis: &'a Analysis,
) -> Cow<'a, str> {
    match &question.summary {
        Some(s) => Cow::Borrowed(s.as_str()),
        None => Cow::Borrowed(analysis.first_paragraph.as_str()),
    }
}

/// The page of question `i`, from the index, its body and the terms it
/// uses ("Terms used").
pub(crate) fn page<'a>(
    index: &'a Index,
    i: usize,
    body: &Arc<Body>,
    terms: Vec<usize>,
) -> Page<QuestionView<'a>> {
    let Some(q) = index.questions.get(i) else {
        return Page {
            path: String::new(),
            template: "question.html",
            meta: Meta::simple(index, &index.config.title, None),
            view: QuestionView {
                slug: "",
                title: "",
                summary: String::new(),
                content: Html::default(),
                url: String::new(),
                permalink: String::new(),
                date: None,
                updated: None,
                tags: Vec::new(),
                sources: Vec::new(),
                related: Vec::new(),
                events: Vec::new(),
                terms: Vec::new(),
                code: false,
                edit_url: None,
            },
        };
    };
    let from = q.path.as_str();
    let summary = short_answer(&q.item, &body.analysis).into_owned();
    let meta = Meta {
        document_title: format!("{} · {}", q.item.title, index.config.title),
        title: q.item.title.clone(),
        description: summary.clone(),
        og_type: "article",
        json_ld: Some(views::faq_page(vec![views::faq_question(
            index,
            from,
            &q.item.title,
            &summary,
        )])),
    };
    let view = QuestionView {
        slug: &q.item.slug,
        title: &q.item.title,
        summary,
        content: body.html(),
        url: index.urls.url_from(from, from),
        permalink: index.urls.absolute(from),
        date: q.item.date.as_ref().map(|d| DateView::of(index, d)),
        updated: q.item.updated.as_ref().map(|d| DateView::of(index, d)),
        tags: q
            .tags
            .iter()
            .filter_map(|&t| views::tag_link(index, from, t))
            .collect(),
        sources: views::sources(index, &q.item.sources),
        related: q
            .related
            .iter()
            .filter_map(|&r| views::link_to_question(index, from, r))
            .collect(),
        events: q
            .events
            .iter()
            .filter_map(|&e| views::event_link(index, from, e))
            .collect(),
        terms: terms
            .iter()
            .filter_map(|&t| {
                let link = views::term_link(index, from, t)?;
                let term = index.terms.get(t)?;
                let preview = body
                    .term_previews
                    .iter()
                    .find(|(p, _)| *p == t)
                    .map(|(_, text)| text.clone())
                    .unwrap_or_default();
                Some(TermUsed {
                    title: link.title,
                    url: link.url,
                    abbr: term.item.abbr.clone(),
                    preview,
                    tip: format!("_terms.tip-{}", term.item.slug),
                })
            })
            .collect(),
        code: body.analysis.code,
        edit_url: index.config.edit_link(&q.item.source.path),
    };
    Page {
        path: q.path.clone(),
        template: "question.html",
        meta,
        view,
    }
}
