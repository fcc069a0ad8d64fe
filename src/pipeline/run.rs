//! One run of the pipeline: each stage in its own method, called in order
//! by [`Run::go`]. Stages read their inputs and the memo, and return new
//! values; the memo is written at the end, once the run has succeeded.
//!
//! The front-matter stages (inputs, parse, pass 1 of the link stage per
//! language) are in `run/languages.rs`; the files that are not pages
//! (static files, images, cards) and where every file goes, in
//! `run/outputs.rs`. This file keeps the order of the stages and the
//! stages that read the bodies.

mod languages;
mod outputs;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use outputs::{Out, Sent};

use super::memo::{LangMemo, ParseResult};
use super::reach::{Reach, reach};
use super::{Change, Memo, Placed, Report, Sink};
use crate::assets::Assets;
use crate::bodies::{self, Bodies};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::highlight::Highlighter;
use crate::link::{self, Index, Links};
use crate::pages::languages::Alternates;
use crate::pages::{self, AnyPage, Chrome, Lists};
use crate::pictures::SiteMedia;
use crate::settings::Settings;
use crate::templates::Templates;

/// One run of the pipeline.
pub(super) struct Run<'a> {
    settings: &'a Settings,
    highlighter: &'a Highlighter,
    memo: &'a mut Memo,
    incremental: bool,
    out: Out<'a>,
    laps: Laps,
    /// What this run sent, kept in the memo only when the run succeeds
    /// (the files of a failed run are thrown away).
    sent: Sent,
    /// The parse of every content file, once per run.
    parsed: Option<Arc<Vec<ParseResult>>>,
}

/// One language of a run: its index, the key of its inputs, and whether
/// the index is the last run's.
pub(super) struct Lang {
    pub(super) code: String,
    pub(super) index: Arc<Index>,
    key: u64,
    reused: bool,
}

/// What one language's part of a run made.
struct Built {
    bodies: Bodies,
    links: Links,
    page_keys: HashMap<String, u64>,
    chrome_key: u64,
    search: Option<crate::search::SearchState>,
    /// The output paths of its files.
    paths: Vec<String>,
    warnings: Vec<Diagnostic>,
    cards: (usize, usize),
}

/// The time each stage took.
struct Laps {
    clock: Instant,
    timings: Vec<(&'static str, f64)>,
}

impl Laps {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings
            .push((stage, (now - self.clock).as_secs_f64() * 1000.0));
        self.clock = now;
    }
}

/// Pages rendered in a run: their keys, the last run's, the errors.
struct PageOut<'a> {
    chrome: &'a Chrome<'a>,
    out: &'a Out<'a>,
    /// Every page's key (the last run's for pages not built this time).
    keys: Mutex<HashMap<String, u64>>,
    old: &'a HashMap<String, u64>,
    /// Render every page, whatever its key (the chrome changed).
    all: bool,
    errors: Mutex<Vec<Diagnostic>>,
}

impl PageOut<'_> {
    /// Renders a page unless its key is the last run's.
    fn emit(&self, page: &dyn AnyPage) {
        let key = page.key();
        if let Ok(mut k) = self.keys.lock() {
            k.insert(page.path().to_string(), key);
        }
        if !self.all && self.old.get(page.path()) == Some(&key) {
            return;
        }
        if let Err(d) = page.render(self.chrome).and_then(|f| self.out.send(f))
            && let Ok(mut e) = self.errors.lock()
            && !e.iter().any(|x| x.message == d.message)
        {
            e.push(d);
        }
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics::from(vec![d])
}

