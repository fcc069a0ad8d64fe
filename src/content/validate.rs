//! Value checks shared by the content kinds: characters a file may hold and
//! the URLs dossier is willing to write into a page.

use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// The first character that may not appear in a content file: a C0
/// control character other than tab, line feed and carriage return, DEL,
/// or the noncharacters U+FFFE and U+FFFF. They are invisible in editors,
/// and XML (the feed, the sitemap) cannot hold them at all.
pub fn control_character(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x80)
            || c == '\u{7f}'
            || c == '\u{fffe}'
            || c == '\u{ffff}'
    })
}

/// A diagnostic for the first forbidden character of a file, if any.
pub(super) fn control_characters(source: &Source) -> Option<Diagnostic> {
    let (at, c) = control_character(&source.text)?;
    Some(
        Diagnostic::error(
            format!(
                "this file contains the control character U+{:04X}",
                c as u32
            ),
            source.span(at..at + c.len_utf8()),
        )
        .with_label("invisible character here")
        .with_help(
            "delete it (it is often pasted in by accident); feeds and sitemaps cannot contain it",
        ),
    )
}

/// A text value of front-matter or `site.toml`. Deserialising refuses
/// control characters, also when written as TOML escapes (`"\u0007"`),
/// which the check of the raw file cannot see; the error carries the
/// value's place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text(pub String);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match control_character(&s) {
            Some((_, c)) => Err(serde::de::Error::custom(format!(
                "invalid value: this text holds the control character U+{:04X}\nremove it: feeds and sitemaps cannot contain it",
                c as u32
            ))),
            None => Ok(Text(s)),
        }
    }
}

/// Deserialises a `String` field as [`Text`] does (for `site.toml`).
pub fn text_field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    <Text as serde::Deserialize>::deserialize(d).map(String::from)
}

/// Deserialises an `Option<String>` field as [`Text`] does.
pub fn optional_text_field<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    <Option<Text> as serde::Deserialize>::deserialize(d).map(|t| t.map(String::from))
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Checks a URL written in a content file: `http`, `https` and `mailto`
/// addresses, relative paths, `#fragments` and `@/` links are allowed;
/// every other scheme (`javascript:`, `data:`, `vbscript:`, `file:`...)
/// is refused with the reason.
pub fn allowed_url(url: &str) -> Result<(), String> {
    let trimmed = url.trim();
    if trimmed.len() != url.len() || trimmed.chars().any(char::is_whitespace) {
        return Err("it contains spaces; write them as %20".to_string());
    }
    if url.starts_with("@/") || url.starts_with('#') || url.starts_with('/') {
        return Ok(());
    }
    match scheme(url) {
        None => Ok(()),
        Some(s) if ["http", "https", "mailto"].contains(&s.to_ascii_lowercase().as_str()) => Ok(()),
        Some(s) => Err(format!("it uses the `{s}:` scheme")),
    }
}

/// The scheme of an absolute URL (`https` of `https://x`), `None` for a
/// relative one: what comes before the first `:`, unless a `/`, `?` or `#`
/// comes first (then the colon is part of a path).
fn scheme(url: &str) -> Option<&str> {
    let (before, _) = url.split_once(':')?;
    (!before.contains(['/', '?', '#'])).then_some(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_relative_and_internal_urls_pass() {
        for ok in [
            "https://x.org/a?b#c",
            "HTTP://X",
            "mailto:a@b.c",
            "../x.png",
            "x.png",
            "/img/a.png",
            "#top",
            "@/faq/a.md",
        ] {
            assert!(allowed_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            " https://x",
            "java script:x",
        ] {
            assert!(allowed_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_found_with_their_place() {
        assert_eq!(control_character("ok\ttab\r\n"), None);
        assert_eq!(control_character("a\u{1}"), Some((1, '\u{1}')));
        assert_eq!(control_character("中\u{ffff}"), Some((3, '\u{ffff}')));
        assert_eq!(control_character("\u{7f}"), Some((0, '\u{7f}')));
    }
}
