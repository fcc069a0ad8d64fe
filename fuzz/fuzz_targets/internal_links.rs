//! Links a site whose question holds arbitrary Markdown (with `@/` links
//! and glossary mentions) and renders it.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use dossier::highlight::Highlighter;
use libfuzzer_sys::fuzz_target;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::new)
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let Ok(config) = dossier::config::Config::parse("title = \"t\"", Path::new("site.toml").into()) else { return };
    let files = [
        ("faq/a.md", format!("+++\ntitle = \"A\"\n+++\n{body}")),
        ("glossary/t.md", "+++\nterm = \"Ascend\"\naliases = [\"中芯国际\"]\n+++\nA chip.\n".to_string()),
        ("timeline/e.md", format!("+++\ndate = \"2025\"\ntitle = \"E\"\n+++\n{body}")),
    ];
    let sources: Vec<_> = files
        .iter()
        .filter_map(|(rel, text)| {
            dossier::load::split(Path::new("content").join(rel).into(), rel.to_string(), text.as_str().into()).ok()
        })
        .collect();
    let (content, _) = dossier::content::parse(&sources, true);
    match dossier::link::link(&config, &content, None) {
        Ok(site) => {
            let assets = dossier::assets::Assets::default();
            if let Ok((tera, templates)) = dossier::render::templates(Path::new("/nonexistent"), &assets) {
                let _ = dossier::render::render(&site, &tera, &templates, highlighter(), &assets);
            }
        }
        Err(problems) => {
            for p in problems {
                let _ = p.render_plain();
            }
        }
    }
});
