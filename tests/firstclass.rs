//! Questions, timeline and glossary as first-class things: automatic term
//! links, back-links, warnings, structured data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build, dossier, read};

/// Writes a small site from `(path, text)` pairs.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let settings = (
        "site.toml",
        "title = \"T\"\nbase_url = \"https://t.example/x/\"\n",
    );
    common::temp_site(std::iter::once(settings).chain(files.iter().copied()))
}

const TERMS: &[(&str, &str)] = &[
    (
        "content/glossary/ascend.md",
        "+++\nterm = \"Ascend\"\n+++\nHuawei's chip family.\n",
    ),
    (
        "content/glossary/ascend-910c.md",
        "+++\nterm = \"Ascend 910C\"\n+++\nThe main Ascend chip.\n",
    ),
    (
        "content/glossary/hbm.md",
        "+++\nterm = \"HBM\"\naliases = [\"high-bandwidth memory\"]\nabbr = \"high-bandwidth memory\"\n+++\nStacked memory beside the chip.\n",
    ),
];

fn with_terms(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let files: Vec<(&str, &str)> = TERMS.iter().chain(extra).copied().collect();
    site(&files)
}

/// The `href`s of automatic term links in `html`, in order.
fn term_links(html: &str) -> Vec<String> {
    html.match_indices("class=\"term-link\" href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

const Q: &str = "+++\ntitle = \"Q?\"\nsummary = \"Short.\"\n+++\n\
The Ascend 910C is new. The Ascend line is older. Ascend again, and ascend 910c again.\n\n\
## Ascend in a heading\n\n`Ascend` in code and [Ascend in a link](https://e.org).\n\n\
High-bandwidth memory matters; HBM too.\n";

#[test]
fn first_mentions_are_linked_longest_first_once_per_page_with_aliases() {
    let dir = with_terms(&[("content/faq/q.md", Q)]);
    build(dir.path());
    let page = read(dir.path(), "public/faq/q/index.html");
    assert_eq!(
        term_links(&page),
        [
            "../../glossary/index.html#ascend-910c",
            "../../glossary/index.html#ascend",
            "../../glossary/index.html#hbm"
        ],
        "longest match first, then one link per term; the alias links HBM"
    );
    assert!(
        page.contains(">Ascend 910C</a>"),
        "the longer term takes the whole match"
    );
    assert!(
        page.contains(">High-bandwidth memory</a>"),
        "alias matched case-insensitively, text kept as written"
    );
    assert!(
        page.contains("<h2 id=\"ascend-in-a-heading\">Ascend in a heading"),
        "heading untouched"
    );
    assert!(page.contains("<code>Ascend</code>"), "code untouched");
    assert!(
        page.contains("<a href=\"https://e.org\">Ascend in a link</a>"),
        "existing link untouched"
    );
    // The preview is in the page, tied to the link for assistive technology.
    assert!(page.contains("aria-describedby=\"tip-hbm\""));
    assert!(page.contains("id=\"tip-hbm\"><strong>HBM</strong> (high-bandwidth memory): Stacked memory beside the chip.</span>"));
    // "Terms used" lists what the answer mentions.
    let terms_used = &page[page.find("Terms used").unwrap()..];
    for t in ["Ascend", "Ascend 910C", "HBM"] {
        assert!(
            terms_used.contains(&format!(">{t}</a>")),
            "{t} in Terms used"
        );
    }
}

#[test]
fn a_term_is_linked_once_on_shared_pages_and_never_in_its_own_definition() {
    let dir = with_terms(&[
        ("content/faq/q.md", Q),
        (
            "content/timeline/a.md",
            "+++\ndate = \"2024\"\ntitle = \"A\"\n+++\nHBM shipped.\n",
        ),
        (
            "content/timeline/b.md",
            "+++\ndate = \"2025\"\ntitle = \"B\"\n+++\nMore HBM.\n",
        ),
    ]);
    build(dir.path());
    let timeline = read(dir.path(), "public/timeline/index.html");
    assert_eq!(
        term_links(&timeline),
        ["../glossary/index.html#hbm"],
        "second event does not link HBM again"
    );
    let glossary = read(dir.path(), "public/glossary/index.html");
    let own = &glossary[glossary.find("id=\"ascend-910c\"").unwrap()..];
    let own = &own[..own.find("</dd>").unwrap()];
    assert!(
        own.contains("href=\"#ascend\""),
        "910C's definition links Ascend: {own}"
    );
    let ascend = &glossary[glossary.find("<div class=\"term\" id=\"ascend\"").unwrap()..];
    let ascend = &ascend[..ascend.find("</dd>").unwrap()];
    assert!(
        !ascend.contains("term-link"),
        "a term does not link itself: {ascend}"
    );
}

#[test]
fn back_links_name_every_question_and_event_that_uses_a_term() {
    let dir = with_terms(&[
        ("content/faq/q.md", Q),
        (
            "content/timeline/a.md",
            "+++\ndate = \"2024\"\ntitle = \"Event A\"\n+++\nHBM shipped.\n",
        ),
    ]);
    build(dir.path());
    let glossary = read(dir.path(), "public/glossary/index.html");
    let hbm = &glossary[glossary.find("id=\"hbm\"").unwrap()..];
    let mentioned = &hbm[hbm.find("Mentioned in").unwrap()..hbm.find("</dd>").unwrap()];
    assert!(
        mentioned.contains("<a href=\"../faq/q/index.html\">Q?</a>"),
        "{mentioned}"
    );
    assert!(
        mentioned.contains("<a href=\"../timeline/index.html#a\">Event A</a>"),
        "{mentioned}"
    );
    assert!(glossary.contains("<abbr title=\"high-bandwidth memory\">HBM</abbr>"));
    // The heading says the term, then what it stands for, once.
    assert!(
        glossary.contains(
            "HBM</abbr></dfn><span class=\"abbr-expansion\"> (high-bandwidth memory)</span>"
        ),
        "{hbm}"
    );
    assert!(!glossary.contains("HBM: high-bandwidth"), "{hbm}");
    // "Mentioned in" is a list, one page an item.
    assert_eq!(
        mentioned.matches("<li>").count(),
        2,
        "a list item per page: {mentioned}"
    );
}

#[test]
fn autolinking_can_be_turned_off_for_the_site_or_a_page() {
    let dir = with_terms(&[
        ("content/faq/q.md", Q),
        (
            "content/faq/off.md",
            "+++\ntitle = \"Off?\"\nautolink = false\n+++\nHBM and Ascend.\n",
        ),
    ]);
    build(dir.path());
    assert!(term_links(&read(dir.path(), "public/faq/off/index.html")).is_empty());
    assert!(!term_links(&read(dir.path(), "public/faq/q/index.html")).is_empty());
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nglossary_autolink = false\n",
    )
    .unwrap();
    build(dir.path());
    assert!(term_links(&read(dir.path(), "public/faq/q/index.html")).is_empty());
}

#[test]
fn warnings_name_file_and_line_and_strict_fails() {
    let dir = with_terms(&[
        (
            "content/faq/q.md",
            "+++\ntitle = \"Q?\"\n+++\nAscend and HBM.\n",
        ),
        (
            "content/glossary/unused.md",
            "+++\nterm = \"Unused thing\"\n+++\nNobody says it.\n",
        ),
        (
            "content/glossary/clash.md",
            "+++\nterm = \"Clash\"\naliases = [\"HBM\"]\nsee_also = [\"nothing-here\"]\n+++\nx\n",
        ),
        (
            "content/timeline/old-plan.md",
            "+++\ndate = \"2001-05\"\ntitle = \"Old plan\"\nstatus = \"planned\"\n+++\nAscend.\n",
        ),
        (
            "content/timeline/future.md",
            "+++\ndate = \"2999\"\ntitle = \"Far plan\"\nstatus = \"projected\"\n+++\nAscend.\n",
        ),
    ]);
    let err = build(dir.path());
    assert!(
        err.contains("warning: the term `Unused thing` is not used by any question or event"),
        "{err}"
    );
    assert!(err.contains("content/glossary/unused.md:1:1"), "{err}");
    assert!(err.contains("warning: `HBM` is a spelling of two terms: content/glossary/clash.md and content/glossary/hbm.md"), "{err}");
    assert!(
        err.contains("warning: `see_also` names a term that does not exist: `nothing-here`"),
        "{err}"
    );
    assert!(err.contains("content/glossary/clash.md:4:13"), "{err}");
    assert!(
        err.contains(
            "warning: this event is still marked `planned` but its date, 2001-05, has passed"
        ),
        "{err}"
    );
    assert!(err.contains("content/timeline/old-plan.md:4:1"), "{err}");
    assert!(
        !err.contains("Far plan") && !err.contains("2999"),
        "a future plan is fine: {err}"
    );
    assert!(
        dir.path().join("public/index.html").exists(),
        "warnings do not stop the build"
    );

    let out = dossier(dir.path(), &["build", "--strict"])
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("error: the term `Unused thing` is not used by any question or event (an error because of --strict)"), "{err}");
}

