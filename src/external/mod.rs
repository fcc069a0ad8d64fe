//! `dossier check --external`: every http(s) link of the built site, fetched.
//!
//! The links come from the generated HTML (so sources' `url`, Markdown
//! links, images and template links are all covered); each broken one is
//! reported at every place it is written in the content files or
//! templates, with the line and a caret, like the build's own errors.
//!
//! Each page is fetched once however many links point at it
//! ([`fetch`]: bounded concurrency, a per-host limit, timeouts, redirects
//! followed by hand so that permanent moves can be reported), and what
//! worked is remembered for a while ([`cache`]) so that a second run a few
//! minutes later asks the network again only about what was broken.

mod cache;
mod fetch;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::progress::{Progress, ProgressMode};
use cache::Cache;
use fetch::{Answer, Failure};

/// How `dossier check --external` fetches.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Longest wait for one request, from connecting to the last byte read.
    pub timeout: Duration,
    /// How long a link that worked is believed without asking again; zero
    /// turns the cache off (neither read nor written).
    pub cache_hours: u64,
    /// Requests under way at once, over all hosts.
    pub concurrency: usize,
    /// Requests under way at once to one host.
    pub per_host: usize,
    /// Shortest time between the starts of two requests to one host.
    pub host_interval: Duration,
    /// Warnings (permanent redirects, rate limits) become errors.
    pub strict: bool,
    /// Where progress is shown.
    pub progress: ProgressMode,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            cache_hours: 24,
            concurrency: 8,
            per_host: 2,
            host_interval: Duration::from_millis(250),
            strict: false,
            progress: ProgressMode::Hidden,
        }
    }
}

/// What `dossier check --external` found.
#[derive(Debug, Default)]
pub struct ExternalReport {
    /// One diagnostic per place a broken or moved link is written.
    pub diagnostics: Diagnostics,
    /// Distinct external links (URL with fragment).
    pub links: usize,
    /// Links whose page was answered from the cache.
    pub cached: usize,
    /// Links that are broken.
    pub broken: usize,
    /// Links that were redirected permanently.
    pub moved: usize,
}

/// The cache file of a site: `ROOT/.dossier-cache/external.json`.
pub fn cache_path(root: &Path) -> PathBuf {
    root.join(".dossier-cache").join("external.json")
}

/// One page to fetch: its address without fragment, and every fragment that
/// a link asks of it.
#[derive(Debug, Clone)]
struct Target {
    url: Url,
    fragments: BTreeSet<String>,
}

/// Checks every external link of the built site in `root`: `files` are its
/// output files (path → bytes), `base_url` its own address.
pub fn check_external(
    root: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    base_url: &str,
    options: &ExternalOptions,
) -> ExternalReport {
    let links = external_links(files, base_url);
    let targets = targets(&links);
    let now = cache::now();
    let cache_file = cache_path(root);
    let mut cache = if options.cache_hours > 0 {
        Cache::load(&cache_file, options.cache_hours, now)
    } else {
        Cache::default()
    };
    let mut answers: BTreeMap<String, (Answer, bool)> = BTreeMap::new();
    let mut to_fetch = Vec::new();
    for target in targets.values() {
        match cache.lookup(target) {
            Some(answer) => {
                answers.insert(target.url.to_string(), (answer, true));
            }
            None => to_fetch.push(target.clone()),
        }
    }
    let progress = Progress::start(options.progress, "external links", to_fetch.len() as u64);
    let fetched = fetch::fetch_all(&to_fetch, options, &progress);
    progress.finish();
    for (target, answer) in to_fetch.iter().zip(fetched) {
        cache.record(target, &answer, now);
        answers.insert(target.url.to_string(), (answer, false));
    }
    let mut problems = Vec::new();
    if options.cache_hours > 0
        && let Err(e) = cache.save(&cache_file)
    {
        problems.push(
            Diagnostic::error_in(
                format!("cannot write the link cache: {e}"),
                Some(Arc::from(cache_file.as_path())),
            )
            .warning()
            .with_help("the links were checked; only the cache was not kept (--cache-hours 0 turns it off)"),
        );
    }
    let places = Places::read(root);
    let mut report = ExternalReport {
        links: links.len(),
        ..ExternalReport::default()
    };
    for (link, pages) in &links {
        let Some((document, fragment)) = split_fragment(link) else {
            continue;
        };
        let Some((answer, from_cache)) = answers.get(&document) else {
            continue;
        };
        report.cached += usize::from(*from_cache);
        let Some(finding) = Finding::of(link, fragment.as_deref(), answer, options) else {
            continue;
        };
        match finding.level {
            Level::Broken => report.broken += 1,
            Level::Moved => report.moved += 1,
            Level::Unverified => {}
        }
        problems.extend(places.diagnostics(link, pages, &finding));
    }
    let mut diagnostics: Diagnostics = problems.into();
    if options.strict {
        diagnostics = diagnostics.strict();
    }
    report.diagnostics = diagnostics;
    report
}

