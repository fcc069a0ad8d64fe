//! The HTTP side of `dossier serve`: what is served, request checks,
//! Server-Sent Events, "Open in editor" requests.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION, ORIGIN, TRANSFER_ENCODING,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use futures_util::StreamExt;
use tokio::sync::broadcast;

use crate::output::OutputFile;

use super::editor::{Editor, NotOpened, Token};
use super::hosts::Hosts;
use super::inject::{EditorControl, EditorLabels, Injection, inject};
use super::{EVENTS_PATH, OPEN_PATH};

/// Largest request body accepted (and ignored); GET and HEAD carry none, so
/// anything bigger is refused with 413 before a byte of it is read.
const MAX_BODY_BYTES: u64 = 1024;

/// How often an idle event stream gets a comment, so that a closed
/// connection is noticed and its task ends.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// Header that carries the session's token on "Open in editor" requests.
/// A custom header also makes a browser ask before sending it from another
/// site's page (a CORS preflight, which this server refuses).
const TOKEN_HEADER: HeaderName = HeaderName::from_static("x-dossier-token");

/// What the HTTP tasks serve: the last good site, and the current error.
#[derive(Debug, Default)]
pub(super) struct Served {
    /// Every file of the site, by output path.
    pub(super) pages: HashMap<String, Arc<Vec<u8>>>,
    pub(super) error: Option<String>,
    /// The source files of each page, by output path, for "Open in editor".
    pub(super) sources: HashMap<String, PageSources>,
    /// The file of the current error's first problem, when it is one a
    /// writer can open (relative to the site's root).
    pub(super) error_file: Option<String>,
    /// The words of the controls by language: each language's URL folder
    /// (`zh/`, `""` for the default language), longest first.
    pub(super) labels: Vec<(String, EditorLabels)>,
}

impl Served {
    /// The controls' words for the page at `file`, in its language.
    fn labels_for(&self, file: &str) -> Option<&EditorLabels> {
        self.labels
            .iter()
            .find(|(prefix, _)| file.starts_with(prefix.as_str()))
            .map(|(_, labels)| labels)
    }
}

/// The source files shown on one page, as paths relative to the site's
/// root (`content/faq/x.md`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct PageSources {
    /// The page's own file: a question's or page's, a section's `_index.md`.
    pub(super) file: Option<String>,
    /// The entries the page holds (events, terms): element id and file.
    pub(super) entries: Vec<(String, String)>,
}

/// The connecting client's address, set on each connection's requests by
/// `listen.rs`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Peer(pub(super) SocketAddr);

