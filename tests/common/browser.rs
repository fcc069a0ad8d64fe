//! Headless Chromium through ChromeDriver's WebDriver HTTP API, plus a tiny
//! static file server for the pages under test.
//!
//! Tests that need a browser call [`Browser::start`]. Whether it can start
//! is [`missing`], asked before any test runs, so that the test list
//! (`tests/common/harness.rs`) shows a browser test as ignored, or failed
//! under `DOSSIER_REQUIRE_BROWSER=1`, instead of passing without a browser.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The Chromium binary: `DOSSIER_CHROMIUM`, or Debian's.
fn chromium() -> String {
    std::env::var("DOSSIER_CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string())
}

/// The ChromeDriver binary: `DOSSIER_CHROMEDRIVER`, or Debian's.
fn chromedriver() -> String {
    std::env::var("DOSSIER_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_string())
}

/// Why [`Browser::start`] cannot work here and how to fix it, or `None`
/// when Chromium and ChromeDriver are installed. Cheap, and separate from
/// starting, so the test list can be built before any test runs.
pub fn missing() -> Option<String> {
    let (chromium, driver) = (chromium(), chromedriver());
    if Path::new(&chromium).exists() && Path::new(&driver).exists() {
        return None;
    }
    Some(format!(
        "{chromium} or {driver} is missing. Install them with `apt-get install -y chromium chromium-driver`."
    ))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running ChromeDriver with one Chromium session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium and ChromeDriver. A test list checks [`missing`]
    /// first; called without them, this fails the test with the reason.
    pub fn start() -> Browser {
        if let Some(why) = missing() {
            panic!("{why}");
        }
        let (chromium, driver_bin) = (chromium(), chromedriver());
        let port = free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1280,900",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            _profile: profile,
        };
        let v = b.post("/session", caps);
        b.session = v["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        b
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.base, path);
        let mut resp = ureq::post(&url)
            .send_json(&body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        resp.body_mut().read_json().unwrap()
    }

    fn cmd(&self, path: &str, body: Value) -> Value {
        self.post(&format!("/session/{}{}", self.session, path), body)["value"].clone()
    }

    /// Opens `url` and waits for the load to finish.
    pub fn goto(&self, url: &str) {
        self.cmd("/url", json!({"url": url}));
    }

    /// Runs `script` in the page and returns its result.
    pub fn eval(&self, script: &str) -> Value {
        self.cmd("/execute/sync", json!({"script": script, "args": []}))
    }

    /// The address of the page the browser shows.
    pub fn location(&self) -> String {
        self.eval("return location.href")
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Runs an asynchronous script; it calls `arguments[0]` with its result.
    pub fn eval_async(&self, script: &str) -> Value {
        self.cmd("/execute/async", json!({"script": script, "args": []}))
    }

    /// Resizes the window (CSS pixels).
    pub fn resize(&self, width: u32, height: u32) {
        self.cmd("/window/rect", json!({"width": width, "height": height}));
    }

    /// Emulates `prefers-color-scheme` through the DevTools protocol.
    pub fn color_scheme(&self, scheme: &str) {
        self.cmd(
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setEmulatedMedia", "params": {"features": [{"name": "prefers-color-scheme", "value": scheme}]}}),
        );
    }

    /// Emulates a CSS media type (`"print"`, or `""` for the screen) and
    /// `prefers-color-scheme` together, through the DevTools protocol.
    pub fn media(&self, media: &str, scheme: &str) {
        self.cmd(
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]}}),
        );
    }

    /// Moves the mouse through `points` (viewport CSS pixels), one short
    /// step each, so the page sees every position in between as a person
    /// moving the pointer would make it see.
    pub fn move_pointer(&self, points: &[(f64, f64)]) {
        let moves: Vec<Value> = points
            .iter()
            .map(|(x, y)| json!({"type": "pointerMove", "duration": 20, "origin": "viewport", "x": x.round() as i64, "y": y.round() as i64}))
            .collect();
        let action = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": moves}]});
        self.cmd("/actions", action);
    }

    /// The page printed to PDF (on US Letter, WebDriver's default), as bytes.
    pub fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine as _;
        let v = self.cmd("/print", json!({"background": true}));
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("a PDF"))
            .unwrap()
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let url = format!("{}/session/{}/screenshot", self.base, self.session);
        let mut resp = ureq::get(&url).call().unwrap();
        let v: Value = resp.body_mut().read_json().unwrap();
        base64::engine::general_purpose::STANDARD
            .decode(v["value"].as_str().unwrap())
            .unwrap()
    }

    /// The WebDriver id of the first element matching `css`.
    pub fn find(&self, css: &str) -> String {
        let v = self.cmd("/element", json!({"using": "css selector", "value": css}));
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|id| id.as_str())
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    /// Clicks the first element matching `css`.
    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd(&format!("/element/{id}/click"), json!({}));
    }

    /// Types `text` into the first element matching `css`.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd(&format!("/element/{id}/clear"), json!({}));
        self.cmd(&format!("/element/{id}/value"), json!({"text": text}));
    }

    /// Presses a key (a WebDriver key code such as `\u{E004}` for Tab).
    pub fn press(&self, key: &str) {
        let action = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        self.cmd("/actions", action);
    }

    /// Console messages and failed requests logged at SEVERE level since
    /// the last call.
    pub fn severe_logs(&self) -> Vec<String> {
        let logs = self.cmd("/se/log", json!({"type": "browser"}));
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|l| l["level"] == "SEVERE")
            .map(|l| l["message"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Serves the files of `root` on 127.0.0.1 until the test ends; returns the
/// base URL. Directory URLs serve their index.html.
pub fn serve_dir(root: &Path) -> String {
    serve_dir_at(root, "")
}

/// Like [`serve_dir`], with the site under a sub-path such as `/sub`.
pub fn serve_dir_at(root: &Path, prefix: &'static str) -> String {
    let root: PathBuf = root.to_path_buf();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let file = file_at(&root, prefix, uri.path());
        async move { file }
    });
    format!("http://{}{prefix}", serve_app(app))
}

/// Serves `app` on a free port of 127.0.0.1, from a thread of its own,
/// until the test ends; returns the address.
pub fn serve_app(app: axum::Router) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    address
}

/// The file of `root` that `path` names under `prefix`, or a 404.
fn file_at(root: &Path, prefix: &str, path: &str) -> axum::response::Response {
    use axum::http::{StatusCode, header::CONTENT_TYPE};
    use axum::response::IntoResponse;
    let Some(path) = path.strip_prefix(prefix) else {
        return (StatusCode::NOT_FOUND, "outside the sub-path").into_response();
    };
    let path = if path.is_empty() { "/" } else { path };
    let mut file = root.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) if !path.contains("..") => {
            let ct = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("xml") => "application/xml",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            ([(CONTENT_TYPE, ct)], bytes).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
