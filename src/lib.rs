//! dossier: a static-site generator for explainer microsites.
//!
//! One pipeline ([`pipeline`]), one module per stage:
//! [`load`] → [`content`] (parse) → [`link::index`] → [`bodies`] (the one
//! parse of each body) → [`link::finish`] → [`pages`] and [`search`] →
//! [`write`]. `dossier build`, `check` and `serve` all run it. Each stage
//! returns its problems as [`diagnostic::Diagnostic`]s so that a run
//! reports all of them together.
//!
//! Modules that handle user text deny `clippy::indexing_slicing`: they slice
//! with `get` so that no input can make them panic. `unwrap`, `expect` and
//! `panic!` are denied everywhere outside tests (see `[lints]` in
//! Cargo.toml); proptest properties in `tests/no_panic.rs` and the fuzz
//! targets in `fuzz/` back this up.

pub mod assets;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod bodies;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod cards;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod chart;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod check;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod config;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod content;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod diagnostic;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod edit_url;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod external;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod figure;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod glossary;
pub mod highlight;
pub mod html;
pub mod language;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod link;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod load;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod markdown;
pub mod media;
pub mod output;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
mod pages;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod pictures;
pub mod pipeline;
pub mod progress;
pub mod punctuation;
pub mod scaffold;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod search;
pub mod serve;
pub mod settings;
pub mod templates;
pub mod theme;
pub mod tokens;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
mod toml_error;
pub mod typography;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod ui;
pub mod urls;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;

use diagnostic::Diagnostics;
use pipeline::{Build, Change, Collect, Report, Sink};
use progress::{Progress, ProgressMode};
use settings::Settings;

/// Why `dossier build` failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content or templates have problems; nothing was written.
    #[error("{0}")]
    Site(Diagnostics),
    /// The output could not be written; the previous output is intact.
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// A sink that counts each file on a progress bar as it passes it on.
struct Counted<'a> {
    sink: &'a dyn Sink,
    progress: &'a Progress,
}

impl Sink for Counted<'_> {
    fn file(&self, file: output::OutputFile) -> Result<(), String> {
        self.progress.inc(1);
        self.sink.file(file)
    }
}

/// Builds the site and writes it to `output`: each file goes into a
/// staging folder as soon as it is rendered, and the folder is swapped in
/// when everything succeeded. On any error the previous content of
/// `output` is left untouched. `progress` says how to show the files
/// written as they are (see [`progress`]).
pub fn build(
    settings: &Settings,
    output: &Path,
    progress: ProgressMode,
) -> Result<Report, BuildError> {
    let staging = write::Staging::begin(&settings.root, output)?;
    let bar = Progress::counter(progress, "building", "files written");
    let counted = Counted {
        sink: &staging,
        progress: &bar,
    };
    let report = Build::once(settings.clone())
        .run(&Change::Everything, &counted)
        .map_err(|problems| match staging.failure() {
            Some(write) => BuildError::Write(write),
            None => BuildError::Site(problems),
        })?;
    if write::cancelled() {
        return Err(write::WriteError::Cancelled.into());
    }
    bar.finish();
    let mut report = report;
    let write_start = std::time::Instant::now();
    staging.commit()?;
    report
        .timings
        .push(("swap", write_start.elapsed().as_secs_f64() * 1000.0));
    Ok(report)
}

/// Builds the site in memory: every output file, sorted by path.
pub fn build_in_memory(
    settings: &Settings,
) -> Result<(Report, Vec<output::OutputFile>), Diagnostics> {
    build_in_memory_shown(settings, ProgressMode::Hidden)
}

fn build_in_memory_shown(
    settings: &Settings,
    progress: ProgressMode,
) -> Result<(Report, Vec<output::OutputFile>), Diagnostics> {
    let files = Collect::default();
    let bar = Progress::counter(progress, "building", "files built");
    let counted = Counted {
        sink: &files,
        progress: &bar,
    };
    let report = Build::once(settings.clone()).run(&Change::Everything, &counted)?;
    bar.finish();
    Ok((report, files.into_files()))
}

/// A site checked in memory: what [`check`] found, and what it read, so
/// that `check --external` can go on from there without building again.
#[derive(Debug)]
pub struct Checked {
    /// The build's counts and warnings.
    pub report: Report,
    /// Every output file, path → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The site's `base_url` (after `--base-url`).
    pub base_url: String,
    /// The internal links that lead nowhere.
    pub broken: Vec<check::BrokenLink>,
}

/// Builds in memory and checks every internal link, anchor and id of the
/// generated pages, including the static files the site would copy;
/// `progress` shows the files built, then the pages checked.
pub fn check(settings: &Settings, progress: ProgressMode) -> Result<Checked, Diagnostics> {
    let (report, files) = build_in_memory_shown(settings, progress)?;
    let files: BTreeMap<String, Vec<u8>> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let config = config::Config::load(&settings.root).map_err(|d| Diagnostics::from(vec![d]))?;
    let config = settings.apply(config);
    let bar = Progress::start(progress, "checking links", check::page_count(&files) as u64);
    let mut broken = check::check_files_counted(&files, &config.base_path(), &|| bar.inc(1));
    bar.finish();
    for problem in broken.iter_mut().filter(|b| b.href.is_empty()) {
        problem.source = origin(&report.documents, &problem.page, &problem.reason);
    }
    Ok(Checked {
        report,
        files,
        base_url: config.base_url,
        broken,
    })
}

/// The source file and line of a repeated id: the document on that page
/// whose id prefix it has, and the line where the id is written, if it is.
fn origin(documents: &[pipeline::Placed], page: &str, reason: &str) -> Option<String> {
    let id = reason.split('`').nth(1)?;
    let doc = documents
        .iter()
        .filter(|d| d.page == page && id.starts_with(&d.prefix))
        .max_by_key(|d| d.prefix.len())?;
    let own = id.strip_prefix(&doc.prefix).unwrap_or(id);
    let text = &doc.source.text;
    let line = [
        format!("{{#{own}}}"),
        format!("id=\"{own}\""),
        format!("id='{own}'"),
    ]
    .iter()
    .find_map(|needle| text.find(needle.as_str()))
    .map(|at| text.get(..at).unwrap_or("").matches('\n').count() + 1);
    Some(match line {
        Some(line) => format!("{}:{line}", doc.source.path.display()),
        None => doc.source.path.display().to_string(),
    })
}
