//! Merging a translation with its original, one function per kind: the
//! original's item with the translation's text, and the translation's file
//! (its body and its place in diagnostics).
//!
//! Separate from collecting the languages (`translation::collect`) because
//! this is the part that knows each kind's keys, and it grows with them.

use std::ops::Range;

use toml::Spanned;

use super::Translation;
use super::facts::{FactCheck, charts_agree};
use super::front::{CitationText, EventText, Front, PageText, QuestionText, SectionText, TermText};
use crate::content::fields::{item, offset, text, texts};
use crate::content::{Citation, Event, Item, Page, Parsed, Question, Section, Term};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// The original's item with the translation's text, and the
/// translation's file (its body and its place in diagnostics).
pub(super) fn merge(original: &Parsed, t: &Translation) -> Result<Parsed, Vec<Diagnostic>> {
    let source = &t.source;
    let mut problems = Vec::new();
    let facts = FactCheck::new(original.source(), source);
    let parsed = match (original, &*t.front) {
        (Parsed::Question(o), Front::Question(f)) => {
            Parsed::Question(question(o, f, &facts, &mut problems))
        }
        (Parsed::Event(o), Front::Event(f)) => Parsed::Event(event(o, f, &facts, &mut problems)),
        (Parsed::Term(o), Front::Term(f)) => Parsed::Term(term(o, f, &facts, &mut problems)),
        (Parsed::Page(o), Front::Page(f)) => Parsed::Page(page(o, f, &facts, &mut problems)),
        (Parsed::Section(slot, o), Front::Section(f)) => {
            Parsed::Section(*slot, section(o, f, source, &mut problems))
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

/// A translated question: title, summary, sources, review date and the
/// share image's text.
fn question(
    o: &Item<Question>,
    f: &QuestionText,
    facts: &FactCheck<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Item<Question> {
    let source = facts.translation;
    facts.check(
        problems,
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
    q.title = text(source, f.title.clone(), "title", problems);
    if let Some(s) = &f.summary {
        q.summary = Some(text(source, s.clone(), "summary", problems));
    }
    q.sources = sources(&o.sources, f.sources.as_ref(), facts, problems);
    if f.updated.is_some() {
        q.updated = f.updated;
    }
    if let (Some(image), Some(alt)) = (&mut q.image, &f.image_alt) {
        image.alt = Some(alt.to_string());
    }
    item(source, q)
}

/// A translated event: its title and its sources' text.
fn event(
    o: &Item<Event>,
    f: &EventText,
    facts: &FactCheck<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Item<Event> {
    let source = facts.translation;
    facts.check(
        problems,
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
    e.title = text(source, f.title.clone(), "title", problems);
    e.sources = sources(&o.sources, f.sources.as_ref(), facts, problems);
    item(source, e)
}

/// A translated term: its name, aliases and expansion, with the original's
/// spellings kept as foreign spellings.
fn term(
    o: &Item<Term>,
    f: &TermText,
    facts: &FactCheck<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Item<Term> {
    let source = facts.translation;
    facts.check(
        problems,
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
    term.term = text(source, f.term.clone(), "term", problems);
    term.aliases = texts(source, f.aliases.clone(), "alias", problems);
    term.abbr = f.abbr.clone().map(|a| text(source, a, "abbr", problems));
    item(source, term)
}

/// A translated standalone page: title, description, review date, menu
/// label and the share image's text.
fn page(
    o: &Item<Page>,
    f: &PageText,
    facts: &FactCheck<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Item<Page> {
    let source = facts.translation;
    let menu_weight = f.menu.as_ref().map_or(&None, |m| &m.weight);
    facts.check(
        problems,
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
    p.title = text(source, f.title.clone(), "title", problems);
    if let Some(d) = &f.description {
        p.description = Some(d.to_string());
    }
    if f.updated.is_some() {
        p.updated = f.updated;
    }
    if let (Some(menu), Some(label)) = (&mut p.menu, f.menu.as_ref().and_then(|m| m.label.as_ref()))
    {
        menu.label = Some(label.to_string());
    }
    if let (Some(image), Some(alt)) = (&mut p.image, &f.image_alt) {
        image.alt = Some(alt.to_string());
    }
    item(source, p)
}

/// A translated section introduction: title, description and the text of
/// its key figures, matched by position.
fn section(
    o: &Item<Section>,
    f: &SectionText,
    source: &Source,
    problems: &mut Vec<Diagnostic>,
) -> Item<Section> {
    let mut s = (*o.data).clone();
    if let Some(title) = &f.title {
        s.title_at = offset(source, title.span());
        s.title = Some(text(source, title.clone(), "title", problems));
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
    item(source, s)
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

/// A translated list (sources, key figures) whose length differs from the
/// original's: entries are matched by position, so none can be matched.
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
