//! Checks read straight from the built files, with no browser: heading
//! order and landmarks, and the weight of the home and a question page.
//! Apart because they run everywhere, even where Chromium is missing.

use super::pages;
use crate::common::build_flagship;

pub(super) fn one_h1_per_page_and_no_gaps_in_heading_order() {
    let out = build_flagship(None);
    let public = out.path().join("public");
    let selector = scraper::Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
    for page in pages(&public) {
        let rel = page.trim_start_matches('/');
        let file = if rel.ends_with(".html") {
            public.join(rel)
        } else {
            public.join(rel).join("index.html")
        };
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        let levels: Vec<u8> = html
            .select(&selector)
            .map(|h| h.value().name()[1..].parse().unwrap())
            .collect();
        assert_eq!(
            levels.iter().filter(|l| **l == 1).count(),
            1,
            "{page}: one h1, got {levels:?}"
        );
        assert_eq!(levels.first(), Some(&1), "{page}: h1 first");
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{page}: heading jumps from h{} to h{}: {levels:?}",
                pair[0],
                pair[1]
            );
        }
        for (landmark, count) in [("header", 1), ("main", 1), ("footer", 1)] {
            let sel = scraper::Selector::parse(landmark).unwrap();
            assert_eq!(html.select(&sel).count(), count, "{page}: one {landmark}");
        }
        let navs = scraper::Selector::parse("nav[aria-label]").unwrap();
        assert!(
            html.select(&navs).count() >= 1,
            "{page}: labelled navigation"
        );
    }
}

/// Bytes of `data` once gzipped.
fn gzipped(data: &[u8]) -> usize {
    use std::io::Write as _;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap().len()
}

pub(super) fn home_and_question_pages_weigh_under_50_kb_gzipped() {
    let out = build_flagship(None);
    let public = out.path().join("public");
    // Stylesheets, scripts and the icon every page loads (hashed names);
    // the search index is loaded only when someone searches.
    let shared: usize = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name.ends_with(".css") || name.ends_with(".js") || name == "favicon.svg")
                && !name.starts_with("search")
        })
        .map(|p| gzipped(&std::fs::read(p).unwrap()))
        .sum();
    for page in ["index.html", "faq/ai-chip-production-2025/index.html"] {
        let html = gzipped(&std::fs::read(public.join(page)).unwrap());
        let total = html + shared;
        eprintln!("{page}: {html} B HTML + {shared} B CSS/JS/icon = {total} B gzipped");
        assert!(total <= 50 * 1024, "{page} weighs {total} B gzipped");
    }
}
