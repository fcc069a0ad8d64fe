//! A parsed body to HTML: a chain of small passes over the event stream,
//! each a function from events to events, then pulldown-cmark's writer and,
//! for bodies with raw HTML, the balancing pass of `raw.rs`.

mod language;
mod terms;

use std::cell::Cell;
use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Document;
use super::analyze::{Analysis, Destination, destination, heading_level, is_chart, is_figure};
use super::ids::Ids;
use super::raw;
use crate::highlight::Highlighter;
use crate::html::escape;
pub use language::{Language, marked_text};
pub use terms::TermLinks;
use terms::term_links;

/// Everything a body's HTML depends on besides its text.
pub struct RenderContext<'a> {
    /// Prefix of every id of the body: `""` on its own page, `"slug."` on
    /// pages shared with other documents.
    pub id_prefix: &'a str,
    /// An `@/` destination as a URL from the page; `None` for links the
    /// link stage reports as broken.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// A local path (`chip.png`) as a URL from the page, when it must be
    /// rewritten (files beside the content).
    pub local: &'a dyn Fn(&str) -> Option<String>,
    /// An image's address as written (`chip.png`, `@/faq/x/chip.png`), as
    /// it is written into the page: URL, size, narrower copies.
    pub image: &'a dyn Fn(&str) -> Option<crate::figure::ImageHtml>,
    /// Glossary links; `None` for none at all (the print edition).
    pub terms: Option<TermLinks<'a>>,
    /// Highlighting of code blocks.
    pub highlighter: &'a Highlighter,
    /// Headings move down this many levels (the print edition puts bodies
    /// under their document's title).
    pub shift_headings: u8,
    /// The page's language: heading link labels, marks on CJK runs.
    pub language: &'a Language,
}

/// Renders a parsed body to HTML.
pub fn render(doc: &Document<'_>, analysis: &Analysis, ctx: &RenderContext<'_>) -> String {
    let mut ids = Ids::for_document(ctx.id_prefix);
    ids.reserve(analysis.headings.iter().map(|h| h.id.as_str()));
    ids.reserve(analysis.raw_ids.iter().map(String::as_str));
    let events: Vec<Event<'_>> = doc.events.iter().map(|(e, _)| e.clone()).collect();
    // Term links first: they read the author's raw HTML to know where a
    // link may go, before the passes below add markup of their own.
    let events = match &ctx.terms {
        Some(terms) => term_links(events, terms, &mut ids),
        None => events,
    };
    let events = headings(events, analysis, &ids, ctx);
    let events = footnotes(events, &mut ids);
    let eager = Cell::new(true);
    let events = images(events, ctx, &eager);
    let events = destinations(events, ctx);
    let events = code_blocks(events, ctx, &mut ids, &eager);
    let events = language::mark_cjk_runs(events, ctx.language);
    let mut html = String::with_capacity(doc.size * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if analysis.raw_html {
        let rewrite = |url: &str| match destination(url) {
            Destination::Internal(dest) => {
                Some((ctx.resolve)(dest).unwrap_or_else(|| "#".to_string()))
            }
            Destination::Local(path) => (ctx.local)(path),
            Destination::Other => None,
        };
        html = raw::balance(&html, &rewrite, ctx.id_prefix, &analysis.raw_ids);
    }
    html
}

/// The copy-link affordance placed in headings, questions, events and
/// terms; `label` says what it is in the page's language.
pub fn anchor_html(id: &str, label: &str) -> String {
    let label = escape(label);
    format!(
        " <a class=\"anchor\" href=\"#{}\" aria-label=\"{label}\" title=\"{label}\">#</a>",
        escape(id)
    )
}

/// Gives headings their ids (prefixed) and a visible `#` link; moves them
/// down `shift` levels.
fn headings<'a>(
    events: Vec<Event<'a>>,
    analysis: &Analysis,
    ids: &Ids,
    ctx: &RenderContext<'_>,
) -> Vec<Event<'a>> {
    let shift = ctx.shift_headings;
    let mut given = analysis.headings.iter();
    let mut current = None;
    let mut out = Vec::with_capacity(events.len() + analysis.headings.len());
    for event in events {
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                current = given.next().map(|h| ids.prefixed(&h.id));
                out.push(Event::Start(Tag::Heading {
                    level: shifted(level, shift),
                    id: current.clone().map(CowStr::from),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(id) = current.take() {
                    out.push(Event::InlineHtml(CowStr::from(anchor_html(
                        &id,
                        &ctx.language.anchor_label,
                    ))));
                }
                out.push(Event::End(TagEnd::Heading(shifted(level, shift))));
            }
            other => out.push(other),
        }
    }
    out
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

/// Footnotes with ids from the body's allocator (`fn-1`, `fnref-1`,
/// prefixed on shared pages), numbered in order of first reference, so two
/// documents' `[^1]` never meet on one page.
fn footnotes<'a>(events: Vec<Event<'a>>, ids: &mut Ids) -> Vec<Event<'a>> {
    if !events.iter().any(|e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    }) {
        return events;
    }
    // Number and id of each label, in order of first appearance.
    let mut notes: HashMap<String, (usize, String, String)> = HashMap::new();
    let mut number_of = |label: &str, ids: &mut Ids| -> (usize, String, String) {
        let next = notes.len() + 1;
        notes
            .entry(label.to_string())
            .or_insert_with(|| {
                (
                    next,
                    ids.take(&format!("fn-{next}")),
                    ids.take(&format!("fnref-{next}")),
                )
            })
            .clone()
    };
    let mut out = Vec::with_capacity(events.len());
    let mut repeat: HashMap<String, usize> = HashMap::new();
    for event in events {
        match event {
            Event::FootnoteReference(label) => {
                let (n, note, reference) = number_of(&label, ids);
                let seen = repeat.entry(label.to_string()).or_insert(0);
                *seen += 1;
                let ref_id = if *seen == 1 {
                    reference
                } else {
                    ids.take(&format!("fnref-{n}"))
                };
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{}\">{n}</a></sup>",
                    escape(&note),
                    escape(&ref_id)
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (n, note, reference) = number_of(&label, ids);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"{}\"><p class=\"footnote-label\"><a href=\"#{}\" aria-label=\"Back to reference {n}\">{n}.</a></p>\n",
                    escape(&note),
                    escape(&reference)
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => out.push(other),
        }
    }
    out
}

