//! A second language: translations beside their originals (`x.zh.md`),
//! pages under `/zh/`, facts shared with the original, and the links
//! between the two languages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{build, fails, read, script_value};

const SETTINGS: &str = "title = \"Chips\"\nbase_url = \"https://news.example/chips/\"\nlanguage = \"en\"\n\n[languages.zh]\nlanguage = \"zh-Hans\"\nlanguage_name = \"中文\"\ntitle = \"芯片\"\n";

/// A site in English and Chinese: two questions (one translated), an
/// event and two terms (both translated), a page (not translated).
const FILES: &[(&str, &str)] = &[
    (
        "content/faq/output.md",
        "+++\ntitle = \"How many chips?\"\nweight = 1\ndate = 2025-03-14\ntags = [\"Output\"]\nrelated = [\"controls\"]\n\n[[sources]]\ntitle = \"A report\"\npublisher = \"Reuters\"\ndate = \"2025-03-14\"\nurl = \"https://example.com/report\"\n+++\nSMIC makes them. See [controls](@/faq/controls.md) and [about](@/about.md).\n\n## Numbers\n\nMany.\n",
    ),
    (
        "content/faq/output.zh.md",
        "+++\ntitle = \"芯片产量是多少？\"\n\n[[sources]]\ntitle = \"一篇报道\"\npublisher = \"路透社\"\n+++\n中芯国际负责制造，SMIC也是它的名字。另见[管制](@/faq/controls.md)和[关于](@/about.md)，以及[数字](@/faq/output.md#numbers)。\n\n## 数字 {#numbers}\n\n很多。\n",
    ),
    (
        "content/faq/controls.md",
        "+++\ntitle = \"What do controls ban?\"\nweight = 2\n+++\nExports of chips. 中芯国际 is named in English text too.\n",
    ),
    (
        "content/timeline/fab.md",
        "+++\ndate = \"2025-03-14\"\ntitle = \"A fab opens\"\nfaq = [\"output\", \"controls\"]\n\n[[sources]]\ntitle = \"Opening\"\npublisher = \"AP\"\ndate = \"2025-03-14\"\n+++\nIt opened.\n",
    ),
    (
        "content/timeline/fab.zh.md",
        "+++\ntitle = \"一座晶圆厂开工\"\n+++\n开工了。\n",
    ),
    (
        "content/glossary/smic.md",
        "+++\nterm = \"SMIC\"\nabbr = \"Semiconductor Manufacturing International Corporation\"\n+++\nChina's largest chipmaker.\n",
    ),
    (
        "content/glossary/smic.zh.md",
        "+++\nterm = \"中芯国际\"\n+++\n中国最大的芯片制造商。\n",
    ),
    (
        "content/glossary/export-controls.md",
        "+++\nterm = \"export controls\"\n+++\nRules on what may be sold abroad.\n",
    ),
    (
        "content/glossary/export-controls.zh.md",
        "+++\nterm = \"出口管制\"\n+++\n关于哪些东西可以卖到国外的规定。\n",
    ),
    (
        "content/about.md",
        "+++\ntitle = \"About\"\nmenu = { weight = 1 }\n+++\nUs.\n",
    ),
];

fn site(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files: BTreeMap<&str, &str> = FILES.iter().copied().collect();
    files.insert("site.toml", SETTINGS);
    files.extend(extra.iter().copied());
    common::temp_site(files)
}

#[test]
fn a_translation_is_paired_with_its_original_and_lives_under_its_prefix() {
    let dir = site(&[]);
    let out = build(dir.path());
    let public = dir.path().join("public");
    let zh = read(&public, "zh/faq/output/index.html");
    assert!(zh.contains("<html lang=\"zh-Hans\">"), "{zh}");
    assert!(zh.contains("芯片产量是多少？"), "{zh}");
    assert!(read(&public, "faq/output/index.html").contains("How many chips?"));
    // Left out: no Chinese page for the untranslated question and page,
    // and the build says so.
    assert!(!public.join("zh/faq/controls/index.html").exists());
    assert!(!public.join("zh/about/index.html").exists());
    assert!(
        out.contains("2 file(s) have no 中文 translation")
            && out.contains("content/faq/controls.md")
            && out.contains("content/about.md"),
        "{out}"
    );
    // One 404 page and sitemap for the site, a feed and search per language.
    assert!(!public.join("zh/404.html").exists() && public.join("404.html").exists());
    assert!(!public.join("zh/sitemap.xml").exists());
    assert!(public.join("zh/atom.xml").exists() && public.join("zh/search/keys.js").exists());
}

