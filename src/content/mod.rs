//! Parse stage: front-matter TOML into typed questions, events, terms,
//! standalone pages and section pages, with every schema error pointing
//! into the file.
//!
//! Besides the schema, the values are checked here: no control characters
//! anywhere in a content file, no empty titles, terms or aliases, URL fields
//! limited to `http`, `https`, `mailto`, relative paths and `@/` links, and
//! an event's `end` not before its `date`.

mod date;
mod event;
mod fields;
mod page;
mod question;
mod section;
mod term;
mod translation;
mod validate;

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

pub use date::{PartialDate, Precision};
pub use event::{Event, Status};
pub use page::{Menu, Page};
pub use question::Question;
pub use section::{KeyFigure, Section};
pub use term::Term;
pub use translation::{
    Coverage, Translation, collect as collect_language, original_rel, split_language,
};
pub use validate::{Text, allowed_url, control_character, optional_text_field, text_field};

use fields::check_unique;
pub(crate) use fields::find_key;

use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// A cited source of a question or event.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Citation {
    /// Title of the article or document.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published, as written (`2025-03-14`).
    pub date: Option<PartialDate>,
}

/// A citation as written, with the place of its values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CitationFront {
    title: SpannedText,
    url: Option<SpannedText>,
    publisher: Option<Text>,
    date: Option<PartialDate>,
}

type SpannedSlug = toml::Spanned<String>;
type SpannedText = toml::Spanned<Text>;

fn yes() -> bool {
    true
}

/// A value named in front-matter with its place in the file, so that a
/// problem with it can be pointed at.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct At<T> {
    /// The value as written.
    pub value: T,
    /// Byte range in the file.
    pub range: Range<usize>,
}

/// A writer's own share image for a page (front-matter `image`).
#[derive(Debug, Clone, Hash)]
pub struct ShareImage {
    /// The address as written, with its place in the file.
    pub url: At<String>,
    /// `image_alt`: what the image shows (the page's title when absent).
    pub alt: Option<String>,
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

/// The four section introductions, each optional.
#[derive(Debug, Clone)]
pub struct Sections<T> {
    /// `content/_index.md`.
    pub home: Option<T>,
    /// `content/faq/_index.md`.
    pub faq: Option<T>,
    /// `content/timeline/_index.md`.
    pub timeline: Option<T>,
    /// `content/glossary/_index.md`.
    pub glossary: Option<T>,
}

impl<T> Default for Sections<T> {
    fn default() -> Self {
        Sections {
            home: None,
            faq: None,
            timeline: None,
            glossary: None,
        }
    }
}

impl<T> Sections<T> {
    /// The present sections, home first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        [&self.home, &self.faq, &self.timeline, &self.glossary]
            .into_iter()
            .flatten()
    }

    /// Applies `f` to each present section.
    pub fn map<'a, U>(&'a self, mut f: impl FnMut(&'a T) -> U) -> Sections<U> {
        Sections {
            home: self.home.as_ref().map(&mut f),
            faq: self.faq.as_ref().map(&mut f),
            timeline: self.timeline.as_ref().map(&mut f),
            glossary: self.glossary.as_ref().map(&mut f),
        }
    }
}

/// Everything in `content/`, typed and validated, drafts removed unless
/// asked for.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The section introductions (`_index.md` files).
    pub sections: Sections<Item<Section>>,
    /// Every question.
    pub questions: Vec<Item<Question>>,
    /// Every event.
    pub events: Vec<Item<Event>>,
    /// Every term.
    pub terms: Vec<Item<Term>>,
    /// Every standalone page.
    pub pages: Vec<Item<Page>>,
}

/// Which section introduction a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Home,
    Faq,
    Timeline,
    Glossary,
}

/// Where a file belongs, from its path under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Section(SectionKind),
    Question,
    Event,
    Term,
    Page,
}

/// The kind and the name (slug before any `slug` key) of a content file:
/// `faq/x.md` and the bundle `faq/x/index.md` are both the question `x`.
fn kind_of(rel: &str) -> Option<(Kind, &str)> {
    let section = match rel {
        "_index.md" => Some(SectionKind::Home),
        "faq/_index.md" => Some(SectionKind::Faq),
        "timeline/_index.md" => Some(SectionKind::Timeline),
        "glossary/_index.md" => Some(SectionKind::Glossary),
        _ => None,
    };
    if let Some(s) = section {
        return Some((Kind::Section(s), ""));
    }
    fn stem(file: &str) -> Option<&str> {
        match file.strip_suffix("/index.md") {
            Some(bundle) if !bundle.contains('/') => Some(bundle),
            _ => file.strip_suffix(".md").filter(|s| !s.contains('/')),
        }
    }
    match rel.split_once('/') {
        Some(("faq", file)) => Some((Kind::Question, stem(file)?)),
        Some(("timeline", file)) => Some((Kind::Event, stem(file)?)),
        Some(("glossary", file)) => Some((Kind::Term, stem(file)?)),
        _ => Some((Kind::Page, stem(rel)?)),
    }
}

