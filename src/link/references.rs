//! Checking references: `@/` links, their anchors, and slugs named in
//! front-matter; each failure is a diagnostic with the nearest name.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::content::SlugRef;
use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::markdown::Analysis;

use super::{Target, split_dest};

/// Checks one `@/` link; returns a diagnostic when it points nowhere.
pub(super) fn check_link(
    targets: &HashMap<Arc<str>, Target>,
    source: &Source,
    dest: &str,
    range: std::ops::Range<usize>,
) -> Option<Diagnostic> {
    let range = range.start + source.body.start..range.end + source.body.start;
    let (file, anchor) = split_dest(dest);
    let Some(target) = targets.get(file) else {
        let known: Vec<&str> = targets.keys().map(|k| &**k).collect();
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
    match &target.anchors {
        None => Some(
            Diagnostic::error(
                format!(
                    "`{dest}` names an anchor, but events and terms have one anchor of their own"
                ),
                source.span(range),
            )
            .with_label("anchor not allowed here")
            .with_help(format!("link to `@/{file}` without `#{anchor}`")),
        ),
        Some(page) if !page.headings.iter().any(|h| h.id == anchor) => {
            let mut known: Vec<&str> = page.headings.iter().map(|h| h.id.as_str()).collect();
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
        Some(_) => None,
    }
}

pub(super) fn nearest_name<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

pub(super) fn resolve_slugs(
    source: &Source,
    refs: &[SlugRef],
    key: &str,
    kind: &str,
    index: &HashMap<&str, usize>,
    known: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut found = Vec::new();
    for r in refs {
        match index.get(r.slug.as_str()) {
            Some(&i) => {
                if !found.contains(&i) {
                    found.push(i);
                }
            }
            None => {
                let help = match nearest_name(&r.slug, known) {
                    Some(near) => format!(
                        "did you mean `{near}`? `{key}` lists {kind} slugs (file names without .md)"
                    ),
                    None => format!("`{key}` lists {kind} slugs (file names without .md)"),
                };
                problems.push(
                    Diagnostic::error(
                        format!("`{key}` names a {kind} that does not exist: `{}`", r.slug),
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

/// The terms a document links automatically: those it mentions that are not
/// yet linked on its page (`on_page`, updated), never the document's own term.
pub(super) fn autolinks_for(
    enabled: bool,
    analysis: &Analysis,
    on_page: &mut HashSet<usize>,
    own: Option<usize>,
) -> Vec<usize> {
    if !enabled {
        return Vec::new();
    }
    analysis
        .mentions
        .iter()
        .copied()
        .filter(|&t| Some(t) != own && on_page.insert(t))
        .collect()
}
