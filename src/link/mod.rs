//! Link stage, in two passes around the one parse of each body.
//!
//! - [`index`] works from front-matter alone: it orders the content, gives
//!   every document its URL, resolves the slugs named in front-matter
//!   (`related`, `faq`, `see_also`), groups tags, picks related questions
//!   and builds the glossary automaton. Its result, [`Index`], is all a body
//!   needs to be rendered.
//! - [`finish`] reads the bodies' analyses: it checks every `@/` link and
//!   anchor and every local file a body names, and computes back-links
//!   ("Terms used", "Mentioned in"). Its result is [`Links`].

mod autolinks;
mod finish;
mod order;
mod references;
mod related;
mod tags;
mod targets;
mod warnings;

use std::collections::HashSet;
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::Config;
use crate::content::{Content, Event, Item, Page, Question, Section, Sections, Term};
use crate::diagnostic::Diagnostic;
use crate::glossary::Autolinker;
use crate::markdown::Analysis;
use crate::urls::{Urls, paths};

pub use autolinks::{own_page_autolinks, shared_page_autolinks};
pub use finish::{Analyses, DocRef, Links, check_questions, finish};
pub use tags::Tag;
pub use targets::{Target, TargetKind};

/// A question with what pass 1 resolved for it.
#[derive(Debug, Clone)]
pub struct QuestionEntry {
    /// The question as parsed.
    pub item: Item<Question>,
    /// Its page: `faq/slug/`.
    pub path: String,
    /// Related questions (from `related`, else from shared tags).
    pub related: Vec<usize>,
    /// Events that name it in their `faq`.
    pub events: Vec<usize>,
    /// Its tags, as indexes into [`Index::tags`].
    pub tags: Vec<usize>,
}

/// An event with what pass 1 resolved for it.
#[derive(Debug, Clone)]
pub struct EventEntry {
    /// The event as parsed.
    pub item: Item<Event>,
    /// The questions its `faq` names.
    pub questions: Vec<usize>,
}

/// A term with what pass 1 resolved for it.
#[derive(Debug, Clone)]
pub struct TermEntry {
    /// The term as parsed.
    pub item: Item<Term>,
    /// Its `see_also`, resolved.
    pub see_also: Vec<usize>,
}

/// A standalone page with its URL.
#[derive(Debug, Clone)]
pub struct PageEntry {
    /// The page as parsed.
    pub item: Item<Page>,
    /// Its URL path: `about/`.
    pub path: String,
}

/// The result of pass 1: everything known from front-matter.
#[derive(Debug, Clone)]
pub struct Index {
    /// `site.toml`, with the command line's overrides.
    pub config: Config,
    /// How URLs are written.
    pub urls: Urls,
    /// The build's date.
    pub today: Date,
    /// Section introductions.
    pub sections: Sections<Item<Section>>,
    /// Questions, by weight then title.
    pub questions: Vec<QuestionEntry>,
    /// Events, by date then title.
    pub events: Vec<EventEntry>,
    /// Terms, A to Z.
    pub terms: Vec<TermEntry>,
    /// Standalone pages, by slug.
    pub pages: Vec<PageEntry>,
    /// Tags, A to Z by slug.
    pub tags: Vec<Tag>,
    /// The automaton over every term spelling, when automatic links are on.
    pub autolinker: Option<Autolinker>,
    /// Warnings found from front-matter.
    pub warnings: Vec<Diagnostic>,
    /// Where each content file (`faq/x.md`) and bundle file can be linked.
    targets: targets::Targets,
    /// The words of the built-in pages in this language.
    pub ui: Arc<std::collections::BTreeMap<String, String>>,
    /// What bodies say in this language (heading link labels, `lang` on
    /// CJK runs in other languages' pages).
    pub language: crate::markdown::Language,
    /// The default language's index, in a translation's: `@/` links to
    /// files this language has no translation of lead to the original.
    pub fallback: Option<Arc<Index>>,
}

