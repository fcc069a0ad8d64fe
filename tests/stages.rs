//! Each pipeline stage, run on the small fixture site.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use dossier::config::Config;
use dossier::highlight::Highlighter;
use dossier::{content, link, load, render};

#[test]
fn load_reads_every_markdown_file_and_splits_front_matter() {
    let (sources, problems) = load::load(&common::fixture("basic"));
    assert!(problems.is_empty(), "{problems:?}");
    let rels: Vec<&str> = sources.iter().map(|s| &*s.rel).collect();
    assert_eq!(
        rels,
        [
            "_index.md",
            "faq/draft.md",
            "faq/first.md",
            "faq/second.md",
            "glossary/alpha-term.md",
            "glossary/zeta.md",
            "timeline/early.md",
            "timeline/late.md",
            "timeline/month.md"
        ]
    );
    let first = sources.iter().find(|s| &*s.rel == "faq/first.md").unwrap();
    assert!(
        first
            .front_matter_text()
            .starts_with("title = \"What comes first?\"")
    );
    assert!(first.body_text().contains("The first answer"));
}

#[test]
fn parse_types_each_kind_and_drops_drafts() {
    let (sources, _) = load::load(&common::fixture("basic"));
    let (c, problems) = content::parse(&sources, false);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        (c.questions.len(), c.events.len(), c.terms.len()),
        (2, 3, 2)
    );
    assert!(c.home.is_some());
    let (with_drafts, _) = content::parse(&sources, true);
    assert_eq!(with_drafts.questions.len(), 3);
}

fn linked() -> link::Site {
    let root = common::fixture("basic");
    let config = Config::load(&root).unwrap();
    let (sources, _) = load::load(&root);
    let (c, _) = content::parse(&sources, false);
    link::link(&config, &c, None).unwrap()
}

#[test]
fn link_orders_content_and_computes_cross_references() {
    let site = linked();
    let q: Vec<&str> = site.questions.iter().map(|q| q.slug.as_str()).collect();
    assert_eq!(q, ["first", "second"]);
    let e: Vec<&str> = site.events.iter().map(|e| e.slug.as_str()).collect();
    assert_eq!(
        e,
        ["early", "month", "late"],
        "events sort by date, year before month before day"
    );
    let t: Vec<&str> = site.terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(t, ["alpha term", "Zeta"], "terms sort A-Z ignoring case");
    assert_eq!(site.related[0], [1]);
    assert_eq!(
        site.question_events[0],
        [2],
        "the late event names `first` in faq"
    );
    assert_eq!(site.question_terms[0], [1], "first links to zeta");
    let tags: Vec<(&str, usize)> = site
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.questions.len()))
        .collect();
    assert_eq!(tags, [("alpha", 1), ("shared", 2)]);
    // Links are relative to the page they are written in; folders end in
    // index.html so the site also works from disk.
    let from_question = |dest: &str| site.resolve("faq/first/", dest);
    assert_eq!(
        from_question("@/faq/second.md#details").as_deref(),
        Some("../../faq/second/index.html#details")
    );
    assert_eq!(
        from_question("@/glossary/zeta.md").as_deref(),
        Some("../../glossary/index.html#zeta")
    );
    assert_eq!(
        site.resolve("", "@/timeline/late.md").as_deref(),
        Some("timeline/index.html#late")
    );
    assert_eq!(
        site.resolve("timeline/", "@/timeline/late.md").as_deref(),
        Some("#late"),
        "same page"
    );
    assert_eq!(
        site.resolve("404.html", "@/faq/second.md").as_deref(),
        Some("/faq/second/index.html"),
        "404 is served anywhere"
    );
    assert_eq!(site.resolve("", "@/faq/nope.md"), None);
}

#[test]
fn render_produces_every_page() {
    let root = common::fixture("basic");
    let site = linked();
    let assets = dossier::assets::Assets::collect(&root).unwrap();
    let (tera, files) = render::templates(&root, &assets).unwrap();
    let out = render::render(&site, &tera, &files, &Highlighter::new(), &assets).unwrap();
    let mut paths: Vec<&str> = out.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "404.html",
            "atom.xml",
            "faq/first/index.html",
            "faq/second/index.html",
            "glossary/index.html",
            "index.html",
            "robots.txt",
            "search/index-0.js",
            "sitemap.xml",
            "tags/alpha/index.html",
            "tags/index.html",
            "tags/shared/index.html",
            "timeline/index.html"
        ]
    );
}
