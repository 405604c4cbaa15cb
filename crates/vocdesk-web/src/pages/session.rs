//! Browser identity: a signed visitor cookie that CSRF tokens are bound to, and the
//! signed session cookie that carries a web token after sign-in.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, Key, SameSite, SignedCookieJar};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::state::{AppState, random_bytes};

/// Names the browser; signed, so it cannot be chosen by an attacker.
pub const VISITOR_COOKIE: &str = "vd_visitor";
/// Carries the web session token; signed and HttpOnly.
pub const SESSION_COOKIE: &str = "vd_session";

/// The visitor id of this request, put into its extensions by [`ensure_visitor`].
#[derive(Clone, Debug)]
pub struct Visitor(pub String);

/// Middleware: gives every browser a signed visitor id on its first request, so forms
/// (sign-in included) can carry a CSRF token bound to it.
pub async fn ensure_visitor(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !super::is_page_path(request.uri().path()) {
        return next.run(request).await;
    }
    let key = Key::from_ref_state(&state);
    let jar = SignedCookieJar::from_headers(request.headers(), key);
    if let Some(cookie) = jar.get(VISITOR_COOKIE) {
        request.extensions_mut().insert(Visitor(cookie.value().to_owned()));
        return next.run(request).await;
    }
    let id = new_visitor_id();
    request.extensions_mut().insert(Visitor(id.clone()));
    let response = next.run(request).await;
    (jar.add(visitor_cookie(id, state.config().secure_cookies)), response).into_response()
}

fn new_visitor_id() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<18>())
}

fn visitor_cookie(id: String, secure: bool) -> Cookie<'static> {
    base_cookie(VISITOR_COOKIE, id, secure).max_age(cookie::time::Duration::days(365)).build()
}

/// A visitor cookie with a new id, set at sign-in and sign-out: the CSRF tokens bound
/// to the old id (in a form rendered before, or seen by whoever shared the browser)
/// are refused from then on, and the next page carries a token for the new id.
pub fn new_visitor_cookie(secure: bool) -> Cookie<'static> {
    visitor_cookie(new_visitor_id(), secure)
}

/// A cookie with the attributes every vocdesk cookie has.
pub fn base_cookie(name: &'static str, value: String, secure: bool) -> cookie::CookieBuilder<'static> {
    Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(secure)
}

trait FromRefState {
    fn from_ref_state(state: &AppState) -> Self;
}

impl FromRefState for Key {
    fn from_ref_state(state: &AppState) -> Self {
        <Key as axum::extract::FromRef<AppState>>::from_ref(state)
    }
}

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 accepts keys of any length, so this is `None` only in theory.
fn mac(key: &[u8], visitor: &str) -> Option<HmacSha256> {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).ok()?;
    mac.update(b"csrf:");
    mac.update(visitor.as_bytes());
    Some(mac)
}

/// The CSRF token for a visitor: an HMAC of its id under the server's key.
pub fn csrf_token(key: &[u8], visitor: &str) -> String {
    mac(key, visitor).map(|m| URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())).unwrap_or_default()
}

/// Whether a submitted CSRF token belongs to this visitor (constant-time).
pub fn csrf_valid(key: &[u8], visitor: &str, token: &str) -> bool {
    match (URL_SAFE_NO_PAD.decode(token.trim()), mac(key, visitor)) {
        (Ok(bytes), Some(mac)) => mac.verify_slice(&bytes).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_the_visitor_and_key() {
        let token = csrf_token(b"key", "visitor-a");
        assert!(csrf_valid(b"key", "visitor-a", &token));
        assert!(!csrf_valid(b"key", "visitor-b", &token));
        assert!(!csrf_valid(b"other", "visitor-a", &token));
        assert!(!csrf_valid(b"key", "visitor-a", "garbage!"));
    }
}
