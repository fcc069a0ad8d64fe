//! `dossier serve`: pages served, reload after edits, broken edits shown as
//! an overlay over the last good site, and refusals. That incremental
//! rebuilds equal a full build is `tests/incremental.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

use common::server::{Server, text, wait_reload};
use common::{copy_site, fixture};

#[test]
fn serves_pages_and_reloads_after_an_edit() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    let home = text(&home);
    assert!(home.contains("What comes first?"));
    assert!(
        home.contains("EventSource(\"/__dossier/events\")"),
        "live reload script injected"
    );
    assert_eq!(server.get("/faq/first/").0, 200);
    let stylesheet = home
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(
        stylesheet.starts_with("style.") && stylesheet.ends_with(".css"),
        "{stylesheet}"
    );
    assert_eq!(server.get(&format!("/{stylesheet}")).0, 200);
    assert_eq!(
        server.get("/faq/first").0,
        301,
        "directory without slash redirects"
    );
    let (status, missing) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        text(&missing).contains("Page not found"),
        "the site's 404 page"
    );

    let events = server.events();
    let file = site.path().join("content/faq/first.md");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("The first answer mentions", "The edited answer mentions");
    std::fs::write(&file, edited).unwrap();
    wait_reload(&events);
    assert!(text(&server.get("/faq/first/").1).contains("The edited answer mentions"));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_error() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let events = server.events();
    let file = site.path().join("content/faq/second.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace(
            "title = \"What comes second?\"",
            "title = \"Broken?\"\ntitel = \"x\"",
        ),
    )
    .unwrap();
    wait_reload(&events);
    let page = text(&server.get("/faq/second/").1);
    assert!(
        page.contains("What comes second?"),
        "last good page still served"
    );
    assert!(page.contains("id=\"dossier-error\""), "overlay shown");
    assert!(page.contains("unknown key `titel`"), "{page}");
    assert!(
        page.contains("content/faq/second.md:3:1"),
        "file and line in the overlay"
    );
    assert!(
        page.contains("titel = &quot;x&quot;"),
        "offending line in the overlay, escaped"
    );
    assert!(
        text(&server.get("/").1).contains("dossier-error"),
        "every page shows it"
    );

    std::fs::write(
        &file,
        good.replace("What comes second?", "What comes second, fixed?"),
    )
    .unwrap();
    wait_reload(&events);
    let page = text(&server.get("/faq/second/").1);
    assert!(!page.contains("dossier-error"), "fixed: overlay gone");
    assert!(page.contains("What comes second, fixed?"));
}

#[test]
fn traversal_and_foreign_hosts_are_refused() {
    let site = copy_site(&fixture("basic"));
    std::fs::write(site.path().join("secret.txt"), "secret").unwrap();
    let server = Server::start(site.path());
    let host = server.host.clone();
    assert_eq!(server.raw_status("/", &host), 200);
    for target in [
        "/../secret.txt",
        "/faq/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/index.html%00.txt",
        "/..\\secret.txt",
    ] {
        assert_eq!(server.raw_status(target, &host), 400, "{target}");
    }
    assert_eq!(server.raw_status("/", "evil.example"), 403, "DNS rebinding");
    assert_eq!(server.raw_status("/", "evil.example:80"), 403);
    let port = host.rsplit(':').next().unwrap();
    assert_eq!(server.raw_status("/", &format!("localhost:{port}")), 200);
}

/// Compares what the server serves with a fresh full build of the site.
#[test]
fn a_site_that_never_built_shows_its_error_and_recovers() {
    let site = copy_site(&fixture("basic"));
    let file = site.path().join("content/faq/first.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("weight = 1", "weight = \"one\"")).unwrap();
    let server = Server::start(site.path());
    let (status, page) = server.get("/");
    let page = text(&page);
    assert_eq!(status, 500);
    assert!(page.contains("id=\"dossier-error\""), "{page}");
    assert!(page.contains("content/faq/first.md:4:10"), "{page}");
    let events = server.events();
    std::fs::write(&file, good).unwrap();
    wait_reload(&events);
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert!(text(&page).contains("What comes first?"));
}

/// Reads an event stream until a reload event; false if it ends first.
fn next_reload(stream: &mut BufReader<TcpStream>) -> bool {
    let mut line = String::new();
    loop {
        line.clear();
        match stream.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line.trim_end() == "event: reload" => return true,
            Ok(_) => {}
        }
    }
}

