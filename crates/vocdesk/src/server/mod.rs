//! The HTTP/1.1 server under `vocdesk serve`, on hyper directly, because `axum::serve`
//! has no header-read or idle timeout and no connection cap: one client that sent half
//! a request kept SIGTERM from ever finishing.
//!
//! - A request's headers must arrive within [`Limits::header_timeout`] of its first
//!   byte (of the connection's start, for the first request); a keep-alive connection
//!   may sit idle between requests for [`Limits::idle_timeout`].
//! - At most [`Limits::max_connections`] connections are served at once; at the cap the
//!   server stops accepting (new clients wait in the kernel's listen queue) until one
//!   closes.
//! - On shutdown it stops accepting, closes idle and half-sent connections at once, lets
//!   requests in flight finish for up to [`Limits::shutdown_grace`], and then returns
//!   even if some are stuck.
//! - A request whose body was not read gets `Connection: close` ([`service`]).
//!
//! HTTP/2 is not offered: clients reach the store through a TLS proxy that speaks
//! HTTP/1.1 to it, and h2c would add the `h2` crate for no client that asks for it.

mod activity;
mod service;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

use activity::{Activity, Timeouts, WatchedIo};
use service::ConnectionService;

/// How long a failed `accept` (out of file descriptors, say) waits before the next try,
/// so that the loop neither spins nor gives up.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// What the server allows each connection and how long shutdown waits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From the first byte of a request (the connection's start, for its first) to the
    /// end of its headers.
    pub header_timeout: Duration,
    /// Between requests on a keep-alive connection.
    pub idle_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// How long requests in flight may run after shutdown begins.
    pub shutdown_grace: Duration,
}

/// Serves `router` on `listener` until `shutdown` resolves, then shuts down as the
/// module describes. Returns once every connection is closed or the grace is over.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let timeouts = Timeouts { header: limits.header_timeout, idle: limits.idle_timeout };
    tokio::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break, // never closed; nothing left to serve if it were
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed; retrying");
                    drop(permit);
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let connection = Connection { stream, peer, router: router.clone(), timeouts, _permit: permit };
        connections.spawn(connection.run(stopping.clone()));
    }
    drop(listener);
    let _ = stop.send(true);
    let open = connections.len();
    if open > 0 {
        tracing::info!(open, grace_secs = limits.shutdown_grace.as_secs_f64(), "waiting for requests in flight");
    }
    let drained =
        tokio::time::timeout(limits.shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(stuck = connections.len(), "shutdown grace over; closing the connections still open");
        connections.shutdown().await;
    }
}

/// One accepted connection and what it needs to serve itself.
struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    timeouts: Timeouts,
    /// Its place under the connection cap, given back when the task ends.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    /// Serves requests until the client closes, a timeout closes it, or shutdown does.
    async fn run(self, mut stopping: watch::Receiver<bool>) {
        let Connection { stream, peer, router, timeouts, _permit } = self;
        // Responses are written whole; waiting to coalesce them only adds latency.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, %peer, "cannot set TCP_NODELAY");
        }
        let activity = Activity::new();
        let io = TokioIo::new(WatchedIo::new(stream, Arc::clone(&activity)));
        let service = ConnectionService::new(router, peer, Arc::clone(&activity));
        let connection = http1::Builder::new()
            .keep_alive(true)
            // Ours counts from a request's first byte (see `activity`); hyper's would
            // start when the previous response ends.
            .header_read_timeout(None)
            .serve_connection(io, service);
        tokio::pin!(connection);
        let mut shutting_down = *stopping.borrow();
        loop {
            if shutting_down && !activity.is_busy() {
                return;
            }
            tokio::select! {
                served = connection.as_mut() => {
                    if let Err(error) = served {
                        tracing::debug!(%error, %peer, "connection ended with an error");
                    }
                    return;
                }
                why = activity.timed_out(timeouts) => {
                    tracing::debug!(%peer, reason = why.as_str(), "closing the connection");
                    return;
                }
                _ = stopping.changed(), if !shutting_down => {
                    shutting_down = true;
                    // Finish the request in flight, answer it with `Connection: close`,
                    // then close; an idle connection is closed at the top of the loop.
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}