/// Applies a successful rebuild to what is served: the files it rendered,
/// and every path the site has now (files no longer there are dropped);
/// returns how many output files changed.
pub(super) fn apply(served: &mut Served, files: Vec<OutputFile>, paths: &[String]) -> usize {
    let keep: HashSet<&String> = paths.iter().collect();
    let before = served.pages.len();
    served.pages.retain(|path, _| keep.contains(path));
    let mut changed = before - served.pages.len();
    for file in files {
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

/// The browsers listening for reload events. A broadcast channel: each
/// open stream is a receiver polled by its connection's task, so it costs
/// no thread.
pub(super) struct Clients(broadcast::Sender<Event>);

impl Default for Clients {
    fn default() -> Clients {
        // Streams that fall this far behind skip to the newest events.
        Clients(broadcast::channel(16).0)
    }
}

impl Clients {
    /// Sends an event to every open stream (none open is fine).
    pub(super) fn broadcast(&self, event: &str, data: &str) {
        let _ = self.0.send(Event::default().event(event).data(data));
    }

    /// A Server-Sent Events response: `retry: 500`, then every broadcast
    /// event, and a comment when it has been quiet for a while.
    fn stream(&self) -> Response {
        let retry = Event::default().retry(Duration::from_millis(500));
        let updates = futures_util::stream::unfold(self.0.subscribe(), |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(event) => return Some((event, rx)),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
        let events = futures_util::stream::iter([retry])
            .chain(updates)
            .map(Ok::<_, Infallible>);
        let sse =
            Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"));
        ([(CACHE_CONTROL, "no-store")], sse).into_response()
    }
}

/// What every request handler shares.
pub(super) struct App {
    pub(super) served: Arc<RwLock<Served>>,
    pub(super) clients: Arc<Clients>,
    pub(super) hosts: Hosts,
    /// The site's folder, absolute.
    pub(super) root: PathBuf,
    /// This session's secret for "Open in editor".
    pub(super) token: Token,
    /// The editor the environment names, or why it cannot be used.
    pub(super) editor: Result<Editor, String>,
}

/// The server's one route: every request goes through [`handle`].
pub(super) fn router(app: App) -> Router {
    Router::new().fallback(handle).with_state(Arc::new(app))
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

/// A response that no cache keeps: the preview changes under the browser.
fn reply(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A plain-text refusal.
fn refuse(status: StatusCode, why: &'static str) -> Response {
    reply(status, "text/plain; charset=utf-8", why.as_bytes().to_vec())
}

/// True when the request announces a body over [`MAX_BODY_BYTES`], or one
/// whose length it does not say (chunked).
fn body_too_large(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|length| length > MAX_BODY_BYTES)
}

/// Answers one request. The body is never read: nothing here takes one.
async fn handle(
    State(app): State<Arc<App>>,
    peer: Option<Extension<Peer>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if !app.hosts.allows_host(header(HOST)) {
        return refuse(StatusCode::FORBIDDEN, "forbidden: unknown Host\n");
    }
    if body_too_large(&headers) {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload too large: this server takes no request bodies\n",
        );
    }
    // `to_canonical`: a server bound to `::` sees 127.0.0.1 as
    // ::ffff:127.0.0.1, which is loopback too.
    let local = peer.is_some_and(|Extension(Peer(a))| a.ip().to_canonical().is_loopback());
    if uri.path() == OPEN_PATH {
        return open_in_editor(&app, local, &method, &uri, &headers).await;
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed: the preview only answers GET and HEAD\n",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("");
    let Ok(path) = check_path(target) else {
        return refuse(StatusCode::BAD_REQUEST, "bad request: path refused\n");
    };
    if path == EVENTS_PATH {
        if !app.hosts.allows_origin(header(ORIGIN)) {
            return refuse(StatusCode::FORBIDDEN, "forbidden: unknown Origin\n");
        }
        return app.clients.stream();
    }
    page(&app.served, &path, local.then_some(&app.token))
}

/// `POST /__dossier/open?file=content/faq/x.md`: opens a source file in
/// the writer's editor. Only for a request over loopback, from a page of
/// this server (its `Origin` is the `Host` it asks), that carries the
/// session's token; then only for a file under `content/` or `templates/`,
/// or `site.toml` (see `editor.rs`). Answers 204 once the editor started,
/// without waiting for it.
async fn open_in_editor(
    app: &Arc<App>,
    local: bool,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    if method != Method::POST {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed: opening a file takes a POST\n",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if !local {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden: files open only for a browser on this machine\n",
        );
    }
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let same_origin = match (header(ORIGIN), header(HOST)) {
        (Some(origin), Some(host)) => origin
            .strip_prefix("http://")
            .is_some_and(|o| o.eq_ignore_ascii_case(host)),
        _ => false,
    };
    if !same_origin {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden: only this server's own pages may open files (Origin)\n",
        );
    }
    if !app.token.matches(header(TOKEN_HEADER)) {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden: wrong or missing token; reload the page\n",
        );
    }
    let file = uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "file")
            .map(|(_, v)| v.into_owned())
    });
    let Some(file) = file else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad request: say which file, as ?file=content/...\n",
        );
    };
    let app = app.clone();
    // Resolving touches the disk and starting a program forks: both off
    // the threads that answer requests.
    let opened = tokio::task::spawn_blocking(move || {
        let path = super::editor::resolve(&app.root, &file)?;
        let editor = app
            .editor
            .as_ref()
            .map_err(|why| NotOpened::Failed(why.clone()))?;
        editor.open(&path).map(|()| (file, editor.describe()))
    })
    .await;
    match opened {
        Ok(Ok((file, editor))) => {
            println!("opening {file} with {editor}");
            reply(
                StatusCode::NO_CONTENT,
                "text/plain; charset=utf-8",
                Vec::new(),
            )
        }
        Ok(Err(NotOpened::Outside)) => refuse(
            StatusCode::FORBIDDEN,
            "forbidden: only files under content/ or templates/, and site.toml, can be opened\n",
        ),
        Ok(Err(NotOpened::Missing)) => refuse(StatusCode::NOT_FOUND, "not found: no such file\n"),
        Ok(Err(NotOpened::Failed(why))) => {
            eprintln!("error: {why}");
            reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain; charset=utf-8",
                format!("{why}\n").into_bytes(),
            )
        }
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the editor could not be started\n",
        ),
    }
}

/// The page or static file at a checked path, a redirect to the folder,
/// or the not-found page. With the session's `token` (a browser on this
/// machine), pages get the "Open in editor" controls.
fn page(served: &RwLock<Served>, path: &str, token: Option<&Token>) -> Response {
    let Ok(state) = served.read() else {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server state unavailable\n",
        );
    };
    let rel = path.trim_start_matches('/');
    let lookup = |p: &str| state.pages.get(p).cloned();
    let candidate = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let (status, file, bytes) = match lookup(&candidate) {
        Some(bytes) => (StatusCode::OK, candidate, bytes),
        None if lookup(&format!("{rel}/index.html")).is_some() => {
            let mut response = reply(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            // The decoded path, UTF-8 included, as the old server sent it.
            if let Ok(location) = HeaderValue::from_bytes(format!("/{rel}/").as_bytes()) {
                response.headers_mut().insert(LOCATION, location);
            }
            return response;
        }
        None => match lookup("404.html") {
            Some(bytes) => (StatusCode::NOT_FOUND, "404.html".to_string(), bytes),
            // No page at all yet: the first build failed. Show the error on
            // a page of its own so the overlay has somewhere to appear.
            None if state.error.is_some() && state.pages.is_empty() => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.html".to_string(),
                Arc::new(b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dossier: build failed</title></head><body><h1>The site does not build yet</h1><p>Fix the problem below; this page reloads when you save.</p></body></html>".to_vec()),
            ),
            None => (
                StatusCode::NOT_FOUND,
                "404.txt".to_string(),
                Arc::new(b"not found\n".to_vec()),
            ),
        },
    };
    let body = if file.ends_with(".html") {
        let injection = Injection {
            error: state.error.as_deref(),
            editor: token.map(|token| EditorControl {
                token: token.as_str(),
                labels: state.labels_for(&file).unwrap_or(EditorLabels::english()),
                sources: state.sources.get(&file),
                error_file: state.error_file.as_deref(),
            }),
            labels: state.labels_for(&file),
        };
        inject(&bytes, &injection)
    } else {
        bytes.to_vec()
    };
    drop(state);
    reply(status, content_type(&file), body)
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
}
