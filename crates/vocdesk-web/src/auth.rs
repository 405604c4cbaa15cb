//! Who is asking. API requests carry `Authorization: Bearer <token>`; pages carry a
//! signed session cookie ([`crate::pages`]). Either way the secret is looked up by
//! [`vocdesk_app::accounts::authenticate`], by its SHA-256, so a revoked or expired
//! token stops working at once.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use vocdesk_app::accounts;
use vocdesk_domain::account::User;
use vocdesk_domain::ids::TokenId;
use vocdesk_domain::role::Actor;
use vocdesk_store::TokenKind;

use crate::error::ApiError;
use crate::state::AppState;

/// An API request's authenticated user; extracting it answers 401 when the bearer
/// token is missing, malformed, unknown, expired or revoked.
#[derive(Clone, Debug)]
pub struct ApiActor {
    /// What the actor may do.
    pub actor: Actor,
    /// The user.
    pub user: User,
    /// The token used, so sign-out can revoke exactly it.
    pub token_id: TokenId,
    /// Its hash.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header =
            parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or(ApiError::Unauthenticated)?;
        let (scheme, secret) = header.split_once(' ').ok_or(ApiError::Unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") || secret.trim().is_empty() {
            return Err(ApiError::Unauthenticated);
        }
        let who = accounts::authenticate(state.app(), secret.trim(), TokenKind::Api)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        Ok(ApiActor { actor: who.actor, user: who.user, token_id: who.token_id, token_hash: who.token_hash })
    }
}
