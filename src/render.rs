//! Render stage: Markdown to HTML, then Tera templates, in parallel.
//!
//! The data every page shares (site title, the list of questions, tags) is
//! serialised into a Tera value once per build; each page adds only its own
//! data, so the cost of a page does not grow with the size of the site.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::content::{Citation, Item, KeyFigure, Page};
use crate::diagnostic::{Diagnostic, Span};
use crate::highlight::Highlighter;
use crate::link::{DocRef, Site, paths};
use crate::load::hash_of;
use crate::markdown;

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
pub fn templates(root: &Path) -> Result<(Tera, Vec<Arc<TemplateFile>>), Vec<Diagnostic>> {
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
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Diagnostic::error_in(
                        format!("cannot read the templates folder: {e}"),
                        Some(Path::new("templates").into()),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let shown: Arc<Path> = Path::new("templates").join(rel).into();
            match std::fs::read_to_string(entry.path()) {
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

// ---------------------------------------------------------------------------
// Data given to templates. Field names are part of the template contract
// documented in the README.
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    home_url: String,
    timeline_url: String,
    glossary_url: String,
    tags_url: String,
    feed_url: String,
    stylesheet_url: String,
    syntax_stylesheet_url: String,
    script_url: String,
    favicon_url: String,
    questions: Vec<QuestionLink>,
    tags: Vec<TagLink>,
    question_count: usize,
    event_count: usize,
    term_count: usize,
}

#[derive(Serialize, Clone)]
struct QuestionLink {
    slug: String,
    title: String,
    summary: String,
    url: String,
    tags: Vec<TagLink>,
}

#[derive(Serialize, Clone)]
struct TagLink {
    name: String,
    slug: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct DateView {
    iso: String,
    human: String,
}

impl From<&crate::content::PartialDate> for DateView {
    fn from(d: &crate::content::PartialDate) -> Self {
        DateView {
            iso: d.iso(),
            human: d.human(),
        }
    }
}

#[derive(Serialize)]
struct LinkView {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: &'a str,
    content: String,
    key_figures: &'a [KeyFigure],
}

#[derive(Serialize)]
struct QuestionView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    content: &'a str,
    url: String,
    permalink: String,
    date: Option<DateView>,
    updated: Option<DateView>,
    tags: Vec<TagLink>,
    sources: &'a [Citation],
    related: Vec<LinkView>,
    events: Vec<EventLink>,
    terms: Vec<LinkView>,
}

#[derive(Serialize)]
struct EventLink {
    title: String,
    url: String,
    date: DateView,
    status: &'static str,
}

#[derive(Serialize)]
struct EventView<'a> {
    slug: &'a str,
    title: &'a str,
    date: DateView,
    end: Option<DateView>,
    status: &'static str,
    status_label: &'static str,
    content: &'a str,
    questions: Vec<LinkView>,
    sources: &'a [Citation],
}

#[derive(Serialize)]
struct YearView<'a> {
    year: String,
    events: Vec<EventView<'a>>,
}

#[derive(Serialize)]
struct TermView<'a> {
    slug: &'a str,
    term: &'a str,
    aliases: &'a [String],
    abbr: Option<&'a str>,
    content: &'a str,
    see_also: Vec<LinkView>,
    mentioned_in: Vec<LinkView>,
}

#[derive(Serialize)]
struct LetterView<'a> {
    letter: String,
    id: String,
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
struct JumpLetter {
    letter: String,
    id: String,
    present: bool,
}

/// What a page says about itself to browsers, search engines and link
/// previews: `<title>`, description, Open Graph and JSON-LD.
#[derive(Serialize)]
struct Meta {
    document_title: String,
    title: String,
    description: String,
    og_type: &'static str,
    json_ld: Option<String>,
}

/// A schema.org `Question` with its accepted answer.
fn faq_question(site: &Site, slug: &str, title: &str, answer: &str) -> serde_json::Value {
    serde_json::json!({
        "@type": "Question",
        "name": title,
        "url": site.absolute_url(&paths::question(slug)),
        "acceptedAnswer": { "@type": "Answer", "text": answer },
    })
}

/// A schema.org `FAQPage`, serialised for a `<script>` element (`</` is
/// escaped so the text can never close the element).
fn faq_page(questions: Vec<serde_json::Value>) -> String {
    let page = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": questions,
    });
    page.to_string().replace("</", "<\\/")
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// The rendered HTML of every document, computed once per build.
/// A rendered Markdown body and the key it was rendered for.
type RenderedBody = (u64, Arc<str>);

