//! Markdown with pulldown-cmark: each body is parsed **once** into a
//! [`Document`], which every consumer reads: the analysis the link stage
//! needs (headings, `@/` links, local files, glossary mentions, first
//! paragraph, search text: [`analyze`]), and the HTML of the page and of
//! the print edition ([`render`]). The rendering is a chain of small
//! passes over the event stream (see `html.rs`).

mod analyze;
mod html;
mod ids;
mod raw;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use pulldown_cmark::{Event, Options, Parser};

pub use analyze::{
    Analysis, BodyProblem, Destination, Heading, LinkRef, LocalRef, analyze, destination,
};
pub use html::{Language, RenderContext, TermLinks, anchor_html, render};
pub use ids::RESERVED_IDS;

/// A body parsed into events, each with its byte range in the body.
#[derive(Debug)]
pub struct Document<'a> {
    events: Vec<(Event<'a>, Range<usize>)>,
    /// The body's length, for sizing output buffers.
    size: usize,
}

static PARSES: AtomicUsize = AtomicUsize::new(0);

/// How many Markdown bodies this process has parsed: tests use it to show
/// that a build parses each body once and a rebuild only changed ones.
pub fn parse_count() -> usize {
    PARSES.load(Ordering::Relaxed)
}

/// Parses a body. The only place dossier runs the Markdown parser.
pub fn parse(body: &str) -> Document<'_> {
    PARSES.fetch_add(1, Ordering::Relaxed);
    Document {
        events: Parser::new_ext(body, options())
            .into_offset_iter()
            .collect(),
        size: body.len(),
    }
}

/// The Markdown extensions dossier turns on (documented in the README).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Smart punctuation for text outside Markdown (titles, summaries, chart
/// labels), the same as bodies get: straight quotes become curly ones,
/// `--` an en dash, `---` an em dash, `...` an ellipsis. Text without any
/// of those characters is returned as it is, without parsing.
pub fn smart_punctuation(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    // Escape what Markdown would otherwise interpret (emphasis, links,
    // HTML, a list or heading marker at the start), so that only the
    // punctuation changes.
    let trimmed = text.trim_start();
    let lead = text.get(..text.len() - trimmed.len()).unwrap_or("");
    let mut escaped = String::with_capacity(trimmed.len() + 8);
    let mut digits_only = true;
    for (i, c) in trimmed.char_indices() {
        let list_marker =
            (i == 0 && matches!(c, '-' | '+')) || (i > 0 && digits_only && matches!(c, '.' | ')'));
        if list_marker || (c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.')) {
            escaped.push('\\');
        }
        digits_only &= c.is_ascii_digit();
        escaped.push(c);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(lead);
    let mut blocks = 0;
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(pulldown_cmark::Tag::Paragraph) => {
                if blocks > 0 {
                    out.push(' ');
                }
                blocks += 1;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_punctuation_matches_the_bodies() {
        assert_eq!(
            smart_punctuation("China's \"push\" -- now..."),
            "China\u{2019}s \u{201c}push\u{201d} \u{2013} now\u{2026}"
        );
        assert_eq!(smart_punctuation("No quotes here"), "No quotes here");
        assert_eq!(
            smart_punctuation("*not emphasis* <b> [x](y)"),
            "*not emphasis* <b> [x](y)"
        );
        assert_eq!(smart_punctuation("- a list?"), "- a list?");
        assert_eq!(smart_punctuation("1. Numbered"), "1. Numbered");
    }
}
