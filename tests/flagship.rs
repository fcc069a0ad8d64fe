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
