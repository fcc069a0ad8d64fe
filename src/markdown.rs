//! Markdown to HTML with pulldown-cmark, as a chain of small passes over the
//! event stream: heading anchors, `@/` links, highlighted code.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::glossary::Autolinker;
use crate::highlight::Highlighter;

/// Ids used by the page templates; a heading never takes one of these.
pub const RESERVED_IDS: &[&str] = &[
    "top",
    "main",
    "content",
    "answer",
    "summary",
    "sources",
    "related",
    "timeline",
    "terms",
    "tags",
    "questions",
    "glossary",
    "mentioned-in",
    "events",
];

/// A heading of a document, with the id it gets in the output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// The anchor, unique within the document.
    pub id: String,
    /// The heading's text.
    pub text: String,
    /// 1 to 6.
    pub level: u8,
}

/// A link whose destination starts with `@/`, found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The destination as written: `@/faq/x.md#anchor`.
    pub dest: String,
    /// Byte range of the whole link in the Markdown body.
    pub range: Range<usize>,
}

/// What the link stage needs to know about a document before rendering.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every `@/` link.
    pub links: Vec<InternalLink>,
    /// Glossary terms mentioned in linkable text (not in code, headings or
    /// links), by index, in order of first mention, each once.
    pub mentions: Vec<usize>,
    /// Mistakes in ```` ```chart ```` blocks, with ranges in the body.
    pub chart_errors: Vec<crate::chart::ChartError>,
}

impl Analysis {
    /// True when both have the same headings, `@/` destinations and glossary
    /// mentions, whatever their positions in the text.
    pub fn same_structure(&self, other: &Analysis) -> bool {
        self.headings == other.headings
            && self.mentions == other.mentions
            && self.chart_errors.is_empty()
            && other.chart_errors.is_empty()
            && self.links.len() == other.links.len()
            && self
                .links
                .iter()
                .zip(&other.links)
                .all(|(a, b)| a.dest == b.dest)
    }
}

/// How to link glossary terms in one document.
pub struct TermLinks<'a> {
    /// The automaton over all terms.
    pub linker: &'a Autolinker,
    /// Terms this document may link (each is linked at its first mention).
    pub allowed: &'a [usize],
    /// The link and preview HTML for a term and the text that mentions it.
    pub html: &'a dyn Fn(usize, &str) -> String,
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

/// Finds the headings (with their final ids), `@/` links and glossary
/// mentions of `body`.
pub fn analyze(body: &str, linker: Option<&Autolinker>) -> Analysis {
    let mut links = Vec::new();
    let mut events = Vec::new();
    let mut chart_errors = Vec::new();
    // A chart block's text and where it starts in the body.
    let mut chart: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if is_chart(lang) => {
                chart = Some((usize::MAX, String::new()))
            }
            Event::Text(text) => {
                if let Some((start, buf)) = chart.as_mut() {
                    *start = (*start).min(range.start);
                    buf.push_str(text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, text)) = chart.take()
                    && let Err(mut e) = crate::chart::parse(&text)
                {
                    let start = if start == usize::MAX {
                        range.start
                    } else {
                        start
                    };
                    e.range = start + e.range.start..start + e.range.end.max(e.range.start + 1);
                    chart_errors.push(e);
                }
            }
            _ => {}
        }
        if let Event::Start(Tag::Link { dest_url, .. }) = &event
            && dest_url.starts_with("@/")
        {
            links.push(InternalLink {
                dest: dest_url.to_string(),
                range,
            });
        }
        events.push(event);
    }
    let headings = assign_heading_ids(&mut events);
    let mut mentions = Vec::new();
    if let Some(linker) = linker {
        let events = coalesce_text(events);
        for_each_linkable_text(&events, |text| {
            for m in linker.find(text) {
                if !mentions.contains(&m.term) {
                    mentions.push(m.term);
                }
            }
        });
    }
    Analysis {
        headings,
        links,
        mentions,
        chart_errors,
    }
}

/// True for the fence label of a chart block.
fn is_chart(lang: &str) -> bool {
    lang.split([' ', ',']).next() == Some("chart")
}

