//! What every page knows about its request: the language (a signed-in user's own, a
//! visitor's from the cookie or the browser), who is signed in, the CSRF token for its
//! forms, and where the language switch should return to.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Key, SignedCookieJar};
use vocdesk_domain::account::User;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::policy::{Decision, Refusal};
use vocdesk_domain::role::{Actor, Role};
use vocdesk_store::TokenKind;

use super::error::PageError;
use super::session::{SESSION_COOKIE, Visitor, csrf_token, csrf_valid};
use crate::error::RESPONSE_LOCALE;
use crate::i18n::I18n;
use crate::locale::RequestLocale;
use crate::state::AppState;

/// The signed-in user of a page request.
#[derive(Clone, Debug)]
pub struct Session {
    /// The user.
    pub user: User,
    /// What they may do.
    pub actor: Actor,
    /// The session token's hash, for sign-out.
    pub token_hash: String,
}

/// Per-request page context, handed to every template.
#[derive(Clone, Debug)]
pub struct PageCtx {
    /// Messages in the request's language.
    pub i18n: I18n,
    /// Who is signed in.
    pub session: Option<Session>,
    /// The CSRF token for this page's forms.
    pub csrf: String,
    /// The visitor the token is bound to.
    visitor: String,
    /// This page's path and query, for "come back here" links.
    pub here: String,
}

impl PageCtx {
    /// A context for pages rendered outside a handler (error pages).
    pub fn bare(locale: Locale) -> Self {
        Self { i18n: I18n { locale }, session: None, csrf: String::new(), visitor: String::new(), here: "/".to_owned() }
    }

    /// Refuses a form whose CSRF token is not this visitor's.
    pub fn check_csrf(&self, state: &AppState, token: &str) -> Result<(), PageError> {
        if csrf_valid(state.csrf_key(), &self.visitor, token) { Ok(()) } else { Err(PageError::Csrf) }
    }

    /// The signed-in session, or a redirect to sign-in that comes back here.
    pub fn require_session(&self) -> Result<&Session, PageError> {
        self.session.as_ref().ok_or_else(|| PageError::SignInRequired { next: self.here.clone() })
    }

    /// The session, if the policy allows its actor; the one authorization call of a page.
    pub fn authorize(&self, decide: impl FnOnce(&Actor) -> Decision) -> Result<&Session, PageError> {
        let session = self.require_session()?;
        decide(&session.actor).map_err(|refusal| match refusal {
            Refusal::Forbidden => PageError::Forbidden,
            Refusal::ConsentRequired => PageError::ConsentRequired,
            Refusal::NotFound => PageError::NotFound,
        })?;
        Ok(session)
    }

    /// The banner of a page shown from the service worker's saved copy: it says when
    /// the server wrote the page, now (issue 13; hidden unless shown offline).
    pub fn saved_copy_banner(&self) -> String {
        self.i18n.with("pwa-saved-copy", &self.i18n.datetime(&jiff::Timestamp::now()))
    }

    /// Whether the signed-in user has this role, for navigation.
    pub fn is(&self, role: &str) -> bool {
        self.session.as_ref().is_some_and(|s| s.user.role.as_str() == role)
    }

    /// The signed-in user's display name, or nothing.
    pub fn user_name(&self) -> String {
        self.session.as_ref().map(|s| s.user.display_name.clone()).unwrap_or_default()
    }

    /// The header's links for this visitor's role, the page in view marked.
    pub fn nav(&self) -> Vec<super::nav::NavLink> {
        super::nav::links(self.session.as_ref().map(|s| s.user.role), &self.here, &self.i18n)
    }

    /// Whether the language is `tag`, to mark the current one in the switch.
    pub fn lang_is(&self, tag: &str) -> bool {
        self.i18n.lang() == tag
    }
}

/// The page a role lands on after sign-in.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Customer => "/my",
        Role::Developer => "/developer",
        Role::Operator => "/operator",
    }
}

/// Percent-encodes a path for use inside a query parameter.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Where a `next` parameter (sign-in, the language switch) may send the browser: a
/// path of this site exactly as given, nothing removed. It starts with one `/` and,
/// when it goes on, a path character: never `//`, `/\`, `/%` (an encoded `/` or `\`)
/// or a control, which browsers drop (`/<TAB>/evil.example` is followed to
/// `//evil.example`). It holds visible ASCII only (the pages' own paths are
/// percent-encoded), so it is always a header value, and no `\` or `://`. Anything
/// else is `None`, and the caller falls back to the role's home.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    let rest = next.strip_prefix('/')?;
    let starts_well =
        rest.bytes().next().is_none_or(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@?#".contains(&b));
    let clean = next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    (starts_well && clean && !next.contains("://")).then(|| next.to_owned())
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Built once per request by `page_context`; built here only outside it.
        if let Some(ctx) = parts.extensions.get::<PageCtx>() {
            return Ok(ctx.clone());
        }
        let locale = parts.extensions.get::<RequestLocale>().map(|l| l.0).unwrap_or_default();
        let visitor = parts.extensions.get::<Visitor>().map(|v| v.0.clone()).unwrap_or_default();
        let key = <Key as axum::extract::FromRef<AppState>>::from_ref(state);
        let jar = SignedCookieJar::from_headers(&parts.headers, key);
        let session = match jar.get(SESSION_COOKIE) {
            Some(cookie) => {
                let who = vocdesk_app::accounts::authenticate(state.app(), cookie.value(), TokenKind::Web).await?;
                who.map(|who| Session { actor: who.actor, user: who.user, token_hash: who.token_hash })
            }
            None => None,
        };
        // A signed-in user's pages follow the language kept on their account, whatever
        // this browser asks for or a cookie from an earlier visit says; visitors keep
        // the cookie or Accept-Language.
        let locale = session.as_ref().map_or(locale, |s| s.user.locale);
        let here = parts.uri.path_and_query().map(|pq| pq.as_str().to_owned()).unwrap_or_else(|| "/".to_owned());
        Ok(PageCtx { i18n: I18n { locale }, csrf: csrf_token(state.csrf_key(), &visitor), visitor, session, here })
    }
}

/// Middleware: builds the page context once per page request (one session look-up),
/// hands it to the handler, and renders any error page with it, so an error page still
/// shows who is signed in and the language switch.
pub async fn page_context(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !super::is_page_path(request.uri().path()) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let ctx = match PageCtx::from_request_parts(&mut parts, &state).await {
        Ok(ctx) => ctx,
        Err(error) => return error.into_response(),
    };
    parts.extensions.insert(ctx.clone());
    // The page's language (a signed-in user's own) for everything the response says.
    let locale = ctx.i18n.locale;
    parts.extensions.insert(RequestLocale(locale));
    let request = axum::extract::Request::from_parts(parts, body);
    let response = RESPONSE_LOCALE.scope(locale, next.run(request)).await;
    match response.extensions().get::<super::error::ErrorPageMarker>() {
        Some(marker) => super::error::render_error_page(ctx, marker.status, marker.message_key),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        for good in ["/", "/my?x=1", "/?cursor=abc", "/developer%3Fcursor", "/apps/a#my-review", "/signin?next=%2Fmy"] {
            assert_eq!(safe_next(Some(good)).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "\\evil",
            "evil",
            "",
            "/redirect?to=http://x",
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            "/\\/evil.example",
            " /my",
            "/my ",
            "\t/my",
            "/a\nb",
            "/%2f/evil.example",
            "/%5c/evil.example",
            "/%09/evil.example",
            "/앱",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(safe_next(None), None);
    }
}