/// True when `rel` (under `content/`) is a page bundle's `index.md`, whose
/// folder holds the page's images and other files.
pub fn is_bundle(rel: &str) -> bool {
    rel.ends_with("/index.md")
}

/// One parsed file, before it is sorted into [`Content`].
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A section introduction.
    Section(SectionSlot, Item<Section>),
    /// A question.
    Question(Item<Question>),
    /// An event.
    Event(Item<Event>),
    /// A term.
    Term(Item<Term>),
    /// A standalone page.
    Page(Item<Page>),
    /// A translation of another file, merged with it per language.
    Translation(Translation),
}

impl Parsed {
    /// The same parse for a new text of the file whose front-matter is
    /// unchanged (an edit of the body only).
    pub fn with_source(&self, source: &Source) -> Parsed {
        fn with<T>(item: &Item<T>, source: &Source) -> Item<T> {
            Item {
                source: source.clone(),
                data: item.data.clone(),
            }
        }
        match self {
            Parsed::Section(slot, i) => Parsed::Section(*slot, with(i, source)),
            Parsed::Question(i) => Parsed::Question(with(i, source)),
            Parsed::Event(i) => Parsed::Event(with(i, source)),
            Parsed::Term(i) => Parsed::Term(with(i, source)),
            Parsed::Page(i) => Parsed::Page(with(i, source)),
            Parsed::Translation(t) => Parsed::Translation(t.with_source(source)),
        }
    }
}

/// Which `_index.md` a section is (opaque outside this module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSlot(SectionKind);

/// Parses every source. Drafts are dropped unless `drafts` is true.
/// The files that parsed are returned along with every problem.
pub fn parse(sources: &[Source], drafts: bool) -> (Content, Vec<Diagnostic>) {
    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = sources.par_iter().map(parse_one).collect();
    collect(parsed, drafts)
}

/// Sorts parsed files into [`Content`] and checks that slugs are unique.
pub fn collect(
    parsed: impl IntoIterator<Item = Result<Parsed, Vec<Diagnostic>>>,
    drafts: bool,
) -> (Content, Vec<Diagnostic>) {
    let mut content = Content::default();
    let mut problems = Vec::new();
    for r in parsed {
        match r {
            Ok(Parsed::Section(SectionSlot(kind), p)) => {
                let slot = match kind {
                    SectionKind::Home => &mut content.sections.home,
                    SectionKind::Faq => &mut content.sections.faq,
                    SectionKind::Timeline => &mut content.sections.timeline,
                    SectionKind::Glossary => &mut content.sections.glossary,
                };
                *slot = Some(p);
            }
            Ok(Parsed::Question(q)) if drafts || !q.draft => content.questions.push(q),
            Ok(Parsed::Event(e)) if drafts || !e.draft => content.events.push(e),
            Ok(Parsed::Term(t)) if drafts || !t.draft => content.terms.push(t),
            Ok(Parsed::Page(p)) if drafts || !p.draft => content.pages.push(p),
            Ok(_) => {}
            Err(d) => problems.extend(d),
        }
    }
    check_unique(
        "question",
        content
            .questions
            .iter()
            .map(|q| (&q.source, q.slug.as_str())),
        &mut problems,
    );
    check_unique(
        "event",
        content.events.iter().map(|e| (&e.source, e.slug.as_str())),
        &mut problems,
    );
    check_unique(
        "term",
        content.terms.iter().map(|t| (&t.source, t.slug.as_str())),
        &mut problems,
    );
    check_unique(
        "page",
        content.pages.iter().map(|p| (&p.source, p.slug.as_str())),
        &mut problems,
    );
    (content, problems)
}

