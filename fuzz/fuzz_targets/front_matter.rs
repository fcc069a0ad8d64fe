//! Splits arbitrary bytes as a content file and parses the front-matter.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for rel in ["faq/x.md", "timeline/x.md", "glossary/x.md", "_index.md"] {
        let path: std::sync::Arc<Path> = Path::new("content").join(rel).into();
        if let Ok(source) = dossier::load::split(path, rel.to_string(), text.into()) {
            let (_, problems) = dossier::content::parse(&[source], true);
            for p in problems {
                let _ = p.render_plain();
            }
        } else if let Err(d) = dossier::load::split(Path::new("x").into(), rel.to_string(), text.into()) {
            let _ = d.render_plain();
        }
    }
});
