//! Properties:
//!
//! - whatever a writer puts in a front-matter text field, every generated
//!   page keeps the structure its template gives it: the same elements and
//!   attributes as a build of the same site with plain text;
//! - whatever a writer puts in a heading's attribute braces, the heading
//!   gets no attribute but its id and classes (a `{...}` that is not an
//!   attribute block is heading text, where Markdown's rules for the body
//!   apply), and `<main>` and the footer stay whole;
//! - every XML file parses.
//!
//! A build may instead refuse the text with a diagnostic (control
//! characters, unsafe URLs, bad ids); it never panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use dossier::settings::Settings;
use proptest::prelude::*;
use scraper::Html;

/// Text a hostile or careless writer might type: markup, quotes, comment
/// and CDATA markers, template syntax, entities, control characters,
/// noncharacters, right-to-left marks, CJK.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<",
        ">",
        "\"",
        "'",
        "&",
        "&amp;",
        "&#x3c;",
        "<!--",
        "-->",
        "</script>",
        "<script>",
        "<style>",
        "</main>",
        "<footer>",
        "]]>",
        "<![CDATA[",
        "{{",
        "}}",
        "{%",
        "%}",
        "\\",
        "\\n",
        "\u{7}",
        "\u{0}",
        "\u{fffe}",
        "\u{200f}",
        "\u{2028}",
        "中芯国际",
        "🚀",
        " onload=x ",
        "javascript:alert(1)",
        "@/faq/a.md",
        "---",
        "...",
        "`",
        "*",
        "#",
    ]);
    prop::collection::vec(
        prop_oneof![3 => pieces.prop_map(String::from), 1 => "[a-z ]{0,6}"],
        1..8,
    )
    .prop_map(|v| v.concat())
}

/// A TOML basic string holding `text` exactly.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A site whose every front-matter text field holds `t` and whose heading
/// attributes hold `attr`.
fn write_site(root: &Path, t: &str, attr: &str) {
    let s = toml_string(t);
    let files = [
        (
            "site.toml".to_string(),
            format!(
                "title = {s}\ndescription = {s}\nauthor = {s}\nbase_url = \"https://example.org/\"\nprint_page = true\n"
            ),
        ),
        (
            "content/_index.md".into(),
            format!(
                "+++\ntitle = {s}\ndescription = {s}\n[[key_figures]]\nvalue = {s}\nlabel = {s}\nnote = {s}\n+++\nHome.\n"
            ),
        ),
        (
            "content/faq/_index.md".into(),
            format!("+++\ntitle = {s}\n+++\n"),
        ),
        (
            "content/timeline/_index.md".into(),
            format!("+++\ntitle = {s}\ndescription = {s}\n+++\n"),
        ),
        (
            "content/glossary/_index.md".into(),
            format!("+++\ntitle = {s}\ndescription = {s}\n+++\n"),
        ),
        (
            "content/faq/a.md".into(),
            format!(
                "+++\ntitle = {s}\nweight = 1\nsummary = {s}\ntags = [{s}, \"fixed\"]\ndate = 2025-01-02\n[[sources]]\ntitle = {s}\npublisher = {s}\nurl = {s}\n+++\nAn answer about the term.\n\n## Heading {{{attr}}}\n\nMore.\n"
            ),
        ),
        (
            "content/faq/b.md".into(),
            format!(
                "+++\ntitle = \"B?\"\nweight = 2\nsummary = {s}\n+++\nSecond answer mentions the term.\n"
            ),
        ),
        (
            "content/timeline/e.md".into(),
            format!(
                "+++\ndate = 2024\ntitle = {s}\nfaq = [\"a\"]\n[[sources]]\ntitle = {s}\npublisher = {s}\n+++\nThe term again.\n"
            ),
        ),
        (
            "content/glossary/term.md".into(),
            format!("+++\nterm = \"term\"\naliases = [{s}]\nabbr = {s}\n+++\nA definition.\n"),
        ),
        (
            "content/about.md".into(),
            format!(
                "+++\ntitle = {s}\ndescription = {s}\nmenu = {{ label = {s}, weight = 1 }}\n+++\nAbout the term.\n"
            ),
        ),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Each HTML page's element structure: tag names with their attribute
/// names, in document order. Text and attribute values are left out.
fn structure(files: &[dossier::output::OutputFile]) -> BTreeMap<String, Vec<String>> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            let doc = Html::parse_document(&String::from_utf8_lossy(&f.bytes));
            let shape = doc
                .root_element()
                .descendants()
                .filter_map(scraper::ElementRef::wrap)
                // dossier's own marks on runs of Chinese, Japanese or Korean
                // text (`<span lang="zh-Hans">`), which appear wherever such
                // text does: the templates' doing, not the writer's.
                .filter(|e| {
                    let v = e.value();
                    !(v.name() == "span"
                        && v.attrs().count() == 1
                        && matches!(v.attr("lang"), Some("zh" | "zh-Hans" | "ja" | "ko")))
                })
                .map(|e| {
                    // A heading's `{.class}` is the writer's (and absent when
                    // the braces are not an attribute block): not counted.
                    let heading = e.value().name().starts_with('h') && e.value().name().len() == 2;
                    let mut attrs: Vec<&str> = e
                        .value()
                        .attrs()
                        .map(|(n, _)| n)
                        .filter(|n| !(heading && *n == "class"))
                        .collect();
                    attrs.sort_unstable();
                    format!("{}[{}]", e.value().name(), attrs.join(","))
                })
                .collect();
            // The hostile tag's page is named after the tag.
            let path = match f.path.strip_prefix("tags/") {
                Some(rest) if rest != "index.html" && !rest.starts_with("fixed/") => {
                    "tags/(the tag)/index.html".to_string()
                }
                _ => f.path.clone(),
            };
            (path, shape)
        })
        .collect()
}

