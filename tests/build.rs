//! `dossier build` on the fixture site: what a reader of the output sees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{copy_site, dossier, fixture, read};

fn built() -> tempfile::TempDir {
    let site = copy_site(&fixture("basic"));
    dossier(site.path(), &["build"]).success();
    site
}

#[test]
fn home_lists_every_question_with_its_short_answer() {
    let site = built();
    let home = read(site.path(), "public/index.html");
    let first = home
        .find("What comes first?")
        .expect("first question listed");
    let second = home
        .find("What comes second?")
        .expect("second question listed");
    assert!(first < second, "questions are in weight order");
    assert!(home.contains("The first short answer."));
    assert!(home.contains("The second short answer."));
    assert!(
        home.contains("href=\"faq/first/index.html\""),
        "links are relative"
    );
    assert!(!home.contains("unfinished"), "drafts are not published");
}

#[test]
fn question_page_shows_answer_sources_tags_and_related() {
    let site = built();
    let page = read(site.path(), "public/faq/first/index.html");
    assert!(page.contains("The first answer mentions"));
    assert!(
        page.contains(
            "href=\"../../glossary/index.html#zeta\" aria-describedby=\"tip-zeta\">the term</a>"
        ),
        "@/ link rewritten (a term link, with its preview)"
    );
    assert!(
        page.contains("A report</li>") || page.contains("A report, Some Publisher"),
        "source shown"
    );
    assert!(page.contains("Some Publisher"));
    assert!(
        page.contains("href=\"../../tags/alpha/index.html\">Alpha</a>"),
        "tag links"
    );
    assert!(page.contains("Related questions"));
    assert!(page.contains("href=\"../../faq/second/index.html\">What comes second?</a>"));
    assert!(page.contains("id=\"background\""), "heading anchor");
    assert!(page.contains("href=\"#background\""), "visible copy-link");
    assert!(page.contains("class=\"hl-"), "code highlighted");
    assert!(page.contains("On the timeline") && page.contains("Late event"));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://fixture.example/faq/first/\">"));
}

#[test]
fn timeline_is_in_date_order_grouped_by_year_with_time_elements() {
    let site = built();
    let page = read(site.path(), "public/timeline/index.html");
    let early = page.find("Early event").unwrap();
    let month = page.find("Month event").unwrap();
    let late = page.find("Late event").unwrap();
    assert!(early < month && month < late);
    assert!(page.contains("<h2 id=\"year-2019\">2019</h2>"));
    assert!(page.contains("<h2 id=\"year-2025\">2025</h2>"));
    assert!(page.contains("<time datetime=\"2019\">2019</time>"));
    assert!(page.contains("<time datetime=\"2025-03\">March 2025</time>"));
    assert!(page.contains("<time datetime=\"2025-03-14\">14 March 2025</time>"));
    assert!(page.contains("id=\"late\""), "event anchor from file name");
    assert!(
        page.contains("<span class=\"badge\">Announced</span>"),
        "status in words"
    );
}

#[test]
fn glossary_lists_terms_a_to_z_with_one_anchor_each() {
    let site = built();
    let page = read(site.path(), "public/glossary/index.html");
    // alpha term stands for something: its abbreviation is the term.
    let alpha = page.find(">alpha term</abbr></dfn>").unwrap();
    let zeta = page.find("<dfn>Zeta</dfn>").unwrap();
    assert!(alpha < zeta);
    assert_eq!(page.matches("id=\"zeta\"").count(), 1);
    assert_eq!(page.matches("id=\"alpha-term\"").count(), 1);
    assert!(
        page.contains("<a href=\"#letter-a\">A</a>"),
        "letters with terms are links"
    );
    assert!(
        page.contains("<span aria-disabled=\"true\">B</span>"),
        "empty letters are shown, not linked"
    );
    assert!(page.contains("<abbr title=\"A Letter Probably\">"));
    assert!(
        page.contains("Mentioned in") && page.contains("href=\"../faq/first/index.html\""),
        "back-link to the question"
    );
}

#[test]
fn feeds_sitemap_robots_and_404_are_written() {
    let site = built();
    let sitemap = read(site.path(), "public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://fixture.example/faq/first/</loc>"));
    let atom = read(site.path(), "public/atom.xml");
    assert!(atom.contains("<id>https://fixture.example/faq/second/</id>"));
    assert!(
        read(site.path(), "public/robots.txt")
            .contains("Sitemap: https://fixture.example/sitemap.xml")
    );
    assert!(read(site.path(), "public/404.html").contains("Page not found"));
    let syntax = std::fs::read_dir(site.path().join("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("syntax.") && n.ends_with(".css"))
        .expect("hashed syntax stylesheet");
    assert!(read(site.path(), &format!("public/{syntax}")).contains("prefers-color-scheme: dark"));
    assert!(
        std::fs::read_dir(site.path().join("public"))
            .unwrap()
            .any(|e| {
                let n = e.unwrap().file_name().to_string_lossy().into_owned();
                n.starts_with("style.") && n.ends_with(".css")
            }),
        "default stylesheet shipped without a static folder"
    );
}

#[test]
fn output_and_base_url_flags_are_honoured() {
    let site = copy_site(&fixture("basic"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    dossier(
        site.path(),
        &[
            "build",
            "--output",
            target.to_str().unwrap(),
            "--base-url",
            "https://host.example/sub",
        ],
    )
    .success();
    let page = read(&target, "faq/first/index.html");
    assert!(
        page.contains("href=\"../../faq/second/index.html\""),
        "internal links are relative, so the base path does not matter"
    );
    assert!(
        page.contains("href=\"https://host.example/sub/faq/first/\""),
        "canonical is absolute"
    );
    assert!(
        dossier::check::check_dir(&target, "/sub/")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn drafts_flag_publishes_drafts() {
    let site = copy_site(&fixture("basic"));
    dossier(site.path(), &["build", "--drafts"]).success();
    assert!(site.path().join("public/faq/draft/index.html").exists());
}

#[test]
fn site_templates_override_the_built_in_ones() {
    let site = copy_site(&fixture("basic"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost at {{ site.title }}</h1>{% endblock content %}",
    )
    .unwrap();
    dossier(site.path(), &["build"]).success();
    assert!(read(site.path(), "public/404.html").contains("<h1>Lost at Fixture</h1>"));
    assert!(
        read(site.path(), "public/index.html").contains("What comes first?"),
        "other templates still built in"
    );
}
