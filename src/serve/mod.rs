//! `dossier serve`: a preview server that rebuilds only what an edit can
//! change, keeps the last good site when an edit breaks it, and tells the
//! browser to reload.
//!
//! The site is served from memory. The watcher turns file events into a
//! [`Change`]; the pipeline ([`Build::incremental`]) does the rest and
//! hands over the files whose content changed.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::new_debouncer;

use crate::diagnostic::Diagnostics;
use crate::pipeline::{Build, Change, Collect, Report, relevant};
use crate::settings::Settings;

mod editor;
mod hosts;
mod http;
mod inject;
mod listen;

use hosts::Hosts;
use http::{App, Clients, PageSources, Served, apply};
pub use http::{Refusal, check_host, check_path};
use inject::EditorLabels;
pub use inject::{LIVE_RELOAD, remove_injection};

/// Path of the Server-Sent Events stream that announces rebuilds.
pub const EVENTS_PATH: &str = "/__dossier/events";

/// Path the "Open in editor" controls POST to (see `editor.rs`).
pub const OPEN_PATH: &str = "/__dossier/open";

/// How long the watcher waits for a burst of file events to end. Editors
/// write a file within a millisecond (truncate then write, or write a
/// temporary file and rename it); saves with up to 10 ms between the two
/// steps gave no broken rebuild in 60 tries. 25 ms takes about 40 ms off
/// every rebuild compared with the 50 ms it was.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Options of `dossier serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The build settings (root, drafts, today).
    pub settings: Settings,
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port to try first; the next free one is used if it is taken. 0 asks
    /// the system for any free port.
    pub port: u16,
    /// Open the browser once the site is up.
    pub open: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No port could be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address tried last.
        addr: String,
        /// The cause.
        reason: String,
    },
    /// The HTTP server's runtime could not start.
    #[error("cannot start the HTTP server: {0}")]
    Runtime(std::io::Error),
    /// The file watcher could not start.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    /// No random token for "Open in editor" could be made.
    #[error("cannot make a random token: {0}")]
    Token(std::io::Error),
}

