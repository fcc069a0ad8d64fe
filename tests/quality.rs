//! Quality of the flagship site measured in a real browser and by checkers
//! nobody here wrote: console errors, small screens, keyboard use, the same
//! build from disk and under a sub-path, the Nu HTML Checker (vnu) and
//! axe-core. Screenshots go to target/screenshots/.
//!
//! The checkers come from npm (`.ci/run` installs them into
//! target/checkers). This target has its own test list
//! (`common::harness`, `harness = false`): without Chromium or a checker
//! the tests that need it show as ignored, and fail when
//! DOSSIER_REQUIRE_BROWSER=1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::ExitCode;

use common::browser::{Browser, serve_dir, serve_dir_at};
use common::harness::{Needs::Checker, Needs::Chromium, check, checker};
use common::{build_flagship, repo_root};

const VNU: &str = "vnu-jar/build/dist/vnu.jar";
const AXE: &str = "axe-core/axe.min.js";

fn main() -> ExitCode {
    common::harness::run(&[
        check!(
            every_page_loads_without_console_errors_or_failed_requests,
            [Chromium]
        ),
        check!(
            no_page_scrolls_sideways_at_375_px_and_screenshots_are_written,
            [Chromium]
        ),
        check!(copy_links_and_previews_work_from_the_keyboard, [Chromium]),
        check!(nu_html_checker_finds_no_errors, [Checker(VNU)]),
        check!(
            axe_finds_no_serious_or_critical_violations,
            [Checker(AXE), Chromium]
        ),
        check!(one_h1_per_page_and_no_gaps_in_heading_order, []),
        check!(home_and_question_pages_weigh_under_50_kb_gzipped, []),
        check!(
            flagship_home_page_has_no_console_errors_in_chromium,
            [Chromium]
        ),
        check!(keyboard_focus_on_a_term_link_shows_its_preview, [Chromium]),
        check!(
            the_same_build_works_from_disk_and_under_a_sub_path_in_chromium,
            [Chromium]
        ),
        check!(
            images_load_without_layout_shift_from_disk_and_a_sub_path,
            [Chromium]
        ),
        check!(
            the_chinese_site_opens_from_disk_switches_language_and_searches_in_chinese,
            [Chromium]
        ),
    ])
}

/// Every HTML page of the output, as URL paths.
fn pages(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            format!("/{}", rel.trim_end_matches("index.html"))
        })
        .collect();
    pages.sort();
    pages
}

/// One page of each kind, for the checks that look closely.
const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "/"),
    ("question", "/faq/ai-chip-production-2025/"),
    ("timeline", "/timeline/"),
    ("glossary", "/glossary/"),
    ("tags", "/tags/"),
    ("tag", "/tags/huawei/"),
    ("not-found", "/404.html"),
];

fn every_page_loads_without_console_errors_or_failed_requests() {
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

fn no_page_scrolls_sideways_at_375_px_and_screenshots_are_written() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    let shots = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (width, height) in [(375, 812), (1280, 900)] {
        browser.resize(width, height);
        for scheme in ["light", "dark"] {
            browser.color_scheme(scheme);
            for (name, page) in PAGE_TYPES {
                browser.goto(&format!("{base}{page}"));
                let sizes = browser.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
                let (scroll, client) = (sizes[0].as_i64().unwrap(), sizes[1].as_i64().unwrap());
                assert!(
                    scroll <= client,
                    "{page} at {width}px ({scheme}) scrolls sideways: {scroll} > {client}"
                );
                if ["home", "question", "timeline", "glossary"].contains(name) {
                    let png = browser.screenshot();
                    assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
                    std::fs::write(shots.join(format!("{name}-{width}-{scheme}.png")), png)
                        .unwrap();
                }
            }
        }
    }
    let dark_bg = {
        browser.color_scheme("dark");
        browser.goto(&format!("{base}/"));
        browser.eval("return getComputedStyle(document.body).backgroundColor")
    };
    assert_ne!(
        dark_bg, "rgb(253, 252, 249)",
        "dark theme follows prefers-color-scheme"
    );
}

