//! The offline search index: built at build time and shipped as a script
//! (`search-index.HASH.js`), so search works from `file://` as well as on
//! a host, with no server.
//!
//! Words are lowercased; Chinese, Japanese and Korean text, which has no
//! spaces, is indexed as overlapping character pairs (bigrams), so 中芯国际
//! is found by 中芯国际 or 芯国. `static/dossier.js` tokenizes queries the
//! same way.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::bodies::Bodies;
use crate::glossary::is_cjk;
use crate::link::Index;
use crate::load::hash_of;
use crate::output::OutputFile;
use crate::urls::paths;

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

/// How many documents one index file holds. The index is split so that
/// `dossier serve` rebuilds only the part an edit touches.
pub const CHUNK: usize = 64;

/// One index file as shipped: its documents, and for each token the
/// documents (numbered within the file) and weights as a flat list.
#[derive(Serialize)]
struct Chunk {
    /// `[kind, title, site path, snippet]`
    docs: Vec<(&'static str, String, String, String)>,
    index: BTreeMap<String, Vec<u32>>,
}

/// A searchable document before indexing.
struct Doc<'a> {
    kind: &'static str,
    title: String,
    path: String,
    /// Hash of the file it comes from, for reuse.
    hash: u64,
    text: &'a str,
    summary: &'a str,
    names: String,
    abbr: &'a str,
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
            hash: q.item.source.hash,
            text: &b.analysis.text,
            summary: q.item.summary.as_deref().unwrap_or(""),
            names: String::new(),
            abbr: "",
        });
    let events = index.events.iter().zip(&bodies.events).map(|(e, b)| Doc {
        kind: "Event",
        title: format!("{}: {}", e.item.date.human(), e.item.title),
        path: paths::event(&e.item.slug),
        hash: e.item.source.hash,
        text: &b.analysis.text,
        summary: "",
        names: String::new(),
        abbr: "",
    });
    let terms = index.terms.iter().zip(&bodies.terms).map(|(t, b)| Doc {
        kind: "Term",
        title: t.item.term.clone(),
        path: paths::term(&t.item.slug),
        hash: t.item.source.hash,
        text: &b.analysis.text,
        summary: "",
        names: t
            .item
            .aliases
            .iter()
            .map(|a| a.value.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        abbr: t.item.abbr.as_deref().unwrap_or(""),
    });
    let pages = index.pages.iter().zip(&bodies.pages).map(|(p, b)| Doc {
        kind: "Page",
        title: p.item.title.clone(),
        path: p.path.clone(),
        hash: p.item.source.hash,
        text: &b.analysis.text,
        summary: p.item.description.as_deref().unwrap_or(""),
        names: String::new(),
        abbr: "",
    });
    questions.chain(events).chain(terms).chain(pages).collect()
}

fn snippet(text: &str) -> String {
    let mut s: String = text.trim().chars().take(160).collect();
    if s.len() < text.trim().len() {
        s.push('…');
    }
    s
}

/// The path of index file `n`.
pub fn chunk_path(n: usize) -> String {
    format!("search/index-{n}.js")
}

/// The number of index files for the site.
pub fn chunk_count(index: &Index) -> usize {
    (index.questions.len() + index.events.len() + index.terms.len() + index.pages.len())
        .div_ceil(CHUNK)
        .max(1)
}

/// Builds the index files, reusing `previous` files whose documents did not
/// change. Returns each file with its key.
pub fn build(
    index: &Index,
    bodies: &Bodies,
    previous: &[(u64, OutputFile)],
) -> Vec<(u64, OutputFile)> {
    use rayon::prelude::*;
    let docs = documents(index, bodies);
    let chunks: Vec<&[Doc<'_>]> = if docs.is_empty() {
        vec![&[]]
    } else {
        docs.chunks(CHUNK).collect()
    };
    chunks
        .par_iter()
        .enumerate()
        .map(|(n, chunk)| {
            let key = hash_of(
                &chunk
                    .iter()
                    .map(|d| (d.kind, &d.title, &d.path, d.hash, d.summary))
                    .collect::<Vec<_>>(),
            );
            if let Some((k, file)) = previous.get(n)
                && *k == key
            {
                return (key, file.clone());
            }
            let mut entries = Vec::with_capacity(chunk.len());
            let mut weights: foldhash::HashMap<String, Vec<u32>> = foldhash::HashMap::default();
            let mut add = |token: &str, id: u32, weight: u32| match weights.get_mut(token) {
                Some(list) => match list.chunks_exact_mut(2).find(|p| p.first() == Some(&id)) {
                    Some(p) => {
                        if let Some(w) = p.get_mut(1) {
                            *w += weight;
                        }
                    }
                    None => list.extend([id, weight]),
                },
                None => {
                    weights.insert(token.to_string(), vec![id, weight]);
                }
            };
            for (id, doc) in chunk.iter().enumerate() {
                let body = doc.text;
                let (summary, names, abbr) = (doc.summary, doc.names.as_str(), Some(doc.abbr));
                // A word in the title or names counts most, in the short answer
                // next, and in the text by how often it occurs, up to three.
                let id = id as u32;
                let fields = [
                    (doc.title.as_str(), 8),
                    (names, 8),
                    (summary, 3),
                    (abbr.unwrap_or(""), 3),
                ];
                for (text, weight) in fields {
                    let unique: std::collections::BTreeSet<String> =
                        tokens(text).into_iter().collect();
                    for token in unique {
                        add(&token, id, weight);
                    }
                }
                let mut counts: foldhash::HashMap<String, u32> = foldhash::HashMap::default();
                for_each_token(body, |t| match counts.get_mut(t) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(t.to_string(), 1);
                    }
                });
                for (token, n) in counts {
                    add(&token, id, n.min(3));
                }
                let shown = if summary.is_empty() { body } else { summary };
                entries.push((
                    doc.kind,
                    doc.title.clone(),
                    doc.path.clone(),
                    snippet(shown),
                ));
            }
            // Sorted, so that the same documents always give the same bytes.
            let index: BTreeMap<String, Vec<u32>> = weights.into_iter().collect();
            let json = serde_json::to_string(&Chunk {
                docs: entries,
                index,
            })
            .unwrap_or_else(|_| "{}".to_string());
            let script = format!(
                "(window.DOSSIER_SEARCH=window.DOSSIER_SEARCH||[]).push({});\n",
                json.replace("</", "<\\/")
            );
            (
                key,
                OutputFile {
                    path: chunk_path(n),
                    bytes: script.into_bytes(),
                },
            )
        })
        .collect()
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
}