impl Index {
    /// The target of an `@/` destination (`@/faq/x.md#anchor` names
    /// `faq/x.md`), if the file exists.
    pub fn target(&self, dest: &str) -> Option<&Target> {
        self.targets.get(targets::split_dest(dest).0)
    }

    /// Resolves an `@/` destination to a URL written in the page at `from`.
    /// `None` when the file does not exist or an anchor is given where none
    /// is allowed (pass 2 reports both).
    pub fn resolve(&self, from: &str, dest: &str) -> Option<String> {
        let (file, anchor) = targets::split_dest(dest);
        let Some(target) = self.targets.get(file) else {
            // A file this language has no translation of: the original.
            let other = self.fallback.as_ref()?;
            let target = other.targets.get(file)?;
            let path = match (anchor, &target.anchor) {
                (Some(a), None) => format!("{}#{a}", target.path),
                (None, Some(own)) => format!("{}#{own}", target.path),
                (None, None) => target.path.clone(),
                (Some(_), Some(_)) => return None,
            };
            return Some(self.urls.other_language_from(from, &other.urls, &path));
        };
        if target.kind == TargetKind::File {
            return Some(self.urls.shared_from(from, &target.path));
        }
        let anchor = match (anchor, &target.anchor) {
            (Some(a), None) => Some(a),
            (None, own) => own.as_deref(),
            (Some(_), Some(_)) => return None,
        };
        Some(match anchor {
            Some(a) => self.urls.url_from(from, &format!("{}#{a}", target.path)),
            None => self.urls.url_from(from, &target.path),
        })
    }

    /// The term an `@/glossary/...` destination names.
    pub fn term_of(&self, dest: &str) -> Option<usize> {
        match self.target(dest)?.kind {
            TargetKind::Term(t) => Some(t),
            _ => None,
        }
    }

    /// The site path of a local reference written in the document at
    /// content path `rel`: `chip.png` in `faq/x/index.md` is `faq/x/chip.png`.
    /// `None` when it climbs above the site.
    pub fn local_path(&self, rel: &str, url: &str) -> Option<String> {
        targets::local_path(rel, url)
    }

    /// True when a site path is a file or page the build writes.
    pub fn exists(&self, path: &str) -> bool {
        self.targets.exists(path)
    }

    /// True for a file every language shares (a static file or a file
    /// beside a page), as opposed to a page of this language.
    pub fn is_shared_file(&self, path: &str) -> bool {
        self.targets.is_file(path)
    }

    /// The URL of site path `path` (a page of this language or a shared
    /// file) from the page at `from`.
    pub fn url_of_path(&self, from: &str, path: &str) -> String {
        if self.is_shared_file(path) {
            self.urls.shared_from(from, path)
        } else {
            self.urls.url_from(from, path)
        }
    }

    /// True when `@/` destination `dest` names a file of the default
    /// language that this language has no translation of.
    pub fn is_untranslated(&self, dest: &str) -> bool {
        let file = targets::split_dest(dest).0;
        self.targets.get(file).is_none()
            && self
                .fallback
                .as_ref()
                .is_some_and(|f| f.targets.get(file).is_some())
    }

