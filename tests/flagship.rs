//! The flagship explainer at the top of the repository, built whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::browser::{Browser, serve_dir};
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

#[test]
fn flagship_home_page_has_no_console_errors_in_chromium() {
    let Some(browser) = Browser::start("flagship_home_page_has_no_console_errors_in_chromium")
    else {
        return;
    };
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));

    // Control: the check sees a real error and a failed request.
    std::fs::write(
        out.path().join("public/control.html"),
        "<!doctype html><title>c</title><link rel=\"icon\" href=\"data:,\"><script src=\"/missing.js\"></script><script>nosuch()</script>",
    )
    .unwrap();
    browser.goto(&format!("{base}/control.html"));
    let control = browser.severe_logs();
    assert!(control.iter().any(|m| m.contains("nosuch")), "{control:?}");
    assert!(
        control.iter().any(|m| m.contains("missing.js")),
        "{control:?}"
    );

    for page in [
        "/",
        "/faq/ai-chip-production-2025/",
        "/timeline/",
        "/glossary/",
    ] {
        browser.goto(&format!("{base}{page}"));
        let title = browser.eval("return document.title");
        assert!(
            title.as_str().unwrap_or("").contains("China"),
            "{page} loaded: {title}"
        );
        let css_applied = browser.eval("return getComputedStyle(document.body).marginTop");
        assert_eq!(css_applied, "0px", "{page}: stylesheet applied");
        let errors = browser.severe_logs();
        assert!(errors.is_empty(), "{page}: console errors: {errors:?}");
    }
}

#[test]
fn keyboard_focus_on_a_term_link_shows_its_preview() {
    let Some(browser) = Browser::start("keyboard_focus_on_a_term_link_shows_its_preview") else {
        return;
    };
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    browser.goto(&format!("{base}/faq/global-supply-chains/"));
    let hidden =
        browser.eval("return getComputedStyle(document.querySelector('.term-tip')).display");
    assert_eq!(hidden, "none", "previews are hidden until asked for");
    let mut focused = false;
    for _ in 0..60 {
        browser.press("\u{E004}");
        let is_term = browser.eval("return document.activeElement.classList.contains('term-link')");
        if is_term == true {
            focused = true;
            break;
        }
    }
    assert!(focused, "Tab reaches a glossary link");
    let tip = browser.eval(
        "var a = document.activeElement; var tip = document.getElementById(a.getAttribute('aria-describedby'));\
         var r = tip.getBoundingClientRect();\
         return {display: getComputedStyle(tip).display, height: r.height, text: tip.textContent, linkText: a.textContent};",
    );
    assert_eq!(tip["display"], "block", "{tip}");
    assert!(tip["height"].as_f64().unwrap() > 10.0, "{tip}");
    let text = tip["text"].as_str().unwrap();
    let link_text = tip["linkText"].as_str().unwrap();
    assert!(
        text.to_lowercase().contains(&link_text.to_lowercase()) || text.len() > 20,
        "{tip}"
    );
    assert!(browser.severe_logs().is_empty());
}
