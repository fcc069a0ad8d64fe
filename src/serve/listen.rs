//! The listening socket of `dossier serve` and the connections on it:
//! hyper on a small tokio runtime, so an open event stream is a task, not
//! a thread, and with limits that keep one bad request from hurting the
//! server.

use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::runtime::Runtime;

use super::ServeError;
use super::http::Peer;

/// Most bytes a request's line and headers may take; more gets 431.
pub(super) const MAX_HEAD_BYTES: usize = 16 * 1024;

/// How long a client may take to send its request's line and headers (and
/// an idle keep-alive connection to send the next one).
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds `bind:port`, or the next free port when it is taken.
pub(super) fn bind(address: std::net::IpAddr, first: u16) -> Result<TcpListener, ServeError> {
    let tries = if first == 0 { 1 } else { 50 };
    let mut last = String::new();
    for offset in 0..tries {
        let port = first.saturating_add(offset);
        match TcpListener::bind(SocketAddr::new(address, port)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last = e.to_string(),
        }
    }
    Err(ServeError::Bind {
        addr: SocketAddr::new(address, first).to_string(),
        reason: last,
    })
}

/// Starts answering connections on `listener` with `app` in the background.
/// The server runs as long as the returned runtime is kept.
pub(super) fn start(listener: TcpListener, app: axum::Router) -> Result<Runtime, ServeError> {
    // Two workers are plenty for one person's preview, on any machine.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("dossier-http")
        .build()
        .map_err(ServeError::Runtime)?;
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Runtime)?;
    let listener = {
        let _inside = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?
    };
    runtime.spawn(accept(listener, app));
    Ok(runtime)
}

/// Accepts connections forever, each served by its own task.
async fn accept(listener: tokio::net::TcpListener, app: axum::Router) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .max_buf_size(MAX_HEAD_BYTES)
        .header_read_timeout(HEAD_TIMEOUT);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, or a connection reset before it was
            // accepted: wait a little rather than spin, and go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Each request learns who connected: "Open in editor" answers
        // loopback clients only.
        let app = app.clone().layer(axum::Extension(Peer(peer)));
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
        tokio::spawn(async move {
            // A connection that breaks off concerns only that client.
            let _ = connection.await;
        });
    }
}
