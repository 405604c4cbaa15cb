//! vocdesk over HTTP: the JSON API under `/api/v1` (bearer tokens, problem+json errors,
//! an OpenAPI document generated from the handlers) and the server-rendered pages
//! (signed session cookies, CSRF tokens, Korean and English).
//!
//! A request passes the layers in [`router`], is authenticated by an extractor
//! ([`auth::ApiActor`] or the page context), and is handed to a use case of
//! [`vocdesk_app`], which asks [`vocdesk_domain::policy`] once and reads or writes
//! through the [`vocdesk_store::Store`] trait; a use case's [`vocdesk_app::AppError`]
//! becomes a problem document or an error page in [`error`], in one place.

pub mod api;
pub mod auth;
pub mod cache;
pub mod error;
pub mod extract;
pub mod headers;
pub mod i18n;
pub mod locale;
pub mod pages;
mod state;
pub mod throttle;
pub mod upload;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ApiResult};
pub use state::{AppState, WebConfig};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What a page may load. Scripts only from the site's own files (`/static/app.js`, the
/// service worker `/sw.js`): nothing inline, no inline event handlers, so a text that
/// slipped through escaping still cannot run; the worker and the manifest from the site
/// too (issue 13).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'";

/// The whole application: API, pages, health and OpenAPI document, with the layers
/// every request passes (request id, tracing, timeout, language, security headers,
/// `no-store` on whatever may be personal: [`cache`]).
pub fn router(state: AppState) -> Router {
    let api = api::routes()
        .route("/api/openapi.json", get(api::openapi::document))
        .layer(DefaultBodyLimit::max(state.config().json_body_limit));
    let pages = pages::routes().layer(DefaultBodyLimit::max(16 * 1024));
    Router::new()
        .merge(api)
        .merge(pages)
        .route("/healthz", get(api::healthz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), pages::page_context))
        .layer(middleware::from_fn_with_state(state.clone(), pages::ensure_visitor))
        .layer(middleware::from_fn(locale::negotiate))
        .layer(middleware::from_fn(cache::no_store))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Unknown paths: a problem document under `/api`, an error page elsewhere.
async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound.into_response()
    } else {
        pages::PageError::NotFound.into_response()
    }
}

/// A known path with the wrong method.
async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::MethodNotAllowed.into_response()
    } else {
        pages::PageError::MethodNotAllowed.into_response()
    }
}
