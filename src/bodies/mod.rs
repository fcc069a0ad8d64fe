//! Bodies stage: every Markdown body is parsed once, analysed and rendered
//! for the page it appears on (and for the print edition), given the
//! [`Index`] of pass 1.
//!
//! Terms come first, because every glossary preview shows the first
//! paragraph of a definition. Events and terms share one page each, where
//! a term is linked automatically only in the first entry that mentions
//! it, so their bodies are analysed before any is rendered. A question's
//! page needs nothing from other bodies, so each question is handed to
//! `on_question` as soon as it is rendered: a build writes its page then
//! and keeps only the analysis, which keeps memory flat on large sites.

mod images;
mod memo;
mod render;
mod terms;

use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Sections;
use crate::highlight::Highlighter;
use crate::link::{Analyses, Index};
use crate::load::{Source, hash_of};
use crate::markdown::Analysis;
use crate::urls::paths;

pub use memo::BodyMemo;

use render::{Parsed, Renderer};

/// Rendered HTML with a hash of its text, so that pages can be keyed by
/// what they show without hashing the text again.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// The HTML.
    pub text: Arc<str>,
    /// Hash of `text`.
    pub hash: u64,
}

impl Html {
    fn new(text: String) -> Html {
        Html {
            hash: hash_of(&text),
            text: text.into(),
        }
    }
}

impl std::hash::Hash for Html {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

impl serde::Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// One body, parsed once: its analysis and its HTML.
#[derive(Debug, Clone)]
pub struct Body {
    /// What the link stage needs.
    pub analysis: Analysis,
    /// The HTML for the page the body appears on; `None` once a build has
    /// written a question's page and dropped it.
    pub html: Option<Html>,
    /// The HTML for the print edition, when there is one.
    pub print: Option<Html>,
    /// What the search index takes from the body (its plain text is not
    /// kept: tokens are numbers).
    pub search: crate::tokens::DocText,
    /// The preview of each glossary term the body uses, by term: a
    /// question's "Terms used" shows them as its body's term links do.
    pub term_previews: Vec<(usize, String)>,
    /// The inputs this body was rendered from, for reuse in `dossier serve`.
    pub key: u64,
    /// The glossary spellings the analysis was made with.
    analysis_key: u64,
}

impl Body {
    /// The page HTML, or an empty one.
    pub fn html(&self) -> Html {
        self.html.clone().unwrap_or_default()
    }
}

/// Every body of the site, in the order of the index's lists.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    /// One per question.
    pub questions: Vec<Arc<Body>>,
    /// One per event.
    pub events: Vec<Arc<Body>>,
    /// One per term.
    pub terms: Vec<Arc<Body>>,
    /// One per standalone page.
    pub pages: Vec<Arc<Body>>,
    /// The section introductions.
    pub sections: Sections<Arc<Body>>,
}

impl Bodies {
    /// The analyses, as the link stage's pass 2 reads them.
    pub fn analyses(&self) -> Analyses<'_> {
        fn of(v: &[Arc<Body>]) -> Vec<&Analysis> {
            v.iter().map(|b| &b.analysis).collect()
        }
        fn analysis(b: &Arc<Body>) -> &Analysis {
            &b.analysis
        }
        Analyses {
            questions: of(&self.questions),
            events: of(&self.events),
            terms: of(&self.terms),
            pages: of(&self.pages),
            sections: self.sections.map(analysis),
        }
    }
}

/// Options of the bodies stage.
pub struct Options<'a> {
    /// Syntax highlighting.
    pub highlighter: &'a Highlighter,
    /// The bodies of the last build (`dossier serve`).
    pub memo: Option<&'a BodyMemo>,
    /// Keep each question's HTML after `on_question` (`dossier serve` and
    /// `check` do; a build does not).
    pub keep_question_html: bool,
    /// Token numbers for the search index.
    pub interner: &'a crate::tokens::Interner,
    /// The site's images, for their sizes and narrower copies.
    pub media: &'a crate::pictures::SiteMedia,
}

/// Renders every body (see the module documentation). `on_question` is
/// called with each question's index and body as soon as it is rendered.
pub fn render_all(
    index: &Index,
    options: &Options<'_>,
    on_question: &(dyn Fn(usize, &Arc<Body>) + Sync),
) -> Bodies {
    let linker = index.autolinker.as_ref();
    let spellings = memo::spellings_key(index);
    let memo = options.memo;

    // Terms first: their first paragraphs are the previews of every page.
    let mut terms: Vec<Parsed<'_>> = index
        .terms
        .par_iter()
        .map(|t| Parsed::new(&t.item.source, linker, spellings, memo))
        .collect();
    let previews: Vec<String> = terms
        .iter()
        .map(|t| crate::markdown::smart_punctuation(&t.analysis.first_paragraph))
        .collect();
    let context_key = memo::context_key(index, options, spellings, &previews);
    let mut events: Vec<Parsed<'_>> = index
        .events
        .par_iter()
        .map(|e| Parsed::new(&e.item.source, linker, spellings, memo))
        .collect();
    let renderer = Renderer {
        index,
        previews: &previews,
        highlighter: options.highlighter,
        interner: options.interner,
        media: options.media,
        context_key,
        spellings,
        memo,
    };
    let event_entries: Vec<(&str, bool)> = index
        .events
        .iter()
        .map(|e| (e.item.slug.as_str(), e.item.autolink))
        .collect();
    let term_entries: Vec<(&str, bool)> = index
        .terms
        .iter()
        .map(|t| (t.item.slug.as_str(), t.item.autolink))
        .collect();
    let events = render_shared_page(
        &renderer,
        &mut events,
        &event_entries,
        &|_| None,
        paths::TIMELINE,
        'e',
    );
    let terms = render_shared_page(
        &renderer,
        &mut terms,
        &term_entries,
        &|i| Some(i),
        paths::GLOSSARY,
        't',
    );
    let pages = render_pages(&renderer);
    let sections = render_sections(&renderer);
    let questions = render_questions(&renderer, options.keep_question_html, on_question);
    Bodies {
        questions,
        events,
        terms,
        pages,
        sections,
    }
}

