//! Signing in and out, and the tokens behind it. A token's secret is handed out once
//! and stored only as its SHA-256, so a leaked database does not leak usable tokens;
//! a revoked or expired token stops working at once. API sign-in, web sessions and
//! payment-system tokens are all tokens; the doors differ only in how the secret
//! travels (a bearer header, a signed cookie), which is theirs to handle.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use vocdesk_domain::account::{User, normalize_email};
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::ids::TokenId;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::role::{Actor, TokenScope};
use vocdesk_domain::throttle::{BudgetKey, Charge};
use vocdesk_domain::{policy, text};
use vocdesk_store::{NewToken, TokenGrant, TokenKind};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::password;

/// A new secret for a token or session: 256 random bits, prefixed so that a leaked
/// token is recognisable by secret scanners.
pub fn new_secret() -> String {
    format!("vdk_{}", URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()))
}

/// The stored form of a secret.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who a valid secret belongs to.
#[derive(Clone, Debug)]
pub struct Authenticated {
    /// What the holder may do.
    pub actor: Actor,
    /// The user.
    pub user: User,
    /// The token, so sign-out can revoke exactly it.
    pub token_id: TokenId,
    /// Its stored hash.
    pub token_hash: String,
}

/// The holder of `secret` as a token of `kind`; `None` when it is unknown, expired or
/// revoked (which of these is never said).
pub async fn authenticate(app: &App, secret: &str, kind: TokenKind) -> AppResult<Option<Authenticated>> {
    let token_hash = secret_hash(secret);
    let grant = app.store().token(&token_hash, kind, app.now()).await?;
    Ok(grant.map(|grant| Authenticated {
        actor: actor_of(&grant),
        token_id: grant.token_id,
        user: grant.user,
        token_hash,
    }))
}

fn actor_of(grant: &TokenGrant) -> Actor {
    Actor {
        user_id: grant.user.id.clone(),
        role: grant.user.role,
        seller_id: grant.user.seller_id.clone(),
        scope: grant.scope,
    }
}

/// One sign-in attempt, as either door received it.
#[derive(Clone, Copy, Debug)]
pub struct SignInAttempt<'a> {
    /// The address the request came from (the connection's peer, never a header a
    /// client can set).
    pub client: IpAddr,
    /// The email as typed.
    pub email: &'a str,
    /// The password as typed.
    pub password: &'a str,
}

/// Item 19: signs in with an email and password, for the API and the pages alike.
/// First the attempt spends from the client address's budget and the account's (the
/// email as typed, whether or not such an account exists, so the answer says nothing
/// about that), in the store, so every door and process shares them; a refused attempt
/// is [`AppError::TooManyAttempts`] and checks no password, since hashing is the slow
/// part a guesser would make us pay for. Then the password is checked: `None` when the
/// email or the password is wrong (which of them is never said).
pub async fn sign_in(app: &App, attempt: SignInAttempt<'_>) -> AppResult<Option<User>> {
    let budgets = app.config().sign_in_budgets;
    let charges = [
        Charge { key: BudgetKey::sign_in_address(attempt.client), budget: budgets.per_address },
        Charge { key: BudgetKey::sign_in_account(attempt.email), budget: budgets.per_account },
    ];
    let admission = app.store().spend_budgets(&charges, app.now()).await?;
    if let Some(retry_after_secs) = admission.retry_after_secs() {
        return Err(AppError::TooManyAttempts { retry_after_secs });
    }
    check_credentials(app, attempt.email, attempt.password).await
}

/// Checks an email and password. Unknown emails are verified against a decoy hash so
/// both failures take the same time and look the same: `None`. Only [`sign_in`] calls
/// it, after the budgets.
async fn check_credentials(app: &App, email: &str, password: &str) -> AppResult<Option<User>> {
    let Ok(email) = normalize_email(email) else {
        return Ok(None);
    };
    let found = app.store().credentials(&email).await?;
    let (user, stored) = match found {
        Some((user, stored)) => (Some(user), stored),
        None => (None, password::DECOY_HASH.clone()),
    };
    let matches = password::verify_blocking(password.to_owned(), stored).await;
    Ok(user.filter(|_| matches))
}