/// Images become `<img>` elements with their size and narrower copies
/// (`srcset`) when the build knows the file, so that the page does not
/// move as they load. An image with a title alone in its paragraph is a
/// figure, the title its caption. The first image of the page loads at
/// once, the others when they come near the screen.
fn images<'a>(
    events: Vec<Event<'a>>,
    ctx: &RenderContext<'_>,
    eager: &Cell<bool>,
) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    // The image being read: its destination, title, alt text so far.
    let mut open: Option<(CowStr<'a>, CowStr<'a>, String)> = None;
    while let Some(event) = iter.next() {
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                open = Some((dest_url, title, String::new()));
            }
            Event::End(TagEnd::Image) => {
                let Some((dest, title, alt)) = open.take() else {
                    continue;
                };
                let image = image_html(&dest, ctx);
                let first = eager.replace(false);
                let alone = matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
                    && matches!(iter.peek(), Some(Event::End(TagEnd::Paragraph)));
                if alone && !title.trim().is_empty() {
                    out.pop();
                    iter.next();
                    let figure = crate::figure::Figure {
                        src: dest.to_string(),
                        alt,
                        caption: title.to_string(),
                        credit: String::new(),
                        source: String::new(),
                    };
                    out.push(Event::Html(CowStr::from(crate::figure::render(
                        &image, &figure, first,
                    ))));
                } else {
                    out.push(Event::InlineHtml(CowStr::from(crate::figure::img(
                        &image, &alt, first,
                    ))));
                }
            }
            Event::Text(t) | Event::Code(t) if open.is_some() => {
                if let Some((_, _, alt)) = open.as_mut() {
                    alt.push_str(&t);
                }
            }
            // Inside an image only the text of its alternative counts.
            _ if open.is_some() => {}
            other => out.push(other),
        }
    }
    out
}

