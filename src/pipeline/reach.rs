//! How far a change can reach: the one place that decides which pages a
//! rebuild of `dossier serve` looks at again.
//!
//! Every page is a pure function of the index (all front-matter), the
//! bodies and the chrome. When the index and the chrome are the ones of
//! the last run, and the only bodies that changed are questions' whose
//! analysis shows nothing another page reads (the short answer taken from
//! the first paragraph, headings, links, local files, glossary mentions),
//! then no page but those questions' own can differ: the other pages are
//! not even built. Anything else, and every page's view is built and its
//! key compared.

use std::sync::Arc;

use crate::bodies::{Bodies, Body, BodyMemo};
use crate::link::Index;

/// Which pages a run builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reach {
    /// Every page's view is built and compared with its last key.
    Everything,
    /// Only these questions' own pages (indexes into the questions) and
    /// the search index changed.
    OwnPages(Vec<usize>),
}

/// Decides the reach of a run from what it reused.
pub(super) fn reach(
    index_reused: bool,
    chrome_reused: bool,
    index: &Index,
    bodies: &Bodies,
    previous: &BodyMemo,
) -> Reach {
    if !index_reused || !chrome_reused {
        return Reach::Everything;
    }
    let same = |source: &crate::load::Source, body: &Arc<Body>| {
        previous
            .get(source)
            .is_some_and(|old| Arc::ptr_eq(old, body))
    };
    let others_same = index
        .events
        .iter()
        .zip(&bodies.events)
        .all(|(e, b)| same(&e.item.source, b))
        && index
            .terms
            .iter()
            .zip(&bodies.terms)
            .all(|(t, b)| same(&t.item.source, b))
        && index
            .pages
            .iter()
            .zip(&bodies.pages)
            .all(|(p, b)| same(&p.item.source, b))
        && index
            .sections
            .iter()
            .zip(bodies.sections.iter())
            .all(|(s, b)| same(&s.source, b));
    if !others_same {
        return Reach::Everything;
    }
    let mut changed = Vec::new();
    for (i, (q, body)) in index.questions.iter().zip(&bodies.questions).enumerate() {
        if same(&q.item.source, body) {
            continue;
        }
        let Some(old) = previous.get(&q.item.source) else {
            return Reach::Everything;
        };
        let listed_same = q.item.summary.is_some()
            || old.analysis.first_paragraph == body.analysis.first_paragraph;
        if !listed_same || !old.analysis.same_structure(&body.analysis) {
            return Reach::Everything;
        }
        changed.push(i);
    }
    Reach::OwnPages(changed)
}