/// Describes which files changed, for the console.
fn describe(root: &Path, changed: &BTreeSet<PathBuf>) -> String {
    let names: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    match names.as_slice() {
        [] => "start".to_string(),
        [a] => a.clone(),
        [a, b] => format!("{a}, {b}"),
        [a, b, c] => format!("{a}, {b}, {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

/// The folders a site's rebuilds depend on, watched recursively; the root
/// is watched on its own, so that one of them being created, deleted or
/// replaced (`rm -rf content`, `mv`) is seen, and the folder watched again.
const WATCHED: &[&str] = &["content", "templates", "static"];

/// Which folders are watched, with the identity (device, inode) of the
/// folder each watch was set on.
struct Watches {
    root: PathBuf,
    /// Device, inode and birth time: a folder deleted and made again may
    /// get the same inode number, but not the same birth time.
    set: HashMap<PathBuf, (u64, u64, Option<std::time::SystemTime>)>,
}

impl Watches {
    /// Watches the folders that exist and are not watched yet, and watches
    /// again a folder that was replaced. Returns true if anything changed.
    fn refresh<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
        &mut self,
        debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    ) -> bool {
        use std::os::unix::fs::MetadataExt;
        let mut changed = false;
        for dir in WATCHED {
            let path = self.root.join(dir);
            let identity = std::fs::metadata(&path)
                .ok()
                .filter(|m| m.is_dir())
                .map(|m| (m.dev(), m.ino(), m.created().ok()));
            let watched = self.set.get(&path).copied();
            if identity == watched {
                continue;
            }
            changed = true;
            if watched.is_some() {
                let _ = debouncer.unwatch(&path);
                self.set.remove(&path);
            }
            if let Some(id) = identity
                && debouncer.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.set.insert(path, id);
            }
        }
        changed
    }
}

/// Runs the server until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let listener = listen::bind(options.bind, options.port)?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(options.port);
    let hosts = Hosts::new(options.bind, port);
    let url = format!("http://{}/", hosts.shown());
    let served = Arc::new(RwLock::new(Served::default()));
    let clients = Arc::new(Clients::default());
    let root = options.settings.root.clone();
    let mut settings = options.settings.clone();
    settings.base_url = Some(format!("http://127.0.0.1:{port}/"));
    let mut build = Build::incremental(settings);

    // The first build.
    let start = Instant::now();
    let outcome = rebuild(&mut build, &served, &Change::Everything);
    print_outcome(&served, "start", &outcome, start);

    let editor = editor::Editor::from_env();
    if let Err(why) = &editor {
        eprintln!("warning: \"Open in editor\" will not work: {why}");
    }
    // Kept until the watcher loop ends: dropping it stops the server.
    let _http = listen::start(
        listener,
        http::router(App {
            served: served.clone(),
            clients: clients.clone(),
            hosts,
            root: root.clone(),
            token: editor::Token::new().map_err(ServeError::Token)?,
            editor,
        }),
    )?;
    if port != options.port && options.port != 0 {
        println!("port {} is taken; using {port}", options.port);
    }
    println!("serving {} on {url} (Ctrl-C to stop)", root.display());
    for other in hosts::network_urls(options.bind, port) {
        println!("  and to other machines on {other}");
    }
    if options.open {
        let _ = open::that(&url);
    }

    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)?;
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watches = Watches {
        root: root.clone(),
        set: HashMap::new(),
    };
    watches.refresh(&mut debouncer);

    for result in rx {
        let Ok(events) = result else { continue };
        // Reading a file is an event too (our own rebuild reads them all);
        // only changes count.
        // A watched folder that was removed is watched again when it is
        // back, whatever its identity then.
        for e in &events {
            if matches!(e.event.kind, EventKind::Remove(_)) {
                for p in &e.event.paths {
                    watches.set.remove(p);
                }
            }
        }
        let mut changed: BTreeSet<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .filter(|p| relevant(&root, p))
            .collect();
        if watches.refresh(&mut debouncer) {
            // A watched folder appeared, went or was replaced: its files
            // may have changed without an event each.
            changed.extend(WATCHED.iter().map(|d| root.join(d)));
        }
        if changed.is_empty() {
            continue;
        }
        let start = Instant::now();
        let outcome = rebuild(&mut build, &served, &Change::Paths(changed.clone()));
        print_outcome(&served, &describe(&root, &changed), &outcome, start);
        clients.broadcast(
            "reload",
            &outcome.as_ref().map(|(_, n)| *n).unwrap_or(0).to_string(),
        );
    }
    Ok(())
}

/// Runs the pipeline for `change` and publishes the result: the new files,
/// or the error shown over the last good site.
fn rebuild(
    build: &mut Build,
    served: &RwLock<Served>,
    change: &Change,
) -> Result<(Report, usize), Diagnostics> {
    let files = Collect::default();
    let result = build.run(change, &files);
    let root = &build.settings().root;
    let languages = result
        .as_ref()
        .ok()
        .map(|_| build.config().map(|c| languages(&c)).unwrap_or_default());
    let sources = result
        .as_ref()
        .ok()
        .zip(languages.as_ref())
        .map(|(r, l)| page_sources(root, r, l));
    let error_file = result
        .as_ref()
        .err()
        .and_then(|p| first_error_file(root, p));
    let Ok(mut state) = served.write() else {
        return Err(Diagnostics::default());
    };
    match result {
        Ok(report) => {
            let changed = apply(&mut state, files.into_files(), &report.paths);
            state.error = None;
            state.error_file = None;
            state.sources = sources.unwrap_or_default();
            state.labels = languages
                .unwrap_or_default()
                .into_iter()
                .map(|l| (l.prefix, l.labels))
                .collect();
            Ok((report, changed))
        }
        Err(problems) => {
            state.error = Some(problems.render(false));
            state.error_file = error_file;
            Err(problems)
        }
    }
}

