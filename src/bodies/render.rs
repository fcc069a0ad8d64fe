//! Rendering one body: its parse (made once, or reused with its analysis
//! from the last build), and the [`Renderer`] that turns it into the HTML
//! of its page and of the print edition, with everything every body's
//! rendering shares. Separate from the stage in `mod.rs`, which decides
//! what each body is rendered for and in what order.

use std::sync::Arc;

use super::{Body, BodyMemo, Html};
use crate::highlight::Highlighter;
use crate::link::Index;
use crate::load::{Source, hash_of};
use crate::markdown::{self, Analysis, Document, RenderContext, TermLinks};
use crate::urls::paths;

/// A body being rendered: its text, its parse when it was needed, its
/// analysis.
pub(super) struct Parsed<'a> {
    source: &'a Source,
    doc: Option<Document<'a>>,
    pub(super) analysis: Analysis,
    /// The search entry, when the analysis was reused (its text is gone).
    search: Option<crate::tokens::DocText>,
    /// The glossary spellings the analysis was made with.
    spellings: u64,
}

impl<'a> Parsed<'a> {
    /// Parses and analyses `source`, or takes its analysis from `memo`
    /// when its text and the glossary spellings are unchanged.
    pub(super) fn new(
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

/// What every body's rendering shares.
pub(super) struct Renderer<'a> {
    pub(super) index: &'a Index,
    /// The glossary preview of each term, by term.
    pub(super) previews: &'a [String],
    pub(super) highlighter: &'a Highlighter,
    pub(super) interner: &'a crate::tokens::Interner,
    pub(super) media: &'a crate::pictures::SiteMedia,
    /// Changes whenever anything a body's HTML depends on, besides its own
    /// text and its allowed terms, changes.
    pub(super) context_key: u64,
    /// The key of the glossary spellings, which decide what an analysis
    /// finds.
    pub(super) spellings: u64,
    /// The bodies of the last build (`dossier serve`).
    pub(super) memo: Option<&'a BodyMemo>,
}

impl<'a> Renderer<'a> {
    /// Parses and analyses `source` with the site's glossary (see
    /// [`Parsed::new`]).
    pub(super) fn parse(&self, source: &'a Source) -> Parsed<'a> {
        Parsed::new(
            source,
            self.index.autolinker.as_ref(),
            self.spellings,
            self.memo,
        )
    }

    /// The key of a body's HTML: its text and everything else it depends on.
    pub(super) fn key(
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
    pub(super) fn body(
        &self,
        parsed: &mut Parsed<'_>,
        page: &str,
        prefix: &str,
        allowed: &[usize],
        print_as: Option<&str>,
    ) -> Arc<Body> {
        let key = self.key(parsed.source.hash, page, prefix, allowed, print_as);
        if let Some(body) = self.memo.and_then(|m| m.reuse(parsed.source, key)) {
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
                // Under the edition's part (h2) and the document's title
                // (h3): a body's own h2 sections are h4 there.
                shift_headings: 2,
                language: &index.language,
            };
            Html::new(markdown::render(doc, &analysis, &ctx))
        });
        let search = match parsed.search.take() {
            Some(search) => search,
            None => crate::tokens::DocText::of(&analysis.text, self.interner),
        };
        analysis.text = String::new();
        let term_previews = index
            .terms_used(&analysis)
            .into_iter()
            .filter_map(|t| Some((t, self.previews.get(t)?.clone())))
            .collect();
        Arc::new(Body {
            analysis,
            html: Some(html),
            print,
            search,
            term_previews,
            key,
            analysis_key,
        })
    }
}
