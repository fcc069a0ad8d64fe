//! Runs `dossier serve` as a child process and listens to its reload events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// A running `dossier serve`.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `127.0.0.1:PORT`
    pub host: String,
    /// Lines the server printed.
    pub console: Receiver<String>,
}

impl Server {
    /// Starts `dossier serve --port 0` on `root` and waits until it listens.
    pub fn start(root: &Path) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, console) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
            host: String::new(),
            console,
        };
        loop {
            let line = server
                .console
                .recv_timeout(Duration::from_secs(30))
                .expect("server did not start");
            if let Some(at) = line.find("http://127.0.0.1:") {
                let url = line[at..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/');
                server.base = url.to_string();
                server.host = url.trim_start_matches("http://").to_string();
                break;
            }
        }
        server
    }

    /// GETs a path; returns status and body.
    pub fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut resp = agent.get(&format!("{}{}", self.base, path)).call().unwrap();
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .unwrap();
        (status, body)
    }

    /// Sends a raw request line and Host header; returns the status code.
    pub fn raw_status(&self, target: &str, host: &str) -> u16 {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    /// Subscribes to reload events; each received item is one event's data.
    pub fn events(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let mut stream = TcpStream::connect(&self.host).unwrap();
        write!(
            stream,
            "GET /__dossier/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.host
        )
        .unwrap();
        std::thread::spawn(move || {
            let mut event = None;
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = Some(name.to_string());
                } else if let Some(data) = line.strip_prefix("data: ")
                    && event.take().as_deref() == Some("reload")
                    && tx.send(data.to_string()).is_err()
                {
                    return;
                }
            }
        });
        // Give the subscription time to register before edits start.
        std::thread::sleep(Duration::from_millis(200));
        rx
    }
}

/// Waits for a reload event, then lets any events of the same burst pass.
pub fn wait_reload(events: &Receiver<String>) {
    events
        .recv_timeout(Duration::from_secs(15))
        .expect("no reload event after the edit");
    while events.recv_timeout(Duration::from_millis(300)).is_ok() {}
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
