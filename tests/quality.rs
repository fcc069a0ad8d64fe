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
            no_page_scrolls_sideways_at_320_or_375_px_and_screenshots_are_written,
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
            previews_stay_inside_the_window_at_320_375_and_1280_px,
            [Chromium]
        ),
        check!(
            the_pointer_can_move_into_a_preview_and_escape_closes_it,
            [Chromium]
        ),
        check!(every_glossary_link_has_a_preview, [Chromium]),
        check!(
            chart_text_is_11_px_or_more_on_a_phone_and_only_plans_are_dashed,
            [Chromium]
        ),
        check!(home_and_a_question_do_not_shift_while_loading, [Chromium]),
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
    ("print", "/print/"),
];

/// The Chinese pages the sideways check and the screenshots also cover.
const ZH_PAGE_TYPES: &[(&str, &str)] = &[
    ("zh-home", "/zh/"),
    ("zh-question", "/zh/faq/ai-chip-production-2025/"),
    ("zh-timeline", "/zh/timeline/"),
    ("zh-glossary", "/zh/glossary/"),
    ("zh-print", "/zh/print/"),
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

fn no_page_scrolls_sideways_at_320_or_375_px_and_screenshots_are_written() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    let shots = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    // Document heights, for the record of how long each page is.
    let mut lengths = String::from("page width scrollHeight\n");
    for (width, height) in [(320, 640), (375, 812), (1280, 900)] {
        browser.resize(width, height);
        for scheme in ["light", "dark"] {
            browser.color_scheme(scheme);
            for (name, page) in PAGE_TYPES.iter().chain(ZH_PAGE_TYPES) {
                browser.goto(&format!("{base}{page}"));
                let sizes = browser.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.documentElement.scrollHeight]");
                let (scroll, client) = (sizes[0].as_i64().unwrap(), sizes[1].as_i64().unwrap());
                assert!(
                    scroll <= client,
                    "{page} at {width}px ({scheme}) scrolls sideways: {scroll} > {client}"
                );
                let shown = ["home", "question", "timeline", "glossary", "print"]
                    .contains(&name.trim_start_matches("zh-"));
                if !shown || width == 320 {
                    continue;
                }
                if scheme == "light" {
                    lengths.push_str(&format!("{name} {width} {}\n", sizes[2]));
                }
                let png = browser.screenshot();
                assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
                std::fs::write(shots.join(format!("{name}-{width}-{scheme}.png")), png).unwrap();
                if name.ends_with("print") {
                    // The print edition as it prints (print stylesheet).
                    browser.media("print", scheme);
                    let png = browser.screenshot();
                    std::fs::write(
                        shots.join(format!("{name}-paper-{width}-{scheme}.png")),
                        png,
                    )
                    .unwrap();
                    browser.media("", scheme);
                }
            }
        }
    }
    browser.goto(&format!("{base}/print/"));
    let pdf = browser.print_pdf();
    assert!(pdf.starts_with(b"%PDF"), "the print edition prints");
    let sheets = pdf
        .windows(b"/Type /Page".len() + 1)
        .filter(|w| w.starts_with(b"/Type /Page") && !w.ends_with(b"s"))
        .count();
    lengths.push_str(&format!("print-pdf letter {sheets} pages\n"));
    std::fs::write(shots.join("print-edition.pdf"), &pdf).unwrap();
    std::fs::write(shots.join("page-lengths.txt"), &lengths).unwrap();
    eprintln!("{lengths}");
    // The search box's border stands out from the page: at least 3:1
    // (WCAG 1.4.11), in both themes.
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        browser.goto(&format!("{base}/"));
        let ratio = browser.eval(
            r#"function lum(c) {
                var v = c.match(/[\d.]+/g).slice(0, 3).map(function (x) {
                    x = x / 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
                });
                return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
            }
            var a = lum(getComputedStyle(document.querySelector('#search-input')).borderTopColor);
            var b = lum(getComputedStyle(document.body).backgroundColor);
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);"#,
        );
        let ratio = ratio.as_f64().unwrap();
        assert!(ratio >= 3.0, "search box border {ratio:.2}:1 ({scheme})");
        eprintln!("search box border {ratio:.2}:1 against the page ({scheme})");
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
    layout_shift_at(browser, url, 375)
}

