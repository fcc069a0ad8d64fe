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
//! - `search/t-KEY.js`: the postings of every token whose first three
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

mod index;

pub use crate::tokens::{DocText, Interner, for_each_token, tokens};
pub use index::{SearchState, build, docs_files};

use crate::glossary::is_cjk;

/// Documents per `d-N.js` file.
pub const DOCS_PER_FILE: usize = 16;

/// Most postings kept per token (the heaviest).
pub const MAX_POSTINGS: usize = 4000;

/// The shard key of a token: its first three characters, one for CJK.
pub(crate) fn shard_key(token: &str) -> &str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_go_to_the_shard_of_their_first_characters() {
        assert_eq!(shard_key("ascend"), "asc");
        assert_eq!(shard_key("as"), "as");
        assert_eq!(shard_key("中芯"), "中");
        assert_eq!(shard_path("as"), "search/t-6173.js");
        assert_eq!(shard_path("中"), "search/t-e4b8ad.js");
    }
}