/// A path relative to the site's root with `/` between its parts, as the
/// "Open in editor" requests name files.
fn slashed(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// One language of the site, as "Open in editor" needs it.
struct Language {
    /// The URL folder of its pages: `zh/`, `""` for the default language.
    prefix: String,
    /// The code its files carry (`zh` in `x.zh.md`); none for the default
    /// language.
    code: Option<String>,
    /// The controls' words in it.
    labels: EditorLabels,
}

/// The site's languages as the run just built them, the longest URL
/// folder first (so that the first whose folder starts a page's path is
/// the page's).
fn languages(config: &crate::config::Config) -> Vec<Language> {
    let mut languages = vec![Language {
        prefix: config.prefix.clone(),
        code: None,
        labels: EditorLabels::from_ui(&config.ui()),
    }];
    for code in config.languages.keys() {
        if let Some(other) = config.for_language(code) {
            languages.push(Language {
                prefix: other.prefix.clone(),
                code: Some(code.clone()),
                labels: EditorLabels::from_ui(&other.ui()),
            });
        }
    }
    languages.sort_by_key(|l| std::cmp::Reverse(l.prefix.len()));
    languages
}

/// Which source files each page shows: the documents the run placed (a
/// question or page on its own page, events and terms as entries of the
/// timeline and glossary; a translation's own file on its language's
/// page), and the section introductions that exist in each language
/// (`faq/_index.zh.md` for `/zh/faq/`).
fn page_sources(
    root: &Path,
    report: &Report,
    languages: &[Language],
) -> HashMap<String, PageSources> {
    use crate::urls::{file_for, paths};
    let mut sources: HashMap<String, PageSources> = HashMap::new();
    for placed in &report.documents {
        let file = slashed(&placed.source.path);
        let page = sources.entry(placed.page.clone()).or_default();
        match placed.prefix.strip_suffix('.') {
            Some(id) => page.entries.push((id.to_string(), file)),
            None => page.file = Some(file),
        }
    }
    for language in languages {
        let suffix = language
            .code
            .as_ref()
            .map(|c| format!(".{c}"))
            .unwrap_or_default();
        for (page, folder) in [
            (paths::HOME, "content/"),
            (paths::QUESTIONS, "content/faq/"),
            (paths::TIMELINE, "content/timeline/"),
            (paths::GLOSSARY, "content/glossary/"),
        ] {
            let intro = format!("{folder}_index{suffix}.md");
            if root.join(&intro).is_file() {
                let page = format!("{}{}", language.prefix, file_for(page));
                sources.entry(page).or_default().file.get_or_insert(intro);
            }
        }
    }
    sources
}

/// The file of the first error, if the site has it (an error in a
/// built-in template names a file the site does not have).
fn first_error_file(root: &Path, problems: &Diagnostics) -> Option<String> {
    let first = problems
        .0
        .iter()
        .find(|d| d.severity == crate::diagnostic::Severity::Error)?;
    let file = first.file()?;
    root.join(file).is_file().then(|| slashed(file))
}

fn print_outcome(
    served: &RwLock<Served>,
    what: &str,
    outcome: &Result<(Report, usize), Diagnostics>,
    start: Instant,
) {
    let ms = start.elapsed().as_millis();
    match outcome {
        Ok((report, changed)) => {
            eprint!("{}", report.warnings.render(false));
            let kind = report.change.map(|k| k.describe()).unwrap_or("");
            println!(
                "rebuilt ({what}; {kind}): {} files rendered, {changed} changed, {ms} ms",
                report.written
            );
            if std::env::var_os("DOSSIER_TIMINGS").is_some() {
                for (stage, ms) in &report.timings {
                    eprintln!("  {stage:<24} {ms:>9.1} ms");
                }
            }
        }
        Err(_) => {
            let error = served
                .read()
                .ok()
                .and_then(|s| s.error.clone())
                .unwrap_or_default();
            eprint!("{error}");
            println!("rebuild failed ({what}) in {ms} ms; still serving the last good site");
        }
    }
}
