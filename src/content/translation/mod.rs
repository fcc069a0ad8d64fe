//! Translations: `faq/x.zh.md` beside `faq/x.md` is the Chinese version of
//! the same question.
//!
//! A translation writes the text: titles, summaries, bodies, term names
//! and aliases, source titles and publishers, key-figure text, chart
//! titles and labels. Everything that is a fact rather than text (dates,
//! statuses, weights, slugs, the questions an event belongs to, tags,
//! source addresses and dates, chart values) comes from the original.
//! A translation may repeat a fact, but one that says otherwise than the
//! original is an error at its line. The rule, key by key, is in the
//! README's table.

mod facts;
mod front;
mod merge;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::fields;
use super::{Content, Kind, Parsed, PartialDate, kind_of};
use crate::diagnostic::Diagnostic;
use crate::load::Source;
use front::{Front, keys};
use merge::merge;

/// `faq/x.zh.md` as (`faq/x.md`, `zh`); `None` for a file without a
/// language suffix. The suffix is the part between the last two dots of
/// the file name, when it looks like a language code (`zh`, `pt-br`).
pub fn split_language(rel: &str) -> Option<(String, &str)> {
    let stem = rel.strip_suffix(".md")?;
    let (head, code) = stem.rsplit_once('.')?;
    if head.ends_with('/') || head.is_empty() || !crate::language::is_language_code(code) {
        return None;
    }
    Some((format!("{head}.md"), code))
}

/// The file a document translates, or the document itself: `faq/x.md`
/// for both `faq/x.md` and `faq/x.zh.md`. `@/` links name this path.
pub fn original_rel(rel: &str) -> std::borrow::Cow<'_, str> {
    match split_language(rel) {
        Some((original, _)) => original.into(),
        None => rel.into(),
    }
}

/// A translation as parsed: its language, the file it translates, and its
/// front-matter with the place of each value.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language code of its suffix.
    pub lang: String,
    /// The content path of the original (`faq/x.md`).
    pub original: String,
    /// The translation's own file.
    pub source: Source,
    front: Arc<Front>,
}

impl Translation {
    /// The same parse for a new text whose front-matter is unchanged.
    pub fn with_source(&self, source: &Source) -> Translation {
        Translation {
            source: source.clone(),
            ..self.clone()
        }
    }
}

/// Parses a translation's front-matter; `code` is its language.
pub(super) fn parse(
    source: &Source,
    original: String,
    code: &str,
) -> Result<Parsed, Vec<Diagnostic>> {
    let Some((kind, _)) = kind_of(&original) else {
        return Err(vec![Diagnostic::error_in(
            "this translation is not in a known place",
            Some(source.path.clone()),
        )
        .with_help("a translation sits beside its original: content/faq/x.zh.md translates content/faq/x.md")]);
    };
    let front = match kind {
        Kind::Question => fields::front(source, keys(kind)).map(Front::Question),
        Kind::Event => fields::front(source, keys(kind)).map(Front::Event),
        Kind::Term => fields::front(source, keys(kind)).map(Front::Term),
        Kind::Page => fields::front(source, keys(kind)).map(Front::Page),
        Kind::Section(_) => fields::front(source, keys(kind)).map(Front::Section),
    }?;
    Ok(Parsed::Translation(Translation {
        lang: code.to_string(),
        original,
        source: source.clone(),
        front: Arc::new(front),
    }))
}

/// What [`collect`] found besides the content: the originals without a
/// translation, and translations older than their original.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Originals with no translation in the language.
    pub missing: Vec<Source>,
    /// Translations whose original was reviewed (or changed) after them:
    /// the translation, and the original.
    pub stale: Vec<(Source, Source)>,
}