impl<'a> Run<'a> {
    pub(super) fn new(
        settings: &'a Settings,
        highlighter: &'a Highlighter,
        memo: &'a mut Memo,
        incremental: bool,
        sink: &'a dyn Sink,
    ) -> Run<'a> {
        Run {
            settings,
            highlighter,
            memo,
            incremental,
            out: Out {
                sink,
                written: AtomicUsize::new(0),
                prefix: String::new(),
            },
            laps: Laps {
                clock: Instant::now(),
                timings: Vec::new(),
            },
            sent: Sent::default(),
            parsed: None,
        }
    }

    pub(super) fn go(&mut self, change: &Change) -> Result<Report, Diagnostics> {
        let kind = self.memo.read(&self.settings.root, self.settings, change);
        self.laps.lap("read");
        let mut warnings = self.memo.warnings();
        let (config, assets, templates) = self.inputs()?;
        warnings.extend(assets.warnings.iter().cloned());
        warnings.extend(templates.warnings.iter().cloned());
        let langs = self.languages(&config, &assets, &mut warnings)?;
        self.laps.lap("link: index");

        let media = SiteMedia::new(
            &self.settings.root,
            &assets.files,
            &self.memo.bundle,
            self.memo.media.take(),
        );
        let alternates = Alternates::new(langs.iter().map(|l| l.index.as_ref()));
        let mut built = Vec::with_capacity(langs.len());
        let mut card_counts = (0, 0);
        for lang in &langs {
            let one = self.language(lang, &templates, &assets, &media, &alternates)?;
            warnings.extend(one.warnings.iter().cloned());
            card_counts.0 += one.cards.0;
            card_counts.1 += one.cards.1;
            built.push(one);
        }
        let statics = self.statics(&assets)?;
        let images = self.images(&media, &mut warnings)?;
        self.laps.lap("static files and images");

        let mut warnings: Diagnostics = warnings.into();
        if self.settings.strict && !warnings.0.is_empty() {
            for d in &mut warnings.0 {
                d.severity = Severity::Error;
                d.message = format!("{} (an error because of --strict)", d.message);
            }
            return Err(warnings);
        }
        let mut paths: Vec<String> = built
            .iter()
            .flat_map(|b| b.paths.iter().cloned())
            .chain(statics)
            .chain(images)
            .collect();
        paths.sort();
        paths.dedup();
        let documents = langs.iter().flat_map(|l| placed(&l.index)).collect();
        let image_copies = media.counts();
        let default = &langs[0].index;
        let report = Report {
            image_copies,
            cards: card_counts,
            change: Some(kind),
            questions: default.questions.len(),
            events: default.events.len(),
            terms: default.terms.len(),
            pages: default.pages.len(),
            languages: langs.len(),
            written: self.out.written.load(Ordering::Relaxed),
            paths,
            warnings,
            timings: std::mem::take(&mut self.laps.timings),
            documents,
        };
        if self.incremental {
            for (lang, b) in langs.into_iter().zip(built) {
                self.memo.langs.insert(
                    lang.code.clone(),
                    LangMemo {
                        index: Some((lang.key, (*lang.index).clone())),
                        bodies: b.bodies.memo(&lang.index),
                        pages: b.page_keys,
                        chrome: b.chrome_key,
                        search: b.search,
                        links: Some(b.links),
                    },
                );
            }
            self.memo.media = Some(media);
            let sent = std::mem::take(&mut self.sent);
            if let Some(key) = sent.assets {
                self.memo.assets_sent = key;
            }
            if let Some(bundle) = sent.bundle {
                self.memo.bundle_sent = bundle;
            }
            self.memo.media_sent.extend(sent.media);
            self.memo.cards_sent.extend(sent.cards);
        }
        Ok(report)
    }

    /// One language's pages, search index and share cards.
    #[allow(clippy::too_many_arguments)]
    fn language(
        &mut self,
        lang: &Lang,
        templates: &Templates,
        assets: &Assets,
        media: &SiteMedia,
        alternates: &Alternates,
    ) -> Result<Built, Diagnostics> {
        let mut memo = self.memo.langs.remove(&lang.code).unwrap_or_default();
        let result = self.language_with(lang, &mut memo, templates, assets, media, alternates);
        if result.is_err() || !self.incremental {
            self.memo.langs.insert(lang.code.clone(), memo);
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn language_with(
        &mut self,
        lang: &Lang,
        memo: &mut LangMemo,
        templates: &Templates,
        assets: &Assets,
        media: &SiteMedia,
        alternates: &Alternates,
    ) -> Result<Built, Diagnostics> {
        let index = &lang.index;
        self.out.prefix = index.urls.prefix().to_string();
        let (cards, mut warnings) =
            crate::cards::plan(&self.settings.root, index, media, &mut self.memo.card_fonts)
                .map_err(Diagnostics::from)?;
        let chrome = Chrome::new(index, templates, assets, &cards, alternates);
        let chrome_key = chrome.key();
        let pages = PageOut {
            chrome: &chrome,
            out: &self.out,
            keys: Mutex::new(HashMap::new()),
            old: &memo.pages,
            all: chrome_key != memo.chrome,
            errors: Mutex::new(Vec::new()),
        };
        let bodies = self.bodies(index, &pages, media, memo);
        let reach = if self.incremental {
            reach(lang.reused, !pages.all, index, &bodies, &memo.bodies)
        } else {
            Reach::Everything
        };
        self.laps.lap("bodies + question pages");
        let links = self.links(index, &bodies, &reach, memo)?;
        warnings.extend(links.warnings.iter().cloned());
        self.laps.lap("link: finish");
        self.pages(index, &bodies, &links, &pages, &reach);
        let PageOut { keys, errors, .. } = pages;
        let page_keys = keys.into_inner().unwrap_or_default();
        let errors = errors.into_inner().unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.laps.lap("pages");
        let (search_paths, search) = self.search(index, &bodies, memo)?;
        self.laps.lap("search index");
        let (card_paths, cards) = self.cards(&cards, media)?;
        let prefix = index.urls.prefix();
        let paths = page_keys
            .keys()
            .map(|p| crate::urls::file_for(&format!("{prefix}{p}")))
            .chain(
                search_paths
                    .into_iter()
                    .chain(card_paths)
                    .map(|p| format!("{prefix}{p}")),
            )
            .collect();
        Ok(Built {
            bodies,
            links,
            page_keys,
            chrome_key,
            search,
            paths,
            warnings,
            cards,
        })
    }

    /// The one parse of every body. A build writes each question's page as
    /// soon as its body is rendered; `dossier serve` decides first how far
    /// the change reaches (see [`Run::pages`]).
    fn bodies(
        &self,
        index: &Index,
        pages: &PageOut<'_>,
        media: &SiteMedia,
        memo: &LangMemo,
    ) -> Bodies {
        let stream = !self.incremental;
        let on_question = |i: usize, body: &Arc<bodies::Body>| {
            if stream {
                pages.emit(&pages::question::page(
                    index,
                    i,
                    body,
                    index.terms_used(&body.analysis),
                ));
            }
        };
        bodies::render_all(
            index,
            &bodies::Options {
                highlighter: self.highlighter,
                memo: self.incremental.then_some(&memo.bodies),
                keep_question_html: self.incremental,
                interner: &self.memo.interner,
                media,
            },
            &on_question,
        )
    }

    /// Pass 2 of the link stage; when only some questions' bodies changed
    /// and nothing others read (see `reach.rs`), only their references are
    /// checked and the last back-links kept.
    fn links(
        &self,
        index: &Index,
        bodies: &Bodies,
        reach: &Reach,
        memo: &LangMemo,
    ) -> Result<Links, Diagnostics> {
        let analyses = bodies.analyses();
        match (reach, &memo.links) {
            (Reach::OwnPages(changed), Some(previous)) => {
                link::check_questions(index, &analyses, changed).map_err(Diagnostics::from)?;
                Ok(previous.clone())
            }
            _ => link::finish(index, &analyses).map_err(Diagnostics::from),
        }
    }

    /// Every page but, in a build, the questions' (written with their
    /// bodies). With a reach of some questions' pages only, just those are
    /// built, and every other page keeps its last key.
    fn pages(
        &self,
        index: &Index,
        bodies: &Bodies,
        links: &Links,
        pages: &PageOut<'_>,
        reach: &Reach,
    ) {
        let question = |i: usize| {
            if let Some(body) = bodies.questions.get(i) {
                let terms = links.question_terms.get(i).cloned().unwrap_or_default();
                pages.emit(&pages::question::page(index, i, body, terms));
            }
        };
        match reach {
            Reach::OwnPages(changed) => {
                if let Ok(mut keys) = pages.keys.lock() {
                    keys.clone_from(pages.old);
                }
                changed.par_iter().for_each(|&i| question(i));
            }
            Reach::Everything => {
                if self.incremental {
                    (0..index.questions.len())
                        .into_par_iter()
                        .for_each(question);
                }
                let lists = Lists::new(index, bodies, links, pages.chrome.alternates);
                pages::all(&lists)
                    .par_iter()
                    .for_each(|p| pages.emit(p.as_ref()));
            }
        }
    }

    /// The search index: every file in a build; in `dossier serve`, the
    /// files the changed documents touch. Returns every index file's path
    /// and the index to keep.
    fn search(
        &mut self,
        index: &Index,
        bodies: &Bodies,
        memo: &mut LangMemo,
    ) -> Result<(Vec<String>, Option<crate::search::SearchState>), Diagnostics> {
        let previous = if self.incremental {
            memo.search.take()
        } else {
            None
        };
        let (files, state) = crate::search::build(index, bodies, &self.memo.interner, previous);
        for (_, file) in files {
            self.out.send(file).map_err(one)?;
        }
        let paths = state.paths().cloned().collect();
        Ok((paths, self.incremental.then_some(state)))
    }
}

/// Where a run's documents appear (see [`Report::documents`]).
fn placed(index: &Index) -> Vec<Placed> {
    use crate::urls::{file_for, paths};
    // The output file, under the language's folder (`zh/faq/x/index.html`).
    let at = |page: &str, prefix: String, source: &crate::load::Source| Placed {
        page: file_for(&index.urls.output_path(page)),
        prefix,
        source: source.clone(),
    };
    let mut all: Vec<Placed> = Vec::new();
    all.extend(
        index
            .questions
            .iter()
            .map(|q| at(&q.path, String::new(), &q.item.source)),
    );
    all.extend(
        index
            .pages
            .iter()
            .map(|p| at(&p.path, String::new(), &p.item.source)),
    );
    all.extend(
        index
            .events
            .iter()
            .map(|e| at(paths::TIMELINE, format!("{}.", e.item.slug), &e.item.source)),
    );
    all.extend(
        index
            .terms
            .iter()
            .map(|t| at(paths::GLOSSARY, format!("{}.", t.item.slug), &t.item.source)),
    );
    all
}
