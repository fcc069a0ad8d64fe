//! Problems that do not stop a build: shared spellings, unused terms and
//! plans whose date has passed.

use std::collections::HashMap;

use crate::content::{Event, Item, Status, Term};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// Warns when two terms share a spelling: only one of them could be linked.
pub(super) fn spelling_collisions(terms: &[Item<Term>]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut warnings = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let own = std::iter::once((t.term.as_str(), crate::content::find_key(&t.source, "term")));
        let aliases = t
            .aliases
            .iter()
            .map(|a| (a.value.as_str(), a.range.clone()));
        for (name, range) in own.chain(aliases) {
            let key = name.trim().to_lowercase();
            match seen
                .get(&key)
                .and_then(|&j| terms.get(j).map(|other| (j, other)))
            {
                Some((j, other)) if j != i => warnings.push(
                    Diagnostic::error(
                        format!(
                            "`{name}` is a spelling of two terms: {} and {}",
                            other.source.path.display(),
                            t.source.path.display()
                        ),
                        t.source.span(range),
                    )
                    .warning()
                    .with_label("also used by another term")
                    .with_help("remove it from the `term` or `aliases` of one of the two files"),
                ),
                Some(_) => {}
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
    warnings
}

/// Warns about planned or projected events whose date is over: they have
/// either happened (set `status = "happened"`) or not.
pub(super) fn passed_plans(events: &[Item<Event>], today: jiff::civil::Date) -> Vec<Diagnostic> {
    events
        .iter()
        .filter(|e| matches!(e.status, Status::Planned | Status::Projected))
        .filter(|e| e.end.unwrap_or(e.date).last_day() < today)
        .map(|e| {
            Diagnostic::error(
                format!(
                    "this event is still marked `{}` but its date, {}, has passed (the build's date is {today})",
                    e.status.key(),
                    e.end.unwrap_or(e.date)
                ),
                e.source.span(find_in_front_matter(&e.source, "status")),
            )
            .warning()
            .with_label("out of date status")
            .with_help("set `status = \"happened\"` if it took place, or update the date and text if it did not")
        })
        .collect()
}

/// Warns about a term that no question, event or page uses.
pub(super) fn unused_term(term: &Item<Term>) -> Diagnostic {
    Diagnostic::error(
        format!(
            "the term `{}` is not used by any question or event",
            term.term
        ),
        term.source.span(0..0),
    )
    .warning()
    .with_label("unused term")
    .with_help(
        "mention it (or one of its `aliases`) in an answer, event or page, or remove the file",
    )
}

/// Byte range of the first occurrence of `needle` in the front-matter.
pub(super) fn find_in_front_matter(source: &Source, needle: &str) -> std::ops::Range<usize> {
    match source.front_matter_text().find(needle) {
        Some(i) => {
            let at = source.front_matter.start + i;
            at..at + needle.len()
        }
        None => 0..0,
    }
}