    /// The terms a body links to or mentions ("Terms used").
    pub fn terms_used(&self, analysis: &Analysis) -> Vec<usize> {
        let mut v = self.linked_terms(analysis);
        v.extend(&analysis.mentions);
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The same index with the sources of `sources` (by content path): for
    /// a rebuild after edits that left every front-matter as it was, so
    /// nothing pass 1 computes can have changed but the bodies' text.
    pub fn with_sources(
        &self,
        sources: &std::collections::BTreeMap<Arc<str>, crate::load::Source>,
    ) -> Index {
        let mut next = self.clone();
        let fresh = |source: &mut crate::load::Source| {
            if let Some(s) = sources.get(&source.rel)
                && s.hash != source.hash
            {
                *source = s.clone();
            }
        };
        next.questions
            .iter_mut()
            .for_each(|q| fresh(&mut q.item.source));
        next.events
            .iter_mut()
            .for_each(|e| fresh(&mut e.item.source));
        next.terms
            .iter_mut()
            .for_each(|t| fresh(&mut t.item.source));
        next.pages
            .iter_mut()
            .for_each(|p| fresh(&mut p.item.source));
        for s in [
            &mut next.sections.home,
            &mut next.sections.faq,
            &mut next.sections.timeline,
            &mut next.sections.glossary,
        ]
        .into_iter()
        .flatten()
        {
            fresh(&mut s.source);
        }
        next
    }

    /// The word `key` of the built-in pages in this language (the key
    /// itself for an unknown key, which the tests of `ui` rule out).
    pub fn t(&self, key: &'static str) -> &str {
        self.ui.get(key).map_or(key, String::as_str)
    }

    /// A date as this language's readers write it.
    pub fn date(&self, date: &crate::content::PartialDate) -> String {
        date.human_in(&self.config.language)
    }

    /// The same index, for a translation whose untranslated files link to
    /// the originals in `fallback` (the default language's index).
    pub fn with_fallback(mut self, fallback: Option<Arc<Index>>) -> Index {
        self.fallback = fallback;
        self
    }

    /// The terms an analysis links to by hand (`@/glossary/x.md`).
    pub fn linked_terms(&self, analysis: &Analysis) -> Vec<usize> {
        let mut v: Vec<usize> = analysis
            .links
            .iter()
            .filter_map(|l| self.term_of(&l.dest))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The files besides pages that a build writes, by site path, so that
/// bodies may link to them.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// Files of page bundles (`faq/x/chip.png`), also linkable with `@/`.
    pub bundle: HashSet<String>,
    /// Static files (`img/logo.svg`, `style.css`).
    pub statics: HashSet<String>,
}

/// Pass 1 (see the module documentation).
pub fn index(
    config: &Config,
    content: &Content,
    today: Date,
    files: &SiteFiles,
) -> Result<Index, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let order::Ordered {
        questions,
        events,
        terms,
        pages,
    } = order::order(content);

    problems.extend(targets::reserved_slugs(
        &events,
        &terms,
        &pages,
        &config.language_prefixes(),
    ));
    let (mut tags, question_tags) = tags::tags(&questions, &events, &mut problems);
    let mut warnings = tags::translate(&mut tags, &config.tag_names, &config.code);
    let question_slugs = SlugIndex::new(questions.iter().map(|q| q.slug.as_str()));
    let term_slugs = SlugIndex::new(terms.iter().map(|t| t.slug.as_str()));

    let (event_entries, question_events) =
        event_entries(&events, questions.len(), &question_slugs, &mut problems);
    let mut related: Vec<Vec<usize>> = questions
        .iter()
        .map(|q| {
            references::resolve_slugs(
                &q.source,
                &q.related,
                "related",
                "question",
                &question_slugs,
                &mut problems,
            )
        })
        .collect();
    related::related_from_tags(&mut related, &tags, &question_tags);
    let term_entries = term_entries(&terms, &term_slugs, &mut warnings);
    let question_entries: Vec<QuestionEntry> = questions
        .iter()
        .zip(related)
        .zip(question_events)
        .zip(question_tags)
        .map(|(((q, related), events), tags)| QuestionEntry {
            item: q.clone(),
            path: paths::question(&q.slug),
            related,
            events,
            tags,
        })
        .collect();
    let page_entries: Vec<PageEntry> = pages
        .iter()
        .map(|p| PageEntry {
            item: p.clone(),
            path: paths::page(&p.slug),
        })
        .collect();
    let autolinker = autolinker(config, &terms);
    warnings.extend(warnings::spelling_collisions(&terms));
    warnings.extend(warnings::passed_plans(&events, today));
    let targets = targets::Targets::new(
        &content.sections,
        &question_entries,
        &event_entries,
        &term_entries,
        &page_entries,
        &tags,
        config,
        files,
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    let ui = config.ui();
    Ok(Index {
        urls: Urls::new(config),
        config: config.clone(),
        today,
        sections: content.sections.clone(),
        questions: question_entries,
        events: event_entries,
        terms: term_entries,
        pages: page_entries,
        tags,
        autolinker,
        warnings,
        targets,
        language: body_language(config, &ui),
        ui: Arc::new(ui),
        fallback: None,
    })
}

/// The events with the questions their `faq` names, and for each of the
/// `question_count` questions the events that name it: the one list gives
/// the other, so both come from one pass.
fn event_entries(
    events: &[Item<Event>],
    question_count: usize,
    question_slugs: &SlugIndex<'_>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<EventEntry>, Vec<Vec<usize>>) {
    let mut question_events: Vec<Vec<usize>> = vec![Vec::new(); question_count];
    let entries = events
        .iter()
        .enumerate()
        .map(|(ei, e)| {
            let qs = references::resolve_slugs(
                &e.source,
                &e.faq,
                "faq",
                "question",
                question_slugs,
                problems,
            );
            for &q in &qs {
                if let Some(list) = question_events.get_mut(q) {
                    list.push(ei);
                }
            }
            EventEntry {
                item: e.clone(),
                questions: qs,
            }
        })
        .collect();
    (entries, question_events)
}

/// The terms with their `see_also` resolved. A missing term there is only
/// a warning: the glossary still reads well without the cross-reference.
fn term_entries(
    terms: &[Item<Term>],
    term_slugs: &SlugIndex<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<TermEntry> {
    terms
        .iter()
        .map(|t| {
            let mut missing = Vec::new();
            let see_also = references::resolve_slugs(
                &t.source,
                &t.see_also,
                "see_also",
                "term",
                term_slugs,
                &mut missing,
            );
            warnings.extend(missing.into_iter().map(Diagnostic::warning));
            TermEntry {
                item: t.clone(),
                see_also,
            }
        })
        .collect()
}

/// The automaton over every spelling of every term (its name, aliases and,
/// in a translation, the original's spellings), when automatic links are
/// on.
fn autolinker(config: &Config, terms: &[Item<Term>]) -> Option<Autolinker> {
    let spellings: Vec<Vec<&str>> = terms
        .iter()
        .map(|t| {
            std::iter::once(t.term.as_str())
                .chain(t.aliases.iter().map(|a| a.value.as_str()))
                .chain(t.foreign.iter().map(String::as_str))
                .collect()
        })
        .collect();
    config
        .glossary_autolink
        .then(|| Autolinker::new(&spellings))
}

/// Slugs of one kind, with their positions.
pub(crate) struct SlugIndex<'a> {
    slugs: Vec<&'a str>,
    position: std::collections::HashMap<&'a str, usize>,
}

impl<'a> SlugIndex<'a> {
    fn new(slugs: impl Iterator<Item = &'a str>) -> SlugIndex<'a> {
        let slugs: Vec<&str> = slugs.collect();
        let position = slugs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        SlugIndex { slugs, position }
    }
}

/// Shared handle to an index, as later stages keep it.
pub type SharedIndex = Arc<Index>;

/// The language marks of this configuration's bodies.
fn body_language(
    config: &Config,
    ui: &std::collections::BTreeMap<String, String>,
) -> crate::markdown::Language {
    let label = ui.get("link_to_section").map_or("#", String::as_str);
    let tags: Vec<&str> = config
        .languages
        .iter()
        .map(|(code, l)| l.language.as_deref().unwrap_or(code))
        .collect();
    crate::markdown::Language::new(label, &config.language, &tags)
        .with_chart(crate::chart::ChartWords::from_ui(ui))
}
