//! The facts a translation repeats must agree with its original's: keys
//! such as `date` or `tags` written again in a translation, and the values
//! of its charts.
//!
//! Kept apart from the merge because these checks read the original's
//! front-matter as plain TOML and its body as Markdown, not as a typed
//! item: a contradiction is reported as written, at its line.

use std::ops::Range;

use toml::Spanned;

use super::front::Fact;
use crate::content::fields::offset;
use crate::diagnostic::Diagnostic;
use crate::load::Source;

/// Compares the facts a translation repeats with its original's.
pub(super) struct FactCheck<'a> {
    original: Option<toml::Table>,
    original_source: &'a Source,
    /// The translation's file, where a contradiction is pointed at.
    pub(super) translation: &'a Source,
}

impl<'a> FactCheck<'a> {
    /// Reads the original's front-matter once for all the checks.
    pub(super) fn new(original: &'a Source, translation: &'a Source) -> FactCheck<'a> {
        FactCheck {
            original: toml::from_str(original.front_matter_text()).ok(),
            original_source: original,
            translation,
        }
    }

    /// Checks top-level facts (`menu.weight` names a key of a table).
    pub(super) fn check(&self, problems: &mut Vec<Diagnostic>, facts: &[(&str, &Fact)]) {
        let table = self.original.as_ref();
        for (key, fact) in facts {
            let Some(fact) = fact else { continue };
            let mut parts = key.split('.');
            let mut value = parts.next().and_then(|p| table?.get(p));
            for part in parts {
                value = value.and_then(|v| v.get(part));
            }
            self.compare(problems, key, value, fact);
        }
    }

    /// Checks the facts of entry `i` of the original's list `list`.
    pub(super) fn check_in(
        &self,
        problems: &mut Vec<Diagnostic>,
        list: &str,
        i: usize,
        facts: &[(&str, &Fact)],
    ) {
        let entry = self
            .original
            .as_ref()
            .and_then(|t| t.get(list))
            .and_then(|l| l.as_array())
            .and_then(|a| a.get(i));
        for (key, fact) in facts {
            let Some(fact) = fact else { continue };
            self.compare(
                problems,
                &format!("{list}[{}].{key}", i + 1),
                entry.and_then(|e| e.get(key)),
                fact,
            );
        }
    }

    fn compare(
        &self,
        problems: &mut Vec<Diagnostic>,
        key: &str,
        original: Option<&toml::Value>,
        fact: &Spanned<toml::Value>,
    ) {
        if original == Some(fact.get_ref()) {
            return;
        }
        let said = match original {
            Some(v) => format!("says `{v}`"),
            None => "does not set it".to_string(),
        };
        problems.push(
            Diagnostic::error(
                format!(
                    "the translation says `{key} = {}`, but the original ({}) {said}",
                    fact.get_ref(),
                    self.original_source.path.display()
                ),
                self.translation.span(offset(self.translation, fact.span())),
            )
            .with_label("contradicts the original")
            .with_help(format!(
                "`{key}` is a fact, not text: it comes from the original. Remove the line from the translation, or change it in both files"
            )),
        );
    }
}

/// A chart's facts: where it is, each series' values, which are planned.
type ChartFacts = (Range<usize>, Vec<Vec<f64>>, Vec<bool>);

/// The values of every chart in a body, in order.
fn chart_values(body: &str) -> Vec<ChartFacts> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut charts = Vec::new();
    let mut open: Option<(Range<usize>, String)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if crate::chart::is_fence(&lang) =>
            {
                open = Some((range, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, text)) = open.take()
                    && let Ok(chart) = crate::chart::parse(&text)
                {
                    let values = chart.series.into_iter().map(|s| s.values).collect();
                    charts.push((range, values, chart.planned));
                }
            }
            _ => {}
        }
    }
    charts
}

/// A chart's values are facts: a translation's charts must show the same
/// numbers, in the same order, as the original's.
pub(super) fn charts_agree(
    original: &Source,
    translation: &Source,
    problems: &mut Vec<Diagnostic>,
) {
    let want = chart_values(original.body_text());
    let got = chart_values(translation.body_text());
    let at = |r: &Range<usize>| translation.body.start + r.start..translation.body.start + r.end;
    for (i, (range, values, planned)) in got.iter().enumerate() {
        let same = want
            .get(i)
            .is_some_and(|(_, v, p)| v == values && p == planned);
        if !same {
            problems.push(
                Diagnostic::error(
                    format!(
                        "chart {} of the translation does not show the original's values",
                        i + 1
                    ),
                    translation.span(at(range)),
                )
                .with_label("values or `planned` differ from the original's chart")
                .with_help(format!(
                    "a chart's `values` and `planned` are facts: copy them from the same chart in {}, and translate only its title, units, source, labels and notes",
                    original.path.display()
                )),
            );
        }
    }
    if got.len() < want.len() {
        problems.push(
            Diagnostic::error_in(
                format!(
                    "the translation has {} chart(s), the original {}",
                    got.len(),
                    want.len()
                ),
                Some(translation.path.clone()),
            )
            .with_help("translate every chart of the original, in its order"),
        );
    }
}
