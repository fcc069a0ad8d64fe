//! Render stage: Markdown to HTML, then Tera templates, in parallel.
//!
//! The data every page shares (site title, the list of questions, tags) is
//! serialised into a Tera value once per build; each page adds only its own
//! data, so the cost of a page does not grow with the size of the site.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::assets::Assets;
use crate::content::{Item, Page};
use crate::diagnostic::{Diagnostic, Span};
use crate::highlight::Highlighter;
use crate::link::{Site, paths};
use crate::load::hash_of;
use crate::markdown;
use crate::pages::{Bodies, PageKind, Pages};

/// One file of the output, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path with `/` separators: `faq/x/index.html`.
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}

/// The default templates, shipped inside the binary. A site's own
/// `templates/` file of the same name replaces one.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("question.html", include_str!("../templates/question.html")),
    ("timeline.html", include_str!("../templates/timeline.html")),
    ("glossary.html", include_str!("../templates/glossary.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("tags.html", include_str!("../templates/tags.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("print.html", include_str!("../templates/print.html")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("robots.txt", include_str!("../templates/robots.txt")),
];

/// The name and full text of a template, and the path shown in errors.
struct TemplateSource {
    name: String,
    text: String,
    shown: Arc<Path>,
}

/// Loads the default templates and the site's overrides into one Tera.
pub fn templates(
    root: &Path,
    assets: &Assets,
) -> Result<(Tera, Vec<Arc<TemplateFile>>), Vec<Diagnostic>> {
    let mut by_name: BTreeMap<String, TemplateSource> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                TemplateSource {
                    name: name.to_string(),
                    text: text.to_string(),
                    shown: PathBuf::from(format!("(built-in) templates/{name}")).into(),
                },
            )
        })
        .collect();
    let dir = root.join("templates");
    let mut problems = Vec::new();
    if dir.is_dir() {
        let (files, errors) = crate::load::visible_files(&dir);
        problems.extend(errors.into_iter().map(|e| {
            Diagnostic::error_in(
                format!("cannot read the templates folder: {e}"),
                Some(Path::new("templates").into()),
            )
        }));
        for (file, name) in files {
            let shown: Arc<Path> = Path::new("templates").join(&name).into();
            match std::fs::read_to_string(&file) {
                Ok(text) => {
                    by_name.insert(name.clone(), TemplateSource { name, text, shown });
                }
                Err(e) => problems.push(
                    Diagnostic::error_in(format!("cannot read this template: {e}"), Some(shown))
                        .with_help("templates must be UTF-8 text files"),
                ),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let files: Vec<Arc<TemplateFile>> = by_name
        .values()
        .map(|t| {
            Arc::new(TemplateFile {
                name: t.name.clone(),
                shown: t.shown.clone(),
                text: t.text.as_str().into(),
            })
        })
        .collect();
    let mut tera = Tera::new();
    // Functions must exist before templates that call them are added.
    crate::assets::register_function(&mut tera, assets);
    tera.add_raw_templates(by_name.values().map(|t| (t.name.as_str(), t.text.as_str())))
        .map_err(|e| vec![template_error(&e, &files)])?;
    Ok((tera, files))
}

/// A template's text, kept so errors can show the offending line.
#[derive(Debug)]
pub struct TemplateFile {
    name: String,
    shown: Arc<Path>,
    text: Arc<str>,
}

/// Turns a Tera error into a diagnostic that points at the template line.
fn template_error(error: &tera::Error, files: &[Arc<TemplateFile>]) -> Diagnostic {
    let find = |name: &str| files.iter().find(|f| f.name == name);
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let what = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            match find(report.filename()) {
                Some(file) => Diagnostic::error(
                    format!("{what} in {}: {}", file.name, report.message()),
                    Span::new(
                        file.shown.clone(),
                        file.text.clone(),
                        report.span().range.clone(),
                    ),
                )
                .with_label(if report.message().contains("not defined") {
                    "unknown name"
                } else {
                    "here"
                })
                .with_help(template_help(report.message())),
                None => Diagnostic::error_in(format!("{what}: {}", report.message()), None),
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let message = format!("template `{current}` extends `{parent}`, which does not exist");
            let help = format!(
                "create templates/{parent}, or extend one of the built-in templates such as base.html"
            );
            match find(current) {
                Some(file) => {
                    let at = file.text.find(parent.as_str()).unwrap_or(0);
                    Diagnostic::error(
                        message,
                        Span::new(file.shown.clone(), file.text.clone(), at..at + parent.len()),
                    )
                    .with_label("no template with this name")
                    .with_help(help)
                }
                None => Diagnostic::error_in(message, None).with_help(help),
            }
        }
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error_in(
            format!("template `{name}` does not exist"),
            Some(Path::new("templates").join(name).into()),
        )
        .with_help("create it in templates/, or use one of the built-in template names"),
        _ => Diagnostic::error_in(format!("template error: {error}"), None),
    }
}

fn template_help(message: &str) -> String {
    if message.contains("not defined") {
        "check the name; the variables each template receives are listed in the README (Templates), and a value that may be missing can be tested first with `{% if page.x %}`".to_string()
    } else {
        "see the Tera 2 documentation for the syntax; the built-in templates in the dossier repository are working examples".to_string()
    }
}

/// A rendered Markdown body and the key it was rendered for.
type RenderedBody = (u64, Arc<str>);

/// What one build remembers for the next one in `dossier serve`: rendered
/// Markdown bodies, the shared `site` value and a key of each page's
/// inputs, so that only pages whose inputs changed are rendered again.
#[derive(Debug, Default)]
pub struct RenderCache {
    bodies: HashMap<Arc<str>, RenderedBody>,
    pages: HashMap<String, u64>,
    globals: u64,
    site_value: Option<(u64, Value)>,
    search: Vec<(u64, OutputFile)>,
}

/// The result of [`render_changed`].
#[derive(Debug)]
pub struct RenderOutput {
    /// The files rendered this time (all of them without a cache).
    pub files: Vec<OutputFile>,
    /// Every file the site has now, rendered this time or not.
    pub paths: Vec<String>,
}

/// Renders the Markdown of every document, reusing the bodies in `cache`
/// whose key (text, linked terms, and everything else a body depends on)
/// has not changed. Returns the bodies and the entries for the next cache.
fn render_bodies(
    site: &Site,
    highlighter: &Highlighter,
    cache: Option<&RenderCache>,
) -> (Bodies, HashMap<Arc<str>, RenderedBody>) {
    // A body appears on one page; its links are written relative to it.
    let md = |source: &crate::load::Source, allowed: &[usize], page: &str| -> RenderedBody {
        let resolve = |dest: &str| site.resolve(page, dest);
        let term_html = |t: usize, text: &str| term_link_html(site, page, t, text);
        let key = hash_of(&(source.hash, allowed, site.body_fingerprint, page));
        if let Some((k, html)) = cache.and_then(|c| c.bodies.get(&source.rel))
            && *k == key
        {
            return (key, html.clone());
        }
        let terms = site.autolinker.as_ref().map(|linker| markdown::TermLinks {
            linker,
            allowed,
            html: &term_html,
        });
        let html = markdown::render(source.body_text(), &resolve, highlighter, terms.as_ref());
        (key, html.into())
    };
    let questions: Vec<RenderedBody> = site
        .questions
        .par_iter()
        .zip(&site.question_autolinks)
        .map(|(q, allowed)| md(&q.source, allowed, &paths::question(&q.slug)))
        .collect();
    let events: Vec<RenderedBody> = site
        .events
        .par_iter()
        .zip(&site.event_autolinks)
        .map(|(e, allowed)| md(&e.source, allowed, paths::TIMELINE))
        .collect();
    let terms: Vec<RenderedBody> = site
        .terms
        .par_iter()
        .zip(&site.term_autolinks)
        .map(|(t, allowed)| md(&t.source, allowed, paths::GLOSSARY))
        .collect();
    let c = &site.content;
    let section_pages = [&c.home, &c.faq_index, &c.timeline_index, &c.glossary_index];
    let section_paths = [paths::HOME, paths::HOME, paths::TIMELINE, paths::GLOSSARY];
    let section = |(p, page): (&Option<Item<Page>>, &str)| -> RenderedBody {
        p.as_ref()
            .map(|p| md(&p.source, &[], page))
            .unwrap_or_else(|| (0, Arc::from("")))
    };
    let sections = [0, 1, 2, 3].map(|i| section((section_pages[i], section_paths[i])));
    // The bodies to remember: only those not already remembered as they are.
    let mut next = HashMap::new();
    if let Some(cache) = cache {
        let all = site
            .questions
            .iter()
            .map(|q| &q.source)
            .zip(&questions)
            .chain(site.events.iter().map(|e| &e.source).zip(&events))
            .chain(site.terms.iter().map(|t| &t.source).zip(&terms))
            .chain(
                section_pages
                    .iter()
                    .zip(&sections)
                    .filter_map(|(p, b)| p.as_ref().map(|p| (&p.source, b))),
            );
        for (source, body) in all {
            if cache
                .bodies
                .get(&source.rel)
                .is_none_or(|(k, _)| *k != body.0)
            {
                next.insert(source.rel.clone(), body.clone());
            }
        }
    }
    (
        Bodies {
            questions,
            events,
            terms,
            sections,
        },
        next,
    )
}

/// An automatic glossary link with its preview. The preview is real text
/// in the page (shown on hover, focus and tap by the stylesheet and script,
/// and read by screen readers through `aria-describedby`), and the link
/// leads to the full entry, so nothing depends on JavaScript.
fn term_link_html(site: &Site, page: &str, t: usize, text: &str) -> String {
    let term = &site.terms[t];
    let esc = |s: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, s);
        out
    };
    format!(
        "<span class=\"term-ref\"><a class=\"term-link\" href=\"{url}\" aria-describedby=\"tip-{slug}\">{text}</a><span class=\"term-tip\" role=\"tooltip\" id=\"tip-{slug}\"><strong>{name}</strong>{abbr}: {preview}</span></span>",
        url = site.url_from(page, &format!("{}#{}", paths::GLOSSARY, term.slug)),
        slug = term.slug,
        text = esc(text),
        name = esc(&term.term),
        abbr = term
            .abbr
            .as_deref()
            .map(|a| format!(" ({})", esc(a)))
            .unwrap_or_default(),
        preview = esc(&site.term_previews[t]),
    )
}

