//! The one pipeline: `dossier build`, `check` and `serve` all run
//! [`Build::run`], which owns the order of the stages and what is kept
//! between runs. The stages themselves are pure: each takes its inputs by
//! reference and returns a new value, "today" included.
//!
//! ```text
//! settings ─ config ─┐
//! static ── assets ──┼─ templates
//! content ─ load ─ parse ─ link::index ─ bodies ─ link::finish ─ pages ─ search
//!                                          └ question pages, as each body is ready
//! ```
//!
//! Memoisation wraps the stages and is keyed by content hashes: a parse by
//! its file's front-matter, an index by every front-matter, a body by its
//! text and what it links to, a page by the hash of its view. `dossier
//! serve` keeps a [`Memo`] between runs; a build has none and streams each
//! page to the output as soon as it is rendered.

mod change;
mod memo;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

pub use change::{Change, ChangeKind, relevant};
pub use memo::Memo;

use crate::bodies;
use crate::content::{self, Parsed};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::highlight::Highlighter;
use crate::link::{self, Links, SiteFiles};
use crate::load::hash_of;
use crate::output::OutputFile;
use crate::pages::{self, AnyPage, Chrome, Lists};
use crate::settings::Settings;

/// Where a run's files go: a staging folder (build), memory (check,
/// serve).
pub trait Sink: Sync {
    /// Takes one output file.
    fn file(&self, file: OutputFile) -> Result<(), String>;
}

/// A sink that keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files received, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn file(&self, file: OutputFile) -> Result<(), String> {
        self.0.lock().map_err(|e| e.to_string())?.push(file);
        Ok(())
    }
}

impl Sink for crate::write::Staging {
    fn file(&self, file: OutputFile) -> Result<(), String> {
        self.write_or_remember(&file.path, &file.bytes)
    }
}

/// What one run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What kind of change the run handled.
    pub change: Option<ChangeKind>,
    /// Counts of the site's documents.
    pub questions: usize,
    /// Events on the timeline.
    pub events: usize,
    /// Terms in the glossary.
    pub terms: usize,
    /// Standalone pages.
    pub pages: usize,
    /// Files handed to the sink this run.
    pub written: usize,
    /// Every output path the site has now, sorted.
    pub paths: Vec<String>,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Milliseconds per stage, in order.
    pub timings: Vec<(&'static str, f64)>,
    /// Where each document appears: the output file of its page, the
    /// prefix of its ids there, and its source file, so that a problem
    /// found in the output can be traced to the file that caused it.
    pub documents: Vec<Placed>,
}

/// A document on the page that shows it.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Output file of the page (`timeline/index.html`).
    pub page: String,
    /// Prefix of the document's ids on that page (`slug.`, or empty).
    pub prefix: String,
    /// The source file.
    pub source: crate::load::Source,
}

