//! `dossier serve`: a preview server that rebuilds only what an edit can
//! change, keeps the last good site when an edit breaks it, and tells the
//! browser to reload.
//!
//! The site is served from memory. Each rebuild re-reads the files that
//! changed, reuses the parse, analysis and rendered bodies of the others,
//! and renders only the pages whose inputs changed ([`RenderCache`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::EventKind;
use notify::RecursiveMode;
use notify_debouncer_full::new_debouncer;
use tera::Tera;

use crate::config::Config;
use crate::content::{self, ParseCache};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::link::{self, Site};
use crate::load::{self, Source, hash_of};
use crate::render::{self, RenderCache, TemplateFile};
use crate::write::DEFAULT_STATIC;

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
    /// The file watcher could not start.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
}

/// What the HTTP threads serve: the last good site, and the current error.
#[derive(Debug, Default)]
struct Served {
    pages: HashMap<String, Arc<Vec<u8>>>,
    statics: HashMap<String, Arc<Vec<u8>>>,
    error: Option<String>,
}

/// Everything a rebuild needs from the previous one.
struct Session {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    highlighter: Highlighter,
    config: Option<Config>,
    sources: BTreeMap<Arc<str>, Source>,
    /// Every content file could be read last time.
    all_read: bool,
    /// The files the last refresh re-read, when it re-read only known files.
    edited: Option<Vec<Arc<str>>>,
    /// The last rebuild succeeded.
    last_ok: bool,
    parse_cache: ParseCache,
    templates: Option<(Tera, Vec<Arc<TemplateFile>>, u64)>,
    site: Option<Site>,
    render_cache: RenderCache,
}

/// What one rebuild did, for the console line.
#[derive(Debug)]
pub struct RebuildReport {
    /// Pages rendered again.
    pub rendered: usize,
    /// Output files whose bytes changed (added, changed or removed).
    pub changed: usize,
    /// Time taken.
    pub elapsed: Duration,
}

impl Session {
    fn new(root: &Path, drafts: bool, base_url: String) -> Session {
        Session {
            root: root.to_path_buf(),
            drafts,
            base_url,
            highlighter: Highlighter::new(),
            config: None,
            sources: BTreeMap::new(),
            all_read: false,
            edited: None,
            last_ok: false,
            parse_cache: ParseCache::default(),
            templates: None,
            site: None,
            render_cache: RenderCache::default(),
        }
    }

    fn load_config(&mut self) -> Result<(), Diagnostic> {
        let mut config = Config::load(&self.root)?;
        config.base_url = self.base_url.clone();
        self.config = Some(config);
        Ok(())
    }

    fn load_templates(&mut self) -> Result<(), Vec<Diagnostic>> {
        self.templates = None;
        let (tera, files) = render::templates(&self.root)?;
        let key = hash_of(&files.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>());
        self.templates = Some((tera, files, key));
        Ok(())
    }

