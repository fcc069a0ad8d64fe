//! `dossier new` and `dossier init`: files that are valid from the start.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::theme::STATIC as DEFAULT_STATIC;
use crate::theme::TEMPLATES as DEFAULT_TEMPLATES;

/// What `dossier new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A question in `content/faq/`.
    Question,
    /// An event in `content/timeline/`.
    Event,
    /// A term in `content/glossary/`.
    Term,
    /// A standalone page in `content/`, at `/<slug>/`.
    Page,
}

/// Why a scaffold command failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The file or folder is already there; we never overwrite.
    #[error(
        "{0} already exists; dossier does not overwrite files (choose another title, or edit the existing file)"
    )]
    Exists(PathBuf),
    /// The title gives no usable slug.
    #[error("the title {0:?} has no letters or digits to make a file name from")]
    EmptySlug(String),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// A TOML string literal for `text`, quoted and escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Writes a new content file for `title` under `root` and returns its path.
/// The slug comes from the title, transliterated to ASCII (中芯国际 gives
/// `zhong-xin-guo-ji`); `today` is the date written into questions and
/// events.
pub fn new_content(
    root: &Path,
    kind: Kind,
    title: &str,
    today: &str,
) -> Result<PathBuf, ScaffoldError> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(ScaffoldError::EmptySlug(title.to_string()));
    }
    let (dir, text) = match kind {
        Kind::Question => (
            "faq",
            format!(
                "+++\ntitle = {}\n# summary = \"A one-paragraph short answer, shown on the home page.\"\ndate = {today}\ntags = []\n+++\n\nWrite the answer here, in Markdown.\n",
                toml_string(title)
            ),
        ),
        Kind::Event => (
            "timeline",
            format!(
                "+++\ndate = \"{today}\"\ntitle = {}\nstatus = \"happened\"\n# faq = [\"question-slug\"]\n+++\n\nWhat happened, in a sentence or two.\n",
                toml_string(title)
            ),
        ),
        Kind::Term => (
            "glossary",
            format!(
                "+++\nterm = {}\n# aliases = [\"other spelling\"]\n+++\n\nA short definition.\n",
                toml_string(title)
            ),
        ),
        Kind::Page => (
            "",
            format!(
                "+++\ntitle = {}\ndescription = \"One line on what this page is for, for search engines and link previews.\"\nupdated = {today}\n# The page's entry in the navigation; remove the line to leave it out.\nmenu = {{ weight = 50 }}\n+++\n\nWrite the page here, in Markdown.\n",
                toml_string(title)
            ),
        ),
    };
    let path = root.join("content").join(dir).join(format!("{slug}.md"));
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

/// Creates a file, failing if it exists.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ScaffoldError> {
    let io_err = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err)?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(path.to_path_buf()));
        }
        Err(e) => return Err(io_err(e)),
    };
    io::Write::write_all(&mut file, bytes).map_err(io_err)
}

