//! The accept loop: every connection the site takes is bounded. Headers
//! must arrive within a timeout (which also ends idle keep-alive
//! connections), connections are capped in total and per client address,
//! and running out of file descriptors pauses accepting briefly instead of
//! spinning or stopping. On shutdown the loop stops accepting and waits for
//! the connections it has to finish their requests.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// What bounds the connections of one instance.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Open connections at most; at the cap, new ones wait in the backlog.
    pub max_total: usize,
    /// Open connections from one client address at most (0: no cap); more
    /// are answered 429 and closed.
    pub max_per_address: usize,
    /// Time allowed for a request's headers, counted from the connection's
    /// start or the end of the previous response, so it is also how long an
    /// idle keep-alive connection stays open.
    pub header_timeout: Duration,
}

/// Descriptors kept for the database, media files and logs when the
/// default cap is worked out from the process's file limit.
const DESCRIPTOR_RESERVE: usize = 256;
const DEFAULT_MAX_TOTAL: usize = 10_000;
pub const DEFAULT_MAX_PER_ADDRESS: usize = 64;
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long accepting pauses after the process ran out of descriptors.
const FULL_PAUSE: Duration = Duration::from_millis(100);

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_total: default_max_total(),
            max_per_address: DEFAULT_MAX_PER_ADDRESS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
        }
    }
}

/// 10,000 connections, or fewer when the file limit would run out first.
pub fn default_max_total() -> usize {
    match open_file_limit() {
        Some(limit) => limit
            .saturating_sub(DESCRIPTOR_RESERVE)
            .clamp(64, DEFAULT_MAX_TOTAL),
        None => DEFAULT_MAX_TOTAL,
    }
}

/// The soft limit on open files, read from /proc (no system call needed).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// open connections finish what they are doing.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let total = Arc::new(Semaphore::new(limits.max_total.max(1)));
    let per_address = PerAddress::new(limits.max_per_address);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = total.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
        };
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                pause_after_accept_error(&e).await;
                continue;
            }
        };
        let address = peer.ip().to_canonical();
        let Some(slot) = per_address.take(address) else {
            metrics::counter!("connections_refused_total", "limit" => "per_address").increment(1);
            refuse(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            metrics::gauge!("connections_open").increment(1.0);
            // Errors here are the client's (a reset, a header timeout):
            // hyper logs them at debug; nothing is owed to anyone.
            let _ = connection.await;
            metrics::gauge!("connections_open").decrement(1.0);
            drop((slot, permit));
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Errors of one connection (reset before it was accepted) pass at once;
/// running out of descriptors or memory pauses, so the loop neither spins
/// nor gives up, and connections that close meanwhile make room.
async fn pause_after_accept_error(e: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
    ) {
        return;
    }
    metrics::counter!("accept_errors_total").increment(1);
    tracing::warn!(error = %e, "cannot accept a connection; pausing");
    tokio::time::sleep(FULL_PAUSE).await;
}

/// Tells a client over its address's cap why it is turned away, without
/// waiting for it to read.
fn refuse(stream: TcpStream) {
    const BODY: &str = "Too many connections from your address. Please try again shortly.\n";
    let answer = format!(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 10\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.try_write(answer.as_bytes());
}

/// Open connections per client address.
#[derive(Clone)]
struct PerAddress {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One open connection of an address, given back when dropped.
struct Slot {
    address: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl PerAddress {
    fn new(max: usize) -> Self {
        Self {
            max,
            open: Arc::default(),
        }
    }

    fn take(&self, address: IpAddr) -> Option<Option<Slot>> {
        if self.max == 0 {
            return Some(None);
        }
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_default();
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Some(Slot {
            address,
            open: self.open.clone(),
        }))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_slots_back() {
        let caps = PerAddress::new(2);
        let address: IpAddr = "192.0.2.7".parse().expect("address");
        let first = caps.take(address).expect("room");
        let _second = caps.take(address).expect("room");
        assert!(caps.take(address).is_none(), "two at most");
        assert!(caps.take("192.0.2.8".parse().expect("address")).is_some());
        drop(first);
        assert!(caps.take(address).is_some(), "a closed one makes room");
        drop(caps.take(address));
    }

    #[test]
    fn no_cap_takes_no_slots() {
        let caps = PerAddress::new(0);
        let address: IpAddr = "2001:db8::1".parse().expect("address");
        for _ in 0..1000 {
            assert!(caps.take(address).expect("always room").is_none());
        }
    }

    #[test]
    fn the_default_cap_fits_the_file_limit() {
        let cap = default_max_total();
        assert!((64..=DEFAULT_MAX_TOTAL).contains(&cap));
        if let Some(limit) = open_file_limit() {
            assert!(cap <= limit.max(64 + DESCRIPTOR_RESERVE));
        }
    }
}
