//! The language of a page as its bodies need it: the label of the `#`
//! link beside each heading, and `lang` on runs of Chinese, Japanese or
//! Korean text inside a page in another language ("its Chinese name is
//! 海思"), so that browsers pick a CJK font and screen readers a voice
//! that can read it.
//!
//! A pass of its own because it is the last one: it wraps text that every
//! earlier pass has settled, and never inside code, images or raw elements
//! whose text is not prose (`raw::NO_LINKS_INSIDE`).

use pulldown_cmark::{CowStr, Event};

use super::super::raw::Blocking;
use crate::glossary::is_cjk;

/// What the bodies of one language's pages say in that language.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Language {
    /// `aria-label` and `title` of the `#` link beside each heading.
    pub anchor_label: String,
    /// The tag for Chinese runs (`zh-Hans`); `None` on pages that are
    /// themselves in Chinese, Japanese or Korean, which need no marks.
    pub cjk_tag: Option<String>,
    /// The words around a chart's numbers.
    pub chart: crate::chart::ChartWords,
}

impl Language {
    /// The marks of a page in `page_tag` on a site whose languages have
    /// the tags `site_tags` (the Chinese one, if any, names Chinese runs).
    pub fn new(anchor_label: &str, page_tag: &str, site_tags: &[&str]) -> Language {
        let primary = crate::language::primary_subtag;
        let cjk_page = matches!(primary(page_tag).as_str(), "zh" | "ja" | "ko");
        let chinese = site_tags
            .iter()
            .find(|t| primary(t) == "zh")
            .map_or("zh", |t| *t);
        Language {
            anchor_label: anchor_label.to_string(),
            cjk_tag: (!cjk_page).then(|| chinese.to_string()),
            chart: crate::chart::ChartWords::default(),
        }
    }

    /// The same, with the chart's words of the page's language.
    pub fn with_chart(self, chart: crate::chart::ChartWords) -> Language {
        Language { chart, ..self }
    }
}

/// Punctuation that belongs to the CJK run around it (、。「」，：！ and
/// the full-width forms).
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// The tag of one run: Korean for Hangul, Japanese when it has kana,
/// else the site's Chinese.
fn run_tag<'a>(run: &str, chinese: &'a str) -> &'a str {
    if run.chars().any(|c| matches!(c as u32, 0xAC00..=0xD7AF)) {
        "ko"
    } else if run.chars().any(|c| matches!(c as u32, 0x3040..=0x30FF)) {
        "ja"
    } else {
        chinese
    }
}

/// Wraps each run of CJK text in `<span lang="...">`.
pub(super) fn mark_cjk_runs<'a>(events: Vec<Event<'a>>, language: &Language) -> Vec<Event<'a>> {
    let Some(chinese) = language.cjk_tag.as_deref() else {
        return events;
    };
    if !events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.chars().any(is_cjk)))
    {
        return events;
    }
    let mut state = Blocking::default();
    let mut out = Vec::with_capacity(events.len() + 8);
    for event in events {
        let prose = state.allows_spans();
        state.update(&event);
        match event {
            Event::Text(text) if prose && text.chars().any(is_cjk) => {
                split_runs(&text, chinese, &mut out);
            }
            other => out.push(other),
        }
    }
    out
}

/// `text` as escaped HTML with its CJK runs in `<span lang="TAG">`, for
/// front-matter text that templates write (a source's Chinese title on an
/// English page); `tag` `None` escapes only.
pub fn marked_text(text: &str, tag: Option<&str>) -> String {
    let mut events = Vec::new();
    match tag {
        Some(tag) if text.chars().any(is_cjk) => split_runs(text, tag, &mut events),
        _ => events.push(Event::Text(CowStr::from(text.to_string()))),
    }
    let mut out = String::with_capacity(text.len() + 32);
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// Splits `text` into plain text and runs: the longest stretches of CJK
/// characters and CJK punctuation that hold at least one CJK character.
fn split_runs<'a>(text: &str, chinese: &str, out: &mut Vec<Event<'a>>) {
    let mut plain = String::new();
    let mut group = String::new();
    let mut group_has_cjk = false;
    let flush_group =
        |plain: &mut String, group: &mut String, has_cjk: &mut bool, out: &mut Vec<Event<'a>>| {
            if *has_cjk {
                if !plain.is_empty() {
                    out.push(Event::Text(CowStr::from(std::mem::take(plain))));
                }
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<span lang=\"{}\">",
                    run_tag(group, chinese)
                ))));
                out.push(Event::Text(CowStr::from(std::mem::take(group))));
                out.push(Event::InlineHtml(CowStr::Borrowed("</span>")));
            } else {
                plain.push_str(group);
                group.clear();
            }
            *has_cjk = false;
        };
    for c in text.chars() {
        if is_cjk(c) || is_cjk_punctuation(c) {
            group.push(c);
            group_has_cjk |= is_cjk(c);
        } else {
            flush_group(&mut plain, &mut group, &mut group_has_cjk, out);
            plain.push(c);
        }
    }
    flush_group(&mut plain, &mut group, &mut group_has_cjk, out);
    if !plain.is_empty() {
        out.push(Event::Text(CowStr::from(plain)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str, language: &Language) -> String {
        let events: Vec<Event<'_>> = pulldown_cmark::Parser::new(markdown).collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, mark_cjk_runs(events, language).into_iter());
        out
    }

    #[test]
    fn chinese_runs_in_english_text_are_marked_and_code_is_not() {
        let en = Language::new("Link", "en", &["en", "zh-Hans"]);
        assert_eq!(
            html("Its Chinese name is 海思（Hǎisī）, and 「昇腾」 too.", &en),
            "<p>Its Chinese name is <span lang=\"zh-Hans\">海思（</span>Hǎisī）, and <span lang=\"zh-Hans\">「昇腾」</span> too.</p>\n"
        );
        assert_eq!(
            html("`华为` and ![华为](x.png)\n\n```\n华为\n```", &en),
            "<p><code>华为</code> and <img src=\"x.png\" alt=\"华为\" /></p>\n<pre><code>华为\n</code></pre>\n"
        );
        assert!(
            html("カタカナ and 한국어", &en)
                .contains("<span lang=\"ja\">カタカナ</span> and <span lang=\"ko\">한국어</span>")
        );
    }

    #[test]
    fn front_matter_text_is_escaped_and_marked() {
        assert_eq!(
            marked_text("<b>“对话任正非”</b> & more", Some("zh-Hans")),
            "&lt;b&gt;“<span lang=\"zh-Hans\">对话任正非</span>”&lt;/b&gt; &amp; more"
        );
        assert_eq!(marked_text("对话 <x>", None), "对话 &lt;x&gt;");
    }

    #[test]
    fn pages_in_chinese_need_no_marks_and_a_site_without_chinese_says_zh() {
        let zh = Language::new("本节链接", "zh-Hans", &["en", "zh-Hans"]);
        assert_eq!(html("华为 Huawei", &zh), "<p>华为 Huawei</p>\n");
        let en = Language::new("Link", "en-GB", &["en-GB"]);
        assert!(html("华为", &en).contains("<span lang=\"zh\">华为</span>"));
    }
}
