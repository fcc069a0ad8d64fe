//! Each pipeline stage, run on the small fixture site.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use dossier::config::Config;
use dossier::highlight::Highlighter;
use dossier::{bodies, content, link, load};

#[test]
fn load_reads_every_markdown_file_and_splits_front_matter() {
    let (loaded, problems) = load::load(&common::fixture("basic"));
    assert!(problems.is_empty(), "{problems:?}");
    let sources = loaded.sources;
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
    let sources = load::load(&common::fixture("basic")).0.sources;
    let (c, problems) = content::parse(&sources, false);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        (c.questions.len(), c.events.len(), c.terms.len()),
        (2, 3, 2)
    );
    assert!(c.sections.home.is_some());
    let (with_drafts, _) = content::parse(&sources, true);
    assert_eq!(with_drafts.questions.len(), 3);
}

/// Both passes of the link stage over the fixture, with the bodies stage
/// between them.
fn linked() -> (link::Index, link::Links) {
    let root = common::fixture("basic");
    let config = Config::load(&root).unwrap();
    let sources = load::load(&root).0.sources;
    let (c, _) = content::parse(&sources, false);
    let today = dossier::settings::date_of_epoch(common::BUILD_DATE).unwrap();
    let index = link::index(&config, &c, today, &link::SiteFiles::default()).unwrap();
    let highlighter = Highlighter::new();
    let options = bodies::Options {
        highlighter: &highlighter,
        memo: None,
        keep_question_html: true,
        interner: &dossier::search::Interner::default(),
        media: &dossier::pictures::SiteMedia::new(&root, &[], &[], None),
    };
    let bodies = bodies::render_all(&index, &options, &|_, _| {});
    let links = link::finish(&index, &bodies.analyses()).unwrap();
    (index, links)
}

#[test]
fn link_orders_content_and_computes_cross_references() {
    let (site, links) = linked();
    let q: Vec<&str> = site
        .questions
        .iter()
        .map(|q| q.item.slug.as_str())
        .collect();
    assert_eq!(q, ["first", "second"]);
    let e: Vec<&str> = site.events.iter().map(|e| e.item.slug.as_str()).collect();
    assert_eq!(
        e,
        ["early", "month", "late"],
        "events sort by date, year before month before day"
    );
    let t: Vec<&str> = site.terms.iter().map(|t| t.item.term.as_str()).collect();
    assert_eq!(t, ["alpha term", "Zeta"], "terms sort A-Z ignoring case");
    assert_eq!(site.questions[0].related, [1]);
    assert_eq!(
        site.questions[0].events,
        [2],
        "the late event names `first` in faq"
    );
    assert_eq!(links.question_terms[0], [1], "first links to zeta");
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
fn the_pipeline_produces_every_page() {
    let mut settings = dossier::settings::Settings::new(common::fixture("basic")).unwrap();
    settings.today = dossier::settings::date_of_epoch(common::BUILD_DATE).unwrap();
    let (_, out) = dossier::build_in_memory(&settings).unwrap();
    let paths: Vec<&str> = out
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| !p.ends_with(".css") && !p.ends_with(".svg") && !p.starts_with("dossier."))
        // The search index's word files are named after the words.
        .filter(|p| !p.starts_with("search/t-"))
        .collect();
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
            "search/d-0.js",
            "search/keys.js",
            "sitemap.xml",
            "tags/alpha/index.html",
            "tags/index.html",
            "tags/shared/index.html",
            "timeline/index.html"
        ]
    );
}
