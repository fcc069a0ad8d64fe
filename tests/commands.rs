//! `dossier check`, `dossier new` and `dossier init` as a writer uses them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{copy_site, dossier, fixture};

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = copy_site(&fixture("basic"));
    let a = dossier(site.path(), &["check"]).success();
    assert!(stderr(&a).contains("check passed"), "{}", stderr(&a));
    assert!(
        !site.path().join("public").exists(),
        "check builds in memory only"
    );
}

#[test]
fn check_finds_broken_links_written_by_templates() {
    let site = copy_site(&fixture("basic"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ root }}nowhere/\">x</a><a href=\"{{ urls.timeline }}#no-such-event\">y</a>{% endblock content %}",
    )
    .unwrap();
    // build does not look at generated links; check does.
    dossier(site.path(), &["build"]).success();
    let a = dossier(site.path(), &["check"]).code(1);
    let err = stderr(&a);
    assert!(
        err.contains("error: 404.html: link `/nowhere/`: no file nowhere/index.html in the output"),
        "{err}"
    );
    assert!(err.contains("error: 404.html: link `/timeline/index.html#no-such-event`: timeline/index.html has no element with id `no-such-event`"), "{err}");
    assert!(err.contains("check failed: 2 broken link(s)"), "{err}");
}

#[test]
fn check_reports_content_errors_and_strict_warnings() {
    let site = copy_site(&fixture("basic"));
    std::fs::write(
        site.path().join("content/glossary/lonely.md"),
        "+++\nterm = \"Lonely\"\n+++\nNobody says it.\n",
    )
    .unwrap();
    let a = dossier(site.path(), &["check"]).success();
    assert!(
        stderr(&a).contains("warning: the term `Lonely` is not used"),
        "{}",
        stderr(&a)
    );
    dossier(site.path(), &["check", "--strict"]).code(1);
    std::fs::write(
        site.path().join("content/faq/bad.md"),
        "+++\ntitle = \"x\"\nrelated = [\"nope\"]\n+++\n",
    )
    .unwrap();
    let a = dossier(site.path(), &["check"]).code(1);
    assert!(
        stderr(&a).contains("`related` names a question that does not exist: `nope`"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn new_writes_valid_files_named_after_the_title_and_never_overwrites() {
    let site = copy_site(&fixture("basic"));
    // `dossier` runs with SOURCE_DATE_EPOCH pinned: that is its "today".
    let today = dossier::settings::date_of_epoch(common::BUILD_DATE)
        .unwrap()
        .to_string();
    let a = dossier(site.path(), &["new", "question", "Will 中芯国际 grow?"]).success();
    let path = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert_eq!(path.trim(), "./content/faq/will-zhong-xin-guo-ji-grow.md");
    let text = std::fs::read_to_string(
        site.path()
            .join("content/faq/will-zhong-xin-guo-ji-grow.md"),
    )
    .unwrap();
    assert!(text.contains("title = \"Will 中芯国际 grow?\""), "{text}");
    assert!(text.contains(&format!("date = {today}")), "{text}");
    dossier(site.path(), &["new", "event", "Fab opens"]).success();
    let event = std::fs::read_to_string(site.path().join("content/timeline/fab-opens.md")).unwrap();
    assert!(event.contains(&format!("date = \"{today}\"")), "{event}");
    dossier(site.path(), &["new", "page", "Our methods"]).success();
    let page = std::fs::read_to_string(site.path().join("content/our-methods.md")).unwrap();
    assert!(page.contains(&format!("updated = {today}")), "{page}");
    dossier(site.path(), &["new", "term", "Zeta"]).code(1);
    let a = dossier(site.path(), &["new", "term", "Zeta"]).code(1);
    assert!(
        stderr(&a).contains("already exists; dossier does not overwrite files"),
        "{}",
        stderr(&a)
    );
    // Everything written builds.
    dossier(site.path(), &["build"]).success();
    assert!(
        site.path()
            .join("public/faq/will-zhong-xin-guo-ji-grow/index.html")
            .exists()
    );
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(
        home.contains("<a href=\"our-methods/index.html\">Our methods</a>"),
        "the new page is in the menu: {home}"
    );
    dossier(site.path(), &["new", "quiz", "x"]).code(2);
}

#[test]
fn init_makes_a_site_that_builds_and_passes_strict_check() {
    let parent = tempfile::tempdir().unwrap();
    let a = dossier(parent.path(), &["init", "mysite"]).success();
    assert!(
        stderr(&a).contains("created a new site in mysite"),
        "{}",
        stderr(&a)
    );
    let site = parent.path().join("mysite");
    for f in [
        "site.toml",
        "templates/base.html",
        "templates/question.html",
        "static/style.css",
        "content/faq/what-is-this.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    dossier(&site, &["check", "--strict"]).success();
    dossier(&site, &["build", "--strict"]).success();
    assert!(site.join("public/faq/what-is-this/index.html").is_file());
    // An About page in the menu, and a figure with its alt text, caption
    // and credit.
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        home.contains("<a href=\"about/index.html\">About</a>"),
        "{home}"
    );
    let q = std::fs::read_to_string(site.join("public/faq/what-is-this/index.html")).unwrap();
    assert!(q.contains("<figure class=\"figure\"><img src=\"../../img/how-it-works.svg\" alt=\"Markdown files go into dossier"), "{q}");
    assert!(
        q.contains("<span class=\"figure-credit\">Diagram: dossier</span>"),
        "{q}"
    );
    // The copied templates are the ones used: an edit shows up.
    let base = std::fs::read_to_string(site.join("templates/base.html")).unwrap();
    std::fs::write(
        site.join("templates/base.html"),
        base.replace("<p>{{ ui.built_with }}</p>", "<p>Made by me.</p>"),
    )
    .unwrap();
    dossier(&site, &["build"]).success();
    assert!(
        std::fs::read_to_string(site.join("public/index.html"))
            .unwrap()
            .contains("Made by me.")
    );
    let a = dossier(parent.path(), &["init", "mysite"]).code(1);
    assert!(stderr(&a).contains("already exists"), "{}", stderr(&a));
}
