//! The HTML of an automatic glossary link: the link to the term's entry
//! and the preview of its definition that goes with it. Apart from
//! `render.rs` because it is markup of its own, which the stylesheet and
//! the script of the previews rely on.

use super::render::Renderer;
use crate::html::escape;
use crate::urls::paths;

impl Renderer<'_> {
    /// The opening of a glossary link: the link to the entry, tied to its
    /// preview. The preview is real text in the page (shown on hover, focus
    /// and tap by the stylesheet and script, read by screen readers through
    /// `aria-describedby`), and the link leads to the full entry, so nothing
    /// depends on JavaScript.
    pub(super) fn open_term(&self, page: &str, t: usize, tip: &str) -> String {
        let Some(term) = self.index.terms.get(t) else {
            return "<span class=\"term-ref\"><a class=\"term-link\">".to_string();
        };
        format!(
            "<span class=\"term-ref\"><a class=\"term-link\" href=\"{}\" aria-describedby=\"{}\">",
            escape(
                &self
                    .index
                    .urls
                    .url_from(page, &paths::term(&term.item.slug))
            ),
            escape(tip)
        )
    }

    /// The end of a glossary link and its preview.
    pub(super) fn close_term(&self, t: usize, tip: &str) -> String {
        let Some(term) = self.index.terms.get(t) else {
            return "</a></span>".to_string();
        };
        let word = |key| escape(self.index.t(key));
        let abbr = term
            .item
            .abbr
            .as_deref()
            .map(|a| format!("{}{}{}", word("paren_open"), escape(a), word("paren_close")))
            .unwrap_or_default();
        format!(
            "</a><span class=\"term-tip\" role=\"tooltip\" id=\"{}\"><strong>{}</strong>{abbr}{}{}</span></span>",
            escape(tip),
            escape(&term.item.term),
            word("colon"),
            escape(self.previews.get(t).map(String::as_str).unwrap_or(""))
        )
    }
}