/// Joins adjacent text events, which pulldown-cmark may split (around
/// smart quotes, for instance), so a term is never cut in two.
fn coalesce_text<'a>(events: Vec<Event<'a>>) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    // A lone text event is kept as it is (borrowed); a run is joined once.
    let mut lone: Option<CowStr<'a>> = None;
    let mut run: Option<String> = None;
    let flush =
        |out: &mut Vec<Event<'a>>, lone: &mut Option<CowStr<'a>>, run: &mut Option<String>| {
            if let Some(text) = run.take() {
                out.push(Event::Text(CowStr::from(text)));
            } else if let Some(text) = lone.take() {
                out.push(Event::Text(text));
            }
        };
    for event in events {
        match event {
            Event::Text(text) => {
                if let Some(buf) = run.as_mut() {
                    buf.push_str(&text);
                } else if let Some(first) = lone.take() {
                    let mut buf = String::with_capacity(first.len() + text.len() + 16);
                    buf.push_str(&first);
                    buf.push_str(&text);
                    run = Some(buf);
                } else {
                    lone = Some(text);
                }
            }
            other => {
                flush(&mut out, &mut lone, &mut run);
                out.push(other);
            }
        }
    }
    flush(&mut out, &mut lone, &mut run);
    out
}

/// Whether a text event can hold an automatic link: not in code, a
/// heading, a link or an image.
struct Linkable {
    blocked: usize,
}

impl Linkable {
    fn update(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. },
            ) => self.blocked += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image) => {
                self.blocked = self.blocked.saturating_sub(1)
            }
            _ => {}
        }
    }
}

fn for_each_linkable_text(events: &[Event<'_>], mut f: impl FnMut(&str)) {
    let mut state = Linkable { blocked: 0 };
    for event in events {
        state.update(event);
        if let Event::Text(t) = event
            && state.blocked == 0
        {
            f(t);
        }
    }
}

/// Links the first mention of each allowed term.
fn link_terms<'a>(events: Vec<Event<'a>>, terms: &TermLinks<'_>) -> Vec<Event<'a>> {
    let mut state = Linkable { blocked: 0 };
    let mut done: HashSet<usize> = HashSet::new();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        state.update(&event);
        let Event::Text(text) = &event else {
            out.push(event);
            continue;
        };
        // Nothing to link here, or every allowed term is linked already.
        if state.blocked > 0 || done.len() == terms.allowed.len() {
            out.push(event);
            continue;
        }
        let mut last = 0;
        let mut pieces: Vec<Event<'a>> = Vec::new();
        for m in terms.linker.find(text) {
            if !terms.allowed.contains(&m.term) || !done.insert(m.term) {
                continue;
            }
            let (Some(before), Some(mention)) = (text.get(last..m.start), text.get(m.start..m.end))
            else {
                continue;
            };
            if !before.is_empty() {
                pieces.push(Event::Text(CowStr::from(before.to_string())));
            }
            pieces.push(Event::InlineHtml(CowStr::from((terms.html)(
                m.term, mention,
            ))));
            last = m.end;
        }
        if pieces.is_empty() {
            out.push(event);
            continue;
        }
        if let Some(after) = text.get(last..).filter(|a| !a.is_empty()) {
            pieces.push(Event::Text(CowStr::from(after.to_string())));
        }
        out.extend(pieces);
    }
    out
}

/// Renders `body` to HTML. `resolve` turns an `@/` destination into a URL;
/// it returns `None` only for links the link stage already reported.
pub fn render(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    highlighter: &Highlighter,
    terms: Option<&TermLinks<'_>>,
) -> String {
    let mut events: Vec<Event<'_>> = Parser::new_ext(body, options()).collect();
    let headings = assign_heading_ids(&mut events);
    let events = match terms {
        Some(terms) if !terms.allowed.is_empty() => link_terms(coalesce_text(events), terms),
        _ => events,
    };
    finish(events, &headings, resolve, highlighter, body.len())
}

/// Renders `body` for the print edition, where every document shares one
/// page: heading ids get `id_prefix` so they stay unique, headings move
/// down `shift` levels under the document's own title, and glossary terms
/// are not linked (their previews would repeat on every mention).
pub fn render_print(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    highlighter: &Highlighter,
    id_prefix: &str,
    shift: u8,
) -> String {
    let mut events: Vec<Event<'_>> = Parser::new_ext(body, options()).collect();
    for event in events.iter_mut() {
        if let Event::Start(Tag::Heading { level, id, .. }) = event {
            *level = shifted(*level, shift);
            if let Some(written) = id.as_ref() {
                *id = Some(CowStr::from(format!("{id_prefix}{written}")));
            }
        } else if let Event::End(TagEnd::Heading(level)) = event {
            *level = shifted(*level, shift);
        }
    }
    let mut headings = assign_heading_ids(&mut events);
    for (h, event) in headings.iter_mut().zip(
        events
            .iter_mut()
            .filter(|e| matches!(e, Event::Start(Tag::Heading { .. }))),
    ) {
        if !h.id.starts_with(id_prefix) {
            h.id = format!("{id_prefix}{}", h.id);
        }
        if let Event::Start(Tag::Heading { id, .. }) = event {
            *id = Some(CowStr::from(h.id.clone()));
        }
    }
    finish(events, &headings, resolve, highlighter, body.len())
}

