//! Fetching external pages politely: a fixed number of worker threads, at
//! most a few requests to one host at a time with a pause between their
//! starts, a timeout on each request, and redirects followed one hop at a
//! time so that a permanent move (301, 308) can be told from a temporary one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use url::Url;

use super::{ExternalOptions, Target};
use crate::progress::Progress;

/// Redirect hops followed before giving up.
const MAX_REDIRECTS: usize = 10;
/// The most of a page read to look for a fragment's id.
const MAX_PAGE_BYTES: u64 = 16 << 20;

/// What asking for one page gave.
#[derive(Debug, Clone)]
pub(super) enum Answer {
    /// It answered 2xx, possibly after redirects.
    Found(Found),
    /// It did not.
    Failed(Failure),
}

/// A page that answered.
#[derive(Debug, Clone, Default)]
pub(super) struct Found {
    /// Where the redirects ended, when one of them was permanent.
    pub(super) moved_to: Option<String>,
    /// The fragments asked for that the page has no id for, each with the
    /// nearest id it has.
    pub(super) missing: BTreeMap<String, Option<String>>,
}

/// Why a page did not answer.
#[derive(Debug, Clone)]
pub(super) enum Failure {
    /// An HTTP status that is not success: code and reason.
    Status(u16, String),
    /// No complete answer in time.
    Timeout,
    /// No answer at all: no such host, refused, TLS failure...
    Unreachable(String),
    /// 429: the server asked us to slow down, so we know nothing.
    Limited,
}

/// Fetches every target, `options.concurrency` at a time, and returns the
/// answers in the order of `targets`.
pub(super) fn fetch_all(
    targets: &[Target],
    options: &ExternalOptions,
    progress: &Progress,
) -> Vec<Answer> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(options.timeout))
        .timeout_global(Some(options.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(format!(
            "dossier/{} (link check)",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .into();
    let gate = HostGate::new(options.per_host.max(1), options.host_interval);
    let order = interleaved_by_host(targets);
    let next = AtomicUsize::new(0);
    let answers: Mutex<Vec<Option<Answer>>> = Mutex::new(vec![None; targets.len()]);
    let workers = options.concurrency.clamp(1, targets.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Some(target) = targets.get(i) else { break };
                    progress.set_message(target.url.as_str());
                    let answer = fetch(&agent, &gate, target);
                    if let Some(slot) = lock(&answers).get_mut(i) {
                        *slot = Some(answer);
                    }
                    progress.inc(1);
                }
            });
        }
    });
    answers
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .map(|a| {
            a.unwrap_or_else(|| Answer::Failed(Failure::Unreachable("not checked".to_string())))
        })
        .collect()
}

/// Indexes of `targets`, one host after another in turn, so that the
/// workers spread over hosts instead of queueing behind one.
fn interleaved_by_host(targets: &[Target]) -> Vec<usize> {
    let mut by_host: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, target) in targets.iter().enumerate() {
        by_host.entry(host_key(&target.url)).or_default().push(i);
    }
    let mut queues: Vec<std::vec::IntoIter<usize>> =
        by_host.into_values().map(Vec::into_iter).collect();
    let mut order = Vec::with_capacity(targets.len());
    while order.len() < targets.len() {
        for queue in &mut queues {
            order.extend(queue.next());
        }
    }
    order
}

/// `host:port`, what the per-host limit counts.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Asks for one page, following redirects.
fn fetch(agent: &ureq::Agent, gate: &HostGate, target: &Target) -> Answer {
    let mut url = target.url.clone();
    let mut moved = false;
    for _ in 0..=MAX_REDIRECTS {
        let _permit = gate.enter(&host_key(&url));
        let mut response = match agent.get(url.as_str()).call() {
            Ok(r) => r,
            Err(e) => return Answer::Failed(failure(e)),
        };
        let status = response.status();
        if status.is_redirection() && status != ureq::http::StatusCode::NOT_MODIFIED {
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok());
            let Some(next) = location.and_then(|l| url.join(l).ok()) else {
                return Answer::Failed(Failure::Unreachable(format!(
                    "{} redirect without a valid Location",
                    status.as_u16()
                )));
            };
            moved |= matches!(status.as_u16(), 301 | 308);
            url = next;
            continue;
        }
        if status.as_u16() == 429 {
            return Answer::Failed(Failure::Limited);
        }
        if !status.is_success() {
            return Answer::Failed(Failure::Status(
                status.as_u16(),
                status.canonical_reason().unwrap_or("").to_string(),
            ));
        }
        let mut found = Found {
            moved_to: (moved && url != target.url).then(|| url.to_string()),
            missing: BTreeMap::new(),
        };
        let body = response.body_mut();
        let html = body
            .mime_type()
            .is_some_and(|m| m == "text/html" || m == "application/xhtml+xml");
        if html && !target.fragments.is_empty() {
            let page = match body.with_config().limit(MAX_PAGE_BYTES).read_to_vec() {
                Ok(bytes) => bytes,
                Err(e) => return Answer::Failed(failure(e)),
            };
            let (ids, _) = crate::check::ids_and_links(&String::from_utf8_lossy(&page));
            found.missing = missing_fragments(&target.fragments, &ids.all);
        }
        return Answer::Found(found);
    }
    Answer::Failed(Failure::Unreachable(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}

/// The fragments that name no id of the page (compared as written and
/// percent-decoded), each with the nearest id, if one is close.
fn missing_fragments<'a>(
    fragments: impl IntoIterator<Item = &'a String>,
    ids: &HashSet<String>,
) -> BTreeMap<String, Option<String>> {
    fragments
        .into_iter()
        // `#:~:text=` asks the browser to find text, not an element.
        .filter(|f| !f.starts_with(":~:"))
        .filter(|f| {
            let decoded = percent_encoding::percent_decode_str(f).decode_utf8_lossy();
            !ids.contains(f.as_str()) && !ids.contains(decoded.as_ref())
        })
        .map(|f| {
            let nearest = ids
                .iter()
                .map(|id| (strsim::jaro_winkler(f, id), id))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, id)| id.clone());
            (f.clone(), nearest)
        })
        .collect()
}

