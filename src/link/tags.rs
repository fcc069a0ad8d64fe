//! Tags: each spelling gets a URL-safe slug; spellings that differ only in
//! case are one tag, but two different spellings that would share a URL
//! (`C` and `C++` both give `c`) are an error, as is a tag without one.

use std::collections::HashMap;

use crate::content::{At, Event, Item, Question};
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// A tag and the questions that carry it.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Tag {
    /// The tag as first written.
    pub name: String,
    /// URL-safe form.
    pub slug: String,
    /// Indexes into the questions, in question order.
    pub questions: Vec<usize>,
}

/// Gives each tag the name this language shows for it (`names`, from
/// `[languages.CODE.tags]`), matched by address, so that `huawei`,
/// `Huawei` and `HUAWEI` all name the tag `tags/huawei/`. A name for a
/// tag no file uses is a warning: a misspelt key would otherwise leave the
/// tag untranslated without a sign.
pub(super) fn translate(
    tags: &mut [Tag],
    names: &std::collections::BTreeMap<String, String>,
    code: &str,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (written, name) in names {
        let slug = slug::slugify(written);
        match tags.iter_mut().find(|t| t.slug == slug) {
            Some(tag) => tag.name = name.clone(),
            None => warnings.push(
                Diagnostic::error_in(
                    format!("[languages.{code}.tags] names the tag `{written}`, which no question or event has"),
                    Some(std::path::Path::new("site.toml").into()),
                )
                .warning()
                .with_help("write the tag as the original files do (`tags = [\"export controls\"]`), or remove the line"),
            ),
        }
    }
    warnings
}

/// The tags of the site, A to Z by slug, and each question's tags as
/// indexes into them. Problems are pushed onto `problems`.
pub(super) fn tags(
    questions: &[Item<Question>],
    events: &[Item<Event>],
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Tag>, Vec<Vec<usize>>) {
    // The first spelling of each slug, and where it was written.
    let mut first: HashMap<String, (String, Source, std::ops::Range<usize>)> = HashMap::new();
    let mut check = |source: &Source,
                     tag: &At<String>,
                     problems: &mut Vec<Diagnostic>|
     -> Option<String> {
        let slug = slug::slugify(&tag.value);
        if slug.is_empty() {
            problems.push(
                Diagnostic::error(
                    format!(
                        "the tag `{}` has no letters or digits to make its address from",
                        tag.value
                    ),
                    source.span(tag.range.clone()),
                )
                .with_label("no URL can be made from this tag")
                .with_help("use a tag with letters or digits, such as `export-controls`"),
            );
            return None;
        }
        match first.get(&slug) {
            Some((name, other, at)) if name.to_lowercase() != tag.value.to_lowercase() => {
                let (line, _) = other.span(at.clone()).line_col();
                problems.push(
                    Diagnostic::error(
                        format!(
                            "the tags `{}` and `{name}` ({}:{line}) would both be at tags/{slug}/",
                            tag.value,
                            other.path.display()
                        ),
                        source.span(tag.range.clone()),
                    )
                    .with_label("same address as another tag")
                    .with_help("use one spelling for both, or tags that differ in letters or digits (`c-plus-plus`)"),
                );
                None
            }
            Some(_) => Some(slug),
            None => {
                first.insert(
                    slug.clone(),
                    (tag.value.clone(), source.clone(), tag.range.clone()),
                );
                Some(slug)
            }
        }
    };
    let question_slugs: Vec<Vec<String>> = questions
        .iter()
        .map(|q| {
            q.tags
                .iter()
                .filter_map(|t| check(&q.source, t, problems))
                .collect()
        })
        .collect();
    for e in events {
        for t in &e.tags {
            let _ = check(&e.source, t, problems);
        }
    }
    let mut by_slug: std::collections::BTreeMap<String, Tag> = std::collections::BTreeMap::new();
    for (qi, slugs) in question_slugs.iter().enumerate() {
        for slug in slugs {
            let name = first.get(slug).map(|f| f.0.clone()).unwrap_or_default();
            let tag = by_slug.entry(slug.clone()).or_insert_with(|| Tag {
                name,
                slug: slug.clone(),
                questions: Vec::new(),
            });
            if tag.questions.last() != Some(&qi) {
                tag.questions.push(qi);
            }
        }
    }
    let tags: Vec<Tag> = by_slug.into_values().collect();
    let position: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let of_question = question_slugs
        .iter()
        .map(|slugs| {
            let mut v: Vec<usize> = slugs
                .iter()
                .filter_map(|s| position.get(s.as_str()).copied())
                .collect();
            v.dedup();
            v
        })
        .collect();
    (tags, of_question)
}
