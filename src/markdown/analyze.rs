//! What the link stage and the search index need to know about a body,
//! read from its one parse: headings and their ids, `@/` links, local
//! files it refers to, glossary mentions, the first paragraph and the
//! plain text.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Document;
use super::ids::Ids;
use super::raw::{self, Blocking};
use crate::glossary::Autolinker;

/// A heading of a document, with the id it gets in the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Heading {
    /// The anchor, unique within the document.
    pub id: String,
    /// The heading's text.
    pub text: String,
    /// 1 to 6.
    pub level: u8,
}

/// A reference from a body to another document: `@/faq/x.md#anchor`, in a
/// link, an image or a raw HTML `href`/`src`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkRef {
    /// The destination as written.
    pub dest: String,
    /// Byte range in the body, for errors.
    pub range: Range<usize>,
}

/// A reference from a body to a file of the site by relative or absolute
/// path (`chip.png`, `/img/x.svg`, `../timeline/`), in a link or image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalRef {
    /// The URL as written.
    pub url: String,
    /// Byte range in the body, for errors.
    pub range: Range<usize>,
    /// True for an image (which must exist as a file).
    pub image: bool,
}

/// A mistake found in a body, with its place in the body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyProblem {
    /// What is wrong.
    pub message: String,
    /// Short label under the caret.
    pub label: String,
    /// How to fix it.
    pub help: String,
    /// Byte range in the body.
    pub range: Range<usize>,
}

/// What the link stage needs to know about a document before rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Analysis {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every `@/` reference.
    pub links: Vec<LinkRef>,
    /// Every reference to a local file or page by path.
    pub local: Vec<LocalRef>,
    /// Glossary terms mentioned in linkable text (not in code, headings,
    /// links or raw HTML elements that must not hold a link), by index, in
    /// order of first mention, each once.
    pub mentions: Vec<usize>,
    /// Mistakes: malformed charts, unsafe heading ids or URLs.
    pub problems: Vec<BodyProblem>,
    /// Plain text of the first paragraph (for previews and short answers).
    pub first_paragraph: String,
    /// Plain text of the whole body (for the search index).
    pub text: String,
    /// The body holds raw HTML (and its output is balanced, see `raw.rs`).
    pub raw_html: bool,
    /// Ids written in raw HTML.
    pub raw_ids: Vec<String>,
    /// The body holds a highlighted code block.
    pub code: bool,
    /// The text of the body's first valid chart block: the home page
    /// shows the site's first chart.
    pub chart: Option<String>,
}

impl Analysis {
    /// True when both have the same headings, references, glossary
    /// mentions and first chart, whatever their positions in the text:
    /// then an edit from one to the other cannot change any other page.
    pub fn same_structure(&self, other: &Analysis) -> bool {
        let dests = |a: &Analysis| a.links.iter().map(|l| l.dest.clone()).collect::<Vec<_>>();
        let locals = |a: &Analysis| a.local.iter().map(|l| l.url.clone()).collect::<Vec<_>>();
        self.headings == other.headings
            && self.mentions == other.mentions
            && self.problems.is_empty()
            && other.problems.is_empty()
            && dests(self) == dests(other)
            && locals(self) == locals(other)
            && self.chart == other.chart
    }
}

pub(super) use crate::chart::is_fence as is_chart;

/// True for the fence label of a figure block.
pub(super) fn is_figure(lang: &str) -> bool {
    lang.split([' ', ',']).next() == Some("figure")
}

/// Where a link or image destination points.
pub enum Destination<'a> {
    /// `@/file.md#anchor`.
    Internal(&'a str),
    /// A path of the site (`x.png`, `/img/a.svg`).
    Local(&'a str),
    /// Elsewhere (`https:`, `mailto:`) or on the same page (`#x`).
    Other,
}

/// Where `url`, a link or image destination as written, points.
pub fn destination(url: &str) -> Destination<'_> {
    if url.starts_with("@/") {
        Destination::Internal(url)
    } else if url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url) {
        Destination::Other
    } else {
        Destination::Local(url)
    }
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':')
        .is_some_and(|(before, _)| !before.contains(['/', '?', '#']))
}

/// Reads everything the link stage needs from a parsed body. `linker`
/// finds glossary mentions (none when automatic links are off).
pub fn analyze(doc: &Document<'_>, body: &str, linker: Option<&Autolinker>) -> Analysis {
    let mut reader = Reader::new(body, linker);
    for (event, range) in &doc.events {
        reader.event(event, range);
    }
    reader.finish()
}

