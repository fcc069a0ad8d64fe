//! The words of a text as the search index counts them: lowercase words,
//! and overlapping pairs of characters (bigrams) in Chinese, Japanese and
//! Korean text, which has no spaces. Each body's words are counted while
//! the body is rendered (one parse per body), so this sits below both the
//! body stage and the search index that gathers them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::glossary::is_cjk;
use crate::load::hash_of;

/// Characters of a document's text kept for its snippet.
const EXCERPT: usize = 320;

/// Calls `f` with each token of `text`: lowercase words of two characters
/// or more, and bigrams of CJK runs (a lone CJK character is kept as it
/// is). One buffer is reused, so tokenizing allocates almost nothing.
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut word_chars = 0;
    let mut cjk: Vec<char> = Vec::new();
    let mut pair = String::new();
    let flush_word = |word: &mut String, chars: &mut usize, f: &mut dyn FnMut(&str)| {
        if *chars >= 2 {
            f(word);
        }
        word.clear();
        *chars = 0;
    };
    let mut flush_cjk = |cjk: &mut Vec<char>, f: &mut dyn FnMut(&str)| {
        if let [only] = cjk.as_slice() {
            pair.clear();
            pair.push(*only);
            f(&pair);
        }
        for w in cjk.windows(2) {
            pair.clear();
            pair.extend(w);
            f(&pair);
        }
        cjk.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut word_chars, &mut f);
            cjk.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut f);
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
            word_chars += 1;
        } else {
            flush_word(&mut word, &mut word_chars, &mut f);
            flush_cjk(&mut cjk, &mut f);
        }
    }
    flush_word(&mut word, &mut word_chars, &mut f);
    flush_cjk(&mut cjk, &mut f);
}

/// The tokens of `text` (see [`for_each_token`]).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

const INTERNER_SHARDS: usize = 16;

/// Token strings by number, shared by every document of a build (and kept
/// between the builds of `dossier serve`): a document's tokens are kept as
/// numbers, four bytes each, not strings.
#[derive(Debug, Default)]
pub struct Interner {
    shards: [Mutex<InternerShard>; INTERNER_SHARDS],
}

/// One shard of the interner: numbers by text, texts by number.
type InternerShard = (HashMap<Arc<str>, u32>, Vec<Arc<str>>);

impl Interner {
    fn shard_of(token: &str) -> usize {
        (hash_of(token) as usize) % INTERNER_SHARDS
    }

    /// The number of `token`, given one the first time it is seen.
    pub fn intern(&self, token: &str) -> u32 {
        let s = Self::shard_of(token);
        let Some(shard) = self.shards.get(s) else {
            return 0;
        };
        let Ok(mut guard) = shard.lock() else {
            return 0;
        };
        let (by_text, texts) = &mut *guard;
        if let Some(&id) = by_text.get(token) {
            return id;
        }
        let local = texts.len() as u32;
        let text: Arc<str> = token.into();
        texts.push(text.clone());
        let id = (local << 4) | s as u32;
        by_text.insert(text, id);
        id
    }

    /// The text of a token number.
    pub fn text(&self, id: u32) -> Option<Arc<str>> {
        let shard = self.shards.get((id & 0xf) as usize)?.lock().ok()?;
        shard.1.get((id >> 4) as usize).cloned()
    }
}

/// What a document gives the index from its body: each token of its text
/// with a weight (how often it occurs, up to 3), and the start of the text.
#[derive(Debug, Clone, Default)]
pub struct DocText {
    /// Token numbers and weights, sorted by number.
    pub tokens: Vec<(u32, u8)>,
    /// The start of the text, for the result's snippet.
    pub excerpt: Box<str>,
    /// A hash of both, to tell a changed document from an unchanged one.
    pub hash: u64,
}

impl DocText {
    /// The tokens and excerpt of a body's plain text.
    pub fn of(text: &str, interner: &Interner) -> DocText {
        // Counted by text first, so that each distinct token is interned
        // (a lock and a lookup) once per document, not once per occurrence.
        let mut counts: foldhash::HashMap<Box<str>, u8> = foldhash::HashMap::default();
        for_each_token(text, |t| match counts.get_mut(t) {
            Some(n) => *n = n.saturating_add(1).min(3),
            None => {
                counts.insert(t.into(), 1);
            }
        });
        let mut tokens: Vec<(u32, u8)> = counts
            .into_iter()
            .map(|(t, n)| (interner.intern(&t), n))
            .collect();
        tokens.sort_unstable();
        let trimmed = text.trim();
        let mut excerpt: String = trimmed.chars().take(EXCERPT).collect();
        if excerpt.len() < trimmed.len() {
            excerpt.push('…');
        }
        DocText {
            hash: hash_of(&(&tokens, &excerpt)),
            tokens,
            excerpt: excerpt.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_cjk_text_is_split_into_bigrams() {
        assert_eq!(
            tokens("Huawei's Ascend 910C!"),
            ["huawei", "ascend", "910c"]
        );
        assert_eq!(tokens("中芯国际"), ["中芯", "芯国", "国际"]);
        assert_eq!(tokens("华为昇腾 chips"), ["华为", "为昇", "昇腾", "chips"]);
        assert_eq!(tokens("a 中 b"), ["中"]);
    }

    #[test]
    fn documents_keep_token_numbers_and_capped_weights() {
        let interner = Interner::default();
        let doc = DocText::of("Grid grid GRID grid, and the grid.", &interner);
        let grid = interner.intern("grid");
        assert!(doc.tokens.contains(&(grid, 3)), "{:?}", doc.tokens);
        assert_eq!(interner.text(grid).as_deref(), Some("grid"));
        assert_eq!(doc.tokens.len(), 3, "grid, and, the");
    }
}
