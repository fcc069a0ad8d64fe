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

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Sections;
use crate::highlight::Highlighter;
use crate::html::escape;
use crate::link::{Analyses, Index};
use crate::load::{Source, hash_of};
use crate::markdown::{self, Analysis, Document, RenderContext, TermLinks};
use crate::urls::paths;

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
    fn fresh(&self, source: &Source, spellings: u64) -> Option<&Arc<Body>> {
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
    fn reuse(&self, source: &Source, key: u64) -> Option<Arc<Body>> {
        self.0
            .get(&source.rel)
            .filter(|(hash, body)| *hash == source.hash && body.key == key)
            .map(|(_, b)| b.clone())
    }

    /// The remembered analysis of `source` and what it gave the search
    /// index, if its text is unchanged and it was analysed with the same
    /// glossary spellings (`key`).
    fn analysis(
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

/// A body being rendered: its text, its parse when it was needed, its
/// analysis.
struct Parsed<'a> {
    source: &'a Source,
    doc: Option<Document<'a>>,
    analysis: Analysis,
    /// The search entry, when the analysis was reused (its text is gone).
    search: Option<crate::tokens::DocText>,
    /// The glossary spellings the analysis was made with.
    spellings: u64,
}

impl<'a> Parsed<'a> {
    fn new(
        source: &'a Source,
        linker: Option<&crate::glossary::Autolinker>,
        spellings: u64,
        memo: Option<&BodyMemo>,
    ) -> Parsed<'a> {
        if let Some((analysis, search)) = memo.and_then(|m| m.analysis(source, spellings)) {
            return Parsed {
                source,
                doc: None,
                analysis,
                search: Some(search),
                spellings,
            };
        }
        let body = source.body_text();
        let doc = markdown::parse(body);
        let analysis = markdown::analyze(&doc, body, linker);
        Parsed {
            source,
            doc: Some(doc),
            analysis,
            search: None,
            spellings,
        }
    }

    /// The parse, made now if the analysis was reused.
    fn document(&mut self) -> &Document<'a> {
        self.doc
            .get_or_insert_with(|| markdown::parse(self.source.body_text()))
    }
}

