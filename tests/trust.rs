//! A writer can trust dossier with their work: it never deletes what it did
//! not write, no content can break or hijack a page, nothing hangs, and the
//! same tree always gives the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::{copy_site, dossier, fixture, read, snapshot};
use scraper::{Html, Selector};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file of the site itself (not its output, nor the lock file
/// beside it), with its bytes.
fn sources(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public") && !p.ends_with(".dossier-lock"))
        .collect()
}

#[test]
fn an_output_among_the_sources_or_full_of_other_files_is_refused_and_nothing_is_deleted() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    write(root, "templates/extra.html", "{% extends \"base.html\" %}");
    write(root, "static/keep.txt", "mine");
    write(root, "notes/.git/HEAD", "ref: refs/heads/main");
    write(root, "notes/draft.txt", "my notes");
    let before = sources(root);
    for output in [
        "content",
        "content/faq",
        "templates",
        "static",
        "site.toml",
        ".",
        "..",
        "notes",
    ] {
        let out = dossier(root, &["build", "--output", output])
            .code(1)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("refusing to"), "{output}: {err}");
        assert_eq!(sources(root), before, "{output}: a source file changed");
    }
    // The default output is fine, and a rebuild replaces it.
    dossier(root, &["build"]).success();
    dossier(root, &["build"]).success();
    assert_eq!(sources(root), before);
}

/// Parses a page and checks that the templates' structure survived: one
/// `<main>` holding the content, the footer after it.
fn assert_page_intact(html: &str, what: &str) {
    let doc = Html::parse_document(html);
    let count = |css: &str| doc.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(count("body > main#main"), 1, "{what}: main\n{html}");
    assert_eq!(
        count("body > footer.site-footer"),
        1,
        "{what}: footer\n{html}"
    );
    assert_eq!(count("body > header.site-header"), 1, "{what}: header");
}

#[test]
fn comment_and_script_markers_in_a_short_answer_cannot_blank_the_page() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    let summary = "Write <!-- to open a comment, and </script><script>alert(1)</script> & more.";
    write(
        root,
        "content/faq/markup.md",
        &format!(
            "+++\ntitle = \"What does <!-- do?\"\nsummary = \"{}\"\n+++\nProse about <script and <!-- in HTML.\n",
            summary.replace('"', "\\\"")
        ),
    );
    dossier(root, &["build"]).success();
    for page in ["public/faq/markup/index.html", "public/index.html"] {
        let html = read(root, page);
        assert_page_intact(&html, page);
        assert!(!html.contains("<script>alert(1)"), "{page}");
        let doc = Html::parse_document(&html);
        let ld = doc
            .select(&Selector::parse("script[type=\"application/ld+json\"]").unwrap())
            .next()
            .unwrap()
            .inner_html();
        let json: serde_json::Value = serde_json::from_str(&ld).unwrap();
        let answers: Vec<&str> = json["mainEntity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["acceptedAnswer"]["text"].as_str().unwrap())
            .collect();
        assert!(
            answers.contains(&summary.replace("--", "\u{2013}").as_str())
                || answers.contains(&summary),
            "{page}: {answers:?}"
        );
    }
}

#[test]
fn every_xml_file_is_well_formed_whatever_the_titles_hold() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    write(
        root,
        "content/faq/odd.md",
        "+++\ntitle = \"Tom & Jerry's <b>\\\"odd\\\"</b> ]]> question? 中芯 🚀\"\nsummary = \"A & B < C > D ]]> \\\" '\"\ndate = 2025-01-02\n+++\nBody.\n",
    );
    dossier(root, &["build"]).success();
    for file in ["public/atom.xml", "public/sitemap.xml"] {
        let text = read(root, file);
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}\n{text}"));
        assert!(doc.root_element().children().count() > 1, "{file}");
    }
    let feed = read(root, "public/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Tom & Jerry") && t.contains("<b>")),
        "{titles:?}"
    );
}