fn failure(error: ureq::Error) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => Failure::Timeout,
        ureq::Error::HostNotFound => Failure::Unreachable("no such host".to_string()),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Failure::Unreachable("the connection was refused".to_string())
        }
        other => Failure::Unreachable(other.to_string()),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Limits the requests to each host: at most `per_host` under way, and
/// starts at least `interval` apart.
#[derive(Debug)]
pub(super) struct HostGate {
    hosts: Mutex<HashMap<String, HostState>>,
    changed: Condvar,
    per_host: usize,
    interval: Duration,
}

#[derive(Debug, Default)]
struct HostState {
    active: usize,
    last_start: Option<Instant>,
}

/// A request under way to one host; dropping it lets the next one in.
pub(super) struct Permit<'a> {
    gate: &'a HostGate,
    host: String,
}

impl HostGate {
    pub(super) fn new(per_host: usize, interval: Duration) -> Self {
        HostGate {
            hosts: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
            per_host,
            interval,
        }
    }

    /// Waits until a request to `host` may start.
    pub(super) fn enter(&self, host: &str) -> Permit<'_> {
        let mut hosts = lock(&self.hosts);
        loop {
            let state = hosts.entry(host.to_string()).or_default();
            let wait = if state.active >= self.per_host {
                None
            } else {
                let since = state.last_start.map(|t| t.elapsed());
                match since {
                    Some(since) if since < self.interval => Some(self.interval - since),
                    _ => {
                        state.active += 1;
                        state.last_start = Some(Instant::now());
                        return Permit {
                            gate: self,
                            host: host.to_string(),
                        };
                    }
                }
            };
            hosts = match wait {
                None => self
                    .changed
                    .wait(hosts)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(pause) => {
                    self.changed
                        .wait_timeout(hosts, pause)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Some(state) = lock(&self.gate.hosts).get_mut(&self.host) {
            state.active = state.active.saturating_sub(1);
        }
        self.gate.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_host_waits_between_starts_and_others_do_not() {
        let gate = HostGate::new(2, Duration::from_millis(60));
        let start = Instant::now();
        drop(gate.enter("a:80"));
        drop(gate.enter("b:80"));
        assert!(start.elapsed() < Duration::from_millis(60));
        drop(gate.enter("a:80"));
        drop(gate.enter("a:80"));
        assert!(start.elapsed() >= Duration::from_millis(120));
    }

    #[test]
    fn at_most_per_host_requests_at_once() {
        let gate = HostGate::new(2, Duration::ZERO);
        let active = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    let _permit = gate.enter("h:80");
                    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    active.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn hosts_take_turns() {
        let target = |u: &str| Target {
            url: Url::parse(u).unwrap(),
            fragments: Default::default(),
        };
        let targets = [
            target("http://a/1"),
            target("http://a/2"),
            target("http://a/3"),
            target("http://b/1"),
        ];
        assert_eq!(interleaved_by_host(&targets), [0, 3, 1, 2]);
    }

    #[test]
    fn missing_fragments_suggest_the_nearest_id() {
        let ids: HashSet<String> = ["install", "café"].iter().map(|s| s.to_string()).collect();
        let asked = [
            "instal".to_string(),
            "caf%C3%A9".to_string(),
            "zzz".to_string(),
            ":~:text=x".to_string(),
        ];
        let missing = missing_fragments(&asked, &ids);
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert_eq!(missing["instal"].as_deref(), Some("install"));
        assert_eq!(missing["zzz"], None);
    }
}
