//! Raw HTML in bodies: which elements are open (automatic glossary links
//! never go inside `<a>`, `<code>`, `<script>`...), the `href` and `src`
//! values it holds, and the balancing pass that keeps a body from
//! breaking the page around it.
//!
//! Raw HTML is tokenized and parsed with html5ever (the parser of Servo
//! and of `scraper`), never with hand-written string matching.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{Event, Tag, TagEnd};

/// Elements inside which an automatic link is wrong (a link, a control, a
/// heading) or whose text is not prose (code, scripts, styles, math, SVG).
/// Documented in the README under "Automatic term links".
pub(crate) const NO_LINKS_INSIDE: &[&str] = &[
    "a", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "iframe", "kbd", "label", "math",
    "noscript", "object", "optgroup", "option", "pre", "samp", "script", "select", "style", "svg",
    "template", "textarea", "title", "var",
];

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// One tag of a raw HTML fragment.
struct RawTag {
    start: bool,
    name: String,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

#[derive(Default)]
struct Collect(RefCell<Vec<RawTag>>);

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            self.0.borrow_mut().push(RawTag {
                start: tag.kind == TagKind::StartTag,
                name: tag.name.to_string(),
                self_closing: tag.self_closing,
                attrs: tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            });
        }
        TokenSinkResult::Continue
    }
}

/// The tags of a raw HTML fragment, in order.
fn tags(html: &str) -> Vec<RawTag> {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// The `href`, `src` and `id` attribute values of a raw HTML fragment.
pub(crate) fn attributes(html: &str) -> Vec<(String, String)> {
    tags(html)
        .into_iter()
        .filter(|t| t.start)
        .flat_map(|t| t.attrs)
        .filter(|(name, _)| name == "href" || name == "src" || name == "id")
        .collect()
}

/// Whether text at this point of a body may hold an automatic link: not
/// inside code, a heading, a link or an image, nor inside a raw HTML
/// element of [`NO_LINKS_INSIDE`].
#[derive(Debug, Default)]
pub(crate) struct Blocking {
    markdown: usize,
    raw: usize,
    /// Code blocks and images: their text is not prose.
    verbatim: usize,
}

impl Blocking {
    /// Follows one event.
    pub(crate) fn update(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. },
            ) => {
                self.markdown += 1;
                if matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::Image { .. })) {
                    self.verbatim += 1;
                }
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image) => {
                self.markdown = self.markdown.saturating_sub(1);
                if matches!(event, Event::End(TagEnd::CodeBlock | TagEnd::Image)) {
                    self.verbatim = self.verbatim.saturating_sub(1);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for tag in tags(html) {
                    let name = tag.name.as_str();
                    if !NO_LINKS_INSIDE.contains(&name) || VOID.contains(&name) {
                        continue;
                    }
                    if tag.start && !tag.self_closing {
                        self.raw += 1;
                    } else if !tag.start {
                        self.raw = self.raw.saturating_sub(1);
                    }
                }
            }
            _ => {}
        }
    }

    /// True when an automatic link may go here.
    pub(crate) fn allows_links(&self) -> bool {
        self.markdown == 0 && self.raw == 0
    }

    /// True when text here is prose that markup may wrap: not in code, an
    /// image's alt text or a raw element such as `<script>` or `<title>`.
    pub(crate) fn allows_spans(&self) -> bool {
        self.verbatim == 0 && self.raw == 0
    }
}

/// Re-parses the HTML of a body that holds raw HTML as a fragment and
/// writes it out again: unclosed elements are closed, stray end tags
/// dropped and an unclosed comment ended, so the body cannot close the
/// page's `<main>` or swallow its footer. `rewrite` maps each `href` and
/// `src` value (`@/` links, local paths) to the URL to write, or `None`
/// to keep it. The ids written in raw HTML (`raw_ids`) get `prefix`, as
/// every id of a body on a shared page does, and so do links to them.
pub(crate) fn balance(
    html: &str,
    rewrite: &dyn Fn(&str) -> Option<String>,
    prefix: &str,
    raw_ids: &[String],
) -> String {
    let mut fragment = scraper::Html::parse_fragment(html);
    let ids: Vec<_> = fragment.tree.nodes().map(|n| n.id()).collect();
    for id in ids {
        let Some(mut node) = fragment.tree.get_mut(id) else {
            continue;
        };
        if let scraper::Node::Element(element) = node.value() {
            for (name, value) in element.attrs.iter_mut() {
                let local = &*name.local;
                let own = |v: &str| !prefix.is_empty() && raw_ids.iter().any(|id| id == v);
                if local == "id" && own(value) {
                    *value = format!("{prefix}{}", &**value).as_str().into();
                } else if local == "href"
                    && let Some(fragment) = value.strip_prefix('#')
                    && own(fragment)
                {
                    *value = format!("#{prefix}{fragment}").as_str().into();
                } else if (local == "href" || local == "src")
                    && let Some(url) = rewrite(value)
                {
                    *value = url.as_str().into();
                }
            }
        }
    }
    fragment.root_element().inner_html()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_are_read_by_a_real_tokenizer() {
        let refs = attributes("<a title='a > b' href=\"@/faq/x.md\" id=x>");
        assert_eq!(
            refs,
            [
                ("href".to_string(), "@/faq/x.md".to_string()),
                ("id".to_string(), "x".to_string())
            ]
        );
    }

    #[test]
    fn broken_markup_is_closed_and_links_rewritten() {
        let out = balance(
            "<p>a</p></main><div><a href=\"@/faq/x.md\">x</a><!-- never closed",
            &|v| v.strip_prefix("@/").map(|_| "../faq/x/".to_string()),
            "",
            &[],
        );
        assert!(!out.contains("</main>"), "{out}");
        assert!(out.contains("<div><a href=\"../faq/x/\">x</a>"), "{out}");
        assert!(out.ends_with("<!-- never closed--></div>"), "{out}");
        let out = balance(
            "<p id=\"n\"><a href=\"#n\">x</a></p>",
            &|_| None,
            "ev.",
            &["n".to_string()],
        );
        assert_eq!(out, "<p id=\"ev.n\"><a href=\"#ev.n\">x</a></p>");
    }
}
