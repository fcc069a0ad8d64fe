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
mod reach;
mod run;

use std::sync::Mutex;

pub use change::{Change, ChangeKind, relevant};
pub use memo::Memo;

use crate::diagnostic::Diagnostics;
use crate::highlight::Highlighter;
use crate::output::OutputFile;
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
    /// How many languages the site was built in.
    pub languages: usize,
    /// Narrower copies of images: read from the cache, and made by this
    /// run (when each image was first measured).
    pub image_copies: (usize, usize),
    /// Share cards: read from the cache, and drawn by this run.
    pub cards: (usize, usize),
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

    /// The site's settings as the last run read them (site.toml with the
    /// command line's overrides), if it could read them.
    pub fn config(&self) -> Option<crate::config::Config> {
        self.memo.config()
    }

    /// Runs the pipeline for `change`, handing the files that changed (all
    /// of them on a first run) to `sink`. Every problem found is returned
    /// together, sorted by file and line.
    pub fn run(&mut self, change: &Change, sink: &dyn Sink) -> Result<Report, Diagnostics> {
        let mut run = run::Run::new(
            &self.settings,
            &self.highlighter,
            &mut self.memo,
            self.incremental,
            sink,
        );
        let result = run.go(change);
        if !self.incremental {
            self.memo = Memo::default();
        }
        result
    }
}
