//! Link stage: order the content, give everything its URL, resolve slugs and
//! `@/` links, and compute back-links. The result, [`Site`], is immutable and
//! shared by reference with every page render.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, Event, Item, Page, Question, Term};
use crate::diagnostic::Diagnostic;
use crate::glossary::Autolinker;
use crate::load::{Source, hash_of};
use crate::markdown::{self, Analysis};

mod references;
mod related;
mod relink;
mod warnings;

use references::{autolinks_for, check_link, resolve_slugs};
use related::related_from_tags;
pub use relink::relink_bodies;
use warnings::{passed_plans, spelling_collisions};

/// Paths of pages inside the site, without the base path. All URL making
/// goes through [`Site::url_from`] (relative, for links) and
/// [`Site::absolute_url`] (canonical, feeds, sitemaps).
pub mod paths {
    /// The home page.
    pub const HOME: &str = "";
    /// The timeline page.
    pub const TIMELINE: &str = "timeline/";
    /// The glossary page.
    pub const GLOSSARY: &str = "glossary/";
    /// The list of tags.
    pub const TAGS: &str = "tags/";
    /// The print edition.
    pub const PRINT: &str = "print/";

    /// The page of one question.
    pub fn question(slug: &str) -> String {
        format!("faq/{slug}/")
    }

    /// The page of one tag.
    pub fn tag(slug: &str) -> String {
        format!("tags/{slug}/")
    }

    /// True for pages that hosts serve at any address (the 404 page), which
    /// therefore cannot use relative links.
    pub fn served_anywhere(path: &str) -> bool {
        path == "404.html"
    }

    /// The file written for a page path: `faq/x/` becomes `faq/x/index.html`.
    pub fn file_for(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }
}

/// An analysis and the key (file hash, term spellings) it was made for.
pub type KeyedAnalysis = (u64, Arc<Analysis>);

/// The section introductions of a site.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    /// `content/_index.md`.
    pub home: Option<Item<Page>>,
    /// `content/faq/_index.md`.
    pub faq_index: Option<Item<Page>>,
    /// `content/timeline/_index.md`.
    pub timeline_index: Option<Item<Page>>,
    /// `content/glossary/_index.md`.
    pub glossary_index: Option<Item<Page>>,
}

/// A tag and the questions that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as first written.
    pub name: String,
    /// URL-safe form.
    pub slug: String,
    /// Indexes into [`Site::questions`], in question order.
    pub questions: Vec<usize>,
}

/// A page that mentions a term or an event: used for back-links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocRef {
    /// Index into [`Site::questions`].
    Question(usize),
    /// Index into [`Site::events`].
    Event(usize),
}

/// Where an `@/` link can point.
#[derive(Debug, Clone)]
struct Target {
    /// Page path and, for events and terms, the anchor on the shared page.
    path: String,
    anchor: Option<String>,
    /// Anchors an `@/file.md#anchor` link may name (headings of the page).
    /// `None` for events and terms, which live on a shared page.
    /// `None` for events and terms; the page's headings otherwise.
    anchors: Option<Arc<Analysis>>,
}

/// The whole site, linked: the output of the link stage.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Path prefix of every internal URL, from `base_url` (`/` or `/sub/`).
    pub base_path: String,
    /// Section introductions (the `_index.md` files). Questions, events and
    /// terms are in their own fields, ordered.
    pub content: Sections,
    /// Questions, by weight then title.
    pub questions: Vec<Item<Question>>,
    /// Events, by date then title.
    pub events: Vec<Item<Event>>,
    /// Terms, A to Z.
    pub terms: Vec<Item<Term>>,
    /// Headings and links of each question, same order as `questions`.
    pub question_analysis: Vec<Arc<Analysis>>,
    /// Analysis of every question, event and term by path, with the key it
    /// was computed for, for reuse by the next build.
    pub analyses: HashMap<Arc<str>, KeyedAnalysis>,
    /// Changes whenever anything a rendered Markdown body depends on,
    /// other than its own text, changes: the URL of every page, the terms
    /// and their previews, the base path.
    pub body_fingerprint: u64,
    /// Tags A to Z.
    pub tags: Vec<Tag>,
    /// Related questions of each question.
    pub related: Vec<Vec<usize>>,
    /// Key of what `related` was computed from.
    related_key: u64,
    /// Key of the term spellings the analyses were made with.
    autolink_fingerprint: u64,
    /// Events that name each question in `faq`.
    pub question_events: Vec<Vec<usize>>,
    /// Questions each event names in `faq`.
    pub event_questions: Vec<Vec<usize>>,
    /// Terms each question links to or mentions ("Terms used").
    pub question_terms: Vec<Vec<usize>>,
    /// Terms linked automatically in each question's answer.
    pub question_autolinks: Vec<Vec<usize>>,
    /// Terms linked automatically in each event's description.
    pub event_autolinks: Vec<Vec<usize>>,
    /// Terms linked automatically in each term's definition.
    pub term_autolinks: Vec<Vec<usize>>,
    /// The automaton over every term spelling, when automatic links are on.
    pub autolinker: Option<Autolinker>,
    /// Plain text of the first paragraph of each definition, for previews.
    pub term_previews: Vec<String>,
    /// Pages that link to each term.
    pub term_mentions: Vec<Vec<DocRef>>,
    /// `see_also` of each term, resolved.
    pub term_see_also: Vec<Vec<usize>>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    targets: HashMap<Arc<str>, Target>,
}

