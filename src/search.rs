//! The offline search index: built at build time and shipped as scripts,
//! so search works from `file://` as well as on a host, with no server.
//!
//! Words are lowercased; Chinese, Japanese and Korean text, which has no
//! spaces, is indexed as overlapping character pairs (bigrams), so 中芯国际
//! is found by 中芯国际 or 芯国. `static/dossier.js` tokenizes queries the
//! same way.
//!
//! The index is split so that a query downloads little, whatever the size
//! of the site:
//!
//! - `search/t-KEY.js`: the postings of every token whose first two
//!   characters (one for CJK) are KEY (hex of their UTF-8): a query loads
//!   the one file per word it types, and the word being typed is completed
//!   from the same file;
//! - `search/d-N.js`: documents N×16 to N×16+15 (kind, title, path and the
//!   start of their text, for the result's snippet), loaded for the results
//!   shown.
//!
//! A token's postings are its documents by weight: a word in the title or
//! a term's names counts 8, in the short answer 3, in the text as often as
//! it occurs, up to 3. Postings of very common tokens are cut to the
//! [`MAX_POSTINGS`] heaviest.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::bodies::Bodies;
use crate::glossary::is_cjk;
use crate::link::Index;
use crate::load::hash_of;
use crate::output::OutputFile;
use crate::urls::paths;

/// Documents per `d-N.js` file.
pub const DOCS_PER_FILE: usize = 16;

/// Most postings kept per token (the heaviest).
pub const MAX_POSTINGS: usize = 4000;

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

/// The shard key of a token: its first three characters, one for CJK.
fn shard_key(token: &str) -> &str {
    let mut chars = token.char_indices();
    let take = match chars.next() {
        Some((_, c)) if is_cjk(c) => 1,
        _ => 3,
    };
    let end = token
        .char_indices()
        .nth(take)
        .map_or(token.len(), |(i, _)| i);
    token.get(..end).unwrap_or(token)
}

/// The file of a shard key: the key's UTF-8 bytes in hex, safe in any
/// file system and URL.
pub fn shard_path(key: &str) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("search/t-{hex}.js")
}

/// The file of document file `n`.
pub fn docs_path(n: usize) -> String {
    format!("search/d-{n}.js")
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
            tokens,
            excerpt: excerpt.into(),
        }
    }
}

/// A searchable document: what a result shows, and its extra weighted
/// fields.
struct Doc<'a> {
    kind: &'static str,
    title: String,
    path: String,
    summary: &'a str,
    names: String,
    abbr: &'a str,
    text: &'a DocText,
}

