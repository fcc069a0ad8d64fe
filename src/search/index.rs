//! Building the index files, from scratch or, in `dossier serve`, by
//! updating the last build's postings for the documents that changed and
//! writing again only the files they touch.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::{
    DOCS_PER_FILE, DocText, Interner, MAX_POSTINGS, docs_path, for_each_token, shard_key,
    shard_path,
};
use crate::bodies::Bodies;
use crate::link::Index;
use crate::load::hash_of;
use crate::output::OutputFile;
use crate::urls::paths;

/// A token's postings: document numbers and weights, by number.
type Postings = Vec<(u32, u16)>;

/// One searchable document: its weighted tokens and what a result shows.
#[derive(Debug)]
struct Entry {
    /// Changes whenever the document's tokens or its row change.
    key: u64,
    weights: Vec<(u32, u16)>,
    /// Kind, title, path, and the text shown under the title.
    row: (String, String, String, String),
}

/// What `dossier serve` keeps of the last index: every document's entry,
/// the postings, which tokens each word file holds, and the hash of every
/// file written.
#[derive(Debug, Default)]
pub struct SearchState {
    entries: Vec<Arc<Entry>>,
    postings: HashMap<u32, Postings>,
    shards: BTreeMap<String, BTreeSet<u32>>,
    files: BTreeMap<String, u64>,
}

impl SearchState {
    /// Every index file's path.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}

/// The number of document files of the site.
pub fn docs_files(index: &Index) -> usize {
    (index.questions.len() + index.events.len() + index.terms.len() + index.pages.len())
        .div_ceil(DOCS_PER_FILE)
        .max(1)
}

/// A document before weighing: its fields and its body's tokens.
struct Doc<'a> {
    kind: &'a str,
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
            kind: index.t("kind_question"),
            title: q.item.title.clone(),
            path: q.path.clone(),
            summary: q.item.summary.as_deref().unwrap_or(""),
            names: String::new(),
            abbr: "",
            text: &b.search,
        });
    let events = index.events.iter().zip(&bodies.events).map(|(e, b)| Doc {
        kind: index.t("kind_event"),
        title: format!("{}: {}", index.date(&e.item.date), e.item.title),
        path: paths::event(&e.item.slug),
        summary: "",
        names: String::new(),
        abbr: "",
        text: &b.search,
    });
    let terms = index.terms.iter().zip(&bodies.terms).map(|(t, b)| Doc {
        kind: index.t("kind_term"),
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
        kind: index.t("kind_page"),
        title: p.item.title.clone(),
        path: p.path.clone(),
        summary: p.item.description.as_deref().unwrap_or(""),
        names: String::new(),
        abbr: "",
        text: &b.search,
    });
    questions.chain(events).chain(terms).chain(pages).collect()
}

impl Doc<'_> {
    fn key(&self) -> u64 {
        hash_of(&(
            self.kind,
            &self.title,
            &self.path,
            self.summary,
            &self.names,
            self.abbr,
            self.text.hash,
        ))
    }

    /// The document's tokens with their weights: a word in the title or the
    /// names counts 8, in the short answer or the expansion 3, in the text
    /// as often as it occurs, up to 3.
    fn entry(&self, key: u64, interner: &Interner) -> Entry {
        let mut weights: BTreeMap<u32, u16> = self
            .text
            .tokens
            .iter()
            .map(|&(t, w)| (t, u16::from(w)))
            .collect();
        for (text, weight) in [
            (self.title.as_str(), 8),
            (self.names.as_str(), 8),
            (self.summary, 3),
            (self.abbr, 3),
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
        let shown = if self.summary.is_empty() {
            &*self.text.excerpt
        } else {
            self.summary
        };
        Entry {
            key,
            weights: weights.into_iter().collect(),
            row: (
                self.kind.to_string(),
                self.title.clone(),
                self.path.clone(),
                shown.to_string(),
            ),
        }
    }
}

