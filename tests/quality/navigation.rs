//! Loading and moving around the site in Chromium: every page without a
//! console error or failed request, clicking through and searching from
//! disk and under a sub-path, the Chinese site, the keyboard path through
//! a question. Apart from the other browser checks because these follow
//! links and type, where the others measure one page at a time.

use super::pages;
use crate::common::browser::{Browser, serve_dir, serve_dir_at};
use crate::common::build_flagship;

pub(super) fn every_page_loads_without_console_errors_or_failed_requests() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let public = out.path().join("public");
    let base = serve_dir(&public);
    let pages = pages(&public);
    assert!(pages.len() >= 15, "every page type is there: {pages:?}");
    for page in &pages {
        browser.goto(&format!("{base}{page}"));
        let errors = browser.severe_logs();
        assert!(errors.is_empty(), "{page}: {errors:?}");
    }
    eprintln!("checked {} pages in Chromium", pages.len());
}

pub(super) fn flagship_home_page_has_no_console_errors_in_chromium() {
    let browser = Browser::start();
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

pub(super) fn copy_links_and_previews_work_from_the_keyboard() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    browser.goto(&format!("{base}/faq/reduce-reliance-on-us-chips/"));
    let mut anchors = 0;
    let mut terms = 0;
    let mut skip_link_first = false;
    for step in 0..200 {
        browser.press("\u{E004}");
        let focused = browser.eval(
            "var a = document.activeElement; return {cls: a.className, href: a.getAttribute('href') || '', visible: a.getBoundingClientRect().width > 0, outline: getComputedStyle(a).outlineStyle};",
        );
        let cls = focused["cls"].as_str().unwrap_or("").to_string();
        if step == 0 {
            skip_link_first = cls == "skip-link";
        }
        if cls == "anchor" || cls == "term-link" {
            assert_eq!(focused["visible"], true, "{focused}");
            assert_ne!(focused["outline"], "none", "focus is visible: {focused}");
        }
        if cls == "anchor" {
            anchors += 1;
            if anchors == 1 {
                // Enter on a copy-link goes to its anchor.
                let href = focused["href"].as_str().unwrap().to_string();
                browser.press("\u{E007}");
                assert_eq!(
                    browser.eval("return location.hash"),
                    href.as_str(),
                    "Enter follows the copy-link"
                );
            }
        }
        if cls == "term-link" {
            terms += 1;
            let shown = browser.eval("var t = document.getElementById(document.activeElement.getAttribute('aria-describedby')); return getComputedStyle(t).display;");
            assert_eq!(shown, "block", "preview shown on focus");
        }
    }
    assert!(skip_link_first, "the skip link is the first stop");
    assert!(anchors >= 3, "copy-links reachable: {anchors}");
    assert!(terms >= 3, "glossary links reachable: {terms}");
}