#[test]
fn timeline_shows_status_in_words_and_ranges() {
    let dir = with_terms(&[
        ("content/faq/q.md", Q),
        (
            "content/timeline/r.md",
            "+++\ndate = \"2024-01\"\nend = \"2024-03-31\"\ntitle = \"Range\"\nstatus = \"announced\"\nfaq = [\"q\"]\n+++\nHBM.\n",
        ),
        (
            "content/timeline/p.md",
            "+++\ndate = \"2999\"\ntitle = \"Plan\"\nstatus = \"planned\"\n+++\nAscend.\n",
        ),
    ]);
    build(dir.path());
    let t = read(dir.path(), "public/timeline/index.html");
    assert!(t.contains("<time datetime=\"2024-01\">January 2024</time> to <time datetime=\"2024-03-31\">31 March 2024</time>"), "{t}");
    assert!(t.contains("<span class=\"badge\">Announced</span>"));
    assert!(t.contains("<span class=\"badge\">Planned</span>"));
    assert!(
        t.contains("<a href=\"../faq/q/index.html\">Q?</a>"),
        "event links its question"
    );
    let q = read(dir.path(), "public/faq/q/index.html");
    assert!(
        q.contains("On the timeline")
            && q.contains("href=\"../../timeline/index.html#r\">Range</a>")
    );
}

