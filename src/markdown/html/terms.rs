//! The glossary pass of the HTML chain: the first mention of each allowed
//! term becomes a link with its preview, and hand-written `@/glossary/`
//! links get the same preview.
//!
//! Separate from the other passes because it is the only one that scans
//! text (with the glossary's automaton) rather than rewriting tags, and it
//! keeps state across events: the terms linked so far and the run of text
//! being scanned.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::super::ids::Ids;
use super::super::raw::Blocking;
use crate::glossary::Autolinker;
use crate::html::escape;

/// How glossary terms are linked in one body.
pub struct TermLinks<'a> {
    /// The automaton over all spellings, when automatic links are on.
    pub linker: Option<&'a Autolinker>,
    /// Terms this body links automatically, each at its first mention.
    pub allowed: &'a [usize],
    /// The term an `@/glossary/...` destination names, if any: hand-written
    /// term links get the same preview as automatic ones.
    pub term_of: &'a dyn Fn(&str) -> Option<usize>,
    /// A term's slug: its preview's id is `tip-SLUG` (`-1`, `-2`... when
    /// the term is linked again on the page).
    pub slug: &'a dyn Fn(usize) -> String,
    /// The HTML that opens a term link: the `<a>` with its URL, tied to the
    /// preview with id `tip`.
    pub open: &'a dyn Fn(usize, &str) -> String,
    /// The HTML that closes it: `</a>` and the preview.
    pub close: &'a dyn Fn(usize, &str) -> String,
}

/// Glossary links: the first mention of each allowed term becomes a link
/// with its preview; hand-written `@/glossary/` links get a preview too.
/// Never inside code, headings, links or raw elements that cannot hold a
/// link (see `raw::NO_LINKS_INSIDE`). Text without a mention to link is
/// passed on as it is, without copying.
pub(super) fn term_links<'a>(
    events: Vec<Event<'a>>,
    terms: &TermLinks<'_>,
    ids: &mut Ids,
) -> Vec<Event<'a>> {
    let by_hand = events.iter().any(|e| {
        matches!(e, Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("@/") && (terms.term_of)(dest_url).is_some())
    });
    if (terms.linker.is_none() || terms.allowed.is_empty()) && !by_hand {
        return events;
    }
    let mut linker = TermLinker {
        terms,
        done: Vec::with_capacity(terms.allowed.len()),
        run: Vec::new(),
    };
    let mut state = Blocking::default();
    let mut out = Vec::with_capacity(events.len() + 8);
    // The preview of the hand-written term link being written, if any.
    let mut open_link: Vec<Option<(usize, String)>> = Vec::new();
    for event in events {
        let linkable = state.allows_links();
        state.update(&event);
        match event {
            // Adjacent text is scanned as one (pulldown-cmark splits it
            // around smart quotes), so a term is never cut in two.
            Event::Text(t) if linkable && !linker.finished() => linker.run.push(t),
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                linker.flush(&mut out, ids);
                match (terms.term_of)(&dest_url) {
                    Some(term) => {
                        let tip = ids.take(&format!("tip-{}", (terms.slug)(term)));
                        out.push(Event::InlineHtml(CowStr::from((terms.open)(term, &tip))));
                        open_link.push(Some((term, tip)));
                    }
                    None => {
                        open_link.push(None);
                        out.push(Event::Start(Tag::Link {
                            dest_url,
                            title,
                            link_type,
                            id,
                        }));
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                linker.flush(&mut out, ids);
                match open_link.pop().flatten() {
                    Some((term, tip)) => {
                        out.push(Event::InlineHtml(CowStr::from((terms.close)(term, &tip))));
                    }
                    None => out.push(Event::End(TagEnd::Link)),
                }
            }
            other => {
                linker.flush(&mut out, ids);
                out.push(other);
            }
        }
    }
    linker.flush(&mut out, ids);
    out
}

/// Automatic links in runs of text.
struct TermLinker<'t, 'a> {
    terms: &'t TermLinks<'t>,
    /// Terms linked so far.
    done: Vec<usize>,
    /// Text events waiting to be scanned together.
    run: Vec<CowStr<'a>>,
}

impl<'a> TermLinker<'_, 'a> {
    /// True when every allowed term is linked: no text needs scanning.
    fn finished(&self) -> bool {
        self.done.len() >= self.terms.allowed.len()
    }

    fn wanted(&self, term: usize) -> bool {
        self.terms.allowed.contains(&term) && !self.done.contains(&term)
    }

    /// Scans the waiting text; passes it on unchanged when nothing in it is
    /// linked, else split around the links.
    fn flush(&mut self, out: &mut Vec<Event<'a>>, ids: &mut Ids) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let Some(linker) = self.terms.linker else {
            out.extend(run.into_iter().map(Event::Text));
            return;
        };
        let joined: CowStr<'a> = if run.len() == 1 {
            run.first().cloned().unwrap_or(CowStr::Borrowed(""))
        } else {
            CowStr::from(run.iter().map(|t| &**t).collect::<String>())
        };
        if !linker.matches(&joined).any(|m| self.wanted(m.term)) {
            out.extend(run.into_iter().map(Event::Text));
            return;
        }
        let mut last = 0;
        let mut seen: Vec<usize> = Vec::new();
        for m in linker.matches(&joined) {
            if !self.wanted(m.term) || seen.contains(&m.term) {
                continue;
            }
            let (Some(before), Some(mention)) =
                (joined.get(last..m.start), joined.get(m.start..m.end))
            else {
                continue;
            };
            seen.push(m.term);
            if !before.is_empty() {
                out.push(Event::Text(CowStr::from(before.to_string())));
            }
            let tip = ids.take(&format!("tip-{}", (self.terms.slug)(m.term)));
            out.push(Event::InlineHtml(CowStr::from(format!(
                "{}{}{}",
                (self.terms.open)(m.term, &tip),
                escape(mention),
                (self.terms.close)(m.term, &tip)
            ))));
            last = m.end;
        }
        self.done.extend(seen);
        if let Some(rest) = joined.get(last..).filter(|r| !r.is_empty()) {
            out.push(Event::Text(CowStr::from(rest.to_string())));
        }
    }
}
