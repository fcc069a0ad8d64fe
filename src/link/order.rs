//! The reading order of each kind, which every list, page and index of the
//! site follows: questions by weight then title, events by date, terms A
//! to Z, pages by slug.
//!
//! Kept in one place so that the order is decided once: every later index
//! (`usize` into these lists) depends on it.

use crate::content::{Content, Event, Item, Page, Question, Term};

/// The content's documents, each kind in its reading order.
pub(super) struct Ordered {
    pub(super) questions: Vec<Item<Question>>,
    pub(super) events: Vec<Item<Event>>,
    pub(super) terms: Vec<Item<Term>>,
    pub(super) pages: Vec<Item<Page>>,
}

/// Sorts a copy of each kind of `content`. Ties are broken by slug, which
/// is unique, so the order never depends on the order files were read in.
pub(super) fn order(content: &Content) -> Ordered {
    let mut questions = content.questions.clone();
    questions.sort_by(|a, b| {
        (a.weight.unwrap_or(i64::MAX), &a.title, &a.slug).cmp(&(
            b.weight.unwrap_or(i64::MAX),
            &b.title,
            &b.slug,
        ))
    });
    let mut events = content.events.clone();
    events.sort_by(|a, b| (a.date, &a.title, &a.slug).cmp(&(b.date, &b.title, &b.slug)));
    let mut terms = content.terms.clone();
    // A to Z by the Latin spelling: Chinese terms by their pinyin (the
    // transliteration `slug` uses), so that 昇腾 files under S.
    terms.sort_by_cached_key(|t| {
        (
            slug::slugify(&t.term),
            t.term.to_lowercase(),
            t.slug.clone(),
        )
    });
    let mut pages = content.pages.clone();
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ordered {
        questions,
        events,
        terms,
        pages,
    }
}
