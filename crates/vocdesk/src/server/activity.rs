//! What one connection is doing, as far as timeouts and shutdown care: idle between
//! requests, part-way through a request's headers, or serving requests. The socket
//! ([`WatchedIo`]) reports bytes read, the service reports requests begun and responses
//! finished ([`BusyGuard`]), and the connection's task waits on [`Activity::timed_out`].
//!
//! hyper's own `header_read_timeout` starts counting as soon as the previous response is
//! written, so it would also be the idle timeout; keeping the phase here lets an idle
//! keep-alive connection wait longer than a half-sent request.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};

/// After the last response of a connection that is closing, how long unread request
/// bytes are read and dropped (a "lingering close"), so that closing with them unread
/// does not make the kernel reset the connection and destroy the response the client
/// has not read yet.
const LINGER: Duration = Duration::from_secs(2);

/// How long a connection may stay in one phase before it is closed.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From the first byte of a request (or the connection's start, for its first
    /// request) to the end of its headers.
    pub header: Duration,
    /// From the end of a response to the first byte of the next request.
    pub idle: Duration,
}

/// Why a connection was closed by its watchdog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expired {
    /// Nothing arrived for [`Timeouts::idle`].
    Idle,
    /// A request's headers did not arrive within [`Timeouts::header`].
    Headers,
}

impl Expired {
    /// For logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Expired::Idle => "idle timeout",
            Expired::Headers => "header timeout",
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Phase {
    Idle { since: Instant },
    Headers { since: Instant },
    Busy { requests: usize },
}

/// The phase of one connection, shared by its socket, its service and its task.
#[derive(Debug)]
pub struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

impl Activity {
    /// A connection just accepted: its first request's headers are on the clock from
    /// now, so that a client that connects and sends nothing holds a place under the
    /// connection cap no longer than one that sends half a request.
    pub fn new() -> Arc<Self> {
        Arc::new(Self { phase: Mutex::new(Phase::Headers { since: Instant::now() }), changed: Notify::new() })
    }

    // A panic while holding this lock cannot leave the phase half-written: take it as is.
    fn lock(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Bytes arrived: if the connection was idle, a request has begun and its headers
    /// are now on the clock.
    fn bytes_read(&self) {
        let mut phase = self.lock();
        if let Phase::Idle { .. } = *phase {
            *phase = Phase::Headers { since: Instant::now() };
            drop(phase);
            self.changed.notify_one();
        }
    }

    /// A request's headers are in and it is handed to the application; the connection
    /// is busy (no timeout of ours applies) until the returned guard is dropped with
    /// the response.
    pub fn request_started(self: &Arc<Self>) -> BusyGuard {
        let mut phase = self.lock();
        *phase = match *phase {
            Phase::Busy { requests } => Phase::Busy { requests: requests + 1 },
            Phase::Idle { .. } | Phase::Headers { .. } => Phase::Busy { requests: 1 },
        };
        drop(phase);
        self.changed.notify_one();
        BusyGuard(Arc::clone(self))
    }

    fn request_finished(&self) {
        let mut phase = self.lock();
        *phase = match *phase {
            Phase::Busy { requests } if requests > 1 => Phase::Busy { requests: requests - 1 },
            _ => Phase::Idle { since: Instant::now() },
        };
        drop(phase);
        self.changed.notify_one();
    }

    /// Whether a request is being served (so that shutdown lets it finish).
    pub fn is_busy(&self) -> bool {
        matches!(*self.lock(), Phase::Busy { .. })
    }

    fn deadline(&self, timeouts: Timeouts) -> Option<(Instant, Expired)> {
        match *self.lock() {
            Phase::Idle { since } => Some((since + timeouts.idle, Expired::Idle)),
            Phase::Headers { since } => Some((since + timeouts.header, Expired::Headers)),
            Phase::Busy { .. } => None,
        }
    }

    /// Resolves when the connection has been idle, or short of a request's headers,
    /// for longer than allowed; never while a request is being served.
    pub async fn timed_out(&self, timeouts: Timeouts) -> Expired {
        loop {
            match self.deadline(timeouts) {
                Some((deadline, why)) if deadline <= Instant::now() => return why,
                Some((deadline, _)) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(deadline) => {}
                        () = self.changed.notified() => {}
                    }
                }
                None => self.changed.notified().await,
            }
        }
    }
}

/// Marks its connection busy while it lives; it travels with the response body, so
/// that a response still being written keeps the connection from counting as idle.
#[derive(Debug)]
pub struct BusyGuard(Arc<Activity>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

/// The accepted socket, reporting reads to its [`Activity`] and closing with a
/// lingering close: after the response, our side is shut down (the client reads the
/// end of the stream) and whatever the client still sends is read and dropped for up
/// to [`LINGER`], so the close does not reset a response the client has yet to read.
#[derive(Debug)]
pub struct WatchedIo {
    stream: TcpStream,
    activity: Arc<Activity>,
    linger: Option<Pin<Box<Sleep>>>,
}

impl WatchedIo {
    /// Watches `stream` for `activity`.
    pub fn new(stream: TcpStream, activity: Arc<Activity>) -> Self {
        Self { stream, activity, linger: None }
    }
}

impl AsyncRead for WatchedIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.stream).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            self.activity.bytes_read();
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for WatchedIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.linger.is_none() {
            ready!(Pin::new(&mut self.stream).poll_shutdown(cx))?;
            self.linger = Some(Box::pin(tokio::time::sleep(LINGER)));
        }
        let mut scratch = [0u8; 4096];
        loop {
            if let Some(linger) = self.linger.as_mut()
                && linger.as_mut().poll(cx).is_ready()
            {
                return Poll::Ready(Ok(()));
            }
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut self.stream).poll_read(cx, &mut buf) {
                // The client closed its side too: nothing can be reset any more.
                Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => continue,
                Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