/// The example content of a new site: enough to show every kind and every
/// cross-link, and to pass `dossier check --strict`.
const EXAMPLE: &[(&str, &str)] = &[
    // The build output and `check --external`'s cache are not sources.
    (".gitignore", "/public/\n/.dossier-cache/\n"),
    (
        "site.toml",
        "title = \"My explainer\"\nbase_url = \"https://example.org/\"\ndescription = \"Questions and answers about one subject.\"\nlanguage = \"en\"\n# A 1200x630 picture for link previews of the main pages (needs an\n# absolute base_url). Titles in Chinese, Japanese or Korean need a font:\n# card_fonts = [\"fonts/NotoSansCJK-Bold.ttc\"]\nshare_cards = true\n",
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"My explainer\"\ndescription = \"Questions and answers about one subject.\"\n\n[[key_figures]]\nvalue = \"1\"\nlabel = \"example question\"\n+++\n\nOne paragraph that says what this explainer is about. Read the\n[questions](@/faq/_index.md), the [timeline](@/timeline/_index.md) or the\n[glossary](@/glossary/_index.md).\n",
    ),
    ("content/faq/_index.md", "+++\ntitle = \"Questions\"\n+++\n"),
    (
        "content/faq/what-is-this.md",
        "+++\ntitle = \"What is this site?\"\nsummary = \"An explainer built with dossier: questions, a timeline and a glossary.\"\nweight = 1\ntags = [\"basics\"]\n\n[[sources]]\ntitle = \"The dossier README\"\npublisher = \"dossier\"\n+++\n\nEach question is a Markdown file in `content/faq/`. Terms from the\nglossary, such as front-matter, are linked automatically.\n\n## Linking\n\nLink to other files by their path: see [the first event](@/timeline/site-created.md).\n\n## Pictures\n\nPut an image beside the page or under `static/`, and give it a text\nalternative and, in a figure block, a caption and a credit:\n\n```figure\nsrc = \"/img/how-it-works.svg\"\nalt = \"Markdown files go into dossier, which writes a folder of web pages.\"\ncaption = \"How a dossier site is made.\"\ncredit = \"Diagram: dossier\"\n```\n",
    ),
    (
        "content/about.md",
        "+++\ntitle = \"About this explainer\"\ndescription = \"Who wrote this explainer, how it is sourced and how to report an error.\"\nmenu = { label = \"About\", weight = 1 }\n+++\n\n## Who made it\n\nSay who wrote and edited the explainer.\n\n## How it is sourced\n\nEach answer and event lists its sources with their publisher and date.\n\n## Corrections\n\nSay how readers report an error, and list corrections here.\n",
    ),
    (
        "static/img/how-it-works.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"160\" viewBox=\"0 0 640 160\" font-family=\"sans-serif\" font-size=\"18\">\n<rect x=\"10\" y=\"40\" width=\"170\" height=\"80\" rx=\"8\" fill=\"#f3efe6\" stroke=\"#1d1d1b\"/>\n<text x=\"95\" y=\"86\" text-anchor=\"middle\">Markdown files</text>\n<rect x=\"235\" y=\"40\" width=\"170\" height=\"80\" rx=\"8\" fill=\"#a3261b\"/>\n<text x=\"320\" y=\"86\" text-anchor=\"middle\" fill=\"#ffffff\">dossier build</text>\n<rect x=\"460\" y=\"40\" width=\"170\" height=\"80\" rx=\"8\" fill=\"#f3efe6\" stroke=\"#1d1d1b\"/>\n<text x=\"545\" y=\"86\" text-anchor=\"middle\">Web pages</text>\n<path d=\"M182 80h48M407 80h48\" stroke=\"#1d1d1b\" stroke-width=\"3\"/>\n<path d=\"M230 80l-10-6v12zM455 80l-10-6v12z\" fill=\"#1d1d1b\"/>\n</svg>\n",
    ),
    (
        "content/timeline/_index.md",
        "+++\ntitle = \"Timeline\"\n+++\n",
    ),
    (
        "content/timeline/site-created.md",
        "+++\ndate = \"2025\"\ntitle = \"This site was created\"\nfaq = [\"what-is-this\"]\n+++\n\nThe site was made with `dossier init`, with its front-matter ready to edit.\n",
    ),
    (
        "content/glossary/_index.md",
        "+++\ntitle = \"Glossary\"\n+++\n",
    ),
    (
        "content/glossary/front-matter.md",
        "+++\nterm = \"front-matter\"\naliases = [\"front matter\"]\n+++\n\nThe TOML between the `+++` lines at the top of a content file.\n",
    ),
];

/// Creates a new site in `dir` (which must not exist or be empty), with the
/// default templates and static files copied so they can be edited.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(ScaffoldError::Exists(dir.to_path_buf()));
    }
    let mut written = Vec::new();
    let files = EXAMPLE
        .iter()
        .map(|(p, t)| (PathBuf::from(p), *t))
        .chain(
            DEFAULT_TEMPLATES
                .iter()
                .map(|(n, t)| (Path::new("templates").join(n), *t)),
        )
        .chain(
            DEFAULT_STATIC
                .iter()
                .map(|(n, t)| (Path::new("static").join(n), *t)),
        );
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_content_transliterates_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = new_content(dir.path(), Kind::Term, "中芯国际", "2026-01-02").unwrap();
        assert_eq!(
            path,
            dir.path().join("content/glossary/zhong-xin-guo-ji.md")
        );
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("+++\nterm = \"中芯国际\"\n"), "{text}");
        assert!(matches!(
            new_content(dir.path(), Kind::Term, "中芯国际", "2026-01-02"),
            Err(ScaffoldError::Exists(_))
        ));
        assert!(matches!(
            new_content(dir.path(), Kind::Question, "???", "2026-01-02"),
            Err(ScaffoldError::EmptySlug(_))
        ));
    }

    #[test]
    fn titles_with_quotes_stay_valid_toml() {
        let dir = tempfile::tempdir().unwrap();
        let path = new_content(
            dir.path(),
            Kind::Question,
            "Is \"AI\" a \\ chip?",
            "2026-01-02",
        )
        .unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let fm = text
            .trim_start_matches("+++\n")
            .split("+++")
            .next()
            .unwrap();
        let table: toml::Table = toml::from_str(fm).unwrap();
        assert_eq!(table["title"].as_str(), Some("Is \"AI\" a \\ chip?"));
    }
}
