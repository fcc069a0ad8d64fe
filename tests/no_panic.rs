//! Properties: no input makes the front-matter splitter, the parser or the
//! Markdown and `@/` link rewriting panic. The fuzz targets in fuzz/ run the
//! same functions under libFuzzer for longer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use dossier::config::Config;
use dossier::highlight::Highlighter;
use dossier::{content, link, load, markdown};
use proptest::prelude::*;

/// Text that looks like content files: fences, TOML and Markdown pieces
/// mixed with arbitrary characters.
fn content_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "+++",
        "\n",
        "---",
        "title = ",
        "\"",
        "date = ",
        "2025-03",
        "[",
        "]",
        "#",
        "## ",
        "[x](@/faq/",
        ".md",
        "#a)",
        "```rust\n",
        "```",
        "`",
        "related = [",
        "slug = ",
        "中芯国际",
        "\u{feff}",
        "\r\n",
        "@/",
        "[^1]",
        "| a |",
        "*",
        "é",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(String::from), any::<String>()],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn site_from(text: &str) -> Option<link::Site> {
    let config = Config::parse("title = \"t\"", Path::new("site.toml").into()).ok()?;
    let mut sources = Vec::new();
    for rel in ["faq/a.md", "timeline/b.md", "glossary/c.md"] {
        if let Ok(s) = load::split(
            Path::new("content").join(rel).into(),
            rel.to_string(),
            text.into(),
        ) {
            sources.push(s);
        }
    }
    let (content, _) = content::parse(&sources, true);
    link::link(&config, &content, None).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn splitting_and_parsing_never_panic(text in content_like()) {
        if let Ok(source) = load::split(Path::new("content/faq/x.md").into(), "faq/x.md".into(), text.as_str().into()) {
            let _ = content::parse(&[source], true);
        }
    }

    #[test]
    fn markdown_and_link_rewriting_never_panic(text in content_like(), dest in ".{0,30}") {
        let linker = dossier::glossary::Autolinker::new(&[vec!["a"], vec!["中芯国际", "x"]]);
        let analysis = markdown::analyze(&text, Some(&linker));
        let resolve = |d: &str| d.len().is_multiple_of(2).then(|| format!("/r/{d}"));
        let html_for = |t: usize, s: &str| format!("<a data-t=\"{t}\">{s}</a>");
        let terms = markdown::TermLinks { linker: &linker, allowed: &analysis.mentions, html: &html_for };
        let _ = markdown::render(&text, &resolve, &Highlighter::new(), Some(&terms));
        let _ = markdown::render(&format!("[l](@/{dest})"), &resolve, &Highlighter::new(), None);
    }

    #[test]
    fn linking_whole_sites_never_panics(text in content_like(), dest in "@/.{0,30}") {
        if let Some(site) = site_from(&text) {
            let _ = site.resolve("faq/a/", &dest);
        }
    }
}