/// Renders every page of the site.
pub fn render(
    site: &Site,
    tera: &Tera,
    templates: &[Arc<TemplateFile>],
    highlighter: &Highlighter,
    assets: &Assets,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_changed(site, tera, templates, highlighter, assets, None, 0).map(|o| o.files)
}

/// Renders the pages whose inputs changed since the build `cache` remembers
/// (every page without a cache), and updates the cache. `templates_key`
/// must change whenever a template does.
pub fn render_changed(
    site: &Site,
    tera: &Tera,
    templates: &[Arc<TemplateFile>],
    highlighter: &Highlighter,
    assets: &Assets,
    mut cache: Option<&mut RenderCache>,
    templates_key: u64,
) -> Result<RenderOutput, Vec<Diagnostic>> {
    let (bodies, next_bodies) = render_bodies(site, highlighter, cache.as_deref());
    let pages = Pages::new(site, &bodies, assets, highlighter);
    // Every page sees `site` and the templates: when either changes, every
    // page is rendered again.
    let site_key = pages.site_key();
    let globals = hash_of(&(site_key, templates_key, assets.key()));
    let fresh = cache.as_ref().is_none_or(|c| c.globals != globals);
    let all = pages.all();
    let keyed: Vec<(PageKind, String, u64)> = all
        .par_iter()
        .map(|&p| (p, pages.path(p), pages.key(p)))
        .collect();
    let to_render: Vec<&(PageKind, String, u64)> = keyed
        .iter()
        .filter(|(_, path, key)| {
            fresh || cache.as_ref().and_then(|c| c.pages.get(path)) != Some(key)
        })
        .collect();
    let shared = match cache.as_ref().and_then(|c| c.site_value.as_ref()) {
        Some((key, value)) if *key == site_key => value.clone(),
        _ => pages.site_value(),
    };
    let results: Vec<Result<OutputFile, Diagnostic>> = to_render
        .into_par_iter()
        .map(|(page, path, _)| {
            let mut ctx = Context::new();
            ctx.insert_value("site", shared.clone());
            ctx.insert_value("page", pages.value(*page));
            ctx.insert("meta", &pages.meta(*page));
            let urls = pages.urls(*page);
            ctx.insert("root", &urls.root());
            ctx.insert("urls", &urls);
            ctx.insert("current_url", &site.absolute_url(path));
            ctx.insert("canonical_url", &site.absolute_url(path));
            tera.render(Pages::template(*page), &ctx)
                .map(|html| OutputFile {
                    path: paths::file_for(path),
                    bytes: html.into_bytes(),
                })
                .map_err(|e| template_error(&e, templates))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 1);
    let mut problems: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            // The same template mistake fails every page that uses it: say it once.
            Err(d) => {
                if !problems.iter().any(|p| p.message == d.message) {
                    problems.push(d);
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The search index, in files of a few hundred documents each.
    let previous_search = cache.as_ref().map(|c| c.search.as_slice()).unwrap_or(&[]);
    let clock = std::time::Instant::now();
    let search = crate::search::build(site, previous_search);
    if std::env::var_os("DOSSIER_TIMINGS").is_some() {
        eprintln!("  search index {:?}", clock.elapsed());
    }
    for (n, (key, file)) in search.iter().enumerate() {
        if previous_search
            .get(n)
            .is_none_or(|(k, f)| k != key || f.path != file.path)
        {
            files.push(file.clone());
        }
    }
    let page_keys: HashMap<String, u64> = keyed
        .into_iter()
        .map(|(_, path, key)| (path, key))
        .collect();
    let mut paths: Vec<String> = page_keys.keys().map(|p| paths::file_for(p)).collect();
    paths.extend(search.iter().map(|(_, f)| f.path.clone()));
    paths.sort_unstable();
    if let Some(cache) = cache.as_mut() {
        cache.bodies.extend(next_bodies);
        let documents = site.questions.len() + site.events.len() + site.terms.len() + 4;
        if cache.bodies.len() > documents {
            let present: std::collections::HashSet<&str> = site
                .questions
                .iter()
                .map(|q| &*q.source.rel)
                .chain(site.events.iter().map(|e| &*e.source.rel))
                .chain(site.terms.iter().map(|t| &*t.source.rel))
                .chain([
                    "_index.md",
                    "faq/_index.md",
                    "timeline/_index.md",
                    "glossary/_index.md",
                ])
                .collect();
            cache.bodies.retain(|rel, _| present.contains(&**rel));
        }
        cache.pages = page_keys;
        cache.globals = globals;
        cache.site_value = Some((site_key, shared));
        cache.search = search;
    }
    Ok(RenderOutput { files, paths })
}
