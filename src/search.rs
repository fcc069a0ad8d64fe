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

use crate::glossary::is_cjk;
use crate::link::{Site, paths};
use crate::load::hash_of;
use crate::markdown;
use crate::render::OutputFile;

/// Tokens of `text`: lowercase words of two characters or more, and
/// bigrams of CJK runs (a lone CJK character is kept as it is).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if word.chars().count() >= 2 {
            out.push(std::mem::take(word));
        } else {
            word.clear();
        }
    };
    let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<String>| {
        match cjk.len() {
            0 => {}
            1 => out.extend(cjk.iter().map(|c| c.to_string())),
            _ => out.extend(cjk.windows(2).map(|w| w.iter().collect::<String>())),
        }
        cjk.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_word(&mut word, &mut out);
            flush_cjk(&mut cjk, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_cjk(&mut cjk, &mut out);
    out
}

/// How many documents one index file holds. The index is split so that
/// `dossier serve` rebuilds only the part an edit touches.
pub const CHUNK: usize = 256;

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
    source: &'a crate::load::Source,
}

fn snippet(text: &str) -> String {
    let mut s: String = text.trim().chars().take(160).collect();
    if s.len() < text.trim().len() {
        s.push('…');
    }
    s
}

fn documents(site: &Site) -> Vec<Doc<'_>> {
    let questions = site.questions.iter().map(|q| Doc {
        kind: "Question",
        title: q.title.clone(),
        path: paths::question(&q.slug),
        source: &q.source,
    });
    let events = site.events.iter().map(|e| Doc {
        kind: "Event",
        title: format!("{}: {}", e.date.human(), e.title),
        path: format!("{}#{}", paths::TIMELINE, e.slug),
        source: &e.source,
    });
    let terms = site.terms.iter().map(|t| Doc {
        kind: "Term",
        title: t.term.clone(),
        path: format!("{}#{}", paths::GLOSSARY, t.slug),
        source: &t.source,
    });
    questions.chain(events).chain(terms).collect()
}

/// The path of index file `n`.
pub fn chunk_path(n: usize) -> String {
    format!("search/index-{n}.js")
}

/// The number of index files for the site.
pub fn chunk_count(site: &Site) -> usize {
    (site.questions.len() + site.events.len() + site.terms.len())
        .div_ceil(CHUNK)
        .max(1)
}

/// Builds the index files, reusing `previous` files whose documents did not
/// change. Returns each file with its key.
pub fn build(site: &Site, previous: &[(u64, OutputFile)]) -> Vec<(u64, OutputFile)> {
    use rayon::prelude::*;
    let docs = documents(site);
    let summaries: std::collections::HashMap<&str, (&str, &[String], Option<&str>)> = site
        .questions
        .iter()
        .map(|q| {
            (
                &*q.source.rel,
                (q.summary.as_deref().unwrap_or(""), &[][..], None),
            )
        })
        .chain(site.terms.iter().map(|t| {
            (
                &*t.source.rel,
                ("", t.aliases.as_slice(), t.abbr.as_deref()),
            )
        }))
        .collect();
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
                    .map(|d| (d.kind, &d.title, &d.path, d.source.hash))
                    .collect::<Vec<_>>(),
            );
            if let Some((k, file)) = previous.get(n)
                && *k == key
            {
                return (key, file.clone());
            }
            let mut entries = Vec::with_capacity(chunk.len());
            let mut weights: BTreeMap<String, BTreeMap<u32, u32>> = BTreeMap::new();
            for (id, doc) in chunk.iter().enumerate() {
                let body = markdown::plain_text(doc.source.body_text());
                let (summary, aliases, abbr) = summaries
                    .get(&*doc.source.rel)
                    .copied()
                    .unwrap_or(("", &[], None));
                let names = aliases.join(" ");
                // A word in the title or names counts most, in the short answer
                // next, and in the text by how often it occurs, up to three.
                let fields = [
                    (doc.title.as_str(), 8),
                    (names.as_str(), 8),
                    (summary, 3),
                    (abbr.unwrap_or(""), 3),
                ];
                for (text, weight) in fields {
                    let unique: std::collections::BTreeSet<String> =
                        tokens(text).into_iter().collect();
                    for token in unique {
                        *weights
                            .entry(token)
                            .or_default()
                            .entry(id as u32)
                            .or_default() += weight;
                    }
                }
                let mut counts: BTreeMap<String, u32> = BTreeMap::new();
                for token in tokens(&body) {
                    *counts.entry(token).or_default() += 1;
                }
                for (token, n) in counts {
                    *weights
                        .entry(token)
                        .or_default()
                        .entry(id as u32)
                        .or_default() += n.min(3);
                }
                let shown = if summary.is_empty() {
                    body.as_str()
                } else {
                    summary
                };
                entries.push((
                    doc.kind,
                    doc.title.clone(),
                    doc.path.clone(),
                    snippet(shown),
                ));
            }
            let index = weights
                .into_iter()
                .map(|(t, ds)| (t, ds.into_iter().flat_map(|(d, w)| [d, w]).collect()))
                .collect();
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
