//! The HTTP side of `dossier serve`: what is served, request checks,
//! Server-Sent Events and the page injections.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION, ORIGIN, TRANSFER_ENCODING,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::broadcast;

use crate::output::OutputFile;

use super::EVENTS_PATH;
use super::hosts::Hosts;

/// Largest request body accepted (and ignored); GET and HEAD carry none, so
/// anything bigger is refused with 413 before a byte of it is read.
const MAX_BODY_BYTES: u64 = 1024;

/// How often an idle event stream gets a comment, so that a closed
/// connection is noticed and its task ends.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// What the HTTP tasks serve: the last good site, and the current error.
#[derive(Debug, Default)]
pub(super) struct Served {
    /// Every file of the site, by output path.
    pub(super) pages: HashMap<String, Arc<Vec<u8>>>,
    pub(super) error: Option<String>,
}

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
}

/// The server's one route: every request goes through [`handle`].
pub(super) fn router(app: App) -> Router {
    Router::new().fallback(handle).with_state(Arc::new(app))
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
    page(&app.served, &path)
}

/// The page or static file at a checked path, a redirect to the folder,
/// or the not-found page.
fn page(served: &RwLock<Served>, path: &str) -> Response {
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
        inject(&bytes, state.error.as_deref())
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