    /// Re-reads the content files in `changed` (or every file when `None`)
    /// and the ones not seen before; forgets deleted ones.
    fn refresh_sources(&mut self, changed: Option<&HashSet<PathBuf>>) -> Vec<Diagnostic> {
        let t = Instant::now();
        let content_dir = self.root.join("content");
        self.edited = None;
        // The common case, an edit to files we know: re-read just those.
        // (Not while a file could not be read: its error must be repeated.)
        if let Some(changed) = changed.filter(|_| self.all_read) {
            let known: Option<Vec<(Arc<str>, &PathBuf)>> = changed
                .iter()
                .filter(|p| p.starts_with(&content_dir))
                .map(|p| {
                    let rel = rel_path(&content_dir, p);
                    (p.is_file() && self.sources.contains_key(rel.as_str()))
                        .then(|| (Arc::from(rel), p))
                })
                .collect();
            if let Some(known) = known {
                let mut problems = Vec::new();
                self.edited = Some(known.iter().map(|(rel, _)| rel.clone()).collect());
                for (rel, file) in known {
                    match load::read_source(&self.root, &content_dir, file) {
                        Ok(source) => {
                            self.sources.insert(rel, source);
                        }
                        Err(d) => {
                            self.sources.remove(&rel);
                            problems.push(d);
                        }
                    }
                }
                self.all_read = problems.is_empty();
                return problems;
            }
        }
        let (files, mut problems) = load::content_files(&self.root);
        let mut next = BTreeMap::new();
        for file in files {
            let rel = rel_path(&content_dir, &file);
            let stale = changed.is_none_or(|c| c.contains(&file));
            match self.sources.remove(rel.as_str()) {
                Some(source) if !stale => {
                    next.insert(rel.into(), source);
                }
                _ => match load::read_source(&self.root, &content_dir, &file) {
                    Ok(source) => {
                        next.insert(rel.into(), source);
                    }
                    Err(d) => problems.push(d),
                },
            }
        }
        self.sources = next;
        self.all_read = problems.is_empty();
        if std::env::var_os("DOSSIER_TIMINGS").is_some() {
            eprintln!("  read {:?}", t.elapsed());
        }
        problems
    }

    /// Parse, link and render what changed. On success returns the files
    /// rendered and every path the site has now.
    fn rebuild(&mut self, problems: Vec<Diagnostic>) -> Result<render::RenderOutput, Diagnostics> {
        let result = self.rebuild_inner(problems);
        self.last_ok = result.is_ok();
        result
    }

    fn rebuild_inner(
        &mut self,
        problems: Vec<Diagnostic>,
    ) -> Result<render::RenderOutput, Diagnostics> {
        let timings = std::env::var_os("DOSSIER_TIMINGS").is_some();
        let t = Instant::now();
        let site = match self.relink_edited(&problems) {
            Some(site) => site,
            None => self.parse_and_link(problems, timings)?,
        };
        let Some((tera, files, templates_key)) = &self.templates else {
            return Err(vec![Diagnostic::error_in("the templates have errors", None)].into());
        };
        let output = render_site(
            &site,
            (tera, files, *templates_key),
            &self.highlighter,
            &mut self.render_cache,
        )?;
        if timings {
            eprintln!("  link/relink + render {:?}", t.elapsed());
        }
        self.site = Some(site);
        Ok(output)
    }

    /// Edits to answers and event descriptions that leave front-matter,
    /// headings, links and glossary mentions alone skip parse and link.
    fn relink_edited(&self, problems: &[Diagnostic]) -> Option<Site> {
        let (true, true, Some(edited), Some(site), Some(_)) = (
            problems.is_empty(),
            self.last_ok,
            &self.edited,
            &self.site,
            &self.templates,
        ) else {
            return None;
        };
        let sources: Vec<Source> = edited
            .iter()
            .filter_map(|rel| self.sources.get(rel).cloned())
            .collect();
        if sources.len() != edited.len() {
            return None;
        }
        link::relink_bodies(site, &sources)
    }

    /// Parses (reusing unchanged files) and links the whole site.
    fn parse_and_link(
        &mut self,
        mut problems: Vec<Diagnostic>,
        timings: bool,
    ) -> Result<Site, Diagnostics> {
        let t = Instant::now();
        let sources: Vec<Source> = self.sources.values().cloned().collect();
        let (content, parse_problems) =
            content::parse_with(&sources, self.drafts, Some(&mut self.parse_cache));
        if timings {
            eprintln!("  parse {:?}", t.elapsed());
        }
        problems.extend(parse_problems);
        let (Some(config), Some(_), true) = (&self.config, &self.templates, problems.is_empty())
        else {
            if problems.is_empty() {
                // Config or templates failed earlier and reported it then.
                problems.push(Diagnostic::error_in(
                    "the site settings or templates still have errors",
                    None,
                ));
            }
            return Err(problems.into());
        };
        link::link(config, &content, self.site.as_ref()).map_err(Diagnostics::from)
    }
}

