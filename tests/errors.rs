//! A failed build reports where and why, and never touches the output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{copy_site, dossier, fixture, snapshot};

#[test]
fn broken_internal_link_fails_with_location_and_keeps_previous_output() {
    let site = copy_site(&fixture("basic"));
    dossier(site.path(), &["build"]).success();
    let before = snapshot(&site.path().join("public"));

    let file = site.path().join("content/faq/second.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("@/faq/first.md", "@/faq/frist.md");
    std::fs::write(&file, text).unwrap();
    let out = dossier(site.path(), &["build"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("link to a file that does not exist: `@/faq/frist.md`"),
        "{err}"
    );
    assert!(err.contains("content/faq/second.md:10:9"), "{err}");
    assert!(
        err.contains("Back to [the first](@/faq/frist.md), by way of the alpha term."),
        "offending line shown: {err}"
    );
    assert!(err.contains("did you mean `@/faq/first.md`?"), "{err}");
    assert_eq!(
        snapshot(&site.path().join("public")),
        before,
        "previous output untouched"
    );
}

#[test]
fn missing_anchor_is_reported() {
    let site = copy_site(&fixture("basic"));
    let file = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("#details", "#detials");
    std::fs::write(&file, text).unwrap();
    let out = dossier(site.path(), &["build"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("link to an anchor that does not exist: `@/faq/second.md#detials`"),
        "{err}"
    );
    assert!(err.contains("did you mean `#details`?"), "{err}");
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let site = copy_site(&fixture("basic"));
    std::fs::write(
        site.path().join("content/faq/bad1.md"),
        "+++\ntitle = \"x\"\nsumary = \"y\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/timeline/bad2.md"),
        "+++\ntitle = \"x\"\ndate = \"2025-13\"\n+++\n",
    )
    .unwrap();
    let out = dossier(site.path(), &["build"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("content/faq/bad1.md:3:1"), "{err}");
    assert!(err.contains("unknown key `sumary`"), "{err}");
    assert!(err.contains("content/timeline/bad2.md:3:8"), "{err}");
    assert!(err.contains("bad date `2025-13`"), "{err}");
    assert!(err.contains("build failed with 2 error(s)"), "{err}");
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn template_error_names_template_line_and_column() {
    let site = copy_site(&fixture("basic"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/tags.html"), "{% extends \"base.html\" %}\n{% block content %}\n{{ site.title \n{% endblock content %}\n").unwrap();
    let out = dossier(site.path(), &["build"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("template syntax error in tags.html"), "{err}");
    assert!(err.contains("templates/tags.html:"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = copy_site(&fixture("basic"));
    dossier(site.path(), &["build", "--no-such-flag"]).code(2);
}