/// Where a run's documents appear (see [`Report::documents`]).
fn placed(index: &crate::link::Index) -> Vec<Placed> {
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

/// A build of one site, run once (`build`, `check`) or again after every
/// change (`serve`).
pub struct Build {
    settings: Settings,
    highlighter: Highlighter,
    memo: Memo,
    /// Keep stage results between runs.
    incremental: bool,
}

impl Build {
    /// A pipeline for one run: nothing is kept, and each question's HTML is
    /// dropped as soon as its page is written.
    pub fn once(settings: Settings) -> Build {
        Build {
            settings,
            highlighter: Highlighter::new(),
            memo: Memo::default(),
            incremental: false,
        }
    }

    /// A pipeline run again and again (`dossier serve`): stage results are
    /// kept and reused while their inputs are unchanged, and only files
    /// whose content changed reach the sink.
    pub fn incremental(settings: Settings) -> Build {
        Build {
            incremental: true,
            ..Build::once(settings)
        }
    }

    /// The settings this pipeline runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Runs the pipeline for `change`, handing the files that changed (all
    /// of them on a first run) to `sink`. Every problem found is returned
    /// together, sorted by file and line.
    pub fn run(&mut self, change: &Change, sink: &dyn Sink) -> Result<Report, Diagnostics> {
        let mut run = Run {
            settings: &self.settings,
            highlighter: &self.highlighter,
            memo: &mut self.memo,
            incremental: self.incremental,
            out: Out {
                sink,
                written: AtomicUsize::new(0),
            },
            laps: Laps {
                clock: Instant::now(),
                timings: Vec::new(),
            },
        };
        let result = run.go(change);
        if !self.incremental {
            self.memo = Memo::default();
        }
        result
    }
}

/// One run of the pipeline.
struct Run<'a> {
    settings: &'a Settings,
    highlighter: &'a Highlighter,
    memo: &'a mut Memo,
    incremental: bool,
    out: Out<'a>,
    laps: Laps,
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

impl Run<'_> {
    fn go(&mut self, change: &Change) -> Result<Report, Diagnostics> {
        let root = self.settings.root.clone();
        let kind = self.memo.read(&root, self.settings, change);
        self.laps.lap("read");
        let mut problems: Vec<Diagnostic> = self.memo.problems();
        let mut warnings: Vec<Diagnostic> = self.memo.warnings();

        // Parse, reusing the parse of every file whose front-matter is unchanged.
        let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = {
            let previous = &self.memo.parsed;
            self.memo
                .sources
                .par_iter()
                .map(|(rel, source)| match previous.get(rel) {
                    Some((front, result)) if *front == source.front_hash => match result {
                        Ok(p) => Ok(p.with_source(source)),
                        Err(e) => Err(e.clone()),
                    },
                    _ => content::parse_one(source),
                })
                .collect()
        };
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
        problems.extend(parse_problems);
        self.laps.lap("parse");

        let (Some(config), Some(assets), Some(templates)) = (
            self.memo.config(),
            self.memo.assets(),
            self.memo.templates(),
        ) else {
            return Err(problems.into());
        };
        if !problems.is_empty() {
            return Err(problems.into());
        }
        warnings.extend(assets.warnings.iter().cloned());
        warnings.extend(templates.warnings.iter().cloned());

        let files = SiteFiles {
            bundle: self
                .memo
                .bundle
                .iter()
                .map(|(_, rel)| rel.clone())
                .collect(),
            statics: assets.files.iter().map(|f| f.path.clone()).collect(),
        };
        let index_key = hash_of(&(
            &config,
            self.settings.today,
            self.memo
                .sources
                .values()
                .map(|s| s.front_hash)
                .collect::<Vec<_>>(),
            {
                let mut f: Vec<&String> = files.bundle.iter().chain(&files.statics).collect();
                f.sort();
                f
            },
            self.settings.drafts,
        ));
        let index = match self.memo.index.take() {
            Some((key, index)) if key == index_key => {
                Arc::new(index.with_sources(&self.memo.sources))
            }
            _ => Arc::new(
                link::index(&config, &content, self.settings.today, &files)
                    .map_err(Diagnostics::from)?,
            ),
        };
        drop(content);
        self.laps.lap("link: index");

        let chrome = Chrome::new(&index, &templates, &assets);
        let chrome_key = chrome.key();
        let fresh_chrome = chrome_key != self.memo.chrome;
        let question_errors: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
        let new_keys: Mutex<HashMap<String, u64>> = Mutex::new(HashMap::new());
        let old_keys = std::mem::take(&mut self.memo.pages);
        let out = &self.out;
        let emit = |page: &dyn AnyPage| {
            let key = page.key();
            if let Ok(mut k) = new_keys.lock() {
                k.insert(page.path().to_string(), key);
            }
            if !fresh_chrome && old_keys.get(page.path()) == Some(&key) {
                return;
            }
            let result = page.render(&chrome).and_then(|f| out.send(f));
            if let Err(d) = result
                && let Ok(mut e) = question_errors.lock()
                && !e.iter().any(|x| x.message == d.message)
            {
                e.push(d);
            }
        };
        let on_question = |i: usize, body: &Arc<bodies::Body>| {
            // A question's page needs only its own body: render it now.
            let terms = index.terms_used(&body.analysis);
            emit(&pages::question::page(&index, i, body, terms));
        };
        let bodies = bodies::render_all(
            &index,
            &bodies::Options {
                highlighter: self.highlighter,
                memo: self.incremental.then_some(&self.memo.bodies),
                keep_question_html: self.incremental,
                interner: &self.memo.interner,
            },
            &on_question,
        );
        self.laps.lap("bodies + question pages");
        let analyses = bodies.analyses();
        let links: Links = match link::finish(&index, &analyses) {
            Ok(links) => links,
            Err(p) => {
                self.memo.pages = old_keys;
                return Err(p.into());
            }
        };
        warnings.extend(links.warnings.iter().cloned());
        self.laps.lap("link: finish");

        let lists = Lists::new(&index, &bodies, &links);
        let others = pages::all(&lists);
        others.par_iter().for_each(|p| emit(p.as_ref()));
        let mut errors = question_errors.into_inner().unwrap_or_default();
        if !errors.is_empty() {
            self.memo.pages = old_keys;
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            return Err(errors.into());
        }
        self.laps.lap("pages");

        let search = crate::search::build(&index, &bodies, &self.memo.interner);
        let mut search_sent = HashMap::with_capacity(search.len());
        let mut search_paths = Vec::with_capacity(search.len());
        for (hash, file) in search {
            search_paths.push(file.path.clone());
            if self.memo.search.get(&file.path) != Some(&hash) {
                search_sent.insert(file.path.clone(), hash);
                self.out
                    .send(file)
                    .map_err(|d| Diagnostics::from(vec![d]))?;
            } else {
                search_sent.insert(file.path, hash);
            }
        }
        self.laps.lap("search index");

        let assets_key = assets.key_with_bytes();
        if assets_key != self.memo.assets_sent {
            for file in &assets.files {
                self.out
                    .send(file.clone())
                    .map_err(|d| Diagnostics::from(vec![d]))?;
            }
        }
        let mut bundle_sent = HashMap::new();
        for (from, rel) in &self.memo.bundle {
            let stamp = std::fs::metadata(from)
                .map(|m| (m.len(), m.modified().ok()))
                .unwrap_or((0, None));
            bundle_sent.insert(rel.clone(), stamp);
            if self.memo.bundle_sent.get(rel) != Some(&stamp) {
                let bytes = std::fs::read(from).map_err(|e| {
                    Diagnostics::from(vec![Diagnostic::error_in(
                        format!("cannot read this file: {e}"),
                        Some(std::path::Path::new("content").join(rel).into()),
                    )])
                })?;
                self.out
                    .send(OutputFile {
                        path: rel.clone(),
                        bytes,
                    })
                    .map_err(|d| Diagnostics::from(vec![d]))?;
            }
        }
        self.laps.lap("static files");

        let mut warnings: Diagnostics = warnings.into();
        if self.settings.strict && !warnings.0.is_empty() {
            for d in &mut warnings.0 {
                d.severity = Severity::Error;
                d.message = format!("{} (an error because of --strict)", d.message);
            }
            return Err(warnings);
        }
        let page_keys = new_keys.into_inner().unwrap_or_default();
        let mut paths: Vec<String> = page_keys
            .keys()
            .map(|p| crate::urls::file_for(p))
            .chain(search_paths)
            .chain(assets.files.iter().map(|f| f.path.clone()))
            .chain(self.memo.bundle.iter().map(|(_, rel)| rel.clone()))
            .collect();
        paths.sort();
        paths.dedup();
        if self.incremental {
            self.memo.pages = page_keys;
            self.memo.chrome = chrome_key;
            self.memo.bodies = bodies.memo(&index);
            self.memo.search = search_sent;
            self.memo.assets_sent = assets_key;
            self.memo.bundle_sent = bundle_sent;
            self.memo.index = Some((index_key, (*index).clone()));
        }
        let report = Report {
            change: Some(kind),
            questions: index.questions.len(),
            events: index.events.len(),
            terms: index.terms.len(),
            pages: index.pages.len(),
            written: self.out.written.load(Ordering::Relaxed),
            paths,
            warnings,
            timings: std::mem::take(&mut self.laps.timings),
            documents: placed(&index),
        };
        Ok(report)
    }
}
