//! Parse stage: front-matter TOML into typed questions, events, terms and
//! section pages, with every schema error pointing into the file.

mod date;
mod event;
mod page;
mod question;
mod term;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use date::{PartialDate, Precision};
pub use event::{Event, Status};
pub use page::{KeyFigure, Page};
pub use question::Question;
pub use term::Term;

use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::toml_error;

/// A cited source of a question or event.
#[derive(Debug, Clone, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Title of the article or document.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published, as written (`2025-03-14`).
    pub date: Option<String>,
}

type SpannedSlug = toml::Spanned<String>;

fn yes() -> bool {
    true
}

/// A slug named in front-matter, with its place in the file so that a
/// reference to a missing page can be pointed at.
#[derive(Debug, Clone)]
pub struct SlugRef {
    /// The slug as written.
    pub slug: String,
    /// Byte range in the file.
    pub range: Range<usize>,
}

/// A parsed content item together with the file it came from.
#[derive(Debug, Clone)]
pub struct Item<T> {
    /// The file: path, text, front-matter and body ranges.
    pub source: Source,
    /// The typed front-matter, shared: items are cloned by every build of
    /// `dossier serve`, and an `Arc` makes that free.
    pub data: Arc<T>,
}

impl<T> std::ops::Deref for Item<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

/// Everything in `content/`, typed and validated, drafts removed unless
/// asked for.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The home page (`content/_index.md`).
    pub home: Option<Item<Page>>,
    /// `content/faq/_index.md`.
    pub faq_index: Option<Item<Page>>,
    /// `content/timeline/_index.md`.
    pub timeline_index: Option<Item<Page>>,
    /// `content/glossary/_index.md`.
    pub glossary_index: Option<Item<Page>>,
    /// Every question.
    pub questions: Vec<Item<Question>>,
    /// Every event.
    pub events: Vec<Item<Event>>,
    /// Every term.
    pub terms: Vec<Item<Term>>,
}

/// Where a file belongs, from its path under `content/`.
enum Kind {
    Home,
    FaqIndex,
    TimelineIndex,
    GlossaryIndex,
    Question,
    Event,
    Term,
}

fn kind_of(rel: &str) -> Option<Kind> {
    match rel {
        "_index.md" => return Some(Kind::Home),
        "faq/_index.md" => return Some(Kind::FaqIndex),
        "timeline/_index.md" => return Some(Kind::TimelineIndex),
        "glossary/_index.md" => return Some(Kind::GlossaryIndex),
        _ => {}
    }
    let (dir, file) = rel.split_once('/')?;
    if file.contains('/') {
        return None;
    }
    match dir {
        "faq" => Some(Kind::Question),
        "timeline" => Some(Kind::Event),
        "glossary" => Some(Kind::Term),
        _ => None,
    }
}

/// One parsed file, before it is sorted into [`Content`].
#[derive(Debug, Clone)]
enum Parsed {
    Home(Item<Page>),
    FaqIndex(Item<Page>),
    TimelineIndex(Item<Page>),
    GlossaryIndex(Item<Page>),
    Question(Item<Question>),
    Event(Item<Event>),
    Term(Item<Term>),
}

/// Parses every source. Drafts are dropped unless `drafts` is true.
/// The files that parsed are returned along with every problem.
pub fn parse(sources: &[Source], drafts: bool) -> (Content, Vec<Diagnostic>) {
    parse_with(sources, drafts, None)
}

/// The parse of each file of the last build, by path, with the hash of the
/// text it was parsed from (`dossier serve` keeps one between rebuilds).
#[derive(Debug, Default)]
pub struct ParseCache(HashMap<Arc<str>, (u64, Result<Parsed, Diagnostic>)>);

