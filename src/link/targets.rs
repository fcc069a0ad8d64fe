//! Where `@/` links and local paths can point: every content file, every
//! file of a page bundle, every page and static file of the output.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Event, Item, Page, Section, Sections, Term};
use crate::diagnostic::Diagnostic;
use crate::markdown::RESERVED_IDS;
use crate::urls::paths;

use super::{EventEntry, PageEntry, QuestionEntry, SiteFiles, Tag, TermEntry};

/// What a target is, for the anchors a link to it may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// A section introduction (no anchors of its own).
    Section,
    /// A question: the headings of its answer are anchors.
    Question(usize),
    /// An event: one anchor of its own on the timeline.
    Event(usize),
    /// A term: one anchor of its own in the glossary.
    Term(usize),
    /// A standalone page: the headings of its body are anchors.
    Page(usize),
    /// A file beside the content (an image of a page bundle).
    File,
}

/// Where an `@/` link leads.
#[derive(Debug, Clone)]
pub struct Target {
    /// Site path of the page or file.
    pub path: String,
    /// The anchor on a shared page (events and terms).
    pub anchor: Option<String>,
    /// What it is.
    pub kind: TargetKind,
}

/// Every target by content path, and every site path the build writes.
#[derive(Debug, Clone, Default)]
pub(super) struct Targets {
    by_file: HashMap<Arc<str>, Target>,
    written: HashSet<String>,
    /// The files every language shares.
    shared: HashSet<String>,
}

impl Targets {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        sections: &Sections<Item<Section>>,
        questions: &[QuestionEntry],
        events: &[EventEntry],
        terms: &[TermEntry],
        pages: &[PageEntry],
        tags: &[Tag],
        config: &Config,
        files: &SiteFiles,
    ) -> Targets {
        let mut by_file: HashMap<Arc<str>, Target> = HashMap::new();
        // Translations are linked by their original's path: `@/faq/x.md`
        // in a Chinese file is the Chinese `faq/x.zh.md`.
        let mut add = |rel: &str, path: String, anchor: Option<String>, kind| {
            let rel = crate::content::original_rel(rel);
            by_file.insert(rel.as_ref().into(), Target { path, anchor, kind });
        };
        add(
            "_index.md",
            paths::HOME.to_string(),
            None,
            TargetKind::Section,
        );
        add(
            "faq/_index.md",
            paths::HOME.to_string(),
            Some("questions".to_string()),
            TargetKind::Section,
        );
        add(
            "timeline/_index.md",
            paths::TIMELINE.to_string(),
            None,
            TargetKind::Section,
        );
        add(
            "glossary/_index.md",
            paths::GLOSSARY.to_string(),
            None,
            TargetKind::Section,
        );
        let _ = sections;
        for (i, q) in questions.iter().enumerate() {
            add(
                &q.item.source.rel,
                q.path.clone(),
                None,
                TargetKind::Question(i),
            );
        }
        for (i, e) in events.iter().enumerate() {
            add(
                &e.item.source.rel,
                paths::TIMELINE.to_string(),
                Some(e.item.slug.clone()),
                TargetKind::Event(i),
            );
        }
        for (i, t) in terms.iter().enumerate() {
            add(
                &t.item.source.rel,
                paths::GLOSSARY.to_string(),
                Some(t.item.slug.clone()),
                TargetKind::Term(i),
            );
        }
        for (i, p) in pages.iter().enumerate() {
            add(
                &p.item.source.rel,
                p.path.clone(),
                None,
                TargetKind::Page(i),
            );
        }
        // Bundle files are linked by their content path, `@/faq/x/chip.png`,
        // and published at the same path.
        for rel in &files.bundle {
            add(rel, rel.clone(), None, TargetKind::File);
        }
        let shared: HashSet<String> = files.bundle.iter().chain(&files.statics).cloned().collect();
        let mut written = shared.clone();
        for path in [
            paths::HOME,
            paths::TIMELINE,
            paths::GLOSSARY,
            paths::TAGS,
            paths::NOT_FOUND,
            "atom.xml",
            "sitemap.xml",
            "robots.txt",
        ] {
            written.insert(path.to_string());
        }
        if config.print_page {
            written.insert(paths::PRINT.to_string());
        }
        written.extend(questions.iter().map(|q| q.path.clone()));
        written.extend(pages.iter().map(|p| p.path.clone()));
        written.extend(tags.iter().map(|t| paths::tag(&t.slug)));
        Targets {
            by_file,
            written,
            shared,
        }
    }

    /// True for a static file or a file beside a page.
    pub(super) fn is_file(&self, path: &str) -> bool {
        self.shared.contains(path)
    }

    pub(super) fn get(&self, file: &str) -> Option<&Target> {
        self.by_file.get(file)
    }

    /// True when the build writes this site path (a page, given as
    /// `faq/x/` or `faq/x`, or a file).
    pub(super) fn exists(&self, path: &str) -> bool {
        self.written.contains(path)
            || self.written.contains(&format!("{path}/"))
            || path
                .strip_suffix("index.html")
                .is_some_and(|folder| self.written.contains(folder))
    }

    /// The content paths that can be linked, for "did you mean" hints.
    pub(super) fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.by_file.keys().map(|k| &**k).collect();
        names.sort_unstable();
        names
    }
}

