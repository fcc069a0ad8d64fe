//! Keys of what each page shows, for `dossier serve`: a page is rendered
//! again only when its key, or the site key, changes. Keys hash the page's
//! inputs (titles, slugs, dates, the keys of rendered bodies); they never
//! serialise the page.

use crate::content::{Item, Page};
use crate::load::hash_of;

use super::{PageKind, Pages};

impl Pages<'_> {
    /// A key of everything in the shared `site` value, which every page
    /// sees: settings and counts. When it changes, every page is rendered
    /// again. Lists of questions and tags are page data, so that editing a
    /// title re-renders only the pages that show it.
    pub(crate) fn site_key(&self) -> u64 {
        let s = self.site;
        hash_of(&(
            &s.config,
            &s.base_path,
            s.questions.len(),
            s.events.len(),
            s.terms.len(),
        ))
    }

    /// What a question contributes to the pages that list it, hashed.
    fn listing(&self, i: usize) -> u64 {
        self.listings.get(i).copied().unwrap_or_default()
    }

    /// The listing of every question, in order.
    fn all_listings(&self) -> u64 {
        hash_of(&self.listings)
    }

    /// A key of what this page shows beyond the site key.
    pub(crate) fn key(&self, page: PageKind) -> u64 {
        let s = self.site;
        let b = self.bodies;
        let section = |p: &Option<Item<Page>>, body: &(u64, std::sync::Arc<str>)| {
            p.as_ref()
                .map(|p| hash_of(&(&p.title, &p.description, &p.key_figures, body.0)))
        };
        match page {
            PageKind::Home => hash_of(&(
                section(&s.content.home, &b.sections[0]),
                section(&s.content.faq_index, &b.sections[1]),
                self.all_listings(),
            )),
            PageKind::Question(i) => {
                let Some(q) = s.questions.get(i) else {
                    return 0;
                };
                let related: Vec<_> = s
                    .related
                    .get(i)
                    .into_iter()
                    .flatten()
                    .filter_map(|&r| s.questions.get(r))
                    .map(|r| (&r.slug, &r.title))
                    .collect();
                let events: Vec<_> = s
                    .question_events
                    .get(i)
                    .into_iter()
                    .flatten()
                    .filter_map(|&e| s.events.get(e))
                    .map(|e| (&e.slug, &e.title, e.date, e.status))
                    .collect();
                let terms: Vec<_> = s
                    .question_terms
                    .get(i)
                    .into_iter()
                    .flatten()
                    .filter_map(|&t| s.terms.get(t))
                    .map(|t| (&t.slug, &t.term))
                    .collect();
                hash_of(&(
                    &q.slug,
                    &q.title,
                    self.short_answers.get(i),
                    q.date,
                    q.updated,
                    &q.tags,
                    &q.sources,
                    related,
                    events,
                    terms,
                    b.questions.get(i).map(|b| b.0),
                ))
            }
            PageKind::Timeline => {
                let events: Vec<_> = s
                    .events
                    .iter()
                    .zip(&b.events)
                    .zip(&s.event_questions)
                    .map(|((e, body), qs)| {
                        let questions: Vec<_> = qs
                            .iter()
                            .filter_map(|&q| s.questions.get(q))
                            .map(|q| (&q.slug, &q.title))
                            .collect();
                        (
                            &e.slug, &e.title, e.date, e.end, e.status, &e.sources, body.0,
                            questions,
                        )
                    })
                    .collect();
                hash_of(&(section(&s.content.timeline_index, &b.sections[2]), events))
            }
            PageKind::Glossary => {
                let terms: Vec<_> = s
                    .terms
                    .iter()
                    .zip(&b.terms)
                    .zip(s.term_see_also.iter().zip(&s.term_mentions))
                    .map(|((t, body), (see, mentions))| {
                        (&t.slug, &t.term, &t.aliases, &t.abbr, body.0, see, mentions)
                    })
                    .collect();
                // "Mentioned in" shows question and event titles.
                let events: Vec<_> = s.events.iter().map(|e| (&e.slug, &e.title)).collect();
                let questions: Vec<_> = s.questions.iter().map(|q| (&q.slug, &q.title)).collect();
                hash_of(&(
                    section(&s.content.glossary_index, &b.sections[3]),
                    terms,
                    events,
                    questions,
                ))
            }
            PageKind::Tag(i) => {
                let Some(t) = s.tags.get(i) else { return 0 };
                let listings: Vec<_> = t.questions.iter().map(|&q| self.listing(q)).collect();
                hash_of(&(&t.slug, &t.name, listings))
            }
            PageKind::Tags => hash_of(
                &s.tags
                    .iter()
                    .map(|t| (&t.slug, &t.name, t.questions.len()))
                    .collect::<Vec<_>>(),
            ),
            PageKind::Sitemap | PageKind::Atom => hash_of(&(
                self.all_listings(),
                s.tags.iter().map(|t| &t.slug).collect::<Vec<_>>(),
            )),
            PageKind::Print => {
                let body = |b: &(u64, std::sync::Arc<str>)| b.0;
                hash_of(&(
                    self.all_listings(),
                    b.questions.iter().map(body).collect::<Vec<_>>(),
                    b.events.iter().map(body).collect::<Vec<_>>(),
                    b.terms.iter().map(body).collect::<Vec<_>>(),
                    s.events
                        .iter()
                        .map(|e| (&e.slug, &e.title, e.date, e.status))
                        .collect::<Vec<_>>(),
                    s.terms
                        .iter()
                        .map(|t| (&t.slug, &t.term, &t.abbr))
                        .collect::<Vec<_>>(),
                ))
            }
            // These show only what the site key covers.
            PageKind::NotFound | PageKind::Robots => 0,
        }
    }
}
