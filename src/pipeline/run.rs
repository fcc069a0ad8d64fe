//! One run of the pipeline: each stage in its own method, called in order
//! by [`Run::go`]. Stages read their inputs and the memo, and return new
//! values; the memo is written at the end, once the run has succeeded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use super::reach::{Reach, reach};
use super::{Change, Memo, Placed, Report, Sink};
use crate::assets::Assets;
use crate::bodies::{self, Bodies};
use crate::config::Config;
use crate::content::{self, Content, Parsed};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::highlight::Highlighter;
use crate::link::{self, Index, Links, SiteFiles};
use crate::load::hash_of;
use crate::output::OutputFile;
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
}

/// Files a run sent that the next run need not send again.
#[derive(Default)]
struct Sent {
    assets: Option<u64>,
    bundle: Option<HashMap<String, (u64, Option<std::time::SystemTime>)>>,
    media: Vec<String>,
    cards: Vec<String>,
}

/// Where a run's files go, and how many went.
struct Out<'a> {
    sink: &'a dyn Sink,
    written: AtomicUsize,
}

impl Out<'_> {
    fn send(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.written.fetch_add(1, Ordering::Relaxed);
        self.sink
            .file(file)
            .map_err(|e| Diagnostic::error_in(format!("cannot write the output: {e}"), None))
    }
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
            },
            laps: Laps {
                clock: Instant::now(),
                timings: Vec::new(),
            },
            sent: Sent::default(),
        }
    }

    pub(super) fn go(&mut self, change: &Change) -> Result<Report, Diagnostics> {
        let kind = self.memo.read(&self.settings.root, self.settings, change);
        self.laps.lap("read");
        let mut warnings = self.memo.warnings();
        let (config, assets, templates) = self.inputs()?;
        warnings.extend(assets.warnings.iter().cloned());
        warnings.extend(templates.warnings.iter().cloned());
        let (index, index_key, index_reused) = self.index(&config, &assets)?;
        self.laps.lap("link: index");

        let media = SiteMedia::new(
            &self.settings.root,
            &assets.files,
            &self.memo.bundle,
            self.memo.media.take(),
        );
        let (cards, card_warnings) = crate::cards::plan(
            &self.settings.root,
            &index,
            &media,
            &mut self.memo.card_fonts,
        )
        .map_err(Diagnostics::from)?;
        warnings.extend(card_warnings);
        let chrome = Chrome::new(&index, &templates, &assets, &cards);
        let chrome_key = chrome.key();
        let old_keys = std::mem::take(&mut self.memo.pages);
        let pages = PageOut {
            chrome: &chrome,
            out: &self.out,
            keys: Mutex::new(HashMap::new()),
            old: &old_keys,
            all: chrome_key != self.memo.chrome,
            errors: Mutex::new(Vec::new()),
        };
        let bodies = self.bodies(&index, &pages, &media);
        let reach = if self.incremental {
            reach(index_reused, !pages.all, &index, &bodies, &self.memo.bodies)
        } else {
            Reach::Everything
        };
        self.laps.lap("bodies + question pages");
        let links = self
            .links(&index, &bodies, &reach)
            .inspect_err(|_| self.memo.pages = old_keys.clone())?;
        warnings.extend(links.warnings.iter().cloned());
        self.laps.lap("link: finish");
        self.pages(&index, &bodies, &links, &pages, &reach);
        let PageOut { keys, errors, .. } = pages;
        let page_keys = keys.into_inner().unwrap_or_default();
        let errors = errors.into_inner().unwrap_or_default();
        if !errors.is_empty() {
            self.memo.pages = old_keys;
            return Err(errors.into());
        }
        self.laps.lap("pages");
        let search_paths = self.search(&index, &bodies)?;
        self.laps.lap("search index");
        let statics = self.statics(&assets)?;
        let images = self.images(&media, &mut warnings)?;
        let (card_paths, card_counts) = self.cards(&cards, &media)?;
        self.laps.lap("static files and images");

        let mut warnings: Diagnostics = warnings.into();
        if self.settings.strict && !warnings.0.is_empty() {
            for d in &mut warnings.0 {
                d.severity = Severity::Error;
                d.message = format!("{} (an error because of --strict)", d.message);
            }
            self.memo.pages = old_keys;
            return Err(warnings);
        }
        let mut paths: Vec<String> = page_keys
            .keys()
            .map(|p| crate::urls::file_for(p))
            .chain(search_paths)
            .chain(statics)
            .chain(images)
            .chain(card_paths)
            .collect();
        paths.sort();
        paths.dedup();
        let documents = placed(&index);
        let image_copies = media.counts();
        if self.incremental {
            self.memo.pages = page_keys;
            self.memo.chrome = chrome_key;
            self.memo.bodies = bodies.memo(&index);
            self.memo.links = Some(links);
            self.memo.index = Some((index_key, (*index).clone()));
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
        Ok(Report {
            image_copies,
            cards: card_counts,
            change: Some(kind),
            questions: index.questions.len(),
            events: index.events.len(),
            terms: index.terms.len(),
            pages: index.pages.len(),
            written: self.out.written.load(Ordering::Relaxed),
            paths,
            warnings,
            timings: std::mem::take(&mut self.laps.timings),
            documents,
        })
    }

    /// The problems of parsing every content file, for a run that stops
    /// before the parse stage.
    fn parse_only(&self) -> Result<(), Vec<Diagnostic>> {
        let parsed = self
            .memo
            .sources
            .par_iter()
            .map(|(_, s)| content::parse_one(s));
        let problems: Vec<Diagnostic> = parsed.filter_map(Result::err).flatten().collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Parses every content file, reusing the parse of every file whose
    /// front-matter is unchanged.
    fn parse(&mut self) -> Result<Content, Diagnostics> {
        let previous = &self.memo.parsed;
        let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = self
            .memo
            .sources
            .par_iter()
            .map(|(rel, source)| match previous.get(rel) {
                Some((front, result)) if *front == source.front_hash => match result {
                    Ok(p) => Ok(p.with_source(source)),
                    Err(e) => Err(e.clone()),
                },
                _ => content::parse_one(source),
            })
            .collect();
        if self.incremental {
            self.memo.parsed = self
                .memo
                .sources
                .iter()
                .zip(&parsed)
                .map(|((rel, s), r)| (rel.clone(), (s.front_hash, r.clone())))
                .collect();
        }
        let (content, parse_problems) = content::collect(parsed, self.settings.drafts);
        let mut problems = self.memo.problems();
        problems.extend(parse_problems);
        self.laps.lap("parse");
        if problems.is_empty() {
            Ok(content)
        } else {
            Err(problems.into())
        }
    }

    /// The settings, static files and templates, which the read stage
    /// loaded; any problem of reading the site's files stops the run here.
    fn inputs(&self) -> Result<(Config, Arc<Assets>, Arc<Templates>), Diagnostics> {
        let problems = self.memo.problems();
        match (
            self.memo.config(),
            self.memo.assets(),
            self.memo.templates(),
        ) {
            (Some(c), Some(a), Some(t)) if problems.is_empty() => Ok((c, a, t)),
            _ => {
                // Report the content's parse problems too, all together.
                let mut all = problems;
                if let Err(parse) = self.parse_only() {
                    all.extend(parse);
                }
                Err(all.into())
            }
        }
    }

    /// Parse and pass 1 of the link stage, both skipped when no
    /// front-matter, setting, file name or date changed (the last index is
    /// taken with the new texts); returns the index, its key and whether it
    /// was reused.
    fn index(
        &mut self,
        config: &Config,
        assets: &Assets,
    ) -> Result<(Arc<Index>, u64, bool), Diagnostics> {
        let files = SiteFiles {
            bundle: self
                .memo
                .bundle
                .iter()
                .map(|(_, rel)| rel.clone())
                .collect(),
            statics: assets.files.iter().map(|f| f.path.clone()).collect(),
        };
        let mut names: Vec<&String> = files.bundle.iter().chain(&files.statics).collect();
        names.sort();
        let key = hash_of(&(
            config,
            self.settings.today,
            self.memo
                .sources
                .values()
                .map(|s| s.front_hash)
                .collect::<Vec<_>>(),
            names,
            self.settings.drafts,
        ));
        if let Some((k, index)) = self.memo.index.take()
            && k == key
        {
            return Ok((Arc::new(index.with_sources(&self.memo.sources)), key, true));
        }
        let content = self.parse()?;
        let index = link::index(config, &content, self.settings.today, &files)
            .map_err(Diagnostics::from)?;
        let index = crate::typography::typeset(index);
        Ok((Arc::new(index), key, false))
    }

    /// The one parse of every body. A build writes each question's page as
    /// soon as its body is rendered; `dossier serve` decides first how far
    /// the change reaches (see [`Run::pages`]).
    fn bodies(&self, index: &Index, pages: &PageOut<'_>, media: &SiteMedia) -> Bodies {
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
                memo: self.incremental.then_some(&self.memo.bodies),
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
    fn links(&self, index: &Index, bodies: &Bodies, reach: &Reach) -> Result<Links, Diagnostics> {
        let analyses = bodies.analyses();
        match (reach, &self.memo.links) {
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
                let lists = Lists::new(index, bodies, links);
                pages::all(&lists)
                    .par_iter()
                    .for_each(|p| pages.emit(p.as_ref()));
            }
        }
    }

    /// The search index: every file in a build; in `dossier serve`, the
    /// files the changed documents touch. Returns every index file's path.
    fn search(&mut self, index: &Index, bodies: &Bodies) -> Result<Vec<String>, Diagnostics> {
        let previous = if self.incremental {
            self.memo.search.take()
        } else {
            None
        };
        let (files, state) = crate::search::build(index, bodies, &self.memo.interner, previous);
        for (_, file) in files {
            self.out.send(file).map_err(one)?;
        }
        let paths = state.paths().cloned().collect();
        if self.incremental {
            self.memo.search = Some(state);
        }
        Ok(paths)
    }

    /// Static files and the files of page bundles, sent when they changed.
    /// Returns their paths.
    fn statics(&mut self, assets: &Assets) -> Result<Vec<String>, Diagnostics> {
        let key = assets.key_with_bytes();
        if key != self.memo.assets_sent {
            for file in &assets.files {
                self.out.send(file.clone()).map_err(one)?;
            }
        }
        let mut sent = HashMap::new();
        for (from, rel) in &self.memo.bundle {
            let stamp = std::fs::metadata(from)
                .map(|m| (m.len(), m.modified().ok()))
                .unwrap_or((0, None));
            sent.insert(rel.clone(), stamp);
            if self.memo.bundle_sent.get(rel) != Some(&stamp) {
                let bytes = std::fs::read(from).map_err(|e| {
                    one(Diagnostic::error_in(
                        format!("cannot read this file: {e}"),
                        Some(std::path::Path::new("content").join(rel).into()),
                    ))
                })?;
                self.out
                    .send(OutputFile {
                        path: rel.clone(),
                        bytes,
                    })
                    .map_err(one)?;
            }
        }
        let paths = assets
            .files
            .iter()
            .map(|f| f.path.clone())
            .chain(self.memo.bundle.iter().map(|(_, rel)| rel.clone()))
            .collect();
        if self.incremental {
            self.sent.assets = Some(key);
            self.sent.bundle = Some(sent);
        }
        Ok(paths)
    }
}

impl Run<'_> {
    /// The narrower copies of the images pages show, sent unless sent
    /// before (`dossier serve`); returns their paths.
    fn images(
        &mut self,
        media: &SiteMedia,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Vec<String>, Diagnostics> {
        let (files, problems) = media.outputs();
        warnings.extend(problems);
        let mut paths = Vec::with_capacity(files.len());
        for file in files {
            paths.push(file.path.clone());
            if !self.memo.media_sent.contains(&file.path) {
                if self.incremental {
                    self.sent.media.push(file.path.clone());
                }
                self.out.send(file).map_err(one)?;
            }
        }
        Ok(paths)
    }

    /// The share cards, drawn unless sent before (`dossier serve`);
    /// returns their paths and how many were cached and drawn.
    fn cards(
        &mut self,
        cards: &crate::cards::Cards,
        media: &SiteMedia,
    ) -> Result<(Vec<String>, (usize, usize)), Diagnostics> {
        let drawn = cards
            .draw(media.cache(), &self.memo.cards_sent)
            .map_err(one)?;
        for file in drawn.files {
            if self.incremental {
                self.sent.cards.push(file.path.clone());
            }
            self.out.send(file).map_err(one)?;
        }
        Ok((drawn.paths, (drawn.cached, drawn.drawn)))
    }
}

/// Where a run's documents appear (see [`Report::documents`]).
fn placed(index: &Index) -> Vec<Placed> {
    use crate::urls::{file_for, paths};
    let at = |page: &str, prefix: String, source: &crate::load::Source| Placed {
        page: file_for(page),
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
