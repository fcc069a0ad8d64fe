//! Sizes and movement as Chromium lays pages out: no layout shift while
//! images and pages load (from disk and under a sub-path), images take
//! the narrower copy meant for the screen, and chart text stays readable
//! on a phone.

use super::pages;
use crate::common::browser::{Browser, serve_dir, serve_dir_at};
use crate::common::{build_flagship, repo_root};

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
    crate::common::dossier(dir.path(), &["build"]).success();
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

pub(super) fn images_load_without_layout_shift_from_disk_and_a_sub_path() {
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

pub(super) fn home_and_a_question_do_not_shift_while_loading() {
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

pub(super) fn chart_text_is_11_px_or_more_on_a_phone_and_only_plans_are_dashed() {
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
