//! Typography of the text dossier sets itself, outside Markdown: titles,
//! summaries, descriptions, key figures, source titles, tag names, term
//! names and the site's own title get the smart punctuation bodies get
//! (curly quotes, en and em dashes, ellipses), so that "China's" in a
//! title and "China’s" in the answer under it are not two spellings.
//!
//! It is applied once, to the [`Index`] pass 1 of the link stage made, so
//! every page, `<title>`, Open Graph tag, JSON-LD block, feed entry, share
//! card and search result reads the same string. Front-matter is parsed,
//! and its slugs, order and warnings decided, from the text as written.
//! `smart_punctuation = false` in `site.toml` leaves the text as written.

use std::sync::Arc;

use crate::content::{Citation, Item};
use crate::link::Index;
use crate::punctuation::smart_punctuation;

/// The index with its display text typeset (see the module documentation).
/// Applying it twice changes nothing more.
pub fn typeset(mut index: Index) -> Index {
    if !index.config.smart_punctuation {
        return index;
    }
    let c = &mut index.config;
    smarten(&mut c.title);
    smarten(&mut c.description);
    for q in &mut index.questions {
        let q = edit(&mut q.item);
        smarten(&mut q.title);
        q.summary.iter_mut().for_each(smarten);
        sources(&mut q.sources);
        if let Some(alt) = q.image.as_mut().and_then(|i| i.alt.as_mut()) {
            smarten(alt);
        }
    }
    for e in &mut index.events {
        let e = edit(&mut e.item);
        smarten(&mut e.title);
        sources(&mut e.sources);
    }
    for t in &mut index.terms {
        let t = edit(&mut t.item);
        smarten(&mut t.term);
        t.abbr.iter_mut().for_each(smarten);
        t.aliases.iter_mut().for_each(|a| smarten(&mut a.value));
    }
    for p in &mut index.pages {
        let p = edit(&mut p.item);
        smarten(&mut p.title);
        p.description.iter_mut().for_each(smarten);
        if let Some(label) = p.menu.as_mut().and_then(|m| m.label.as_mut()) {
            smarten(label);
        }
        if let Some(alt) = p.image.as_mut().and_then(|i| i.alt.as_mut()) {
            smarten(alt);
        }
    }
    let s = &mut index.sections;
    for section in [&mut s.home, &mut s.faq, &mut s.timeline, &mut s.glossary]
        .into_iter()
        .flatten()
    {
        let section = edit(section);
        section.title.iter_mut().for_each(smarten);
        section.description.iter_mut().for_each(smarten);
        for f in &mut section.key_figures {
            smarten(&mut f.value);
            smarten(&mut f.label);
            smarten(&mut f.note);
        }
    }
    for tag in &mut index.tags {
        smarten(&mut tag.name);
    }
    index
}

/// The front-matter of an item, to change (copied if it is shared).
fn edit<T: Clone>(item: &mut Item<T>) -> &mut T {
    Arc::make_mut(&mut item.data)
}

fn smarten(text: &mut String) {
    let typeset = smart_punctuation(text);
    if typeset != *text {
        *text = typeset;
    }
}

fn sources(citations: &mut [Citation]) {
    for c in citations {
        smarten(&mut c.title);
        c.publisher.iter_mut().for_each(smarten);
    }
}

#[cfg(test)]
mod tests {
    use crate::punctuation::smart_punctuation;

    #[test]
    fn typesetting_twice_changes_nothing_more() {
        for text in [
            "China's \"push\" -- now...",
            "What's next for SMIC's N+2?",
            "1.6 million -- or more",
        ] {
            let once = smart_punctuation(text);
            assert_eq!(smart_punctuation(&once), once, "{text}");
        }
    }
}