/// [`layout_shift_and_images`] with the window `width` CSS pixels wide.
fn layout_shift_at(browser: &Browser, url: &str, width: u32) -> (f64, Vec<(String, i64)>) {
    browser.resize(width, 700);
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

/// The pages whose glossary previews the preview checks open: every
/// question, the timeline and the glossary, in every language.
fn preview_pages(public: &Path) -> Vec<String> {
    let pages: Vec<String> = pages(public)
        .into_iter()
        .filter(|p| {
            let question = p.contains("/faq/") && !p.ends_with("/faq/");
            question || p.ends_with("/timeline/") || p.ends_with("/glossary/")
        })
        .collect();
    assert!(pages.len() >= 7, "questions, timeline, glossary: {pages:?}");
    pages
}

/// Opens every preview of the page in turn (as a tap does, which the
/// script then places) and returns those that end past the left or right
/// edge of the window, or make it scroll sideways, and how many it opened.
const PREVIEWS_PAST_THE_EDGE: &str = r#"
    var doc = document.documentElement, out = [], refs = document.querySelectorAll('.term-ref');
    refs.forEach(function (ref) {
        var link = ref.querySelector('a'), tip = ref.querySelector('.term-tip');
        ref.classList.add('open');
        link.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        var r = tip.getBoundingClientRect();
        if (r.width === 0 || r.left < 0 || r.right > doc.clientWidth || doc.scrollWidth > doc.clientWidth)
            out.push(link.textContent + ': ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + doc.clientWidth);
        ref.classList.remove('open');
        link.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
    });
    return [refs.length, out];"#;

fn previews_stay_inside_the_window_at_320_375_and_1280_px() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let public = out.path().join("public");
    let base = serve_dir(&public);
    let mut opened = 0;
    for (width, height) in [(320, 640), (375, 812), (1280, 900)] {
        browser.resize(width, height);
        for page in preview_pages(&public) {
            browser.goto(&format!("{base}{page}"));
            let result = browser.eval(PREVIEWS_PAST_THE_EDGE);
            opened += result[0].as_u64().unwrap();
            let past: &Vec<serde_json::Value> = result[1].as_array().unwrap();
            assert!(
                past.is_empty(),
                "{page} at {width} px: previews past the window: {past:?}"
            );
        }
    }
    assert!(opened >= 300, "previews opened: {opened}");
    eprintln!("{opened} previews opened, none past the window");
}

/// The centre of `css` (scrolled to the middle of the window) and the box
/// of its preview once the pointer rests on it, as [x, y, tip left, top,
/// right, bottom, tip shown].
fn hover(browser: &Browser, css: &str) -> Vec<f64> {
    let at = browser.eval(&format!(
        "var a = document.querySelector({css:?}); a.scrollIntoView({{block: 'center'}});\
         var r = a.getClientRects()[0]; return [r.left + Math.min(r.width / 2, 20), r.top + r.height / 2];"
    ));
    let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    browser.move_pointer(&[(x, y)]);
    let tip = browser.eval(&format!(
        "var a = document.querySelector({css:?}), t = document.getElementById(a.getAttribute('aria-describedby'));\
         var r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, getComputedStyle(t).display === 'block' ? 1 : 0];"
    ));
    let mut out = vec![x, y];
    out.extend(tip.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()));
    out
}

/// Whether the preview of `css` is shown.
fn tip_shown(browser: &Browser, css: &str) -> bool {
    browser.eval(&format!(
        "var a = document.querySelector({css:?}); return getComputedStyle(document.getElementById(a.getAttribute('aria-describedby'))).display"
    )) == "block"
}

fn the_pointer_can_move_into_a_preview_and_escape_closes_it() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    for (width, height) in [(320, 640), (375, 812), (1280, 900)] {
        browser.resize(width, height);
        for page in [
            "/faq/global-supply-chains/",
            "/timeline/",
            "/glossary/",
            "/zh/faq/global-supply-chains/",
            "/zh/glossary/",
        ] {
            browser.goto(&format!("{base}{page}"));
            let link = ".term-ref > a";
            browser.move_pointer(&[(1.0, 1.0)]);
            assert!(!tip_shown(&browser, link), "{page}: hidden until asked for");
            let h = hover(&browser, link);
            assert_eq!(
                h[6], 1.0,
                "{page} at {width} px: hovering shows the preview"
            );
            // Down from the link into the middle of the preview, in small
            // steps: no gap on the way closes it.
            let (x, y) = (h[0], h[1]);
            let (tx, ty) = ((h[2] + h[4]) / 2.0, (h[3] + h[5]) / 2.0);
            let path: Vec<(f64, f64)> = (1..=10)
                .map(|i| {
                    let f = i as f64 / 10.0;
                    (x + (tx - x) * f, y + (ty - y) * f)
                })
                .collect();
            browser.move_pointer(&path);
            assert!(
                tip_shown(&browser, link),
                "{page} at {width} px: the preview stays open under the pointer: {h:?}"
            );
            let inside = browser.eval(&format!(
                "var t = document.elementFromPoint({tx}, {ty}); return !!(t && t.closest('.term-tip'));"
            ));
            assert_eq!(
                inside, true,
                "{page} at {width} px: the pointer is on the preview"
            );
            // Escape closes a preview opened by hovering, pointer still on it.
            browser.press("\u{E00C}");
            assert!(
                !tip_shown(&browser, link),
                "{page} at {width} px: Escape closes the hovered preview"
            );
            // Leaving and coming back opens it again.
            browser.move_pointer(&[(1.0, 1.0)]);
            let again = hover(&browser, link);
            assert_eq!(again[6], 1.0, "{page}: hovering again shows it");
            browser.move_pointer(&[(1.0, 1.0)]);
            // Opened by keyboard focus, Escape closes it too.
            browser.eval(&format!("document.querySelector({link:?}).focus()"));
            assert!(tip_shown(&browser, link), "{page}: focus shows the preview");
            browser.press("\u{E00C}");
            assert!(
                !tip_shown(&browser, link),
                "{page} at {width} px: Escape closes the focused preview"
            );
            let errors = browser.severe_logs();
            assert!(errors.is_empty(), "{page} at {width} px: {errors:?}");
        }
    }
}