fn copy_links_and_previews_work_from_the_keyboard() {
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

fn nu_html_checker_finds_no_errors() {
    let jar = checker(VNU);
    let out = build_flagship(None);
    let public = out.path().join("public");
    let run = |dir: &Path| {
        let output = std::process::Command::new("java")
            .args(["-jar"])
            .arg(&jar)
            .args(["--skip-non-html", "--format", "json"])
            .arg(dir)
            .output()
            .expect("java is needed for the Nu HTML Checker");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stderr).expect("vnu writes JSON to stderr");
        report["messages"].as_array().unwrap().clone()
    };
    // Control: the checker reports a real error.
    let control = tempfile::tempdir().unwrap();
    std::fs::write(
        control.path().join("bad.html"),
        "<!doctype html><html lang=en><title>x</title><p><div></p>",
    )
    .unwrap();
    assert!(
        run(control.path()).iter().any(|m| m["type"] == "error"),
        "vnu control found no error"
    );
    let output = std::process::Command::new("java")
        .args(["-jar"])
        .arg(&jar)
        .args(["--skip-non-html", "--format", "json"])
        .arg(&public)
        .output()
        .expect("java is needed for the Nu HTML Checker");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stderr).expect("vnu writes JSON to stderr");
    let messages = report["messages"].as_array().unwrap();
    let errors: Vec<&serde_json::Value> =
        messages.iter().filter(|m| m["type"] == "error").collect();
    let warnings = messages.len() - errors.len();
    eprintln!(
        "vnu: {} pages, {} errors, {warnings} warnings",
        pages(&public).len(),
        errors.len()
    );
    assert!(errors.is_empty(), "{errors:#?}");
}

fn axe_finds_no_serious_or_critical_violations() {
    let axe = checker(AXE);
    let browser = Browser::start();
    let source = std::fs::read_to_string(axe).unwrap();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    // Control: an image without text is a critical violation.
    std::fs::write(out.path().join("public/control.html"), "<!doctype html><html lang=\"en\"><title>c</title><link rel=\"icon\" href=\"data:,\"><main><img src=\"data:,\"></main></html>").unwrap();
    browser.goto(&format!("{base}/control.html"));
    browser.eval(&format!("{source}\n;return true;"));
    let control = browser.eval_async("var done = arguments[0]; axe.run(document).then(function (r) { done(r.violations.map(function (v) { return v.impact; })); });");
    assert!(
        control.as_array().unwrap().iter().any(|i| i == "critical"),
        "axe control: {control}"
    );
    let mut by_impact: std::collections::BTreeMap<String, usize> = Default::default();
    let mut bad = Vec::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for (name, page) in PAGE_TYPES {
            browser.goto(&format!("{base}{page}"));
            browser.eval(&format!("{source}\n;return true;"));
            let violations = browser.eval_async(
                "var done = arguments[0]; axe.run(document).then(function (r) { done(r.violations.map(function (v) { return {id: v.id, impact: v.impact, nodes: v.nodes.length}; })); });",
            );
            for v in violations.as_array().unwrap() {
                let impact = v["impact"].as_str().unwrap_or("none").to_string();
                *by_impact.entry(impact.clone()).or_default() += 1;
                if impact == "serious" || impact == "critical" {
                    bad.push(format!("{name} ({scheme}): {v}"));
                }
            }
        }
    }
    eprintln!("axe violations by impact: {by_impact:?}");
    assert!(bad.is_empty(), "{bad:#?}");
}