/// Clicks through the site and searches, starting from `home`.
fn click_through_and_search(browser: &Browser, home: &str, label: &str) {
    browser.goto(home);
    assert!(
        browser
            .eval("return document.title")
            .as_str()
            .unwrap()
            .contains("China"),
        "{label}: home loads"
    );
    browser.click(".question-list li:first-child h3 a");
    let url = browser.location();
    assert!(
        url.contains("faq/ai-chip-production-2025/"),
        "{label}: question reached: {url}"
    );
    assert!(
        browser.eval("return getComputedStyle(document.body).marginTop") == "0px",
        "{label}: stylesheet loaded on the question"
    );
    browser.click("nav a[href*='timeline']");
    assert!(
        browser
            .eval("return document.querySelectorAll('.event').length")
            .as_i64()
            .unwrap()
            >= 12,
        "{label}: timeline reached"
    );
    browser.click("nav a[href*='glossary']");
    assert!(
        browser
            .eval("return document.querySelectorAll('.term').length")
            .as_i64()
            .unwrap()
            >= 20,
        "{label}: glossary reached"
    );
    for (query, expected) in [
        ("export controls", "Export controls"),
        ("中芯国际", "SMIC"),
        ("昇腾", "Ascend"),
        ("ascen", "Ascend"),
    ] {
        browser.type_into("#search-input", query);
        let mut found = String::new();
        for _ in 0..50 {
            found = browser.eval("var a = document.querySelector('#search-results a'); return a ? a.textContent : ''").as_str().unwrap().to_string();
            if !found.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(
            found.contains(expected),
            "{label}: search {query:?} gave {found:?}"
        );
    }
    // A result leads to the exact anchor.
    browser.type_into("#search-input", "中芯国际");
    std::thread::sleep(std::time::Duration::from_millis(200));
    browser.click("#search-results a");
    let url = browser.location();
    assert!(
        url.ends_with("glossary/index.html#smic"),
        "{label}: result link {url}"
    );
    let errors = browser.severe_logs();
    assert!(errors.is_empty(), "{label}: {errors:?}");
}

pub(super) fn the_same_build_works_from_disk_and_under_a_sub_path_in_chromium() {
    let browser = Browser::start();
    let out = build_flagship(Some("https://example.org/"));
    let public = out.path().join("public");
    click_through_and_search(
        &browser,
        &format!("file://{}/index.html", public.display()),
        "file://",
    );
    let base = serve_dir_at(&public, "/project");
    click_through_and_search(&browser, &format!("{base}/"), "sub-path");
}

pub(super) fn the_chinese_site_opens_from_disk_switches_language_and_searches_in_chinese() {
    let browser = Browser::start();
    let out = build_flagship(Some("https://example.org/"));
    let public = out.path().join("public");
    browser.resize(1280, 900);
    browser.goto(&format!("file://{}/zh/index.html", public.display()));
    assert_eq!(
        browser.eval("return document.documentElement.lang"),
        "zh-Hans"
    );
    // The stylesheet, shared with the English site, applies.
    let styled =
        browser.eval("return getComputedStyle(document.querySelector('.site-header')).display");
    assert_ne!(styled, "inline", "the shared stylesheet loaded");
    // Into a question, then to the same question in English and back.
    browser.click("main a[href*='faq/ai-chip-production-2025']");
    let zh_url = browser.location();
    assert!(
        zh_url.ends_with("/zh/faq/ai-chip-production-2025/index.html"),
        "{zh_url}"
    );
    browser.click("nav.languages a[hreflang='en']");
    let en_url = browser.location();
    assert!(
        en_url.ends_with("/faq/ai-chip-production-2025/index.html") && !en_url.contains("/zh/"),
        "{en_url}"
    );
    assert_eq!(browser.eval("return document.documentElement.lang"), "en");
    browser.click("nav.languages a[hreflang='zh-Hans']");
    assert_eq!(browser.location(), zh_url);
    // Search on the Chinese site finds Chinese documents only.
    browser.type_into("#search-input", "昇腾");
    let mut titles = Vec::new();
    for _ in 0..50 {
        let found = browser.eval(
            "return [...document.querySelectorAll('#search-results a')].map(a => a.textContent)",
        );
        titles = found
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        if !titles.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!titles.is_empty(), "results for 昇腾");
    // The messages and the marked match are the page's, in Chinese.
    let said = browser.eval(
        "return [document.getElementById('search-status').textContent, document.querySelectorAll('#search-results mark').length]",
    );
    assert!(
        said[0].as_str().unwrap().ends_with("条结果") && said[1].as_u64().unwrap() > 0,
        "status in Chinese and the match marked: {said}"
    );
    // Chinese text: a CJK face, a looser line, emphasis without italics.
    let style = browser.eval(
        "var b = getComputedStyle(document.body); var em = document.createElement('em'); document.querySelector('main p').appendChild(em);\
         var e = getComputedStyle(em); return [b.fontFamily, parseFloat(b.lineHeight) / parseFloat(b.fontSize), e.fontStyle];",
    );
    assert!(
        style[0].as_str().unwrap().contains("Noto Sans CJK SC"),
        "{style}"
    );
    assert!(style[1].as_f64().unwrap() >= 1.75, "{style}");
    assert_eq!(style[2], "normal", "no italics in Chinese: {style}");
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(
        titles.iter().all(|t| cjk(t)),
        "Chinese results only: {titles:?}"
    );
    let hrefs =
        browser.eval("return [...document.querySelectorAll('#search-results a')].map(a => a.href)");
    assert!(
        hrefs
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h.as_str().unwrap().contains("/zh/")),
        "results lead to Chinese pages: {hrefs}"
    );
    let errors = browser.severe_logs();
    assert!(errors.is_empty(), "{errors:?}");
}