/// A number from the server's /proc/PID/status (`Threads:`, `VmRSS:` in
/// kB); `None` where there is no /proc.
fn proc_status(server: &Server, key: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{}/status", server.pid()))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(key))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[test]
fn a_thousand_open_event_streams_cost_no_thread_and_pages_still_answer() {
    const STREAMS: usize = 1000;
    // Both ends hold a descriptor per stream; the child inherits the limit.
    let limit = rlimit::increase_nofile_limit(4 * STREAMS as u64).unwrap();
    assert!(
        limit >= 2 * STREAMS as u64 + 100,
        "open-file limit {limit} is too low for this test; raise `ulimit -Hn`"
    );
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let rss_before = proc_status(&server, "VmRSS:");
    let started = Instant::now();
    let mut streams: Vec<_> = (0..STREAMS)
        .map(|i| {
            let (status, stream) = server.open_events("");
            assert_eq!(status, 200, "stream {i}");
            stream
        })
        .collect();
    let opened = started.elapsed();

    let asked = Instant::now();
    let (status, home) = server.get("/");
    let answered = asked.elapsed();
    assert_eq!(status, 200);
    assert!(text(&home).contains("What comes first?"));
    let threads = proc_status(&server, "Threads:");
    let rss = proc_status(&server, "VmRSS:");
    eprintln!(
        "{STREAMS} streams opened in {opened:?}; `/` answered in {answered:?}; server threads {threads:?}, RSS {rss_before:?} -> {rss:?} kB"
    );
    assert!(
        answered < Duration::from_secs(1),
        "`/` took {answered:?} with {STREAMS} open streams"
    );
    if let Some(threads) = threads {
        assert!(threads < 64, "{threads} threads: a thread per stream?");
    }

    let file = site.path().join("content/faq/first.md");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("The first answer mentions", "The edited answer mentions");
    std::fs::write(&file, edited).unwrap();
    let last = streams.len() - 1;
    for i in [0, STREAMS / 2, last] {
        assert!(
            next_reload(&mut streams[i]),
            "stream {i} got no reload event"
        );
    }
}

#[test]
fn huge_bodies_and_headers_are_refused_and_the_server_lives_on() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let host = server.host.clone();
    for method in ["POST", "GET"] {
        let (status, _) = server.raw(
            format!("{method} / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 99999999999\r\n\r\n")
                .as_bytes(),
        );
        assert!((400..500).contains(&status), "{method}: {status}");
        assert_eq!(server.get("/").0, 200, "alive after {method}");
    }
    let (status, _) = server.raw(
        format!("GET / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 413, "a body of unknown length");

    let big = "a".repeat(64 * 1024);
    let (status, _) = server.raw(
        format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {big}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert!(status == 431 || status == 400, "64 KiB header: {status}");
    assert_eq!(server.get("/").0, 200, "alive after a 64 KiB header");
}

#[test]
fn only_get_and_head_are_answered_and_head_has_no_body() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let host = server.host.clone();
    for method in ["POST", "PUT", "DELETE"] {
        let (status, response) = server.raw(
            format!("{method} / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!(status, 405, "{method}");
        assert!(
            response
                .to_ascii_lowercase()
                .contains("\r\nallow: get, head\r\n"),
            "{method}: {response}"
        );
    }
    let (status, response) = server
        .raw(format!("HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(status, 200);
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert_eq!(body, "", "HEAD has no body");
}

#[test]
fn the_event_stream_refuses_foreign_origins() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start(site.path());
    let (status, _) = server.open_events("Origin: http://evil.example\r\n");
    assert_eq!(status, 403, "another site's page");
    let (status, _) = server.open_events("Origin: null\r\n");
    assert_eq!(status, 403, "an opaque origin");
    let (status, _) = server.open_events(&format!("Origin: http://{}\r\n", server.host));
    assert_eq!(status, 200, "the server's own pages");
    let (status, _) = server.open_events("");
    assert_eq!(status, 200, "no Origin (same-origin EventSource, tools)");
}

#[test]
fn bound_to_every_address_it_answers_the_machines_addresses_only() {
    let site = copy_site(&fixture("basic"));
    let server = Server::start_with(site.path(), &["--bind", "0.0.0.0"]);
    let port = server.host.rsplit(':').next().unwrap().to_string();
    assert_eq!(server.raw_status("/", &server.host), 200);
    assert_eq!(server.raw_status("/", "evil.example"), 403);
    assert_eq!(server.raw_status("/", &format!("evil.example:{port}")), 403);
    assert_eq!(server.raw_status("/", &format!("0.0.0.0:{port}")), 403);

    let lan: Option<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .iter()
        .map(if_addrs::Interface::ip)
        .find(|ip| ip.is_ipv4() && !ip.is_loopback());
    let Some(lan) = lan else {
        eprintln!(
            "\n!!! SKIPPING the LAN-address part of this test: this machine has no non-loopback IPv4 address.\n"
        );
        return;
    };
    // Sent over loopback: only the Host header names the LAN address.
    let lan_host = format!("{lan}:{port}");
    assert_eq!(server.raw_status("/", &lan_host), 200, "Host {lan_host}");
    let (status, _) = server.open_events(&format!("Origin: http://{lan_host}\r\n"));
    assert_eq!(status, 200, "a page opened at {lan_host}");
    let url = format!("http://{lan_host}/");
    let deadline = Instant::now() + Duration::from_secs(5);
    let printed = std::iter::from_fn(|| {
        server
            .console
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .ok()
    })
    .any(|line| line.contains(&url));
    assert!(printed, "the console names {url}");
}