/// Every distinct http(s) link of the generated HTML, with the pages that
/// hold it. Links into the site itself (canonical URLs, the feed, written
/// from `base_url`) are not external: the site may not be published yet.
fn external_links(
    files: &BTreeMap<String, Vec<u8>>,
    base_url: &str,
) -> BTreeMap<String, BTreeSet<String>> {
    let own = |link: &str| base_url.starts_with("http") && link.starts_with(base_url);
    let mut links: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in files {
        if !path.ends_with(".html") {
            continue;
        }
        let (_, hrefs) = crate::check::ids_and_links(&String::from_utf8_lossy(bytes));
        for href in hrefs {
            let external = Url::parse(&href)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if external && !own(&href) {
                links.entry(href).or_default().insert(path.clone());
            }
        }
    }
    links
}

/// The page address of `link` (fragment removed, normalised by `url`) and
/// its fragment, if it has a non-empty one.
fn split_fragment(link: &str) -> Option<(String, Option<String>)> {
    let mut url = Url::parse(link).ok()?;
    let fragment = url.fragment().filter(|f| !f.is_empty()).map(str::to_string);
    url.set_fragment(None);
    Some((url.to_string(), fragment))
}

/// The pages to fetch, keyed by address, each with the fragments asked of it.
fn targets(links: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, Target> {
    let mut targets: BTreeMap<String, Target> = BTreeMap::new();
    for link in links.keys() {
        let Some((document, fragment)) = split_fragment(link) else {
            continue;
        };
        let Ok(url) = Url::parse(&document) else {
            continue;
        };
        let target = targets.entry(document).or_insert_with(|| Target {
            url,
            fragments: BTreeSet::new(),
        });
        target.fragments.extend(fragment);
    }
    targets
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The link leads nowhere: an error.
    Broken,
    /// It works but has moved for good: a warning.
    Moved,
    /// The server would not say (rate limited): a warning.
    Unverified,
}

/// What is wrong with one link, in words.
#[derive(Debug)]
struct Finding {
    level: Level,
    message: String,
    label: String,
    help: String,
}

impl Finding {
    /// `diagnostic` (placed where the link is written) with this finding's
    /// label, help and severity.
    fn at(&self, diagnostic: Diagnostic) -> Diagnostic {
        let diagnostic = diagnostic
            .with_label(self.label.clone())
            .with_help(self.help.clone());
        match self.level {
            Level::Broken => diagnostic,
            Level::Moved | Level::Unverified => diagnostic.warning(),
        }
    }

    /// What to say about `link`, whose page answered `answer`; `None` when
    /// all is well.
    fn of(
        link: &str,
        fragment: Option<&str>,
        answer: &Answer,
        options: &ExternalOptions,
    ) -> Option<Finding> {
        let broken = |label: String, help: String| Finding {
            level: Level::Broken,
            message: format!("external link `{link}` is broken: {label}"),
            label,
            help,
        };
        match answer {
            Answer::Failed(failure) => Some(match failure {
                Failure::Status(code, reason) => broken(
                    format!("the server answered {code} {reason}"),
                    "correct the address, or link to an archived copy of a page that is gone"
                        .to_string(),
                ),
                Failure::Timeout => broken(
                    format!("no answer within {} s", options.timeout.as_secs_f64()),
                    "the server may be down; if it is only slow, raise --timeout".to_string(),
                ),
                Failure::Unreachable(why) => broken(
                    why.clone(),
                    "check the host name; the site may be gone".to_string(),
                ),
                Failure::Limited => Finding {
                    level: Level::Unverified,
                    message: format!(
                        "external link `{link}` was not verified: the server answered 429 Too Many Requests"
                    ),
                    label: "rate limited".to_string(),
                    help: "run the check again later".to_string(),
                },
            }),
            Answer::Found(found) => {
                if let Some(fragment) = fragment
                    && let Some(nearest) = found.missing.get(fragment)
                {
                    let help = match nearest {
                        Some(id) => format!("did you mean `#{id}`?"),
                        None => {
                            "link to the page without the fragment, or to an id it has".to_string()
                        }
                    };
                    return Some(broken(
                        format!("the page has no element with id `{fragment}`"),
                        help,
                    ));
                }
                let to = found.moved_to.as_ref()?;
                let to = match fragment {
                    Some(f) => format!("{to}#{f}"),
                    None => to.clone(),
                };
                Some(Finding {
                    level: Level::Moved,
                    message: format!("external link `{link}` has moved permanently to `{to}`"),
                    label: "moved permanently".to_string(),
                    help: format!("link to `{to}` instead"),
                })
            }
        }
    }
}

/// The files a link can be written in, to point at the line: content files,
/// templates, and HTML under `static/`.
struct Places {
    files: Vec<(Arc<Path>, Arc<str>)>,
}

impl Places {
    fn read(root: &Path) -> Places {
        let (loaded, _) = crate::load::load(root);
        let mut files: Vec<(Arc<Path>, Arc<str>)> = loaded
            .sources
            .into_iter()
            .map(|s| (s.path, s.text))
            .collect();
        for folder in ["templates", "static"] {
            let (found, _) = crate::load::site_files(root, &root.join(folder));
            for (path, rel) in found {
                if folder == "static" && !rel.ends_with(".html") {
                    continue;
                }
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let shown = Path::new(folder).join(rel);
                    files.push((Arc::from(shown.as_path()), text.into()));
                }
            }
        }
        Places { files }
    }

    /// One diagnostic for each place `link` is written; where it is written
    /// nowhere (a built-in template), one for each generated page with it.
    fn diagnostics(
        &self,
        link: &str,
        pages: &BTreeSet<String>,
        finding: &Finding,
    ) -> Vec<Diagnostic> {
        let decoded = percent_encoding::percent_decode_str(link).decode_utf8_lossy();
        let mut spellings = vec![link];
        if decoded != link {
            spellings.push(&decoded);
        }
        let mut out = Vec::new();
        for (path, text) in &self.files {
            for spelling in &spellings {
                for start in occurrences(text, spelling) {
                    let span = Span::new(path.clone(), text.clone(), start..start + spelling.len());
                    out.push(finding.at(Diagnostic::error(finding.message.clone(), span)));
                }
            }
        }
        if out.is_empty() {
            for page in pages {
                let message = format!("{} (in the generated page {page})", finding.message);
                out.push(finding.at(Diagnostic::error_in(message, None)));
            }
        }
        out
    }
}

