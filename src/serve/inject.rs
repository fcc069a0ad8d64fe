//! What a page served by `dossier serve` gets besides the site's own
//! HTML: the live-reload script, the "Open in editor" controls (for a
//! browser on this machine) and the error overlay while the last edit is
//! broken. Built sites get none of it.

use super::http::PageSources;

/// The script added to every served page (not to built sites): reload on
/// a rebuild.
pub const LIVE_RELOAD: &str = "<script>(function(){var s=new EventSource(\"/__dossier/events\");s.addEventListener(\"reload\",function(){location.reload();});})();</script>";

/// Marks the start and end of what [`inject`] adds, so that
/// [`remove_injection`] can take it out again.
const INJECTED_START: &str = "<!--dossier serve-->";
const INJECTED_END: &str = "<!--/dossier serve-->";

/// The script of the "Open in editor" controls: a button beside each entry
/// whose file the page lists, and one POST per click with the token.
const EDITOR_SCRIPT: &str = "<script>(function(){var c=document.getElementById(\"dossier-editor\");if(!c)return;var t=c.getAttribute(\"data-token\"),l=c.getAttribute(\"data-label\"),w=c.getAttribute(\"data-opening\"),n=c.getAttribute(\"data-not-opened\"),g=c.getAttribute(\"data-no-server\");function button(f){var b=document.createElement(\"button\");b.type=\"button\";b.className=\"dossier-open\";b.setAttribute(\"data-file\",f);b.title=f;b.textContent=l;b.style.cssText=\"font:12px/1.2 system-ui,sans-serif;margin:.25rem 0;padding:.15rem .4rem;cursor:pointer\";return b;}JSON.parse(c.getAttribute(\"data-entries\")||\"[]\").forEach(function(e){var el=document.getElementById(e[0]);if(el)el.appendChild(button(e[1]));});document.addEventListener(\"click\",function(ev){var b=ev.target&&ev.target.closest&&ev.target.closest(\"button.dossier-open\");if(!b)return;var label=b.textContent;fetch(\"/__dossier/open?file=\"+encodeURIComponent(b.getAttribute(\"data-file\")),{method:\"POST\",headers:{\"X-Dossier-Token\":t}}).then(function(r){return r.text().then(function(m){b.textContent=r.ok?w:n+m.trim();});},function(){b.textContent=g;}).then(function(){setTimeout(function(){b.textContent=label;},3000);});});})();</script>";

/// What a served page gets besides the site's own HTML.
#[derive(Default)]
pub(super) struct Injection<'a> {
    /// The error overlay's text, while the last edit is broken.
    pub(super) error: Option<&'a str>,
    /// "Open in editor", for pages served to this machine only.
    pub(super) editor: Option<EditorControl<'a>>,
    /// The words of the page's language (English when `None`).
    pub(super) labels: Option<&'a EditorLabels>,
}

/// The words of the "Open in editor" controls in one language (the
/// site's `ui` table: `open_in_editor`, `open_file_in_editor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EditorLabels {
    /// A button's text ("Open in editor").
    pub(super) open: String,
    /// The error overlay's button, with `{file}` for the file's path.
    pub(super) open_file: String,
    /// A button's text while the editor opens ("Opening…").
    pub(super) opening: String,
    /// Before the server's reason when it did not open the file.
    pub(super) not_opened: String,
    /// When the preview server did not answer.
    pub(super) no_server: String,
    /// The error overlay's heading.
    pub(super) broken: String,
}

impl EditorLabels {
    /// The labels of a language's `ui` table, which has every key (the
    /// English words under any missing translation).
    pub(super) fn from_ui(ui: &std::collections::BTreeMap<String, String>) -> EditorLabels {
        let word = |key: &str| ui.get(key).cloned().unwrap_or_default();
        EditorLabels {
            open: word("open_in_editor"),
            open_file: word("open_file_in_editor"),
            opening: word("editor_opening"),
            not_opened: word("editor_not_opened"),
            no_server: word("editor_no_server"),
            broken: word("serve_broken"),
        }
    }

    /// The English labels, built once.
    pub(super) fn english() -> &'static EditorLabels {
        static ENGLISH: std::sync::LazyLock<EditorLabels> = std::sync::LazyLock::new(|| {
            EditorLabels::from_ui(&crate::ui::strings("en", &Default::default()))
        });
        &ENGLISH
    }
}

impl Default for EditorLabels {
    fn default() -> Self {
        EditorLabels::english().clone()
    }
}

/// The "Open in editor" controls of one page.
pub(super) struct EditorControl<'a> {
    pub(super) token: &'a str,
    /// In the page's language.
    pub(super) labels: &'a EditorLabels,
    pub(super) sources: Option<&'a PageSources>,
    /// The file of the error overlay's first problem.
    pub(super) error_file: Option<&'a str>,
}

