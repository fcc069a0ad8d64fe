//! What keeps pages readable on a large site, tested on a small one with
//! small limits: the home page lists the first `home_questions` and links
//! to the paginated `questions/`, tag pages are paginated at `per_page`,
//! the glossary shows `glossary_mentions` mentions per term and links to a
//! page with every one, the feed holds `feed_entries`, and the search
//! index is split into shards that a query loads one by one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{dossier, read};

const QUESTIONS: usize = 7;

/// Seven questions tagged "grid" that all mention the term Zeta, with
/// limits of 2 on the home page, 3 a page, 2 mentions and 4 feed entries.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| common::write(root, rel, text);
    write(
        "site.toml",
        "title = \"Scale\"\nbase_url = \"https://scale.example/\"\nhome_questions = 2\nper_page = 3\nglossary_mentions = 2\nfeed_entries = 4\n",
    );
    write(
        "content/glossary/zeta.md",
        "+++\nterm = \"Zeta\"\n+++\nThe last letter.\n",
    );
    for n in 1..=QUESTIONS {
        write(
            &format!("content/faq/q{n}.md"),
            &format!(
                "+++\ntitle = \"Question number {n}?\"\nweight = {n}\ndate = 2025-01-0{n}\nupdated = 2025-02-0{n}\ntags = [\"grid\"]\n+++\nAnswer {n} names Zeta and the word quasar{n}.\n"
            ),
        );
    }
    dossier(root, &["build"]).success();
    dir
}

/// The question links (`faq/qN/`) of a page, in order.
fn question_links(html: &str) -> Vec<String> {
    html.match_indices("faq/q")
        .map(|(i, _)| {
            let rest = &html[i + "faq/".len()..];
            rest[..rest.find('/').unwrap()].to_string()
        })
        .fold(Vec::new(), |mut v, q| {
            if v.last() != Some(&q) {
                v.push(q);
            }
            v
        })
}

#[test]
fn lists_are_paginated_and_every_link_of_every_page_resolves() {
    let dir = site();
    let public = dir.path().join("public");
    let home = read(&public, "index.html");
    let main = &home[home.find("<main").unwrap()..];
    let shown = question_links(main);
    assert!(
        shown.starts_with(&["q1".to_string(), "q2".to_string()])
            && !shown.contains(&"q3".to_string()),
        "the home page lists the first two questions: {shown:?}"
    );
    assert!(
        main.contains("questions/index.html"),
        "and links to the full list"
    );
    // questions/: 7 questions, 3 a page.
    let mut all = Vec::new();
    for (n, path) in [
        "questions/index.html",
        "questions/page/2/index.html",
        "questions/page/3/index.html",
    ]
    .iter()
    .enumerate()
    {
        let page = read(&public, path);
        let list = &page[page.find("<main").unwrap()..];
        let got = question_links(list);
        assert!(got.len() <= 3, "page {} lists {got:?}", n + 1);
        all.extend(got);
    }
    let want: Vec<String> = (1..=QUESTIONS).map(|n| format!("q{n}")).collect();
    assert_eq!(all, want, "every question once, in order, across the pages");
    assert!(!public.join("questions/page/4").exists());
    assert!(public.join("tags/grid/page/3/index.html").is_file());
    assert!(!public.join("tags/grid/page/4").exists());
    // Every href and src of every page, pagination links included, leads
    // to a file and anchor of the build.
    let broken = dossier::check::check_dir(&public, "/").unwrap();
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_glossary_caps_mentions_and_the_term_page_has_every_one() {
    let dir = site();
    let public = dir.path().join("public");
    let glossary = read(&public, "glossary/index.html");
    let entry = &glossary[glossary.find("id=\"zeta\"").unwrap()..];
    let mentions = &entry[entry.find("mentioned-in").unwrap()..entry.find("</dd>").unwrap()];
    assert_eq!(question_links(mentions).len(), 2, "{mentions}");
    assert!(
        mentions.contains("href=\"zeta/index.html\">all 7 pages"),
        "a link to the page of every mention: {mentions}"
    );
    // The term's own pages (paginated at per_page) list every mention.
    let mut listed = Vec::new();
    for n in 1.. {
        let path = match n {
            1 => "glossary/zeta/index.html".to_string(),
            _ => format!("glossary/zeta/page/{n}/index.html"),
        };
        if !public.join(&path).is_file() {
            break;
        }
        let page = read(&public, &path);
        listed.extend(question_links(&page[page.find("<main").unwrap()..]));
    }
    let want: Vec<String> = (1..=QUESTIONS).map(|n| format!("q{n}")).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        sorted, want,
        "every mention on the term's pages: {listed:?}"
    );
}

#[test]
fn the_feed_holds_the_most_recently_updated_questions() {
    let dir = site();
    let feed = read(&dir.path().join("public"), "atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 4, "{feed}");
    for n in 4..=QUESTIONS {
        assert!(
            feed.contains(&format!("Question number {n}?")),
            "q{n} is recent"
        );
    }
    assert!(!feed.contains("Question number 1?"), "q1 is the oldest");
}

/// The shard file of `word`: its first three characters, hex.
fn shard(public: &Path, word: &str) -> std::path::PathBuf {
    let key: String = word.bytes().take(3).map(|b| format!("{b:02x}")).collect();
    public.join(format!("search/t-{key}.js"))
}

#[test]
fn a_query_loads_only_the_shards_of_its_words() {
    let dir = site();
    let public = dir.path().join("public");
    let shards = std::fs::read_dir(public.join("search"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("t-")
        })
        .count();
    assert!(shards > 5, "the index is split: {shards} shards");
    // Each question's own word is in the shard of "qua", and only there.
    let quasar = std::fs::read_to_string(shard(&public, "quasar")).unwrap();
    for n in 1..=QUESTIONS {
        assert!(
            quasar.contains(&format!("quasar{n}")),
            "quasar{n} in {quasar}"
        );
    }
    let zeta = std::fs::read_to_string(shard(&public, "zeta")).unwrap();
    assert!(zeta.contains("zeta") && !zeta.contains("quasar"), "{zeta}");
}
