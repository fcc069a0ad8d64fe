//! `dossier check --external` against a server on 127.0.0.1 that this test
//! runs: working, moved, missing, hanging and slow pages, and anchors. No
//! request leaves the machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{copy_site, fixture};

/// What the test server saw.
#[derive(Default)]
struct Seen {
    hits: HashMap<String, usize>,
    arrivals: Vec<Instant>,
}

/// A server on 127.0.0.1 with one path per case.
struct TestServer {
    base: String,
    seen: Arc<Mutex<Seen>>,
}

impl TestServer {
    fn start() -> TestServer {
        // The address is known only once the server listens, and the
        // permanent redirect needs it: the handler reads it from here.
        let ok = Arc::new(Mutex::new(String::new()));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (log, location) = (seen.clone(), ok.clone());
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let path = uri.path().to_string();
            {
                let mut seen = log.lock().unwrap();
                *seen.hits.entry(path.clone()).or_default() += 1;
                seen.arrivals.push(Instant::now());
            }
            answer(path, location.lock().unwrap().clone())
        });
        let base = format!("http://{}", common::browser::serve_app(app));
        *ok.lock().unwrap() = format!("{base}/ok");
        TestServer { base, seen }
    }

    fn hits(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

async fn answer(path: String, ok: String) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::http::header::{CONTENT_TYPE, LOCATION};
    use axum::response::IntoResponse;
    let html = |status: StatusCode, body: &'static str| {
        (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    };
    match path.as_str() {
        "/ok" => html(StatusCode::OK, "<!doctype html><title>ok</title><p>fine"),
        "/moved" => (StatusCode::MOVED_PERMANENTLY, [(LOCATION, ok)]).into_response(),
        "/temporary" => (StatusCode::FOUND, [(LOCATION, "/ok")]).into_response(),
        "/missing" => html(StatusCode::NOT_FOUND, "gone"),
        "/hang" => {
            // Accepts and never answers (the client gives up first).
            tokio::time::sleep(Duration::from_secs(30)).await;
            html(StatusCode::OK, "too late")
        }
        "/slow" => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            html(StatusCode::OK, "<p>slow but fine")
        }
        "/page" => html(
            StatusCode::OK,
            "<!doctype html><h2 id=\"here\">Here</h2><a name=\"named\"></a><h2 id=\"section-two\">2</h2>",
        ),
        "/image.png" => {
            ([(CONTENT_TYPE, "image/png")], vec![0x89, b'P', b'N', b'G']).into_response()
        }
        _ => html(StatusCode::NOT_FOUND, "no such page"),
    }
}

