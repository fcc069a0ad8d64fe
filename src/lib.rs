//! dossier: a static-site generator for explainer microsites.
//!
//! The build is one direction, one module per stage:
//! [`load`] → [`content`] (parse) → [`link`] → [`render`] → [`write`].
//! Each stage returns its problems as [`diagnostic::Diagnostic`]s so that a
//! run reports all of them together.
//!
//! Modules that handle user text deny `clippy::indexing_slicing`: they slice
//! with `get` so that no input can make them panic. `unwrap`, `expect` and
//! `panic!` are denied everywhere outside tests (see `[lints]` in
//! Cargo.toml); proptest properties in `tests/no_panic.rs` and the fuzz
//! targets in `fuzz/` back this up.

pub mod assets;
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
pub mod external;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod glossary;
pub mod highlight;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod link;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod load;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod markdown;
mod pages;
pub mod progress;
pub mod render;
pub mod scaffold;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
pub mod search;
pub mod serve;
#[deny(clippy::indexing_slicing, clippy::string_slice)]
mod toml_error;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use config::Config;
use diagnostic::{Diagnostic, Diagnostics};
use highlight::Highlighter;
use link::Site;
use render::OutputFile;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holding `site.toml`, `content/`...).
    pub root: PathBuf,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Fail on warnings as well as errors.
    pub strict: bool,
}

/// A site built in memory: the linked site, every output file, and the
/// warnings of the run.
#[derive(Debug)]
pub struct Built {
    /// The linked site.
    pub site: Site,
    /// Every rendered page.
    pub files: Vec<OutputFile>,
    /// Every static file, hashed names included.
    pub assets: assets::Assets,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
}

/// Runs load, parse, link and render. Every problem found is returned
/// together, sorted by file and line.
pub fn build_in_memory(
    options: &BuildOptions,
    highlighter: &Highlighter,
) -> Result<Built, Diagnostics> {
    let root = &options.root;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let config = match Config::load(root) {
        Ok(mut c) => {
            if let Some(url) = &options.base_url {
                c.base_url = if url.ends_with('/') {
                    url.clone()
                } else {
                    format!("{url}/")
                };
            }
            Some(c)
        }
        Err(d) => {
            problems.push(d);
            None
        }
    };
    let timings = std::env::var_os("DOSSIER_TIMINGS").is_some();
    let clock = std::time::Instant::now();
    let lap = |what: &str| {
        if timings {
            eprintln!("  {what} {:?}", clock.elapsed());
        }
    };
    let (sources, load_problems) = load::load(root);
    lap("load");
    problems.extend(load_problems);
    let (content, parse_problems) = content::parse(&sources, options.drafts);
    problems.extend(parse_problems);
    let assets = match assets::Assets::collect(root) {
        Ok(a) => a,
        Err(d) => {
            problems.extend(d);
            assets::Assets::default()
        }
    };
    let (tera, template_files) = match render::templates(root, &assets) {
        Ok((tera, files)) => (Some(tera), files),
        Err(d) => {
            problems.extend(d);
            (None, Vec::new())
        }
    };
    let (Some(config), Some(tera), true) = (config, tera, problems.is_empty()) else {
        return Err(problems.into());
    };
    lap("parse + templates");
    let site = link::link(&config, &content, None).map_err(Diagnostics::from)?;
    lap("link");
    let files = render::render(&site, &tera, &template_files, highlighter, &assets)
        .map_err(Diagnostics::from)?;
    lap("render");
    let warnings: Diagnostics = site.warnings.clone().into();
    if options.strict && !warnings.0.is_empty() {
        let mut as_errors = warnings;
        for d in &mut as_errors.0 {
            d.severity = diagnostic::Severity::Error;
            d.message = format!("{} (an error because of --strict)", d.message);
        }
        return Err(as_errors);
    }
    Ok(Built {
        site,
        files,
        assets,
        warnings,
    })
}

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

/// Builds the site and writes it to `output`. On any error the previous
/// content of `output` is left untouched.
pub fn build(options: &BuildOptions, output: &Path) -> Result<Built, BuildError> {
    let timings = std::env::var_os("DOSSIER_TIMINGS").is_some();
    let start = std::time::Instant::now();
    let highlighter = Highlighter::new();
    let built = build_in_memory(options, &highlighter).map_err(BuildError::Site)?;
    if timings {
        eprintln!("  build in memory {:?}", start.elapsed());
    }
    let start = std::time::Instant::now();
    write::write(&options.root, output, &built.files, &built.assets.files)?;
    if timings {
        eprintln!("  write {:?}", start.elapsed());
    }
    Ok(built)
}

/// Builds in memory and checks every internal link and anchor of the
/// generated pages, including the static files the site would copy.
pub fn check(options: &BuildOptions) -> Result<(Built, Vec<check::BrokenLink>), Diagnostics> {
    let highlighter = Highlighter::new();
    let built = build_in_memory(options, &highlighter)?;
    // Pages after assets: a page of the same path wins, as when written.
    let files: BTreeMap<String, &[u8]> = built
        .assets
        .files
        .iter()
        .chain(&built.files)
        .map(|f| (f.path.clone(), f.bytes.as_slice()))
        .collect();
    let broken = check::check_files(&files, &built.site.base_path);
    Ok((built, broken))
}
