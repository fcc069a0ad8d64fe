//! `site.toml`: the settings of one site.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Span};
use crate::toml_error;

/// Settings read from `site.toml` at the root of a site.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in every page's `<title>` and header.
    #[serde(deserialize_with = "crate::content::text_field")]
    pub title: String,
    /// Where the site will be published, e.g. `https://example.org/explainer/`.
    /// Absolute URLs (canonical, sitemap, feed) start with it, and its path
    /// is the prefix of every internal link.
    #[serde(
        default = "default_base_url",
        deserialize_with = "crate::content::text_field"
    )]
    pub base_url: String,
    /// One-line description, used on the home page and in the feed.
    #[serde(default, deserialize_with = "crate::content::text_field")]
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(
        default = "default_language",
        deserialize_with = "crate::content::text_field"
    )]
    pub language: String,
    /// Name shown as the feed's author.
    #[serde(default, deserialize_with = "crate::content::text_field")]
    pub author: String,
    /// Link the first mention of each glossary term in answers, events and
    /// definitions to its entry (on by default).
    #[serde(default = "default_true")]
    pub glossary_autolink: bool,
    /// End links to folders with `index.html` so that the site also works
    /// opened from disk (on by default; off gives `faq/x/` links).
    #[serde(default = "default_true")]
    pub file_links: bool,
    /// Also write `print/`, one page with every question, the timeline and
    /// the glossary (off by default: on a large site it is a large page).
    #[serde(default)]
    pub print_page: bool,
    /// How many questions the home page lists; with more, the home page
    /// links to the full list at `questions/` (paginated).
    #[serde(default = "default_home_questions")]
    pub home_questions: usize,
    /// Questions per page in the full list and on tag pages.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// "Mentioned in" links per term on the glossary page; with more, the
    /// term gets a page of its own with every mention.
    #[serde(default = "default_glossary_mentions")]
    pub glossary_mentions: usize,
    /// Entries in the Atom feed: the most recently updated questions.
    #[serde(default = "default_feed_entries")]
    pub feed_entries: usize,
    /// Draw a 1200×630 share card (`og:image`) for the home page, each
    /// question and page, the timeline and the glossary (off by default).
    #[serde(default)]
    pub share_cards: bool,
    /// Font files for share cards, relative to the site folder, tried in
    /// order after the built-in Latin font: a CJK title needs one.
    #[serde(default)]
    pub card_fonts: Vec<String>,
    /// Curly quotes and dashes in front-matter text (titles, summaries,
    /// descriptions, key figures) and the site's title, as Markdown bodies
    /// get them (on by default; see `typography.rs`).
    #[serde(default = "default_true")]
    pub smart_punctuation: bool,
    /// Where a page's source file is edited, such as
    /// `https://github.com/org/repo/edit/main/{path}`: `{path}` becomes the
    /// file's path in the site folder (`content/faq/x.md`). When set,
    /// questions, pages, events and terms link to it ("Edit this page").
    #[serde(default)]
    pub edit_url: Option<String>,
    /// The default language's name in the language switcher ("English").
    #[serde(default, deserialize_with = "crate::content::optional_text_field")]
    pub language_name: Option<String>,
    /// The other languages, by the code their files carry
    /// (`faq/x.zh.md` for `[languages.zh]`).
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
    /// The default language's words of the built-in pages, over the
    /// built-in table (`[strings]`, e.g. `sources = "Further reading"`).
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, String>,
    /// The code of the language this configuration is for: the default
    /// language's code (`en` from `language = "en"`) or a key of
    /// `languages`. Set by [`Config::parse`] and [`Config::for_language`].
    #[serde(skip)]
    pub code: String,
    /// The URL folder of this language, `""` for the default language and
    /// `zh/` for Chinese.
    #[serde(skip)]
    pub prefix: String,
    /// The names this language shows for tags, by the tag as the original
    /// files write it (`[languages.zh.tags]`); empty for the default
    /// language. Set by [`Config::for_language`].
    #[serde(skip)]
    pub tag_names: std::collections::BTreeMap<String, String>,
}