/// Builds the index files. With `previous` (the state of the last build of
/// `dossier serve`), only the files that changed are returned; without, all
/// of them. Returns the files with their hashes, and the state to keep.
pub fn build(
    index: &Index,
    bodies: &Bodies,
    interner: &Interner,
    previous: Option<SearchState>,
) -> (Vec<(u64, OutputFile)>, SearchState) {
    let docs = documents(index, bodies);
    let old_entries: &[Arc<Entry>] = previous
        .as_ref()
        .map(|p| p.entries.as_slice())
        .unwrap_or(&[]);
    let entries: Vec<Arc<Entry>> = docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            let key = doc.key();
            match old_entries.get(i) {
                Some(old) if old.key == key => old.clone(),
                _ => Arc::new(doc.entry(key, interner)),
            }
        })
        .collect();
    let changed: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(i, e)| old_entries.get(*i).is_none_or(|old| !Arc::ptr_eq(old, e)))
        .map(|(i, _)| i)
        .collect();
    let (mut state, dirty) = match previous {
        Some(old) if old.entries.len() == entries.len() => {
            update(old, &entries, &changed, interner)
        }
        _ => (fresh(&entries, interner), None),
    };
    state.entries = entries;
    let files = write(&mut state, dirty, &changed, interner);
    (files, state)
}