/// How an image written as `url` is written into the page: what the build
/// knows of the file, or else the address rewritten as a link would be.
fn image_html(url: &str, ctx: &RenderContext<'_>) -> crate::figure::ImageHtml {
    if let Some(known) = (ctx.image)(url) {
        return known;
    }
    let src = match destination(url) {
        Destination::Internal(dest) => (ctx.resolve)(dest).unwrap_or_else(|| "#".to_string()),
        Destination::Local(path) => (ctx.local)(path).unwrap_or_else(|| url.to_string()),
        Destination::Other => url.to_string(),
    };
    crate::figure::ImageHtml {
        src,
        ..Default::default()
    }
}

/// Rewrites `@/` destinations of links and images to URLs, and local paths
/// that need it (files beside the content).
fn destinations<'a>(events: Vec<Event<'a>>, ctx: &RenderContext<'_>) -> Vec<Event<'a>> {
    let rewrite = |url: CowStr<'a>| -> CowStr<'a> {
        match destination(&url) {
            Destination::Internal(dest) => {
                CowStr::from((ctx.resolve)(dest).unwrap_or_else(|| "#".to_string()))
            }
            Destination::Local(path) => match (ctx.local)(path) {
                Some(u) => CowStr::from(u),
                None => url,
            },
            Destination::Other => url,
        }
    };
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: rewrite(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: rewrite(dest_url),
                title,
                id,
            }),
            other => other,
        })
        .collect()
}

/// Replaces fenced code blocks with a known language by highlighted HTML,
/// and `chart` blocks by their figure.
fn code_blocks<'a>(
    events: Vec<Event<'a>>,
    ctx: &RenderContext<'_>,
    ids: &mut Ids,
    eager: &Cell<bool>,
) -> Vec<Event<'a>> {
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
                let figure = is_figure(&lang)
                    .then(|| crate::figure::parse(&text).ok())
                    .flatten();
                let html = match figure {
                    Some(figure) => {
                        let image = image_html(&figure.src, ctx);
                        crate::figure::render(&image, &figure, eager.replace(false))
                    }
                    _ => code_block_html(&lang, &text, ctx, ids),
                };
                out.push(Event::Html(CowStr::from(html)));
            }
            other => out.push(other),
        }
    }
    out
}

