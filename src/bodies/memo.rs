//! What lets `dossier serve` reuse the bodies of its last build: the
//! [`BodyMemo`] of every body by content path, and the keys that say
//! whether a remembered body still holds (the glossary spellings its
//! analysis was made with, and everything else its HTML depends on).
//! Kept apart from rendering: only `dossier serve` looks bodies up here,
//! and a one-off build only computes the keys it stores with each body.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Bodies, Body, Options};
use crate::link::Index;
use crate::load::{Source, hash_of};
use crate::markdown::Analysis;

impl Bodies {
    /// Every body by content path, for the next build of `dossier serve`.
    pub fn memo(&self, index: &Index) -> BodyMemo {
        let mut memo = HashMap::new();
        let pairs = index
            .questions
            .iter()
            .map(|q| &q.item.source)
            .zip(&self.questions)
            .chain(
                index
                    .events
                    .iter()
                    .map(|e| &e.item.source)
                    .zip(&self.events),
            )
            .chain(index.terms.iter().map(|t| &t.item.source).zip(&self.terms))
            .chain(index.pages.iter().map(|p| &p.item.source).zip(&self.pages))
            .chain(
                index
                    .sections
                    .iter()
                    .map(|s| &s.source)
                    .zip(self.sections.iter()),
            );
        for (source, body) in pairs {
            memo.insert(source.rel.clone(), (source.hash, body.clone()));
        }
        BodyMemo(memo)
    }
}

/// The bodies of the last build, by content path, with the hash of the
/// file they came from.
#[derive(Debug, Clone, Default)]
pub struct BodyMemo(HashMap<Arc<str>, (u64, Arc<Body>)>);

impl BodyMemo {
    /// The remembered body of `source` if its text is unchanged and it was
    /// analysed with the same glossary spellings.
    pub(super) fn fresh(&self, source: &Source, spellings: u64) -> Option<&Arc<Body>> {
        self.0
            .get(&source.rel)
            .filter(|(hash, body)| *hash == source.hash && body.analysis_key == spellings)
            .map(|(_, b)| b)
    }

    /// The remembered body of the document at `source`'s path, whatever its
    /// text now.
    pub fn get(&self, source: &Source) -> Option<&Arc<Body>> {
        self.0.get(&source.rel).map(|(_, b)| b)
    }

    /// The remembered body of `source` if it was rendered from the same
    /// text with the same inputs (`key`).
    pub(super) fn reuse(&self, source: &Source, key: u64) -> Option<Arc<Body>> {
        self.0
            .get(&source.rel)
            .filter(|(hash, body)| *hash == source.hash && body.key == key)
            .map(|(_, b)| b.clone())
    }

    /// The remembered analysis of `source` and what it gave the search
    /// index, if its text is unchanged and it was analysed with the same
    /// glossary spellings (`key`).
    pub(super) fn analysis(
        &self,
        source: &Source,
        spellings: u64,
    ) -> Option<(Analysis, crate::tokens::DocText)> {
        self.0
            .get(&source.rel)
            .filter(|(hash, body)| *hash == source.hash && body.analysis_key == spellings)
            .map(|(_, b)| (b.analysis.clone(), b.search.clone()))
    }
}

/// A key of the glossary spellings, which decide what an analysis finds.
pub(super) fn spellings_key(index: &Index) -> u64 {
    hash_of(
        &index
            .terms
            .iter()
            .map(|t| {
                (
                    &t.item.term,
                    t.item.aliases.iter().map(|a| &a.value).collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>(),
    ) ^ u64::from(index.autolinker.is_some())
}

/// A key of what links in bodies resolve to: every document's URL and the
/// names shown in glossary previews.
fn context_of(index: &Index) -> u64 {
    hash_of(&(
        index
            .questions
            .iter()
            .map(|q| (&q.item.source.rel, &q.path))
            .collect::<Vec<_>>(),
        index
            .events
            .iter()
            .map(|e| (&e.item.source.rel, &e.item.slug))
            .collect::<Vec<_>>(),
        index
            .terms
            .iter()
            .map(|t| (&t.item.source.rel, &t.item.slug, &t.item.term, &t.item.abbr))
            .collect::<Vec<_>>(),
        index
            .pages
            .iter()
            .map(|p| (&p.item.source.rel, &p.path))
            .collect::<Vec<_>>(),
    ))
}

/// A key of everything a body's HTML depends on besides its own text, its
/// page and its allowed terms: the glossary previews, URLs, print edition,
/// images and words of the language.
pub(super) fn context_key(
    index: &Index,
    options: &Options<'_>,
    spellings: u64,
    previews: &[String],
) -> u64 {
    hash_of(&(
        spellings,
        previews,
        index.urls.clone(),
        index.config.print_page,
        context_of(index),
        options.media.key(),
        &index.ui,
    ))
}
