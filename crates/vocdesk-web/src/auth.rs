//! Who is asking. API requests carry `Authorization: Bearer <token>`; pages carry a
//! signed session cookie. Either way the secret is looked up by its SHA-256, so a leaked
//! database does not leak usable tokens, and a revoked or expired token stops working
//! at once.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, AuditEntry};
use vocdesk_domain::ids::TokenId;
use vocdesk_domain::role::Actor;
use vocdesk_store::{TokenGrant, TokenKind};

use crate::error::ApiError;
use crate::state::{AppState, random_bytes};

/// A new secret for a token or session: 256 random bits, prefixed so that a leaked
/// token is recognisable by secret scanners.
pub fn new_secret() -> String {
    format!("vdk_{}", URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
}

/// The stored form of a secret.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The actor behind a grant.
pub fn actor_of(grant: &TokenGrant) -> Actor {
    Actor {
        user_id: grant.user.id.clone(),
        role: grant.user.role,
        seller_id: grant.user.seller_id.clone(),
        scope: grant.scope,
    }
}

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
        let token_hash = secret_hash(secret.trim());
        let grant =
            state.store().token(&token_hash, TokenKind::Api, state.now()).await?.ok_or(ApiError::Unauthenticated)?;
        Ok(ApiActor { actor: actor_of(&grant), token_id: grant.token_id, user: grant.user, token_hash })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_hash_to_hex() {
        let a = new_secret();
        assert_ne!(a, new_secret());
        assert!(a.starts_with("vdk_") && a.len() > 40);
        assert_eq!(secret_hash("x").len(), 64);
    }
}

/// A freshly issued token: the secret to hand out once, and when it expires.
#[derive(Debug)]
pub struct Issued {
    /// The token's id.
    pub id: TokenId,
    /// The secret.
    pub secret: String,
    /// Expiry.
    pub expires_at: jiff::Timestamp,
}

/// Issues a token for `user` and records it in the audit log (R14) in the same unit of
/// work: API sign-in, web sign-in and payment-system tokens all come from here.
pub async fn issue(
    state: &AppState,
    user: &User,
    kind: TokenKind,
    scope: vocdesk_domain::role::TokenScope,
    label: &str,
    ttl: jiff::SignedDuration,
    channel: vocdesk_domain::audit::Channel,
) -> Result<Issued, ApiError> {
    let now = state.now();
    let secret = new_secret();
    let expires_at = now.checked_add(ttl).map_err(ApiError::internal)?;
    let token = vocdesk_store::NewToken {
        id: TokenId::generate(),
        token_hash: secret_hash(&secret),
        user_id: user.id.clone(),
        kind,
        scope,
        label: label.to_owned(),
        created_at: now,
        expires_at,
    };
    let detail = serde_json::json!({ "kind": kind.as_str(), "scope": scope.as_str(), "label": label });
    let audit = AuditEntry::new(
        AuditActor::user(user.id.clone(), user.role),
        channel,
        "token.issued",
        "token",
        detail.to_string(),
    )
    .about(&token.id.0);
    state.store().insert_token(&token, &audit).await?;
    Ok(Issued { id: token.id, secret, expires_at })
}

/// Checks an email and password. Unknown emails are verified against a decoy hash so
/// both failures take the same time and look the same: `None`.
pub async fn check_credentials(state: &AppState, email: &str, password: &str) -> Result<Option<User>, ApiError> {
    let Ok(email) = vocdesk_domain::account::normalize_email(email) else {
        return Ok(None);
    };
    let found = state.store().credentials(&email).await?;
    let (user, stored) = match found {
        Some((user, stored)) => (Some(user), stored),
        None => (None, crate::password::DECOY_HASH.clone()),
    };
    let matches = crate::password::verify_blocking(password.to_owned(), stored).await;
    Ok(user.filter(|_| matches))
}

/// Revokes the token with this hash, recording who signed out (R14).
pub async fn revoke(
    state: &AppState,
    user: &User,
    token_hash: &str,
    channel: vocdesk_domain::audit::Channel,
) -> Result<bool, ApiError> {
    let audit = AuditEntry::new(
        AuditActor::user(user.id.clone(), user.role),
        channel,
        "token.revoked",
        "token",
        "{}".to_owned(),
    );
    Ok(state.store().revoke_token(token_hash, &audit, state.now()).await?)
}
