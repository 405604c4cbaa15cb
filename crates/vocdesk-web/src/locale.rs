//! Chooses each response's language: the `vd_lang` cookie set by the language switch,
//! else the `Accept-Language` header, else Korean, the store's home language. A page
//! for a signed-in user then follows the language kept on their account instead
//! (`pages::page_context`).

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use vocdesk_domain::locale::Locale;

use crate::error::RESPONSE_LOCALE;

/// The cookie that remembers the language switch.
pub const LANG_COOKIE: &str = "vd_lang";

/// The language of one request, put into its extensions by [`negotiate`].
#[derive(Clone, Copy, Debug)]
pub struct RequestLocale(pub Locale);

/// Reads the language from the request.
pub fn from_request(request: &Request) -> Locale {
    let from_cookie = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Locale::parse(value));
    from_cookie
        .or_else(|| {
            request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

/// Middleware: negotiates the language and makes it available to handlers, templates
/// and error responses for the rest of the request.
pub async fn negotiate(mut request: Request, next: Next) -> Response {
    let locale = from_request(&request);
    request.extensions_mut().insert(RequestLocale(locale));
    RESPONSE_LOCALE.scope(locale, next.run(request)).await
}
