//! Language codes as files and site.toml carry them (`zh`, `pt-br`):
//! their shape, and whether ISO 639 knows them. Used by the settings
//! (`[languages.zh]`) and by the parse stage (`faq/x.zh.md`), so it sits
//! below both.

/// True for a language code as files carry it: lowercase letters, two or
/// three of them, optionally followed by `-` and letters or digits
/// (`zh`, `pt-br`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The primary language subtag of a tag: `zh` of `zh-Hans`.
pub fn primary_subtag(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// True when the tag's primary subtag is a language of ISO 639 (two
/// letters, 639-1, or three, 639-3), so that `xx` is caught as a typo.
pub fn is_known_language(tag: &str) -> bool {
    let primary = primary_subtag(tag);
    match primary.len() {
        2 => isolang::Language::from_639_1(&primary).is_some(),
        3 => isolang::Language::from_639_3(&primary).is_some(),
        _ => false,
    }
}
