//! What the pipeline keeps between runs, and reading the site's files
//! again after a change: only what the change calls for.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::change::{Change, ChangeKind, Place, place};
use crate::assets::Assets;
use crate::bodies::BodyMemo;
use crate::config::Config;
use crate::content::Parsed;
use crate::diagnostic::{Diagnostic, Severity};
use crate::link::Index;
use crate::load::{self, Source};
use crate::settings::Settings;
use crate::templates::Templates;

/// The parse of one file, or its problems.
pub(super) type ParseResult = Result<Parsed, Vec<Diagnostic>>;

/// Results of the last run, each with the key of its inputs.
#[derive(Default)]
pub struct Memo {
    config: Option<Result<Config, Diagnostic>>,
    assets: Option<Result<Arc<Assets>, Vec<Diagnostic>>>,
    templates: Option<Result<Arc<Templates>, Vec<Diagnostic>>>,
    /// Every content file, by path under `content/`.
    pub(super) sources: BTreeMap<Arc<str>, Source>,
    /// Files of page bundles: path on disk, site path.
    pub(super) bundle: Vec<(PathBuf, String)>,
    /// Problems of reading the content, by path (so an unreadable file is
    /// reported again on every run until fixed), and the folder's warnings.
    read_problems: BTreeMap<String, Diagnostic>,
    load_warnings: Vec<Diagnostic>,
    /// The parse of each file, with the hash of the front-matter it was
    /// made from.
    pub(super) parsed: HashMap<Arc<str>, (u64, ParseResult)>,
    /// What each language's pages were made from, by language code.
    pub(super) langs: HashMap<String, LangMemo>,
    /// Token numbers of the search index, shared by the remembered bodies.
    pub(super) interner: Arc<crate::search::Interner>,
    pub(super) assets_sent: u64,
    /// The site's images as last measured, and the copies already sent.
    pub(super) media: Option<crate::pictures::SiteMedia>,
    pub(super) media_sent: std::collections::HashSet<String>,
    /// Share card fonts, and the cards already sent.
    pub(super) card_fonts: crate::cards::FontMemo,
    pub(super) cards_sent: std::collections::HashSet<String>,
    /// Bundle files as last sent: site path, with size and time of change.
    pub(super) bundle_sent: HashMap<String, (u64, Option<std::time::SystemTime>)>,
}

/// The results of the last run for one language.
#[derive(Default)]
pub(super) struct LangMemo {
    pub(super) index: Option<(u64, Index)>,
    pub(super) bodies: BodyMemo,
    /// The key of every page, by site path, and of the chrome they share.
    pub(super) pages: HashMap<String, u64>,
    pub(super) chrome: u64,
    /// The search index as last built.
    pub(super) search: Option<crate::search::SearchState>,
    /// The back-links of the last run.
    pub(super) links: Option<crate::link::Links>,
}

impl Memo {
    /// Reads again what `change` calls for and says what kind of change it
    /// was.
    pub(super) fn read(&mut self, root: &Path, settings: &Settings, change: &Change) -> ChangeKind {
        let places: Vec<Place> = match change {
            Change::Everything => Vec::new(),
            Change::Paths(paths) => paths.iter().map(|p| place(root, p)).collect(),
        };
        let everything = matches!(change, Change::Everything) || self.config.is_none();
        let has = |p: &Place| places.contains(p);
        let mut kind = ChangeKind::None;
        if everything || has(&Place::Settings) {
            self.config = Some(Config::load(root).map(|c| settings.apply(c)));
            kind = kind.max(ChangeKind::Settings);
        }
        if everything || has(&Place::Static) || self.assets.is_none() {
            self.assets = Some(Assets::collect(root).map(Arc::new));
            // Templates name hashed assets: load them again too.
            self.templates = None;
            kind = kind.max(ChangeKind::Static);
        }
        if everything || has(&Place::Template) || self.templates.is_none() {
            self.templates = Some(match self.assets.as_ref() {
                Some(Ok(assets)) => crate::templates::load(root, assets).map(Arc::new),
                _ => crate::templates::load(root, &Assets::default()).map(Arc::new),
            });
            kind = kind.max(ChangeKind::Template);
        }
        let edited: Vec<&String> = places
            .iter()
            .filter_map(|p| match p {
                Place::Content(rel) => Some(rel),
                _ => None,
            })
            .collect();
        let relist = everything
            || self.sources.is_empty()
            || has(&Place::ContentFolder)
            || edited.iter().any(|rel| !rel.ends_with(".md"));
        if relist {
            self.load_all(root);
            kind = kind.max(ChangeKind::Everything.min(if everything {
                ChangeKind::Everything
            } else {
                ChangeKind::AddedOrRemoved
            }));
        } else {
            let content = root.join("content");
            for rel in edited {
                let file = content.join(rel);
                let key: Arc<str> = rel.as_str().into();
                if !file.is_file() {
                    if self.sources.remove(&key).is_some() {
                        kind = kind.max(ChangeKind::AddedOrRemoved);
                    }
                    self.read_problems.remove(rel);
                    continue;
                }
                match load::read_source(root, &content, &file) {
                    Ok(source) => {
                        self.read_problems.remove(rel);
                        let edit = match self.sources.get(&key) {
                            None => ChangeKind::AddedOrRemoved,
                            Some(old) if old.front_hash != source.front_hash => {
                                ChangeKind::FrontMatter
                            }
                            Some(old) if old.hash != source.hash => ChangeKind::Body,
                            Some(_) => ChangeKind::None,
                        };
                        kind = kind.max(edit);
                        self.sources.insert(key, source);
                    }
                    Err(d) => {
                        self.sources.remove(&key);
                        self.read_problems.insert(rel.clone(), d);
                        kind = kind.max(ChangeKind::FrontMatter);
                    }
                }
            }
        }
        kind
    }

    /// Lists and reads the whole content folder.
    fn load_all(&mut self, root: &Path) {
        let (loaded, problems) = load::load(root);
        self.sources = loaded
            .sources
            .into_iter()
            .map(|s| (s.rel.clone(), s))
            .collect();
        self.bundle = loaded.assets;
        self.read_problems.clear();
        self.load_warnings.clear();
        for (n, d) in problems.into_iter().enumerate() {
            if d.severity == Severity::Warning {
                self.load_warnings.push(d);
            } else {
                let key = d
                    .file()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| format!("#{n}"));
                self.read_problems.insert(key, d);
            }
        }
    }

    /// The errors of reading the site's files: settings, static files,
    /// templates and content.
    pub(super) fn problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self.read_problems.values().cloned().collect();
        if let Some(Err(d)) = &self.config {
            problems.push(d.clone());
        }
        if let Some(Err(d)) = &self.assets {
            problems.extend(d.iter().cloned());
        }
        if let Some(Err(d)) = &self.templates {
            problems.extend(d.iter().cloned());
        }
        problems
    }

    /// The warnings of reading the content folder.
    pub(super) fn warnings(&self) -> Vec<Diagnostic> {
        self.load_warnings.clone()
    }

    pub(super) fn config(&self) -> Option<Config> {
        self.config.as_ref()?.as_ref().ok().cloned()
    }

    pub(super) fn assets(&self) -> Option<Arc<Assets>> {
        self.assets.as_ref()?.as_ref().ok().cloned()
    }

    pub(super) fn templates(&self) -> Option<Arc<Templates>> {
        self.templates.as_ref()?.as_ref().ok().cloned()
    }
}
