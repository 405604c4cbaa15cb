//! Server-rendered pages, in Korean and English, that work without JavaScript and read
//! well on a phone. Every page asks [`vocdesk_domain::policy`] through
//! [`PageCtx::authorize`] before it reads anything that belongs to someone.

mod audit;
mod console_views;
mod context;
mod developer_home;
mod devices;
mod error;
mod inquiries;
mod mail;
mod nav;
mod off_store;
mod operator_home;
mod push_health;
pub mod pwa;
mod refund_console;
mod refunds;
mod reviews;
mod session;
mod settings;
mod views;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, SignedCookieJar};
use serde::Deserialize;
use vocdesk_app::AppError;
use vocdesk_app::accounts::{self, SignInAttempt, TokenSpec};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::role::TokenScope;
use vocdesk_store::TokenKind;

pub use context::{PageCtx, page_context};
use context::{home_of, safe_next};
pub use error::PageError;
pub use session::SESSION_COOKIE;
pub use session::ensure_visitor;
use session::{base_cookie, new_visitor_cookie};
use views::{AppCard, PurchaseRow};

use crate::headers::see_other;
use crate::locale::LANG_COOKIE;
use crate::state::AppState;
use crate::throttle::PeerAddress;

/// Whether a path is a page (and so gets a visitor cookie and a page context), as
/// opposed to the API, health checks and static files.
pub fn is_page_path(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/healthz" || path.starts_with("/static/") || pwa::is_app_file(path))
}

/// Every page route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(apps_page))
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        // A POST with CSRF: a link on another site must not change the language (and a
        // signed-in user's stored page language) of whoever follows it. A GET is 405
        // and changes nothing.
        .route("/lang/{tag}", post(switch_language))
        .route("/my", get(my_page))
        .route("/developer", get(developer_home::developer_page))
        .route("/operator", get(operator_home::operator_home))
        .route(operator_home::AUDIT, get(audit::operator_page))
        .route("/settings", get(settings::settings_page).post(settings::save_settings))
        .route("/operator/push", get(push_health::push_health_page))
        .route(devices::PAGE, get(devices::devices_page).post(devices::subscribe))
        .route("/settings/devices/{id}/kinds", post(devices::save_kinds))
        .route("/settings/devices/{id}/remove", post(devices::remove))
        .route("/static/app.css", get(stylesheet))
        .merge(inquiries::routes())
        .merge(refunds::routes())
        .merge(off_store::routes())
        .merge(refund_console::routes())
        .merge(mail::routes())
        .merge(reviews::routes())
        .merge(pwa::routes())
}

type PageResult = Result<Response, PageError>;

fn html(template: &impl Template) -> PageResult {
    Ok(Html(template.render()?).into_response())
}

/// A submitted form; a malformed one is a 400 page, never a plain-text error.
struct PageForm<T>(T);

impl<S, T> axum::extract::FromRequest<S> for PageForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Form::<T>::from_request(request, state).await {
            Ok(axum::extract::Form(value)) => Ok(PageForm(value)),
            Err(_) => Err(PageError::BadRequest),
        }
    }
}

/// Reads a submitted form after the handler has authorized the request, so that a role
/// that may never send it is refused whatever it sent; a malformed body is a 400 page.
async fn read_form<T: serde::de::DeserializeOwned>(request: axum::extract::Request) -> Result<T, PageError> {
    use axum::extract::FromRequest;
    match axum::extract::Form::<T>::from_request(request, &()).await {
        Ok(axum::extract::Form(value)) => Ok(value),
        Err(_) => Err(PageError::BadRequest),
    }
}

/// `?cursor=` of paged pages.
#[derive(Debug, Deserialize)]
struct PageQuery {
    cursor: Option<String>,
}

fn page_request(query: &PageQuery, limit: u32) -> Result<PageRequest, PageError> {
    let mut page = PageRequest::parse(None, query.cursor.as_deref()).map_err(|_| PageError::BadRequest)?;
    page.limit = limit;
    Ok(page)
}

/// Query parameters of a page; a malformed query is a 400 page, not a plain-text error.
fn query<T: serde::de::DeserializeOwned>(uri: &axum::http::Uri) -> Result<T, PageError> {
    axum::extract::Query::<T>::try_from_uri(uri).map(|q| q.0).map_err(|_| PageError::BadRequest)
}

#[derive(Template)]
#[template(path = "apps.html")]
struct AppsPage {
    ctx: PageCtx,
    apps: Vec<AppCard>,
    next_cursor: Option<String>,
    is_first_page: bool,
}

async fn apps_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let q: PageQuery = query(&uri)?;
    let page = page_request(&q, 24)?;
    let apps = state.store().list_apps(None, &page).await?;
    html(&AppsPage {
        apps: apps.items.iter().map(|a| AppCard::new(a, &ctx.i18n)).collect(),
        next_cursor: apps.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    })
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    ctx: PageCtx,
    next: String,
    email: String,
    failed: bool,
    /// Item 19: the attempt was refused, and the visitor waits this many seconds.
    wait_secs: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn signin_page(ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let q: NextQuery = query(&uri)?;
    if let Some(session) = &ctx.session {
        return Ok(see_other(home_of(session.user.role)).into_response());
    }
    let next = safe_next(q.next.as_deref()).unwrap_or_default();
    html(&SigninPage { ctx, next, email: String::new(), failed: false, wait_secs: None })
}