/// [`analyze`] between two events: what it has found so far, and the
/// heading, chart or figure block and image it is inside, whose text comes
/// in the events that follow.
struct Reader<'a> {
    body: &'a str,
    linker: Option<&'a Autolinker>,
    a: Analysis,
    ids: Ids,
    /// The heading being read: its `{#id}`, level, text and place.
    heading: Option<(Option<String>, u8, String, Range<usize>)>,
    /// The chart or figure block being read: whether it is a figure, where
    /// its text starts, the text.
    chart: Option<(bool, usize, String)>,
    /// The alt text of the image being read, and where the image is.
    image: Option<(String, Range<usize>)>,
    blocked: Blocking,
    paragraph: ParagraphState,
    /// Linkable text not yet searched for glossary mentions.
    pending: String,
    /// Ids written in raw HTML, checked once the headings' are known.
    raw_ids: Vec<(String, Range<usize>)>,
}

impl<'a> Reader<'a> {
    fn new(body: &'a str, linker: Option<&'a Autolinker>) -> Reader<'a> {
        Reader {
            body,
            linker,
            a: Analysis::default(),
            ids: Ids::for_document(""),
            heading: None,
            chart: None,
            image: None,
            blocked: Blocking::default(),
            paragraph: ParagraphState::Before,
            pending: String::new(),
            raw_ids: Vec::new(),
        }
    }

    /// Follows one event of the parse.
    fn event(&mut self, event: &Event<'_>, range: &Range<usize>) {
        // Glossary mentions: text is joined across events (smart quotes
        // split it) and scanned where a link may go.
        let linkable = self.blocked.allows_links();
        match event {
            Event::Text(t) if linkable => self.pending.push_str(t),
            _ => flush_mentions(&mut self.pending, self.linker, &mut self.a.mentions),
        }
        self.blocked.update(event);
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.check_heading_attributes(classes, !attrs.is_empty(), range);
                self.heading = Some((
                    id.as_ref().map(|s| s.to_string()),
                    heading_level(*level),
                    String::new(),
                    range.clone(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if is_chart(lang) || is_figure(lang) =>
            {
                self.chart = Some((is_figure(lang), usize::MAX, String::new()));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if !lang.is_empty() => {
                self.a.code = true;
            }
            Event::End(TagEnd::CodeBlock) => self.end_chart(range),
            Event::Start(Tag::Link { dest_url, .. }) => {
                reference(&mut self.a, dest_url, range, false);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                reference(&mut self.a, dest_url, range, true);
                self.image = Some((String::new(), range.clone()));
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, range),
            _ => {}
        }
        self.collect_text(event, range);
        self.paragraph.update(event, &mut self.a.first_paragraph);
        plain_text(event, &mut self.a.text);
    }

    /// `{key=value}` would let a heading carry any attribute (`onclick`...);
    /// only `{#id}` and `{.class}` are allowed.
    fn check_heading_attributes(
        &mut self,
        classes: &[CowStr<'_>],
        has_attrs: bool,
        range: &Range<usize>,
    ) {
        let bad_class = classes.iter().find(|c| valid_id(c).is_err());
        if has_attrs || bad_class.is_some() {
            let line = self.body.get(range.clone()).unwrap_or("");
            let open = line.rfind('{').unwrap_or(0);
            let close = line
                .rfind('}')
                .map_or(line.trim_end().len(), |c| c + 1)
                .max(open);
            self.a.problems.push(BodyProblem {
                message: match bad_class {
                    Some(c) => {
                        format!("the heading class `{c}` holds characters a class cannot have")
                    }
                    None => "headings take only an id and classes in braces, not other attributes"
                        .to_string(),
                },
                label: "heading attributes".to_string(),
                help:
                    "write `{#id}` and `{.class}` only, with letters, digits, `-`, `_`, `.` and `:`"
                        .to_string(),
                range: range.start + open..range.start + close,
            });
        }
    }

    /// The end of a heading: checks its `{#id}` and gives it its id.
    fn end_heading(&mut self) {
        if let Some((written, level, text, at)) = self.heading.take() {
            if let Some(id) = &written
                && let Err(why) = valid_id(id)
            {
                // Point at the `{#...}` of the heading's line.
                let line = self.body.get(at.clone()).unwrap_or("");
                let open = line.find("{#").unwrap_or(0);
                let close = line
                    .get(open..)
                    .and_then(|r| r.rfind('}'))
                    .map_or(line.trim_end().len(), |c| open + c + 1);
                self.a.problems.push(BodyProblem {
                    message: format!("the heading id `{id}` {why}"),
                    label: "custom heading id".to_string(),
                    help: "ids may hold letters, digits, `-`, `_`, `.` and `:`, for example `{#why-it-matters}`".to_string(),
                    range: at.start + open..at.start + close,
                });
            }
            let id = self.ids.heading(written.as_deref(), &text);
            self.a.headings.push(Heading { id, text, level });
        }
    }

    /// The end of a code block: a chart or figure block is parsed now, for
    /// its problems, the first chart and a figure's image.
    fn end_chart(&mut self, range: &Range<usize>) {
        if let Some((figure, start, text)) = self.chart.take() {
            let start = if start == usize::MAX {
                range.start
            } else {
                start
            };
            let a = &mut self.a;
            let checked = if figure {
                crate::figure::parse(&text).map(|f| {
                    let at = text
                        .find(&f.src)
                        .map_or(start..start + 1, |i| start + i..start + i + f.src.len());
                    reference(a, &f.src, &at, true);
                })
            } else {
                crate::chart::parse(&text).map(|_| {
                    a.chart.get_or_insert(text);
                })
            };
            if let Err(e) = checked {
                a.problems.push(BodyProblem {
                    message: e.message,
                    label: if figure {
                        "in this figure"
                    } else {
                        "in this chart"
                    }
                    .to_string(),
                    help: e.help,
                    range: start + e.range.start..start + e.range.end.max(e.range.start + 1),
                });
            }
        }
    }

    /// The end of an image: it must have a text alternative.
    fn end_image(&mut self) {
        if let Some((alt, at)) = self.image.take()
            && alt.trim().is_empty()
        {
            self.a.problems.push(BodyProblem {
                message: "this image has no text alternative".to_string(),
                label: "no alt text".to_string(),
                help: "write what the image shows between the brackets, ![A wafer of Ascend chips](chip.png); for a purely decorative image use a figure block with alt = \"\"".to_string(),
                range: at,
            });
        }
    }

    /// Raw HTML: its ids, and its `href` and `src` as references.
    fn raw_html(&mut self, html: &str, range: &Range<usize>) {
        self.a.raw_html = true;
        for (attr, value) in raw::attributes(html) {
            let at = self
                .body
                .get(range.clone())
                .and_then(|raw| raw.find(&value))
                .map_or(range.clone(), |i| {
                    range.start + i..range.start + i + value.len()
                });
            if attr == "id" {
                self.raw_ids.push((value, at));
            } else {
                reference(&mut self.a, &value, &at, attr == "src");
            }
        }
    }

    /// Text inside the chart or figure block, image or heading being read.
    fn collect_text(&mut self, event: &Event<'_>, range: &Range<usize>) {
        if let Some((_, start, buf)) = self.chart.as_mut()
            && let Event::Text(t) = event
        {
            *start = (*start).min(range.start);
            buf.push_str(t);
        }
        if let Some((alt, _)) = self.image.as_mut()
            && let Event::Text(t) | Event::Code(t) = event
        {
            alt.push_str(t);
        }
        if let Some((_, _, text, _)) = self.heading.as_mut()
            && let Event::Text(t) | Event::Code(t) = event
        {
            text.push_str(t);
        }
    }

    /// After the last event: the last mentions, and the raw HTML ids.
    fn finish(mut self) -> Analysis {
        flush_mentions(&mut self.pending, self.linker, &mut self.a.mentions);
        // Ids written in raw HTML must not take one the page or the body's
        // headings use, nor repeat.
        for (id, at) in self.raw_ids {
            if self.ids.claim(&id) && valid_id(&id).is_ok() {
                self.a.raw_ids.push(id);
            } else {
                self.a.problems.push(BodyProblem {
                    message: format!("the id `{id}` is already used on this page, or is not a valid id"),
                    label: "id in raw HTML".to_string(),
                    help: "ids must be unique on a page and not one the page templates use (such as `main` or `sources`); choose another".to_string(),
                    range: at,
                });
            }
        }
        self.a
    }
}

fn flush_mentions(pending: &mut String, linker: Option<&Autolinker>, mentions: &mut Vec<usize>) {
    if pending.is_empty() {
        return;
    }
    if let Some(linker) = linker {
        for m in linker.find(pending) {
            if !mentions.contains(&m.term) {
                mentions.push(m.term);
            }
        }
    }
    pending.clear();
}

/// Records a link or image destination as an `@/` or local reference, or
/// a problem when its scheme is not one dossier writes.
fn reference(a: &mut Analysis, url: &str, range: &Range<usize>, image: bool) {
    if let Err(why) = crate::content::allowed_url(url) {
        a.problems.push(BodyProblem {
            message: format!("this {} is refused: {why}", if image { "image address" } else { "link" }),
            label: "not a link dossier will write".to_string(),
            help: "links may be http:// or https:// addresses, mailto:, relative paths or @/ links to content files".to_string(),
            range: range.clone(),
        });
        return;
    }
    match destination(url) {
        Destination::Internal(dest) => a.links.push(LinkRef {
            dest: dest.to_string(),
            range: range.clone(),
        }),
        Destination::Local(path) => a.local.push(LocalRef {
            url: path.to_string(),
            range: range.clone(),
            image,
        }),
        Destination::Other => {}
    }
}

/// Checks a heading id written as `{#id}`: it goes into `id` and `href`
/// attributes, so it may not hold spaces, quotes or markup characters.
fn valid_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("is empty");
    }
    if id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        Ok(())
    } else {
        Err("holds characters an id cannot have")
    }
}

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Collects the text of the first paragraph.
enum ParagraphState {
    Before,
    Inside,
    Done,
}