/// `@/faq/x.md#anchor` as (`faq/x.md`, `Some("anchor")`).
pub(super) fn split_dest(dest: &str) -> (&str, Option<&str>) {
    let dest = dest.strip_prefix("@/").unwrap_or(dest);
    match dest.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (dest, None),
    }
}

/// The site folder a document's relative paths start from: its bundle
/// folder (`faq/x/` for `faq/x/index.md`), else the folder of its own URL
/// (`faq/x/` for `faq/x.md`, `about/` for `about.md`); the folder of the
/// file for section introductions.
fn folder_of(rel: &str) -> String {
    // A translation's relative paths start where its original's do.
    let rel = crate::content::original_rel(rel);
    let rel = rel.as_ref();
    if let Some(dir) = rel.strip_suffix("_index.md") {
        return dir.to_string();
    }
    match rel.strip_suffix("/index.md") {
        Some(bundle) => format!("{bundle}/"),
        None => format!("{}/", rel.strip_suffix(".md").unwrap_or(rel)),
    }
}

/// The site path of `url`, written in the document at content path `rel`;
/// `None` when it climbs above the site's root.
pub(super) fn local_path(rel: &str, url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let joined = match url.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{}{url}", folder_of(rel)),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if joined.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    let decoded = percent_encoding::percent_decode_str(&path)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

/// Slugs of events and terms become ids on the timeline and glossary
/// pages, and slugs of pages become top-level URLs: none may take an id or
/// an address the built-in templates use, nor (for pages) the folder of a
/// language (`zh/`).
pub(super) fn reserved_slugs(
    events: &[Item<Event>],
    terms: &[Item<Term>],
    pages: &[Item<Page>],
    language_prefixes: &[String],
) -> Vec<Diagnostic> {
    const SECTION_NAMES: &[&str] = &[
        "faq", "timeline", "glossary", "tags", "print", "search", "home",
    ];
    let is_year = |s: &str| {
        s.strip_prefix("year-")
            .is_some_and(|y| !y.is_empty() && y.chars().all(|c| c.is_ascii_digit()))
    };
    let mut problems = Vec::new();
    let mut check = |source: &crate::load::Source, slug: &str, taken: bool, what: &str| {
        if taken {
            let range = crate::content::find_key(source, "slug");
            problems.push(
                Diagnostic::error(format!("the slug `{slug}` is {what}"), source.span(range))
                    .with_label("reserved")
                    .with_help(format!(
                        "rename the file or set `slug = \"{slug}-1\"` (or another name) in its front-matter"
                    )),
            );
        }
    };
    let reserved_id = |s: &str| RESERVED_IDS.contains(&s) || SECTION_NAMES.contains(&s);
    for e in events {
        check(
            &e.source,
            &e.slug,
            reserved_id(&e.slug) || is_year(&e.slug),
            "an id the timeline page already uses",
        );
    }
    for t in terms {
        check(
            &t.source,
            &t.slug,
            reserved_id(&t.slug) || t.slug.starts_with("letter-"),
            "an id the glossary page already uses",
        );
    }
    for p in pages {
        check(
            &p.source,
            &p.slug,
            crate::config::OWN_FOLDERS.contains(&p.slug.as_str())
                || matches!(p.slug.as_str(), "home" | "page")
                || language_prefixes.contains(&p.slug),
            "the address of a built-in page or of a language's pages",
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_start_from_the_document_folder() {
        assert_eq!(
            local_path("faq/x/index.md", "chip.png").as_deref(),
            Some("faq/x/chip.png")
        );
        assert_eq!(
            local_path("faq/x.md", "chip.png").as_deref(),
            Some("faq/x/chip.png")
        );
        assert_eq!(
            local_path("faq/x.md", "../../img/a%20b.png").as_deref(),
            Some("img/a b.png")
        );
        assert_eq!(
            local_path("faq/x.md", "/img/a.png?v=1").as_deref(),
            Some("img/a.png")
        );
        assert_eq!(
            local_path("about.md", "../timeline/").as_deref(),
            Some("timeline/")
        );
        assert_eq!(local_path("_index.md", "x.pdf").as_deref(), Some("x.pdf"));
        assert_eq!(local_path("faq/x.md", "../../../etc/passwd"), None);
    }
}
