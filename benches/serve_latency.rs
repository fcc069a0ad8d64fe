//! Edit → reload-event latency of `dossier serve`.
//!
//! `cargo bench --bench serve_latency` generates sites of 1,000 and 10,000
//! questions with bench/gen_site.py (a copy of ../shared/bench/gen_site.py),
//! starts `dossier serve` on each, then times two kinds of edit, each
//! several times, from the write to the moment the change can be seen:
//! an edit of one question's answer (until the reload event), and an edit
//! of one question's title (until the home page, fetched after the reload
//! event, shows the new title). Sizes can be given as arguments:
//! `cargo bench --bench serve_latency -- 1000`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const EDITS: usize = 9;

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.join("dossier-bench")
    } else {
        std::env::temp_dir().join("dossier-bench")
    }
}

fn generate(entries: usize) -> PathBuf {
    let out = scratch().join(format!("serve-{entries}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_site.py");
    let status = Command::new("python3")
        .arg(script)
        .args([
            "--engine",
            "dossier",
            "--entries",
            &entries.to_string(),
            "--force",
            "--out",
        ])
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("python3 is needed to generate the benchmark sites");
    assert!(status.success());
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// A running `dossier serve`: the process, its console lines, its address,
/// how long it took to listen and the line of its first build.
struct Server {
    child: std::process::Child,
    console: mpsc::Receiver<String>,
    host: String,
    startup: Duration,
    first_build: String,
}

/// Starts `dossier serve` on `root` and waits until it listens.
fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (console_tx, console) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = console_tx.send(line);
        }
    });
    let started = Instant::now();
    let mut first_build = String::new();
    let host = loop {
        let line = console
            .recv_timeout(Duration::from_secs(120))
            .expect("server did not start");
        if line.starts_with("rebuilt (start)") {
            first_build = line.clone();
        }
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at + 7..].split('/').next().unwrap().to_string();
        }
    };
    let startup = started.elapsed();
    Server {
        child,
        console,
        host,
        startup,
        first_build,
    }
}

/// The moments the server's live-reload stream says `reload`.
fn reloads(host: &str) -> mpsc::Receiver<Instant> {
    let (tx, events) = mpsc::channel();
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /__dossier/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.starts_with("event: reload") && tx.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    events
}

/// Body edits of `file`: milliseconds from each write to its reload event.
fn body_edits(
    file: &Path,
    original: &str,
    events: &mpsc::Receiver<Instant>,
    server: &Server,
    lines: &mut Vec<String>,
) -> Vec<f64> {
    let mut latencies = Vec::new();
    for i in 0..EDITS {
        let text = format!("{original}\nAn edit, number {i}, to time the rebuild.\n");
        let t0 = Instant::now();
        std::fs::write(file, text).unwrap();
        let arrived = events
            .recv_timeout(Duration::from_secs(60))
            .expect("no reload event");
        latencies.push(arrived.duration_since(t0).as_secs_f64() * 1000.0);
        // Let the burst settle before the next edit.
        std::thread::sleep(Duration::from_millis(250));
        while let Ok(line) = server.console.try_recv() {
            lines.push(line);
        }
    }
    latencies
}

/// Title edits of `file`, visible on the home page (question 1 is listed
/// there): milliseconds from each write until the home page shows it.
fn title_edits(
    file: &Path,
    original: &str,
    events: &mpsc::Receiver<Instant>,
    server: &Server,
    lines: &mut Vec<String>,
) -> Vec<f64> {
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title = "))
        .unwrap()
        .to_string();
    let mut title_latencies = Vec::new();
    for i in 0..EDITS {
        let title = format!("Edited title number {i}?");
        let text = original.replacen(&title_line, &format!("title = \"{title}\""), 1);
        let t0 = Instant::now();
        std::fs::write(file, text).unwrap();
        events
            .recv_timeout(Duration::from_secs(60))
            .expect("no reload event");
        let home = get(&server.host, "/");
        assert!(home.contains(&title), "the home page shows the new title");
        title_latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(250));
        while let Ok(line) = server.console.try_recv() {
            lines.push(line);
        }
    }
    title_latencies
}

fn run(entries: usize) {
    let root = generate(entries);
    let mut server = start(&root);
    let events = reloads(&server.host);
    std::thread::sleep(Duration::from_millis(300));

    let file = root.join("content/faq/q00001.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut lines = Vec::new();
    let mut latencies = body_edits(&file, &original, &events, &server, &mut lines);
    std::fs::write(&file, &original).unwrap();
    let _ = events.recv_timeout(Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(250));
    let mut title_latencies = title_edits(&file, &original, &events, &server, &mut lines);
    std::fs::write(&file, &original).unwrap();
    let _ = server.child.kill();
    let _ = server.child.wait();
    title_latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{entries:>6} questions: title edit -> visible on the home page: median {:.1} ms, min {:.1}, max {:.1}",
        median(title_latencies.clone()),
        title_latencies[0],
        title_latencies[title_latencies.len() - 1],
    );
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{entries:>6} questions: startup {:.0} ms ({}); edit -> reload event: median {:.1} ms, min {:.1}, max {:.1} over {EDITS} edits (includes the {} ms debounce)",
        server.startup.as_secs_f64() * 1000.0,
        server.first_build,
        median(latencies.clone()),
        latencies[0],
        latencies[latencies.len() - 1],
        25
    );
    if let Some(last) = lines.iter().rev().find(|l| l.starts_with("rebuilt")) {
        println!("        last rebuild: {last}");
    }
}

/// GETs a path and returns the body as text.
fn get(host: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    response
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    for n in sizes {
        run(n);
    }
}