/// Like [`parse`], reusing the results in `cache` for files whose text has
/// not changed, and leaving in it the results of this run.
pub fn parse_with(
    sources: &[Source],
    drafts: bool,
    cache: Option<&mut ParseCache>,
) -> (Content, Vec<Diagnostic>) {
    let previous = cache.as_deref();
    let results: Vec<Result<Parsed, Diagnostic>> = sources
        .par_iter()
        .map(|s| match previous.and_then(|c| c.0.get(&s.rel)) {
            Some((hash, result)) if *hash == s.hash => result.clone(),
            _ => parse_one(s),
        })
        .collect();
    if let Some(cache) = cache {
        // Update in place: on a one-file edit only that entry changes.
        for (s, r) in sources.iter().zip(&results) {
            let fresh = cache.0.get(&s.rel).is_none_or(|(hash, _)| *hash != s.hash);
            if fresh {
                cache.0.insert(s.rel.clone(), (s.hash, r.clone()));
            }
        }
        if cache.0.len() > sources.len() {
            let present: std::collections::HashSet<&str> =
                sources.iter().map(|s| &*s.rel).collect();
            cache.0.retain(|rel, _| present.contains(&**rel));
        }
    }
    let mut content = Content::default();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(Parsed::Home(p)) => content.home = Some(p),
            Ok(Parsed::FaqIndex(p)) => content.faq_index = Some(p),
            Ok(Parsed::TimelineIndex(p)) => content.timeline_index = Some(p),
            Ok(Parsed::GlossaryIndex(p)) => content.glossary_index = Some(p),
            Ok(Parsed::Question(q)) if drafts || !q.draft => content.questions.push(q),
            Ok(Parsed::Event(e)) if drafts || !e.draft => content.events.push(e),
            Ok(Parsed::Term(t)) if drafts || !t.draft => content.terms.push(t),
            Ok(_) => {}
            Err(d) => problems.push(d),
        }
    }
    check_unique(
        "question",
        content.questions.iter().map(|q| (&q.source, &q.slug)),
        &mut problems,
    );
    check_unique(
        "event",
        content.events.iter().map(|e| (&e.source, &e.slug)),
        &mut problems,
    );
    check_unique(
        "term",
        content.terms.iter().map(|t| (&t.source, &t.slug)),
        &mut problems,
    );
    (content, problems)
}

fn parse_one(source: &Source) -> Result<Parsed, Diagnostic> {
    let Some(kind) = kind_of(&source.rel) else {
        return Err(Diagnostic::error_in(
            "this file is not in a known place",
            Some(source.path.clone()),
        )
        .with_help(
            "content files go in content/faq/ (questions), content/timeline/ (events) or content/glossary/ (terms), one level deep; section intros are _index.md",
        ));
    };
    Ok(match kind {
        Kind::Home => Parsed::Home(parse_page(source)?),
        Kind::FaqIndex => Parsed::FaqIndex(parse_page(source)?),
        Kind::TimelineIndex => Parsed::TimelineIndex(parse_page(source)?),
        Kind::GlossaryIndex => Parsed::GlossaryIndex(parse_page(source)?),
        Kind::Question => {
            let f: question::Front = front(source, question::KEYS)?;
            let slug = slug_for(source, f.slug.as_deref())?;
            Parsed::Question(Item {
                source: source.clone(),
                data: Arc::new(Question {
                    slug,
                    title: f.title,
                    summary: f.summary,
                    weight: f.weight,
                    date: f.date,
                    updated: f.updated,
                    tags: f.tags,
                    related: slug_refs(source, f.related),
                    sources: f.sources,
                    draft: f.draft,
                    autolink: f.autolink,
                }),
            })
        }
        Kind::Event => {
            let f: event::Front = front(source, event::KEYS)?;
            let slug = slug_for(source, f.slug.as_deref())?;
            Parsed::Event(Item {
                source: source.clone(),
                data: Arc::new(Event {
                    slug,
                    date: f.date,
                    end: f.end,
                    title: f.title,
                    status: f.status,
                    faq: slug_refs(source, f.faq),
                    tags: f.tags,
                    sources: f.sources,
                    draft: f.draft,
                    autolink: f.autolink,
                }),
            })
        }
        Kind::Term => {
            let f: term::Front = front(source, term::KEYS)?;
            let slug = slug_for(source, f.slug.as_deref())?;
            Parsed::Term(Item {
                source: source.clone(),
                data: Arc::new(Term {
                    slug,
                    term: f.term,
                    aliases: f.aliases,
                    abbr: f.abbr,
                    see_also: slug_refs(source, f.see_also),
                    draft: f.draft,
                    autolink: f.autolink,
                }),
            })
        }
    })
}

