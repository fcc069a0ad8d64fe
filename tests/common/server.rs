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
        Server::start_with(root, &[])
    }

    /// Like [`Server::start`], with more arguments (`--bind 0.0.0.0`).
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        Server::start_env(root, args, &[])
    }

    /// Like [`Server::start_with`], with environment variables set (and
    /// `VISUAL` and `EDITOR` unset unless given: no test opens the
    /// developer's own editor).
    pub fn start_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("dossier"));
        command.env_remove("VISUAL").env_remove("EDITOR");
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .env("SOURCE_DATE_EPOCH", super::BUILD_DATE)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args)
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

    /// The server's process id, to read its /proc entry.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `request` as it is; returns the status code (0 if none came)
    /// and the whole response. Write errors are ignored: a server may
    /// answer and close before a long request is sent.
    pub fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(request);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let response = String::from_utf8_lossy(&response).into_owned();
        (status_of(&response), response)
    }

    /// Sends a raw request line and Host header; returns the status code.
    pub fn raw_status(&self, target: &str, host: &str) -> u16 {
        self.raw(
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .0
    }

    /// Opens the event stream with the server's own `Host` and `headers`
    /// (each ending in `\r\n`); returns the status and the connection,
    /// read up to the end of the response's headers.
    pub fn open_events(&self, headers: &str) -> (u16, BufReader<TcpStream>) {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        write!(
            stream,
            "GET /__dossier/events HTTP/1.1\r\nHost: {}\r\n{headers}\r\n",
            self.host
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim_end().is_empty() {
                break;
            }
            head.push_str(&line);
        }
        (status_of(&head), reader)
    }

    /// Subscribes to reload events; each received item is one event's data.
    pub fn events(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let (status, reader) = self.open_events("");
        assert_eq!(status, 200, "event stream refused");
        reader.get_ref().set_read_timeout(None).unwrap();
        std::thread::spawn(move || {
            let mut event = None;
            for line in reader.lines().map_while(Result::ok) {
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
        // The server subscribes before it answers, but it starts watching
        // files only after it listens: give the watcher time before edits.
        std::thread::sleep(Duration::from_millis(200));
        rx
    }
}

/// The status code of an HTTP response's first line, 0 if there is none.
fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
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

/// A served body as text.
pub fn text(body: &[u8]) -> String {
    String::from_utf8(body.to_vec()).unwrap()
}