impl Site {
    /// The URL of site path `to` (`faq/x/`, `timeline/#event`, `style.css`)
    /// as written in the page at site path `from`. It is relative, so the
    /// same output works at a domain root, under any sub-path and opened
    /// from disk; with `file_links` (the default) links to a folder end in
    /// `index.html`, which `file://` needs. The 404 page, which hosts serve
    /// at any address, gets root-relative URLs instead.
    pub fn url_from(&self, from: &str, to: &str) -> String {
        let (path, fragment) = match to.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (to, None),
        };
        let folder = path.is_empty() || path.ends_with('/');
        let file = if folder && self.config.file_links {
            "index.html"
        } else {
            ""
        };
        let mut url = if paths::served_anywhere(from) {
            format!("{}{path}{file}", self.base_path)
        } else {
            let from_dir = from.rfind('/').map_or("", |i| from.get(..=i).unwrap_or(""));
            match fragment {
                // A link to a place on the same page.
                Some(_) if path == from_dir || path == from => String::new(),
                _ => {
                    let up = "../".repeat(from_dir.matches('/').count());
                    let url = format!("{up}{path}{file}");
                    if url.is_empty() {
                        "./".to_string()
                    } else {
                        url
                    }
                }
            }
        };
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
        }
        url
    }

    /// The absolute URL of a site path, for canonical links, feeds and
    /// sitemaps (`https://host/sub/faq/x/`).
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}/{}", self.config.origin_and_base(), path)
    }

    /// The relative path from the page at `from` to the site's root: `""`
    /// for the home page, `../../` for a question. (The base path for the
    /// 404 page, which is served at any address.)
    pub fn root_from(&self, from: &str) -> String {
        if paths::served_anywhere(from) {
            return self.base_path.clone();
        }
        let from_dir = from.rfind('/').map_or("", |i| from.get(..=i).unwrap_or(""));
        "../".repeat(from_dir.matches('/').count())
    }

    /// Resolves an `@/file.md#anchor` destination to a URL written in the
    /// page at site path `from`. Returns `None` when the file or anchor does
    /// not exist (the link stage has already reported it).
    pub fn resolve(&self, from: &str, dest: &str) -> Option<String> {
        let (file, anchor) = split_dest(dest);
        let target = self.targets.get(file)?;
        let anchor = match (anchor, &target.anchor) {
            (Some(a), None) => Some(a),
            (None, own) => own.as_deref(),
            (Some(_), Some(_)) => return None,
        };
        Some(match anchor {
            Some(a) => self.url_from(from, &format!("{}#{a}", target.path)),
            None => self.url_from(from, &target.path),
        })
    }
}

fn split_dest(dest: &str) -> (&str, Option<&str>) {
    let dest = dest.strip_prefix("@/").unwrap_or(dest);
    match dest.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (dest, None),
    }
}