#[test]
fn links_stay_relative_within_and_across_languages() {
    let dir = site(&[]);
    build(dir.path());
    let public = dir.path().join("public");
    let zh = read(&public, "zh/faq/output/index.html");
    // The untranslated question and page: the originals, across the prefix.
    assert!(
        zh.contains("href=\"../../../faq/controls/index.html\">管制</a>"),
        "{zh}"
    );
    assert!(
        zh.contains("href=\"../../../about/index.html\">关于</a>"),
        "{zh}"
    );
    // A translated question's anchor stays on the Chinese page.
    assert!(zh.contains("href=\"#numbers\">数字</a>"), "{zh}");
    // The shared stylesheet, from one level deeper.
    assert!(zh.contains("href=\"../../../style."), "{zh}");
    let en = read(&public, "faq/output/index.html");
    assert!(
        en.contains("href=\"../../faq/controls/index.html\">controls</a>"),
        "{en}"
    );
}

#[test]
fn facts_come_from_the_original_and_dates_are_written_in_chinese() {
    let dir = site(&[]);
    build(dir.path());
    let public = dir.path().join("public");
    let timeline = read(&public, "zh/timeline/index.html");
    assert!(timeline.contains("一座晶圆厂开工"), "{timeline}");
    assert!(
        timeline.contains("<time datetime=\"2025-03-14\">2025年3月14日</time>"),
        "{timeline}"
    );
    // The event belongs to the translated question only: the other has no
    // Chinese page.
    assert!(timeline.contains("芯片产量是多少？"), "{timeline}");
    let zh = read(&public, "zh/faq/output/index.html");
    // The source: its title and publisher translated, its address and
    // date from the original.
    assert!(zh.contains("一篇报道") && zh.contains("路透社"), "{zh}");
    assert!(zh.contains("https://example.com/report"), "{zh}");
    assert!(zh.contains("2025年3月14日"), "{zh}");
}

