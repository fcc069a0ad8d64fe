//! Syntax highlighting of fenced code with syntect, as CSS classes so that
//! one stylesheet serves the light and the dark theme.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Prefix of every highlighting class, so they never clash with the site's.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Light and dark themes used for the generated stylesheet.
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// The syntax definitions, loaded once per process and shared by every page,
/// and the blocks highlighted so far: each distinct block is highlighted
/// once per process, however many pages repeat it.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    done: Mutex<HashMap<u64, Option<Arc<str>>>>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads syntect's bundled syntax definitions.
    pub fn new() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            done: Mutex::new(HashMap::new()),
        }
    }

    /// Like [`Highlighter::highlight`], remembering the result, so that a
    /// block repeated on many pages is highlighted once.
    pub fn highlight_cached(&self, code: &str, lang: &str) -> Option<Arc<str>> {
        let key = crate::load::hash_of(&(lang, code));
        if let Some(done) = self.done.lock().ok().and_then(|d| d.get(&key).cloned()) {
            return done;
        }
        let html: Option<Arc<str>> = self.highlight(code, lang).map(Arc::from);
        if let Ok(mut done) = self.done.lock() {
            // Bounded, so that a long `dossier serve` session cannot grow it
            // without limit.
            if done.len() > 20_000 {
                done.clear();
            }
            done.insert(key, html.clone());
        }
        html
    }

    /// Highlights `code` written in `lang` (a fence label such as `rust` or
    /// `toml`). Returns `None` when the language is unknown, so the caller
    /// can emit plain escaped code instead.
    pub fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        let syntax = self.syntaxes.find_syntax_by_token(lang)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }

    /// The stylesheet for highlighted code: the light theme, and the dark
    /// theme inside `prefers-color-scheme: dark`.
    pub fn css() -> String {
        let themes = ThemeSet::load_defaults();
        let css = |name: &str| {
            themes
                .themes
                .get(name)
                .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
                .unwrap_or_default()
        };
        format!(
            "{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
            css(LIGHT_THEME),
            css(DARK_THEME)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_and_unknown_is_refused() {
        let h = Highlighter::new();
        let html = h.highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("main"), "{html}");
        assert!(h.highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn stylesheet_has_light_and_dark_rules() {
        let css = Highlighter::css();
        assert!(css.contains(".hl-"), "no classes");
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
