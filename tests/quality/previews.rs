//! The glossary previews in Chromium: every glossary link has one, they
//! open on focus and hover, stay inside the window at every width, let
//! the pointer move into them and close on Escape. Apart because the
//! previews have their own markup and script, and these checks share
//! helpers that open them.

use std::path::Path;

use super::pages;
use crate::common::browser::{Browser, serve_dir};
use crate::common::build_flagship;

pub(super) fn keyboard_focus_on_a_term_link_shows_its_preview() {
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

pub(super) fn previews_stay_inside_the_window_at_320_375_and_1280_px() {
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

pub(super) fn the_pointer_can_move_into_a_preview_and_escape_closes_it() {
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

pub(super) fn every_glossary_link_has_a_preview() {
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