/// Parses and checks the front-matter of one file.
pub fn parse_one(source: &Source) -> Result<Parsed, Vec<Diagnostic>> {
    if let Some((original, code)) = translation::split_language(&source.rel) {
        if let Some(d) = validate::control_characters(source) {
            return Err(vec![d]);
        }
        return translation::parse(source, original, code);
    }
    let Some((kind, stem)) = kind_of(&source.rel) else {
        return Err(vec![
            Diagnostic::error_in(
                "this file is not in a known place",
                Some(source.path.clone()),
            )
            .with_help(
                "content files go in content/faq/ (questions), content/timeline/ (events), content/glossary/ (terms) or content/ itself (pages), as NAME.md or NAME/index.md; section intros are _index.md",
            ),
        ]);
    };
    if let Some(d) = validate::control_characters(source) {
        return Err(vec![d]);
    }
    let mut problems = Vec::new();
    let parsed = match kind {
        Kind::Section(slot) => Parsed::Section(SectionSlot(slot), section::build(source)?),
        Kind::Question => Parsed::Question(question::build(source, stem, &mut problems)?),
        Kind::Event => Parsed::Event(event::build(source, stem, &mut problems)?),
        Kind::Term => Parsed::Term(term::build(source, stem, &mut problems)?),
        Kind::Page => Parsed::Page(page::build(source, stem, &mut problems)?),
    };
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
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

    fn errors(rel: &str, text: &str) -> Vec<String> {
        parse(&[source(rel, text)], false)
            .1
            .iter()
            .map(|d| d.render_plain())
            .collect()
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
        assert_eq!(q.related[0].value, "how");
        assert_eq!(&sources[0].text[q.related[0].range.clone()], "\"how\"");
        assert_eq!(parse_ok(&sources, true).questions.len(), 2);
    }

    #[test]
    fn bundles_and_pages_have_their_kind_and_name() {
        assert_eq!(kind_of("faq/x/index.md"), Some((Kind::Question, "x")));
        assert_eq!(kind_of("faq/x.md"), Some((Kind::Question, "x")));
        assert_eq!(kind_of("about.md"), Some((Kind::Page, "about")));
        assert_eq!(kind_of("about/index.md"), Some((Kind::Page, "about")));
        assert_eq!(kind_of("notes/deep/x.md"), None);
        assert_eq!(kind_of("faq/a/b/index.md"), None);
        let c = parse_ok(
            &[source(
                "about.md",
                "+++\ntitle = \"About\"\nmenu = { weight = 1 }\n+++\nHi.\n",
            )],
            false,
        );
        assert_eq!(c.pages[0].slug, "about");
        assert_eq!(c.pages[0].menu.as_ref().map(|m| m.weight), Some(1));
    }

    #[test]
    fn unknown_key_names_the_nearest_key_and_the_line() {
        let out = errors("faq/why.md", "+++\ntitle = \"Why?\"\nsumary = \"x\"\n+++\n").join("");
        assert!(out.contains("unknown key `sumary`"), "{out}");
        assert!(out.contains("content/faq/why.md:3:1"), "{out}");
        assert!(out.contains("did you mean `summary`?"), "{out}");
    }

    #[test]
    fn event_status_and_dates_are_checked() {
        let out = errors(
            "timeline/e.md",
            "+++\ntitle = \"E\"\ndate = \"2025-02-30\"\n+++\n",
        )
        .join("");
        assert!(out.contains("bad date `2025-02-30`"), "{out}");
        assert!(out.contains("content/timeline/e.md:3:8"), "{out}");
        let out = errors(
            "timeline/e.md",
            "+++\ntitle = \"E\"\ndate = \"2025\"\nstatus = \"rumoured\"\n+++\n",
        )
        .join("");
        assert!(out.contains("unknown variant `rumoured`"), "{out}");
        let out = errors(
            "timeline/e.md",
            "+++\ntitle = \"E\"\ndate = 2019-08-23\nend = 2010-01-01\n+++\n",
        )
        .join("");
        assert!(
            out.contains("ends (2010-01-01) before it starts (2019-08-23)"),
            "{out}"
        );
        assert!(out.contains("content/timeline/e.md:4:7"), "{out}");
    }

    #[test]
    fn empty_values_unsafe_urls_and_control_characters_are_errors() {
        let out = errors(
            "glossary/t.md",
            "+++\nterm = \"T\"\naliases = [\"\"]\n+++\n",
        )
        .join("");
        assert!(out.contains("the alias is empty"), "{out}");
        let out = errors("faq/q.md", "+++\ntitle = \"  \"\n+++\n").join("");
        assert!(out.contains("the title is empty"), "{out}");
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            " javascript:x",
        ] {
            let out = errors(
                "faq/q.md",
                &format!("+++\ntitle = \"Q\"\n[[sources]]\ntitle = \"S\"\nurl = \"{bad}\"\n+++\n"),
            )
            .join("");
            assert!(out.contains("`url` is refused"), "{bad}: {out}");
            assert!(out.contains("content/faq/q.md:5:7"), "{bad}: {out}");
        }
        let out = errors("faq/q.md", "+++\ntitle = \"Q\u{7}\"\n+++\n").join("");
        assert!(out.contains("control character U+0007"), "{out}");
        assert!(out.contains("content/faq/q.md:2:11"), "{out}");
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
        let all: Vec<String> = parse(&sources, false)
            .1
            .iter()
            .map(|d| d.render_plain())
            .collect();
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
        let e = errors("notes/x/y.md", "+++\ntitle = \"x\"\n+++\n").join("");
        assert!(e.contains("not in a known place"), "{e}");
    }
}