fn parse_page(source: &Source) -> Result<Item<Page>, Diagnostic> {
    let f: page::Front = front(source, page::KEYS)?;
    Ok(Item {
        source: source.clone(),
        data: Arc::new(Page {
            title: f.title,
            description: f.description,
            key_figures: f.key_figures,
        }),
    })
}

/// Deserialises the front-matter of `source` into `T`, mapping errors to
/// the file.
fn front<T: for<'de> Deserialize<'de>>(source: &Source, keys: &[&str]) -> Result<T, Diagnostic> {
    toml::from_str(source.front_matter_text()).map_err(|e| {
        toml_error::to_diagnostic(&e, source.span(0..0), source.front_matter.start, keys)
    })
}

fn slug_refs(source: &Source, slugs: Vec<SpannedSlug>) -> Vec<SlugRef> {
    let offset = source.front_matter.start;
    slugs
        .into_iter()
        .map(|s| {
            let span = s.span();
            SlugRef {
                range: span.start + offset..span.end + offset,
                slug: s.into_inner(),
            }
        })
        .collect()
}

/// The slug: `slug` from front-matter, else the file name without `.md`.
/// Either must already be URL-safe; we say what it should be rather than
/// silently changing a URL the author chose.
fn slug_for(source: &Source, explicit: Option<&str>) -> Result<String, Diagnostic> {
    let stem = source
        .rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let slug = explicit.unwrap_or(stem);
    let clean = slug::slugify(slug);
    if clean == slug && !slug.is_empty() {
        return Ok(slug.to_string());
    }
    let what = if explicit.is_some() {
        "the `slug` key"
    } else {
        "the file name"
    };
    let range = match explicit {
        Some(_) => find_key(source, "slug"),
        None => 0..0,
    };
    Err(Diagnostic::error(
        format!("{what} `{slug}` is not a URL-safe slug"),
        source.span(range),
    )
    .with_label("used as the page's URL")
    .with_help(format!(
        "use lowercase ASCII letters, digits and hyphens, for example `{clean}`"
    )))
}

/// Byte range of `key = ...` in the front-matter, for pointing at a key.
fn find_key(source: &Source, key: &str) -> Range<usize> {
    let fm = source.front_matter_text();
    let mut pos = 0;
    for line in fm.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            let at = source.front_matter.start + pos + (line.len() - line.trim_start().len());
            return at..at + key.len();
        }
        pos += line.len();
    }
    0..0
}

