//! Where pages live and how one page links to another. Every internal URL
//! is made here: relative between pages (so one build works at a domain
//! root, under a sub-path and from disk), absolute for canonical links,
//! feeds and sitemaps.

use crate::config::Config;

/// Site paths of the built-in pages, without the base path.
pub mod paths {
    /// The home page.
    pub const HOME: &str = "";
    /// The timeline page.
    pub const TIMELINE: &str = "timeline/";
    /// The glossary page.
    pub const GLOSSARY: &str = "glossary/";
    /// The list of tags.
    pub const TAGS: &str = "tags/";
    /// The print edition.
    pub const PRINT: &str = "print/";
    /// The full list of questions, when the home page shows only the first.
    pub const QUESTIONS: &str = "questions/";
    /// The 404 page, which hosts serve at any address.
    pub const NOT_FOUND: &str = "404.html";

    /// The page of one question.
    pub fn question(slug: &str) -> String {
        format!("faq/{slug}/")
    }

    /// The page of one tag.
    pub fn tag(slug: &str) -> String {
        format!("tags/{slug}/")
    }

    /// A standalone page (`content/about.md` is `about/`).
    pub fn page(slug: &str) -> String {
        format!("{slug}/")
    }

    /// An event's place on the timeline.
    pub fn event(slug: &str) -> String {
        format!("{TIMELINE}#{slug}")
    }

    /// The page of every mention of a term (when the glossary shows only
    /// the first few).
    pub fn mentions(slug: &str) -> String {
        format!("{GLOSSARY}{slug}/")
    }

    /// A term's place in the glossary.
    pub fn term(slug: &str) -> String {
        format!("{GLOSSARY}#{slug}")
    }

    /// Page `n` (1-based) of a paginated list at `first`: the first page is
    /// `first` itself, the others `first` + `page/N/`.
    pub fn numbered(first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_string()
        } else {
            format!("{first}page/{n}/")
        }
    }
}

/// True for pages that hosts serve at any address (the 404 page), which
/// therefore cannot use relative links.
pub fn served_anywhere(path: &str) -> bool {
    path == paths::NOT_FOUND
}

/// The file that holds a page: `faq/x/` is `faq/x/index.html`. The one rule
/// for folders, used when writing, checking and serving.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// How URLs are written for one site.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Urls {
    /// Path prefix of the site (`/` or `/sub/`), for the 404 page.
    pub base_path: String,
    /// `base_url` without its trailing slash, for absolute URLs.
    origin_and_base: String,
    /// End links to folders with `index.html` (see `file_links`).
    file_links: bool,
    /// The URL folder of the language (`zh/`), `""` for the default one.
    /// Page paths are written without it (`faq/x/` is `zh/faq/x/` in the
    /// output); files shared by every language (static files, images
    /// beside pages) are not in it.
    prefix: String,
}

impl Urls {
    /// The URL rules of a site's settings.
    pub fn new(config: &Config) -> Urls {
        Urls {
            base_path: config.base_path(),
            origin_and_base: config.origin_and_base().to_string(),
            file_links: config.file_links,
            prefix: config.prefix.clone(),
        }
    }

    /// The URL folder of the language, `""` for the default one.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The output path of page path `path`: `zh/faq/x/` for `faq/x/` in
    /// Chinese.
    pub fn output_path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// The URL of `to`, a file every language shares (`style.css`,
    /// `faq/x/chip.png`), as written in this language's page at `from`.
    pub fn shared_from(&self, from: &str, to: &str) -> String {
        if self.prefix.is_empty() {
            return self.url_from(from, to);
        }
        self.url_in("", &self.output_path(from), to)
    }

    /// The URL of `to`, a page of the language `other` (with its own URL
    /// rules), as written in this language's page at `from`.
    pub fn other_language_from(&self, from: &str, other: &Urls, to: &str) -> String {
        self.shared_from(from, &other.output_path(to))
    }

    /// The absolute URL of a shared file (`https://host/sub/img/x.svg`).
    pub fn absolute_shared(&self, path: &str) -> String {
        format!("{}/{path}", self.origin_and_base)
    }