#[test]
fn related_questions_fall_back_to_shared_tags() {
    let dir = with_terms(&[
        (
            "content/faq/a.md",
            "+++\ntitle = \"A?\"\ntags = [\"x\", \"y\"]\n+++\nAscend HBM.\n",
        ),
        (
            "content/faq/b.md",
            "+++\ntitle = \"B?\"\ntags = [\"x\", \"y\"]\n+++\nb\n",
        ),
        (
            "content/faq/c.md",
            "+++\ntitle = \"C?\"\ntags = [\"x\"]\n+++\nc\n",
        ),
        (
            "content/faq/d.md",
            "+++\ntitle = \"D?\"\ntags = [\"z\"]\n+++\nd\n",
        ),
        (
            "content/faq/e.md",
            "+++\ntitle = \"E?\"\ntags = [\"x\"]\nrelated = [\"d\"]\n+++\ne\n",
        ),
    ]);
    build(dir.path());
    let a = read(dir.path(), "public/faq/a/index.html");
    let related = &a[a.find("Related questions").unwrap()..];
    let b = related.find(">B?<").unwrap();
    let c = related.find(">C?<").unwrap();
    assert!(b < c, "more shared tags first");
    assert!(!related.contains(">D?<"), "no shared tag, not related");
    let e = read(dir.path(), "public/faq/e/index.html");
    let related = &e[e.find("Related questions").unwrap()..];
    assert!(
        related.contains(">D?<") && !related.contains(">A?<"),
        "explicit related wins"
    );
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// `content` of the `<meta>` with the given property or name.
fn meta(html: &str, key: &str) -> String {
    let pattern = format!("=\"{key}\" content=\"");
    let at = html
        .find(&pattern)
        .unwrap_or_else(|| panic!("no meta {key}"));
    let rest = &html[at + pattern.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[test]
fn structured_data_and_open_graph_describe_the_page() {
    let dir = with_terms(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Home title\"\ndescription = \"Home description\"\n+++\n",
        ),
        ("content/faq/q.md", Q),
        (
            "content/faq/r.md",
            "+++\ntitle = \"R </script> ?\"\n+++\nFirst paragraph is the answer.\n\nMore.\n",
        ),
    ]);
    build(dir.path());
    let home = read(dir.path(), "public/index.html");
    let ld = json_ld(&home);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "FAQPage");
    let qs = ld["mainEntity"].as_array().unwrap();
    assert_eq!(qs.len(), 2, "every question on home");
    assert_eq!(qs[0]["@type"], "Question");
    assert_eq!(qs[0]["name"], "Q?");
    assert_eq!(qs[0]["acceptedAnswer"]["@type"], "Answer");
    assert_eq!(qs[0]["acceptedAnswer"]["text"], "Short.");
    assert_eq!(
        qs[1]["name"], "R </script> ?",
        "escaped inside the script, intact once parsed"
    );
    assert_eq!(
        qs[1]["acceptedAnswer"]["text"],
        "First paragraph is the answer."
    );
    assert!(
        home.contains("<p class=\"summary\">First paragraph is the answer.</p>"),
        "the answer text is what the page shows"
    );
    assert_eq!(meta(&home, "og:title"), "Home title");
    assert_eq!(meta(&home, "og:description"), "Home description");
    assert_eq!(meta(&home, "og:url"), "https://t.example/x/");
    assert_eq!(meta(&home, "og:type"), "website");
    assert_eq!(meta(&home, "og:site_name"), "T");
    assert_eq!(meta(&home, "twitter:card"), "summary");

    let page = read(dir.path(), "public/faq/q/index.html");
    let ld = json_ld(&page);
    assert_eq!(ld["mainEntity"][0]["name"], "Q?");
    assert_eq!(ld["mainEntity"][0]["acceptedAnswer"]["text"], "Short.");
    assert_eq!(ld["mainEntity"][0]["url"], "https://t.example/x/faq/q/");
    assert!(page.contains("<strong>In short:</strong> Short.</p>"));
    assert_eq!(meta(&page, "og:url"), "https://t.example/x/faq/q/");
    assert_eq!(meta(&page, "og:type"), "article");
    assert_eq!(meta(&page, "og:title"), "Q?");
    assert_eq!(meta(&page, "og:description"), "Short.");
}
