//! Element ids inside one body: headings, footnotes, charts and glossary
//! previews share one allocator, so no two elements of a body get the same
//! id, and none takes an id the page templates use.
//!
//! On pages that hold many documents (timeline, glossary, print edition)
//! every id of a document is prefixed with its slug and a dot
//! (`us-export-controls-2022.fn-1`). Slugs never contain a dot, so ids of
//! different documents cannot meet, nor meet the templates' own ids.

use std::collections::HashSet;

/// Ids used by the built-in page templates; a body never takes one of
/// these (a test checks the list against the templates).
pub const RESERVED_IDS: &[&str] = &[
    "answer",
    "content",
    "events",
    "glossary",
    "key-figures-heading",
    "main",
    "mentioned-in",
    "more-heading",
    "print-glossary",
    "print-questions",
    "print-timeline",
    "questions",
    "questions-heading",
    "related",
    "related-heading",
    "search-input",
    "search-results",
    "search-status",
    "sources",
    "sources-heading",
    "summary",
    "tags",
    "tags-heading",
    "terms",
    "terms-heading",
    "timeline",
    "timeline-heading",
    "top",
];

/// The ids taken in one body so far.
#[derive(Debug)]
pub(crate) struct Ids {
    used: HashSet<String>,
    prefix: String,
}

impl Ids {
    /// An allocator for a body whose ids get `prefix` (`""` on the body's
    /// own page, `"slug."` on shared pages).
    pub(crate) fn for_document(prefix: &str) -> Ids {
        Ids {
            used: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
            prefix: prefix.to_string(),
        }
    }

    /// Marks ids as taken (the headings, when rendering after analysis).
    pub(crate) fn reserve<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        self.used.extend(ids.into_iter().map(str::to_string));
    }

    /// The id of a heading: the one written with `{#id}`, or a slug of its
    /// text, with `-1`, `-2`... on repeats. Returned without the prefix.
    pub(crate) fn heading(&mut self, written: Option<&str>, text: &str) -> String {
        let base = match written {
            Some(w) => w.to_string(),
            None => {
                let s = slug::slugify(text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        self.unique(&base)
    }

    /// A fresh id starting with `base`, with the prefix.
    pub(crate) fn take(&mut self, base: &str) -> String {
        let id = self.unique(base);
        format!("{}{id}", self.prefix)
    }

    /// The prefixed form of an id allocated earlier.
    pub(crate) fn prefixed(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    /// Takes `id` (without the prefix) if it is free; false if taken.
    pub(crate) fn claim(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }

    /// A fresh id starting with `base`, without the prefix.
    pub(crate) fn unique(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 1;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_literal_id_of_the_built_in_templates_is_reserved() {
        for (name, text) in crate::theme::TEMPLATES {
            let mut rest = *text;
            while let Some(at) = rest.find(" id=\"") {
                rest = rest.get(at + 5..).unwrap_or("");
                let id = rest.split('"').next().unwrap_or("");
                if !id.contains("{{") && !id.is_empty() {
                    assert!(
                        RESERVED_IDS.contains(&id),
                        "{name}: id `{id}` is not reserved"
                    );
                }
            }
        }
    }

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids = Ids::for_document("e.");
        assert_eq!(ids.heading(None, "Sources"), "sources-1");
        assert_eq!(ids.take("fn-1"), "e.fn-1");
        assert_eq!(ids.take("fn-1"), "e.fn-1-1");
        assert_eq!(ids.heading(Some("fn-1"), "x"), "fn-1-2");
    }
}
