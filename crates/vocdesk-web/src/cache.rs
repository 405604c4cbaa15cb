//! Who may keep a copy of a response. Threads, payment details, purchases, My page, the
//! inquiry lists, the audit log, the outbox and received mail are personal data, and a
//! browser's disk cache, a shared computer's back button or a proxy must not keep them.
//!
//! One layer decides for every response, rather than each handler, so that a page or
//! route added later is covered without anyone remembering to: a response is marked
//! `Cache-Control: no-store` when its request carried credentials (a bearer token or a
//! session cookie, valid or not), when it was not a GET or HEAD (sign-in answers carry
//! tokens; forms re-rendered with errors carry what was typed), or when it sets a
//! cookie. What is left unmarked is what an anonymous visitor gets by GET without a
//! cookie being set: the public catalog, app pages and reviews, the OpenAPI document,
//! the health check. Nothing personal can be in those, because every personal
//! resource needs credentials. Static files keep their own `public` caching even for
//! signed-in visitors: they are the same bytes for everyone.
//!
//! A handler may say otherwise for its own GET, and only three do (issue 13): the
//! developer's home, their inbox and a thread read by its parties answer `private,
//! no-cache`, so the service worker may keep a copy to read offline (it never keeps
//! what says `no-store`); the app's own files (manifest, worker, offline page) say
//! `no-cache`. Payment details, purchases, the audit log, the outbox, received mail,
//! the operator's pages, attachments and the API stay `no-store`.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::pages::SESSION_COOKIE;

/// Middleware: marks every response that may carry personal data `no-store`.
pub async fn no_store(request: Request, next: Next) -> Response {
    let public_file = request.uri().path().starts_with("/static/");
    let personal = carries_credentials(request.headers()) || !matches!(*request.method(), Method::GET | Method::HEAD);
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = next.run(request).await;
    let set_cookie = response.headers().contains_key(header::SET_COOKIE);
    let handler_said = response.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok());
    // A handler's own value on a plain read is its decision (issue 13: the pages kept
    // for reading offline say `private, no-cache`); a state change or a new cookie is
    // never kept, whatever the handler said.
    let leave = public_file || handler_said.is_some_and(|v| says_no_store(v) || (read && !set_cookie));
    if !leave && (personal || set_cookie) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Whether a handler's own `Cache-Control` already forbids keeping the response
/// (`private, no-store` on attachments and revealed payment ids): left as it is.
fn says_no_store(value: &str) -> bool {
    value.split(',').any(|directive| directive.trim().eq_ignore_ascii_case("no-store"))
}

/// Whether a request says who it is: `Authorization`, or a session cookie.
fn carries_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
        || headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(name, value)| name == SESSION_COOKIE && !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_token_or_a_session_cookie_is_a_signed_in_request() {
        let mut headers = HeaderMap::new();
        assert!(!carries_credentials(&headers));
        headers.insert(header::COOKIE, HeaderValue::from_static("vd_visitor=abc; vd_lang=en"));
        assert!(!carries_credentials(&headers), "a visitor is not signed in");
        headers.insert(header::COOKIE, HeaderValue::from_static("vd_lang=en; vd_session=xyz"));
        assert!(carries_credentials(&headers));
        headers.insert(header::COOKIE, HeaderValue::from_static("vd_session="));
        assert!(!carries_credentials(&headers), "a removed session cookie");
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        assert!(carries_credentials(&bearer));
    }
}
