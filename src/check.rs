//! Verification of a generated site: every internal `href` and `src` must
//! name a file of the output and, with `#anchor`, an element with that id.
//!
//! It reads the generated HTML, not the Markdown, so it also catches links
//! written by templates.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use scraper::{Html, Selector};

/// A problem of a generated page: a link that leads nowhere, or an id
/// that more than one element has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page that holds the link (`faq/x/index.html`).
    pub page: String,
    /// The link as written; empty for a repeated id.
    pub href: String,
    /// What is wrong.
    pub reason: String,
    /// The content file (and line) the problem comes from, when known.
    pub source: Option<String>,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.href.is_empty() {
            write!(f, "{}: {}", self.page, self.reason)?;
        } else {
            write!(f, "{}: link `{}`: {}", self.page, self.href, self.reason)?;
        }
        if let Some(source) = &self.source {
            write!(f, " (from {source})")?;
        }
        Ok(())
    }
}

/// Reads every file under `dir` and checks its links.
pub fn check_dir(dir: &Path, base_path: &str) -> std::io::Result<Vec<BrokenLink>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            files.insert(
                crate::load::rel_path(dir, entry.path()),
                std::fs::read(entry.path())?,
            );
        }
    }
    Ok(check_files(&files, base_path))
}

/// Checks the links of every HTML file in `files` (path → bytes) against
/// the set of files and the ids each page has.
pub fn check_files<B: AsRef<[u8]> + Sync>(
    files: &BTreeMap<String, B>,
    base_path: &str,
) -> Vec<BrokenLink> {
    check_files_counted(files, base_path, &|| {})
}

/// How many pages [`check_files`] reads: the HTML files.
pub fn page_count<B>(files: &BTreeMap<String, B>) -> usize {
    files.keys().filter(|p| p.ends_with(".html")).count()
}

/// [`check_files`], calling `on_page` as each page has been read (for a
/// progress bar; reading the pages is most of the work).
pub fn check_files_counted<B: AsRef<[u8]> + Sync>(
    files: &BTreeMap<String, B>,
    base_path: &str,
    on_page: &(dyn Fn() + Sync),
) -> Vec<BrokenLink> {
    let pages: Vec<(&String, &B)> = files.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    let parsed: Vec<(String, PageIds, Vec<String>)> = pages
        .par_iter()
        .map(|(path, bytes)| {
            let (ids, links) = ids_and_links(&String::from_utf8_lossy(bytes.as_ref()));
            on_page();
            ((*path).clone(), ids, links)
        })
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = parsed
        .iter()
        .map(|(p, i, _)| (p.as_str(), &i.all))
        .collect();
    let mut broken = Vec::new();
    for (page, page_ids, _) in &parsed {
        for (id, count) in &page_ids.repeated {
            broken.push(BrokenLink {
                page: page.clone(),
                href: String::new(),
                reason: format!(
                    "{count} elements have the id `{id}`; an id must be unique on its page"
                ),
                source: None,
            });
        }
    }
    for (page, _, links) in &parsed {
        for href in links {
            if let Some(reason) = check_link(page, href, files, &ids, base_path) {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    reason,
                    source: None,
                });
            }
        }
    }
    broken
}

/// The ids of one page: every id and `<a name>`, and the ids that more
/// than one element has, with their count.
#[derive(Debug, Default)]
pub struct PageIds {
    /// Every id.
    pub all: HashSet<String>,
    /// Ids of several elements, sorted.
    pub repeated: Vec<(String, usize)>,
}

/// The ids of a page and the URLs it links to or loads.
pub fn ids_and_links(html: &str) -> (PageIds, Vec<String>) {
    let doc = Html::parse_document(html);
    let mut ids = PageIds::default();
    let mut links = Vec::new();
    if let Ok(sel) = Selector::parse("[id]") {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for id in doc.select(&sel).filter_map(|e| e.value().attr("id")) {
            *counts.entry(id).or_default() += 1;
        }
        ids.repeated = counts
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(id, n)| (id.to_string(), *n))
            .collect();
        ids.all.extend(counts.into_keys().map(str::to_string));
    }
    if let Ok(sel) = Selector::parse("a[name]") {
        ids.all.extend(
            doc.select(&sel)
                .filter_map(|e| e.value().attr("name"))
                .map(str::to_string),
        );
    }
    for (selector, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
        ("source[src]", "src"),
    ] {
        if let Ok(sel) = Selector::parse(selector) {
            links.extend(
                doc.select(&sel)
                    .filter_map(|e| e.value().attr(attr))
                    .map(str::to_string),
            );
        }
    }
    (ids, links)
}

fn is_external(href: &str) -> bool {
    href.starts_with("//")
        || href.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.contains('/') && !scheme.contains('#') && !scheme.contains('?')
        })
}

fn check_link<B>(
    page: &str,
    href: &str,
    files: &BTreeMap<String, B>,
    ids: &HashMap<&str, &HashSet<String>>,
    base_path: &str,
) -> Option<String> {
    if is_external(href) || href.is_empty() {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        let within = format!("/{abs}");
        match within.strip_prefix(base_path) {
            Some(rest) => rest.to_string(),
            None => return Some(format!("it is outside the site's base path {base_path}")),
        }
    } else {
        let dir = page
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        match normalize(&format!("{dir}{path}")) {
            Some(p) => p,
            None => return Some("it climbs above the site's root".to_string()),
        }
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if files.contains_key(&target) {
        target
    } else {
        format!("{target}/index.html")
    };
    if !files.contains_key(&file) {
        return Some(format!("no file {file} in the output"));
    }
    match fragment {
        Some(f) if !f.is_empty() && file.ends_with(".html") => match ids.get(file.as_str()) {
            Some(page_ids) if page_ids.contains(f) => None,
            _ => Some(format!("{file} has no element with id `{f}`")),
        },
        _ => None,
    }
}

/// Resolves `.` and `..` in a relative path; `None` when it leaves the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, h)| (p.to_string(), h.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn finds_missing_pages_and_anchors_and_accepts_good_links() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="/faq/a/#x">ok</a><a href="/faq/b/">bad</a><a href="/faq/a/#nope">bad</a><a href="https://e.org/">ext</a><a href="#top">bad</a><link href="/style.css">"##,
            ),
            (
                "faq/a/index.html",
                r##"<h2 id="x">x</h2><a href="../../">up</a><a href="../a/#x">self</a>"##,
            ),
            ("style.css", ""),
        ]);
        let broken = check_files(&files, "/");
        let hrefs: Vec<&str> = broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(hrefs, ["/faq/b/", "/faq/a/#nope", "#top"], "{broken:?}");
    }

    #[test]
    fn base_path_is_respected() {
        let files = site(&[
            (
                "index.html",
                r#"<a href="/sub/x/">ok</a><a href="/x/">outside</a>"#,
            ),
            ("x/index.html", ""),
        ]);
        let broken = check_files(&files, "/sub/");
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].href, "/x/");
    }
}