#[test]
fn glossary_links_never_go_inside_raw_elements_that_cannot_hold_one() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    let blocked = [
        "<a href=\"https://e.org\">Zeta</a>",
        "<code>Zeta</code>",
        "<kbd>Zeta</kbd>",
        "<button>Zeta</button>",
        "<select><option>Zeta</option></select>",
        "<textarea>Zeta</textarea>",
        "<svg><title>Zeta</title></svg>",
        "<h2>Zeta</h2>",
        "<iframe>Zeta</iframe>",
        "<noscript>Zeta</noscript>",
        "<math>Zeta</math>",
        "<samp>Zeta</samp>",
        "<label>Zeta</label>",
    ];
    let body = blocked.join(" ");
    write(
        root,
        "content/faq/raw.md",
        &format!(
            "+++\ntitle = \"Raw?\"\n+++\nText {body} and then Zeta in prose.\n\n<script>var zeta = \"Zeta\";</script>\n<style>.Zeta {{}}</style>\n"
        ),
    );
    dossier(root, &["build"]).success();
    let html = read(root, "public/faq/raw/index.html");
    let doc = Html::parse_document(&html);
    let links: Vec<String> = doc
        // (in the answer: "Terms used" links the term too)
        .select(&Selector::parse(".answer a.term-link").unwrap())
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(links, ["Zeta"], "one link, in the prose");
    for inside in [
        "a a",
        "code a",
        "kbd a",
        "button a",
        "option a",
        "textarea a",
        "h2 a.term-link",
        "samp a",
        "label a",
    ] {
        assert_eq!(
            doc.select(&Selector::parse(inside).unwrap()).count(),
            0,
            "{inside}"
        );
    }
    assert!(
        html.contains("<script>var zeta = \"Zeta\";</script>"),
        "the script is untouched"
    );
    let prose = doc
        .select(&Selector::parse("a.term-link").unwrap())
        .next()
        .unwrap();
    assert!(prose.parent().is_some());
}

#[test]
fn ids_are_unique_on_every_page_and_check_says_so() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    let note = "\n\n## Background\n\nA claim.[^1]\n\n[^1]: A footnote.\n";
    for (slug, year) in [("ev-a", 2021), ("ev-b", 2022)] {
        write(
            root,
            &format!("content/timeline/{slug}.md"),
            &format!("+++\ndate = {year}\ntitle = \"Event {slug}\"\n+++\nIt happened.{note}"),
        );
    }
    let chart = "```chart\ntype = \"bar\"\ntitle = \"Same\"\nlabels = [\"a\"]\n[[series]]\nname = \"s\"\nvalues = [1]\n```\n";
    write(
        root,
        "content/faq/charts.md",
        &format!(
            "+++\ntitle = \"Charts?\"\n+++\n{chart}\n{chart}\n## Sources\n\nOwn heading named like a template id.[^1]\n\n[^1]: Note.\n"
        ),
    );
    write(
        root,
        "site.toml",
        "title = \"Fixture\"\nbase_url = \"https://fixture.example/\"\nprint_page = true\n",
    );
    dossier(root, &["build"]).success();
    for page in [
        "public/timeline/index.html",
        "public/faq/charts/index.html",
        "public/print/index.html",
    ] {
        let html = read(root, page);
        let doc = Html::parse_document(&html);
        let mut seen = std::collections::HashSet::new();
        for id in doc
            .select(&Selector::parse("[id]").unwrap())
            .filter_map(|e| e.value().attr("id"))
        {
            assert!(seen.insert(id.to_string()), "{page}: id `{id}` repeats");
        }
    }
    let out = dossier(root, &["check"])
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("no id repeats"));
    // A template that repeats an id is caught by check, which names the page.
    write(
        root,
        "templates/question.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"twice\"></p><p id=\"twice\"></p>{% endblock content %}",
    );
    let out = dossier(root, &["check"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("faq/first/index.html: 2 elements have the id `twice`"),
        "{err}"
    );
}

#[test]
fn images_and_raw_html_references_are_rewritten_and_checked_by_build() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    write(
        root,
        "content/faq/pictures/index.md",
        "+++\ntitle = \"Pictures?\"\n+++\n![A chip](chip.png) ![Again](@/faq/pictures/chip.png)\n\n<p><img src=\"chip.png\" alt=\"raw\"> <a href=\"@/faq/second.md#details\">raw link</a></p>\n",
    );
    write(root, "content/faq/pictures/chip.png", "not really a png");
    write(
        root,
        "content/timeline/pictured/index.md",
        "+++\ndate = 2024\ntitle = \"Pictured\"\n+++\n![A map](map.svg)\n",
    );
    write(
        root,
        "content/timeline/pictured/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    dossier(root, &["build"]).success();
    let page = read(root, "public/faq/pictures/index.html");
    assert!(page.contains("src=\"chip.png\""), "{page}");
    assert!(
        page.contains("href=\"../../faq/second/index.html#details\""),
        "{page}"
    );
    assert!(!page.contains("@/"), "{page}");
    assert_eq!(
        read(root, "public/faq/pictures/chip.png"),
        "not really a png"
    );
    let timeline = read(root, "public/timeline/index.html");
    assert!(
        timeline.contains("src=\"pictured/map.svg\""),
        "bundle files of shared pages: {timeline}"
    );
    assert!(root.join("public/timeline/pictured/map.svg").exists());
}

