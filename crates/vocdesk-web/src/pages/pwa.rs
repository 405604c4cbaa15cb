//! vocdesk as an installable web app (issue 13): the manifest, the service worker, the
//! script that registers it, the icons and the offline page.
//!
//! None of these is personal, so none goes through the page context: they answer the
//! same bytes to everyone who asks in the same language, set no cookie, and carry their
//! own `Cache-Control` (which [`crate::cache`] leaves alone). The service worker keeps
//! copies of a few pages for reading offline (`static/sw.js`); the rules of what it may
//! keep are the server's `Cache-Control` answers, read by the worker before it stores
//! anything.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;
use vocdesk_domain::locale::Locale;

use super::PageResult;
use super::context::PageCtx;
use crate::i18n::I18n;
use crate::locale::RequestLocale;
use crate::state::AppState;

/// The manifest's address.
pub const MANIFEST: &str = "/manifest.webmanifest";
/// The service worker's address: at the root, so that its scope is the whole site.
pub const SERVICE_WORKER: &str = "/sw.js";
/// The offline page, kept by the service worker when it installs.
pub const OFFLINE: &str = "/offline";
/// The colour of the header and the splash screen: `--accent` of `static/app.css`.
pub const THEME_COLOR: &str = "#0b63ce";
/// The page's background: `--bg` of `static/app.css`.
pub const BACKGROUND_COLOR: &str = "#ffffff";

/// The `Cache-Control` of the pages the service worker may keep for reading offline
/// (the developer's home and inbox, a thread as its parties read it): the browser may
/// store them, for this person only, but asks the server each time it is online.
/// Everything else personal stays `no-store` ([`crate::cache`]).
pub const KEEP_PRIVATE: &str = "private, no-cache";

/// Marks a page as one the browser may keep for reading offline ([`KEEP_PRIVATE`]).
pub fn keep_private(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(KEEP_PRIVATE));
    response
}

/// Whether a path is one of these app files, which need no visitor cookie and no page
/// context (a cookie set on them would make their answers personal).
pub fn is_app_file(path: &str) -> bool {
    path == MANIFEST || path == SERVICE_WORKER || path == OFFLINE
}

/// The routes of the installable app.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(MANIFEST, get(manifest))
        .route(SERVICE_WORKER, get(service_worker))
        .route("/static/app.js", get(script))
        .route("/static/icons/{name}", get(icon))
        .route(OFFLINE, get(offline_page))
}

/// `?lang=`: the page that links the manifest (or the worker that keeps the offline
/// page) says which language it wants; else the request's own language.
#[derive(Debug, Default, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

fn language(query: &LangQuery, request: RequestLocale) -> Locale {
    query.lang.as_deref().and_then(Locale::parse).unwrap_or(request.0)
}

/// The web app manifest, in the asked language: what makes the site installable, with
/// the developer center as the app's start.
async fn manifest(
    Query(query): Query<LangQuery>,
    axum::Extension(request): axum::Extension<RequestLocale>,
) -> Response {
    let i18n = I18n { locale: language(&query, request) };
    let body = manifest_json(i18n);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/manifest+json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("Accept-Language, Cookie")),
            (header::CONTENT_LANGUAGE, HeaderValue::from_static(i18n.lang())),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The manifest's members; `id` stays the same in every language, so that the app
/// installed in Korean and in English is one app.
pub fn manifest_json(i18n: I18n) -> serde_json::Value {
    let icon = |src: &str, size: &str, purpose: &str| json!({ "src": src, "sizes": size, "type": "image/png", "purpose": purpose });
    json!({
        "id": "/developer",
        "name": i18n.t("pwa-app-name"),
        "short_name": i18n.t("pwa-app-short-name"),
        "description": i18n.t("tagline"),
        "lang": i18n.lang(),
        "dir": "ltr",
        "start_url": "/developer",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            icon("/static/icons/icon-192.png", "192x192", "any"),
            icon("/static/icons/icon-512.png", "512x512", "any"),
            icon("/static/icons/icon-maskable-512.png", "512x512", "maskable"),
        ],
    })
}

/// The service worker: `no-cache`, so a new version reaches every browser at its next
/// visit.
async fn service_worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("service-worker-allowed"), "/"),
        ],
        include_str!("../../static/sw.js"),
    )
        .into_response()
}

/// The pages' one script: registers the worker, keeps a reply typed offline, sets the
/// app badge, subscribes to push. Every page works without it.
async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        include_str!("../../static/app.js"),
    )
        .into_response()
}

/// The icons of the manifest and the home screen, compiled in (`scripts/make-icons.py`
/// draws them).
async fn icon(Path(name): Path<String>) -> Response {
    let bytes: &'static [u8] = match name.as_str() {
        "icon-192.png" => include_bytes!("../../static/icons/icon-192.png"),
        "icon-512.png" => include_bytes!("../../static/icons/icon-512.png"),
        "icon-maskable-512.png" => include_bytes!("../../static/icons/icon-maskable-512.png"),
        "apple-touch-icon.png" => include_bytes!("../../static/icons/apple-touch-icon.png"),
        _ => return (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-cache")]).into_response(),
    };
    ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "public, max-age=86400")], bytes).into_response()
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    ctx: PageCtx,
}

/// What the service worker shows when the network is gone and it has no saved copy of
/// the page asked for (and, when a form could not be sent, says so): the same for
/// everyone, so it has no header for a signed-in user and no form.
async fn offline_page(
    Query(query): Query<LangQuery>,
    axum::Extension(request): axum::Extension<RequestLocale>,
) -> PageResult {
    let locale = language(&query, request);
    let page = OfflinePage { ctx: PageCtx::bare(locale) };
    Ok(([(header::CACHE_CONTROL, "no-cache")], Html(page.render()?)).into_response())
}