/// Renders what changed in `site` with the session's templates and cache.
fn render_site(
    site: &Site,
    (tera, files, templates_key): (&Tera, &[Arc<TemplateFile>], u64),
    highlighter: &Highlighter,
    cache: &mut RenderCache,
) -> Result<render::RenderOutput, Diagnostics> {
    render::render_changed(site, tera, files, highlighter, Some(cache), templates_key)
        .map_err(Diagnostics::from)
}

/// `path` relative to `dir`, with `/` separators.
fn rel_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Static files of the site as served: the built-in ones, then the site's
/// own `static/` on top.
fn read_statics(root: &Path) -> HashMap<String, Arc<Vec<u8>>> {
    let mut statics: HashMap<String, Arc<Vec<u8>>> = DEFAULT_STATIC
        .iter()
        .map(|(name, text)| (name.to_string(), Arc::new(text.as_bytes().to_vec())))
        .collect();
    let dir = root.join("static");
    for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if entry.file_type().is_file()
            && let Ok(bytes) = std::fs::read(entry.path())
        {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            statics.insert(rel, Arc::new(bytes));
        }
    }
    statics
}

/// Applies a successful rebuild to what is served; returns how many output
/// files changed.
fn apply(served: &mut Served, output: render::RenderOutput) -> usize {
    let keep: HashSet<&String> = output.paths.iter().collect();
    let before = served.pages.len();
    served.pages.retain(|path, _| keep.contains(path));
    let mut changed = before - served.pages.len();
    for file in output.files {
        let same = served
            .pages
            .get(&file.path)
            .is_some_and(|old| **old == file.bytes);
        if !same {
            served.pages.insert(file.path, Arc::new(file.bytes));
            changed += 1;
        }
    }
    changed
}

/// The browsers listening for reload events.
#[derive(Default)]
struct Clients(Mutex<Vec<Sender<String>>>);

impl Clients {
    fn add(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        if let Ok(mut list) = self.0.lock() {
            list.push(tx);
        }
        rx
    }

    fn broadcast(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut list) = self.0.lock() {
            list.retain(|tx| tx.send(message.clone()).is_ok());
        }
    }
}

/// Streams Server-Sent Events on the raw connection, flushing each one:
/// a buffered response body would hold events back. A comment every few
/// seconds notices a closed connection and ends the thread.
fn stream_events(request: tiny_http::Request, clients: &Clients) {
    let rx = clients.add();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The script added to every served page (not to built sites): reload on
/// a rebuild.
pub const LIVE_RELOAD: &str = "<script>(function(){var s=new EventSource(\"/__dossier/events\");s.addEventListener(\"reload\",function(){location.reload();});})();</script>";

/// Adds the live-reload script and, when the last edit broke the build,
/// the error overlay, before `</body>`.
fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut extra = String::from(LIVE_RELOAD);
    if let Some(error) = error {
        let mut escaped = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut escaped, error);
        extra.push_str(&format!(
            "<div id=\"dossier-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.4 ui-monospace,monospace;border-top:4px solid #ff5a5a\"><strong>dossier: the last edit broke the build; this is the last good version.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{escaped}</pre></div>"
        ));
    }
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{}{}", &text[..at], extra, &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// Why a request is refused before it is looked up.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The path tries to leave the site (`..`, encoded slashes, NUL...).
    Traversal,
    /// The `Host` header names another host (DNS rebinding).
    ForeignHost,
}

/// Checks the request path: every form of `..`, encoded separators,
/// backslashes, NUL and double encoding is refused. Returns the decoded
/// path without query or fragment.
pub fn check_path(raw: &str) -> Result<String, Refusal> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let lower = path.to_ascii_lowercase();
    let forbidden = [
        "..", "%2e", "%2f", "%5c", "%00", "%25", "\\", "\0", "%c0", "%c1",
    ];
    if !path.starts_with('/') || forbidden.iter().any(|f| lower.contains(f)) {
        return Err(Refusal::Traversal);
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Refusal::Traversal)?;
    if decoded.contains("..")
        || decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.contains("//")
    {
        return Err(Refusal::Traversal);
    }
    Ok(decoded.into_owned())
}

