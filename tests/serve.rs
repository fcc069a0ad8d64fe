//! `dossier serve`: pages served, reload after edits, broken edits shown as
//! an overlay over the last good site, refusals, and incremental rebuilds
//! that equal a full build byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::server::{Server, wait_reload};
use common::{copy_site, fixture, snapshot};
use dossier::serve::LIVE_RELOAD;

fn text(body: &[u8]) -> String {
    String::from_utf8(body.to_vec()).unwrap()
}

#[test]
fn serves_pages_and_reloads_after_an_edit() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    let home = text(&home);
    assert!(home.contains("What comes first?"));
    assert!(
        home.contains("EventSource(\"/__dossier/events\")"),
        "live reload script injected"
    );
    assert_eq!(server.get("/faq/first/").0, 200);
    let stylesheet = home
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(
        stylesheet.starts_with("style.") && stylesheet.ends_with(".css"),
        "{stylesheet}"
    );
    assert_eq!(server.get(&format!("/{stylesheet}")).0, 200);
    assert_eq!(
        server.get("/faq/first").0,
        301,
        "directory without slash redirects"
    );
    let (status, missing) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        text(&missing).contains("Page not found"),
        "the site's 404 page"
    );

    let events = server.events();
    let file = site.path().join("content/faq/first.md");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("The first answer mentions", "The edited answer mentions");
    std::fs::write(&file, edited).unwrap();
    wait_reload(&events);
    assert!(text(&server.get("/faq/first/").1).contains("The edited answer mentions"));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_error() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let events = server.events();
    let file = site.path().join("content/faq/second.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace(
            "title = \"What comes second?\"",
            "title = \"Broken?\"\ntitel = \"x\"",
        ),
    )
    .unwrap();
    wait_reload(&events);
    let page = text(&server.get("/faq/second/").1);
    assert!(
        page.contains("What comes second?"),
        "last good page still served"
    );
    assert!(page.contains("id=\"dossier-error\""), "overlay shown");
    assert!(page.contains("unknown key `titel`"), "{page}");
    assert!(
        page.contains("content/faq/second.md:3:1"),
        "file and line in the overlay"
    );
    assert!(
        page.contains("titel = &quot;x&quot;"),
        "offending line in the overlay, escaped"
    );
    assert!(
        text(&server.get("/").1).contains("dossier-error"),
        "every page shows it"
    );

    std::fs::write(
        &file,
        good.replace("What comes second?", "What comes second, fixed?"),
    )
    .unwrap();
    wait_reload(&events);
    let page = text(&server.get("/faq/second/").1);
    assert!(!page.contains("dossier-error"), "fixed: overlay gone");
    assert!(page.contains("What comes second, fixed?"));
}

#[test]
fn traversal_and_foreign_hosts_are_refused() {
    let site = copy_site(&fixture("basic"));
    std::fs::write(site.path().join("secret.txt"), "secret").unwrap();
    let server = Server::start(site.path());
    let host = server.host.clone();
    assert_eq!(server.raw_status("/", &host), 200);
    for target in [
        "/../secret.txt",
        "/faq/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/index.html%00.txt",
        "/..\\secret.txt",
    ] {
        assert_eq!(server.raw_status(target, &host), 400, "{target}");
    }
    assert_eq!(server.raw_status("/", "evil.example"), 403, "DNS rebinding");
    assert_eq!(server.raw_status("/", "evil.example:80"), 403);
    let port = host.rsplit(':').next().unwrap();
    assert_eq!(server.raw_status("/", &format!("localhost:{port}")), 200);
}

/// Compares what the server serves with a fresh full build of the site.
fn assert_served_equals_full_build(server: &Server, root: &Path, step: &str) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let base = format!("{}/", server.base);
    common::dossier(
        root,
        &[
            "build",
            "--base-url",
            &base,
            "--output",
            target.to_str().unwrap(),
        ],
    )
    .success();
    let built = snapshot(&target);
    for (path, bytes) in &built {
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let (status, served) = server.get(&url);
        assert_eq!(status, 200, "{step}: {url}");
        let served = if path.ends_with(".html") {
            text(&served).replacen(LIVE_RELOAD, "", 1).into_bytes()
        } else {
            served
        };
        assert!(
            served == *bytes,
            "{step}: {path} differs from a full build\n--- served\n{}\n--- built\n{}",
            text(&served),
            text(bytes)
        );
    }
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    let server = Server::start(root);
    let events = server.events();
    assert_served_equals_full_build(&server, root, "start");

    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    let edit = |rel: &str, from: &str, to: &str| {
        let t = std::fs::read_to_string(root.join(rel)).unwrap();
        assert!(t.contains(from), "{rel} lacks {from}");
        std::fs::write(root.join(rel), t.replace(from, to)).unwrap();
    };

    edit(
        "content/faq/first.md",
        "The first answer",
        "The first, edited, answer",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "body edit");

    // A body edit that adds a heading, a glossary mention and a link: the
    // shortcut for body-only edits must not apply.
    edit(
        "content/faq/first.md",
        "## Background",
        "## Background\n\nZeta, as [the second](@/faq/second.md#details) says.\n\n## More",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "body edit with new heading, term and link");

    edit(
        "content/timeline/late.md",
        "Happened on a day.",
        "Happened on a single day.",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "event body edit");

    edit(
        "content/faq/second.md",
        "What comes second?",
        "What comes later?",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "title edit");

    write(
        "content/faq/third.md",
        "+++\ntitle = \"A third?\"\ntags = [\"shared\", \"new-tag\"]\n+++\nIt says Zeta and links [back](@/faq/first.md).\n",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "add");

    std::fs::rename(
        root.join("content/faq/third.md"),
        root.join("content/faq/renamed.md"),
    )
    .unwrap();
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "rename");
    assert_eq!(
        server.get("/faq/third/").0,
        404,
        "old URL gone after rename"
    );

    edit(
        "content/glossary/zeta.md",
        "The last letter.",
        "The final letter, now longer.",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "term edit");

    std::fs::remove_file(root.join("content/faq/renamed.md")).unwrap();
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "delete");
    assert_eq!(
        server.get("/tags/new-tag/").0,
        404,
        "tag page of the deleted question gone"
    );

    std::fs::create_dir_all(root.join("templates")).unwrap();
    write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost!</h1>{% endblock content %}",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "template added");

    std::fs::create_dir_all(root.join("static")).unwrap();
    write("static/extra.txt", "p { color: red }");
    write("static/style.css", "body { color: navy }");
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "static added");
    assert_eq!(server.get("/extra.txt").1, b"p { color: red }");

    edit(
        "site.toml",
        "title = \"Fixture\"",
        "title = \"Fixture renamed\"",
    );
    wait_reload(&events);
    assert_served_equals_full_build(&server, root, "site.toml");
}

#[test]
fn a_site_that_never_built_shows_its_error_and_recovers() {
    let site = copy_site(&fixture("basic"));
    let file = site.path().join("content/faq/first.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("weight = 1", "weight = \"one\"")).unwrap();
    let server = Server::start(site.path());
    let (status, page) = server.get("/");
    let page = text(&page);
    assert_eq!(status, 500);
    assert!(page.contains("id=\"dossier-error\""), "{page}");
    assert!(page.contains("content/faq/first.md:4:10"), "{page}");
    let events = server.events();
    std::fs::write(&file, good).unwrap();
    wait_reload(&events);
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert!(text(&page).contains("What comes first?"));
}