/// A language besides the default one: `[languages.zh]` in site.toml.
#[derive(Debug, Clone, Hash, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in this language.
    #[serde(deserialize_with = "crate::content::text_field")]
    pub title: String,
    /// The site's description in this language.
    #[serde(default, deserialize_with = "crate::content::text_field")]
    pub description: String,
    /// BCP 47 tag for `<html lang>` and `hreflang` (`zh-Hans`); the code
    /// when absent.
    #[serde(default, deserialize_with = "crate::content::optional_text_field")]
    pub language: Option<String>,
    /// The language's name in its own language, for the switcher ("中文").
    #[serde(default, deserialize_with = "crate::content::optional_text_field")]
    pub language_name: Option<String>,
    /// The URL folder of its pages (`zh` gives `/zh/faq/x/`); the code
    /// when absent.
    #[serde(default, deserialize_with = "crate::content::optional_text_field")]
    pub prefix: Option<String>,
    /// The site's author in this language.
    #[serde(default, deserialize_with = "crate::content::optional_text_field")]
    pub author: Option<String>,
    /// Its words of the built-in pages, over the built-in table.
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, String>,
    /// Its names of the tags: a tag is a fact shared by every language,
    /// its name is text (`"export controls" = "出口管制"`).
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
}

/// The top-level folders of the output that dossier writes itself: no
/// language's URL folder and no standalone page may take one.
pub const OWN_FOLDERS: &[&str] = &[
    "faq",
    "timeline",
    "glossary",
    "tags",
    "search",
    "questions",
    "print",
];

impl LanguageConfig {
    /// The URL folder of this language's pages: `prefix`, else its code
    /// (`zh`), without slashes.
    pub fn folder<'a>(&'a self, code: &'a str) -> &'a str {
        self.prefix.as_deref().unwrap_or(code).trim_matches('/')
    }
}

/// Keys of a `[languages.X]` table, for "did you mean" hints.
pub const LANGUAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "language",
    "language_name",
    "prefix",
    "author",
    "strings",
    "tags",
];

/// The name of a language in itself, for the switcher, when site.toml
/// does not give one.
fn builtin_language_name(tag: &str) -> Option<&'static str> {
    let primary = crate::language::primary_subtag(tag);
    Some(match primary.as_str() {
        "en" => "English",
        "zh" => "中文",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "ja" => "日本語",
        "ko" => "한국어",
        "ru" => "Русский",
        "ar" => "العربية",
        "pt" => "Português",
        _ => return None,
    })
}

/// A `language` value must be a well-formed BCP 47 tag (checked by
/// `oxilangtag`) of a known language: it goes into `<html lang>` and
/// `hreflang`, where a wrong tag silently gives readers the wrong fonts,
/// voices and search results.
fn check_language_tag(tag: &str, at: &Span) -> Result<(), Diagnostic> {
    let well_formed = oxilangtag::LanguageTag::parse(tag).is_ok();
    if well_formed && crate::language::is_known_language(tag) {
        return Ok(());
    }
    let why = if well_formed {
        format!(
            "ISO 639 has no language `{}`",
            crate::language::primary_subtag(tag)
        )
    } else {
        "it is not a well-formed BCP 47 language tag".to_string()
    };
    Err(Diagnostic::error(
        format!("`language = \"{tag}\"` is not a language tag: {why}"),
        at.clone(),
    )
    .with_label("unknown language")
    .with_help("use a BCP 47 tag such as `en`, `en-GB`, `zh-Hans` (Simplified Chinese) or `pt-BR`"))
}

fn default_home_questions() -> usize {
    20
}

fn default_per_page() -> usize {
    50
}

fn default_glossary_mentions() -> usize {
    12
}

fn default_feed_entries() -> usize {
    50
}

/// Keys accepted in `site.toml`, for "did you mean" hints.
pub const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "glossary_autolink",
    "file_links",
    "print_page",
    "share_cards",
    "card_fonts",
    "language_name",
    "languages",
    "strings",
    "home_questions",
    "per_page",
    "glossary_mentions",
    "feed_entries",
    "smart_punctuation",
    "edit_url",
];

fn default_base_url() -> String {
    "/".to_string()
}

fn default_true() -> bool {
    true
}

fn default_language() -> String {
    "en".to_string()
}

