//! From a page to its source file: `edit_url` links in built pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{copy_site, dossier, fixture, read};

const EDIT_URL: &str = "https://git.example/org/repo/edit/main/site/{path}";

/// The basic site with `edit_url` set (or not), a standalone page and a
/// timeline introduction.
fn site(edit_url: Option<&str>) -> tempfile::TempDir {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    if let Some(url) = edit_url {
        set_edit_url(root, url);
    }
    dossier(root, &["new", "page", "About us"]).success();
    std::fs::write(
        root.join("content/timeline/_index.md"),
        "+++\ntitle = \"When\"\n+++\n\nThe events, in order.\n",
    )
    .unwrap();
    site
}

/// Adds `edit_url = "url"` as the last line of the site's settings.
fn set_edit_url(root: &Path, url: &str) {
    let settings = read(root, "site.toml");
    let settings = settings.trim_end();
    std::fs::write(
        root.join("site.toml"),
        format!("{settings}\nedit_url = \"{url}\"\n"),
    )
    .unwrap();
}

fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    dossier(root, &["build", "--output", target.to_str().unwrap()]).success();
    out
}

/// Every `href` of an "Edit" link on a page.
fn edit_links(html: &str) -> Vec<String> {
    html.split("<p class=\"edit-link\"><a href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().replace("&#x2F;", "/"))
        .collect()
}

#[test]
fn edit_links_lead_to_each_source_file() {
    let site = site(Some(EDIT_URL));
    let out = build(site.path());
    let public = out.path().join("public");
    let edit = |path: &str| EDIT_URL.replace("{path}", path);

    let question = read(&public, "faq/first/index.html");
    assert_eq!(edit_links(&question), [edit("content/faq/first.md")]);
    assert!(question.contains(">Edit this page</a>"), "{question}");

    let page = read(&public, "about-us/index.html");
    assert_eq!(edit_links(&page), [edit("content/about-us.md")]);

    // The timeline: its introduction's file, then one link per event.
    let timeline = read(&public, "timeline/index.html");
    assert_eq!(
        edit_links(&timeline),
        [
            edit("content/timeline/_index.md"),
            edit("content/timeline/early.md"),
            edit("content/timeline/month.md"),
            edit("content/timeline/late.md"),
        ]
    );
    assert!(
        timeline.contains("Edit this event<span class=\"visually-hidden\">: Early event</span>"),
        "each event's link names it for screen readers"
    );

    // The glossary has no introduction here: one link per term only.
    let glossary = read(&public, "glossary/index.html");
    let links = edit_links(&glossary);
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        links.contains(&edit("content/glossary/zeta.md")),
        "{links:?}"
    );
    assert!(
        links.contains(&edit("content/glossary/alpha-term.md")),
        "{links:?}"
    );

    // Pages made from no single file have none.
    for generated in ["tags/index.html", "404.html"] {
        assert!(
            edit_links(&read(&public, generated)).is_empty(),
            "{generated}"
        );
    }
}

#[test]
fn edit_links_encode_file_names_that_need_it() {
    let site = site(Some("https://git.example/edit/{path}?plain=1"));
    std::fs::write(
        site.path().join("content/faq/中文 q.md"),
        "+++\ntitle = \"Encoded?\"\nslug = \"encoded\"\n+++\n\nAn answer.\n",
    )
    .unwrap();
    let out = build(site.path());
    let page = read(&out.path().join("public"), "faq/encoded/index.html");
    assert_eq!(
        edit_links(&page),
        ["https://git.example/edit/content/faq/%E4%B8%AD%E6%96%87%20q.md?plain=1"]
    );
}

#[test]
fn without_edit_url_no_page_has_an_edit_link() {
    let site = site(None);
    let out = build(site.path());
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !html.contains("edit-link") && !html.contains("Edit this"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn an_invalid_edit_url_fails_at_its_line_with_a_fix() {
    for (value, message) in [
        (
            "git@github.com:org/repo.git",
            "`edit_url` must be an http(s) address, not `git@github.com:org/repo.git`",
        ),
        (
            "ftp://host/{path}",
            "`edit_url` must be an http(s) address, not `ftp://host/{path}`",
        ),
        (
            "https://github.com/org/repo/edit/main/",
            "`edit_url` has no `{path}`, so every page would link to the same address",
        ),
    ] {
        let site = copy_site(&fixture("basic"));
        set_edit_url(site.path(), value);
        let output = dossier(site.path(), &["build"])
            .code(1)
            .get_output()
            .clone();
        let err = String::from_utf8(output.stderr).unwrap();
        assert!(err.contains(&format!("error: {message}")), "{err}");
        assert!(err.contains("--> site.toml:3:1"), "{err}");
        assert!(
            err.contains(
                "help: for example `edit_url = \"https://github.com/OWNER/REPO/edit/main/{path}\"`"
            ),
            "{err}"
        );
    }
}