/// Checks the `Host` header against the names this server answers to.
pub fn check_host(host: Option<&str>, allowed: &[String]) -> Result<(), Refusal> {
    match host {
        Some(h) if allowed.iter().any(|a| a.eq_ignore_ascii_case(h)) => Ok(()),
        _ => Err(Refusal::ForeignHost),
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn respond(request: tiny_http::Request, status: u16, kind: &str, body: Vec<u8>) {
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    if let Some(h) = header("Content-Type", kind) {
        response.add_header(h);
    }
    if let Some(h) = header("Cache-Control", "no-store") {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn handle(
    request: tiny_http::Request,
    served: &RwLock<Served>,
    clients: &Clients,
    hosts: &[String],
) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if check_host(host.as_deref(), hosts).is_err() {
        return respond(
            request,
            403,
            "text/plain; charset=utf-8",
            b"forbidden: unknown Host\n".to_vec(),
        );
    }
    let path = match check_path(request.url()) {
        Ok(p) => p,
        Err(_) => {
            return respond(
                request,
                400,
                "text/plain; charset=utf-8",
                b"bad request: path refused\n".to_vec(),
            );
        }
    };
    if path == EVENTS_PATH {
        return stream_events(request, clients);
    }
    let Ok(state) = served.read() else {
        return respond(
            request,
            500,
            "text/plain; charset=utf-8",
            b"server state unavailable\n".to_vec(),
        );
    };
    let rel = path.trim_start_matches('/');
    let lookup = |p: &str| state.pages.get(p).or_else(|| state.statics.get(p)).cloned();
    let candidate = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let (status, file, bytes) = match lookup(&candidate) {
        Some(bytes) => (200, candidate, bytes),
        None if lookup(&format!("{rel}/index.html")).is_some() => {
            let location = format!("/{rel}/");
            drop(state);
            let mut response = tiny_http::Response::from_data(Vec::new()).with_status_code(301);
            if let Some(h) = header("Location", &location) {
                response.add_header(h);
            }
            let _ = request.respond(response);
            return;
        }
        None => match lookup("404.html") {
            Some(bytes) => (404, "404.html".to_string(), bytes),
            None => (
                404,
                "404.txt".to_string(),
                Arc::new(b"not found\n".to_vec()),
            ),
        },
    };
    let body = if file.ends_with(".html") {
        inject(&bytes, state.error.as_deref())
    } else {
        bytes.to_vec()
    };
    drop(state);
    respond(request, status, content_type(&file), body);
}

/// Binds `bind:port`, or the next free port when it is taken.
fn bind(options: &ServeOptions) -> Result<tiny_http::Server, ServeError> {
    let tries = if options.port == 0 { 1 } else { 50 };
    let mut last = String::new();
    for offset in 0..tries {
        let port = options.port.saturating_add(offset);
        let addr = SocketAddr::new(options.bind, port);
        match tiny_http::Server::http(addr) {
            Ok(server) => return Ok(server),
            Err(e) => last = e.to_string(),
        }
    }
    Err(ServeError::Bind {
        addr: SocketAddr::new(options.bind, options.port).to_string(),
        reason: last,
    })
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
    let server = bind(options)?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(options.port);
    let shown_host = match options.bind {
        IpAddr::V6(v6) if v6.is_loopback() => format!("[::1]:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("{v4}:{port}"),
    };
    let url = format!("http://{shown_host}/");
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if !options.bind.is_loopback() && !options.bind.is_unspecified() {
        hosts.push(shown_host.clone());
    }
    let served = Arc::new(RwLock::new(Served::default()));
    let clients = Arc::new(Clients::default());
    let root = options.root.clone();

    // The first build.
    let start = Instant::now();
    let mut session = Session::new(&root, options.drafts, format!("http://127.0.0.1:{port}/"));
    let report = full_rebuild(&mut session, &served);
    print_outcome(&served, "start", &report, start);

    let server = Arc::new(server);
    for _ in 0..4 {
        let server = server.clone();
        let served = served.clone();
        let clients = clients.clone();
        let hosts = hosts.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                // Event streams hold their thread; give each its own.
                if request.url().starts_with(EVENTS_PATH) {
                    let served = served.clone();
                    let clients = clients.clone();
                    let hosts = hosts.clone();
                    std::thread::spawn(move || handle(request, &served, &clients, &hosts));
                } else {
                    handle(request, &served, &clients, &hosts);
                }
            }
        });
    }
    if port != options.port && options.port != 0 {
        println!("port {} is taken; using {port}", options.port);
    }
    println!("serving {} on {url} (Ctrl-C to stop)", root.display());
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
    if let Err(d) = session.load_templates() {
        problems.extend(d);
    }
    session.render_cache = RenderCache::default();
    problems.extend(session.refresh_sources(None));
    if let Ok(mut state) = served.write() {
        state.statics = read_statics(&session.root);
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
    if under("static")
        && let Ok(mut state) = served.write()
    {
        state.statics = read_statics(&root);
    }
    problems.extend(session.refresh_sources(Some(changed)));
    finish(session, served, problems)
}

fn finish(
    session: &mut Session,
    served: &RwLock<Served>,
    problems: Vec<Diagnostic>,
) -> Result<RebuildReport, ()> {
    let start = Instant::now();
    let result = session.rebuild(problems);
    let Ok(mut state) = served.write() else {
        return Err(());
    };
    match result {
        Ok(output) => {
            let rendered = output.files.len();
            let changed = apply(&mut state, output);
            state.error = None;
            Ok(RebuildReport {
                rendered,
                changed,
                elapsed: start.elapsed(),
            })
        }
        Err(problems) => {
            state.error = Some(problems.render(false));
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_traversal_form_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/faq/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/..%2fx",
            "/x%5c..%5cy",
            "/%252e%252e/x",
            "/x%00.html",
            "/x\\y",
            "/%c0%ae%c0%ae/x",
            "x",
            "//etc/passwd",
        ] {
            assert_eq!(check_path(bad), Err(Refusal::Traversal), "{bad}");
        }
        assert_eq!(check_path("/faq/a-b/?x=1").as_deref(), Ok("/faq/a-b/"));
        assert_eq!(check_path("/tags/%E4%B8%AD/").as_deref(), Ok("/tags/中/"));
    }

    #[test]
    fn only_own_host_names_are_accepted() {
        let allowed = vec!["127.0.0.1:1111".to_string(), "localhost:1111".to_string()];
        assert!(check_host(Some("localhost:1111"), &allowed).is_ok());
        assert!(check_host(Some("LOCALHOST:1111"), &allowed).is_ok());
        assert_eq!(
            check_host(Some("evil.example:1111"), &allowed),
            Err(Refusal::ForeignHost)
        );
        assert_eq!(
            check_host(Some("127.0.0.1:2222"), &allowed),
            Err(Refusal::ForeignHost)
        );
        assert_eq!(check_host(None, &allowed), Err(Refusal::ForeignHost));
    }

    #[test]
    fn reload_script_and_error_overlay_go_before_body_end() {
        let html = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(html, Some("error: <bad> at a.md:1:2"))).unwrap();
        assert!(out.contains("EventSource(\"/__dossier/events\")"));
        assert!(out.contains("id=\"dossier-error\""));
        assert!(out.contains("error: &lt;bad&gt; at a.md:1:2"));
        assert!(out.ends_with("</body></html>"));
        assert!(
            !String::from_utf8(inject(html, None))
                .unwrap()
                .contains("dossier-error")
        );
    }
}
