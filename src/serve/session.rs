//! What a rebuild of `dossier serve` keeps from the previous one, and the
//! rebuild itself.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tera::Tera;

use crate::assets::Assets;
use crate::config::Config;
use crate::content::{self, ParseCache};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::link::{self, Site};
use crate::load::{self, Source, hash_of};
use crate::render::{self, RenderCache, TemplateFile};

/// Everything a rebuild needs from the previous one.
pub(super) struct Session {
    pub(super) root: PathBuf,
    pub(super) drafts: bool,
    pub(super) base_url: String,
    pub(super) highlighter: Highlighter,
    pub(super) assets: Assets,
    pub(super) config: Option<Config>,
    pub(super) sources: BTreeMap<Arc<str>, Source>,
    /// Every content file could be read last time.
    pub(super) all_read: bool,
    /// The files the last refresh re-read, when it re-read only known files.
    pub(super) edited: Option<Vec<Arc<str>>>,
    /// The last rebuild succeeded.
    pub(super) last_ok: bool,
    pub(super) parse_cache: ParseCache,
    pub(super) templates: Option<(Tera, Vec<Arc<TemplateFile>>, u64)>,
    pub(super) site: Option<Site>,
    pub(super) render_cache: RenderCache,
}

/// What one rebuild did, for the console line.
#[derive(Debug)]
pub struct RebuildReport {
    /// Pages rendered again.
    pub rendered: usize,
    /// Output files whose bytes changed (added, changed or removed).
    pub changed: usize,
}

impl Session {
    pub(super) fn new(root: &Path, drafts: bool, base_url: String) -> Session {
        Session {
            root: root.to_path_buf(),
            drafts,
            base_url,
            highlighter: Highlighter::new(),
            config: None,
            sources: BTreeMap::new(),
            all_read: false,
            edited: None,
            last_ok: false,
            parse_cache: ParseCache::default(),
            templates: None,
            site: None,
            render_cache: RenderCache::default(),
            assets: Assets::default(),
        }
    }

    pub(super) fn load_config(&mut self) -> Result<(), Diagnostic> {
        let mut config = Config::load(&self.root)?;
        config.base_url = self.base_url.clone();
        self.config = Some(config);
        Ok(())
    }

    /// Reads the static files; the `asset` function of the templates is
    /// registered again so that it knows the new hashed names.
    pub(super) fn load_assets(&mut self) -> Result<(), Vec<Diagnostic>> {
        self.assets = Assets::collect(&self.root)?;
        if let Some((tera, _, _)) = self.templates.as_mut() {
            crate::assets::register_function(tera, &self.assets);
        }
        Ok(())
    }

    pub(super) fn load_templates(&mut self) -> Result<(), Vec<Diagnostic>> {
        self.templates = None;
        let (tera, files) = render::templates(&self.root, &self.assets)?;
        let key = hash_of(&files.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>());
        self.templates = Some((tera, files, key));
        Ok(())
    }

    /// Re-reads the content files in `changed` (or every file when `None`)
    /// and the ones not seen before; forgets deleted ones.
    pub(super) fn refresh_sources(
        &mut self,
        changed: Option<&HashSet<PathBuf>>,
    ) -> Vec<Diagnostic> {
        let t = Instant::now();
        let content_dir = self.root.join("content");
        self.edited = None;
        // The common case, an edit to files we know: re-read just those.
        // (Not while a file could not be read: its error must be repeated.)
        if let Some(changed) = changed.filter(|_| self.all_read) {
            let known: Option<Vec<(Arc<str>, &PathBuf)>> = changed
                .iter()
                .filter(|p| p.starts_with(&content_dir))
                .map(|p| {
                    let rel = load::rel_path(&content_dir, p);
                    (p.is_file() && self.sources.contains_key(rel.as_str()))
                        .then(|| (Arc::from(rel), p))
                })
                .collect();
            if let Some(known) = known {
                let mut problems = Vec::new();
                self.edited = Some(known.iter().map(|(rel, _)| rel.clone()).collect());
                for (rel, file) in known {
                    match load::read_source(&self.root, &content_dir, file) {
                        Ok(source) => {
                            self.sources.insert(rel, source);
                        }
                        Err(d) => {
                            self.sources.remove(&rel);
                            problems.push(d);
                        }
                    }
                }
                self.all_read = problems.is_empty();
                return problems;
            }
        }
        let (files, mut problems) = load::content_files(&self.root);
        let mut next = BTreeMap::new();
        for file in files {
            let rel = load::rel_path(&content_dir, &file);
            let stale = changed.is_none_or(|c| c.contains(&file));
            match self.sources.remove(rel.as_str()) {
                Some(source) if !stale => {
                    next.insert(rel.into(), source);
                }
                _ => match load::read_source(&self.root, &content_dir, &file) {
                    Ok(source) => {
                        next.insert(rel.into(), source);
                    }
                    Err(d) => problems.push(d),
                },
            }
        }
        self.sources = next;
        self.all_read = problems.is_empty();
        if std::env::var_os("DOSSIER_TIMINGS").is_some() {
            eprintln!("  read {:?}", t.elapsed());
        }
        problems
    }

