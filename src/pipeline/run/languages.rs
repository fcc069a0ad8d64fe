//! The front-matter half of a run: reading the site's inputs, parsing every
//! content file once, collecting each language's content and pass 1 of the
//! link stage, with the warnings about translations.
//!
//! Separate from the rest of the run because this half is keyed by
//! front-matter alone: when only bodies changed, its result (the index) is
//! the last run's, and none of this runs again.

use std::sync::Arc;

use rayon::prelude::*;

use super::super::memo::ParseResult;
use super::{Lang, Run};
use crate::assets::Assets;
use crate::config::Config;
use crate::content::{self, Content, Coverage, Parsed};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::link::{self, Index, SiteFiles};
use crate::load::hash_of;
use crate::templates::Templates;

impl Run<'_> {
    /// The index of every language, the default one first; the other
    /// languages' link to the originals of the files they have no
    /// translation of. Every language's errors are returned together.
    pub(super) fn languages(
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

    /// The problems of parsing every content file, for a run that stops
    /// before the parse stage.
    pub(super) fn parse_only(&self) -> Result<(), Vec<Diagnostic>> {
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
    pub(super) fn parse(&mut self) -> Result<Arc<Vec<ParseResult>>, Diagnostics> {
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
    pub(super) fn inputs(&self) -> Result<(Config, Arc<Assets>, Arc<Templates>), Diagnostics> {
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
    pub(super) fn index(
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
    pub(super) fn coverage(&mut self, config: &Config, index: &Index) -> Coverage {
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
    pub(super) fn content(&mut self, config: &Config) -> Result<(Content, Coverage), Diagnostics> {
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