/// The passes every rendering ends with: heading anchors, `@/` links,
/// highlighted code, then HTML.
fn finish(
    events: Vec<Event<'_>>,
    headings: &[Heading],
    resolve: &dyn Fn(&str) -> Option<String>,
    highlighter: &Highlighter,
    size: usize,
) -> String {
    let events = add_heading_anchors(events, headings);
    let events = rewrite_internal_links(events, resolve);
    let events = highlight_code(events, highlighter);
    let mut html = String::with_capacity(size * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn shifted(level: HeadingLevel, by: u8) -> HeadingLevel {
    match heading_level(level).saturating_add(by) {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The plain text of the first paragraph of `body`, for previews and
/// descriptions.
pub fn first_paragraph_text(body: &str) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if in_paragraph => break,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The plain text of a whole body, for the search index.
pub fn plain_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Gives every heading a unique id: the one written with `{#id}`, or a slug
/// of its text, with `-1`, `-2`... added on repeats and on the ids the page
/// templates use.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut headings = Vec::new();
    // The current heading: its written id, level and text so far.
    let mut open: Option<(Option<String>, u8, String)> = None;
    let mut start_index = 0;
    for i in 0..events.len() {
        let Some(event) = events.get(i) else { break };
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open = Some((
                    id.as_ref().map(|s| s.to_string()),
                    heading_level(*level),
                    String::new(),
                ));
                start_index = i;
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = open.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((written, level, text)) = open.take() else {
                    continue;
                };
                let base = written.unwrap_or_else(|| {
                    let s = slug::slugify(&text);
                    if s.is_empty() {
                        "section".to_string()
                    } else {
                        s
                    }
                });
                let mut unique = base.clone();
                let mut n = 1;
                while !used.insert(unique.clone()) {
                    unique = format!("{base}-{n}");
                    n += 1;
                }
                if let Some(Event::Start(Tag::Heading { id, .. })) = events.get_mut(start_index) {
                    *id = Some(CowStr::from(unique.clone()));
                }
                headings.push(Heading {
                    id: unique,
                    text,
                    level,
                });
            }
            _ => {}
        }
    }
    headings
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Puts a visible "#" link at the end of each heading so readers can copy
/// a link to the section.
fn add_heading_anchors<'a>(events: Vec<Event<'a>>, headings: &[Heading]) -> Vec<Event<'a>> {
    let mut ids = headings.iter();
    let mut current = None;
    let mut out = Vec::with_capacity(events.len() + headings.len());
    for event in events {
        match &event {
            Event::Start(Tag::Heading { .. }) => current = ids.next(),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = current.take() {
                    out.push(Event::InlineHtml(CowStr::from(anchor_html(&h.id))));
                }
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// The copy-link affordance placed in headings, questions, events and terms.
pub fn anchor_html(id: &str) -> String {
    format!(
        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\" title=\"Link to this section\">#</a>"
    )
}

fn rewrite_internal_links<'a>(
    events: Vec<Event<'a>>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Vec<Event<'a>> {
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(resolve(&dest_url).unwrap_or_else(|| "#".to_string())),
                title,
                id,
            }),
            other => other,
        })
        .collect()
}

/// Replaces fenced code blocks with a known language by highlighted HTML.
fn highlight_code<'a>(events: Vec<Event<'a>>, highlighter: &Highlighter) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if !lang.is_empty() => {
                let lang = lang.split([' ', ',']).next().unwrap_or("").to_string();
                code = Some((lang, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                let (lang, text) = code.take().unwrap_or_default();
                out.push(Event::Html(CowStr::from(code_block_html(
                    &lang,
                    &text,
                    highlighter,
                ))));
            }
            other => out.push(other),
        }
    }
    out
}

