//! One run of the pipeline: each stage in its own method, called in order
//! by [`Run::go`]. Stages read their inputs and the memo, and return new
//! values; the memo is written at the end, once the run has succeeded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use super::memo::{LangMemo, ParseResult};
use super::reach::{Reach, reach};
use super::{Change, Memo, Placed, Report, Sink};
use crate::assets::Assets;
use crate::bodies::{self, Bodies};
use crate::config::Config;
use crate::content::{self, Content, Coverage, Parsed};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::highlight::Highlighter;
use crate::link::{self, Index, Links, SiteFiles};
use crate::load::hash_of;
use crate::output::OutputFile;
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

/// The warnings of a translation: files it lacks and files older than
/// their original.
fn coverage_warnings(index: &Index, coverage: Coverage) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let name = index.config.language_label();
    let code = &index.config.code;
    if !coverage.missing.is_empty() {
        let files: Vec<String> = coverage
            .missing
            .iter()
            .map(|s| s.path.display().to_string())
            .collect();
        warnings.push(
            Diagnostic::error_in(
                format!(
                    "{} file(s) have no {name} translation, and have no page in {name}: {}",
                    files.len(),
                    files.join(", ")
                ),
                None,
            )
            .warning()
            .with_help(format!(
                "add a translation beside each file (content/faq/x.md → content/faq/x.{code}.md); links from {name} pages to these files lead to the original"
            )),
        );
    }
    for (translation, original) in coverage.stale {
        warnings.push(
            Diagnostic::error_in(
                format!(
                    "this translation may be out of date: {} was reviewed or changed after it",
                    original.path.display()
                ),
                Some(translation.path.clone()),
            )
            .warning()
            .with_help(
                "bring the translation up to date and set its `updated` to the day you checked it",
            ),
        );
    }
    warnings
}

/// A translation whose language site.toml does not list.
fn unknown_language(t: &crate::content::Translation, config: &Config) -> Diagnostic {
    let known: Vec<String> = config.languages.keys().map(|k| format!("`{k}`")).collect();
    Diagnostic::error_in(
        format!(
            "this file is a translation into `{}`, but site.toml has no [languages.{}]",
            t.lang, t.lang
        ),
        Some(t.source.path.clone()),
    )
    .with_help(if known.is_empty() {
        format!("add a [languages.{}] table with its `title` to site.toml, or rename the file if `.{}` is not a language", t.lang, t.lang)
    } else {
        format!(
            "the configured languages are {}; add a [languages.{}] table, or rename the file",
            known.join(", "),
            t.lang
        )
    })
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
    /// The URL folder of the language being built (`zh/`), put before
    /// the path of each of its files.
    prefix: String,
}

