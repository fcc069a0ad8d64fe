//! Front-matter text gets the smart punctuation bodies get, in every place
//! it is written (`<title>`, Open Graph, JSON-LD, the feed, search, the
//! page), and `smart_punctuation = false` leaves it as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{dossier, read};

/// A site whose front-matter and chart are full of straight quotes and
/// double hyphens; `settings` is added to site.toml.
fn site(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let chart = "```chart\ntype = \"bar\"\ntitle = \"Huawei's output\"\nlabels = [\"2025 -- estimate\", \"2026\"]\nplanned = [false, true]\n[[series]]\nname = \"Chips\"\nvalues = [1, 2]\n```\n";
    let files = [
        (
            "site.toml",
            format!("title = \"China's chips\"\nbase_url = \"https://example.org/\"\n{settings}"),
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"China's chips, explained\"\n[[key_figures]]\nvalue = \"1.6 million -- or more\"\nlabel = \"Huawei's \\\"plan\\\"\"\n+++\nThe home page.\n".to_string(),
        ),
        (
            "content/faq/chips.md",
            format!("+++\ntitle = \"What's Huawei's plan?\"\nsummary = \"It's \\\"big\\\" -- reportedly.\"\ntags = [\"Huawei's chips\"]\n[[sources]]\ntitle = \"Huawei's plan\"\npublisher = \"Reuters\"\n+++\nThe answer's text.\n\n{chart}"),
        ),
        (
            "content/timeline/plan.md",
            "+++\ndate = \"2025-09\"\ntitle = \"Huawei's roadmap\"\nfaq = [\"chips\"]\n+++\nAn event at SMIC.\n".to_string(),
        ),
        (
            "content/glossary/smic.md",
            "+++\nterm = \"SMIC\"\nabbr = \"China's \\\"foundry\\\"\"\n+++\nA foundry.\n".to_string(),
        ),
    ];
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dossier(dir.path(), &["build", "--strict"]).success();
    dir
}

/// Every search document file's text.
fn search_docs(public: &std::path::Path) -> String {
    std::fs::read_dir(public.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("d-"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn front_matter_text_is_typeset_wherever_it_is_written() {
    let dir = site("");
    let public = dir.path().join("public");
    let page = read(&public, "faq/chips/index.html");
    let title = "What\u{2019}s Huawei\u{2019}s plan?";
    for (place, written) in [
        (
            "<title>",
            format!("<title>{title} · China\u{2019}s chips</title>"),
        ),
        (
            "og:title",
            format!("<meta property=\"og:title\" content=\"{title}\">"),
        ),
        (
            "og:site_name",
            "content=\"China\u{2019}s chips\"".to_string(),
        ),
        ("JSON-LD", format!("\"name\":\"{title}\"")),
        ("h1", format!("{title}</h1>")),
        (
            "summary",
            "It\u{2019}s \u{201c}big\u{201d} \u{2013} reportedly.".to_string(),
        ),
        ("source", "Huawei\u{2019}s plan".to_string()),
        ("tag", "Huawei\u{2019}s chips</a>".to_string()),
        ("chart title", "Huawei\u{2019}s output".to_string()),
        ("chart label", "2025 \u{2013} estimate".to_string()),
    ] {
        assert!(page.contains(&written), "{place}: {written} in\n{page}");
    }
    assert!(
        !page.contains("What's") && !page.contains("What&#39;s"),
        "no straight quote left in the title"
    );
    let home = read(&public, "index.html");
    assert!(home.contains("<title>China\u{2019}s chips, explained</title>"));
    assert!(
        home.contains("1.6 million \u{2013} or more"),
        "key figure value"
    );
    assert!(
        home.contains("Huawei\u{2019}s \u{201c}plan\u{201d}"),
        "key figure label"
    );
    let atom = read(&public, "atom.xml");
    assert!(atom.contains(&format!("<title>{title}</title>")), "{atom}");
    let timeline = read(&public, "timeline/index.html");
    assert!(timeline.contains("Huawei\u{2019}s roadmap"));
    let glossary = read(&public, "glossary/index.html");
    assert!(glossary.contains("China\u{2019}s \u{201c}foundry\u{201d}"));
    let search = search_docs(&public);
    assert!(search.contains(title), "search result title: {search}");
    assert!(search.contains("Huawei\u{2019}s roadmap"), "{search}");
}

#[test]
fn smart_punctuation_false_leaves_front_matter_as_written() {
    let dir = site("smart_punctuation = false\n");
    let public = dir.path().join("public");
    let page = read(&public, "faq/chips/index.html");
    assert!(
        page.contains("<title>What&#39;s Huawei&#39;s plan? · China&#39;s chips</title>")
            || page.contains("<title>What's Huawei's plan? · China's chips</title>"),
        "{page}"
    );
    assert!(!page.contains("What\u{2019}s Huawei"), "{page}");
    let search = search_docs(&public);
    assert!(
        search.contains("What's Huawei's plan?") || search.contains("What\\u0027s"),
        "{search}"
    );
    // The body is Markdown, which always has smart punctuation.
    assert!(page.contains("The answer\u{2019}s text."));
}
