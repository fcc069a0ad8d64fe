//! Publishing anywhere from one build: relative links under a sub-path and
//! from disk, absolute canonical URLs, hashed assets, offline search with
//! English and Chinese queries, the print edition.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{build_flagship, copy_site, dossier, fixture, read};

fn html_files(public: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect()
}

#[test]
fn a_sub_path_build_links_relatively_and_keeps_absolute_urls_absolute() {
    let out = build_flagship(Some("https://example.org/sub/"));
    let public = out.path().join("public");
    // Every href and src resolves to a file when followed relatively.
    let broken = dossier::check::check_dir(&public, "/sub/").unwrap();
    assert!(
        broken.is_empty(),
        "{}",
        broken
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut links = 0;
    for file in html_files(&public) {
        let rel = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let (_, hrefs) = dossier::check::ids_and_links(&std::fs::read_to_string(&file).unwrap());
        for href in hrefs.iter().filter(|h| !h.starts_with("https://")) {
            links += 1;
            if rel == "404.html" {
                assert!(
                    href.starts_with("/sub/") || href.starts_with('#'),
                    "404 links are root-relative: {href}"
                );
            } else {
                assert!(!href.starts_with('/'), "{rel}: {href} is not relative");
            }
        }
        let html = std::fs::read_to_string(&file).unwrap();
        if rel != "404.html" {
            let canonical = html
                .split("rel=\"canonical\" href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert!(
                canonical.starts_with("https://example.org/sub/"),
                "{rel}: {canonical}"
            );
            let og = html
                .split("property=\"og:url\" content=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert_eq!(og, canonical);
        }
    }
    assert!(links > 300, "links checked: {links}");
    let sitemap = read(&public, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/faq/ai-chip-production-2025/</loc>"));
    let atom = read(&public, "atom.xml");
    assert!(atom.contains("href=\"https://example.org/sub/atom.xml\""));
    assert!(atom.contains("<id>https://example.org/sub/faq/global-supply-chains/</id>"));
    assert!(read(&public, "robots.txt").contains("Sitemap: https://example.org/sub/sitemap.xml"));
}

fn asset_name(public: &Path, stem: &str) -> String {
    std::fs::read_dir(public)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(&format!("{stem}.")) && n.ends_with(".css"))
        .unwrap()
}

#[test]
fn hashed_asset_names_change_when_the_asset_changes_and_not_otherwise() {
    let site = copy_site(&fixture("basic"));
    dossier(site.path(), &["build"]).success();
    let public = site.path().join("public");
    let first = asset_name(&public, "style");
    dossier(site.path(), &["build"]).success();
    assert_eq!(
        asset_name(&public, "style"),
        first,
        "unchanged asset keeps its name"
    );
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/style.css"), "body { color: navy }").unwrap();
    dossier(site.path(), &["build"]).success();
    let second = asset_name(&public, "style");
    assert_ne!(second, first, "changed asset gets a new name");
    assert!(!public.join(&first).exists(), "the old name is gone");
    assert_eq!(read(&public, &second), "body { color: navy }");
    assert!(
        read(&public, "faq/first/index.html").contains(&format!("href=\"../../{second}\"")),
        "pages point at the new name"
    );
    // Templates reach assets through asset().
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/404.html"), "{% extends \"base.html\" %}{% block content %}<link rel=\"preload\" href=\"{{ asset(path='style.css') }}\" as=\"style\">{% endblock content %}").unwrap();
    dossier(site.path(), &["build"]).success();
    assert!(read(&public, "404.html").contains(&format!("href=\"/{second}\"")));
}

#[test]
fn the_search_index_is_small_and_indexes_chinese_as_character_pairs() {
    let out = build_flagship(Some("https://example.org/"));
    let public = out.path().join("public");
    // Every index file of the site, together.
    let index: String = std::fs::read_dir(public.join("search"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for token in ["\"ascend\"", "\"中芯\"", "\"芯国\"", "\"国际\"", "\"昇腾\""] {
        assert!(index.contains(token), "{token} not indexed");
    }
    let gz = {
        use std::io::Write as _;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(index.as_bytes()).unwrap();
        e.finish().unwrap().len()
    };
    eprintln!("flagship search index: {} B, {gz} B gzipped", index.len());
    assert!(gz <= 150 * 1024);
}

#[test]
fn the_print_edition_holds_every_question_event_and_term() {
    let out = build_flagship(Some("https://example.org/"));
    let public = out.path().join("public");
    let print = read(&public, "print/index.html");
    assert_eq!(print.matches("class=\"print-question\"").count(), 5);
    let events = std::fs::read_dir(common::repo_root().join("content/timeline"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("_index") && !name.ends_with(".zh.md"))
        .count();
    assert_eq!(print.matches("class=\"print-event\"").count(), events);
    assert!(print.matches("class=\"print-term\"").count() >= 20);
    assert!(print.contains("<figure class=\"chart\""), "charts included");
    assert!(
        print.contains("href=\"../glossary/index.html#"),
        "links kept, relative to the print page"
    );
    assert!(read(&public, "index.html").contains("href=\"print/index.html\">Print edition</a>"));
}