impl Out<'_> {
    /// Sends a file of the language being built.
    fn send(&self, mut file: OutputFile) -> Result<(), Diagnostic> {
        if !self.prefix.is_empty() {
            file.path = format!("{}{}", self.prefix, file.path);
        }
        self.send_shared(file)
    }

    /// Sends a file every language shares (static files, images).
    fn send_shared(&self, file: OutputFile) -> Result<(), Diagnostic> {
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

    /// The index of every language, the default one first; the other
    /// languages' link to the originals of the files they have no
    /// translation of. Every language's errors are returned together.
    fn languages(
        &mut self,
        config: &Config,
        assets: &Assets,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Vec<Lang>, Diagnostics> {
        let mut langs: Vec<Lang> = Vec::new();
        let mut problems = Vec::new();
        for code in config.language_codes() {
            let Some(lconfig) = config.for_language(&code) else {
                continue;
            };
            let fallback = langs.first().map(|l| (l.index.clone(), l.key));
            match self.index(&lconfig, assets, fallback) {
                Ok((index, key, reused, more)) => {
                    warnings.extend(more);
                    langs.push(Lang {
                        code,
                        index,
                        key,
                        reused,
                    });
                }
                // Without the default language there is nothing to link
                // translations to.
                Err(d) if langs.is_empty() => return Err(d),
                Err(d) => problems.extend(d.0),
            }
        }
        if problems.is_empty() {
            Ok(langs)
        } else {
            Err(problems.into())
        }
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

    /// Parses every content file once per run, reusing the parse of every
    /// file whose front-matter is unchanged.
    fn parse(&mut self) -> Result<Arc<Vec<ParseResult>>, Diagnostics> {
        if let Some(parsed) = &self.parsed {
            return Ok(parsed.clone());
        }
        let previous = &self.memo.parsed;
        let parsed: Vec<ParseResult> = self
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
        self.laps.lap("parse");
        let parsed = Arc::new(parsed);
        self.parsed = Some(parsed.clone());
        Ok(parsed)
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

    /// Parse and pass 1 of the link stage for one language, both skipped
    /// when no front-matter, setting, file name or date changed (the last
    /// index is taken with the new texts); returns the index, its key,
    /// whether it was reused, and the language's warnings (translations
    /// missing or older than their original).
    fn index(
        &mut self,
        config: &Config,
        assets: &Assets,
        fallback: Option<(Arc<Index>, u64)>,
    ) -> Result<(Arc<Index>, u64, bool, Vec<Diagnostic>), Diagnostics> {
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
            fallback.as_ref().map(|f| f.1),
        ));
        let (fallback, _) = fallback.unzip();
        let memo = self.memo.langs.entry(config.code.clone()).or_default();
        if let Some((k, index)) = memo.index.take()
            && k == key
        {
            let index = index
                .with_sources(&self.memo.sources)
                .with_fallback(fallback);
            let warnings = coverage_warnings(&index, self.coverage(config, &index));
            return Ok((Arc::new(index), key, true, warnings));
        }
        let (content, coverage) = self.content(config)?;
        let index = link::index(config, &content, self.settings.today, &files)
            .map_err(Diagnostics::from)?
            .with_fallback(fallback);
        let warnings = coverage_warnings(&index, coverage);
        Ok((Arc::new(index), key, false, warnings))
    }

    /// The translations of language `config` missing or older than their
    /// original, for a reused index (whose content was not collected).
    fn coverage(&mut self, config: &Config, index: &Index) -> Coverage {
        if index.fallback.is_none() {
            return Coverage::default();
        }
        match self.content(config) {
            Ok((_, coverage)) => coverage,
            Err(_) => Coverage::default(),
        }
    }

    /// The content of one language: every original for the default
    /// language, every translation (merged with its original) for another.
    fn content(&mut self, config: &Config) -> Result<(Content, Coverage), Diagnostics> {
        let parsed = self.parse()?;
        let lang = (!config.prefix.is_empty()).then_some(config.code.as_str());
        let modified = |s: &crate::load::Source| {
            std::fs::metadata(self.settings.root.join(&*s.path))
                .and_then(|m| m.modified())
                .ok()
        };
        let (content, mut problems, coverage) =
            content::collect_language(&parsed, lang, self.settings.drafts, &modified);
        if lang.is_none() {
            problems.extend(self.memo.problems());
            for p in parsed.iter().flatten() {
                if let Parsed::Translation(t) = p
                    && !config.languages.contains_key(&t.lang)
                {
                    problems.push(unknown_language(t, config));
                }
            }
        }
        if problems.is_empty() {
            Ok((content, coverage))
        } else {
            Err(problems.into())
        }
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

    /// Static files and the files of page bundles, sent when they changed.
    /// Returns their paths.
    fn statics(&mut self, assets: &Assets) -> Result<Vec<String>, Diagnostics> {
        let key = assets.key_with_bytes();
        if key != self.memo.assets_sent {
            for file in &assets.files {
                self.out.send_shared(file.clone()).map_err(one)?;
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
                    .send_shared(OutputFile {
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
                self.out.send_shared(file).map_err(one)?;
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