/// The content of language `lang`: every original (`lang` is the default
/// language, `None`) or every translation into `lang`, merged with its
/// original. A translated page links to pages not translated through
/// their original; its references to untranslated questions and terms
/// (`related`, `faq`, `see_also`) are left out.
pub fn collect(
    parsed: &[Result<Parsed, Vec<Diagnostic>>],
    lang: Option<&str>,
    drafts: bool,
    modified: &dyn Fn(&Source) -> Option<std::time::SystemTime>,
) -> (Content, Vec<Diagnostic>, Coverage) {
    let originals = parsed
        .iter()
        .filter(|p| !matches!(p, Ok(Parsed::Translation(_))));
    let Some(lang) = lang else {
        let (content, problems) = super::collect(originals.cloned(), drafts);
        return (content, problems, Coverage::default());
    };
    let by_rel: HashMap<&str, &Parsed> = originals
        .filter_map(|p| p.as_ref().ok())
        .map(|p| (&*p.source().rel, p))
        .collect();
    let mut problems = Vec::new();
    let mut merged = Vec::new();
    let mut translated = HashSet::new();
    let mut coverage = Coverage::default();
    for t in parsed.iter().filter_map(|p| match p {
        Ok(Parsed::Translation(t)) if t.lang == lang => Some(t),
        _ => None,
    }) {
        let Some(original) = by_rel.get(t.original.as_str()) else {
            problems.push(
                Diagnostic::error_in(
                    format!(
                        "this translates content/{}, which does not exist",
                        t.original
                    ),
                    Some(t.source.path.clone()),
                )
                .with_help("name a translation after its original: faq/x.md and faq/x.zh.md"),
            );
            continue;
        };
        translated.insert(t.original.as_str());
        match merge(original, t) {
            Ok(p) => {
                if is_stale(original, &p, modified) {
                    coverage
                        .stale
                        .push((t.source.clone(), original.source().clone()));
                }
                merged.push(Ok(p));
            }
            Err(d) => problems.extend(d),
        }
    }
    for (rel, p) in &by_rel {
        if !translated.contains(rel) && (drafts || !p.is_draft()) {
            coverage.missing.push(p.source().clone());
        }
    }
    coverage.missing.sort_by(|a, b| a.rel.cmp(&b.rel));
    let (mut content, more) = super::collect(merged, drafts);
    problems.extend(more);
    drop_untranslated_references(&mut content);
    (content, problems, coverage)
}

/// True when the original was reviewed after the translation (`updated`),
/// or, without dates, when its file changed after the translation's.
fn is_stale(
    original: &Parsed,
    translation: &Parsed,
    modified: &dyn Fn(&Source) -> Option<std::time::SystemTime>,
) -> bool {
    match (original.updated(), translation.updated()) {
        (Some(o), Some(t)) => o.start > t.start,
        (Some(_), None) | (None, Some(_)) => false,
        (None, None) => match (modified(original.source()), modified(translation.source())) {
            (Some(o), Some(t)) => o > t,
            _ => false,
        },
    }
}

/// Removes references to questions and terms the language does not have.
fn drop_untranslated_references(content: &mut Content) {
    let questions: HashSet<String> = content.questions.iter().map(|q| q.slug.clone()).collect();
    let terms: HashSet<String> = content.terms.iter().map(|t| t.slug.clone()).collect();
    for q in &mut content.questions {
        if q.related.iter().any(|r| !questions.contains(&r.value)) {
            let mut data = (*q.data).clone();
            data.related.retain(|r| questions.contains(&r.value));
            q.data = Arc::new(data);
        }
    }
    for e in &mut content.events {
        if e.faq.iter().any(|r| !questions.contains(&r.value)) {
            let mut data = (*e.data).clone();
            data.faq.retain(|r| questions.contains(&r.value));
            e.data = Arc::new(data);
        }
    }
    for t in &mut content.terms {
        if t.see_also.iter().any(|r| !terms.contains(&r.value)) {
            let mut data = (*t.data).clone();
            data.see_also.retain(|r| terms.contains(&r.value));
            t.data = Arc::new(data);
        }
    }
}

impl Parsed {
    /// The file this was parsed from.
    pub fn source(&self) -> &Source {
        match self {
            Parsed::Section(_, i) => &i.source,
            Parsed::Question(i) => &i.source,
            Parsed::Event(i) => &i.source,
            Parsed::Term(i) => &i.source,
            Parsed::Page(i) => &i.source,
            Parsed::Translation(t) => &t.source,
        }
    }

    fn is_draft(&self) -> bool {
        match self {
            Parsed::Question(i) => i.draft,
            Parsed::Event(i) => i.draft,
            Parsed::Term(i) => i.draft,
            Parsed::Page(i) => i.draft,
            Parsed::Section(..) | Parsed::Translation(_) => false,
        }
    }

    fn updated(&self) -> Option<PartialDate> {
        match self {
            Parsed::Question(i) => i.updated,
            Parsed::Page(i) => i.updated,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffixes_are_found_and_ordinary_dots_are_not() {
        assert_eq!(
            split_language("faq/x.zh.md"),
            Some(("faq/x.md".into(), "zh"))
        );
        assert_eq!(
            split_language("faq/x/index.zh.md"),
            Some(("faq/x/index.md".into(), "zh"))
        );
        assert_eq!(
            split_language("_index.pt-br.md"),
            Some(("_index.md".into(), "pt-br"))
        );
        assert_eq!(split_language("faq/x.md"), None);
        assert_eq!(split_language("faq/v1.5.md"), None);
        assert_eq!(split_language("faq/.zh.md"), None);
        assert_eq!(original_rel("timeline/e.zh.md"), "timeline/e.md");
    }
}