fn documents<'a>(index: &'a Index, bodies: &'a Bodies) -> Vec<Doc<'a>> {
    let questions = index
        .questions
        .iter()
        .zip(&bodies.questions)
        .map(|(q, b)| Doc {
            kind: "Question",
            title: q.item.title.clone(),
            path: q.path.clone(),
            summary: q.item.summary.as_deref().unwrap_or(""),
            names: String::new(),
            abbr: "",
            text: &b.search,
        });
    let events = index.events.iter().zip(&bodies.events).map(|(e, b)| Doc {
        kind: "Event",
        title: format!("{}: {}", e.item.date.human(), e.item.title),
        path: paths::event(&e.item.slug),
        summary: "",
        names: String::new(),
        abbr: "",
        text: &b.search,
    });
    let terms = index.terms.iter().zip(&bodies.terms).map(|(t, b)| Doc {
        kind: "Term",
        title: t.item.term.clone(),
        path: paths::term(&t.item.slug),
        summary: "",
        names: t
            .item
            .aliases
            .iter()
            .map(|a| a.value.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        abbr: t.item.abbr.as_deref().unwrap_or(""),
        text: &b.search,
    });
    let pages = index.pages.iter().zip(&bodies.pages).map(|(p, b)| Doc {
        kind: "Page",
        title: p.item.title.clone(),
        path: p.path.clone(),
        summary: p.item.description.as_deref().unwrap_or(""),
        names: String::new(),
        abbr: "",
        text: &b.search,
    });
    questions.chain(events).chain(terms).chain(pages).collect()
}

/// The number of document files of the site.
pub fn docs_files(index: &Index) -> usize {
    (index.questions.len() + index.events.len() + index.terms.len() + index.pages.len())
        .div_ceil(DOCS_PER_FILE)
        .max(1)
}

/// A token's postings: document numbers and weights.
type Postings = Vec<(u32, u16)>;

/// Builds every index file; returns each with a hash of its bytes, so that
/// `dossier serve` sends only the files that changed.
pub fn build(index: &Index, bodies: &Bodies, interner: &Interner) -> Vec<(u64, OutputFile)> {
    let docs = documents(index, bodies);
    // Postings by token, gathered in parallel over the documents.
    let postings: HashMap<u32, Postings> = docs
        .par_iter()
        .enumerate()
        .fold(
            HashMap::new,
            |mut map: HashMap<u32, Postings>, (id, doc)| {
                let mut weights: BTreeMap<u32, u16> = doc
                    .text
                    .tokens
                    .iter()
                    .map(|&(t, w)| (t, u16::from(w)))
                    .collect();
                for (text, weight) in [
                    (doc.title.as_str(), 8),
                    (doc.names.as_str(), 8),
                    (doc.summary, 3),
                    (doc.abbr, 3),
                ] {
                    let mut seen = Vec::new();
                    for_each_token(text, |t| {
                        let token = interner.intern(t);
                        if !seen.contains(&token) {
                            seen.push(token);
                            *weights.entry(token).or_insert(0) += weight;
                        }
                    });
                }
                for (token, weight) in weights {
                    map.entry(token).or_default().push((id as u32, weight));
                }
                map
            },
        )
        .reduce(HashMap::new, |mut a, b| {
            for (token, list) in b {
                a.entry(token).or_default().extend(list);
            }
            a
        });
    // Tokens by shard key.
    let mut shards: BTreeMap<String, Vec<(Arc<str>, Postings)>> = BTreeMap::new();
    for (token, list) in postings {
        if let Some(text) = interner.text(token) {
            shards
                .entry(shard_key(&text).to_string())
                .or_default()
                .push((text, list));
        }
    }
    let keys: Vec<&String> = shards.keys().collect();
    let keys_json = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".to_string());
    let keys_file = file(
        "search/keys.js".to_string(),
        format!(
            "window.DOSSIER_KEYS={};\n",
            crate::html::json_in_script(&keys_json)
        ),
    );
    let mut files: Vec<(u64, OutputFile)> = shards
        .into_par_iter()
        .map(|(key, mut tokens)| {
            tokens.sort_by(|a, b| a.0.cmp(&b.0));
            let mut json = String::with_capacity(4096);
            json.push('{');
            for (i, (token, mut list)) in tokens.into_iter().enumerate() {
                if list.len() > MAX_POSTINGS {
                    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                    list.truncate(MAX_POSTINGS);
                }
                list.sort_unstable();
                if i > 0 {
                    json.push(',');
                }
                json.push_str(&serde_json::to_string(&*token).unwrap_or_default());
                json.push_str(":[");
                // Document numbers as differences from the previous one.
                let mut last = 0;
                for (j, (doc, weight)) in list.iter().enumerate() {
                    if j > 0 {
                        json.push(',');
                    }
                    json.push_str(&format!("{},{weight}", doc - last));
                    last = *doc;
                }
                json.push(']');
            }
            json.push('}');
            let key_json = serde_json::to_string(&key).unwrap_or_default();
            let script = format!(
                "(window.DOSSIER_TOKENS=window.DOSSIER_TOKENS||{{}})[{}]={};\n",
                crate::html::json_in_script(&key_json),
                crate::html::json_in_script(&json)
            );
            file(shard_path(&key), script)
        })
        .collect();
    let chunks: Vec<&[Doc<'_>]> = docs.chunks(DOCS_PER_FILE).collect();
    files.par_extend(chunks.par_iter().enumerate().map(|(n, chunk)| {
        let rows: Vec<(&str, &str, &str, &str)> = chunk
            .iter()
            .map(|d| {
                let shown = if d.summary.is_empty() {
                    &*d.text.excerpt
                } else {
                    d.summary
                };
                (d.kind, d.title.as_str(), d.path.as_str(), shown)
            })
            .collect();
        let json = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_string());
        let script = format!(
            "(window.DOSSIER_DOCS=window.DOSSIER_DOCS||{{}})[{n}]={};\n",
            crate::html::json_in_script(&json)
        );
        file(docs_path(n), script)
    }));
    files.push(keys_file);
    files.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    files
}

fn file(path: String, text: String) -> (u64, OutputFile) {
    (
        hash_of(&text),
        OutputFile {
            path,
            bytes: text.into_bytes(),
        },
    )
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
    fn tokens_go_to_the_shard_of_their_first_characters() {
        assert_eq!(shard_key("ascend"), "asc");
        assert_eq!(shard_key("as"), "as");
        assert_eq!(shard_key("中芯"), "中");
        assert_eq!(shard_path("as"), "search/t-6173.js");
        assert_eq!(shard_path("中"), "search/t-e4b8ad.js");
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
