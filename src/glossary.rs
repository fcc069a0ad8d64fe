//! Finding glossary terms in running text, for automatic links.
//!
//! All terms and aliases go into one Aho-Corasick automaton (leftmost
//! longest, ASCII case-insensitive), so the cost of scanning a text does not
//! grow with the number of terms, and "Ascend 910C" wins over "Ascend".

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A match of a term in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch {
    /// Index of the term (into the list given to [`Autolinker::new`]).
    pub term: usize,
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// The automaton over every spelling of every term.
#[derive(Debug, Clone)]
pub struct Autolinker {
    automaton: Option<AhoCorasick>,
    /// For each pattern, the term it belongs to.
    owner: Vec<usize>,
}

impl Autolinker {
    /// Builds the automaton. `spellings[i]` lists the term `i` and its
    /// aliases. Empty spellings are ignored.
    pub fn new(spellings: &[Vec<&str>]) -> Autolinker {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (term, names) in spellings.iter().enumerate() {
            for name in names {
                let name = name.trim();
                if !name.is_empty() {
                    patterns.push(name.to_string());
                    owner.push(term);
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .ok();
        Autolinker { automaton, owner }
    }

    /// Every whole-word match in `text`, left to right, never overlapping.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        self.matches(text).collect()
    }

    /// Like [`Autolinker::find`], lazily.
    pub fn matches<'a>(&'a self, text: &'a str) -> impl Iterator<Item = TermMatch> + 'a {
        self.automaton
            .iter()
            .flat_map(move |a| a.find_iter(text))
            .filter(move |m| is_word_boundary(text, m.start(), m.end()))
            .filter_map(move |m| {
                Some(TermMatch {
                    term: *self.owner.get(m.pattern().as_usize())?,
                    start: m.start(),
                    end: m.end(),
                })
            })
    }
}

/// True when the match is not part of a longer word: the characters on
/// either side are not letters or digits. CJK text has no spaces between
/// words, so a CJK term matches anywhere.
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let matched = text.get(start..end).unwrap_or("");
    let before = text.get(..start).unwrap_or("").chars().next_back();
    let after = text.get(end..).unwrap_or("").chars().next();
    let first = matched.chars().next();
    let last = matched.chars().next_back();
    let joins = |outside: Option<char>, inside: Option<char>| match (outside, inside) {
        (Some(o), Some(i)) => {
            o.is_alphanumeric() && i.is_alphanumeric() && !is_cjk(o) && !is_cjk(i)
        }
        _ => false,
    };
    !joins(before, first) && !joins(after, last)
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Autolinker {
        Autolinker::new(&[
            vec!["Ascend"],
            vec!["Ascend 910C"],
            vec!["HBM", "high-bandwidth memory"],
            vec!["中芯国际"],
        ])
    }

    #[test]
    fn longest_match_wins_and_case_is_ignored() {
        let m = linker().find("The ascend 910c and the Ascend line.");
        assert_eq!(m.iter().map(|m| m.term).collect::<Vec<_>>(), [1, 0]);
        assert_eq!((m[0].start, m[0].end), (4, 15));
    }

    #[test]
    fn only_whole_words_match() {
        assert!(linker().find("HBMs and ascendancy").is_empty());
        assert_eq!(linker().find("(HBM)")[0].term, 2);
        assert_eq!(linker().find("High-Bandwidth Memory chips")[0].term, 2);
    }

    #[test]
    fn cjk_terms_match_inside_cjk_text() {
        assert_eq!(linker().find("报道称中芯国际扩产")[0].term, 3);
    }
}