fn every_glossary_link_has_a_preview() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let public = out.path().join("public");
    let base = serve_dir(&public);
    // Control: a bare link to an entry is found.
    std::fs::write(
        public.join("control.html"),
        "<!doctype html><html lang=\"en\"><title>c</title><main><a href=\"glossary/#smic\">SMIC</a></main></html>",
    )
    .unwrap();
    let script = r#"
        var bad = [], seen = 0;
        document.querySelectorAll('main a[href]').forEach(function (a) {
            var u = new URL(a.getAttribute('href'), location.href);
            if (!u.hash || !/\/glossary\/(index\.html)?$/.test(u.pathname)) return;
            // The glossary's own jump bar, copy-links and see-also lists
            // move within the glossary, a breadcrumb leads back to it;
            // every other link to an entry is a term link.
            if (a.closest('.jump-bar, .see-also, .breadcrumb') || a.classList.contains('anchor')) return;
            seen++;
            var tip = document.getElementById(a.getAttribute('aria-describedby') || '');
            if (!tip || tip.getAttribute('role') !== 'tooltip' || !tip.textContent.trim() || !a.closest('.term-ref'))
                bad.push(a.outerHTML.slice(0, 160));
        });
        return [seen, bad];"#;
    browser.goto(&format!("{base}/control.html"));
    let control = browser.eval(script);
    assert_eq!(
        control[1].as_array().unwrap().len(),
        1,
        "control: {control}"
    );
    let mut seen = 0;
    for page in pages(&public) {
        // The print edition is for paper: its links carry no previews.
        if page.contains("/print/") || page.ends_with("control.html") {
            continue;
        }
        browser.goto(&format!("{base}{page}"));
        let result = browser.eval(script);
        seen += result[0].as_u64().unwrap();
        let bad = result[1].as_array().unwrap();
        assert!(
            bad.is_empty(),
            "{page}: glossary links without a preview: {bad:#?}"
        );
    }
    assert!(seen >= 100, "glossary links checked: {seen}");
    eprintln!("{seen} glossary links, each with its preview");
}

fn chart_text_is_11_px_or_more_on_a_phone_and_only_plans_are_dashed() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let public = out.path().join("public");
    let base = serve_dir(&public);
    browser.resize(375, 812);
    let mut charts = 0;
    for page in pages(&public) {
        browser.goto(&format!("{base}{page}"));
        let result = browser.eval(
            r#"var charts = document.querySelectorAll('figure.chart'), small = [], min = 1e9, rows = [];
            charts.forEach(function (chart) {
                chart.querySelectorAll('*').forEach(function (el) {
                    var text = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
                    if (!text || el.closest('.visually-hidden, title, desc') || el.getClientRects().length === 0) return;
                    var px = parseFloat(getComputedStyle(el).fontSize), svg = el.closest('svg');
                    // SVG text is scaled with its drawing.
                    if (svg) px *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    min = Math.min(min, px);
                    if (px < 11) small.push(el.textContent.trim() + ': ' + px.toFixed(1) + ' px');
                });
                chart.querySelectorAll('.chart-row').forEach(function (row) {
                    var bar = row.querySelector('.chart-bar');
                    rows.push([row.classList.contains('planned'), getComputedStyle(bar).borderTopStyle]);
                });
            });
            return [charts.length, min, small, rows];"#,
        );
        let count = result[0].as_u64().unwrap();
        if count == 0 {
            continue;
        }
        charts += count;
        let small = result[2].as_array().unwrap();
        assert!(
            small.is_empty(),
            "{page}: chart text under 11 px at 375 px: {small:?}"
        );
        let rows = result[3].as_array().unwrap();
        let dashed = |r: &serde_json::Value| r[1] == "dashed";
        assert!(
            rows.iter().all(|r| r[0].as_bool().unwrap() == dashed(r)),
            "{page}: dashed bars are exactly the plans and targets: {rows:?}"
        );
        assert!(
            rows.iter().any(dashed) && rows.iter().any(|r| !dashed(r)),
            "{page}: the flagship chart has a measured bar and planned ones: {rows:?}"
        );
        eprintln!("{page}: smallest chart text {} px", result[1]);
    }
    assert!(
        charts >= 2,
        "the question's chart and the home page's: {charts}"
    );
}

fn home_and_a_question_do_not_shift_while_loading() {
    let browser = Browser::start();
    let out = build_flagship(None);
    let base = serve_dir(&out.path().join("public"));
    for width in [375, 1280] {
        for page in [
            "/",
            "/faq/ai-chip-production-2025/",
            "/zh/",
            "/zh/faq/ai-chip-production-2025/",
        ] {
            let (cls, _) = layout_shift_at(&browser, &format!("{base}{page}"), width);
            eprintln!("{page} at {width} px: CLS {cls:.4}");
            assert!(
                cls <= 0.01,
                "{page} at {width} px: cumulative layout shift {cls}"
            );
        }
    }
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