fn check_unique<'a>(
    kind: &str,
    items: impl Iterator<Item = (&'a Source, &'a String)>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Source> = HashMap::new();
    let mut all: Vec<_> = items.collect();
    all.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
    for (source, slug) in all {
        if let Some(first) = seen.get(slug.as_str()) {
            // Point at the file that chose this slug with a `slug` key, if
            // one did: that is the line to change.
            let (culprit, other) = if find_key(first, "slug").is_empty() {
                (source, *first)
            } else {
                (*first, source)
            };
            problems.push(
                Diagnostic::error(
                    format!(
                        "two {kind}s have the slug `{slug}`: {} and {}",
                        other.path.display(),
                        culprit.path.display()
                    ),
                    culprit.span(find_key(culprit, "slug")),
                )
                .with_label("this slug is already taken")
                .with_help("give one of them a different `slug` or file name; a slug is its URL and must be unique"),
            );
        } else {
            seen.insert(slug, source);
        }
    }
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;
    use crate::load::split;
    use std::path::Path;

    fn source(rel: &str, text: &str) -> Source {
        let path: std::sync::Arc<Path> = Path::new("content").join(rel).into();
        split(path, rel.to_string(), text.into()).unwrap()
    }

    fn parse_ok(sources: &[Source], drafts: bool) -> Content {
        let (content, problems) = parse(sources, drafts);
        assert!(problems.is_empty(), "{problems:?}");
        content
    }

    #[test]
    fn a_question_is_typed_and_drafts_are_dropped() {
        let sources = vec![
            source(
                "faq/why.md",
                "+++\ntitle = \"Why?\"\ntags = [\"a\"]\nrelated = [\"how\"]\ndate = 2025-03-01\n+++\nBecause.\n",
            ),
            source("faq/how.md", "+++\ntitle = \"How?\"\ndraft = true\n+++\n"),
        ];
        let c = parse_ok(&sources, false);
        assert_eq!(c.questions.len(), 1);
        let q = &c.questions[0];
        assert_eq!((q.slug.as_str(), q.title.as_str()), ("why", "Why?"));
        assert_eq!(q.related[0].slug, "how");
        assert_eq!(&sources[0].text[q.related[0].range.clone()], "\"how\"");
        assert_eq!(parse_ok(&sources, true).questions.len(), 2);
    }

    #[test]
    fn unknown_key_names_the_nearest_key_and_the_line() {
        let sources = vec![source(
            "faq/why.md",
            "+++\ntitle = \"Why?\"\nsumary = \"x\"\n+++\n",
        )];
        let e = &parse(&sources, false).1[0];
        let out = e.render_plain();
        assert!(out.contains("unknown key `sumary`"), "{out}");
        assert!(out.contains("content/faq/why.md:3:1"), "{out}");
        assert!(out.contains("did you mean `summary`?"), "{out}");
    }

    #[test]
    fn event_status_and_dates_are_checked() {
        let bad = vec![source(
            "timeline/e.md",
            "+++\ntitle = \"E\"\ndate = \"2025-02-30\"\n+++\n",
        )];
        let out = parse(&bad, false).1[0].render_plain();
        assert!(out.contains("bad date `2025-02-30`"), "{out}");
        assert!(out.contains("content/timeline/e.md:3:8"), "{out}");

        let bad = vec![source(
            "timeline/e.md",
            "+++\ntitle = \"E\"\ndate = \"2025\"\nstatus = \"rumoured\"\n+++\n",
        )];
        let out = parse(&bad, false).1[0].render_plain();
        assert!(out.contains("unknown variant `rumoured`"), "{out}");
    }

    #[test]
    fn duplicate_slugs_and_unsafe_slugs_are_errors() {
        let sources = vec![
            source("glossary/a.md", "+++\nterm = \"A\"\nslug = \"b\"\n+++\n"),
            source("glossary/b.md", "+++\nterm = \"B\"\n+++\n"),
            source(
                "glossary/c.md",
                "+++\nterm = \"C\"\nslug = \"Not Safe\"\n+++\n",
            ),
        ];
        let errors = parse(&sources, false).1;
        let all: Vec<String> = errors.iter().map(|d| d.render_plain()).collect();
        assert!(
            all.iter()
                .any(|m| m.contains("two terms have the slug `b`")),
            "{all:?}"
        );
        assert!(
            all.iter().any(|m| m.contains("for example `not-safe`")),
            "{all:?}"
        );
    }

    #[test]
    fn files_outside_the_sections_are_reported() {
        let sources = vec![source("notes/x.md", "+++\ntitle = \"x\"\n+++\n")];
        let e = &parse(&sources, false).1[0];
        assert!(e.message.contains("not in a known place"));
    }
}