/// Builds the [`Site`] from parsed content. Every dangling reference
/// (`related`, `faq`, `@/` links and their anchors) is reported together.
///
/// `previous`, the site of the last build (in `dossier serve`), lets
/// unchanged documents reuse their Markdown analysis.
pub fn link(
    config: &Config,
    content: &Content,
    previous: Option<&Site>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut questions = content.questions.clone();
    questions.sort_by(|a, b| {
        (a.weight.unwrap_or(i64::MAX), &a.title, &a.slug).cmp(&(
            b.weight.unwrap_or(i64::MAX),
            &b.title,
            &b.slug,
        ))
    });
    let mut events = content.events.clone();
    events.sort_by(|a, b| (a.date, &a.title, &a.slug).cmp(&(b.date, &b.title, &b.slug)));
    let mut terms = content.terms.clone();
    terms.sort_by_cached_key(|t| (t.term.to_lowercase(), t.slug.clone()));

    let spellings: Vec<Vec<&str>> = terms
        .iter()
        .map(|t| {
            std::iter::once(t.term.as_str())
                .chain(t.aliases.iter().map(String::as_str))
                .collect()
        })
        .collect();
    let autolinker = config
        .glossary_autolink
        .then(|| Autolinker::new(&spellings));
    let autolink_fingerprint = hash_of(&(config.glossary_autolink, &spellings));
    let reuse = previous.map(|p| &p.analyses);
    let analyze = |s: &Source| -> (Arc<str>, KeyedAnalysis) {
        let key = hash_of(&(s.hash, autolink_fingerprint));
        let analysis = match reuse.and_then(|r| r.get(&s.rel)) {
            Some((k, a)) if *k == key => a.clone(),
            _ => Arc::new(markdown::analyze(s.body_text(), autolinker.as_ref())),
        };
        (s.rel.clone(), (key, analysis))
    };
    let question_entries: Vec<_> = questions.par_iter().map(|q| analyze(&q.source)).collect();
    let event_entries: Vec<_> = events.par_iter().map(|e| analyze(&e.source)).collect();
    let term_entries: Vec<_> = terms.par_iter().map(|t| analyze(&t.source)).collect();
    let analysis_of = |entries: &[(Arc<str>, KeyedAnalysis)]| -> Vec<Arc<Analysis>> {
        entries.iter().map(|(_, (_, a))| a.clone()).collect()
    };
    let question_analysis = analysis_of(&question_entries);
    let event_analysis = analysis_of(&event_entries);
    let term_analysis = analysis_of(&term_entries);
    let analyses: HashMap<Arc<str>, KeyedAnalysis> = question_entries
        .into_iter()
        .chain(event_entries)
        .chain(term_entries)
        .collect();

    let mut targets = HashMap::new();
    let no_headings = Arc::new(Analysis::default());
    let page_target = |path: &str, anchors: Option<Arc<Analysis>>| Target {
        path: path.to_string(),
        anchor: None,
        anchors,
    };
    targets.insert(
        "_index.md".into(),
        page_target(paths::HOME, Some(no_headings.clone())),
    );
    targets.insert(
        "faq/_index.md".into(),
        Target {
            path: paths::HOME.to_string(),
            anchor: Some("questions".to_string()),
            anchors: None,
        },
    );
    targets.insert(
        "timeline/_index.md".into(),
        page_target(paths::TIMELINE, Some(no_headings.clone())),
    );
    targets.insert(
        "glossary/_index.md".into(),
        page_target(paths::GLOSSARY, Some(no_headings.clone())),
    );
    for (q, a) in questions.iter().zip(&question_analysis) {
        targets.insert(
            q.source.rel.clone(),
            page_target(&paths::question(&q.slug), Some(a.clone())),
        );
    }
    for e in &events {
        targets.insert(
            e.source.rel.clone(),
            Target {
                path: paths::TIMELINE.to_string(),
                anchor: Some(e.slug.clone()),
                anchors: None,
            },
        );
    }
    for t in &terms {
        targets.insert(
            t.source.rel.clone(),
            Target {
                path: paths::GLOSSARY.to_string(),
                anchor: Some(t.slug.clone()),
                anchors: None,
            },
        );
    }

    let base_path = config.base_path();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();

    // `@/` links in every document.
    let section_analyses: Vec<(Source, Analysis)> = [
        &content.home,
        &content.faq_index,
        &content.timeline_index,
        &content.glossary_index,
    ]
    .into_iter()
    .flatten()
    .map(|p| {
        (
            p.source.clone(),
            markdown::analyze(p.source.body_text(), None),
        )
    })
    .collect();
    let all_docs = questions
        .iter()
        .map(|q| &q.source)
        .zip(question_analysis.iter().map(|a| &**a))
        .chain(
            events
                .iter()
                .map(|e| &e.source)
                .zip(event_analysis.iter().map(|a| &**a)),
        )
        .chain(
            terms
                .iter()
                .map(|t| &t.source)
                .zip(term_analysis.iter().map(|a| &**a)),
        )
        .chain(section_analyses.iter().map(|(s, a)| (s, a)));
    for (source, analysis) in all_docs {
        for e in &analysis.chart_errors {
            let range = source.body.start + e.range.start..source.body.start + e.range.end;
            problems.push(
                Diagnostic::error(e.message.clone(), source.span(range))
                    .with_label("in this chart")
                    .with_help(e.help.clone()),
            );
        }
        for link in &analysis.links {
            if let Some(d) = check_link(&targets, source, &link.dest, link.range.clone()) {
                problems.push(d);
            }
        }
    }

    // Slug references in front-matter.
    let question_index: HashMap<&str, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.slug.as_str(), i))
        .collect();
    let term_index: HashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let question_slugs: Vec<&str> = questions.iter().map(|q| q.slug.as_str()).collect();
    let term_slugs: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();

    let mut related: Vec<Vec<usize>> = Vec::with_capacity(questions.len());
    for q in &questions {
        related.push(resolve_slugs(
            &q.source,
            &q.related,
            "related",
            "question",
            &question_index,
            &question_slugs,
            &mut problems,
        ));
    }
    let mut event_questions = Vec::with_capacity(events.len());
    let mut question_events = vec![Vec::new(); questions.len()];
    for (ei, e) in events.iter().enumerate() {
        let qs = resolve_slugs(
            &e.source,
            &e.faq,
            "faq",
            "question",
            &question_index,
            &question_slugs,
            &mut problems,
        );
        for &qi in &qs {
            if let Some(list) = question_events.get_mut(qi) {
                list.push(ei);
            }
        }
        event_questions.push(qs);
    }
    let mut term_see_also = Vec::with_capacity(terms.len());
    for t in &terms {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        let refs = resolve_slugs(
            &t.source,
            &t.see_also,
            "see_also",
            "term",
            &term_index,
            &term_slugs,
            &mut missing,
        );
        found.extend(refs);
        warnings.extend(missing.into_iter().map(Diagnostic::warning));
        term_see_also.push(found);
    }

    // Glossary: explicit `@/glossary/` links, automatic links (each term
    // at most once per output page) and back-links.
    let term_by_rel: HashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (&*t.source.rel, i))
        .collect();
    let linked_terms = |a: &Arc<Analysis>| -> Vec<usize> {
        let mut v: Vec<usize> = a
            .links
            .iter()
            .filter_map(|l| term_by_rel.get(split_dest(&l.dest).0).copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let question_explicit: Vec<Vec<usize>> = question_analysis.iter().map(linked_terms).collect();
    let event_explicit: Vec<Vec<usize>> = event_analysis.iter().map(linked_terms).collect();
    let term_explicit: Vec<Vec<usize>> = term_analysis.iter().map(linked_terms).collect();

    let question_autolinks: Vec<Vec<usize>> = questions
        .iter()
        .zip(&question_analysis)
        .zip(&question_explicit)
        .map(|((q, a), explicit)| {
            // A question has its own page: only its hand-made links count.
            if !q.autolink {
                return Vec::new();
            }
            a.mentions
                .iter()
                .copied()
                .filter(|t| !explicit.contains(t))
                .collect()
        })
        .collect();
    // Events share the timeline page and terms the glossary page: a term is
    // linked in the first entry of the page that mentions it.
    let mut on_timeline: HashSet<usize> = event_explicit.iter().flatten().copied().collect();
    let event_autolinks: Vec<Vec<usize>> = events
        .iter()
        .zip(&event_analysis)
        .map(|(e, a)| autolinks_for(e.autolink, a, &mut on_timeline, None))
        .collect();
    let mut on_glossary: HashSet<usize> = term_explicit.iter().flatten().copied().collect();
    let term_autolinks: Vec<Vec<usize>> = terms
        .iter()
        .zip(&term_analysis)
        .enumerate()
        .map(|(i, (t, a))| autolinks_for(t.autolink, a, &mut on_glossary, Some(i)))
        .collect();

    let uses = |explicit: &[usize], a: &Arc<Analysis>| -> Vec<usize> {
        let mut v: Vec<usize> = explicit.iter().chain(&a.mentions).copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let question_terms: Vec<Vec<usize>> = question_explicit
        .iter()
        .zip(&question_analysis)
        .map(|(e, a)| uses(e, a))
        .collect();
    let mut term_mentions = vec![Vec::new(); terms.len()];
    for (qi, ts) in question_terms.iter().enumerate() {
        for &t in ts {
            if let Some(list) = term_mentions.get_mut(t) {
                list.push(DocRef::Question(qi));
            }
        }
    }
    for (ei, (explicit, a)) in event_explicit.iter().zip(&event_analysis).enumerate() {
        for t in uses(explicit, a) {
            if let Some(list) = term_mentions.get_mut(t) {
                list.push(DocRef::Event(ei));
            }
        }
    }
    for (term, mentions) in terms.iter().zip(&term_mentions) {
        if mentions.is_empty() {
            warnings.push(
                Diagnostic::error(
                    format!("the term `{}` is not used by any question or event", term.term),
                    term.source.span(0..0),
                )
                .warning()
                .with_label("unused term")
                .with_help("mention it (or one of its `aliases`) in an answer or event, or remove the file"),
            );
        }
    }
    warnings.extend(spelling_collisions(&terms));
    // Today in UTC: looking up the local time zone costs milliseconds on
    // every rebuild, and a plan is at most a day late in being flagged.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    warnings.extend(passed_plans(&events, today));

    // Tags.
    let mut tag_map: BTreeMap<String, Tag> = BTreeMap::new();
    // Few distinct tags, many uses: slugify each spelling once.
    let mut tag_slugs: HashMap<&str, String> = HashMap::new();
    for (qi, q) in questions.iter().enumerate() {
        for name in &q.tags {
            let slug = tag_slugs
                .entry(name)
                .or_insert_with(|| slug::slugify(name))
                .clone();
            let tag = tag_map.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                slug,
                questions: Vec::new(),
            });
            if tag.questions.last() != Some(&qi) {
                tag.questions.push(qi);
            }
        }
    }

    let tags: Vec<Tag> = tag_map.into_values().collect();
    // Picking related questions from shared tags is the costliest part of
    // this stage on large sites; reuse the last build's choice when no slug,
    // tag or `related` list changed.
    let related_key = hash_of(
        &questions
            .iter()
            .map(|q| {
                (
                    &q.slug,
                    &q.tags,
                    q.related.iter().map(|r| &r.slug).collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>(),
    );
    match previous.filter(|p| p.related_key == related_key) {
        Some(p) => related.clone_from(&p.related),
        None => related_from_tags(&mut related, &tags, questions.len()),
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    let term_previews: Vec<String> = terms
        .iter()
        .map(|t| markdown::first_paragraph_text(t.source.body_text()))
        .collect();
    let mut target_list: Vec<(&Arc<str>, &String, &Option<String>)> = targets
        .iter()
        .map(|(rel, t)| (rel, &t.path, &t.anchor))
        .collect();
    target_list.sort_unstable();
    let term_names: Vec<(&str, &str, Option<&str>)> = terms
        .iter()
        .map(|t| (t.slug.as_str(), t.term.as_str(), t.abbr.as_deref()))
        .collect();
    let body_fingerprint = hash_of(&(
        &base_path,
        target_list,
        term_names,
        &term_previews,
        autolink_fingerprint,
    ));
    Ok(Site {
        base_path,
        analyses,
        body_fingerprint,
        config: config.clone(),
        content: Sections {
            home: content.home.clone(),
            faq_index: content.faq_index.clone(),
            timeline_index: content.timeline_index.clone(),
            glossary_index: content.glossary_index.clone(),
        },
        questions,
        events,
        terms,
        question_analysis,
        tags,
        related,
        related_key,
        autolink_fingerprint,
        question_events,
        event_questions,
        question_terms,
        question_autolinks,
        event_autolinks,
        term_autolinks,
        autolinker,
        term_previews,
        term_mentions,
        term_see_also,
        warnings,
        targets,
    })
}
