//! Turns a TOML or schema error into a diagnostic that points into the file.
//!
//! The `toml` crate reports positions inside the text it was given; for
//! front-matter that is a slice of the file, so the span is shifted by the
//! slice's offset to point at the right line of the file.

use crate::diagnostic::{Diagnostic, Span};

/// Converts `error`, raised while parsing text that starts at byte `offset`
/// of the file in `file` (whose range is ignored), into a diagnostic.
/// `keys` are the keys the schema accepts, for "did you mean" hints.
pub(crate) fn to_diagnostic(
    error: &toml::de::Error,
    file: Span,
    offset: usize,
    keys: &[&str],
) -> Diagnostic {
    let range = error
        .span()
        .map(|r| r.start + offset..r.end + offset)
        .unwrap_or(offset..offset);
    let span = Span::new(file.path, file.text, range);
    let message = error.message().trim().to_string();

    if let Some(key) = between(&message, "unknown field `", "`") {
        let mut d = Diagnostic::error(format!("unknown key `{key}`"), span)
            .with_label("this key is not part of the schema");
        d.help = Some(match nearest(key, keys) {
            Some(near) => format!(
                "did you mean `{near}`? The keys allowed here are: {}",
                keys.join(", ")
            ),
            None => format!("the keys allowed here are: {}", keys.join(", ")),
        });
        return d;
    }
    if let Some(key) = between(&message, "missing field `", "`") {
        // The error spans the whole table; point at the opening fence.
        let opening = offset.saturating_sub(4)..offset.saturating_sub(1);
        let span = Span::new(span.path, span.text, opening);
        return Diagnostic::error(format!("missing required key `{key}`"), span)
            .with_label(format!("this front-matter has no `{key}`"))
            .with_help(format!("add a line such as `{key} = \"...\"`"));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let rest = plain_types(rest);
        return Diagnostic::error(format!("wrong type: {rest}"), span)
            .with_label("this value has the wrong type")
            .with_help("strings are quoted (\"text\"), lists use brackets ([\"a\", \"b\"]), numbers and booleans are bare");
    }
    if message.contains("did not match any variant") {
        return Diagnostic::error("this value has the wrong form", span)
            .with_label("not a valid value here")
            .with_help("see the front-matter table in the README for the form each key takes");
    }
    let is_schema_error = message.starts_with("invalid value")
        || message.starts_with("unknown variant")
        || message.starts_with("bad date")
        || message.starts_with("invalid length");
    if is_schema_error {
        let (first, help) = match message.split_once('\n') {
            Some((a, b)) => (a.to_string(), Some(b.trim().to_string())),
            None => (message.clone(), None),
        };
        let mut d = Diagnostic::error(first, span).with_label("invalid value");
        d.help = help;
        return d;
    }
    Diagnostic::error(format!("invalid TOML: {message}"), span)
        .with_label("TOML cannot be parsed here")
        .with_help("front-matter is TOML: `key = \"value\"`, one per line; check quotes, brackets and commas")
}

/// Says Rust type names the way a writer would.
fn plain_types(text: &str) -> String {
    [
        ("i64", "a whole number"),
        ("u64", "a whole number"),
        ("f64", "a number"),
        ("a sequence", "a list"),
        ("a boolean", "true or false"),
    ]
    .iter()
    .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
}

/// The text between `start` and the next `end` in `text`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let rest = text.get(from..)?;
    rest.get(..rest.find(end)?)
}

/// Byte range of the key in the first `key = ...` line of a TOML text,
/// for pointing a diagnostic at a key serde gives no span for; `0..0`
/// when no line sets it.
pub(crate) fn key_range(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            let at = pos + (line.len() - trimmed.len());
            return at..at + key.len();
        }
        pos += line.len();
    }
    0..0
}

/// For an "unknown field" message, the known key closest to the one used.
pub(crate) fn nearest_unknown_key<'a>(message: &str, keys: &[&'a str]) -> Option<&'a str> {
    nearest(between(message, "unknown field `", "`")?, keys)
}

/// The known key closest to `key`, when it is close enough to be a typo.
pub(crate) fn nearest<'a>(key: &str, keys: &[&'a str]) -> Option<&'a str> {
    keys.iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn nearest_key_is_found_only_when_close() {
        let keys = ["title", "summary", "weight", "tags"];
        assert_eq!(nearest("summry", &keys), Some("summary"));
        assert_eq!(nearest("tag", &keys), Some("tags"));
        assert_eq!(nearest("colour", &keys), None);
    }
}
