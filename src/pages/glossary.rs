//! The glossary: every term A to Z with a jump bar, one anchor per term
//! (its slug), its "see also" and "Mentioned in".

use serde::Serialize;

use super::pagination::{self, Pagination};
use super::views::{self, LinkView, SectionView};
use super::{Lists, Meta, Page};
use crate::bodies::Html;
use crate::link::DocRef;
use crate::urls::paths;

#[derive(Serialize, Hash)]
struct TermView<'a> {
    slug: &'a str,
    term: &'a str,
    aliases: Vec<&'a str>,
    abbr: Option<&'a str>,
    content: Html,
    see_also: Vec<LinkView>,
    /// The first `glossary_mentions` pages that mention the term.
    mentioned_in: Vec<LinkView>,
    /// With more, how many there are and the term's page listing them all.
    more_mentions: Option<MoreLink>,
    edit_url: Option<String>,
}

#[derive(Serialize, Hash)]
struct MoreLink {
    count: usize,
    url: String,
}

#[derive(Serialize, Hash)]
struct LetterView<'a> {
    letter: String,
    id: String,
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize, Hash)]
struct JumpLetter {
    letter: String,
    id: String,
    present: bool,
}

#[derive(Serialize, Hash)]
pub(crate) struct GlossaryView<'a> {
    section: SectionView<'a>,
    jump: Vec<JumpLetter>,
    letters: Vec<LetterView<'a>>,
    /// Some term holds highlighted code (the page loads `syntax.css`).
    code: bool,
}

pub(crate) fn page<'a>(lists: &'a Lists<'a>) -> Page<GlossaryView<'a>> {
    let index = lists.index;
    let from = paths::GLOSSARY;
    let mut letters: Vec<LetterView<'a>> = Vec::new();
    let mentions = &lists.links.term_mentions;
    let cap = index.config.glossary_mentions;
    for (ti, (t, body)) in index.terms.iter().zip(&lists.bodies.terms).enumerate() {
        let item = &t.item;
        let letter = first_letter(&item.term);
        let view = TermView {
            slug: &item.slug,
            term: &item.term,
            aliases: item.aliases.iter().map(|a| a.value.as_str()).collect(),
            abbr: item.abbr.as_deref(),
            content: body.html(),
            see_also: t
                .see_also
                .iter()
                .filter_map(|&x| views::term_link(index, from, x))
                .collect(),
            mentioned_in: mentions
                .get(ti)
                .into_iter()
                .flatten()
                .take(cap)
                .filter_map(|d| doc_link(lists, from, *d))
                .collect(),
            more_mentions: mentions
                .get(ti)
                .filter(|m| m.len() > cap)
                .map(|m| MoreLink {
                    count: m.len(),
                    url: index.urls.url_from(from, &paths::mentions(&item.slug)),
                }),
            edit_url: index.config.edit_link(&item.source.path),
        };
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.terms.push(view),
            _ => letters.push(LetterView {
                id: letter_id(&letter),
                letter,
                terms: vec![view],
            }),
        }
    }
    let jump: Vec<JumpLetter> = ('A'..='Z')
        .map(|c| c.to_string())
        .chain(
            letters
                .iter()
                .map(|l| l.letter.clone())
                .filter(|l| !l.chars().all(|c| c.is_ascii_uppercase())),
        )
        .map(|letter| JumpLetter {
            present: letters.iter().any(|l| l.letter == letter),
            id: letter_id(&letter),
            letter,
        })
        .collect();
    let section = views::section(
        index,
        index.sections.glossary.as_ref(),
        lists.bodies.sections.glossary.as_ref(),
        index.t("glossary"),
    );
    let meta = Meta::simple(index, section.title, Some(section.description));
    Page {
        path: from.to_string(),
        template: "glossary.html",
        meta,
        view: GlossaryView {
            section,
            jump,
            letters,
            code: lists
                .bodies
                .terms
                .iter()
                .chain(&lists.bodies.sections.glossary)
                .any(|b| b.analysis.code),
        },
    }
}

#[derive(Serialize, Hash)]
pub(crate) struct MentionsView<'a> {
    term: &'a str,
    url: String,
    count: usize,
    mentions: Vec<LinkView>,
    pagination: Option<Pagination>,
}

/// A page per term mentioned more often than the glossary page shows:
/// `glossary/<slug>/`, then `page/2/`... past `per_page`.
pub(crate) fn mention_pages<'a>(lists: &'a Lists<'a>) -> Vec<Page<MentionsView<'a>>> {
    let index = lists.index;
    let cap = index.config.glossary_mentions;
    let mut pages = Vec::new();
    for (t, mentions) in index.terms.iter().zip(&lists.links.term_mentions) {
        if mentions.len() <= cap {
            continue;
        }
        let first = paths::mentions(&t.item.slug);
        let split = pagination::split(mentions.len(), index.config.per_page);
        let total = split.len();
        for (n, range) in split {
            let path = paths::numbered(&first, n);
            let title = match n {
                1 => crate::ui::fill(index.t("mentions_title"), &[("term", &t.item.term)]),
                _ => crate::ui::fill(
                    index.t("mentions_title_page"),
                    &[
                        ("term", &t.item.term),
                        ("n", &n.to_string()),
                        ("total", &total.to_string()),
                    ],
                ),
            };
            pages.push(Page {
                meta: Meta::simple(index, &title, None),
                template: "mentions.html",
                view: MentionsView {
                    term: &t.item.term,
                    url: index.urls.url_from(&path, &paths::term(&t.item.slug)),
                    count: mentions.len(),
                    mentions: mentions
                        .get(range)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|d| doc_link(lists, &path, *d))
                        .collect(),
                    pagination: pagination::pagination(index, &first, n, total),
                },
                path,
            });
        }
    }
    pages
}

fn doc_link(lists: &Lists<'_>, from: &str, d: DocRef) -> Option<LinkView> {
    let index = lists.index;
    match d {
        DocRef::Question(q) => views::link_to_question(index, from, q),
        DocRef::Event(e) => views::event_link(index, from, e).map(|l| LinkView {
            title: l.title,
            url: l.url,
        }),
        DocRef::Page(p) => index.pages.get(p).map(|p| LinkView {
            title: p.item.title.clone(),
            url: index.urls.url_from(from, &p.path),
        }),
    }
}

fn letter_id(letter: &str) -> String {
    if letter == "#" {
        "letter-other".to_string()
    } else {
        format!("letter-{}", letter.to_lowercase())
    }
}

/// The letter a term is filed under: its first letter, uppercased, with
/// accents removed; digits and symbols go under `#`.
fn first_letter(term: &str) -> String {
    let first = term
        .chars()
        .next()
        .and_then(|c| slug::slugify(c.to_string()).chars().next());
    match first {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        _ => "#".to_string(),
    }
}
