//! The flagship explainer at the top of the repository, built whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_flagship, read};

#[test]
fn flagship_has_every_page_and_every_internal_link_resolves() {
    let out = build_flagship(None);
    let public = out.path().join("public");
    for page in [
        "index.html",
        "timeline/index.html",
        "glossary/index.html",
        "tags/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "favicon.svg",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    let names: Vec<String> = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for (stem, ext) in [("style", "css"), ("syntax", "css"), ("dossier", "js")] {
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{stem}."))
                && n.ends_with(ext)
                && n.len() == stem.len() + ext.len() + 10),
            "{stem}.HASH.{ext} missing: {names:?}"
        );
    }
    let questions = std::fs::read_dir(public.join("faq")).unwrap().count();
    assert_eq!(questions, 5, "the five questions of the seed");
    let tags = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(tags >= 3, "tag pages written");
    let broken = dossier::check::check_dir(&public, "/").unwrap();
    assert!(
        broken.is_empty(),
        "broken links:\n{}",
        broken
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The checker must be able to fail: a page with a dangling link is caught.
    std::fs::write(
        public.join("bad.html"),
        "<a href=\"/faq/nope/\">x</a><a href=\"/timeline/#nope\">y</a>",
    )
    .unwrap();
    assert_eq!(dossier::check::check_dir(&public, "/").unwrap().len(), 2);
}

#[test]
fn flagship_content_meets_the_brief() {
    let out = build_flagship(None);
    let public = out.path().join("public");
    let timeline = read(&public, "timeline/index.html");
    assert!(
        timeline.matches("class=\"event status-").count() >= 12,
        "at least 12 events"
    );
    let glossary = read(&public, "glossary/index.html");
    assert!(
        glossary.matches("<div class=\"term\"").count() >= 20,
        "at least 20 terms"
    );
    let home = read(&public, "index.html");
    assert!(
        home.contains("600,000") && home.contains("1.6 million"),
        "seed figures on the home page"
    );
    for page in std::fs::read_dir(public.join("faq")).unwrap() {
        let html = std::fs::read_to_string(page.unwrap().path().join("index.html")).unwrap();
        assert!(
            html.contains("In short:"),
            "every question has a short answer"
        );
        assert!(
            html.contains("id=\"sources\""),
            "every question cites sources"
        );
        assert!(html.contains("id=\"tags\""), "every question is tagged");
    }
    // Plans and targets are labelled as such on the timeline.
    assert!(timeline.contains("status-planned"));
    assert!(timeline.contains("Planned"));
}

/// The front-matter of every content file of the flagship in `dir`
/// (originals only: translations share their facts), by file name.
fn front_matters(dir: &str) -> Vec<(String, toml::Table)> {
    let folder = common::repo_root().join("content").join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name.starts_with('_') || name.ends_with(".zh.md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let front = text.split("+++").nth(1).unwrap();
        out.push((name, toml::from_str(front).unwrap()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A source title with case, quotes, dashes and spacing folded, so that
/// two spellings of one title compare equal.
fn folded(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn flagship_content_rules_events_terms_and_sources() {
    let events = front_matters("timeline");
    let terms = front_matters("glossary");
    let questions = front_matters("faq");
    assert!(
        events.len() >= 24,
        "{} events, at least 24 wanted",
        events.len()
    );
    assert!(
        terms.len() >= 35,
        "{} terms, at least 35 wanted",
        terms.len()
    );
    assert_eq!(questions.len(), 5, "the brief's five questions");
    let mut spellings: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    let mut cited = 0;
    for (name, front) in events.iter().chain(&questions) {
        let sources = front
            .get("sources")
            .and_then(|s| s.as_array())
            .unwrap_or_else(|| panic!("{name} has no sources"));
        assert!(
            sources
                .iter()
                .any(|s| s.get("publisher").is_some() && s.get("date").is_some()),
            "{name}: no source with a publisher and a date"
        );
        for s in sources {
            let title = s.get("title").and_then(|t| t.as_str()).unwrap();
            spellings
                .entry(folded(title))
                .or_default()
                .insert(title.to_string());
            cited += 1;
        }
    }
    assert!(cited > events.len(), "sources were read: {cited}");
    let twice: Vec<_> = spellings.values().filter(|s| s.len() > 1).collect();
    assert!(
        twice.is_empty(),
        "one source under two spellings: {twice:#?}"
    );
    // Two spellings of one title are caught (the check can fail).
    assert_eq!(
        folded("Huawei’s plan — 2025"),
        folded("Huawei's plan - 2025")
    );
}