#[test]
fn a_translation_that_contradicts_its_original_is_an_error_at_its_line() {
    let dir = site(&[(
        "content/timeline/fab.zh.md",
        "+++\ntitle = \"一座晶圆厂开工\"\ndate = \"2025-03-15\"\nstatus = \"happened\"\n+++\n开工了。\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(out.contains("content/timeline/fab.zh.md:3:8"), "{out}");
    assert!(
        out.contains("the translation says `date = \"2025-03-15\"`, but the original"),
        "{out}"
    );
    assert!(out.contains("says `\"2025-03-14\"`"), "{out}");
    // Repeating a fact the original does not set is a contradiction too.
    assert!(
        out.contains(
            "`status = \"happened\"`, but the original (content/timeline/fab.md) does not set it"
        ),
        "{out}"
    );

    let dir = site(&[(
        "content/faq/output.zh.md",
        "+++\ntitle = \"芯片产量是多少？\"\n\n[[sources]]\ntitle = \"一\"\n\n[[sources]]\ntitle = \"二\"\n+++\n正文。\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("the translation lists 2 sources, the original 1"),
        "{out}"
    );
}

#[test]
fn chart_values_must_match_the_original() {
    let chart = |values: &str| {
        format!(
            "+++\ntitle = \"{}\"\n+++\n```chart\ntype = \"bar\"\ntitle = \"Output\"\nlabels = [\"a\", \"b\"]\n\n[[series]]\nname = \"chips\"\nvalues = {values}\n```\n",
            "Q"
        )
    };
    let original = chart("[1, 2]");
    let same = chart("[1, 2]").replace("title = \"Output\"", "title = \"产量\"");
    let other = chart("[1, 3]");
    let dir = site(&[
        ("content/faq/chart.md", &original),
        ("content/faq/chart.zh.md", &same),
    ]);
    build(dir.path());
    let dir = site(&[
        ("content/faq/chart.md", &original),
        ("content/faq/chart.zh.md", &other),
    ]);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("chart 1 of the translation does not show the original's values"),
        "{out}"
    );
    assert!(out.contains("content/faq/chart.zh.md:4:1"), "{out}");
}

#[test]
fn glossary_links_stay_within_their_language() {
    let dir = site(&[]);
    build(dir.path());
    let public = dir.path().join("public");
    let zh = read(&public, "zh/faq/output/index.html");
    let links: Vec<&str> = zh
        .match_indices("class=\"term-link\" href=\"")
        .map(|(i, m)| &zh[i + m.len()..i + m.len() + zh[i + m.len()..].find('"').unwrap()])
        .collect();
    // 中芯国际 inside Chinese text, and the English acronym SMIC once the
    // term is linked: both to the Chinese glossary.
    assert_eq!(links, ["../../glossary/index.html#smic"], "{zh}");
    assert!(zh.contains(">中芯国际</a>"), "{zh}");
    // The English page never links the Chinese spelling.
    let en = read(&public, "faq/controls/index.html");
    assert!(!en.contains(">中芯国际</a>"), "{en}");
    // The Chinese glossary files SMIC's Chinese name by its pinyin
    // (zhong xin guo ji) and 出口管制 (chu kou guan zhi) before it.
    let glossary = read(&public, "zh/glossary/index.html");
    let (a, b) = (
        glossary.find("出口管制").unwrap(),
        glossary.find("中芯国际").unwrap(),
    );
    assert!(a < b, "chu before zhong");
}

#[test]
fn each_language_has_its_own_search_index() {
    let dir = site(&[]);
    build(dir.path());
    let public = dir.path().join("public");
    let titles = |file: &str| -> Vec<String> {
        script_value(&public, file)
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d[1].as_str().unwrap().to_string())
            .collect()
    };
    let zh = titles("zh/search/d-0.js");
    let en = titles("search/d-0.js");
    assert!(zh.contains(&"芯片产量是多少？".to_string()), "{zh:?}");
    assert!(!zh.iter().any(|t| t.contains("How many")), "{zh:?}");
    assert!(!en.iter().any(|t| t.contains("芯片产量")), "{en:?}");
    // The Chinese word 中芯 is in the Chinese index's file for 中.
    let key: String = "中".bytes().map(|b| format!("{b:02x}")).collect();
    let tokens = script_value(&public, &format!("zh/search/t-{key}.js"));
    assert!(tokens.get("中芯").is_some(), "{tokens}");
}

/// Every `<link rel="alternate" hreflang>` of an HTML page.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let lang = &rest[..rest.find('"').unwrap()];
            let href = &rest[rest.find("href=\"").unwrap() + 6..];
            (
                lang.to_string(),
                href[..href.find('"').unwrap()].to_string(),
            )
        })
        .collect()
}