fn build(t: &str, attr: &str) -> Result<Vec<dossier::output::OutputFile>, String> {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), t, attr);
    let mut settings = Settings::new(dir.path()).unwrap();
    settings.today = dossier::settings::date_of_epoch(common::BUILD_DATE).unwrap();
    dossier::build_in_memory(&settings)
        .map(|(_, files)| files)
        .map_err(|d| d.render(false))
}

fn baseline() -> &'static BTreeMap<String, Vec<String>> {
    static BASE: std::sync::OnceLock<BTreeMap<String, Vec<String>>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| structure(&build("plain", "#plain .c").unwrap()))
}

/// Checks that the pages keep `<main>` and the footer, that no heading has
/// an attribute other than its id and classes, and that no element has an
/// event-handler attribute.
fn assert_headings_and_frame(files: &[dossier::output::OutputFile]) -> Result<(), String> {
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(&f.bytes));
        let count = |css: &str| doc.select(&scraper::Selector::parse(css).unwrap()).count();
        if count("body > main#main") != 1 || count("body > footer.site-footer") != 1 {
            return Err(format!("{}: main or footer lost", f.path));
        }
        for e in doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let name = e.value().name();
            for (attr, _) in e.value().attrs() {
                let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                if attr.starts_with("on") || (heading && attr != "id" && attr != "class") {
                    return Err(format!("{}: <{name} {attr}>", f.path));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_front_matter_text_changes_a_page_structure(t in hostile()) {
        match build(&t, "#plain .c") {
            Err(message) => {
                // Refused with a diagnostic that names a file and a line.
                prop_assert!(message.contains("error:"), "{message}");
            }
            Ok(files) => {
                let shape = structure(&files);
                let base = baseline();
                prop_assert_eq!(shape.keys().collect::<Vec<_>>(), base.keys().collect::<Vec<_>>());
                for (page, elements) in &shape {
                    let expected = base.get(page).unwrap();
                    prop_assert!(elements == expected, "{} changed structure for {:?}\n{:?}\n{:?}", page, t, elements, expected);
                }
                for f in files.iter().filter(|f| f.path.ends_with(".xml")) {
                    let text = String::from_utf8(f.bytes.clone()).unwrap();
                    prop_assert!(roxmltree::Document::parse(&text).is_ok(), "{} not well-formed for {:?}", f.path, t);
                }
            }
        }
    }

    #[test]
    fn no_heading_attribute_adds_an_attribute_or_breaks_the_page(attr in hostile()) {
        for braces in [format!("#x .c {attr}"), format!("#x .c {}", attr.replace(['{', '}'], "")), attr.clone()] {
            match build("plain", &braces) {
                Err(message) => prop_assert!(message.contains("error:"), "{message}"),
                Ok(files) => {
                    let checked = assert_headings_and_frame(&files);
                    prop_assert!(checked.is_ok(), "{:?} for {:?}", checked, braces);
                }
            }
        }
    }
}

#[test]
fn the_baseline_builds_and_has_main_and_footer_on_every_page() {
    for (page, elements) in baseline() {
        assert_eq!(
            elements.iter().filter(|e| e.starts_with("main[")).count(),
            1,
            "{page}"
        );
        assert_eq!(
            elements.iter().filter(|e| e.starts_with("footer[")).count(),
            1,
            "{page}"
        );
    }
}
