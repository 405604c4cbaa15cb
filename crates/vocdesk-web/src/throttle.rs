//! Item 19: what the web layer adds to sign-in throttling. The budgets themselves are
//! kept in the store and spent by `vocdesk_app::accounts::sign_in`, which both sign-in
//! doors call, so they hold across the API and the pages and across every process on
//! one database. Here: the client address the budget is keyed by, and the
//! `Retry-After` header a refused attempt answers with.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::Response;

/// The address a request came from: the connection's peer, as `vocdesk serve` records
/// it (`ConnectInfo<SocketAddr>`). Requests that carry none (in-process tests) count as
/// localhost; `X-Forwarded-For` is not trusted, since any client can set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |info| info.0.ip()),
        ))
    }
}

/// Marks a refused attempt's response with when to try again.
pub fn retry_after(response: &mut Response, seconds: u64) {
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}
