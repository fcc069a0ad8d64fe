//! site.toml's `edit_url`: the address where a page's source file is
//! edited, such as `https://github.com/org/repo/edit/main/{path}`, checked
//! when the settings are read and filled in for each page ("Edit this
//! page").

use std::path::{Component, Path};

use crate::diagnostic::{Diagnostic, Span};

/// `template` with `{path}` replaced by `source` (a path relative to the
/// site folder, `content/faq/x.md`). Each path segment is percent-encoded,
/// so a file name with spaces or CJK characters still gives a valid
/// address.
pub fn fill(template: &str, source: &Path) -> String {
    let segments: Vec<String> = source
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(
                percent_encoding::utf8_percent_encode(&part.to_string_lossy(), PATH_SEGMENT)
                    .to_string(),
            ),
            _ => None,
        })
        .collect();
    template.replace(EDIT_PATH, &segments.join("/"))
}

/// What `edit_url` replaces with the source file's path.
const EDIT_PATH: &str = "{path}";

/// Characters percent-encoded in one segment of an edit link's path: all
/// but the unreserved ones and the sub-delimiters a path may hold as they
/// are (RFC 3986).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// `template` must be an http(s) address with a host and hold `{path}`,
/// so that every page links to its own file; an error points at `at`, the
/// key's place in site.toml.
pub(crate) fn check(template: &str, at: Span) -> Result<(), Diagnostic> {
    let error = |message: String, label: &str, help: &str| {
        Diagnostic::error(message, at.clone())
            .with_label(label)
            .with_help(help.to_string())
    };
    let example = "for example `edit_url = \"https://github.com/OWNER/REPO/edit/main/{path}\"`, \
                   where `{path}` becomes each source file's path in the site folder, such as \
                   `content/faq/x.md`";
    let sample = template.replace(EDIT_PATH, "content/faq/x.md");
    let web = url::Url::parse(&sample)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !web
        || template
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(error(
            format!("`edit_url` must be an http(s) address, not `{template}`"),
            "not an http(s) address",
            example,
        ));
    }
    if !template.contains(EDIT_PATH) {
        return Err(error(
            format!(
                "`edit_url` has no `{EDIT_PATH}`, so every page would link to the same address"
            ),
            "no `{path}` in it",
            example,
        ));
    }
    Ok(())
}
