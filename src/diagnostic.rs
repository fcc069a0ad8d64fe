//! Diagnostics: every problem a user can cause, with the place it happened.
//!
//! Each stage returns its own errors as [`Diagnostic`]s so that a run can
//! gather all of them, sort them by file and line, and print them together
//! with the offending line shown (rendered by `annotate-snippets`).

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A byte range inside one file, together with the file's text so that the
/// message can show the line without reading the file again.
#[derive(Debug, Clone)]
pub struct Span {
    /// Path shown to the user, relative to the site root (`content/faq/x.md`).
    pub path: Arc<Path>,
    /// The whole text of the file.
    pub text: Arc<str>,
    /// Byte range of the offending text inside `text`.
    pub range: Range<usize>,
}

impl Span {
    /// A span over `range` of a file whose text is `text`.
    pub fn new(path: Arc<Path>, text: Arc<str>, range: Range<usize>) -> Self {
        let end = range.end.min(text.len());
        let start = range.start.min(end);
        Span {
            path,
            text,
            range: start..end,
        }
    }

    /// One-based line and column (in characters) of the start of the span.
    pub fn line_col(&self) -> (usize, usize) {
        let before = self.text.get(..self.range.start).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).unwrap_or("").chars().count() + 1;
        (line, col)
    }
}

/// How serious a diagnostic is: errors fail the build, warnings do not
/// (unless the user asks for `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
}

/// One problem, with where it is, what is wrong and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is, when it is in a file we can show.
    pub span: Option<Span>,
    /// A file the problem concerns when there is no span to show.
    pub path: Option<Arc<Path>>,
    /// Short label under the caret.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            path: None,
            label: String::new(),
            help: None,
        }
    }

    /// An error about a whole file, or about no file at all.
    pub fn error_in(message: impl Into<String>, path: Option<Arc<Path>>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            path,
            label: String::new(),
            help: None,
        }
    }

    /// Turns this diagnostic into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Sets the label shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the "help:" line that tells the user how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The file this diagnostic is about, if any.
    pub fn file(&self) -> Option<&Path> {
        self.span
            .as_ref()
            .map(|s| &*s.path)
            .or(self.path.as_deref())
    }

    /// `path:line:col` of the problem, or just the path, or nothing.
    pub fn location(&self) -> Option<String> {
        match (&self.span, &self.path) {
            (Some(span), _) => {
                let (line, col) = span.line_col();
                Some(format!("{}:{line}:{col}", span.path.display()))
            }
            (None, Some(path)) => Some(path.display().to_string()),
            (None, None) => None,
        }
    }

    /// Renders the message with the source line and a caret, without colour.
    pub fn render_plain(&self) -> String {
        self.render_with(&Renderer::plain())
    }

    /// Renders the message with colour, for a terminal.
    pub fn render_styled(&self) -> String {
        self.render_with(&Renderer::styled())
    }

    fn render_with(&self, renderer: &Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path_text;
        let mut groups = Vec::new();
        if let Some(span) = &self.span {
            let title = level.primary_title(self.message.as_str());
            path_text = span.path.display().to_string();
            let range = clamp_to_char_boundaries(&span.text, span.range.clone());
            let snippet = Snippet::source(&*span.text)
                .path(path_text.as_str())
                .fold(true)
                .annotation(
                    AnnotationKind::Primary
                        .span(range)
                        .label(self.label.as_str()),
                );
            groups.push(title.element(snippet));
        } else {
            let title = match &self.path {
                Some(path) => level.primary_title(format!("{}: {}", path.display(), self.message)),
                None => level.primary_title(self.message.as_str()),
            };
            groups.push(Group::with_title(title));
        }
        if let Some(help) = &self.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&groups)
    }
}

/// Moves both ends of `range` back to the nearest UTF-8 character boundary so
/// that the renderer never slices inside a character.
fn clamp_to_char_boundaries(text: &str, range: Range<usize>) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    fix(range.start)..fix(range.end)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_plain())
    }
}

/// All the problems of one run, in the order they should be printed.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts by file, then line, then message, so that output is stable and
    /// a reader can work through a file top to bottom.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.file().map(Path::to_path_buf),
                    d.span.as_ref().map(|s| s.range.start),
                    d.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Turns every warning into an error that says so, for `--strict`.
    pub fn strict(mut self) -> Self {
        for d in &mut self.0 {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
                d.message = format!("{} (an error because of --strict)", d.message);
            }
        }
        self
    }

    /// Renders every diagnostic, plain or with colour, separated by blank lines.
    pub fn render(&self, styled: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&if styled {
                d.render_styled()
            } else {
                d.render_plain()
            });
            out.push_str("\n\n");
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        let mut d = Diagnostics(v);
        d.sort();
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, range: Range<usize>) -> Span {
        Span::new(Path::new("content/faq/a.md").into(), text.into(), range)
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "+++\ntitle = \"中芯\"\nsummry = 1\n+++\n";
        let start = text.find("summry").unwrap();
        assert_eq!(span(text, start..start + 6).line_col(), (3, 1));
        let after = text.find('"').unwrap() + 1 + "中芯".len();
        assert_eq!(span(text, after..after + 1).line_col(), (2, 12));
    }

    #[test]
    fn rendered_error_shows_location_line_caret_and_help() {
        let text = "+++\nsummry = \"x\"\n+++\n";
        let d = Diagnostic::error("unknown key `summry`", span(text, 4..10))
            .with_label("not a question key")
            .with_help("did you mean `summary`?");
        let out = d.render_plain();
        assert!(out.contains("error: unknown key `summry`"), "{out}");
        assert!(out.contains("content/faq/a.md:2:1"), "{out}");
        assert!(out.contains("summry = \"x\""), "{out}");
        assert!(out.contains("^^^^^^ not a question key"), "{out}");
        assert!(out.contains("help: did you mean `summary`?"), "{out}");
    }

    #[test]
    fn diagnostics_sort_by_file_then_position() {
        let a = Diagnostic::error("late", span("aaaa\nbbbb", 5..6));
        let b = Diagnostic::error("early", span("aaaa\nbbbb", 0..1));
        let c = Diagnostic::error_in("other file", Some(Path::new("content/z.md").into()));
        let all: Diagnostics = vec![c, a, b].into();
        let order: Vec<_> = all.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["early", "late", "other file"]);
    }
}