/// Byte offsets where `url` is written in `text` as a whole address: not
/// followed by more URL characters (`…/a` is not in `…/ab`), but followed
/// by what ends a link in Markdown, TOML or HTML (`)`, `"`, `>`, space).
fn occurrences(text: &str, url: &str) -> Vec<usize> {
    let continues = |c: char| c.is_alphanumeric() || "-._~/?#@$&*+,;=%:[".contains(c);
    text.match_indices(url)
        .filter(|(start, _)| {
            let after = text.get(start + url.len()..).unwrap_or("");
            !after.chars().next().is_some_and(continues)
        })
        .map(|(start, _)| start)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_whole_addresses() {
        let text = "[a](http://h/a) [b](http://h/ab) <http://h/a> \"http://h/a\"\nhttp://h/a/x";
        let found = occurrences(text, "http://h/a");
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], 4);
    }

    #[test]
    fn fragments_are_grouped_by_page() {
        let links: BTreeMap<String, BTreeSet<String>> = [
            "http://h/p#one",
            "http://h/p#two",
            "http://h/p",
            "http://h/q#",
        ]
        .iter()
        .map(|l| (l.to_string(), BTreeSet::new()))
        .collect();
        let targets = targets(&links);
        assert_eq!(targets.len(), 2);
        let p = &targets["http://h/p"];
        assert_eq!(p.fragments.iter().collect::<Vec<_>>(), ["one", "two"]);
        assert!(targets["http://h/q"].fragments.is_empty());
    }
}
