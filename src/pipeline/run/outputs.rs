//! The files of a run that are not pages: where every file goes ([`Out`]),
//! and the static files, bundle files, image copies and share cards, each
//! sent only when it is not already at the sink.
//!
//! Separate from the page stages because these files are shared by every
//! language and remembered between runs of `dossier serve` by what was
//! sent ([`Sent`]), not by a page key.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::super::Sink;
use super::{Run, one};
use crate::assets::Assets;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use crate::pictures::SiteMedia;

/// Files a run sent that the next run need not send again.
#[derive(Default)]
pub(super) struct Sent {
    pub(super) assets: Option<u64>,
    pub(super) bundle: Option<HashMap<String, (u64, Option<std::time::SystemTime>)>>,
    pub(super) media: Vec<String>,
    pub(super) cards: Vec<String>,
}

/// Where a run's files go, and how many went.
pub(super) struct Out<'a> {
    pub(super) sink: &'a dyn Sink,
    pub(super) written: AtomicUsize,
    /// The URL folder of the language being built (`zh/`), put before
    /// the path of each of its files.
    pub(super) prefix: String,
}

impl Out<'_> {
    /// Sends a file of the language being built.
    pub(super) fn send(&self, mut file: OutputFile) -> Result<(), Diagnostic> {
        if !self.prefix.is_empty() {
            file.path = format!("{}{}", self.prefix, file.path);
        }
        self.send_shared(file)
    }

    /// Sends a file every language shares (static files, images).
    pub(super) fn send_shared(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.written.fetch_add(1, Ordering::Relaxed);
        self.sink
            .file(file)
            .map_err(|e| Diagnostic::error_in(format!("cannot write the output: {e}"), None))
    }
}

impl Run<'_> {
    /// Static files and the files of page bundles, sent when they changed.
    /// Returns their paths.
    pub(super) fn statics(&mut self, assets: &Assets) -> Result<Vec<String>, Diagnostics> {
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

    /// The narrower copies of the images pages show, sent unless sent
    /// before (`dossier serve`); returns their paths.
    pub(super) fn images(
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
    pub(super) fn cards(
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
