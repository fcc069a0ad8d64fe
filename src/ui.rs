//! The words of the built-in pages ("In short", "Sources", "Last
//! reviewed"), per language: built in for English and Simplified Chinese,
//! and overridable in site.toml (`[strings]` for the default language,
//! `[languages.zh.strings]` for another). Templates read them as
//! `{{ ui.sources }}`; a key a template asks for that no table has is an
//! error of the template, like any missing value.

use std::collections::BTreeMap;

/// English, the fallback for every key.
const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("sections", "Sections"),
    ("languages", "Languages"),
    ("not_translated", "not translated: home page"),
    ("search", "Search"),
    ("search_placeholder", "Search (press /)"),
    ("search_unavailable", "Search is unavailable"),
    ("no_results", "No results"),
    ("one_result", "1 result"),
    ("results", "{n} results"),
    ("questions", "Questions"),
    ("timeline", "Timeline"),
    ("glossary", "Glossary"),
    ("tags", "Tags"),
    ("all_tags", "All tags"),
    ("all_questions", "All questions"),
    ("all_questions_page", "All questions, page {n} of {total}"),
    ("questions_tagged", "Questions tagged “{tag}”"),
    (
        "questions_tagged_page",
        "Questions tagged “{tag}”, page {n} of {total}",
    ),
    ("print_edition", "Print edition"),
    (
        "print_intro",
        "Every question, the timeline and the glossary on one page. Use your browser's print command to print it or save it as a PDF.",
    ),
    ("atom_feed", "Atom feed"),
    ("built_with", "Built with dossier."),
    (
        "site_counts",
        "{questions} questions, {events} events, {terms} terms",
    ),
    ("in_short", "In short:"),
    ("key_figures", "Key figures"),
    ("go_deeper", "Go deeper"),
    ("terms_used", "Terms used"),
    ("sources", "Sources"),
    ("related_questions", "Related questions"),
    ("on_the_timeline", "On the timeline"),
    ("last_reviewed", "Last reviewed"),
    ("mentioned_in", "Mentioned in"),
    ("see_also", "See also"),
    ("also_called", "Also called"),
    ("every_mention", "Every mention"),
    ("mentions_title", "Where “{term}” is mentioned"),
    (
        "mentions_title_page",
        "Where “{term}” is mentioned, page {n} of {total}",
    ),
    ("previous", "Previous"),
    ("next", "Next"),
    ("page_n_of", "Page {n} of {total}"),
    ("link_to_section", "Link to this section"),
    ("page_not_found", "Page not found"),
    (
        "not_found_text",
        "There is no page at this address. It may have moved when a question was renamed.",
    ),
    ("try", "Try"),
    ("or", "or"),
    ("the_list_of_questions", "the list of questions"),
    ("the_timeline", "the timeline"),
    ("the_glossary", "the glossary"),
    ("status_happened", "Happened"),
    ("status_announced", "Announced"),
    ("status_planned", "Planned"),
    ("status_projected", "Projected"),
    ("kind_question", "Question"),
    ("kind_event", "Event"),
    ("kind_term", "Term"),
    ("kind_page", "Page"),
    ("chart_table", "The chart's numbers"),
    ("updated", "Updated"),
    ("short_answer", "Short answer"),
    ("first_published", "First published"),
    ("link_to_term", "Link to this term"),
    ("link_to_event", "Link to this event"),
    ("jump_to_letter", "Jump to letter"),
    ("pages", "Pages"),
    ("colon", ": "),
    ("full_stop", "."),
    ("list_separator", ", "),
    ("item_separator", "; "),
    ("paren_open", " ("),
    ("paren_close", ")"),
    ("date_to", " to "),
    ("explained_in", "Explained in"),
    ("all_n_pages", "all {n} pages"),
    ("n_pages_mention", "{n} pages mention it."),
    ("term_in_glossary", "{term} in the glossary"),
    ("all_n_questions", "All {n} questions"),
    ("n_questions", "{n} questions"),
    ("n_pages", "{n} pages"),
    ("n_dated_events", "{n} dated events."),
    ("n_terms_explained", "{n} terms explained."),
    ("print_title", "{title}: print edition"),
    ("chart_series", "Series"),
    ("chart_source", "Source:"),
    ("edit_this_page", "Edit this page"),
    ("edit_this_event", "Edit this event"),
    ("edit_this_term", "Edit this term"),
    ("open_in_editor", "Open in editor"),
    ("open_file_in_editor", "Open {file} in editor"),
    ("editor_opening", "Opening…"),
    ("editor_not_opened", "Not opened: "),
    (
        "editor_no_server",
        "Not opened: the preview server is not running",
    ),
    (
        "serve_broken",
        "dossier: the last edit broke the build; this is the last good version.",
    ),
];

