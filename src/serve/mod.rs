//! `dossier serve`: a preview server that rebuilds only what an edit can
//! change, keeps the last good site when an edit breaks it, and tells the
//! browser to reload.
//!
//! The site is served from memory. Each rebuild re-reads the files that
//! changed, reuses the parse, analysis and rendered bodies of the others,
//! and renders only the pages whose inputs changed ([`RenderCache`]).

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::EventKind;
use notify::RecursiveMode;
use notify_debouncer_full::new_debouncer;

use crate::diagnostic::Diagnostic;
use crate::render::RenderCache;

mod hosts;
mod http;
mod listen;
mod session;

use hosts::Hosts;
use http::{App, Clients, Served, apply};
pub use http::{LIVE_RELOAD, Refusal, check_host, check_path};
pub use session::RebuildReport;
use session::{Session, statics_of};

/// Path of the Server-Sent Events stream that announces rebuilds.
pub const EVENTS_PATH: &str = "/__dossier/events";

/// How long the watcher waits for a burst of file events to end.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Options of `dossier serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port to try first; the next free one is used if it is taken. 0 asks
    /// the system for any free port.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
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
}

/// Describes which files changed, for the console.
fn describe(root: &Path, changed: &HashSet<PathBuf>) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    names.sort();
    match names.len() {
        0 => "start".to_string(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

/// Runs the server until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let listener = listen::bind(options)?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(options.port);
    let hosts = Hosts::new(options.bind, port);
    let url = format!("http://{}/", hosts.shown());
    let served = Arc::new(RwLock::new(Served::default()));
    let clients = Arc::new(Clients::default());
    let root = options.root.clone();

    // The first build.
    let start = Instant::now();
    let mut session = Session::new(&root, options.drafts, format!("http://127.0.0.1:{port}/"));
    let report = full_rebuild(&mut session, &served);
    print_outcome(&served, "start", &report, start);

    // Kept until the watcher loop ends: dropping it stops the server.
    let _http = listen::start(
        listener,
        http::router(App {
            served: served.clone(),
            clients: clients.clone(),
            hosts,
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
    let mut watched: HashSet<PathBuf> = HashSet::new();
    let mut watch_dirs = |debouncer: &mut notify_debouncer_full::Debouncer<_, _>| {
        for dir in ["content", "templates", "static"] {
            let path = root.join(dir);
            if path.is_dir()
                && !watched.contains(&path)
                && debouncer.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                watched.insert(path);
            }
        }
    };
    watch_dirs(&mut debouncer);

    for result in rx {
        let Ok(events) = result else { continue };
        // Reading a file is an event too (our own rebuild reads them all);
        // only changes count.
        let changed: HashSet<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .filter(|p| relevant(&root, p))
            .collect();
        if changed.is_empty() {
            continue;
        }
        watch_dirs(&mut debouncer);
        let start = Instant::now();
        let report = incremental_rebuild(&mut session, &served, &changed);
        print_outcome(&served, &describe(&root, &changed), &report, start);
        clients.broadcast(
            "reload",
            &report.as_ref().map(|r| r.changed).unwrap_or(0).to_string(),
        );
    }
    Ok(())
}

/// True for the files a rebuild depends on: site.toml and what is under
/// content/, templates/ and static/ (not editor swap files).
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~')
    });
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    !hidden
        && matches!(
            first.as_deref(),
            Some("site.toml" | "content" | "templates" | "static")
        )
}

fn print_outcome(
    served: &RwLock<Served>,
    what: &str,
    report: &Result<RebuildReport, ()>,
    start: Instant,
) {
    let ms = start.elapsed().as_millis();
    match report {
        Ok(r) => println!(
            "rebuilt ({what}): {} pages rendered, {} files changed, {ms} ms",
            r.rendered, r.changed
        ),
        Err(()) => {
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

fn full_rebuild(session: &mut Session, served: &RwLock<Served>) -> Result<RebuildReport, ()> {
    let mut problems = Vec::new();
    if let Err(d) = session.load_config() {
        problems.push(d);
    }
    if let Err(d) = session.load_assets() {
        problems.extend(d);
    }
    if let Err(d) = session.load_templates() {
        problems.extend(d);
    }
    session.render_cache = RenderCache::default();
    problems.extend(session.refresh_sources(None));
    if let Ok(mut state) = served.write() {
        state.statics = statics_of(&session.assets);
    }
    finish(session, served, problems)
}

fn incremental_rebuild(
    session: &mut Session,
    served: &RwLock<Served>,
    changed: &HashSet<PathBuf>,
) -> Result<RebuildReport, ()> {
    let root = session.root.clone();
    let under = |dir: &str| changed.iter().any(|p| p.starts_with(root.join(dir)));
    if changed.contains(&root.join("site.toml")) {
        return full_rebuild(session, served);
    }
    let mut problems = Vec::new();
    if under("templates") {
        if let Err(d) = session.load_templates() {
            problems.extend(d);
        }
    } else if session.templates.is_none() {
        // Still broken from an earlier edit: report it again.
        if let Err(d) = session.load_templates() {
            problems.extend(d);
        }
    }
    if session.config.is_none()
        && let Err(d) = session.load_config()
    {
        problems.push(d);
    }
    if under("static") {
        match session.load_assets() {
            Ok(()) => {
                if let Ok(mut state) = served.write() {
                    state.statics = statics_of(&session.assets);
                }
            }
            Err(d) => problems.extend(d),
        }
    }
    problems.extend(session.refresh_sources(Some(changed)));
    finish(session, served, problems)
}

fn finish(
    session: &mut Session,
    served: &RwLock<Served>,
    problems: Vec<Diagnostic>,
) -> Result<RebuildReport, ()> {
    let result = session.rebuild(problems);
    let Ok(mut state) = served.write() else {
        return Err(());
    };
    match result {
        Ok(output) => {
            let rendered = output.files.len();
            let changed = apply(&mut state, output);
            state.error = None;
            Ok(RebuildReport { rendered, changed })
        }
        Err(problems) => {
            state.error = Some(problems.render(false));
            Err(())
        }
    }
}