fn one_h1_per_page_and_no_gaps_in_heading_order() {
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

fn home_and_question_pages_weigh_under_50_kb_gzipped() {
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

fn flagship_home_page_has_no_console_errors_in_chromium() {
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

fn keyboard_focus_on_a_term_link_shows_its_preview() {
    let browser = Browser::start();
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

fn the_same_build_works_from_disk_and_under_a_sub_path_in_chromium() {
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

/// A site whose question shows a 2000×1000 photo from its bundle, text,
/// then the SVG diagram from static/, each below a screen of text.
fn image_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let filler = "A paragraph of text that pushes the images down the page. ".repeat(12);
    let body = format!(
        "{filler}\n\n![A test photograph](photo.png \"A caption\")\n\n{filler}\n\n```figure\nsrc = \"/img/supply-chain.svg\"\nalt = \"A tall diagram\"\ncredit = \"Diagram: test\"\n```\n\n{filler}\n"
    );
    let files = [
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/project/\"\n".to_string(),
        ),
        (
            "content/faq/pictures/index.md",
            format!("+++\ntitle = \"Pictures?\"\n+++\n{body}"),
        ),
    ];
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    image::RgbImage::from_fn(2000, 1000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(dir.path().join("content/faq/pictures/photo.png"))
    .unwrap();
    std::fs::create_dir_all(dir.path().join("static/img")).unwrap();
    std::fs::copy(
        repo_root().join("static/img/supply-chain.svg"),
        dir.path().join("static/img/supply-chain.svg"),
    )
    .unwrap();
    common::dossier(dir.path(), &["build"]).success();
    dir
}

/// Loads `url` at 375 px, scrolls through the page so lazy images load,
/// and returns (cumulative layout shift, [currentSrc, naturalWidth] of each
/// image).
fn layout_shift_and_images(browser: &Browser, url: &str) -> (f64, Vec<(String, i64)>) {
    browser.resize(375, 700);
    browser.goto(url);
    let result = browser.eval_async(
        r#"const done = arguments[0];
        let cls = 0;
        new PerformanceObserver(list => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value;
        }).observe({type: 'layout-shift', buffered: true});
        const images = [...document.images];
        let y = 0;
        const step = () => {
            y += 300;
            window.scrollTo(0, y);
            if (y < document.body.scrollHeight) { setTimeout(step, 50); return; }
            const wait = () => images.every(i => i.complete) ? setTimeout(() =>
                done([cls, images.map(i => [i.currentSrc, i.naturalWidth])]), 300) : setTimeout(wait, 50);
            wait();
        };
        step();"#,
    );
    let cls = result[0].as_f64().unwrap();
    let images = result[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i[0].as_str().unwrap().to_string(), i[1].as_i64().unwrap()))
        .collect();
    (cls, images)
}

fn images_load_without_layout_shift_from_disk_and_a_sub_path() {
    let browser = Browser::start();
    let site = image_site();
    let public = site.path().join("public");
    let base = serve_dir_at(&public, "/project");
    for url in [
        format!("file://{}/faq/pictures/index.html", public.display()),
        format!("{base}/faq/pictures/"),
    ] {
        let (cls, images) = layout_shift_and_images(&browser, &url);
        let html = std::fs::read_to_string(public.join("faq/pictures/index.html")).unwrap();
        let imgs: Vec<&str> = html
            .match_indices("<img")
            .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
            .collect();
        assert_eq!(cls, 0.0, "{url}: layout shift; {imgs:?}");
        assert_eq!(images.len(), 2, "{url}: {images:?}");
        // At 375 px (device pixel ratio 1) the 480 px copy is chosen.
        let (photo, width) = &images[0];
        assert!(
            photo.contains("/faq/pictures/photo.480w."),
            "{url}: {photo}"
        );
        // (naturalWidth is in CSS pixels: the copy's 480 px over the
        // density srcset gave it.)
        assert!(*width > 0, "{url}: the copy loaded");
        let (svg, width) = &images[1];
        assert!(svg.ends_with("/img/supply-chain.svg"), "{url}: {svg}");
        assert!(*width > 0, "{url}: the diagram loaded");
    }
    assert!(browser.severe_logs().is_empty());
}

fn the_chinese_site_opens_from_disk_switches_language_and_searches_in_chinese() {
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
