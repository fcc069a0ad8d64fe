//! Which glossary terms a document links automatically, on a page of its
//! own or on a page it shares with others (the timeline, the glossary).
//!
//! Separate from the two passes because the rendering of each page asks
//! for it, once the bodies' analyses and the hand-made links are known: a
//! term is linked once per page, never where the writer linked it already.

use std::collections::HashSet;

use super::Index;
use crate::markdown::Analysis;

/// The terms each document on a shared page links automatically: those it
/// mentions that are not linked yet on the page (by hand anywhere on it, or
/// automatically in an earlier entry), never the document's own term.
/// `own` gives the term a document defines, for the glossary page.
pub fn shared_page_autolinks(
    index: &Index,
    analyses: &[&Analysis],
    enabled: &[bool],
    own: &dyn Fn(usize) -> Option<usize>,
) -> Vec<Vec<usize>> {
    let mut on_page: HashSet<usize> = analyses
        .iter()
        .flat_map(|a| index.linked_terms(a))
        .collect();
    analyses
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if !enabled.get(i).copied().unwrap_or(true) {
                return Vec::new();
            }
            a.mentions
                .iter()
                .copied()
                .filter(|&t| Some(t) != own(i) && on_page.insert(t))
                .collect()
        })
        .collect()
}

/// The automatic links of a document with its own page: every term it
/// mentions that it does not link by hand.
pub fn own_page_autolinks(index: &Index, analysis: &Analysis, enabled: bool) -> Vec<usize> {
    if !enabled {
        return Vec::new();
    }
    let by_hand = index.linked_terms(analysis);
    analysis
        .mentions
        .iter()
        .copied()
        .filter(|t| !by_hand.contains(t))
        .collect()
}