struct Bodies {
    questions: Vec<Arc<str>>,
    events: Vec<Arc<str>>,
    terms: Vec<Arc<str>>,
    sections: [Arc<str>; 4],
    /// For each question, the key its body was rendered for.
    question_keys: Vec<u64>,
    /// Key of every body rendered, by file, for the next build.
    cache: HashMap<String, RenderedBody>,
}

/// What one build remembers for the next one in `dossier serve`: rendered
/// Markdown bodies and a fingerprint of each page's inputs, so that only
/// pages whose inputs changed are rendered again.
#[derive(Debug, Default)]
pub struct RenderCache {
    bodies: HashMap<String, RenderedBody>,
    pages: HashMap<String, u64>,
    globals: u64,
}

/// The result of [`render_changed`].
#[derive(Debug)]
pub struct RenderOutput {
    /// The files rendered this time (all of them without a cache).
    pub files: Vec<OutputFile>,
    /// Every file the site has now, rendered this time or not.
    pub paths: Vec<String>,
}

/// A hasher that serde can write to, for fingerprints of page data.
struct HashWriter(std::hash::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::hash::Hasher::write(&mut self.0, buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fingerprint of anything serialisable.
fn fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut w = HashWriter(std::hash::DefaultHasher::new());
    let _ = serde_json::to_writer(&mut w, value);
    std::hash::Hasher::finish(&w.0)
}

fn render_bodies(site: &Site, highlighter: &Highlighter, cache: Option<&RenderCache>) -> Bodies {
    let resolve = |dest: &str| site.resolve(dest);
    let term_html = |t: usize, text: &str| term_link_html(site, t, text);
    let md = |source: &crate::load::Source, allowed: &[usize]| -> RenderedBody {
        let key = hash_of(&(source.hash, allowed, site.body_fingerprint));
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
        .map(|(q, allowed)| md(&q.source, allowed))
        .collect();
    let events: Vec<RenderedBody> = site
        .events
        .par_iter()
        .zip(&site.event_autolinks)
        .map(|(e, allowed)| md(&e.source, allowed))
        .collect();
    let terms: Vec<RenderedBody> = site
        .terms
        .par_iter()
        .zip(&site.term_autolinks)
        .map(|(t, allowed)| md(&t.source, allowed))
        .collect();
    let c = &site.content;
    let sections: Vec<Option<(&crate::load::Source, RenderedBody)>> =
        [&c.home, &c.faq_index, &c.timeline_index, &c.glossary_index]
            .iter()
            .map(|p| p.as_ref().map(|p| (&p.source, md(&p.source, &[]))))
            .collect();
    let mut cache_out = HashMap::new();
    let sources = site
        .questions
        .iter()
        .map(|q| &q.source)
        .zip(&questions)
        .chain(site.events.iter().map(|e| &e.source).zip(&events))
        .chain(site.terms.iter().map(|t| &t.source).zip(&terms))
        .chain(sections.iter().flatten().map(|(s, b)| (*s, b)));
    for (source, body) in sources {
        cache_out.insert(source.rel.clone(), body.clone());
    }
    let section = |i: usize| -> Arc<str> {
        sections
            .get(i)
            .and_then(|s| s.as_ref())
            .map(|(_, (_, html))| html.clone())
            .unwrap_or_else(|| Arc::from(""))
    };
    Bodies {
        question_keys: questions.iter().map(|(k, _)| *k).collect(),
        sections: [section(0), section(1), section(2), section(3)],
        questions: questions.into_iter().map(|(_, h)| h).collect(),
        events: events.into_iter().map(|(_, h)| h).collect(),
        terms: terms.into_iter().map(|(_, h)| h).collect(),
        cache: cache_out,
    }
}

/// An automatic glossary link with its preview. The preview is real text
/// in the page (shown on hover, focus and tap by the stylesheet and script,
/// and read by screen readers through `aria-describedby`), and the link
/// leads to the full entry, so nothing depends on JavaScript.
fn term_link_html(site: &Site, t: usize, text: &str) -> String {
    let term = &site.terms[t];
    let esc = |s: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, s);
        out
    };
    format!(
        "<span class=\"term-ref\"><a class=\"term-link\" href=\"{url}#{slug}\" aria-describedby=\"tip-{slug}\">{text}</a><span class=\"term-tip\" role=\"tooltip\" id=\"tip-{slug}\"><strong>{name}</strong>{abbr}: {preview}</span></span>",
        url = site.url(paths::GLOSSARY),
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
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_changed(site, tera, templates, highlighter, None, 0).map(|o| o.files)
}

/// Renders the pages whose inputs changed since the build `cache` remembers
/// (every page without a cache), and updates the cache. `templates_key`
/// must change whenever a template does.
pub fn render_changed(
    site: &Site,
    tera: &Tera,
    templates: &[Arc<TemplateFile>],
    highlighter: &Highlighter,
    mut cache: Option<&mut RenderCache>,
    templates_key: u64,
) -> Result<RenderOutput, Vec<Diagnostic>> {
    let bodies = render_bodies(site, highlighter, cache.as_deref());
    let tag_links: Vec<TagLink> = site
        .tags
        .iter()
        .map(|t| TagLink {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: site.url(&paths::tag(&t.slug)),
            count: t.questions.len(),
        })
        .collect();
    let tag_index: BTreeMap<String, usize> = site
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.clone(), i))
        .collect();
    let tags_of = |tags: &[String]| -> Vec<TagLink> {
        tags.iter()
            .filter_map(|t| {
                tag_index
                    .get(&slug::slugify(t))
                    .map(|&i| tag_links[i].clone())
            })
            .collect()
    };
    // The short answer: `summary`, or the answer's first paragraph. The same
    // text is shown on the page and given to search engines in JSON-LD.
    let short_answers: Vec<String> = site
        .questions
        .iter()
        .map(|q| {
            q.summary
                .clone()
                .unwrap_or_else(|| markdown::first_paragraph_text(q.source.body_text()))
        })
        .collect();
    let question_links: Vec<QuestionLink> = site
        .questions
        .iter()
        .zip(&short_answers)
        .map(|(q, short)| QuestionLink {
            slug: q.slug.clone(),
            title: q.title.clone(),
            summary: short.clone(),
            url: site.url(&paths::question(&q.slug)),
            tags: tags_of(&q.tags),
        })
        .collect();
    let site_view = SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        base_url: &site.config.base_url,
        home_url: site.url(paths::HOME),
        timeline_url: site.url(paths::TIMELINE),
        glossary_url: site.url(paths::GLOSSARY),
        tags_url: site.url(paths::TAGS),
        feed_url: site.url("atom.xml"),
        stylesheet_url: site.url("style.css"),
        syntax_stylesheet_url: site.url("syntax.css"),
        script_url: site.url("dossier.js"),
        favicon_url: site.url("favicon.svg"),
        questions: question_links.clone(),
        tags: tag_links.clone(),
        question_count: site.questions.len(),
        event_count: site.events.len(),
        term_count: site.terms.len(),
    };
    let shared = Value::from_serializable(&site_view);
    // Every page sees `site` and the templates: when either changes, every
    // page is rendered again.
    let globals = hash_of(&(fingerprint(&site_view), templates_key));
    let fresh = cache.as_ref().is_none_or(|c| c.globals != globals);
    let previous_fingerprint = |path: &str| -> Option<u64> {
        if fresh {
            None
        } else {
            cache.as_ref().and_then(|c| c.pages.get(path).copied())
        }
    };

    // Each job is one output file: its path, template, and page data.
    let mut jobs: Vec<(String, &str, Value)> = Vec::new();
    let section = |p: &Option<Item<Page>>, body: &str, fallback: &'static str| {
        let page = p.as_ref().map(|p| &p.data);
        Value::from_serializable(&SectionView {
            title: page.and_then(|p| p.title.as_deref()).unwrap_or(fallback),
            description: page.and_then(|p| p.description.as_deref()).unwrap_or(""),
            content: body.to_string(),
            key_figures: page.map(|p| p.key_figures.as_slice()).unwrap_or(&[]),
        })
    };
    let c = &site.content;
    let mut metas: HashMap<String, Meta> = HashMap::new();
    let home_title = c
        .home
        .as_ref()
        .and_then(|h| h.title.clone())
        .unwrap_or_else(|| site.config.title.clone());
    let home_description = c
        .home
        .as_ref()
        .and_then(|h| h.description.clone())
        .unwrap_or_else(|| site.config.description.clone());
    let faq_entries: Vec<serde_json::Value> = site
        .questions
        .iter()
        .zip(&short_answers)
        .map(|(q, a)| faq_question(site, &q.slug, &q.title, a))
        .collect();
    metas.insert(
        paths::HOME.to_string(),
        Meta {
            document_title: home_title.clone(),
            title: home_title,
            description: home_description,
            og_type: "website",
            json_ld: Some(faq_page(faq_entries)),
        },
    );
    for (q, a) in site.questions.iter().zip(&short_answers) {
        metas.insert(
            paths::question(&q.slug),
            Meta {
                document_title: format!("{} · {}", q.title, site.config.title),
                title: q.title.clone(),
                description: a.clone(),
                og_type: "article",
                json_ld: Some(faq_page(vec![faq_question(site, &q.slug, &q.title, a)])),
            },
        );
    }
    let simple = |title: &str, description: Option<&str>| Meta {
        document_title: format!("{title} · {}", site.config.title),
        title: title.to_string(),
        description: description
            .filter(|d| !d.is_empty())
            .unwrap_or(&site.config.description)
            .to_string(),
        og_type: "website",
        json_ld: None,
    };
    let section_meta = |p: &Option<Item<Page>>, fallback: &str| {
        let page = p.as_ref().map(|p| &p.data);
        simple(
            page.and_then(|p| p.title.as_deref()).unwrap_or(fallback),
            page.and_then(|p| p.description.as_deref()),
        )
    };
    metas.insert(
        paths::TIMELINE.to_string(),
        section_meta(&c.timeline_index, "Timeline"),
    );
    metas.insert(
        paths::GLOSSARY.to_string(),
        section_meta(&c.glossary_index, "Glossary"),
    );
    metas.insert(paths::TAGS.to_string(), simple("Tags", None));
    metas.insert("404.html".to_string(), simple("Page not found", None));
    for t in &site.tags {
        metas.insert(
            paths::tag(&t.slug),
            simple(&format!("Questions tagged “{}”", t.name), None),
        );
    }
    let default_meta = simple(&site.config.title, None);
    let mut home = tera::Map::new();
    home.insert("home".into(), section(&c.home, &bodies.sections[0], ""));
    home.insert(
        "faq".into(),
        section(&c.faq_index, &bodies.sections[1], "Questions"),
    );
    jobs.push((paths::HOME.to_string(), "index.html", Value::from(home)));

    let question_values: Vec<(String, u64, Option<Value>)> = site
        .questions
        .par_iter()
        .enumerate()
        .map(|(i, q)| {
            let path = paths::question(&q.slug);
            let view = QuestionView {
                slug: &q.slug,
                title: &q.title,
                summary: &short_answers[i],
                content: "",
                url: site.url(&path),
                permalink: site.absolute_url(&path),
                date: q.date.as_ref().map(DateView::from),
                updated: q.updated.as_ref().map(DateView::from),
                tags: tags_of(&q.tags),
                sources: &q.sources,
                related: site.related[i]
                    .iter()
                    .map(|&r| LinkView {
                        title: site.questions[r].title.clone(),
                        url: question_links[r].url.clone(),
                    })
                    .collect(),
                events: site.question_events[i]
                    .iter()
                    .map(|&e| event_link(site, e))
                    .collect(),
                terms: site.question_terms[i]
                    .iter()
                    .map(|&t| term_link(site, t))
                    .collect(),
            };
            // The body enters the fingerprint through its key, not its text.
            let meta = metas.get(&path).map(fingerprint).unwrap_or_default();
            let fp = hash_of(&(fingerprint(&view), bodies.question_keys.get(i), meta));
            if previous_fingerprint(&path) == Some(fp) {
                return (path, fp, None);
            }
            let mut view = view;
            view.content = &bodies.questions[i];
            let value = Value::from_serializable(&view);
            (path, fp, Some(value))
        })
        .collect();

    // Timeline, grouped by year.
    let mut years: Vec<YearView<'_>> = Vec::new();
    for (i, e) in site.events.iter().enumerate() {
        let year = format!("{:04}", e.date.start.year());
        let view = EventView {
            slug: &e.slug,
            title: &e.title,
            date: DateView::from(&e.date),
            end: e.end.as_ref().map(DateView::from),
            status: status_key(e.status),
            status_label: e.status.label(),
            content: &bodies.events[i],
            questions: site.event_questions[i]
                .iter()
                .map(|&q| LinkView {
                    title: site.questions[q].title.clone(),
                    url: question_links[q].url.clone(),
                })
                .collect(),
            sources: &e.sources,
        };
        match years.last_mut() {
            Some(y) if y.year == year => y.events.push(view),
            _ => years.push(YearView {
                year,
                events: vec![view],
            }),
        }
    }
    let mut timeline = tera::Map::new();
    timeline.insert(
        "section".into(),
        section(&c.timeline_index, &bodies.sections[2], "Timeline"),
    );
    timeline.insert("years".into(), Value::from_serializable(&years));
    jobs.push((
        paths::TIMELINE.to_string(),
        "timeline.html",
        Value::from(timeline),
    ));

    // Glossary, A to Z.
    let mut letters: Vec<LetterView<'_>> = Vec::new();
    for (i, t) in site.terms.iter().enumerate() {
        let letter = first_letter(&t.term);
        let view = TermView {
            slug: &t.slug,
            term: &t.term,
            aliases: &t.aliases,
            abbr: t.abbr.as_deref(),
            content: &bodies.terms[i],
            see_also: site.term_see_also[i]
                .iter()
                .map(|&s| term_link(site, s))
                .collect(),
            mentioned_in: site.term_mentions[i]
                .iter()
                .map(|d| doc_link(site, *d))
                .collect(),
        };
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.terms.push(view),
            _ => letters.push(LetterView {
                id: format!("letter-{}", letter.to_lowercase()),
                letter,
                terms: vec![view],
            }),
        }
    }
    let jump: Vec<JumpLetter> = ('A'..='Z')
        .map(|c| c.to_string())
        .chain(
            letters
                .iter()
                .map(|l| l.letter.clone())
                .filter(|l| !l.chars().all(|c| c.is_ascii_uppercase())),
        )
        .map(|letter| JumpLetter {
            present: letters.iter().any(|l| l.letter == letter),
            id: format!("letter-{}", letter.to_lowercase()),
            letter,
        })
        .collect();
    let mut glossary = tera::Map::new();
    glossary.insert(
        "section".into(),
        section(&c.glossary_index, &bodies.sections[3], "Glossary"),
    );
    glossary.insert("letters".into(), Value::from_serializable(&letters));
    glossary.insert("jump".into(), Value::from_serializable(&jump));
    jobs.push((
        paths::GLOSSARY.to_string(),
        "glossary.html",
        Value::from(glossary),
    ));

    // Tags.
    for t in &site.tags {
        let mut page = tera::Map::new();
        page.insert(
            "tag".into(),
            Value::from_serializable(&tag_links[tag_index[&t.slug]]),
        );
        let qs: Vec<&QuestionLink> = t.questions.iter().map(|&q| &question_links[q]).collect();
        page.insert("questions".into(), Value::from_serializable(&qs));
        jobs.push((paths::tag(&t.slug), "tag.html", Value::from(page)));
    }
    jobs.push((
        paths::TAGS.to_string(),
        "tags.html",
        Value::from(tera::Map::new()),
    ));
    jobs.push((
        "404.html".to_string(),
        "404.html",
        Value::from(tera::Map::new()),
    ));

    // Sitemap and feed.
    let mut sitemap = vec![
        SitemapEntry {
            loc: site.absolute_url(paths::HOME),
            lastmod: None,
        },
        SitemapEntry {
            loc: site.absolute_url(paths::TIMELINE),
            lastmod: None,
        },
        SitemapEntry {
            loc: site.absolute_url(paths::GLOSSARY),
            lastmod: None,
        },
    ];
    sitemap.extend(site.questions.iter().map(|q| {
        SitemapEntry {
            loc: site.absolute_url(&paths::question(&q.slug)),
            lastmod: q
                .updated
                .or(q.date)
                .filter(|d| d.precision == crate::content::Precision::Day)
                .map(|d| d.iso()),
        }
    }));
    sitemap.extend(site.tags.iter().map(|t| SitemapEntry {
        loc: site.absolute_url(&paths::tag(&t.slug)),
        lastmod: None,
    }));
    let mut feed: Vec<FeedEntry> = site
        .questions
        .iter()
        .map(|q| FeedEntry {
            title: q.title.clone(),
            url: site.absolute_url(&paths::question(&q.slug)),
            updated: q
                .updated
                .or(q.date)
                .map(|d| d.rfc3339())
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string()),
            summary: q.summary.clone().unwrap_or_default(),
        })
        .collect();
    feed.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.url.cmp(&b.url)));
    let feed_updated = feed
        .first()
        .map(|f| f.updated.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut sitemap_page = tera::Map::new();
    sitemap_page.insert("entries".into(), Value::from_serializable(&sitemap));
    jobs.push((
        "sitemap.xml".to_string(),
        "sitemap.xml",
        Value::from(sitemap_page),
    ));
    let mut feed_page = tera::Map::new();
    feed_page.insert("entries".into(), Value::from_serializable(&feed));
    feed_page.insert("updated".into(), Value::from(feed_updated));
    feed_page.insert(
        "feed_url".into(),
        Value::from(site.absolute_url("atom.xml")),
    );
    feed_page.insert(
        "home_url".into(),
        Value::from(site.absolute_url(paths::HOME)),
    );
    feed_page.insert(
        "author".into(),
        Value::from(if site.config.author.is_empty() {
            site.config.title.clone()
        } else {
            site.config.author.clone()
        }),
    );
    jobs.push(("atom.xml".to_string(), "atom.xml", Value::from(feed_page)));
    let mut robots = tera::Map::new();
    robots.insert(
        "sitemap_url".into(),
        Value::from(site.absolute_url("sitemap.xml")),
    );
    jobs.push(("robots.txt".to_string(), "robots.txt", Value::from(robots)));

    let mut page_fingerprints: HashMap<String, u64> =
        HashMap::with_capacity(jobs.len() + question_values.len());
    let mut to_render: Vec<(String, &str, Value)> = Vec::new();
    for (path, template, value) in jobs {
        let meta = metas.get(&path).map(fingerprint).unwrap_or_default();
        let fp = hash_of(&(fingerprint(&value), meta));
        if previous_fingerprint(&path) != Some(fp) {
            to_render.push((path.clone(), template, value));
        }
        page_fingerprints.insert(path, fp);
    }
    for (path, fp, value) in question_values {
        if let Some(value) = value {
            to_render.push((path.clone(), "question.html", value));
        }
        page_fingerprints.insert(path, fp);
    }
    let results: Vec<Result<OutputFile, Diagnostic>> = to_render
        .into_par_iter()
        .map(|(path, template, page)| {
            let mut ctx = Context::new();
            ctx.insert_value("site", shared.clone());
            ctx.insert_value("page", page);
            ctx.insert("meta", metas.get(&path).unwrap_or(&default_meta));
            ctx.insert("current_url", &site.url(&path));
            ctx.insert("canonical_url", &site.absolute_url(&path));
            tera.render(template, &ctx)
                .map(|html| OutputFile {
                    path: paths::file_for(&path),
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
    const SYNTAX_CSS: &str = "syntax.css";
    if previous_fingerprint(SYNTAX_CSS).is_none() {
        files.push(OutputFile {
            path: SYNTAX_CSS.to_string(),
            bytes: Highlighter::css().into_bytes(),
        });
    }
    page_fingerprints.insert(SYNTAX_CSS.to_string(), 0);
    let mut paths: Vec<String> = page_fingerprints
        .keys()
        .map(|p| paths::file_for(p))
        .collect();
    paths.sort_unstable();
    if let Some(cache) = cache.as_mut() {
        cache.bodies = bodies.cache;
        cache.pages = page_fingerprints;
        cache.globals = globals;
    }
    Ok(RenderOutput { files, paths })
}

fn status_key(s: crate::content::Status) -> &'static str {
    match s {
        crate::content::Status::Happened => "happened",
        crate::content::Status::Announced => "announced",
        crate::content::Status::Planned => "planned",
        crate::content::Status::Projected => "projected",
    }
}

fn event_link(site: &Site, e: usize) -> EventLink {
    let ev = &site.events[e];
    EventLink {
        title: ev.title.clone(),
        url: format!("{}#{}", site.url(paths::TIMELINE), ev.slug),
        date: DateView::from(&ev.date),
        status: ev.status.label(),
    }
}

fn term_link(site: &Site, t: usize) -> LinkView {
    let term = &site.terms[t];
    LinkView {
        title: term.term.clone(),
        url: format!("{}#{}", site.url(paths::GLOSSARY), term.slug),
    }
}

fn doc_link(site: &Site, d: DocRef) -> LinkView {
    match d {
        DocRef::Question(q) => LinkView {
            title: site.questions[q].title.clone(),
            url: site.url(&paths::question(&site.questions[q].slug)),
        },
        DocRef::Event(e) => {
            let l = event_link(site, e);
            LinkView {
                title: l.title,
                url: l.url,
            }
        }
    }
}

/// The letter a term is filed under: its first letter, uppercased, with
/// accents removed; digits and symbols go under `#`.
fn first_letter(term: &str) -> String {
    let first = deunicode_first(term);
    match first {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        _ => "#".to_string(),
    }
}

fn deunicode_first(term: &str) -> Option<char> {
    slug::slugify(term.chars().next()?.to_string())
        .chars()
        .next()
}