fn code_block_html(lang: &str, code: &str, highlighter: &Highlighter) -> String {
    if lang == "chart" {
        // Errors were reported by the link stage; this is only reached for
        // valid charts, but a broken one still shows as code.
        if let Ok(chart) = crate::chart::parse(code) {
            let id = format!("chart-{:08x}", crate::load::hash_of(code) as u32);
            return crate::chart::render(&chart, &id);
        }
    }
    let mut lang_attr = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut lang_attr, lang);
    let body = highlighter.highlight(code, lang).unwrap_or_else(|| {
        let mut escaped = String::new();
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut escaped, code);
        escaped
    });
    format!(
        "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{body}</code></pre>\n"
    )
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let resolve = |d: &str| (d == "@/faq/a.md").then(|| "/faq/a/".to_string());
        render(md, &resolve, &Highlighter::new(), None)
    }

    #[test]
    fn headings_get_unique_ids_and_anchor_links() {
        let out = html("## Why it matters\n\n## Why it matters\n\n## Sources\n\n## Own {#mine}\n");
        assert!(out.contains("<h2 id=\"why-it-matters\">Why it matters <a class=\"anchor\" href=\"#why-it-matters\""), "{out}");
        assert!(out.contains("id=\"why-it-matters-1\""), "{out}");
        assert!(
            out.contains("id=\"sources-1\""),
            "reserved id reused: {out}"
        );
        assert!(out.contains("id=\"mine\""), "{out}");
    }

    #[test]
    fn analysis_ids_match_rendered_ids() {
        let md = "# A\n\n## `code` heading\n\n## A\n";
        let a = analyze(md, None);
        let ids: Vec<_> = a.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "code-heading", "a-1"]);
        let out = html(md);
        for id in ids {
            assert!(
                out.contains(&format!("id=\"{id}\"")),
                "{id} missing in {out}"
            );
        }
    }

    #[test]
    fn internal_links_are_found_with_ranges_and_rewritten() {
        let md = "See [this](@/faq/a.md) and [web](https://x.org).";
        let a = analyze(md, None);
        assert_eq!(a.links.len(), 1);
        assert_eq!(&md[a.links[0].range.clone()], "[this](@/faq/a.md)");
        let out = html(md);
        assert!(out.contains("<a href=\"/faq/a/\">this</a>"), "{out}");
        assert!(out.contains("https://x.org"), "{out}");
    }

    #[test]
    fn extensions_are_on() {
        let out = html("| a |\n|---|\n| b |\n\n~~x~~ \"q\" note[^1]\n\n[^1]: f\n\nTerm\n: Def\n");
        for needle in [
            "<table>",
            "<del>x</del>",
            "\u{201c}q\u{201d}",
            "footnote",
            "<dl>",
        ] {
            assert!(out.contains(needle), "{needle} missing in {out}");
        }
    }

    #[test]
    fn first_mention_of_allowed_terms_is_linked_outside_code_headings_and_links() {
        let linker = Autolinker::new(&[vec!["HBM"], vec!["Ascend", "Ascend chips"], vec!["SMIC"]]);
        let md = "## HBM heading\n\n`HBM` code, [HBM link](https://x.org), then HBM and HBM again.\n\n```\nHBM\n```\n\nAscend chips, Ascend and SMIC.\n";
        let a = analyze(md, Some(&linker));
        assert_eq!(a.mentions, [0, 1, 2]);
        let html_for = |t: usize, text: &str| format!("<a data-term=\"{t}\">{text}</a>");
        let terms = TermLinks {
            linker: &linker,
            allowed: &[0, 1],
            html: &html_for,
        };
        let resolve = |_: &str| None;
        let out = render(md, &resolve, &Highlighter::new(), Some(&terms));
        assert_eq!(out.matches("data-term=\"0\"").count(), 1, "{out}");
        assert!(
            out.contains("then <a data-term=\"0\">HBM</a> and HBM again"),
            "{out}"
        );
        assert!(
            out.contains("<a data-term=\"1\">Ascend chips</a>, Ascend"),
            "longest alias wins: {out}"
        );
        assert!(
            !out.contains("data-term=\"2\""),
            "SMIC is not allowed here: {out}"
        );
        assert!(out.contains("<h2 id=\"hbm-heading\">HBM heading"), "{out}");
    }

    #[test]
    fn fenced_code_is_highlighted_and_unknown_languages_escaped() {
        let out = html("```rust\nlet x = 1;\n```\n\n```nope\n<b>\n```\n");
        assert!(out.contains("class=\"hl-"), "{out}");
        assert!(out.contains("&lt;b&gt;"), "{out}");
    }
}