impl Config {
    /// Reads `site.toml` from `root`. A missing file is an error that says how
    /// to make one, since without a title the site cannot be built.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        let shown: Arc<Path> = Path::new("site.toml").into();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error_in(
                format!("cannot read the site settings: {e}"),
                Some(shown.clone()),
            )
            .with_help(format!(
                "create {} with at least `title = \"My explainer\"`, or run `dossier init DIR` for a new site",
                path.display()
            ))
        })?;
        Config::parse(&text, shown)
    }

    /// Parses the text of a `site.toml`.
    pub fn parse(text: &str, path: Arc<Path>) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            toml_error::to_diagnostic(&e, Span::new(path.clone(), text.into(), 0..0), 0, KEYS)
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        let absolute = ["http://", "https://"]
            .iter()
            .any(|s| config.base_url.starts_with(s));
        if config.base_url.chars().any(char::is_whitespace)
            || !(absolute || config.base_url.starts_with('/'))
        {
            return Err(Diagnostic::error(
                format!("`base_url` must be an http(s) address or a path starting with /, not `{}`", config.base_url.trim_end_matches('/')),
                Span::new(path, text.into(), key_span(text, "base_url")),
            )
            .with_label("not a base URL")
            .with_help("for example `base_url = \"https://example.org/explainer/\"`, or `/` for a site served at a domain root"));
        }
        if let Some(template) = &config.edit_url {
            let at = key_span(text, "edit_url");
            crate::edit_url::check(template, Span::new(path.clone(), text.into(), at))?;
        }
        for (key, value) in [
            ("per_page", config.per_page),
            ("feed_entries", config.feed_entries),
        ] {
            if value == 0 {
                return Err(Diagnostic::error(
                    format!("`{key}` must be at least 1"),
                    Span::new(path, text.into(), key_span(text, key)),
                )
                .with_label("zero")
                .with_help(format!(
                    "remove the line for the default, or give a number such as `{key} = 50`"
                )));
            }
        }
        config.code = config
            .language
            .split('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        config.check_languages(text, &path)?;
        Ok(config)
    }

    /// Checks the `[languages]` tables: codes as files carry them, none the
    /// default language's, URL folders that are plain names and distinct.
    fn check_languages(&self, text: &str, path: &Arc<Path>) -> Result<(), Diagnostic> {
        let at = |needle: &str| {
            let start = text.find(needle).unwrap_or(0);
            Span::new(
                path.clone(),
                text.into(),
                start..start + needle.len().max(1),
            )
        };
        self.check_strings(&at)?;
        let language_at = Span::new(
            path.clone(),
            text.into(),
            toml_error::key_range(text, "language"),
        );
        check_language_tag(&self.language, &language_at)?;
        let mut prefixes = std::collections::HashSet::new();
        for (code, lang) in &self.languages {
            self.check_language_table(code, lang, &at, &mut prefixes)?;
        }
        Ok(())
    }

    /// Every key of `[strings]` and `[languages.X.strings]` must be one of
    /// the words the built-in pages use.
    fn check_strings(&self, at: &dyn Fn(&str) -> Span) -> Result<(), Diagnostic> {
        let known = crate::ui::keys();
        let tables = std::iter::once(("strings".to_string(), &self.strings)).chain(
            self.languages
                .iter()
                .map(|(code, l)| (format!("languages.{code}.strings"), &l.strings)),
        );
        for (table, strings) in tables {
            for key in strings.keys() {
                if !known.contains(&key.as_str()) {
                    let near = crate::toml_error::nearest(key, &known);
                    return Err(Diagnostic::error(
                        format!("`{key}` in [{table}] is not one of dossier's words"),
                        at(key),
                    )
                    .with_label("unknown word")
                    .with_help(match near {
                        Some(n) => {
                            format!("did you mean `{n}`? The README lists every key of [strings]")
                        }
                        None => "the README lists every key of [strings]".to_string(),
                    }));
                }
            }
        }
        Ok(())
    }

    /// One `[languages.CODE]` table: a code files can carry that ISO 639
    /// knows, a well-formed tag, not the default language, and a URL
    /// folder of its own.
    fn check_language_table(
        &self,
        code: &str,
        lang: &LanguageConfig,
        at: &dyn Fn(&str) -> Span,
        prefixes: &mut std::collections::HashSet<String>,
    ) -> Result<(), Diagnostic> {
        let header = format!("[languages.{code}]");
        if !crate::language::is_language_code(code) {
            return Err(Diagnostic::error(
                format!("`{code}` is not a language code dossier can use in file names"),
                at(&header),
            )
            .with_label("not a language code")
            .with_help("use a lowercase ISO 639 code such as `zh`, `fr` or `pt-br`; put the full tag in `language = \"zh-Hans\"` inside the table"));
        }
        if !crate::language::is_known_language(code) {
            return Err(Diagnostic::error(
                format!("`{code}` is not a language: ISO 639 has no code `{}`", crate::language::primary_subtag(code)),
                at(&header),
            )
            .with_label("unknown language")
            .with_help("use the language's ISO 639 code, such as `zh` (Chinese), `fr` (French) or `pt-br` (Portuguese as written in Brazil)"));
        }
        if let Some(tag) = &lang.language {
            let needle = format!("\"{tag}\"");
            check_language_tag(tag, &at(&needle))?;
        }
        if code == self.code {
            return Err(Diagnostic::error(
                format!("`{code}` is the default language (`language = \"{}\"`)", self.language),
                at(&header),
            )
            .with_label("already the default language")
            .with_help("the default language's files have no suffix; list only the other languages under [languages]"));
        }
        let prefix = lang.folder(code);
        if prefix.is_empty()
            || !prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            || OWN_FOLDERS.contains(&prefix)
            || prefix == "static"
            || !prefixes.insert(prefix.to_string())
        {
            return Err(Diagnostic::error(
                format!("`{prefix}` cannot be the URL folder of the language `{code}`"),
                at(&header),
            )
            .with_label("this language")
            .with_help(format!("`prefix` is one plain folder name (letters, digits, - or _), different for each language and not one of dossier's own folders ({})", OWN_FOLDERS.join(", "))));
        }
        Ok(())
    }

    /// The URL folders of the other languages (`zh`), which no page may
    /// take as its address.
    pub fn language_prefixes(&self) -> Vec<String> {
        self.languages
            .iter()
            .map(|(code, l)| l.folder(code).to_string())
            .collect()
    }

    /// The codes of every language, the default one first.
    pub fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.code.clone())
            .chain(self.languages.keys().cloned())
            .collect()
    }

    /// The settings as the pages of language `code` see them: its title,
    /// description, `<html lang>` tag and URL folder. `None` for a code
    /// that is not configured.
    pub fn for_language(&self, code: &str) -> Option<Config> {
        if code == self.code {
            return Some(self.clone());
        }
        let lang = self.languages.get(code)?;
        let mut config = self.clone();
        config.title = lang.title.clone();
        config.description = lang.description.clone();
        config.language = lang.language.clone().unwrap_or_else(|| code.to_string());
        config.language_name = lang.language_name.clone();
        if let Some(author) = &lang.author {
            config.author = author.clone();
        }
        config.strings = lang.strings.clone();
        config.tag_names = lang.tags.clone();
        config.code = code.to_string();
        config.prefix = format!("{}/", lang.folder(code));
        Some(config)
    }

    /// The name of this configuration's language in itself ("English").
    pub fn language_label(&self) -> String {
        self.language_name
            .clone()
            .or_else(|| builtin_language_name(&self.language).map(String::from))
            .unwrap_or_else(|| self.language.clone())
    }

    /// The words of the built-in pages in this language.
    pub fn ui(&self) -> std::collections::BTreeMap<String, String> {
        crate::ui::strings(&self.language, &self.strings)
    }

    /// True when the site has more than one language.
    pub fn multilingual(&self) -> bool {
        !self.languages.is_empty()
    }

    /// The path part of `base_url`, always starting and ending with `/`:
    /// `https://host/project/` gives `/project/`.
    pub fn base_path(&self) -> String {
        let after_scheme = match self.base_url.find("://") {
            Some(i) => self.base_url.get(i + 3..).unwrap_or(""),
            None => return ensure_slashes(&self.base_url),
        };
        match after_scheme.find('/') {
            Some(i) => ensure_slashes(after_scheme.get(i..).unwrap_or("")),
            None => "/".to_string(),
        }
    }

    /// `base_url` without its trailing slash, for joining with a site path.
    pub fn origin_and_base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The address where `source` (a path relative to the site folder,
    /// `content/faq/x.md`) is edited, from `edit_url`; none when the
    /// setting is absent (see [`crate::edit_url`]).
    pub fn edit_link(&self, source: &Path) -> Option<String> {
        Some(crate::edit_url::fill(self.edit_url.as_deref()?, source))
    }
}

/// The place of `key = ...` in site.toml (see [`toml_error::key_range`]),
/// or of the key's first mention when no line sets it.
fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let at = toml_error::key_range(text, key);
    if !at.is_empty() {
        return at;
    }
    let at = text.find(key).unwrap_or(0);
    at..at + key.len()
}

fn ensure_slashes(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(text, Path::new("site.toml").into())
    }

    #[test]
    fn base_path_is_taken_from_base_url() {
        let c = parse("title = \"t\"\nbase_url = \"https://host/project\"").unwrap();
        assert_eq!(c.base_url, "https://host/project/");
        assert_eq!(c.base_path(), "/project/");
        let c = parse("title = \"t\"\nbase_url = \"https://host\"").unwrap();
        assert_eq!(c.base_path(), "/");
        let c = parse("title = \"t\"").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn unknown_setting_is_an_error_with_a_suggestion() {
        let e = parse("title = \"t\"\nbase_ur = \"x\"").unwrap_err();
        let out = e.render_plain();
        assert!(out.contains("site.toml:2:1"), "{out}");
        assert!(out.contains("did you mean `base_url`"), "{out}");
    }
}
