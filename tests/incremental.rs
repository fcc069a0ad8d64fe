//! Incremental rebuilds in `dossier serve` equal a full build, byte for
//! byte, after every kind of change: body, front-matter, title, files
//! added, renamed and deleted, templates, static files, pages, sections,
//! bundles, site.toml, a second language, and folders deleted, restored and
//! replaced while the server watches.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::server::{Server, text, wait_reload};
use common::{copy_site, fixture, snapshot, write};
use dossier::serve::remove_injection;

/// The reload events of a server.
type Receiver = std::sync::mpsc::Receiver<String>;

/// Replaces `from` with `to` in the site's file `rel`, which must hold it.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let t = std::fs::read_to_string(root.join(rel)).unwrap();
    assert!(t.contains(from), "{rel} lacks {from}");
    std::fs::write(root.join(rel), t.replace(from, to)).unwrap();
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    let server = Server::start(root);
    let events = server.events();
    assert_served_equals_full_build(&server, root, "start");
    content_edits(&server, root, &events);
    files_added_renamed_and_deleted(&server, root, &events);
    templates_and_static_files(&server, root, &events);
    pages_sections_bundles_and_settings(&server, root, &events);
    a_second_language(&server, root, &events);
}

/// Body, heading, event and title edits.
fn content_edits(server: &Server, root: &Path, events: &Receiver) {
    edit(
        root,
        "content/faq/first.md",
        "The first answer",
        "The first, edited, answer",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "body edit");

    // A body edit that adds a heading, a glossary mention and a link: the
    // shortcut for body-only edits must not apply.
    edit(
        root,
        "content/faq/first.md",
        "## Background",
        "## Background\n\nZeta, as [the second](@/faq/second.md#details) says.\n\n## More",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "body edit with new heading, term and link");

    edit(
        root,
        "content/timeline/late.md",
        "Happened on a day.",
        "Happened on a single day.",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "event body edit");

    edit(
        root,
        "content/faq/second.md",
        "What comes second?",
        "What comes later?",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "title edit");
}

/// A question added, renamed and deleted; a term edited.
fn files_added_renamed_and_deleted(server: &Server, root: &Path, events: &Receiver) {
    write(
        root,
        "content/faq/third.md",
        "+++\ntitle = \"A third?\"\ntags = [\"shared\", \"new-tag\"]\n+++\nIt says Zeta and links [back](@/faq/first.md).\n",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "add");

    std::fs::rename(
        root.join("content/faq/third.md"),
        root.join("content/faq/renamed.md"),
    )
    .unwrap();
    wait_reload(events);
    assert_served_equals_full_build(server, root, "rename");
    assert_eq!(
        server.get("/faq/third/").0,
        404,
        "old URL gone after rename"
    );

    edit(
        root,
        "content/glossary/zeta.md",
        "The last letter.",
        "The final letter, now longer.",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "term edit");

    std::fs::remove_file(root.join("content/faq/renamed.md")).unwrap();
    wait_reload(events);
    assert_served_equals_full_build(server, root, "delete");
    assert_eq!(
        server.get("/tags/new-tag/").0,
        404,
        "tag page of the deleted question gone"
    );
}