/// Renders every body (see the module documentation). `on_question` is
/// called with each question's index and body as soon as it is rendered.
pub fn render_all(
    index: &Index,
    options: &Options<'_>,
    on_question: &(dyn Fn(usize, &Arc<Body>) + Sync),
) -> Bodies {
    let linker = index.autolinker.as_ref();
    let spellings = spellings_key(index);
    let memo = options.memo;
    let print = index.config.print_page;

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
    let context_key = hash_of(&(
        spellings,
        &previews,
        index.urls.clone(),
        print,
        context_of(index),
        options.media.key(),
    ));
    let mut events: Vec<Parsed<'_>> = index
        .events
        .par_iter()
        .map(|e| Parsed::new(&e.item.source, linker, spellings, memo))
        .collect();
    let event_allowed = crate::link::shared_page_autolinks(
        index,
        &events.iter().map(|e| &e.analysis).collect::<Vec<_>>(),
        &index
            .events
            .iter()
            .map(|e| e.item.autolink)
            .collect::<Vec<_>>(),
        &|_| None,
    );
    let term_allowed = crate::link::shared_page_autolinks(
        index,
        &terms.iter().map(|t| &t.analysis).collect::<Vec<_>>(),
        &index
            .terms
            .iter()
            .map(|t| t.item.autolink)
            .collect::<Vec<_>>(),
        &|i| Some(i),
    );
    let renderer = Renderer {
        index,
        previews: &previews,
        highlighter: options.highlighter,
        interner: options.interner,
        media: options.media,
        context_key,
    };
    let event_bodies: Vec<Arc<Body>> = events
        .par_iter_mut()
        .zip(&index.events)
        .zip(&event_allowed)
        .map(|((p, e), allowed)| {
            let print_as = print.then(|| format!("e.{}.", e.item.slug));
            renderer.body(
                p,
                paths::TIMELINE,
                &format!("{}.", e.item.slug),
                allowed,
                print_as.as_deref(),
                memo,
            )
        })
        .collect();
    let term_bodies: Vec<Arc<Body>> = terms
        .par_iter_mut()
        .zip(&index.terms)
        .zip(&term_allowed)
        .map(|((p, t), allowed)| {
            let print_as = print.then(|| format!("t.{}.", t.item.slug));
            renderer.body(
                p,
                paths::GLOSSARY,
                &format!("{}.", t.item.slug),
                allowed,
                print_as.as_deref(),
                memo,
            )
        })
        .collect();
    let page_bodies: Vec<Arc<Body>> = index
        .pages
        .par_iter()
        .map(|page| {
            let mut p = Parsed::new(&page.item.source, linker, spellings, memo);
            let allowed = crate::link::own_page_autolinks(index, &p.analysis, page.item.autolink);
            renderer.body(&mut p, &page.path, "", &allowed, None, memo)
        })
        .collect();
    let sections = index
        .sections
        .map(|s| (s.source.clone(), section_page(&s.source.rel)));
    let section = |entry: &Option<(Source, &'static str)>| {
        entry.as_ref().map(|(source, page)| {
            let mut p = Parsed::new(source, None, 0, memo);
            let prefix = section_prefix(&source.rel);
            renderer.body(&mut p, page, prefix, &[], None, memo)
        })
    };
    let section_bodies = Sections {
        home: section(&sections.home),
        faq: section(&sections.faq),
        timeline: section(&sections.timeline),
        glossary: section(&sections.glossary),
    };
    let question_bodies: Vec<Arc<Body>> = index
        .questions
        .par_iter()
        .enumerate()
        .map(|(i, q)| {
            let print_as = print.then(|| format!("q.{}.", q.item.slug));
            // The usual case in `dossier serve`: the body of the last run,
            // unchanged, taken without copying its analysis.
            if let Some(previous) = memo.and_then(|m| m.fresh(&q.item.source, spellings)) {
                let allowed =
                    crate::link::own_page_autolinks(index, &previous.analysis, q.item.autolink);
                let key = renderer.key(
                    q.item.source.hash,
                    &q.path,
                    "",
                    &allowed,
                    print_as.as_deref(),
                );
                if previous.key == key {
                    on_question(i, previous);
                    return previous.clone();
                }
            }
            let mut p = Parsed::new(&q.item.source, linker, spellings, memo);
            let allowed = crate::link::own_page_autolinks(index, &p.analysis, q.item.autolink);
            let body = renderer.body(&mut p, &q.path, "", &allowed, print_as.as_deref(), memo);
            on_question(i, &body);
            if options.keep_question_html {
                body
            } else {
                // A build has written the page: keep the analysis only.
                let mut owned = Arc::try_unwrap(body).unwrap_or_else(|shared| (*shared).clone());
                owned.html = None;
                Arc::new(owned)
            }
        })
        .collect();
    Bodies {
        questions: question_bodies,
        events: event_bodies,
        terms: term_bodies,
        pages: page_bodies,
        sections: Sections {
            home: section_bodies.home,
            faq: section_bodies.faq,
            timeline: section_bodies.timeline,
            glossary: section_bodies.glossary,
        },
    }
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

/// A key of the glossary spellings, which decide what an analysis finds.
fn spellings_key(index: &Index) -> u64 {
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

/// What every body's rendering shares.
struct Renderer<'a> {
    index: &'a Index,
    previews: &'a [String],
    highlighter: &'a Highlighter,
    interner: &'a crate::tokens::Interner,
    media: &'a crate::pictures::SiteMedia,
    /// Changes whenever anything a body's HTML depends on, besides its own
    /// text and its allowed terms, changes.
    context_key: u64,
}

impl Renderer<'_> {
    /// The key of a body's HTML: its text and everything else it depends on.
    fn key(
        &self,
        source_hash: u64,
        page: &str,
        prefix: &str,
        allowed: &[usize],
        print_as: Option<&str>,
    ) -> u64 {
        hash_of(&(
            source_hash,
            self.context_key,
            page,
            prefix,
            allowed,
            print_as,
        ))
    }

    /// Renders `parsed` for the page at `page` (and for the print edition
    /// with ids prefixed `print_as`), reusing the memo when nothing changed.
    fn body(
        &self,
        parsed: &mut Parsed<'_>,
        page: &str,
        prefix: &str,
        allowed: &[usize],
        print_as: Option<&str>,
        memo: Option<&BodyMemo>,
    ) -> Arc<Body> {
        let key = self.key(parsed.source.hash, page, prefix, allowed, print_as);
        if let Some(body) = memo.and_then(|m| m.reuse(parsed.source, key)) {
            return body;
        }
        let index = self.index;
        let rel = parsed.source.rel.clone();
        let resolve = |dest: &str| index.resolve(page, dest);
        let local = |url: &str| {
            let path = index.local_path(&rel, url)?;
            index.exists(&path).then(|| index.url_of_path(page, &path))
        };
        let image = |url: &str| self.image(&rel, page, url);
        let term_of = |dest: &str| index.term_of(dest);
        let slug = |t: usize| {
            index
                .terms
                .get(t)
                .map(|t| t.item.slug.clone())
                .unwrap_or_default()
        };
        let open = |t: usize, tip: &str| self.open_term(page, t, tip);
        let close = |t: usize, tip: &str| self.close_term(t, tip);
        let mut analysis = std::mem::take(&mut parsed.analysis);
        let analysis_key = parsed.spellings;
        let doc = parsed.document();
        let ctx = RenderContext {
            id_prefix: prefix,
            resolve: &resolve,
            local: &local,
            image: &image,
            terms: Some(TermLinks {
                linker: index.autolinker.as_ref(),
                allowed,
                term_of: &term_of,
                slug: &slug,
                open: &open,
                close: &close,
            }),
            highlighter: self.highlighter,
            shift_headings: 0,
            language: &index.language,
        };
        let html = Html::new(markdown::render(doc, &analysis, &ctx));
        let print = print_as.map(|prefix| {
            let resolve = |dest: &str| index.resolve(paths::PRINT, dest);
            let local = |url: &str| {
                let path = index.local_path(&rel, url)?;
                index
                    .exists(&path)
                    .then(|| index.url_of_path(paths::PRINT, &path))
            };
            let image = |url: &str| self.image(&rel, paths::PRINT, url);
            let ctx = RenderContext {
                id_prefix: prefix,
                resolve: &resolve,
                local: &local,
                image: &image,
                terms: None,
                highlighter: self.highlighter,
                shift_headings: 1,
                language: &index.language,
            };
            Html::new(markdown::render(doc, &analysis, &ctx))
        });
        let search = match parsed.search.take() {
            Some(search) => search,
            None => crate::tokens::DocText::of(&analysis.text, self.interner),
        };
        analysis.text = String::new();
        Arc::new(Body {
            analysis,
            html: Some(html),
            print,
            search,
            key,
            analysis_key,
        })
    }

    /// An image written as `url` in the document at content path `rel`, as
    /// the page at `page` writes it: its URL, size and narrower copies.
    /// `None` for an address that is not one of the site's image files.
    fn image(&self, rel: &str, page: &str, url: &str) -> Option<crate::figure::ImageHtml> {
        use crate::markdown::Destination;
        let index = self.index;
        let path = match crate::markdown::destination(url) {
            Destination::Internal(dest) => index.target(dest)?.path.clone(),
            Destination::Local(local) => index.local_path(rel, local)?,
            Destination::Other => return None,
        };
        let picture = self.media.picture(&path)?;
        let src = index.urls.shared_from(page, &path);
        let srcset = (!picture.variants.is_empty()).then(|| {
            let mut set = crate::media::image::srcset(
                &picture
                    .variants
                    .iter()
                    .map(|(_, v)| v.clone())
                    .collect::<Vec<_>>(),
                |v| {
                    picture
                        .variants
                        .iter()
                        .find(|(_, w)| w.width == v.width)
                        .map(|(p, _)| index.urls.shared_from(page, p))
                        .unwrap_or_default()
                },
            );
            if let Some((w, _)) = picture.size {
                set.push_str(&format!(", {src} {w}w"));
            }
            set
        });
        Some(crate::figure::ImageHtml {
            src,
            size: picture.size,
            srcset,
        })
    }

    /// The opening of a glossary link: the link to the entry, tied to its
    /// preview. The preview is real text in the page (shown on hover, focus
    /// and tap by the stylesheet and script, read by screen readers through
    /// `aria-describedby`), and the link leads to the full entry, so nothing
    /// depends on JavaScript.
    fn open_term(&self, page: &str, t: usize, tip: &str) -> String {
        let Some(term) = self.index.terms.get(t) else {
            return "<span class=\"term-ref\"><a class=\"term-link\">".to_string();
        };
        format!(
            "<span class=\"term-ref\"><a class=\"term-link\" href=\"{}\" aria-describedby=\"{}\">",
            escape(
                &self
                    .index
                    .urls
                    .url_from(page, &paths::term(&term.item.slug))
            ),
            escape(tip)
        )
    }

    /// The end of a glossary link and its preview.
    fn close_term(&self, t: usize, tip: &str) -> String {
        let Some(term) = self.index.terms.get(t) else {
            return "</a></span>".to_string();
        };
        let abbr = term
            .item
            .abbr
            .as_deref()
            .map(|a| format!(" ({})", escape(a)))
            .unwrap_or_default();
        format!(
            "</a><span class=\"term-tip\" role=\"tooltip\" id=\"{}\"><strong>{}</strong>{abbr}: {}</span></span>",
            escape(tip),
            escape(&term.item.term),
            escape(self.previews.get(t).map(String::as_str).unwrap_or(""))
        )
    }
}