/// Postings from scratch.
fn fresh(entries: &[Arc<Entry>], interner: &Interner) -> SearchState {
    let postings: HashMap<u32, Postings> = entries
        .par_iter()
        .enumerate()
        .fold(
            HashMap::new,
            |mut map: HashMap<u32, Postings>, (id, entry)| {
                for &(token, weight) in &entry.weights {
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
    let mut shards: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for &token in postings.keys() {
        if let Some(text) = interner.text(token) {
            shards
                .entry(shard_key(&text).to_string())
                .or_default()
                .insert(token);
        }
    }
    let mut postings = postings;
    postings
        .par_iter_mut()
        .for_each(|(_, list)| list.sort_unstable());
    SearchState {
        entries: Vec::new(),
        postings,
        shards,
        files: BTreeMap::new(),
    }
}

/// The last build's postings with the changed documents' taken out and put
/// in again; returns the word files they touch.
fn update(
    mut state: SearchState,
    entries: &[Arc<Entry>],
    changed: &[usize],
    interner: &Interner,
) -> (SearchState, Option<BTreeSet<String>>) {
    let mut dirty: BTreeSet<String> = BTreeSet::new();
    let touch = |state: &mut SearchState, token: u32, dirty: &mut BTreeSet<String>| {
        if let Some(text) = interner.text(token) {
            let key = shard_key(&text).to_string();
            state.shards.entry(key.clone()).or_default().insert(token);
            dirty.insert(key);
        }
    };
    for &d in changed {
        let id = d as u32;
        let old: Vec<(u32, u16)> = state
            .entries
            .get(d)
            .map(|e| e.weights.clone())
            .unwrap_or_default();
        let new: &[(u32, u16)] = entries.get(d).map(|e| e.weights.as_slice()).unwrap_or(&[]);
        // Only the words whose posting for this document changed: most of a
        // document's words keep their weight after an edit.
        let new_of: HashMap<u32, u16> = new.iter().copied().collect();
        let old_of: HashMap<u32, u16> = old.iter().copied().collect();
        for &(token, _) in &old {
            if new_of.contains_key(&token) {
                continue;
            }
            if let Some(list) = state.postings.get_mut(&token)
                && let Ok(at) = list.binary_search_by_key(&id, |p| p.0)
            {
                list.remove(at);
            }
            touch(&mut state, token, &mut dirty);
        }
        for &(token, weight) in new {
            if old_of.get(&token) == Some(&weight) {
                continue;
            }
            let list = state.postings.entry(token).or_default();
            match list.binary_search_by_key(&id, |p| p.0) {
                Ok(at) => {
                    if let Some(p) = list.get_mut(at) {
                        p.1 = weight;
                    }
                }
                Err(at) => list.insert(at, (id, weight)),
            }
            touch(&mut state, token, &mut dirty);
        }
    }
    // Words no document has any more leave their file.
    state.postings.retain(|_, list| !list.is_empty());
    let postings = &state.postings;
    for tokens in state.shards.values_mut() {
        tokens.retain(|t| postings.contains_key(t));
    }
    state.shards.retain(|_, tokens| !tokens.is_empty());
    (state, Some(dirty))
}

/// Serialises the word files in `dirty` (all when `None`), the document
/// files of `changed` documents (all when `dirty` is `None`) and the list
/// of keys; records every file's hash; returns the files whose hash
/// changed.
fn write(
    state: &mut SearchState,
    dirty: Option<BTreeSet<String>>,
    changed: &[usize],
    interner: &Interner,
) -> Vec<(u64, OutputFile)> {
    let keys: Vec<&String> = match &dirty {
        Some(d) => d.iter().collect(),
        None => state.shards.keys().collect(),
    };
    let postings = &state.postings;
    let shards = &state.shards;
    let mut files: Vec<(u64, OutputFile)> = keys
        .par_iter()
        .map(|key| {
            let tokens = shards
                .get(*key)
                .map(|t| t.iter().copied().collect::<Vec<_>>())
                .unwrap_or_default();
            shard_file(key, &tokens, postings, interner)
        })
        .collect();
    let doc_files: BTreeSet<usize> = match &dirty {
        Some(_) => changed.iter().map(|d| d / DOCS_PER_FILE).collect(),
        None => (0..state.entries.len().div_ceil(DOCS_PER_FILE).max(1)).collect(),
    };
    let entries = &state.entries;
    files.par_extend(doc_files.into_par_iter().map(|n| {
        let rows: Vec<_> = entries
            .iter()
            .skip(n * DOCS_PER_FILE)
            .take(DOCS_PER_FILE)
            .map(|e| &e.row)
            .collect();
        let json = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_string());
        file(
            docs_path(n),
            format!(
                "(window.DOSSIER_DOCS=window.DOSSIER_DOCS||{{}})[{n}]={};\n",
                crate::html::json_in_script(&json)
            ),
        )
    }));
    let all_keys: Vec<&String> = state.shards.keys().collect();
    let keys_json = serde_json::to_string(&all_keys).unwrap_or_else(|_| "[]".to_string());
    files.push(file(
        "search/keys.js".to_string(),
        format!(
            "window.DOSSIER_KEYS={};\n",
            crate::html::json_in_script(&keys_json)
        ),
    ));
    // Word files that are empty now are gone.
    let live: BTreeSet<String> = state.shards.keys().map(|k| shard_path(k)).collect();
    state
        .files
        .retain(|path, _| !path.starts_with("search/t-") || live.contains(path));
    let doc_count = state.entries.len().div_ceil(DOCS_PER_FILE).max(1);
    state.files.retain(|path, _| {
        !path.starts_with("search/d-")
            || path
                .trim_start_matches("search/d-")
                .trim_end_matches(".js")
                .parse::<usize>()
                .is_ok_and(|n| n < doc_count)
    });
    let mut out = Vec::new();
    for (hash, f) in files {
        if f.path.starts_with("search/t-") && !live.contains(&f.path) {
            continue;
        }
        if state.files.insert(f.path.clone(), hash) != Some(hash) {
            out.push((hash, f));
        }
    }
    out.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    out
}

/// One word file.
fn shard_file(
    key: &str,
    tokens: &[u32],
    postings: &HashMap<u32, Postings>,
    interner: &Interner,
) -> (u64, OutputFile) {
    let mut words: Vec<(Arc<str>, &Postings)> = tokens
        .iter()
        .filter_map(|t| Some((interner.text(*t)?, postings.get(t)?)))
        .collect();
    words.sort_by(|a, b| a.0.cmp(&b.0));
    let mut json = String::with_capacity(4096);
    json.push('{');
    for (i, (word, list)) in words.iter().enumerate() {
        let mut list: Vec<(u32, u16)> = (*list).clone();
        if list.len() > MAX_POSTINGS {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            list.sort_unstable();
        }
        if i > 0 {
            json.push(',');
        }
        json.push_str(&serde_json::to_string(&**word).unwrap_or_default());
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
    let key_json = serde_json::to_string(key).unwrap_or_default();
    file(
        shard_path(key),
        format!(
            "(window.DOSSIER_TOKENS=window.DOSSIER_TOKENS||{{}})[{}]={};\n",
            crate::html::json_in_script(&key_json),
            crate::html::json_in_script(&json)
        ),
    )
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
