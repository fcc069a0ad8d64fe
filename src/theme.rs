//! The built-in theme: templates and static files shipped inside the
//! binary. A site's own `templates/` or `static/` file of the same name
//! replaces one.

/// The default templates.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("question.html", include_str!("../templates/question.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("timeline.html", include_str!("../templates/timeline.html")),
    ("glossary.html", include_str!("../templates/glossary.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("tags.html", include_str!("../templates/tags.html")),
    (
        "questions.html",
        include_str!("../templates/questions.html"),
    ),
    ("mentions.html", include_str!("../templates/mentions.html")),
    (
        "pagination.html",
        include_str!("../templates/pagination.html"),
    ),
    ("404.html", include_str!("../templates/404.html")),
    ("print.html", include_str!("../templates/print.html")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("robots.txt", include_str!("../templates/robots.txt")),
];

/// The default stylesheet, script and icon that the default templates use.
pub const STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../static/style.css")),
    ("dossier.js", include_str!("../static/dossier.js")),
    ("favicon.svg", include_str!("../static/favicon.svg")),
];
