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

/// The index of a site whose three files all hold `text`, and its bodies.
fn site_from(text: &str) -> Option<(link::Index, dossier::bodies::Bodies)> {
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
    let today = dossier::settings::date_of_epoch("1796083200").ok()?;
    let index = link::index(&config, &content, today, &link::SiteFiles::default()).ok()?;
    let highlighter = Highlighter::new();
    let options = dossier::bodies::Options {
        highlighter: &highlighter,
        memo: None,
        keep_question_html: true,
        interner: &dossier::search::Interner::default(),
        media: &dossier::pictures::SiteMedia::new(Path::new("/nonexistent"), &[], &[], None),
    };
    let bodies = dossier::bodies::render_all(&index, &options, &|_, _| {});
    let _ = link::finish(&index, &bodies.analyses());
    Some((index, bodies))
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
        let highlighter = Highlighter::new();
        let resolve = |d: &str| d.len().is_multiple_of(2).then(|| format!("/r/{d}"));
        let local = |u: &str| u.len().is_multiple_of(3).then(|| format!("../{u}"));
        let image = |u: &str| u.len().is_multiple_of(4).then(|| dossier::figure::ImageHtml {
            src: format!("../{u}"),
            size: Some((u.len() as u32, 1)),
            srcset: Some(format!("{u} 10w")),
        });
        let open = |t: usize, tip: &str| format!("<a data-t=\"{t}\" aria-describedby=\"{tip}\">");
        let close = |_: usize, tip: &str| format!("</a><span id=\"{tip}\"></span>");
        let term_of = |d: &str| d.ends_with("c.md").then_some(1);
        let slug = |t: usize| format!("s{t}");
        let language = markdown::Language::new("Link", "en", &["zh-Hans"]);
        for body in [text.clone(), format!("[l](@/{dest}) ![i]({dest}) <a href=\"{dest}\">x</a>")] {
            let doc = markdown::parse(&body);
            let analysis = markdown::analyze(&doc, &body, Some(&linker));
            for prefix in ["", "e."] {
                let ctx = markdown::RenderContext {
                    id_prefix: prefix,
                    resolve: &resolve,
                    local: &local,
                    image: &image,
                    terms: Some(markdown::TermLinks {
                        linker: Some(&linker),
                        allowed: &analysis.mentions,
                        term_of: &term_of,
                        slug: &slug,
                        open: &open,
                        close: &close,
                    }),
                    highlighter: &highlighter,
                    shift_headings: 1,
                    language: &language,
                };
                let _ = markdown::render(&doc, &analysis, &ctx);
            }
        }
    }

    #[test]
    fn linking_whole_sites_never_panics(text in content_like(), dest in "@/.{0,30}") {
        if let Some((index, _)) = site_from(&text) {
            let _ = index.resolve("faq/a/", &dest);
        }
    }
}
