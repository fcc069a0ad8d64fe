//! The print edition (`print/`, with `print_page = true`): every question,
//! the timeline and the glossary on one page, each body rendered for it
//! (ids prefixed, headings under the document's title).

use serde::Serialize;

use super::{Lists, Meta, Page};
use crate::bodies::Html;
use crate::urls::paths;

#[derive(Serialize, Hash)]
struct PrintQuestion<'a> {
    id: String,
    title: &'a str,
    summary: &'a str,
    content: Html,
}

#[derive(Serialize, Hash)]
struct PrintEntry<'a> {
    id: String,
    title: String,
    note: &'a str,
    content: Html,
}

#[derive(Serialize, Hash)]
pub(crate) struct PrintView<'a> {
    questions: Vec<PrintQuestion<'a>>,
    events: Vec<PrintEntry<'a>>,
    terms: Vec<PrintEntry<'a>>,
}

pub(crate) fn page<'a>(lists: &'a Lists<'a>) -> Page<PrintView<'a>> {
    let index = lists.index;
    let b = lists.bodies;
    let print = |body: &std::sync::Arc<crate::bodies::Body>| body.print.clone().unwrap_or_default();
    let questions = index
        .questions
        .iter()
        .zip(&b.questions)
        .zip(&lists.short_answers)
        .map(|((q, body), short)| PrintQuestion {
            id: format!("q.{}", q.item.slug),
            title: &q.item.title,
            summary: short,
            content: print(body),
        })
        .collect();
    let events = index
        .events
        .iter()
        .zip(&b.events)
        .map(|(e, body)| PrintEntry {
            id: format!("e.{}", e.item.slug),
            title: format!("{}: {}", index.date(&e.item.date), e.item.title),
            note: index.t(e.item.status.ui_key()),
            content: print(body),
        })
        .collect();
    let terms = index
        .terms
        .iter()
        .zip(&b.terms)
        .map(|(t, body)| PrintEntry {
            id: format!("t.{}", t.item.slug),
            title: t.item.term.clone(),
            note: t.item.abbr.as_deref().unwrap_or(""),
            content: print(body),
        })
        .collect();
    Page {
        path: paths::PRINT.to_string(),
        template: "print.html",
        meta: Meta::simple(
            index,
            index.t("print_edition"),
            Some("Every question, the timeline and the glossary on one page."),
        ),
        view: PrintView {
            questions,
            events,
            terms,
        },
    }
}
