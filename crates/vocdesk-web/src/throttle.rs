//! Sign-in throttling: password guessing is slowed per client address, on the API and
//! the web form alike. Each process counts on its own; behind several processes the
//! effective limit is the sum, which still turns millions of guesses into thousands.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, header};
use axum::response::{IntoResponse, Response};
use governor::clock::QuantaInstant;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

use crate::error::ApiError;
use crate::pages::PageError;

/// Sign-in attempts a client may make at once before it is slowed down.
pub const SIGN_IN_BURST: u32 = 30;
/// After the burst, one more attempt per this period.
pub const SIGN_IN_PERIOD: Duration = Duration::from_secs(2);

/// Keys attempts by the connecting address. Requests that carry none (in-process
/// tests) share one key; `X-Forwarded-For` is not trusted, since any client can set it.
#[derive(Clone, Copy, Debug)]
pub struct PeerAddress;

impl KeyExtractor for PeerAddress {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)))
    }
}

/// Which kind of answer a refused attempt gets.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// A problem document.
    Api,
    /// An error page.
    Page,
}

/// The throttle for one sign-in route.
pub fn sign_in(answer: Answer) -> GovernorLayer<PeerAddress, NoOpMiddleware<QuantaInstant>, Body> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(PeerAddress)
        .period(SIGN_IN_PERIOD)
        .burst_size(SIGN_IN_BURST)
        .finish()
        .expect("the sign-in quota is a non-zero constant");
    GovernorLayer::new(config).error_handler(move |error| refuse(answer, error))
}

fn refuse(answer: Answer, error: GovernorError) -> Response {
    let retry_after = match error {
        GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
        other => {
            tracing::error!(error = %other, "sign-in throttle failed");
            return ApiError::internal(std::io::Error::other(other.to_string())).into_response();
        }
    };
    let mut response = match answer {
        Answer::Api => ApiError::TooManyRequests.into_response(),
        Answer::Page => PageError::TooManyRequests.into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}