/// Renders the entries of a page they share (the timeline's events, the
/// glossary's terms), where a term is linked automatically only in the
/// first entry that mentions it. `entries` holds each entry's slug and
/// `autolink`; `own` gives the term an entry defines, which it never links
/// to; print ids are prefixed `{print_kind}.{slug}.`.
fn render_shared_page(
    renderer: &Renderer<'_>,
    parsed: &mut [Parsed<'_>],
    entries: &[(&str, bool)],
    own: &dyn Fn(usize) -> Option<usize>,
    page: &str,
    print_kind: char,
) -> Vec<Arc<Body>> {
    let index = renderer.index;
    let allowed = crate::link::shared_page_autolinks(
        index,
        &parsed.iter().map(|p| &p.analysis).collect::<Vec<_>>(),
        &entries
            .iter()
            .map(|(_, autolink)| *autolink)
            .collect::<Vec<_>>(),
        own,
    );
    let print = index.config.print_page;
    parsed
        .par_iter_mut()
        .zip(entries)
        .zip(&allowed)
        .map(|((p, (slug, _)), allowed)| {
            let print_as = print.then(|| format!("{print_kind}.{slug}."));
            renderer.body(p, page, &format!("{slug}."), allowed, print_as.as_deref())
        })
        .collect()
}

/// Renders the standalone pages, each on its own page.
fn render_pages(renderer: &Renderer<'_>) -> Vec<Arc<Body>> {
    let index = renderer.index;
    index
        .pages
        .par_iter()
        .map(|page| {
            let mut p = renderer.parse(&page.item.source);
            let allowed = crate::link::own_page_autolinks(index, &p.analysis, page.item.autolink);
            renderer.body(&mut p, &page.path, "", &allowed, None)
        })
        .collect()
}

/// Renders the section introductions, which link no glossary terms
/// automatically.
fn render_sections(renderer: &Renderer<'_>) -> Sections<Arc<Body>> {
    let sections = renderer
        .index
        .sections
        .map(|s| (s.source.clone(), section_page(&s.source.rel)));
    let section = |entry: &Option<(Source, &'static str)>| {
        entry.as_ref().map(|(source, page)| {
            let mut p = Parsed::new(source, None, 0, renderer.memo);
            let prefix = section_prefix(&source.rel);
            renderer.body(&mut p, page, prefix, &[], None)
        })
    };
    Sections {
        home: section(&sections.home),
        faq: section(&sections.faq),
        timeline: section(&sections.timeline),
        glossary: section(&sections.glossary),
    }
}

/// Renders the questions, handing each to `on_question` as soon as it is
/// rendered; unless `keep_html`, only its analysis is kept after that.
fn render_questions(
    renderer: &Renderer<'_>,
    keep_html: bool,
    on_question: &(dyn Fn(usize, &Arc<Body>) + Sync),
) -> Vec<Arc<Body>> {
    let index = renderer.index;
    let print = index.config.print_page;
    index
        .questions
        .par_iter()
        .enumerate()
        .map(|(i, q)| {
            let print_as = print.then(|| format!("q.{}.", q.item.slug));
            if let Some(previous) = unchanged_question(renderer, q, print_as.as_deref()) {
                on_question(i, previous);
                return previous.clone();
            }
            let mut p = renderer.parse(&q.item.source);
            let allowed = crate::link::own_page_autolinks(index, &p.analysis, q.item.autolink);
            let body = renderer.body(&mut p, &q.path, "", &allowed, print_as.as_deref());
            on_question(i, &body);
            if keep_html {
                body
            } else {
                // A build has written the page: keep the analysis only.
                let mut owned = Arc::try_unwrap(body).unwrap_or_else(|shared| (*shared).clone());
                owned.html = None;
                Arc::new(owned)
            }
        })
        .collect()
}

/// The usual case in `dossier serve`: the body of the last run,
/// unchanged, taken without copying its analysis.
fn unchanged_question<'m>(
    renderer: &Renderer<'m>,
    q: &crate::link::QuestionEntry,
    print_as: Option<&str>,
) -> Option<&'m Arc<Body>> {
    let previous = renderer.memo?.fresh(&q.item.source, renderer.spellings)?;
    let allowed =
        crate::link::own_page_autolinks(renderer.index, &previous.analysis, q.item.autolink);
    let key = renderer.key(q.item.source.hash, &q.path, "", &allowed, print_as);
    (previous.key == key).then_some(previous)
}

/// The page a section introduction is shown on.
fn section_page(rel: &str) -> &'static str {
    match rel {
        "timeline/_index.md" => paths::TIMELINE,
        "glossary/_index.md" => paths::GLOSSARY,
        _ => paths::HOME,
    }
}

/// The id prefix of a section introduction: it shares its page with the
/// entries listed there, whose slugs cannot contain a dot or start with
/// an underscore.
fn section_prefix(rel: &str) -> &'static str {
    match rel {
        "faq/_index.md" => "_faq.",
        "timeline/_index.md" => "_timeline.",
        "glossary/_index.md" => "_glossary.",
        _ => "_home.",
    }
}
