//! The HTTP side of `dossier serve`: what is served, request checks,
//! Server-Sent Events and the page injections.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::render;

use super::EVENTS_PATH;

/// What the HTTP threads serve: the last good site, and the current error.
#[derive(Debug, Default)]
pub(super) struct Served {
    pub(super) pages: HashMap<String, Arc<Vec<u8>>>,
    pub(super) statics: HashMap<String, Arc<Vec<u8>>>,
    pub(super) error: Option<String>,
}

/// Applies a successful rebuild to what is served; returns how many output
/// files changed.
pub(super) fn apply(served: &mut Served, output: render::RenderOutput) -> usize {
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
pub(super) struct Clients(Mutex<Vec<Sender<String>>>);

impl Clients {
    pub(super) fn add(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        if let Ok(mut list) = self.0.lock() {
            list.push(tx);
        }
        rx
    }

    pub(super) fn broadcast(&self, event: &str, data: &str) {
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

pub(super) fn handle(
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
            // No page at all yet: the first build failed. Show the error on
            // a page of its own so the overlay has somewhere to appear.
            None if state.error.is_some() && state.pages.is_empty() => (
                500,
                "error.html".to_string(),
                Arc::new(b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dossier: build failed</title></head><body><h1>The site does not build yet</h1><p>Fix the problem below; this page reloads when you save.</p></body></html>".to_vec()),
            ),
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
