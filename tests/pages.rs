//! Standalone pages (`content/about.md` at `about/`): their address, their
//! place in the menu, links to and from them, glossary links inside them,
//! and search.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{dossier, fails, read, script_value};

fn site() -> tempfile::TempDir {
    let files = [
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://t.example/\"\n",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"About this site\"\ndescription = \"Who we are.\"\nmenu = { label = \"About\", weight = 1 }\n+++\nWe read every report on zymurgy and HBM. See [the first question](@/faq/first.md#details).\n",
        ),
        (
            "content/methods.md",
            "+++\ntitle = \"Methods\"\nmenu = { weight = 50 }\n+++\nHow we work.\n",
        ),
        (
            "content/contact.md",
            "+++\ntitle = \"Contact\"\n+++\nWrite to us.\n",
        ),
        (
            "content/faq/first.md",
            "+++\ntitle = \"First?\"\n+++\nRead [about us](@/about.md).\n\n## Details {#details}\n\nMore.\n",
        ),
        (
            "content/glossary/hbm.md",
            "+++\nterm = \"HBM\"\n+++\nStacked memory.\n",
        ),
    ];
    let dir = common::temp_site(files);
    dossier(dir.path(), &["build"]).success();
    dir
}

/// The labels of the navigation on `html`, in order.
fn menu(html: &str) -> Vec<String> {
    let nav = &html[html.find("<nav").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    nav.split("<a ")
        .skip(1)
        .map(|a| {
            let text = &a[a.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn a_page_has_its_own_address_and_a_place_in_the_menu() {
    let dir = site();
    let public = dir.path().join("public");
    let about = read(&public, "about/index.html");
    assert!(
        about.contains("<h1 id=\"top\">About this site</h1>"),
        "{about}"
    );
    assert!(
        about.contains("<title>About this site · T</title>"),
        "{about}"
    );
    // Weight 1 comes before the built-in sections (10 to 40), weight 50
    // after; a page without `menu` is not in it.
    assert_eq!(
        menu(&read(&public, "index.html")),
        [
            "About",
            "Questions",
            "Timeline",
            "Glossary",
            "Tags",
            "Methods"
        ]
    );
    assert!(public.join("contact/index.html").is_file());
    // The menu marks the page being read.
    assert!(
        about.contains("<a href=\"index.html\" aria-current=\"page\">About</a>"),
        "{about}"
    );
}

#[test]
fn links_work_both_ways_and_terms_are_linked_inside_a_page() {
    let dir = site();
    let public = dir.path().join("public");
    let about = read(&public, "about/index.html");
    assert!(
        about.contains("<a href=\"../faq/first/index.html#details\">the first question</a>"),
        "{about}"
    );
    assert!(
        about.contains("class=\"term-link\" href=\"../glossary/index.html#hbm\""),
        "{about}"
    );
    let first = read(&public, "faq/first/index.html");
    assert!(
        first.contains("<a href=\"../../about/index.html\">about us</a>"),
        "{first}"
    );
    let sitemap = read(&public, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://t.example/about/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_broken_link_to_a_page_is_an_error_at_its_line() {
    let dir = site();
    std::fs::write(
        dir.path().join("content/faq/first.md"),
        "+++\ntitle = \"First?\"\n+++\nRead [about us](@/abuot.md).\n",
    )
    .unwrap();
    let out = fails(dir.path(), &["build"]);
    assert!(out.contains("content/faq/first.md:4:6"), "{out}");
    assert!(out.contains("did you mean `@/about.md`?"), "{out}");
}

#[test]
fn a_page_cannot_take_the_address_of_the_question_list_or_a_language() {
    let dir = site();
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"T\"\n\n[languages.zh]\ntitle = \"芯片\"\n",
    )
    .unwrap();
    for (file, slug) in [("questions.md", "questions"), ("zh.md", "zh")] {
        std::fs::write(
            root.join("content").join(file),
            "+++\ntitle = \"Mine\"\n+++\nText.\n",
        )
        .unwrap();
        let out = fails(root, &["build"]);
        assert!(
            out.contains(&format!(
                "the slug `{slug}` is the address of a built-in page or of a language's pages"
            )),
            "{out}"
        );
        assert!(out.contains(&format!("content/{file}")), "{out}");
        std::fs::remove_file(root.join("content").join(file)).unwrap();
    }
}

#[test]
fn search_finds_a_page_by_a_word_of_its_text() {
    let dir = site();
    let public = dir.path().join("public");
    // "zymurgy" is in the file of words starting "zym" (hex 7a796d).
    let tokens = script_value(&public, "search/t-7a796d.js");
    let postings = tokens["zymurgy"].as_array().expect("the word is indexed");
    let doc = postings[0].as_u64().unwrap() as usize;
    let docs = script_value(&public, &format!("search/d-{}.js", doc / 16));
    let entry = &docs[doc % 16];
    assert_eq!(entry[0], "Page");
    assert_eq!(entry[1], "About this site");
    assert_eq!(entry[2], "about/");
}