fn escaped(text: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// An "Open in editor" button for `file` (the script makes it work).
fn open_button(file: &str, label: &str) -> String {
    format!(
        "<button type=\"button\" class=\"dossier-open\" data-file=\"{}\" style=\"font:12px/1.2 system-ui,sans-serif;padding:.15rem .4rem;cursor:pointer\">{}</button>",
        escaped(file),
        escaped(label)
    )
}

/// Adds the live-reload script, the "Open in editor" controls and, when
/// the last edit broke the build, the error overlay, before `</body>`.
pub(super) fn inject(html: &[u8], injection: &Injection<'_>) -> Vec<u8> {
    let mut extra = String::from(INJECTED_START);
    extra.push_str(LIVE_RELOAD);
    if let Some(control) = &injection.editor {
        let sources = control.sources.cloned().unwrap_or_default();
        let entries = serde_json::to_string(&sources.entries).unwrap_or_default();
        extra.push_str(&format!(
            "<div id=\"dossier-editor\" data-token=\"{}\" data-label=\"{}\" data-opening=\"{}\" data-not-opened=\"{}\" data-no-server=\"{}\" data-entries=\"{}\" style=\"position:fixed;right:.5rem;bottom:.5rem;z-index:99998\">{}</div>{EDITOR_SCRIPT}",
            escaped(control.token),
            escaped(&control.labels.open),
            escaped(&control.labels.opening),
            escaped(&control.labels.not_opened),
            escaped(&control.labels.no_server),
            escaped(&entries),
            sources
                .file
                .as_deref()
                .map(|f| open_button(f, &control.labels.open))
                .unwrap_or_default(),
        ));
    }
    if let Some(error) = injection.error {
        let broken = &injection.labels.unwrap_or(EditorLabels::english()).broken;
        let button = injection
            .editor
            .as_ref()
            .and_then(|c| c.error_file.map(|f| (f, c.labels)))
            .map(|(f, labels)| {
                format!(
                    "<p style=\"margin:.5rem 0 0\">{}</p>",
                    open_button(f, &crate::ui::fill(&labels.open_file, &[("file", f)]))
                )
            })
            .unwrap_or_default();
        extra.push_str(&format!(
            "<div id=\"dossier-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.4 ui-monospace,monospace;border-top:4px solid #ff5a5a\"><strong>{}</strong>{button}<pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            escaped(broken),
            escaped(error)
        ));
    }
    extra.push_str(INJECTED_END);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{}{}", &text[..at], extra, &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// A served page without what the server added to it: what `dossier
/// build` writes for the same page (the tests compare the two).
pub fn remove_injection(html: &str) -> String {
    match (html.find(INJECTED_START), html.rfind(INJECTED_END)) {
        (Some(start), Some(end)) if start <= end => {
            format!("{}{}", &html[..start], &html[end + INJECTED_END.len()..])
        }
        _ => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reload_script_and_error_overlay_go_before_body_end() {
        let html = b"<html><body><p>x</p></body></html>";
        let broken = Injection {
            error: Some("error: <bad> at a.md:1:2"),
            editor: None,
            labels: None,
        };
        let out = String::from_utf8(inject(html, &broken)).unwrap();
        assert!(out.contains("EventSource(\"/__dossier/events\")"));
        assert!(out.contains("id=\"dossier-error\""));
        assert!(out.contains("error: &lt;bad&gt; at a.md:1:2"));
        assert!(out.ends_with("</body></html>"));
        assert!(!out.contains("dossier-open"), "no editor without a token");
        assert_eq!(remove_injection(&out), String::from_utf8_lossy(html));
        assert!(
            !String::from_utf8(inject(html, &Injection::default()))
                .unwrap()
                .contains("dossier-error")
        );
    }

    #[test]
    fn editor_controls_name_the_pages_files_and_the_errors() {
        let html = b"<html><body><li id=\"a\">x</li></body></html>";
        let sources = PageSources {
            file: Some("content/timeline/_index.md".into()),
            entries: vec![("a".into(), "content/timeline/a \"b\".md".into())],
        };
        let injection = Injection {
            error: Some("error: x"),
            editor: Some(EditorControl {
                token: "0123abcd",
                labels: &EditorLabels::default(),
                sources: Some(&sources),
                error_file: Some("content/faq/x.md"),
            }),
            labels: None,
        };
        let out = String::from_utf8(inject(html, &injection)).unwrap();
        assert!(out.contains("data-token=\"0123abcd\""), "{out}");
        assert!(
            out.contains("data-file=\"content/timeline/_index.md\""),
            "{out}"
        );
        assert!(out.contains(">Open in editor</button>"), "{out}");
        assert!(
            out.contains("[[&quot;a&quot;,&quot;content/timeline/a \\&quot;b\\&quot;.md&quot;]]"),
            "entries as escaped JSON: {out}"
        );
        assert!(out.contains("data-file=\"content/faq/x.md\""), "{out}");
        assert!(
            out.contains(">Open content/faq/x.md in editor</button>"),
            "{out}"
        );
        assert_eq!(remove_injection(&out), String::from_utf8_lossy(html));
    }

    #[test]
    fn the_overlay_and_the_editor_controls_speak_the_pages_language() {
        let zh = EditorLabels::from_ui(&crate::ui::strings("zh-Hans", &Default::default()));
        let html = b"<html><body></body></html>";
        let injection = Injection {
            error: Some("error: x"),
            editor: Some(EditorControl {
                token: "0123abcd",
                labels: &zh,
                sources: None,
                error_file: Some("content/faq/x.zh.md"),
            }),
            labels: Some(&zh),
        };
        let out = String::from_utf8(inject(html, &injection)).unwrap();
        assert!(
            out.contains("<strong>dossier：最近一次修改导致构建失败"),
            "{out}"
        );
        assert!(out.contains("data-opening=\"正在打开…\""), "{out}");
        assert!(
            out.contains("data-no-server=\"未能打开：预览服务器没有运行\""),
            "{out}"
        );
        assert!(
            !out.contains("Opening") && !out.contains("Not opened"),
            "{out}"
        );
        let english = Injection {
            error: Some("error: x"),
            ..Injection::default()
        };
        let out = String::from_utf8(inject(html, &english)).unwrap();
        assert!(out.contains("the last edit broke the build"), "{out}");
    }
}
