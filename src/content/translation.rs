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

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Citation, Content, Item, Kind, Parsed, PartialDate, SpannedText, Text, kind_of, offset, text,
    texts,
};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// A fact a translation may repeat (and must then repeat exactly).
type Fact = Option<Spanned<toml::Value>>;

/// `faq/x.zh.md` as (`faq/x.md`, `zh`); `None` for a file without a
/// language suffix. The suffix is the part between the last two dots of
/// the file name, when it looks like a language code (`zh`, `pt-br`).
pub fn split_language(rel: &str) -> Option<(String, &str)> {
    let stem = rel.strip_suffix(".md")?;
    let (head, code) = stem.rsplit_once('.')?;
    if head.ends_with('/') || head.is_empty() || !crate::config::is_language_code(code) {
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

/// A translation's front-matter, by the kind of its original.
#[derive(Debug)]
enum Front {
    Question(QuestionText),
    Event(EventText),
    Term(TermText),
    Page(PageText),
    Section(SectionText),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CitationText {
    title: Option<SpannedText>,
    publisher: Option<Text>,
    url: Fact,
    date: Fact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionText {
    title: SpannedText,
    summary: Option<SpannedText>,
    sources: Option<Spanned<Vec<CitationText>>>,
    updated: Option<PartialDate>,
    image_alt: Option<Text>,
    weight: Fact,
    date: Fact,
    tags: Fact,
    related: Fact,
    draft: Fact,
    autolink: Fact,
    slug: Fact,
    image: Fact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventText {
    title: SpannedText,
    sources: Option<Spanned<Vec<CitationText>>>,
    date: Fact,
    end: Fact,
    status: Fact,
    faq: Fact,
    tags: Fact,
    draft: Fact,
    autolink: Fact,
    slug: Fact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermText {
    term: SpannedText,
    #[serde(default)]
    aliases: Vec<SpannedText>,
    abbr: Option<SpannedText>,
    see_also: Fact,
    draft: Fact,
    autolink: Fact,
    slug: Fact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MenuText {
    label: Option<Text>,
    weight: Fact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageText {
    title: SpannedText,
    description: Option<Text>,
    updated: Option<PartialDate>,
    menu: Option<MenuText>,
    image_alt: Option<Text>,
    draft: Fact,
    slug: Fact,
    autolink: Fact,
    image: Fact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFigureText {
    value: Option<Text>,
    label: Option<Text>,
    note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionText {
    title: Option<SpannedText>,
    description: Option<Text>,
    key_figures: Option<Spanned<Vec<KeyFigureText>>>,
}

/// Keys of a translation, by kind, for "did you mean" hints: the text keys
/// first, then the facts it may repeat.
fn keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Question => &[
            "title",
            "summary",
            "sources",
            "updated",
            "image_alt",
            "weight",
            "date",
            "tags",
            "related",
            "draft",
            "autolink",
            "slug",
            "image",
        ],
        Kind::Event => &[
            "title", "sources", "date", "end", "status", "faq", "tags", "draft", "autolink", "slug",
        ],
        Kind::Term => &[
            "term", "aliases", "abbr", "see_also", "draft", "autolink", "slug",
        ],
        Kind::Page => &[
            "title",
            "description",
            "updated",
            "menu",
            "image_alt",
            "draft",
            "slug",
            "autolink",
            "image",
        ],
        Kind::Section(_) => &["title", "description", "key_figures"],
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
        Kind::Question => super::front(source, keys(kind)).map(Front::Question),
        Kind::Event => super::front(source, keys(kind)).map(Front::Event),
        Kind::Term => super::front(source, keys(kind)).map(Front::Term),
        Kind::Page => super::front(source, keys(kind)).map(Front::Page),
        Kind::Section(_) => super::front(source, keys(kind)).map(Front::Section),
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

/// The original's item with the translation's text, and the
/// translation's file (its body and its place in diagnostics).
fn merge(original: &Parsed, t: &Translation) -> Result<Parsed, Vec<Diagnostic>> {
    let source = &t.source;
    let mut problems = Vec::new();
    let facts = FactCheck::new(original.source(), source);
    let parsed = match (original, &*t.front) {
        (Parsed::Question(o), Front::Question(f)) => {
            facts.check(
                &mut problems,
                &[
                    ("weight", &f.weight),
                    ("date", &f.date),
                    ("tags", &f.tags),
                    ("related", &f.related),
                    ("draft", &f.draft),
                    ("autolink", &f.autolink),
                    ("slug", &f.slug),
                    ("image", &f.image),
                ],
            );
            let mut q = (*o.data).clone();
            q.title_at = offset(source, f.title.span());
            q.title = text(source, f.title.clone(), "title", &mut problems);
            if let Some(s) = &f.summary {
                q.summary = Some(text(source, s.clone(), "summary", &mut problems));
            }
            q.sources = sources(&o.sources, f.sources.as_ref(), &facts, &mut problems);
            if f.updated.is_some() {
                q.updated = f.updated;
            }
            if let (Some(image), Some(alt)) = (&mut q.image, &f.image_alt) {
                image.alt = Some(alt.to_string());
            }
            Parsed::Question(item(source, q))
        }
        (Parsed::Event(o), Front::Event(f)) => {
            facts.check(
                &mut problems,
                &[
                    ("date", &f.date),
                    ("end", &f.end),
                    ("status", &f.status),
                    ("faq", &f.faq),
                    ("tags", &f.tags),
                    ("draft", &f.draft),
                    ("autolink", &f.autolink),
                    ("slug", &f.slug),
                ],
            );
            let mut e = (*o.data).clone();
            e.title = text(source, f.title.clone(), "title", &mut problems);
            e.sources = sources(&o.sources, f.sources.as_ref(), &facts, &mut problems);
            Parsed::Event(item(source, e))
        }
        (Parsed::Term(o), Front::Term(f)) => {
            facts.check(
                &mut problems,
                &[
                    ("see_also", &f.see_also),
                    ("draft", &f.draft),
                    ("autolink", &f.autolink),
                    ("slug", &f.slug),
                ],
            );
            let mut term = (*o.data).clone();
            // The original's spellings still link in the translation's
            // text: an English acronym such as SMIC inside Chinese text.
            term.foreign = std::iter::once(term.term.clone())
                .chain(term.aliases.iter().map(|a| a.value.clone()))
                .chain(term.foreign.iter().cloned())
                .collect();
            term.term = text(source, f.term.clone(), "term", &mut problems);
            term.aliases = texts(source, f.aliases.clone(), "alias", &mut problems);
            term.abbr = f
                .abbr
                .clone()
                .map(|a| text(source, a, "abbr", &mut problems));
            Parsed::Term(item(source, term))
        }
        (Parsed::Page(o), Front::Page(f)) => {
            let menu_weight = f.menu.as_ref().map_or(&None, |m| &m.weight);
            facts.check(
                &mut problems,
                &[
                    ("draft", &f.draft),
                    ("slug", &f.slug),
                    ("autolink", &f.autolink),
                    ("image", &f.image),
                    ("menu.weight", menu_weight),
                ],
            );
            let mut p = (*o.data).clone();
            p.title_at = offset(source, f.title.span());
            p.title = text(source, f.title.clone(), "title", &mut problems);
            if let Some(d) = &f.description {
                p.description = Some(d.to_string());
            }
            if f.updated.is_some() {
                p.updated = f.updated;
            }
            if let (Some(menu), Some(label)) =
                (&mut p.menu, f.menu.as_ref().and_then(|m| m.label.as_ref()))
            {
                menu.label = Some(label.to_string());
            }
            if let (Some(image), Some(alt)) = (&mut p.image, &f.image_alt) {
                image.alt = Some(alt.to_string());
            }
            Parsed::Page(item(source, p))
        }
        (Parsed::Section(slot, o), Front::Section(f)) => {
            let mut s = (*o.data).clone();
            if let Some(title) = &f.title {
                s.title_at = offset(source, title.span());
                s.title = Some(text(source, title.clone(), "title", &mut problems));
            }
            if let Some(d) = &f.description {
                s.description = Some(d.to_string());
            }
            if let Some(figures) = &f.key_figures {
                if figures.get_ref().len() == s.key_figures.len() {
                    for (k, t) in s.key_figures.iter_mut().zip(figures.get_ref()) {
                        if let Some(v) = &t.value {
                            k.value = v.to_string();
                        }
                        if let Some(l) = &t.label {
                            k.label = l.to_string();
                        }
                        if let Some(n) = &t.note {
                            k.note = n.to_string();
                        }
                    }
                } else {
                    problems.push(count_mismatch(
                        source,
                        offset(source, figures.span()),
                        "key figures",
                        figures.get_ref().len(),
                        s.key_figures.len(),
                    ));
                }
            }
            Parsed::Section(*slot, item(source, s))
        }
        _ => {
            // Both come from the same content path, so the kinds agree;
            // said rather than assumed.
            problems.push(Diagnostic::error_in(
                "this translation is of another kind than its original",
                Some(source.path.clone()),
            ));
            return Err(problems);
        }
    };
    charts_agree(original.source(), source, &mut problems);
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}

/// The original's sources with the translation's titles and publishers,
/// matched by position.
fn sources(
    original: &[Citation],
    translated: Option<&Spanned<Vec<CitationText>>>,
    facts: &FactCheck<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Citation> {
    let Some(translated) = translated else {
        return original.to_vec();
    };
    let list = translated.get_ref();
    if list.len() != original.len() {
        problems.push(count_mismatch(
            facts.translation,
            offset(facts.translation, translated.span()),
            "sources",
            list.len(),
            original.len(),
        ));
        return original.to_vec();
    }
    original
        .iter()
        .zip(list)
        .enumerate()
        .map(|(i, (o, t))| {
            facts.check_in(
                problems,
                "sources",
                i,
                &[("url", &t.url), ("date", &t.date)],
            );
            Citation {
                title: t
                    .title
                    .clone()
                    .map(|title| text(facts.translation, title, "source title", problems))
                    .unwrap_or_else(|| o.title.clone()),
                publisher: t
                    .publisher
                    .as_ref()
                    .map(|p| p.to_string())
                    .or_else(|| o.publisher.clone()),
                url: o.url.clone(),
                date: o.date,
            }
        })
        .collect()
}

/// `data` as an item of the translation's file.
fn item<T>(source: &Source, data: T) -> Item<T> {
    Item {
        source: source.clone(),
        data: Arc::new(data),
    }
}

fn count_mismatch(
    source: &Source,
    range: Range<usize>,
    what: &str,
    got: usize,
    want: usize,
) -> Diagnostic {
    Diagnostic::error(
        format!("the translation lists {got} {what}, the original {want}"),
        source.span(range),
    )
    .with_label(format!("{got} here"))
    .with_help(format!(
        "{what} are matched by position: give one entry for each of the original's, in its order (an entry may give only the keys it translates)"
    ))
}

/// Compares the facts a translation repeats with its original's.
struct FactCheck<'a> {
    original: Option<toml::Table>,
    original_source: &'a Source,
    translation: &'a Source,
}

impl<'a> FactCheck<'a> {
    fn new(original: &'a Source, translation: &'a Source) -> FactCheck<'a> {
        FactCheck {
            original: toml::from_str(original.front_matter_text()).ok(),
            original_source: original,
            translation,
        }
    }

    /// Checks top-level facts (`menu.weight` names a key of a table).
    fn check(&self, problems: &mut Vec<Diagnostic>, facts: &[(&str, &Fact)]) {
        let table = self.original.as_ref();
        for (key, fact) in facts {
            let Some(fact) = fact else { continue };
            let mut value = table.map(|t| toml::Value::Table(t.clone()));
            for part in key.split('.') {
                value = value.and_then(|v| v.get(part).cloned());
            }
            self.compare(problems, key, value.as_ref(), fact);
        }
    }

    /// Checks the facts of entry `i` of the original's list `list`.
    fn check_in(
        &self,
        problems: &mut Vec<Diagnostic>,
        list: &str,
        i: usize,
        facts: &[(&str, &Fact)],
    ) {
        let entry = self
            .original
            .as_ref()
            .and_then(|t| t.get(list))
            .and_then(|l| l.as_array())
            .and_then(|a| a.get(i));
        for (key, fact) in facts {
            let Some(fact) = fact else { continue };
            self.compare(
                problems,
                &format!("{list}[{}].{key}", i + 1),
                entry.and_then(|e| e.get(key)),
                fact,
            );
        }
    }

    fn compare(
        &self,
        problems: &mut Vec<Diagnostic>,
        key: &str,
        original: Option<&toml::Value>,
        fact: &Spanned<toml::Value>,
    ) {
        if original == Some(fact.get_ref()) {
            return;
        }
        let said = match original {
            Some(v) => format!("says `{v}`"),
            None => "does not set it".to_string(),
        };
        problems.push(
            Diagnostic::error(
                format!(
                    "the translation says `{key} = {}`, but the original ({}) {said}",
                    fact.get_ref(),
                    self.original_source.path.display()
                ),
                self.translation.span(offset(self.translation, fact.span())),
            )
            .with_label("contradicts the original")
            .with_help(format!(
                "`{key}` is a fact, not text: it comes from the original. Remove the line from the translation, or change it in both files"
            )),
        );
    }
}

/// A chart's facts: where it is, each series' values, which are planned.
type ChartFacts = (Range<usize>, Vec<Vec<f64>>, Vec<bool>);

/// The values of every chart in a body, in order.
fn chart_values(body: &str) -> Vec<ChartFacts> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut charts = Vec::new();
    let mut open: Option<(Range<usize>, String)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if lang.split([' ', ',']).next() == Some("chart") =>
            {
                open = Some((range, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, text)) = open.take()
                    && let Ok(chart) = crate::chart::parse(&text)
                {
                    let values = chart.series.into_iter().map(|s| s.values).collect();
                    charts.push((range, values, chart.planned));
                }
            }
            _ => {}
        }
    }
    charts
}

/// A chart's values are facts: a translation's charts must show the same
/// numbers, in the same order, as the original's.
fn charts_agree(original: &Source, translation: &Source, problems: &mut Vec<Diagnostic>) {
    let want = chart_values(original.body_text());
    let got = chart_values(translation.body_text());
    let at = |r: &Range<usize>| translation.body.start + r.start..translation.body.start + r.end;
    for (i, (range, values, planned)) in got.iter().enumerate() {
        let same = want
            .get(i)
            .is_some_and(|(_, v, p)| v == values && p == planned);
        if !same {
            problems.push(
                Diagnostic::error(
                    format!(
                        "chart {} of the translation does not show the original's values",
                        i + 1
                    ),
                    translation.span(at(range)),
                )
                .with_label("values or `planned` differ from the original's chart")
                .with_help(format!(
                    "a chart's `values` and `planned` are facts: copy them from the same chart in {}, and translate only its title, units, source, labels and notes",
                    original.path.display()
                )),
            );
        }
    }
    if got.len() < want.len() {
        problems.push(
            Diagnostic::error_in(
                format!(
                    "the translation has {} chart(s), the original {}",
                    got.len(),
                    want.len()
                ),
                Some(translation.path.clone()),
            )
            .with_help("translate every chart of the original, in its order"),
        );
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
