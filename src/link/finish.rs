//! Pass 2 of the link stage: what needs the bodies' analyses. Every `@/`
//! link, anchor and local file a body names is checked, and the back-links
//! ("Terms used", "Mentioned in") are computed.
//!
//! Separate from pass 1 ([`super::index`]) because it runs after the
//! bodies are parsed, and in `dossier serve` only for the documents an edit
//! touched ([`check_questions`]).

use crate::content::Sections;
use crate::diagnostic::Diagnostic;
use crate::markdown::Analysis;

use super::{Index, references, warnings};

/// A page that mentions a term: used for back-links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocRef {
    /// Index into the questions.
    Question(usize),
    /// Index into the events.
    Event(usize),
    /// Index into the standalone pages.
    Page(usize),
}

/// The analyses of every body, in the order of the index's lists.
#[derive(Debug, Clone, Default)]
pub struct Analyses<'a> {
    /// One per question.
    pub questions: Vec<&'a Analysis>,
    /// One per event.
    pub events: Vec<&'a Analysis>,
    /// One per term.
    pub terms: Vec<&'a Analysis>,
    /// One per page.
    pub pages: Vec<&'a Analysis>,
    /// The section introductions.
    pub sections: Sections<&'a Analysis>,
}

/// What pass 2 adds to the index: back-links and warnings.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Terms each question links to or mentions ("Terms used").
    pub question_terms: Vec<Vec<usize>>,
    /// Pages that link to or mention each term ("Mentioned in").
    pub term_mentions: Vec<Vec<DocRef>>,
    /// Warnings of the whole link stage (pass 1's included).
    pub warnings: Vec<Diagnostic>,
}

/// Pass 2 (see the module documentation). Every broken `@/` link or anchor,
/// missing local file and problem found in a body is reported together.
pub fn finish(index: &Index, analyses: &Analyses<'_>) -> Result<Links, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let documents = index
        .questions
        .iter()
        .map(|q| &q.item.source)
        .zip(&analyses.questions)
        .chain(
            index
                .events
                .iter()
                .map(|e| &e.item.source)
                .zip(&analyses.events),
        )
        .chain(
            index
                .terms
                .iter()
                .map(|t| &t.item.source)
                .zip(&analyses.terms),
        )
        .chain(
            index
                .pages
                .iter()
                .map(|p| &p.item.source)
                .zip(&analyses.pages),
        )
        .chain(
            index
                .sections
                .iter()
                .map(|s| &s.source)
                .zip(analyses.sections.iter()),
        );
    for (source, analysis) in documents {
        references::check_body(index, analyses, source, analysis, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let uses = |a: &Analysis| index.terms_used(a);
    let question_terms: Vec<Vec<usize>> = analyses.questions.iter().map(|a| uses(a)).collect();
    let mut term_mentions = vec![Vec::new(); index.terms.len()];
    let mut mention = |t: usize, by: DocRef| {
        if let Some(list) = term_mentions.get_mut(t) {
            list.push(by);
        }
    };
    for (q, ts) in question_terms.iter().enumerate() {
        for &t in ts {
            mention(t, DocRef::Question(q));
        }
    }
    for (e, a) in analyses.events.iter().enumerate() {
        for t in uses(a) {
            mention(t, DocRef::Event(e));
        }
    }
    for (p, a) in analyses.pages.iter().enumerate() {
        for t in uses(a) {
            mention(t, DocRef::Page(p));
        }
    }
    let mut warnings = index.warnings.clone();
    for (term, mentions) in index.terms.iter().zip(&term_mentions) {
        if mentions.is_empty() {
            warnings.push(warnings::unused_term(&term.item));
        }
    }
    Ok(Links {
        question_terms,
        term_mentions,
        warnings,
    })
}

/// Checks the references of some questions only: when nothing but their
/// bodies changed, and nothing other documents read of them.
pub fn check_questions(
    index: &Index,
    analyses: &Analyses<'_>,
    questions: &[usize],
) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for &q in questions {
        if let (Some(entry), Some(analysis)) = (index.questions.get(q), analyses.questions.get(q)) {
            references::check_body(index, analyses, &entry.item.source, analysis, &mut problems);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
