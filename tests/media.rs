//! Images in pages: their size in the markup, narrower copies in
//! `srcset`, the disk cache, figures, and the errors a writer sees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build, fails, read};

/// A site with one question bundle holding `body` and a 2000×1000 PNG
/// photo-like image beside it.
fn site(body: &str) -> tempfile::TempDir {
    let files = [
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://t.example/x/\"\n".to_string(),
        ),
        (
            "content/faq/chips/index.md",
            format!("+++\ntitle = \"What do the chips look like?\"\n+++\n{body}"),
        ),
    ];
    let dir = common::temp_site(files.iter().map(|(p, t)| (*p, t.as_ref())));
    let img = image::RgbImage::from_fn(2000, 1000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    });
    img.save(dir.path().join("content/faq/chips/wafer.png"))
        .unwrap();
    dir
}

/// The value of attribute `name` of the first `<img` in `html`.
fn attr<'a>(html: &'a str, name: &str) -> &'a str {
    let img = &html[html.find("<img ").expect("an img element")..];
    let img = &img[..img.find('>').unwrap()];
    let start = img
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {img}"))
        + name.len()
        + 3;
    &img[start..start + img[start..].find('"').unwrap()]
}

#[test]
fn an_image_has_its_size_and_smaller_copies_in_srcset() {
    let dir = site("Intro.\n\n![A silicon wafer](wafer.png)\n");
    build(dir.path());
    let html = read(&dir.path().join("public"), "faq/chips/index.html");
    assert_eq!(attr(&html, "width"), "2000");
    assert_eq!(attr(&html, "height"), "1000");
    assert_eq!(attr(&html, "alt"), "A silicon wafer");
    assert_eq!(attr(&html, "src"), "wafer.png");
    let srcset = attr(&html, "srcset");
    let candidates: Vec<(&str, &str)> = srcset
        .split(", ")
        .map(|c| c.split_once(' ').unwrap())
        .collect();
    let widths: Vec<&str> = candidates.iter().map(|c| c.1).collect();
    assert_eq!(widths, ["480w", "800w", "1200w", "1600w", "2000w"]);
    let original = std::fs::metadata(dir.path().join("public/faq/chips/wafer.png"))
        .unwrap()
        .len();
    for (url, width) in &candidates[..4] {
        let path = dir.path().join("public/faq/chips").join(url);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{url}: {e}"));
        let copy = image::load_from_memory(&bytes).unwrap();
        assert_eq!(format!("{}w", copy.width()), *width);
        assert_eq!(
            copy.height() * 2,
            copy.width(),
            "{url} keeps the aspect ratio"
        );
        assert!(
            (bytes.len() as u64) < original,
            "{url} is smaller than the original"
        );
    }
    // The first image of a page loads at once.
    assert!(!html.contains("loading=\"lazy\""), "{html}");
}

#[test]
fn a_second_build_takes_the_copies_from_the_cache() {
    let dir = site("![A silicon wafer](wafer.png)\n");
    let first = build(dir.path());
    assert!(
        first.contains("image copies: 4 made, 0 from the cache"),
        "{first}"
    );
    let before = common::snapshot(&dir.path().join("public"));
    let second = build(dir.path());
    assert!(
        second.contains("image copies: 0 made, 4 from the cache"),
        "{second}"
    );
    assert_eq!(before, common::snapshot(&dir.path().join("public")));
}

#[test]
fn later_images_load_lazily_and_a_titled_image_is_a_figure() {
    let dir = site(
        "![A silicon wafer](wafer.png)\n\n![The same wafer again](wafer.png \"A wafer under the lamp\")\n",
    );
    build(dir.path());
    let html = read(&dir.path().join("public"), "faq/chips/index.html");
    let second = &html[html.find("<figure").expect("a figure")..];
    assert!(
        second.contains("loading=\"lazy\" decoding=\"async\""),
        "{second}"
    );
    assert!(
        second.contains(
            "<figcaption><span class=\"figure-caption\">A wafer under the lamp</span></figcaption>"
        ),
        "{second}"
    );
    assert!(
        !html.contains("<p><figure"),
        "a figure is not inside a paragraph: {html}"
    );
}

#[test]
fn a_figure_block_shows_caption_credit_and_source() {
    let dir = site(
        "```figure\nsrc = \"wafer.png\"\nalt = \"A silicon wafer\"\ncaption = \"Wafers & dies\"\ncredit = \"Photo: T\"\nsource = \"The maker\"\n```\n",
    );
    build(dir.path());
    let html = read(&dir.path().join("public"), "faq/chips/index.html");
    assert!(html.contains("<figure class=\"figure\"><img src=\"wafer.png\" alt=\"A silicon wafer\" width=\"2000\" height=\"1000\" srcset=\""), "{html}");
    assert!(html.contains("<span class=\"figure-caption\">Wafers &amp; dies</span> <span class=\"figure-credit\">Photo: T</span> <span class=\"figure-source\">Source: The maker</span>"), "{html}");
}

#[test]
fn an_image_without_alt_text_or_file_is_an_error_at_its_line() {
    let dir = site(
        "Intro.\n\n![](wafer.png)\n\n![A chip](chip.png)\n\n```figure\nsrc = \"wafer.png\"\nalts = \"x\"\n```\n",
    );
    let out = fails(dir.path(), &["build"]);
    assert!(out.contains("this image has no text alternative"), "{out}");
    assert!(
        out.contains("content/faq/chips/index.md:6:1"),
        "the alt-less image is on line 6: {out}"
    );
    assert!(out.contains("chip.png"), "the missing file is named: {out}");
    assert!(out.contains("did you mean `alt`?"), "{out}");
    assert!(!dir.path().join("public").exists(), "nothing was written");
}

#[test]
fn an_image_in_static_is_sized_from_any_page() {
    let dir = site("![A silicon wafer](/img/wafer.png)\n");
    std::fs::create_dir_all(dir.path().join("static/img")).unwrap();
    std::fs::rename(
        dir.path().join("content/faq/chips/wafer.png"),
        dir.path().join("static/img/wafer.png"),
    )
    .unwrap();
    build(dir.path());
    let html = read(&dir.path().join("public"), "faq/chips/index.html");
    assert_eq!(attr(&html, "src"), "../../img/wafer.png");
    assert_eq!(attr(&html, "width"), "2000");
    assert!(attr(&html, "srcset").starts_with("../../img/wafer.480w."));
}
