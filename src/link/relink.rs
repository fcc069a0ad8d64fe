//! The shortcut of `dossier serve` for edits that change only bodies.

use std::sync::Arc;

use crate::load::{Source, hash_of};
use crate::markdown;

use super::Site;

/// Relinks after edits to the Markdown bodies of questions or events,
/// reusing `previous` whole. Returns `None` unless every edit left the
/// front-matter as it was and the body's headings, `@/` links and glossary
/// mentions the same: then nothing the link stage computes can change, and
/// only the edited bodies must be rendered again. Anything else needs
/// [`link`].
pub fn relink_bodies(previous: &Site, edited: &[Source]) -> Option<Site> {
    let mut site = previous.clone();
    for source in edited {
        let same_front = |old: &Source| {
            old.front_matter == source.front_matter
                && old.front_matter_text() == source.front_matter_text()
        };
        let analysis = Arc::new(markdown::analyze(
            source.body_text(),
            site.autolinker.as_ref(),
        ));
        let (_, old_analysis) = site.analyses.get(&source.rel)?;
        if !old_analysis.same_structure(&analysis) {
            return None;
        }
        if let Some(i) = site
            .questions
            .iter()
            .position(|q| q.source.rel == source.rel)
        {
            let item = site.questions.get_mut(i)?;
            if !same_front(&item.source) {
                return None;
            }
            item.source = source.clone();
            if let Some(a) = site.question_analysis.get_mut(i) {
                *a = analysis.clone();
            }
        } else if let Some(item) = site.events.iter_mut().find(|e| e.source.rel == source.rel) {
            if !same_front(&item.source) {
                return None;
            }
            item.source = source.clone();
        } else {
            // Terms feed previews into every page; sections are rare: relink.
            return None;
        }
        let key = hash_of(&(source.hash, site.autolink_fingerprint));
        site.analyses.insert(source.rel.clone(), (key, analysis));
    }
    Some(site)
}
