//! Page errors: a sign-in redirect, or an error page in the visitor's language. Internal
//! causes are logged, never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use vocdesk_app::AppError;
use vocdesk_store::StoreError;

use super::context::{PageCtx, percent_encode};
use crate::error::{ApiError, RESPONSE_LOCALE};
use crate::headers::see_other;

/// Everything a page handler can fail with.
#[derive(Debug)]
pub enum PageError {
    /// Not signed in: go to sign-in and come back to `next`.
    SignInRequired {
        /// Where to return.
        next: String,
    },
    /// Signed in with a role that may not open this page.
    Forbidden,
    /// R7: a developer asked for payment ids the customer has not consented to share;
    /// a 403 whose message tells them to ask the customer for consent.
    ConsentRequired,
    /// Missing, or someone else's.
    NotFound,
    /// A form without this visitor's CSRF token.
    Csrf,
    /// A malformed request (bad form fields, bad cursor).
    BadRequest,
    /// A form body larger than the page accepts (files included).
    PayloadTooLarge,
    /// A known page asked with the wrong method.
    MethodNotAllowed,
    /// Item 19: too many sign-in attempts; `Retry-After` says when to retry.
    TooManyRequests {
        /// Whole seconds until an attempt fits again.
        retry_after_secs: u64,
    },
    /// The storage failed: nothing was kept; try again shortly.
    StorageUnavailable,
    /// Our failure.
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    message_key: &'static str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            PageError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let (status, message_key) = match self {
            PageError::SignInRequired { next } => {
                return see_other(&format!("/signin?next={}", percent_encode(&next))).into_response();
            }
            PageError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
            PageError::ConsentRequired => (StatusCode::FORBIDDEN, "refund-error-consent-required"),
            PageError::NotFound => (StatusCode::NOT_FOUND, "error-not_found"),
            PageError::Csrf => (StatusCode::FORBIDDEN, "error-csrf"),
            PageError::BadRequest => (StatusCode::BAD_REQUEST, "error-bad_request"),
            PageError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error-payload_too_large"),
            PageError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "error-bad_request"),
            PageError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "error-too_many_requests"),
            PageError::StorageUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "error-storage_unavailable"),
            PageError::Internal(cause) => {
                tracing::error!(%cause, "page failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
        // Rendered without the session here; `page_context` renders it again with it.
        let locale = RESPONSE_LOCALE.try_with(|l| *l).unwrap_or_default();
        let mut response = render_error_page(PageCtx::bare(locale), status, message_key);
        response.extensions_mut().insert(ErrorPageMarker { status, message_key });
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_SECS),
            );
        }
        if let Some(seconds) = retry_after {
            crate::throttle::retry_after(&mut response, seconds);
        }
        response
    }
}

/// Marks a response as an error page, for `page_context` to render with the full context.
#[derive(Clone, Copy, Debug)]
pub struct ErrorPageMarker {
    /// The status to answer with.
    pub status: StatusCode,
    /// The catalog key of the message.
    pub message_key: &'static str,
}

/// Renders the error page in the context's language, with its session.
pub fn render_error_page(ctx: PageCtx, status: StatusCode, message_key: &'static str) -> Response {
    match (ErrorPage { ctx, message_key }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => PageError::NotFound,
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "storage unavailable");
                PageError::StorageUnavailable
            }
            other => PageError::Internal(format!("{other}: {:?}", std::error::Error::source(&other))),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::NotFound => PageError::NotFound,
            ApiError::Forbidden => PageError::Forbidden,
            ApiError::ConsentRequired => PageError::ConsentRequired,
            ApiError::PayloadTooLarge => PageError::PayloadTooLarge,
            ApiError::StorageUnavailable => PageError::StorageUnavailable,
            ApiError::TooManyRequests { retry_after_secs } => PageError::TooManyRequests { retry_after_secs },
            other => PageError::Internal(format!("{other}: {:?}", std::error::Error::source(&other))),
        }
    }
}

impl From<AppError> for PageError {
    /// A use case's failure answers a page as it answers the API (through the one
    /// mapping in `error.rs`), as an error page.
    fn from(error: AppError) -> Self {
        ApiError::from(error).into()
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        PageError::Internal(error.to_string())
    }
}