/// What kind of token to issue, and for how long.
#[derive(Clone, Copy, Debug)]
pub struct TokenSpec<'a> {
    /// A bearer token or a web session.
    pub kind: TokenKind,
    /// Everything the account may do, or only recording purchases.
    pub scope: TokenScope,
    /// What it is for, as the audit log and the holder see it.
    pub label: &'a str,
    /// How long it lasts.
    pub ttl: SignedDuration,
}

/// A freshly issued token: the secret to hand out once, and when it expires.
#[derive(Debug)]
pub struct Issued {
    /// The token's id.
    pub id: TokenId,
    /// The secret.
    pub secret: String,
    /// Expiry.
    pub expires_at: Timestamp,
}

/// Issues a token for `user` and records it in the audit log (R14) in the same unit of
/// work: API sign-in, web sign-in and payment-system tokens all come from here.
pub async fn issue_token(app: &App, user: &User, spec: TokenSpec<'_>, channel: Channel) -> AppResult<Issued> {
    let now = app.now();
    let secret = new_secret();
    let expires_at = now.checked_add(spec.ttl).map_err(AppError::internal)?;
    let token = NewToken {
        id: TokenId::generate(),
        token_hash: secret_hash(&secret),
        user_id: user.id.clone(),
        kind: spec.kind,
        scope: spec.scope,
        label: spec.label.to_owned(),
        created_at: now,
        expires_at,
    };
    let detail = serde_json::json!({ "kind": spec.kind.as_str(), "scope": spec.scope.as_str(), "label": spec.label });
    let audit = AuditEntry::new(
        AuditActor::user(user.id.clone(), user.role),
        channel,
        "token.issued",
        "token",
        detail.to_string(),
    )
    .about(&token.id.0);
    app.store().insert_token(&token, &audit).await?;
    Ok(Issued { id: token.id, secret, expires_at })
}

/// Issues a token that may only record purchases, for the payment system's export job;
/// operators only, with a label saying which job holds it.
pub async fn issue_payment_system_token(
    app: &App,
    caller: Caller<'_>,
    label: &str,
    ttl: SignedDuration,
) -> AppResult<Issued> {
    policy::issue_payment_system_token(caller.actor)?;
    let label = text::required_line("label", label, 100)?;
    let spec = TokenSpec { kind: TokenKind::Api, scope: TokenScope::PaymentSystem, label: &label, ttl };
    issue_token(app, caller.user, spec, caller.channel).await
}

/// Revokes the token with this hash, recording who signed out (R14). Answers whether a
/// token was revoked now.
pub async fn revoke_token(app: &App, user: &User, token_hash: &str, channel: Channel) -> AppResult<bool> {
    let audit = AuditEntry::new(
        AuditActor::user(user.id.clone(), user.role),
        channel,
        "token.revoked",
        "token",
        "{}".to_owned(),
    );
    Ok(app.store().revoke_token(token_hash, &audit, app.now()).await?)
}

/// Signs out of the API: a payment-system token may only record purchases, and
/// signing out is account use.
pub async fn sign_out(app: &App, caller: Caller<'_>, token_hash: &str) -> AppResult<bool> {
    policy::use_account(caller.actor)?;
    revoke_token(app, caller.user, token_hash, caller.channel).await
}

/// The language a signed-in user's pages are shown in, kept so that every browser they
/// sign in from shows it; audited. Their mail keeps its own language
/// ([`set_mail_locale`]).
pub async fn set_locale(app: &App, caller: Caller<'_>, locale: Locale) -> AppResult<()> {
    policy::use_account(caller.actor)?;
    if caller.user.locale == locale {
        return Ok(());
    }
    app.store().set_user_locale(&caller.user.id, locale, &caller.acting(), app.now()).await?;
    Ok(())
}

/// R3: the language a user's notification mail is written in, changed only when they
/// ask for it (the settings form, `PATCH /api/v1/me`); audited.
pub async fn set_mail_locale(app: &App, caller: Caller<'_>, locale: Locale) -> AppResult<()> {
    policy::use_account(caller.actor)?;
    if caller.user.mail_locale == locale {
        return Ok(());
    }
    app.store().set_mail_locale(&caller.user.id, locale, &caller.acting(), app.now()).await?;
    Ok(())
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
