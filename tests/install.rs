//! What a writer does after `cargo install`: `dossier init` in an empty
//! folder, far from this repository, then build and check there. The
//! binary must need nothing but itself (templates and static files are
//! compiled in).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dossier;

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

#[test]
fn a_new_site_in_an_empty_folder_builds_and_passes_every_check() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0);

    let init = stderr(&dossier(home.path(), &["init", "mysite"]).success());
    assert!(init.contains("created a new site in mysite"), "{init}");
    assert!(
        init.contains("`dossier serve --root mysite` (or `cd mysite && dossier serve`)"),
        "{init}"
    );
    let site = home.path().join("mysite");
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(
        ignored.contains("/public/") && ignored.contains("/.dossier-cache/"),
        "{ignored}"
    );

    let build = stderr(&dossier(&site, &["build", "--strict"]).success());
    assert!(
        build.contains("built 1 questions, 1 events, 1 terms"),
        "{build}"
    );
    for page in [
        "index.html",
        "faq/what-is-this/index.html",
        "timeline/index.html",
        "glossary/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(site.join("public").join(page).is_file(), "{page}");
    }

    let check = stderr(&dossier(&site, &["check", "--strict"]).success());
    assert!(
        check.contains("check passed") && !check.contains("warning"),
        "{check}"
    );
    // The example links nowhere outside the site (its own base_url is not
    // an external link), so --external passes without a network.
    let external = stderr(&dossier(&site, &["check", "--strict", "--external"]).success());
    assert!(
        external.contains("external links: 0 checked (0 cached)"),
        "{external}"
    );
    assert!(
        external.contains("every external link answers"),
        "{external}"
    );
}