#[test]
fn every_alternate_points_back_and_the_sitemap_lists_them() {
    let dir = site(&[]);
    build(dir.path());
    let public = dir.path().join("public");
    let base = "https://news.example/chips/";
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let own = alternates(&html);
        if own.is_empty() {
            continue;
        }
        let canonical = {
            let at = html.find("<link rel=\"canonical\" href=\"").unwrap() + 28;
            html[at..at + html[at..].find('"').unwrap()].to_string()
        };
        assert!(
            own.iter().any(|(_, h)| *h == canonical),
            "{}: lists itself",
            entry.path().display()
        );
        assert!(
            own.iter().any(|(l, _)| l == "x-default"),
            "{}",
            entry.path().display()
        );
        for (lang, href) in own.iter().filter(|(l, _)| l != "x-default") {
            let rel = href.strip_prefix(base).unwrap();
            let file = public.join(rel).join("index.html");
            let other = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{lang} alternate of {}: {e}", entry.path().display()));
            assert!(
                alternates(&other).iter().any(|(_, h)| *h == canonical),
                "{} does not point back to {canonical}",
                file.display()
            );
        }
        checked += 1;
    }
    // Home, the question, timeline, glossary, tags and the tag page, in
    // both languages; the untranslated question has none.
    assert!(checked >= 12, "{checked} pages with alternates");
    assert!(alternates(&read(&public, "faq/controls/index.html")).is_empty());
    let home = read(&public, "faq/output/index.html");
    assert!(home.contains("<meta property=\"og:locale\" content=\"en\">"));
    assert!(home.contains("<meta property=\"og:locale:alternate\" content=\"zh_CN\">"));
    let sitemap = read(&public, "sitemap.xml");
    assert!(
        sitemap.contains("<url><loc>https://news.example/chips/zh/faq/output/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://news.example/chips/zh/faq/output/\"/>"),
        "{sitemap}"
    );
    // The untranslated question has no alternates in the sitemap.
    let controls = &sitemap[sitemap.find("faq/controls/</loc>").unwrap()..];
    assert!(
        controls[..controls.find("</url>").unwrap()]
            .find("xhtml:link")
            .is_none()
    );
}

#[test]
fn the_switcher_leads_to_the_same_page_or_the_other_home_with_a_note() {
    let dir = site(&[]);
    build(dir.path());
    let public = dir.path().join("public");
    let en = read(&public, "faq/output/index.html");
    assert!(en.contains("<a href=\"../../zh/faq/output/index.html\" hreflang=\"zh-Hans\" lang=\"zh-Hans\">中文</a>"), "{en}");
    let controls = read(&public, "faq/controls/index.html");
    assert!(
        controls.contains("href=\"../../zh/index.html\" hreflang=\"zh-Hans\""),
        "{controls}"
    );
    assert!(
        controls.contains("(not translated: home page)"),
        "{controls}"
    );
    let zh = read(&public, "zh/faq/output/index.html");
    assert!(
        zh.contains(
            "<a href=\"../../../faq/output/index.html\" hreflang=\"en\" lang=\"en\">English</a>"
        ),
        "{zh}"
    );
}

#[test]
fn missing_translations_fail_strict_and_stale_ones_are_reported() {
    let dir = site(&[]);
    let out = fails(dir.path(), &["build", "--strict"]);
    assert!(out.contains("have no 中文 translation"), "{out}");

    let dir = site(&[
        (
            "content/about.md",
            "+++\ntitle = \"About\"\nupdated = 2026-11-01\n+++\nUs.\n",
        ),
        (
            "content/about.zh.md",
            "+++\ntitle = \"关于\"\nupdated = 2026-10-01\n+++\n我们。\n",
        ),
    ]);
    let out = build(dir.path());
    assert!(out.contains("content/about.zh.md"), "{out}");
    assert!(
        out.contains(
            "this translation may be out of date: content/about.md was reviewed or changed after it"
        ),
        "{out}"
    );
}

