//! Field helpers shared by every content kind: reading front-matter into a
//! kind's `Front`, turning TOML spans into file ranges, and the checks that
//! apply to a value wherever it appears (blank text, refused addresses,
//! URL-safe and unique slugs).
//!
//! They are separate from the kinds so that each kind module only says how
//! its own item is built, and from the translation merge, which reuses them
//! on a translation's text.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::validate::{self, Text, allowed_url};
use super::{At, Citation, CitationFront, Item, ShareImage, SpannedSlug, SpannedText};
use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::toml_error;

/// `data` as an item of `source`.
pub(super) fn item<T>(source: &Source, data: T) -> Item<T> {
    Item {
        source: source.clone(),
        data: Arc::new(data),
    }
}

/// Deserialises the front-matter of `source` into `T`, mapping errors to
/// the file.
pub(super) fn front<T: for<'de> Deserialize<'de>>(
    source: &Source,
    keys: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    toml::from_str(source.front_matter_text()).map_err(|e| {
        vec![toml_error::to_diagnostic(
            &e,
            source.span(0..0),
            source.front_matter.start,
            keys,
        )]
    })
}

/// A span inside the front-matter as a range of the whole file.
pub(super) fn offset(source: &Source, span: Range<usize>) -> Range<usize> {
    let at = source.front_matter.start;
    span.start + at..span.end + at
}

/// Slugs named in front-matter (`related`, `faq`, `see_also`), each with
/// its place so that a link to a missing page can point at it.
pub(super) fn located(source: &Source, values: Vec<SpannedSlug>) -> Vec<At<String>> {
    values
        .into_iter()
        .map(|s| At {
            range: offset(source, s.span()),
            value: s.into_inner(),
        })
        .collect()
}

fn empty_value(source: &Source, range: Option<Range<usize>>, what: &str) -> Diagnostic {
    Diagnostic::error(
        format!("the {what} is empty"),
        source.span(range.unwrap_or(0..0)),
    )
    .with_label("empty")
    .with_help(format!("write the {what}, or remove the line"))
}

/// The writer's own share image (`image`, `image_alt`): the address is
/// checked like a link's; the alternative text defaults to the title.
pub(super) fn share_image(
    source: &Source,
    image: Option<SpannedText>,
    alt: Option<Text>,
    problems: &mut Vec<Diagnostic>,
) -> Option<ShareImage> {
    let image = image?;
    let range = offset(source, image.span());
    let url = text(source, image, "image", problems);
    if let Err(why) = allowed_url(&url) {
        problems.push(
            Diagnostic::error(format!("this image address is refused: {why}"), source.span(range.clone()))
                .with_label("not an image dossier can use")
                .with_help("`image` is a path beside the page (`cover.png`), under static/ (`/img/cover.png`) or an @/ path"),
        );
    }
    Some(ShareImage {
        url: At { value: url, range },
        alt: alt.map(String::from),
    })
}

/// A text value, which must not be blank.
pub(super) fn text(
    source: &Source,
    value: SpannedText,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let range = offset(source, value.span());
    let value: String = value.into_inner().into();
    if value.trim().is_empty() {
        problems.push(empty_value(source, Some(range), what));
    }
    value
}

/// A list of text values (tags, aliases), none of which may be blank.
pub(super) fn texts(
    source: &Source,
    values: Vec<SpannedText>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<At<String>> {
    values
        .into_iter()
        .map(|v| {
            let range = offset(source, v.span());
            At {
                value: text(source, v, what, problems),
                range,
            }
        })
        .collect()
}

/// The sources as written: titles must not be blank, and addresses are
/// checked like any link's because they are written into the page.
pub(super) fn citations(
    source: &Source,
    written: Vec<CitationFront>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Citation> {
    written
        .into_iter()
        .map(|c| {
            let url = c.url.map(|u| {
                let range = offset(source, u.span());
                let url: String = u.into_inner().into();
                if let Err(why) = validate::allowed_url(&url) {
                    problems.push(
                        Diagnostic::error(format!("this source's `url` is refused: {why}"), source.span(range))
                            .with_label("not a link dossier will write")
                            .with_help("URLs may be http:// or https:// addresses, mailto:, relative paths or @/ links"),
                    );
                }
                url
            });
            Citation {
                title: text(source, c.title, "source title", problems),
                url,
                publisher: c.publisher.map(String::from),
                date: c.date,
            }
        })
        .collect()
}

/// The slug: `slug` from front-matter, else the file (or bundle folder)
/// name. Either must already be URL-safe; we say what it should be rather
/// than silently changing a URL the author chose.
pub(super) fn slug_for(
    source: &Source,
    stem: &str,
    explicit: Option<&str>,
) -> Result<String, Diagnostic> {
    let slug = explicit.unwrap_or(stem);
    let clean = slug::slugify(slug);
    if clean == slug && !slug.is_empty() {
        return Ok(slug.to_string());
    }
    let what = if explicit.is_some() {
        "the `slug` key"
    } else {
        "the file name"
    };
    let range = match explicit {
        Some(_) => find_key(source, "slug"),
        None => 0..0,
    };
    let example = if clean.is_empty() {
        "page-1".to_string()
    } else {
        clean
    };
    Err(Diagnostic::error(
        format!("{what} `{slug}` is not a URL-safe slug"),
        source.span(range),
    )
    .with_label("used as the page's URL")
    .with_help(format!(
        "use lowercase ASCII letters, digits and hyphens, for example `{example}`"
    )))
}

/// Byte range of `key = ...` in the front-matter, for pointing at a key.
pub(crate) fn find_key(source: &Source, key: &str) -> Range<usize> {
    let at = crate::toml_error::key_range(source.front_matter_text(), key);
    if at.is_empty() {
        return at;
    }
    source.front_matter.start + at.start..source.front_matter.start + at.end
}

/// Reports every slug two items of `kind` share: a slug is a URL, so a
/// second one would silently overwrite the first page.
pub(super) fn check_unique<'a>(
    kind: &str,
    items: impl Iterator<Item = (&'a Source, &'a str)>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut all: Vec<(&Source, &str)> = items.collect();
    all.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
    let mut seen: HashMap<&str, &Source> = HashMap::with_capacity(all.len());
    for (source, slug) in all {
        if let Some(first) = seen.get(slug) {
            // Point at the file that chose this slug with a `slug` key, if
            // one did: that is the line to change.
            let (culprit, other) = if find_key(first, "slug").is_empty() {
                (source, *first)
            } else {
                (*first, source)
            };
            problems.push(
                Diagnostic::error(
                    format!(
                        "two {kind}s have the slug `{slug}`: {} and {}",
                        other.path.display(),
                        culprit.path.display()
                    ),
                    culprit.span(find_key(culprit, "slug")),
                )
                .with_label("this slug is already taken")
                .with_help("give one of them a different `slug` or file name; a slug is its URL and must be unique"),
            );
        } else {
            seen.insert(slug, source);
        }
    }
}
