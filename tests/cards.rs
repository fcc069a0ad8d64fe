//! Share cards: a 1200×630 PNG for the home page, each question and page,
//! the timeline and the glossary, announced as an absolute `og:image`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{build, fails, read};

/// A site with cards on and `files` beside `site.toml`.
fn site(settings: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let toml = format!("title = \"Chips\"\nbase_url = \"https://news.example/chips/\"\n{settings}");
    common::temp_site(
        [("site.toml", toml.as_str())]
            .into_iter()
            .chain(files.iter().copied()),
    )
}

const QUESTIONS: &[(&str, &str)] = &[
    (
        "content/faq/output.md",
        "+++\ntitle = \"How many chips does Huawei make?\"\n+++\nSome.\n",
    ),
    (
        "content/faq/controls.md",
        "+++\ntitle = \"What do export controls ban?\"\n+++\nSome.\n",
    ),
    ("content/about.md", "+++\ntitle = \"About\"\n+++\nUs.\n"),
];

/// The `content` of `<meta property="{name}">` in `html`.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("property=\"{name}\" content=\"");
    let at = html.find(&key)? + key.len();
    Some(&html[at..at + html[at..].find('"')?])
}

/// The card file an `og:image` URL names, in `public`.
fn card_file(public: &Path, url: &str) -> image::DynamicImage {
    let rel = url
        .strip_prefix("https://news.example/chips/")
        .unwrap_or_else(|| panic!("not under base_url: {url}"));
    image::open(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_card_page_has_an_absolute_og_image_of_1200_by_630() {
    let dir = site("share_cards = true\n", QUESTIONS);
    let out = build(dir.path());
    assert!(
        out.contains("share cards: 6 drawn, 0 from the cache"),
        "{out}"
    );
    let public = dir.path().join("public");
    for page in [
        "index.html",
        "faq/output/index.html",
        "faq/controls/index.html",
        "timeline/index.html",
        "glossary/index.html",
        "about/index.html",
    ] {
        let html = read(&public, page);
        let url = meta(&html, "og:image").unwrap_or_else(|| panic!("no og:image in {page}"));
        let card = card_file(&public, url);
        assert_eq!((card.width(), card.height()), (1200, 630), "{page}");
        assert_eq!(meta(&html, "og:image:width"), Some("1200"), "{page}");
        assert_eq!(meta(&html, "og:image:height"), Some("630"), "{page}");
        assert!(
            meta(&html, "og:image:alt").is_some_and(|a| !a.is_empty()),
            "{page}"
        );
        assert!(
            html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"),
            "{page}"
        );
    }
    // Tag pages and the 404 page have no card.
    assert!(meta(&read(&public, "404.html"), "og:image").is_none());
}

#[test]
fn two_titles_give_two_different_cards() {
    let dir = site("share_cards = true\n", QUESTIONS);
    build(dir.path());
    let public = dir.path().join("public");
    let a = meta(&read(&public, "faq/output/index.html"), "og:image")
        .unwrap()
        .to_string();
    let b = meta(&read(&public, "faq/controls/index.html"), "og:image")
        .unwrap()
        .to_string();
    assert_ne!(a, b);
    let (a, b) = (
        card_file(&public, &a).to_rgb8(),
        card_file(&public, &b).to_rgb8(),
    );
    let differing = a.pixels().zip(b.pixels()).filter(|(x, y)| x != y).count();
    assert!(differing > 5_000, "only {differing} pixels differ");
}

#[test]
fn a_rebuild_takes_cards_from_the_cache_and_a_new_title_gets_a_new_address() {
    let dir = site("share_cards = true\n", QUESTIONS);
    build(dir.path());
    let public = dir.path().join("public");
    let before = meta(&read(&public, "faq/output/index.html"), "og:image")
        .unwrap()
        .to_string();
    let out = build(dir.path());
    assert!(
        out.contains("share cards: 0 drawn, 6 from the cache"),
        "{out}"
    );
    std::fs::write(
        dir.path().join("content/faq/output.md"),
        "+++\ntitle = \"How many Ascend chips does Huawei make?\"\n+++\nSome.\n",
    )
    .unwrap();
    let out = build(dir.path());
    assert!(
        out.contains("share cards: 1 drawn, 5 from the cache"),
        "{out}"
    );
    let after = meta(&read(&public, "faq/output/index.html"), "og:image")
        .unwrap()
        .to_string();
    assert_ne!(before, after);
    assert!(
        !public
            .join(before.strip_prefix("https://news.example/chips/").unwrap())
            .exists(),
        "the old card is gone"
    );
}

const CJK: &[(&str, &str)] = &[(
    "content/faq/ascend.md",
    "+++\ntitle = \"华为的昇腾芯片\"\n+++\n正文。\n",
)];

#[test]
fn a_chinese_title_needs_a_font_that_has_it() {
    let dir = site("share_cards = true\n", CJK);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("content/faq/ascend.md:2:9"),
        "the error is at the title: {out}"
    );
    assert!(out.contains("no font for “华” (U+534E)"), "{out}");
    assert!(
        out.contains("card_fonts"),
        "the help names the setting: {out}"
    );

    let font = common::repo_root().join("assets/fonts/cjk/NotoSansSC-Bold-subset.otf");
    let dir = site(
        &format!(
            "share_cards = true\ncard_fonts = [\"{}\"]\n",
            font.display()
        ),
        CJK,
    );
    build(dir.path());
    let public = dir.path().join("public");
    let url = meta(&read(&public, "faq/ascend/index.html"), "og:image")
        .unwrap()
        .to_string();
    let card = card_file(&public, &url).to_rgb8();
    // The title is drawn: many dark pixels in the title's area.
    let dark = card
        .enumerate_pixels()
        .filter(|(_, y, p)| *y > 200 && p.0.iter().all(|c| *c < 80))
        .count();
    assert!(dark > 10_000, "{dark} dark pixels");
}

#[test]
fn share_images_need_an_absolute_base_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Chips\"\nbase_url = \"/chips/\"\nshare_cards = true\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/_index.md"),
        "+++\ntitle = \"Chips\"\n+++\n",
    )
    .unwrap();
    let out = build(dir.path());
    assert!(
        out.contains("share images are left out: link previews need an absolute `base_url`"),
        "{out}"
    );
    assert!(meta(&read(&dir.path().join("public"), "index.html"), "og:image").is_none());
}

#[test]
fn a_page_can_name_its_own_share_image() {
    let dir = site(
        "share_cards = true\n",
        &[(
            "content/faq/chip/index.md",
            "+++\ntitle = \"What is a chip?\"\nimage = \"cover.png\"\nimage_alt = \"A chip on a fingertip\"\n+++\nSome.\n",
        )],
    );
    image::RgbImage::from_pixel(800, 420, image::Rgb([10, 20, 30]))
        .save(dir.path().join("content/faq/chip/cover.png"))
        .unwrap();
    build(dir.path());
    let html = read(&dir.path().join("public"), "faq/chip/index.html");
    assert_eq!(
        meta(&html, "og:image"),
        Some("https://news.example/chips/faq/chip/cover.png")
    );
    assert_eq!(meta(&html, "og:image:width"), Some("800"));
    assert_eq!(meta(&html, "og:image:alt"), Some("A chip on a fingertip"));

    std::fs::remove_file(dir.path().join("content/faq/chip/cover.png")).unwrap();
    let out = fails(dir.path(), &["build"]);
    assert!(out.contains("content/faq/chip/index.md:3:9"), "{out}");
    assert!(
        out.contains("the share image `cover.png` is not an image file of the site"),
        "{out}"
    );
}