/// The basic fixture with a question and an event that link to `base`.
fn site_linking_to(base: &str) -> tempfile::TempDir {
    let site = copy_site(&fixture("basic"));
    std::fs::write(
        site.path().join("content/faq/links.md"),
        format!(
            r#"+++
title = "Where do the links go?"
summary = "To the test server."

[[sources]]
title = "The working page"
url = "{base}/ok"

[[sources]]
title = "A page that is gone"
url = "{base}/missing"
+++

- [moved for good]({base}/moved)
- [moved for now]({base}/temporary)
- [slow]({base}/slow)
- [never answers]({base}/hang)
- [an anchor]({base}/page#here)
- [a named anchor]({base}/page#named)
- [a bad anchor]({base}/page#section-too)
- ![a picture]({base}/image.png)
"#
        ),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/timeline/links.md"),
        format!(
            "+++\ndate = 2025-01-02\ntitle = \"Linked event\"\n\n[[sources]]\ntitle = \"Gone as well\"\nurl = \"{base}/missing\"\n+++\n\nAn event.\n"
        ),
    )
    .unwrap();
    site
}

/// `dossier check --external` in `dir`, with no proxy from the environment
/// in the way of 127.0.0.1.
fn check_external(dir: &Path, extra: &[&str]) -> (i32, String) {
    let output = assert_cmd::Command::cargo_bin("dossier")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--external", "--timeout", "1"])
        .args(extra)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Fails, showing `output`, unless it contains `text`.
fn has(output: &str, text: impl AsRef<str>) {
    let text = text.as_ref();
    assert!(output.contains(text), "no `{text}` in:\n{output}");
}

/// `file:line:` of the first line of `file` in `dir` that contains `needle`.
fn place(dir: &Path, file: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {file}"));
    format!("{file}:{}:", line + 1)
}

/// The first check's report of the site of [`site_linking_to`]: each kind
/// of broken link, where it is written, and nothing about the fine ones.
fn first_report_names_each_problem_at_its_place(err: &str, base: &str, dir: &Path) {
    let faq = "content/faq/links.md";
    // 404, at both places the address is written.
    has(
        err,
        format!(
            "error: external link `{base}/missing` is broken: the server answered 404 Not Found"
        ),
    );
    has(err, place(dir, faq, "/missing"));
    has(err, place(dir, "content/timeline/links.md", "/missing"));
    // No answer within the timeout.
    has(
        err,
        format!("error: external link `{base}/hang` is broken: no answer within 1 s"),
    );
    has(err, place(dir, faq, "/hang"));
    // A fragment the page has no id for, with the nearest one.
    has(
        err,
        format!(
            "error: external link `{base}/page#section-too` is broken: the page has no element with id `section-too`"
        ),
    );
    has(err, place(dir, faq, "#section-too"));
    has(err, "help: did you mean `#section-two`?");
    // A permanent redirect is a warning that names the new address; a
    // temporary one is fine.
    has(
        err,
        format!("warning: external link `{base}/moved` has moved permanently to `{base}/ok`"),
    );
    has(err, place(dir, faq, "/moved"));
    has(err, format!("help: link to `{base}/ok` instead"));
    for fine in [
        "/ok",
        "/temporary",
        "/slow",
        "/page#here",
        "/page#named",
        "/image.png",
    ] {
        assert!(
            !err.contains(&format!("external link `{base}{fine}`")),
            "{fine} is reported:\n{err}"
        );
    }
    has(
        err,
        "external links: 10 checked (0 cached): 3 broken, 1 moved permanently",
    );
    has(err, "check failed: 4 broken link(s)");
    // The site's own addresses (canonical URLs from base_url) are not fetched.
    assert!(!err.contains("fixture.example"), "{err}");
    // stderr is not a terminal here: no bar, no control characters, and the
    // run (over a second, for the hanging page) ends with one plain line.
    assert!(!err.contains('\r') && !err.contains("\x1b["), "{err:?}");
    has(err, "external links: 8/8 in ");
}

/// Requests to one host start at least ~250 ms apart.
fn requests_to_one_host_are_spaced(server: &TestServer) {
    let arrivals = server.seen.lock().unwrap().arrivals.clone();
    for pair in arrivals.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(150),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}

/// What worked is on disk; what was broken is not.
fn only_what_worked_is_cached(dir: &Path, base: &str) {
    let cache = std::fs::read_to_string(dir.join(".dossier-cache/external.json")).unwrap();
    let cache: serde_json::Value = serde_json::from_str(&cache).unwrap();
    let pages = cache["pages"].as_object().unwrap();
    for cached in [
        "/ok",
        "/moved",
        "/temporary",
        "/slow",
        "/page",
        "/image.png",
    ] {
        assert!(
            pages.contains_key(&format!("{base}{cached}")),
            "{cached}: {pages:?}"
        );
    }
    for broken in ["/missing", "/hang"] {
        assert!(!pages.contains_key(&format!("{base}{broken}")), "{broken}");
    }
    assert_eq!(
        cache["pages"][format!("{base}/page")]["fragments"],
        serde_json::json!(["here", "named"])
    );
}

#[test]
fn each_kind_of_broken_link_is_reported_where_it_is_written_and_cached_links_are_not_fetched_again()
{
    let server = TestServer::start();
    let base = &server.base;
    let site = site_linking_to(base);
    let dir = site.path();

    let (code, err) = check_external(dir, &[]);
    assert_eq!(code, 1, "{err}");
    first_report_names_each_problem_at_its_place(&err, base, dir);
    requests_to_one_host_are_spaced(&server);
    only_what_worked_is_cached(dir, base);

    // Again: the pages that worked come from the cache, the broken ones
    // (and the page with a bad anchor) are asked again, and the same
    // problems are reported.
    let ok_hits = server.hits("/ok");
    let (code, again) = check_external(dir, &[]);
    assert_eq!(code, 1, "{again}");
    has(
        &again,
        "external links: 10 checked (5 cached): 3 broken, 1 moved permanently",
    );
    has(&again, format!("`{base}/moved` has moved permanently"));
    assert_eq!(server.hits("/ok"), ok_hits, "/ok was fetched again");
    assert_eq!(server.hits("/missing"), 2);
    assert_eq!(server.hits("/page"), 2);

    // --cache-hours 0 asks everything again.
    let (_, uncached) = check_external(dir, &["--cache-hours", "0", "--quiet"]);
    has(&uncached, "(0 cached)");
    assert!(server.hits("/ok") > ok_hits);
    // --quiet drops the progress line, not the report.
    assert!(!uncached.contains("external links: 8/8 in "), "{uncached}");
    has(&uncached, "check failed");
}

#[test]
fn a_site_whose_external_links_all_answer_passes() {
    let server = TestServer::start();
    let base = &server.base;
    let site = copy_site(&fixture("basic"));
    std::fs::write(
        site.path().join("content/faq/fine.md"),
        format!(
            "+++\ntitle = \"Fine?\"\n\n[[sources]]\ntitle = \"OK\"\nurl = \"{base}/ok\"\n+++\n\n[Here]({base}/page#here) and [there]({base}/temporary).\n"
        ),
    )
    .unwrap();
    let (code, err) = check_external(site.path(), &["--cache-hours", "0"]);
    assert_eq!(code, 0, "{err}");
    has(&err, "every external link answers");
    assert!(!site.path().join(".dossier-cache").exists());
    // A permanent redirect fails the check with --strict.
    std::fs::write(
        site.path().join("content/faq/fine.md"),
        format!("+++\ntitle = \"Fine?\"\n+++\n\n[Moved]({base}/moved).\n"),
    )
    .unwrap();
    let (code, err) = check_external(site.path(), &["--strict"]);
    assert_eq!(code, 1, "{err}");
    has(&err, "moved permanently to");
    has(&err, "(an error because of --strict)");
}

#[test]
fn external_options_need_external_and_a_positive_timeout() {
    let site = copy_site(&fixture("basic"));
    common::dossier(site.path(), &["check", "--timeout", "1"]).code(2);
    common::dossier(site.path(), &["check", "--external", "--timeout", "0"]).code(2);
    common::dossier(site.path(), &["check", "--external", "--timeout", "soon"]).code(2);
}