fn code_block_html(lang: &str, code: &str, ctx: &RenderContext<'_>, ids: &mut Ids) -> String {
    let highlighter = ctx.highlighter;
    if is_chart(lang) {
        // Errors were reported by the link stage; this is only reached for
        // valid charts, but a broken one still shows as code.
        if let Ok(chart) = crate::chart::parse(code) {
            let id = loop {
                let base = ids.unique("chart");
                if ids.claim(&format!("{base}-title")) && ids.claim(&format!("{base}-desc")) {
                    break ids.prefixed(&base);
                }
            };
            return crate::chart::render(&chart, &id, &ctx.language.chart);
        }
    }
    let lang_attr = escape(lang);
    let body = match highlighter.highlight_cached(code, lang) {
        Some(html) => html.to_string(),
        None => {
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut escaped, code);
            escaped
        }
    };
    format!(
        "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{body}</code></pre>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Autolinker;
    use crate::markdown::{analyze, parse};

    fn html_with(md: &str, prefix: &str, terms: Option<TermLinks<'_>>) -> String {
        let resolve = |d: &str| (d == "@/faq/a.md").then(|| "../a/".to_string());
        let local = |_: &str| None;
        let image = |_: &str| None;
        let h = Highlighter::new();
        let linker = terms.as_ref().and_then(|t| t.linker);
        let doc = parse(md);
        let a = analyze(&doc, md, linker);
        let ctx = RenderContext {
            id_prefix: prefix,
            resolve: &resolve,
            local: &local,
            image: &image,
            terms,
            highlighter: &h,
            shift_headings: 0,
            language: &Language::new("Link to this section", "en", &[]),
        };
        render(&doc, &a, &ctx)
    }

    fn html(md: &str) -> String {
        html_with(md, "", None)
    }

    #[test]
    fn headings_get_their_ids_and_escaped_anchor_links() {
        let out = html("## Why it matters\n\n## Why it matters\n\n## Own {#mine}\n");
        assert!(out.contains("<h2 id=\"why-it-matters\">Why it matters <a class=\"anchor\" href=\"#why-it-matters\""), "{out}");
        assert!(out.contains("id=\"why-it-matters-1\""), "{out}");
        assert!(out.contains("id=\"mine\""), "{out}");
        let out = html("## X {#a\"onmouseover=\"alert(1)}\n");
        assert!(!out.contains("onmouseover=\"alert"), "{out}");
    }

    #[test]
    fn ids_on_shared_pages_are_prefixed_and_footnotes_namespaced() {
        let out = html_with(
            "## H\n\nA note.[^1] Again.[^1]\n\n[^1]: The note.\n",
            "ev.",
            None,
        );
        assert!(out.contains("<h2 id=\"ev.h\">"), "{out}");
        assert!(
            out.contains("<a href=\"#ev.fn-1\" id=\"ev.fnref-1\">1</a>"),
            "{out}"
        );
        assert!(
            out.contains("id=\"ev.fnref-1-1\""),
            "second reference: {out}"
        );
        assert!(
            out.contains("<div class=\"footnote\" id=\"ev.fn-1\">"),
            "{out}"
        );
    }

    #[test]
    fn links_are_rewritten_and_raw_html_cannot_break_the_page() {
        let out = html(
            "See [this](@/faq/a.md).\n\n<div><a href=\"@/faq/a.md\">x</a></main>\n\n<!-- open\n",
        );
        assert!(out.contains("<a href=\"../a/\">this</a>"), "{out}");
        assert!(out.contains("<a href=\"../a/\">x</a>"), "{out}");
        assert!(!out.contains("</main>"), "{out}");
    }

    #[test]
    fn terms_are_linked_once_outside_blocked_places_and_by_hand_with_a_preview() {
        let linker = Autolinker::new(&[vec!["HBM"], vec!["Ascend", "Ascend chips"], vec!["SMIC"]]);
        let open =
            |t: usize, tip: &str| format!("<a aria-describedby=\"{tip}\" data-term=\"{t}\">");
        let close = |t: usize, tip: &str| format!("</a><span id=\"{tip}\">{t}</span>");
        let term_of = |d: &str| (d == "@/glossary/smic.md").then_some(2);
        let slug = |t: usize| format!("t{t}");
        let terms = TermLinks {
            linker: Some(&linker),
            allowed: &[0, 1],
            term_of: &term_of,
            slug: &slug,
            open: &open,
            close: &close,
        };
        let md = "## HBM heading\n\n`HBM` code, <kbd>HBM</kbd>, then HBM and HBM again.\n\nAscend chips, Ascend and [the foundry](@/glossary/smic.md).\n";
        let out = html_with(md, "", Some(terms));
        assert_eq!(out.matches("data-term=\"0\"").count(), 1, "{out}");
        assert!(out.contains("then <a aria-describedby=\"tip-t0\" data-term=\"0\">HBM</a><span id=\"tip-t0\">0</span> and HBM again"), "{out}");
        assert!(
            out.contains("<a aria-describedby=\"tip-t1\" data-term=\"1\">Ascend chips</a>"),
            "{out}"
        );
        assert!(out.contains("<a aria-describedby=\"tip-t2\" data-term=\"2\">the foundry</a><span id=\"tip-t2\">2</span>"), "{out}");
        assert!(out.contains("<kbd>HBM</kbd>"), "{out}");
    }

    #[test]
    fn code_is_highlighted_and_identical_charts_get_their_own_ids() {
        let out = html("```rust\nlet x = 1;\n```\n\n```nope\n<b>\n```\n");
        assert!(out.contains("class=\"hl-"), "{out}");
        assert!(out.contains("&lt;b&gt;"), "{out}");
        let chart = "```chart\ntype = \"bar\"\ntitle = \"T\"\nlabels = [\"a\"]\n[[series]]\nname = \"s\"\nvalues = [1]\n```\n";
        let out = html(&format!("{chart}\n{chart}"));
        assert!(
            out.contains("id=\"chart\"") && out.contains("id=\"chart-1\""),
            "{out}"
        );
        assert!(out.contains("id=\"chart-1-title\""), "{out}");
    }
}