#[derive(Debug, Deserialize)]
struct SigninForm {
    // Defaulted, so that a form without a token is refused as CSRF (403), not as a
    // malformed body.
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn signin(
    State(state): State<AppState>,
    ctx: PageCtx,
    jar: SignedCookieJar,
    PeerAddress(client): PeerAddress,
    PageForm(form): PageForm<SigninForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let attempt = SignInAttempt { client, email: &form.email, password: &form.password };
    let (status, wait_secs) = match accounts::sign_in(state.app(), attempt).await {
        Ok(Some(user)) => return signed_in(&state, jar, &user, &form.next).await,
        Ok(None) => (axum::http::StatusCode::UNAUTHORIZED, None),
        // Item 19: the form again, saying how long to wait, with the email kept.
        Err(AppError::TooManyAttempts { retry_after_secs }) => {
            (axum::http::StatusCode::TOO_MANY_REQUESTS, Some(retry_after_secs))
        }
        Err(other) => return Err(other.into()),
    };
    let page = SigninPage {
        ctx,
        next: safe_next(Some(&form.next)).unwrap_or_default(),
        email: form.email,
        failed: wait_secs.is_none(),
        wait_secs: wait_secs.map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
    };
    let mut response = (status, Html(page.render()?)).into_response();
    if let Some(seconds) = wait_secs {
        crate::throttle::retry_after(&mut response, seconds);
    }
    Ok(response)
}

/// Opens a web session for `user` and sends them on to `next` (or their home).
async fn signed_in(
    state: &AppState,
    jar: SignedCookieJar,
    user: &vocdesk_domain::account::User,
    next: &str,
) -> PageResult {
    let ttl = state.config().session_ttl;
    let spec = TokenSpec { kind: TokenKind::Web, scope: TokenScope::Full, label: "web sign-in", ttl };
    let issued = accounts::issue_token(state.app(), user, spec, Channel::Store).await?;
    let cookie = base_cookie(SESSION_COOKIE, issued.secret, state.config().secure_cookies)
        .max_age(cookie::time::Duration::seconds(ttl.as_secs()))
        .build();
    let target = safe_next(Some(next)).unwrap_or_else(|| home_of(user.role).to_owned());
    // A new visitor id, so a CSRF token anyone saw before sign-in is worthless now.
    let jar = jar.add(cookie).add(new_visitor_cookie(state.config().secure_cookies));
    Ok((jar, see_other(&target)).into_response())
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `Clear-Site-Data`, not among `http::header`'s names.
const CLEAR_SITE_DATA: header::HeaderName = header::HeaderName::from_static("clear-site-data");
/// What signing out empties: the HTTP cache and every storage of the site (the service
/// worker's caches, a reply draft kept for offline), not the cookies of the next visit.
pub const CLEAR_ON_SIGNOUT: &str = "\"cache\", \"storage\"";

async fn signout(
    State(state): State<AppState>,
    ctx: PageCtx,
    jar: SignedCookieJar,
    PageForm(form): PageForm<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    if let Some(session) = &ctx.session {
        accounts::revoke_token(state.app(), &session.user, &session.token_hash, Channel::Store).await?;
    }
    // A new visitor id: the forms of the session that ended stop working.
    let jar =
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")).add(new_visitor_cookie(state.config().secure_cookies));
    // Issue 13: the saved copies the service worker kept of this person's inbox and
    // threads go with the session (the browser empties the worker's caches too).
    Ok((jar, [(CLEAR_SITE_DATA, CLEAR_ON_SIGNOUT)], see_other("/")).into_response())
}

/// The header's language switch: the page to come back to, and the visitor's token.
#[derive(Debug, Deserialize)]
struct LanguageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

async fn switch_language(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(tag): Path<String>,
    PageForm(form): PageForm<LanguageForm>,
) -> PageResult {
    let locale = Locale::parse(&tag).ok_or(PageError::NotFound)?;
    ctx.check_csrf(&state, &form.csrf)?;
    // A signed-in user's choice is kept (audited), so that every browser they sign in
    // from shows it; their mail keeps its own language, changed only on the settings
    // page (R3).
    if let Some(session) = &ctx.session {
        accounts::set_locale(state.app(), inquiries::caller(session), locale).await?;
    }
    let cookie = Cookie::build((LANG_COOKIE, locale.tag()))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .secure(state.config().secure_cookies)
        .max_age(cookie::time::Duration::days(365))
        .build();
    let home = ctx.session.as_ref().map_or("/", |s| home_of(s.user.role));
    let target = safe_next(Some(&form.next)).unwrap_or_else(|| home.to_owned());
    Ok(([(header::SET_COOKIE, cookie.to_string())], see_other(&target)).into_response())
}

#[derive(Template)]
#[template(path = "my.html")]
struct MyPage {
    ctx: PageCtx,
    customer_no: String,
    purchases: Vec<PurchaseRow>,
    next_cursor: Option<String>,
    is_first_page: bool,
}

async fn my_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(policy::list_own_purchases)?;
    let page = page_request(&query(&uri)?, 20)?;
    let purchases = vocdesk_app::purchases::standings(state.app(), &session.actor, &page).await?;
    let customer_no = session.user.customer_no.clone().unwrap_or_default();
    html(&MyPage {
        purchases: purchases.items.iter().map(|p| PurchaseRow::new(p, &ctx.i18n)).collect(),
        next_cursor: purchases.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        customer_no,
        ctx,
    })
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}
