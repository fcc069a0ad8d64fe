//! Templates: the built-in ones and the site's overrides, loaded into one
//! Tera, and Tera's errors turned into diagnostics that point at the
//! template line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::Tera;

use crate::assets::Assets;
use crate::diagnostic::{Diagnostic, Span};
use crate::theme::TEMPLATES as DEFAULT_TEMPLATES;

/// The site's templates, ready to render, with their texts for errors and
/// a key that changes when any of them does.
#[derive(Debug)]
pub struct Templates {
    /// The loaded templates.
    pub tera: Tera,
    /// Each template's text, for error messages.
    pub files: Vec<Arc<TemplateFile>>,
    /// Changes whenever a template does.
    pub key: u64,
    /// Problems that did not stop loading (skipped files).
    pub warnings: Vec<Diagnostic>,
}

impl Templates {
    /// Turns a rendering error into a diagnostic at the template's line.
    pub fn error(&self, error: &tera::Error) -> Diagnostic {
        template_error(error, &self.files)
    }
}

/// The name and full text of a template, and the path shown in errors.
struct TemplateSource {
    name: String,
    text: String,
    shown: Arc<Path>,
}

/// Loads the default templates and the site's overrides into one Tera.
pub fn load(root: &Path, assets: &Assets) -> Result<Templates, Vec<Diagnostic>> {
    let mut by_name: BTreeMap<String, TemplateSource> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                TemplateSource {
                    name: name.to_string(),
                    text: text.to_string(),
                    shown: PathBuf::from(format!("(built-in) templates/{name}")).into(),
                },
            )
        })
        .collect();
    let dir = root.join("templates");
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    if dir.is_dir() {
        let (files, found) = crate::load::site_files(root, &dir);
        let (errors, skipped): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|d| d.severity == crate::diagnostic::Severity::Error);
        problems.extend(errors);
        warnings.extend(skipped);
        for (file, name) in files {
            let shown: Arc<Path> = Path::new("templates").join(&name).into();
            match std::fs::read_to_string(&file) {
                Ok(text) => {
                    by_name.insert(name.clone(), TemplateSource { name, text, shown });
                }
                Err(e) => problems.push(
                    Diagnostic::error_in(format!("cannot read this template: {e}"), Some(shown))
                        .with_help("templates must be UTF-8 text files"),
                ),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let files: Vec<Arc<TemplateFile>> = by_name
        .values()
        .map(|t| {
            Arc::new(TemplateFile {
                name: t.name.clone(),
                shown: t.shown.clone(),
                text: t.text.as_str().into(),
            })
        })
        .collect();
    let mut tera = Tera::new();
    // Functions must exist before templates that call them are added.
    crate::assets::register_function(&mut tera, assets);
    register_filters(&mut tera);
    tera.add_raw_templates(by_name.values().map(|t| (t.name.as_str(), t.text.as_str())))
        .map_err(|e| vec![template_error(&e, &files)])?;
    let key = crate::load::hash_of(
        &by_name
            .values()
            .map(|t| (&t.name, &t.text))
            .collect::<Vec<_>>(),
    );
    Ok(Templates {
        tera,
        files,
        key,
        warnings,
    })
}

/// A template's text, kept so errors can show the offending line.
#[derive(Debug)]
pub struct TemplateFile {
    name: String,
    shown: Arc<Path>,
    text: Arc<str>,
}

/// Turns a Tera error into a diagnostic that points at the template line.
fn template_error(error: &tera::Error, files: &[Arc<TemplateFile>]) -> Diagnostic {
    let find = |name: &str| files.iter().find(|f| f.name == name);
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let what = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            match find(report.filename()) {
                Some(file) => Diagnostic::error(
                    format!("{what} in {}: {}", file.name, report.message()),
                    Span::new(
                        file.shown.clone(),
                        file.text.clone(),
                        report.span().range.clone(),
                    ),
                )
                .with_label(if report.message().contains("not defined") {
                    "unknown name"
                } else {
                    "here"
                })
                .with_help(template_help(report.message())),
                None => Diagnostic::error_in(format!("{what}: {}", report.message()), None),
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let message = format!("template `{current}` extends `{parent}`, which does not exist");
            let help = format!(
                "create templates/{parent}, or extend one of the built-in templates such as base.html"
            );
            match find(current) {
                Some(file) => {
                    let at = file.text.find(parent.as_str()).unwrap_or(0);
                    Diagnostic::error(
                        message,
                        Span::new(file.shown.clone(), file.text.clone(), at..at + parent.len()),
                    )
                    .with_label("no template with this name")
                    .with_help(help)
                }
                None => Diagnostic::error_in(message, None).with_help(help),
            }
        }
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error_in(
            format!("template `{name}` does not exist"),
            Some(Path::new("templates").join(name).into()),
        )
        .with_help("create it in templates/, or use one of the built-in template names"),
        _ => Diagnostic::error_in(format!("template error: {error}"), None),
    }
}

fn template_help(message: &str) -> String {
    if message.contains("not defined") {
        "check the name; the variables each template receives are listed in the README (Templates), and a value that may be missing can be tested first with `{% if page.x %}`".to_string()
    } else {
        "see the Tera 2 documentation for the syntax; the built-in templates in the dossier repository are working examples".to_string()
    }
}

/// dossier's own filters. `lang_runs(tag=site.cjk_lang)` escapes a text
/// and puts its Chinese, Japanese or Korean runs in `<span lang>`, as
/// bodies get (a source's Chinese title on an English page).
fn register_filters(tera: &mut Tera) {
    tera.register_filter(
        "lang_runs",
        |text: &str, kwargs: tera::Kwargs, _: &tera::State<'_>| -> tera::TeraResult<tera::Value> {
            // `site.cjk_lang` is none on Chinese pages, which Tera passes
            // as nothing or as an empty string.
            let tag: Option<String> = kwargs.get("tag")?;
            let tag = tag.filter(|t| !t.is_empty());
            Ok(tera::Value::safe_string(&crate::markdown::marked_text(
                text,
                tag.as_deref(),
            )))
        },
    );
}