    /// The URL of site path `to` (`faq/x/`, `timeline/#event`, `style.css`)
    /// as written in the page at site path `from`. With `file_links` (the
    /// default) links to a folder end in `index.html`, which `file://`
    /// needs. The 404 page gets root-relative URLs instead.
    pub fn url_from(&self, from: &str, to: &str) -> String {
        self.url_in(&self.prefix, from, to)
    }

    /// [`Urls::url_from`] with the language folder `prefix`, which only
    /// root-relative URLs (the 404 page's) carry.
    fn url_in(&self, prefix: &str, from: &str, to: &str) -> String {
        let (path, fragment) = match to.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (to, None),
        };
        let folder = path.is_empty() || path.ends_with('/');
        let file = if folder && self.file_links {
            "index.html"
        } else {
            ""
        };
        let mut url = if served_anywhere(from) {
            format!("{}{prefix}{path}{file}", self.base_path)
        } else {
            let from_dir = dir_of(from);
            match fragment {
                // A link to a place on the same page.
                Some(_) if path == from_dir || path == from => String::new(),
                _ => {
                    // Within the page's own folder (its bundle files), the
                    // shortest relative URL; elsewhere, up to the root.
                    let url = match path.strip_prefix(from_dir).filter(|_| !from_dir.is_empty()) {
                        Some(inside) => format!("{inside}{file}"),
                        None => format!("{}{path}{file}", self.root_from(from)),
                    };
                    if url.is_empty() {
                        "./".to_string()
                    } else {
                        url
                    }
                }
            }
        };
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
        }
        url
    }

    /// The absolute URL of a site path (`https://host/sub/faq/x/`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}/{}{path}", self.origin_and_base, self.prefix)
    }

    /// The relative path from the page at `from` to the site's root: `""`
    /// for the home page, `../../` for a question; the base path for the
    /// 404 page.
    pub fn root_from(&self, from: &str) -> String {
        if served_anywhere(from) {
            return self.base_path.clone();
        }
        "../".repeat(dir_of(from).matches('/').count())
    }
}

/// The folder part of a site path: `faq/x/` for `faq/x/`, `` for `atom.xml`.
fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| path.get(..=i).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str, file_links: bool) -> Urls {
        let mut c = Config::parse(
            &format!("title = \"t\"\nbase_url = \"{base}\"\nfile_links = {file_links}"),
            std::path::Path::new("site.toml").into(),
        )
        .unwrap();
        c.file_links = file_links;
        Urls::new(&c)
    }

    #[test]
    fn links_are_relative_and_end_in_index_html() {
        let u = urls("https://host/sub/", true);
        assert_eq!(u.url_from("faq/a/", "faq/b/"), "../../faq/b/index.html");
        assert_eq!(u.url_from("", "timeline/#x"), "timeline/index.html#x");
        assert_eq!(u.url_from("timeline/", "timeline/#x"), "#x");
        assert_eq!(u.url_from("faq/a/", ""), "../../index.html");
        assert_eq!(u.url_from("faq/a/", "faq/a/chip.png"), "chip.png");
        assert_eq!(u.url_from("timeline/", "timeline/e/map.svg"), "e/map.svg");
        assert_eq!(u.url_from("404.html", "faq/a/"), "/sub/faq/a/index.html");
        assert_eq!(u.absolute("faq/a/"), "https://host/sub/faq/a/");
        let u = urls("/", false);
        assert_eq!(u.url_from("faq/a/", "glossary/"), "../../glossary/");
        assert_eq!(u.url_from("", ""), "./");
    }

    #[test]
    fn folders_are_files_named_index_html() {
        assert_eq!(file_for(""), "index.html");
        assert_eq!(file_for("faq/x/"), "faq/x/index.html");
        assert_eq!(file_for("atom.xml"), "atom.xml");
        assert_eq!(paths::numbered("tags/x/", 1), "tags/x/");
        assert_eq!(paths::numbered("tags/x/", 3), "tags/x/page/3/");
    }
}
