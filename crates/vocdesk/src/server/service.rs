//! The per-connection service between hyper and the axum router: it gives each request
//! the peer's address (`ConnectInfo<SocketAddr>`, which rate limiting keys on), marks the
//! connection busy until the response is written, and answers `Connection: close` to a
//! request whose body the application did not read to its end.
//!
//! Why the last: a request refused before its body is read (401 for no token, 413, 404)
//! leaves the rest of the body on the connection, where it cannot be told from the next
//! request, so the connection must close after the response. Saying so in the response
//! lets the client open a new connection for its next request instead of sending it
//! into one that is about to close.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, Version, header};
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use tower::ServiceExt;

use super::activity::{Activity, BusyGuard};

/// The service hyper calls for every request of one connection.
#[derive(Clone, Debug)]
pub struct ConnectionService {
    router: Router,
    peer: SocketAddr,
    activity: Arc<Activity>,
}

impl ConnectionService {
    /// Serves `router` to the client at `peer`, reporting to the connection's `activity`.
    pub fn new(router: Router, peer: SocketAddr, activity: Arc<Activity>) -> Self {
        Self { router, peer, activity }
    }
}

impl hyper::service::Service<Request<Incoming>> for ConnectionService {
    type Response = Response<GuardedBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let guard = self.activity.request_started();
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(ConnectInfo(self.peer));
        // HTTP/1.0 closes by default; HTTP/2 (not served) would end the stream alone.
        let persistent = parts.version == Version::HTTP_11;
        let has_body = !body.is_end_stream();
        let body = TrackedBody::new(body);
        let read_to_end = Arc::clone(&body.read_to_end);
        let router = self.router.clone();
        let request = Request::from_parts(parts, Body::new(body));
        Box::pin(async move {
            let Ok(mut response) = router.oneshot(request).await;
            if persistent && has_body && !read_to_end.load(Ordering::Acquire) {
                response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok(response.map(|inner| GuardedBody { inner, _guard: guard }))
        })
    }
}

/// A request body that records whether it was read to its end.
struct TrackedBody {
    inner: Incoming,
    read_to_end: Arc<AtomicBool>,
}

impl TrackedBody {
    fn new(inner: Incoming) -> Self {
        let read_to_end = Arc::new(AtomicBool::new(inner.is_end_stream()));
        Self { inner, read_to_end }
    }
}

impl HttpBody for TrackedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.read_to_end.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body that keeps its connection busy until hyper has written it (or given
/// up on it) and dropped it.
pub struct GuardedBody {
    inner: Body,
    _guard: BusyGuard,
}

impl HttpBody for GuardedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
