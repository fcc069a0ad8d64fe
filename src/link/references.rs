//! Checking references: `@/` links and their anchors, local files named by
//! path, and slugs named in front-matter; each failure is a diagnostic with
//! the nearest name.

use crate::content::At;
use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::markdown::Analysis;

use super::targets::split_dest;
use super::{Analyses, Index, TargetKind};

/// Checks every reference and problem of one body.
pub(super) fn check_body(
    index: &Index,
    analyses: &Analyses<'_>,
    source: &Source,
    analysis: &Analysis,
    problems: &mut Vec<Diagnostic>,
) {
    let in_file =
        |r: &std::ops::Range<usize>| source.body.start + r.start..source.body.start + r.end;
    for p in &analysis.problems {
        problems.push(
            Diagnostic::error(p.message.clone(), source.span(in_file(&p.range)))
                .with_label(p.label.clone())
                .with_help(p.help.clone()),
        );
    }
    for link in &analysis.links {
        if let Some(d) = check_link(index, analyses, source, &link.dest, in_file(&link.range)) {
            problems.push(d);
        }
    }
    for local in &analysis.local {
        let range = in_file(&local.range);
        let what = if local.image { "image" } else { "file or page" };
        let Some(path) = index.local_path(&source.rel, &local.url) else {
            problems.push(
                Diagnostic::error(
                    format!("`{}` leads outside the site", local.url),
                    source.span(range),
                )
                .with_label("above the site's root")
                .with_help("remove some `../`, or link to the address with https://"),
            );
            continue;
        };
        let exists = if local.image {
            index.exists(&path) && !path.ends_with('/')
        } else {
            index.exists(&path)
        };
        if !exists {
            problems.push(
                Diagnostic::error(
                    format!("the {what} `{}` does not exist: no {path} in the site", local.url),
                    source.span(range),
                )
                .with_label(format!("no such {what}"))
                .with_help(if local.url.starts_with('/') {
                    format!("put the file at static/{path}; a path that starts with / starts from the site's root")
                } else {
                    format!(
                        "put the file at static/{path}, or beside the page in a bundle (content/{}index.md with the file next to it); a path without a leading / starts from the page's own folder",
                        bundle_hint(&source.rel)
                    )
                }),
            );
        }
    }
}

/// The bundle folder a document would have: `faq/x/` for `faq/x.md`.
fn bundle_hint(rel: &str) -> String {
    match rel.strip_suffix("/index.md") {
        Some(b) => format!("{b}/"),
        None => format!("{}/", rel.strip_suffix(".md").unwrap_or(rel)),
    }
}

/// Checks one `@/` link; returns a diagnostic when it points nowhere.
fn check_link(
    index: &Index,
    analyses: &Analyses<'_>,
    source: &Source,
    dest: &str,
    range: std::ops::Range<usize>,
) -> Option<Diagnostic> {
    let (file, anchor) = split_dest(dest);
    let Some(target) = index.targets.get(file) else {
        // An untranslated file: the link leads to the original, whose
        // anchors the default language's build checks.
        if index.is_untranslated(dest) {
            return None;
        }
        let known = index.targets.names();
        let help = match nearest_name(file, &known) {
            Some(near) => format!("did you mean `@/{near}`? Links name a file under content/, e.g. `@/faq/slug.md`"),
            None => "links name a file under content/, e.g. `@/faq/slug.md`, `@/glossary/term.md`, `@/timeline/event.md`".to_string(),
        };
        return Some(
            Diagnostic::error(
                format!("link to a file that does not exist: `{dest}`"),
                source.span(range),
            )
            .with_label("no such content file")
            .with_help(help),
        );
    };
    let anchor = anchor?;
    let headings = match target.kind {
        TargetKind::Question(i) => analyses.questions.get(i),
        TargetKind::Page(i) => analyses.pages.get(i),
        TargetKind::Event(_) | TargetKind::Term(_) => {
            return Some(
                Diagnostic::error(
                    format!("`{dest}` names an anchor, but events and terms have one anchor of their own"),
                    source.span(range),
                )
                .with_label("anchor not allowed here")
                .with_help(format!("link to `@/{file}` without `#{anchor}`")),
            );
        }
        TargetKind::Section | TargetKind::File => None,
    };
    let mut known: Vec<&str> = headings
        .map(|a| a.headings.iter().map(|h| h.id.as_str()).collect())
        .unwrap_or_default();
    if known.contains(&anchor) {
        return None;
    }
    known.sort_unstable();
    let help = match nearest_name(anchor, &known) {
        Some(near) => format!(
            "did you mean `#{near}`? The headings of {file} have the anchors: {}",
            known.join(", ")
        ),
        None if known.is_empty() => {
            format!("{file} has no headings to link to; link to the page itself")
        }
        None => format!(
            "the headings of {file} have the anchors: {}",
            known.join(", ")
        ),
    };
    Some(
        Diagnostic::error(
            format!("link to an anchor that does not exist: `{dest}`"),
            source.span(range),
        )
        .with_label("no heading with this anchor")
        .with_help(help),
    )
}

/// The known name closest to `name`, when it is close enough to be a typo.
pub(super) fn nearest_name<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Resolves slugs named in front-matter (`related`, `faq`, `see_also`) to
/// indexes into `known`; each missing one is a diagnostic.
pub(super) fn resolve_slugs(
    source: &Source,
    refs: &[At<String>],
    key: &str,
    kind: &str,
    known: &super::SlugIndex<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut found = Vec::new();
    for r in refs {
        match known.position.get(r.value.as_str()) {
            Some(&i) => {
                if !found.contains(&i) {
                    found.push(i);
                }
            }
            None => {
                let help = match nearest_name(&r.value, &known.slugs) {
                    Some(near) => format!(
                        "did you mean `{near}`? `{key}` lists {kind} slugs (file names without .md)"
                    ),
                    None => format!("`{key}` lists {kind} slugs (file names without .md)"),
                };
                problems.push(
                    Diagnostic::error(
                        format!("`{key}` names a {kind} that does not exist: `{}`", r.value),
                        source.span(r.range.clone()),
                    )
                    .with_label(format!("no {kind} with this slug"))
                    .with_help(help),
                );
            }
        }
    }
    found
}