impl ParagraphState {
    fn update(&mut self, event: &Event<'_>, out: &mut String) {
        match (&*self, event) {
            (ParagraphState::Before, Event::Start(Tag::Paragraph)) => {
                *self = ParagraphState::Inside
            }
            (ParagraphState::Inside, Event::End(TagEnd::Paragraph)) => *self = ParagraphState::Done,
            (ParagraphState::Inside, Event::Text(t) | Event::Code(t)) => out.push_str(t),
            (ParagraphState::Inside, Event::SoftBreak | Event::HardBreak) => out.push(' '),
            _ => {}
        }
    }
}

fn plain_text(event: &Event<'_>, out: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) => out.push_str(t),
        // The end of a link or an emphasis is inside a sentence: a space
        // there would stand before the punctuation after it ("denial .").
        Event::End(
            TagEnd::Link
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Image,
        ) => {}
        Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    fn analysis(md: &str, linker: Option<&Autolinker>) -> Analysis {
        analyze(&parse(md), md, linker)
    }

    #[test]
    fn plain_text_has_no_space_before_punctuation_after_a_link_or_emphasis() {
        let a = analysis(
            "A [presumption of denial](https://e.org). *Really*, **yes**; ok.\n\nNext.",
            None,
        );
        assert!(
            a.text
                .contains("presumption of denial. Really, yes; ok. Next."),
            "{}",
            a.text
        );
    }

    #[test]
    fn headings_get_unique_ids_that_avoid_template_ids() {
        let a = analysis(
            "# A\n\n## `code` heading\n\n## A\n\n## Sources\n\n## Own {#mine}\n",
            None,
        );
        let ids: Vec<_> = a.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "code-heading", "a-1", "sources-1", "mine"]);
    }

    #[test]
    fn unsafe_heading_ids_and_link_schemes_are_problems() {
        let a = analysis(
            "## X {#a\"b}\n\n[x](javascript:alert(1)) ![i](data:x)\n",
            None,
        );
        let messages: Vec<_> = a.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("heading id `a\"b`"), "{messages:?}");
        assert!(messages[1].contains("`javascript:` scheme"), "{messages:?}");
        assert!(messages[2].contains("image address"), "{messages:?}");
    }

    #[test]
    fn references_are_found_in_links_images_and_raw_html() {
        let md = "See [this](@/faq/a.md) ![c](chip.png) <a href=\"@/glossary/t.md\">t</a> [w](https://x.org).\n\n<img src=\"/img/x.svg\" alt=\"\">\n";
        let a = analysis(md, None);
        let dests: Vec<_> = a.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["@/faq/a.md", "@/glossary/t.md"]);
        assert_eq!(&md[a.links[0].range.clone()], "[this](@/faq/a.md)");
        assert_eq!(&md[a.links[1].range.clone()], "@/glossary/t.md");
        let locals: Vec<_> = a.local.iter().map(|l| (l.url.as_str(), l.image)).collect();
        assert_eq!(locals, [("chip.png", true), ("/img/x.svg", true)]);
        assert!(a.raw_html);
    }

    #[test]
    fn mentions_skip_code_headings_links_and_raw_elements_that_cannot_hold_links() {
        let linker = Autolinker::new(&[vec!["HBM"], vec!["SMIC"], vec!["Ascend"]]);
        let md = "## HBM\n\n`HBM` [HBM](https://x) <kbd>HBM</kbd> <button>SMIC</button> <a href=\"x\">SMIC</a> and Ascend.\n";
        let a = analysis(md, Some(&linker));
        assert_eq!(a.mentions, [2]);
        let a = analysis("HBM and SMIC\n", Some(&linker));
        assert_eq!(a.mentions, [0, 1]);
    }

    #[test]
    fn first_paragraph_and_text_are_plain() {
        let a = analysis("# T\n\nFirst *para*\nline.\n\nSecond.\n", None);
        assert_eq!(a.first_paragraph, "First para line.");
        assert!(a.text.contains("Second."), "{}", a.text);
    }
}
