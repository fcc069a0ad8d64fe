//! Each Markdown body is parsed exactly once per full build, and a rebuild
//! after an edit parses only the edited body. (One test in its own binary:
//! the parse counter is per process.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use dossier::markdown::parse_count;
use dossier::pipeline::{Build, Change, Collect};
use dossier::settings::Settings;

#[test]
fn a_build_parses_each_body_once_and_a_rebuild_only_the_edited_one() {
    let site = common::copy_site(&common::repo_root());
    let root = site.path();
    let bodies = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert!(bodies > 40, "the flagship has {bodies} content files");
    let mut settings = Settings::new(root).unwrap();
    settings.today = dossier::settings::date_of_epoch(common::BUILD_DATE).unwrap();

    // A full build (the flagship has the print edition on: its bodies are
    // rendered twice, from the same parse).
    let before = parse_count();
    Build::once(settings.clone())
        .run(&Change::Everything, &Collect::default())
        .unwrap();
    assert_eq!(parse_count() - before, bodies, "one parse per body");

    // `dossier serve`: the first run parses everything, an edit one body.
    let mut serve = Build::incremental(settings);
    let before = parse_count();
    serve.run(&Change::Everything, &Collect::default()).unwrap();
    assert_eq!(parse_count() - before, bodies);
    let file = root.join("content/faq/global-supply-chains.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nOne more sentence at the end.\n")).unwrap();
    let before = parse_count();
    let changed = Collect::default();
    let report = serve
        .run(&Change::Paths(BTreeSet::from([file])), &changed)
        .unwrap();
    assert_eq!(
        parse_count() - before,
        1,
        "only the edited body is parsed again"
    );
    let files = changed.into_files();
    assert!(
        files
            .iter()
            .any(|f| f.path == "faq/global-supply-chains/index.html"),
        "the edited page is rendered: {:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert_eq!(report.change, Some(dossier::pipeline::ChangeKind::Body));
}