    /// Parse, link and render what changed. On success returns the files
    /// rendered and every path the site has now.
    pub(super) fn rebuild(
        &mut self,
        problems: Vec<Diagnostic>,
    ) -> Result<render::RenderOutput, Diagnostics> {
        let result = self.rebuild_inner(problems);
        self.last_ok = result.is_ok();
        result
    }

    fn rebuild_inner(
        &mut self,
        problems: Vec<Diagnostic>,
    ) -> Result<render::RenderOutput, Diagnostics> {
        let timings = std::env::var_os("DOSSIER_TIMINGS").is_some();
        let t = Instant::now();
        let site = match self.relink_edited(&problems) {
            Some(site) => site,
            None => self.parse_and_link(problems, timings)?,
        };
        let Some((tera, files, templates_key)) = &self.templates else {
            return Err(vec![Diagnostic::error_in("the templates have errors", None)].into());
        };
        let output = render_site(
            &site,
            (tera, files, *templates_key),
            &self.highlighter,
            &self.assets,
            &mut self.render_cache,
        )?;
        if timings {
            eprintln!("  link/relink + render {:?}", t.elapsed());
        }
        self.site = Some(site);
        Ok(output)
    }

    /// Edits to answers and event descriptions that leave front-matter,
    /// headings, links and glossary mentions alone skip parse and link.
    fn relink_edited(&self, problems: &[Diagnostic]) -> Option<Site> {
        let (true, true, Some(edited), Some(site), Some(_)) = (
            problems.is_empty(),
            self.last_ok,
            &self.edited,
            &self.site,
            &self.templates,
        ) else {
            return None;
        };
        let sources: Vec<Source> = edited
            .iter()
            .filter_map(|rel| self.sources.get(rel).cloned())
            .collect();
        if sources.len() != edited.len() {
            return None;
        }
        link::relink_bodies(site, &sources)
    }

    /// Parses (reusing unchanged files) and links the whole site.
    fn parse_and_link(
        &mut self,
        mut problems: Vec<Diagnostic>,
        timings: bool,
    ) -> Result<Site, Diagnostics> {
        let t = Instant::now();
        let sources: Vec<Source> = self.sources.values().cloned().collect();
        let (content, parse_problems) =
            content::parse_with(&sources, self.drafts, Some(&mut self.parse_cache));
        if timings {
            eprintln!("  parse {:?}", t.elapsed());
        }
        problems.extend(parse_problems);
        let (Some(config), Some(_), true) = (&self.config, &self.templates, problems.is_empty())
        else {
            if problems.is_empty() {
                // Config or templates failed earlier and reported it then.
                problems.push(Diagnostic::error_in(
                    "the site settings or templates still have errors",
                    None,
                ));
            }
            return Err(problems.into());
        };
        link::link(config, &content, self.site.as_ref()).map_err(Diagnostics::from)
    }
}

/// Renders what changed in `site` with the session's templates and cache.
fn render_site(
    site: &Site,
    (tera, files, templates_key): (&Tera, &[Arc<TemplateFile>], u64),
    highlighter: &Highlighter,
    assets: &Assets,
    cache: &mut RenderCache,
) -> Result<render::RenderOutput, Diagnostics> {
    render::render_changed(
        site,
        tera,
        files,
        highlighter,
        assets,
        Some(cache),
        templates_key,
    )
    .map_err(Diagnostics::from)
}

/// The static files as served, by output path.
pub(super) fn statics_of(assets: &Assets) -> HashMap<String, Arc<Vec<u8>>> {
    assets
        .files
        .iter()
        .map(|f| (f.path.clone(), Arc::new(f.bytes.clone())))
        .collect()
}
