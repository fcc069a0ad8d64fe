//! Smart punctuation for text that is not Markdown: titles, summaries,
//! chart and figure text get the curly quotes and dashes that bodies get
//! from pulldown-cmark. Its own module, below `markdown`, `chart`,
//! `figure` and `typography`, because all of them use it.

use pulldown_cmark::{Event, Options, Parser};

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