/// A template and static files added.
fn templates_and_static_files(server: &Server, root: &Path, events: &Receiver) {
    std::fs::create_dir_all(root.join("templates")).unwrap();
    write(
        root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost!</h1>{% endblock content %}",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "template added");

    std::fs::create_dir_all(root.join("static")).unwrap();
    write(root, "static/extra.txt", "p { color: red }");
    write(root, "static/style.css", "body { color: navy }");
    wait_reload(events);
    assert_served_equals_full_build(server, root, "static added");
    assert_eq!(server.get("/extra.txt").1, b"p { color: red }");
}

/// A page, a section, a bundle with its image, and site.toml.
fn pages_sections_bundles_and_settings(server: &Server, root: &Path, events: &Receiver) {
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"About\"\nmenu = { weight = 50 }\n+++\nAbout Zeta and [the first](@/faq/first.md).\n",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "page added");
    edit(root, "content/about.md", "About Zeta", "All about Zeta");
    wait_reload(events);
    assert_served_equals_full_build(server, root, "page body edit");

    edit(root, "content/_index.md", "Welcome.", "Welcome, again.");
    wait_reload(events);
    assert_served_equals_full_build(server, root, "section edit");

    std::fs::create_dir_all(root.join("content/faq/bundle")).unwrap();
    write(
        root,
        "content/faq/bundle/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        root,
        "content/faq/bundle/index.md",
        "+++\ntitle = \"A bundle?\"\n+++\n![A map](map.svg)\n",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "bundle added");
    write(
        root,
        "content/faq/bundle/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "bundle file edited");

    edit(
        root,
        "site.toml",
        "title = \"Fixture\"",
        "title = \"Fixture renamed\"",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "site.toml");
}

/// A second language, a translation, and edits of it.
fn a_second_language(server: &Server, root: &Path, events: &Receiver) {
    // A second language, a translation, and edits of it.
    let settings = std::fs::read_to_string(root.join("site.toml")).unwrap();
    write(
        root,
        "site.toml",
        &format!("{settings}\n[languages.zh]\nlanguage = \"zh-Hans\"\ntitle = \"样例\"\n"),
    );
    write(
        root,
        "content/faq/first.zh.md",
        "+++\ntitle = \"什么在先？\"\n\n[[sources]]\ntitle = \"一篇报道\"\n+++\n第一个答案提到Zeta。\n\n## 背景 {#background}\n\n正文。\n",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "language and translation added");
    assert_eq!(server.get("/zh/faq/first/").0, 200);
    edit(root, "content/faq/first.zh.md", "正文。", "改过的正文。");
    wait_reload(events);
    assert_served_equals_full_build(server, root, "translation body edit");
    edit(root, "content/faq/first.zh.md", "什么在先？", "什么最先？");
    wait_reload(events);
    assert_served_equals_full_build(server, root, "translation title edit");
    edit(
        root,
        "content/faq/first.md",
        "The first, edited, answer",
        "The first answer, once more",
    );
    wait_reload(events);
    assert_served_equals_full_build(server, root, "original edited under its translation");
    std::fs::remove_file(root.join("content/faq/first.zh.md")).unwrap();
    wait_reload(events);
    assert_served_equals_full_build(server, root, "translation deleted");
    assert_eq!(server.get("/zh/faq/first/").0, 404);
}

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
    let mut built = snapshot(&target);
    // The build's record of what it wrote is not part of the site.
    built.remove(dossier::write::MANIFEST);
    for (path, bytes) in &built {
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let (status, served) = server.get(&url);
        assert_eq!(status, 200, "{step}: {url}");
        let served = if path.ends_with(".html") {
            remove_injection(&text(&served)).into_bytes()
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

/// Waits until the server's site equals a fresh full build, for changes
/// that may take several rebuilds to settle (whole folders moved).
fn settle(server: &Server, root: &Path, step: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        std::thread::sleep(Duration::from_millis(400));
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_served_equals_full_build(server, root, step)
        }));
        match attempt {
            Ok(()) => return,
            Err(e) if std::time::Instant::now() > deadline => std::panic::resume_unwind(e),
            Err(_) => {}
        }
    }
}

#[test]
fn deleting_restoring_and_replacing_folders_ends_equal_to_a_full_build() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    let server = Server::start(root);
    let events = server.events();
    let spare = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    };
    copy(&root.join("content"), &spare.path().join("content"));
    // A storm: the content folder deleted and restored, again and again.
    for round in 0..5 {
        std::fs::remove_dir_all(root.join("content")).unwrap();
        std::thread::sleep(Duration::from_millis(20 * round));
        copy(&spare.path().join("content"), &root.join("content"));
    }
    // The storm ends where it began: when the watcher coalesces it into one
    // rebuild, nothing changed and no reload is due, so only the end state
    // is compared. Events of the storm are drained before the next step.
    settle(&server, root, "content deleted and restored");
    while events.recv_timeout(Duration::from_millis(300)).is_ok() {}

    // `mv` of another folder over content/faq, with a changed question.
    let other = spare.path().join("faq-next");
    copy(&root.join("content/faq"), &other);
    let first = std::fs::read_to_string(other.join("first.md")).unwrap();
    std::fs::write(
        other.join("first.md"),
        first.replace("The first answer", "A moved answer"),
    )
    .unwrap();
    std::fs::remove_dir_all(root.join("content/faq")).unwrap();
    std::fs::rename(&other, root.join("content/faq")).unwrap();
    wait_reload(&events);
    settle(&server, root, "content/faq replaced by mv");
    assert!(text(&server.get("/faq/first/").1).contains("A moved answer"));

    // And the whole content folder replaced by mv.
    let next = spare.path().join("content-next");
    copy(&root.join("content"), &next);
    std::fs::write(
        next.join("faq/second.md"),
        "+++\ntitle = \"Second, moved?\"\n+++\n## Details\n\nMoved.\n",
    )
    .unwrap();
    std::fs::rename(root.join("content"), spare.path().join("content-old")).unwrap();
    std::fs::rename(&next, root.join("content")).unwrap();
    wait_reload(&events);
    settle(&server, root, "content replaced by mv");
    assert!(text(&server.get("/faq/second/").1).contains("Second, moved?"));
}