#[test]
fn special_files_are_skipped_links_out_of_the_site_refused_and_nothing_hangs() {
    let site = copy_site(&fixture("basic"));
    let root = site.path();
    for dir in ["content/faq", "static", "templates"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        let fifo = root.join(dir).join("pipe.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
    }
    std::os::unix::fs::symlink(
        root.join("content/faq/pipe.md"),
        root.join("static/link-to-pipe"),
    )
    .unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for publishing").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("static/secret.txt"),
    )
    .unwrap();
    write(
        root,
        "assets/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    std::os::unix::fs::symlink(root.join("assets/img"), root.join("static/img")).unwrap();
    let out = assert_cmd::Command::cargo_bin("dossier")
        .unwrap()
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", common::BUILD_DATE)
        .args(["build"])
        .timeout(Duration::from_secs(60))
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    for skipped in [
        "content/faq/pipe.md",
        "static/pipe.md",
        "templates/pipe.md",
        "static/link-to-pipe",
    ] {
        assert!(
            err.contains(&format!("warning: {skipped}: this is not a regular file")),
            "{skipped}: {err}"
        );
    }
    assert!(
        err.contains("warning: static/secret.txt: this symbolic link leads outside the site"),
        "{err}"
    );
    assert!(!root.join("public/secret.txt").exists());
    assert!(
        root.join("public/img/logo.svg").exists(),
        "folder links inside the site are followed"
    );
}

#[test]
fn ctrl_c_stops_a_build_and_leaves_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let status = std::process::Command::new("python3")
        .arg(common::repo_root().join("bench/gen_site.py"))
        .args([
            "--engine",
            "dossier",
            "--entries",
            "4000",
            "--force",
            "--out",
        ])
        .arg(&root)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("python3 generates the site");
    assert!(status.success());
    dossier(&root, &["build"]).success();
    let before = snapshot(&root.join("public"));
    let bin = assert_cmd::cargo::cargo_bin("dossier");
    // Interrupt later and later until one interruption lands mid-build.
    for delay in [150, 300, 600, 1200] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(&root)
            .env("SOURCE_DATE_EPOCH", common::BUILD_DATE)
            .args(["build"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let pid = child.id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status();
        let code = child.wait().unwrap().code();
        let left: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("dossier-staging") || n.contains("dossier-old"))
            .collect();
        assert!(left.is_empty(), "after {delay} ms: {left:?}");
        assert_eq!(snapshot(&root.join("public")), before, "after {delay} ms");
        if code == Some(130) {
            return;
        }
    }
    panic!("no interruption landed during a build");
}

#[test]
fn two_builds_of_the_same_tree_are_byte_identical_and_today_is_an_input() {
    let site = copy_site(&common::repo_root());
    let root = site.path();
    dossier(root, &["build", "--output", "one"]).success();
    dossier(root, &["build", "--output", "two"]).success();
    assert_eq!(snapshot(&root.join("one")), snapshot(&root.join("two")));
    // A plan whose date is over is flagged from the build's date, not the clock.
    write(
        root,
        "content/timeline/zz-plan.md",
        "+++\ndate = \"2027-06\"\ntitle = \"A plan\"\nstatus = \"planned\"\n+++\nSomeone plans it.\n",
    );
    let early = dossier(root, &["build", "--output", "three"])
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(!String::from_utf8(early).unwrap().contains("has passed"));
    let late = assert_cmd::Command::cargo_bin("dossier")
        .unwrap()
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", "1830297600") // 2028-01-01
        .args(["build", "--output", "four"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(late)
            .unwrap()
            .contains("the build's date is 2028-01-01")
    );
}
