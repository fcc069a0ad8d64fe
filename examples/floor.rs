//! The floor for build benchmarks: read every question, run pulldown-cmark,
//! write one HTML file per question. No templates, links, glossary or
//! anything else dossier does; single-threaded, like the figure in the
//! performance issue. `bench/bench_build.py` runs it beside dossier.
//!
//! Usage: floor SITE_DIR OUTPUT_DIR
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("usage: floor SITE OUTPUT"));
    let out = PathBuf::from(args.next().expect("usage: floor SITE OUTPUT"));
    let mut count = 0;
    for entry in std::fs::read_dir(site.join("content/faq")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Skip the front-matter: everything up to the second `+++` line.
        let body = text.splitn(3, "+++").nth(2).unwrap_or(&text);
        let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, parser);
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = out.join("faq").join(slug);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), html).unwrap();
        count += 1;
    }
    eprintln!("floor: {count} pages");
}