/// Simplified Chinese.
const ZH_HANS: &[(&str, &str)] = &[
    ("skip_to_content", "跳到正文"),
    ("sections", "栏目"),
    ("languages", "语言"),
    ("not_translated", "暂无译文：前往首页"),
    ("search", "搜索"),
    ("search_placeholder", "搜索（按 /）"),
    ("search_unavailable", "搜索暂不可用"),
    ("no_results", "没有结果"),
    ("one_result", "1 条结果"),
    ("results", "{n} 条结果"),
    ("questions", "问题"),
    ("timeline", "时间线"),
    ("glossary", "术语表"),
    ("tags", "标签"),
    ("all_tags", "全部标签"),
    ("all_questions", "全部问题"),
    ("all_questions_page", "全部问题（第{n}页，共{total}页）"),
    ("questions_tagged", "标签为“{tag}”的问题"),
    (
        "questions_tagged_page",
        "标签为“{tag}”的问题（第{n}页，共{total}页）",
    ),
    ("print_edition", "打印版"),
    (
        "print_intro",
        "所有问题、时间线和术语表都在这一页上。用浏览器的打印功能即可打印或存为PDF。",
    ),
    ("atom_feed", "Atom订阅"),
    ("built_with", "由dossier生成。"),
    (
        "site_counts",
        "{questions}个问题、{events}个事件、{terms}个术语",
    ),
    ("in_short", "简答："),
    ("key_figures", "关键数字"),
    ("go_deeper", "延伸阅读"),
    ("terms_used", "文中术语"),
    ("sources", "资料来源"),
    ("related_questions", "相关问题"),
    ("on_the_timeline", "时间线上的相关事件"),
    ("last_reviewed", "最近核实"),
    ("mentioned_in", "提及本术语的内容"),
    ("see_also", "另见"),
    ("also_called", "又称"),
    ("every_mention", "全部提及"),
    ("mentions_title", "提及“{term}”的内容"),
    (
        "mentions_title_page",
        "提及“{term}”的内容（第{n}页，共{total}页）",
    ),
    ("previous", "上一页"),
    ("next", "下一页"),
    ("page_n_of", "第{n}页，共{total}页"),
    ("link_to_section", "本节链接"),
    ("page_not_found", "找不到页面"),
    (
        "not_found_text",
        "这个地址没有页面。问题改名后，页面地址可能已经变了。",
    ),
    ("try", "可以看看"),
    ("or", "或"),
    ("the_list_of_questions", "问题列表"),
    ("the_timeline", "时间线"),
    ("the_glossary", "术语表"),
    ("status_happened", "已发生"),
    ("status_announced", "已宣布"),
    ("status_planned", "计划"),
    ("status_projected", "预测"),
    ("kind_question", "问题"),
    ("kind_event", "事件"),
    ("kind_term", "术语"),
    ("kind_page", "页面"),
    ("chart_table", "图表中的数字"),
    ("updated", "更新"),
    ("short_answer", "简答"),
    ("first_published", "首次发布"),
    ("link_to_term", "本术语链接"),
    ("link_to_event", "本事件链接"),
    ("jump_to_letter", "按字母跳转"),
    ("pages", "分页"),
    ("colon", "："),
    ("full_stop", "。"),
    ("list_separator", "、"),
    ("item_separator", "；"),
    ("paren_open", "（"),
    ("paren_close", "）"),
    ("date_to", "至"),
    ("explained_in", "相关解读"),
    ("all_n_pages", "全部{n}个页面"),
    ("n_pages_mention", "共有{n}个页面提及。"),
    ("term_in_glossary", "术语表中的“{term}”"),
    ("all_n_questions", "全部{n}个问题"),
    ("n_questions", "{n}个问题"),
    ("n_pages", "共{n}页"),
    ("n_dated_events", "{n}个注明日期的事件。"),
    ("n_terms_explained", "{n}个术语释义。"),
    ("print_title", "{title}：打印版"),
    ("chart_series", "数据系列"),
    ("chart_source", "来源："),
    ("edit_this_page", "编辑此页"),
    ("edit_this_event", "编辑此事件"),
    ("edit_this_term", "编辑此术语"),
    ("open_in_editor", "在编辑器中打开"),
    ("open_file_in_editor", "在编辑器中打开 {file}"),
    ("editor_opening", "正在打开…"),
    ("editor_not_opened", "未能打开："),
    ("editor_no_server", "未能打开：预览服务器没有运行"),
    (
        "serve_broken",
        "dossier：最近一次修改导致构建失败；这里显示的是上一个成功的版本。",
    ),
];

/// The keys every table has, for "did you mean" hints on overrides.
pub fn keys() -> Vec<&'static str> {
    EN.iter().map(|(k, _)| *k).collect()
}

/// The built-in words of the language with BCP 47 tag `tag`, over the
/// English ones, with the site's `overrides` on top.
pub fn strings(tag: &str, overrides: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut table: BTreeMap<String, String> = EN
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lower = tag.to_ascii_lowercase();
    if lower == "zh"
        || lower.starts_with("zh-hans")
        || lower.starts_with("zh-cn")
        || lower.starts_with("zh-sg")
    {
        table.extend(ZH_HANS.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    }
    table.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
    table
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_sites_override_them() {
        let en: Vec<&str> = EN.iter().map(|(k, _)| *k).collect();
        let zh: Vec<&str> = ZH_HANS.iter().map(|(k, _)| *k).collect();
        assert_eq!(en, zh, "the Chinese table has the English keys, in order");
        let mut o = BTreeMap::new();
        o.insert("sources".to_string(), "参考资料".to_string());
        let t = strings("zh-Hans", &o);
        assert_eq!(t["sources"], "参考资料");
        assert_eq!(t["in_short"], "简答：");
        assert_eq!(strings("fr", &BTreeMap::new())["in_short"], "In short:");
        assert_eq!(fill("{n} results", &[("n", "3")]), "3 results");
    }
}