#[test]
fn a_language_suffix_that_is_not_configured_is_an_error() {
    let dir = site(&[(
        "content/faq/output.fr.md",
        "+++\ntitle = \"Combien ?\"\n+++\nBeaucoup.\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(out.contains("content/faq/output.fr.md"), "{out}");
    assert!(
        out.contains("a translation into `fr`, but site.toml has no [languages.fr]"),
        "{out}"
    );
    assert!(out.contains("the configured languages are `zh`"), "{out}");
}

#[test]
fn language_settings_are_checked() {
    let dir = site(&[(
        "site.toml",
        "title = \"Chips\"\n\n[languages.Chinese]\ntitle = \"芯片\"\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(out.contains("`Chinese` is not a language code"), "{out}");
    assert!(out.contains("site.toml:3:1"), "{out}");
    let dir = site(&[(
        "site.toml",
        "title = \"Chips\"\n\n[languages.zh]\ntitle = \"芯片\"\n\n[languages.zh.strings]\nsorces = \"来源\"\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("`sorces` in [languages.zh.strings] is not one of dossier's words"),
        "{out}"
    );
    assert!(out.contains("did you mean `sources`?"), "{out}");
    // Well-formed but not a language: a typo for `zh`.
    let dir = site(&[(
        "site.toml",
        "title = \"Chips\"\n\n[languages.xz]\ntitle = \"芯片\"\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("`xz` is not a language: ISO 639 has no code `xz`"),
        "{out}"
    );
    assert!(out.contains("site.toml:3:1"), "{out}");
    // The tag of <html lang> must be a BCP 47 tag of a real language.
    let dir = site(&[(
        "site.toml",
        "title = \"Chips\"\nlanguage_name = \"English\"\nlanguage = \"english\"\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("`language = \"english\"` is not a language tag"),
        "{out}"
    );
    assert!(out.contains("site.toml:3:1"), "{out}");
    let dir = site(&[(
        "site.toml",
        "title = \"Chips\"\n\n[languages.zh]\ntitle = \"芯片\"\nlanguage = \"zh_Hans\"\n",
    )]);
    let out = fails(dir.path(), &["build"]);
    assert!(
        out.contains("not a well-formed BCP 47 language tag"),
        "{out}"
    );
    assert!(out.contains("site.toml:5:12"), "{out}");
}

#[test]
fn a_language_names_the_tags_in_its_own_words() {
    let settings =
        format!("{SETTINGS}\n[languages.zh.tags]\noutput = \"产量\"\n\"Exports\" = \"出口\"\n");
    let dir = site(&[("site.toml", settings.as_str())]);
    let out = build(dir.path());
    let public = dir.path().join("public");
    let zh = read(&public, "zh/faq/output/index.html");
    assert!(
        zh.contains("tags/output/index.html\">产量</a>"),
        "the Chinese page shows the Chinese name, at the shared address: {zh}"
    );
    let tag_page = read(&public, "zh/tags/output/index.html");
    assert!(
        tag_page.contains("标签为“产量”的问题"),
        "the tag page is titled in Chinese: {tag_page}"
    );
    let en = read(&public, "faq/output/index.html");
    assert!(
        en.contains(">Output</a>"),
        "English keeps the written name: {en}"
    );
    assert!(!en.contains("产量"), "{en}");
    assert!(
        out.contains("[languages.zh.tags] names the tag `Exports`, which no question or event has"),
        "{out}"
    );
}

#[test]
fn chinese_inside_english_pages_is_marked_and_headings_link_in_their_language() {
    let controls = "+++\ntitle = \"What do controls ban?\"\nweight = 2\n\n[[sources]]\ntitle = \"对话任正非 <b>\"\npublisher = \"人民日报\"\ndate = \"2025-06-10\"\n+++\nExports of chips. 中芯国际 is named in English text too.\n";
    let dir = site(&[("content/faq/controls.md", controls)]);
    build(dir.path());
    let public = dir.path().join("public");
    let en = read(&public, "faq/controls/index.html");
    assert!(
        en.contains("<span lang=\"zh-Hans\">中芯国际</span> is named in English text too"),
        "{en}"
    );
    assert!(
        en.contains("<span lang=\"zh-Hans\">对话任正非</span> &lt;b&gt;"),
        "a source's Chinese title is marked and still escaped: {en}"
    );
    assert!(
        en.contains("<span lang=\"zh-Hans\">人民日报</span>"),
        "{en}"
    );
    let zh = read(&public, "zh/faq/output/index.html");
    assert!(
        !zh.contains("<span lang="),
        "a Chinese page needs no marks: {zh}"
    );
    assert!(zh.contains("aria-label=\"本节链接\""), "{zh}");
    assert!(!zh.contains("Link to this section"), "{zh}");
}
