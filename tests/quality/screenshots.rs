//! Every kind of page at phone and desktop widths, light and dark: none
//! scrolls sideways, and the screenshots, page lengths and print PDF are
//! written to target/screenshots/ for people to look at. Apart because it
//! is the one check that leaves files behind.

use super::{PAGE_TYPES, ZH_PAGE_TYPES};
use crate::common::browser::{Browser, serve_dir};
use crate::common::{build_flagship, repo_root};

pub(super) fn no_page_scrolls_sideways_at_320_or_375_px_and_screenshots_are_written() {
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
