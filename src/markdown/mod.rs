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

pub use crate::punctuation::smart_punctuation;

pub use analyze::{
    Analysis, BodyProblem, Destination, Heading, LinkRef, LocalRef, analyze, destination,
};
pub use html::{Language, RenderContext, TermLinks, anchor_html, marked_text, render};
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
