//! Accounts: sellers' members and customers, their credentials, tokens and web
//! sessions, the server's own secrets.

use jiff::Timestamp;
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::audit::AuditEntry;
use vocdesk_domain::ids::{SellerId, UserId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::role::TokenScope;

use crate::audit::{about, entry, write_audit};
use crate::db::{Db, query};
use crate::rows::{self, UserRow, millis};
use crate::{Acting, NewToken, StoreError, StoreResult, TokenGrant, TokenKind};

pub(crate) async fn has_users(db: &mut dyn Db) -> StoreResult<bool> {
    let row: Option<(String,)> = query("SELECT id FROM users LIMIT 1").fetch_optional(db).await?;
    Ok(row.is_some())
}

pub(crate) async fn secret(db: &mut dyn Db, name: &str, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>> {
    query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate)
    .bind(millis(now))
    .execute(db)
    .await?;
    let (value,): (Vec<u8>,) =
        query("SELECT value FROM server_secrets WHERE name = $1").bind(name).fetch_one(db).await?;
    Ok(value)
}

pub(crate) async fn create_seller(
    db: &mut dyn Db,
    name: &str,
    support_email: &str,
    audit: &AuditEntry,
    now: Timestamp,
) -> StoreResult<Seller> {
    let id = SellerId::generate();
    query("INSERT INTO sellers (id, name, support_email, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id.0)
        .bind(name)
        .bind(support_email)
        .bind(millis(now))
        .execute(db)
        .await?;
    write_audit(db, &about(audit, "seller", &id.0), now).await?;
    Ok(Seller { id, name: name.to_owned(), support_email: support_email.to_owned() })
}

pub(crate) async fn create_user(
    db: &mut dyn Db,
    user: &NewUser,
    password_hash: &str,
    audit: &AuditEntry,
    now: Timestamp,
) -> StoreResult<User> {
    let id = UserId::generate();
    query(
        "INSERT INTO users (id, email, password_hash, display_name, role, seller_id, customer_no, \
         locale, mail_locale, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
    )
    .bind(&id.0)
    .bind(&user.email)
    .bind(password_hash)
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(user.seller_id.as_ref().map(|s| s.0.clone()))
    .bind(user.customer_no.clone())
    .bind(user.locale.tag())
    .bind(millis(now))
    .execute(db)
    .await?;
    write_audit(db, &about(audit, "user", &id.0), now).await?;
    Ok(User {
        id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        seller_id: user.seller_id.clone(),
        customer_no: user.customer_no.clone(),
        locale: user.locale,
        mail_locale: user.locale,
        created_at: rows::timestamp(millis(now))?,
    })
}

pub(crate) async fn user(db: &mut dyn Db, id: &UserId) -> StoreResult<Option<User>> {
    let row: Option<UserRow> =
        query(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1")).bind(&id.0).fetch_optional(db).await?;
    row.map(User::try_from).transpose()
}

pub(crate) async fn credentials(db: &mut dyn Db, email: &str) -> StoreResult<Option<(User, String)>> {
    let row: Option<UserRow> = query(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let user = User::try_from(row)?;
    let (hash,): (String,) =
        query("SELECT password_hash FROM users WHERE id = $1").bind(&user.id.0).fetch_one(db).await?;
    Ok(Some((user, hash)))
}

pub(crate) async fn customer_by_number(db: &mut dyn Db, customer_no: &str) -> StoreResult<Option<User>> {
    let row: Option<UserRow> =
        query(concat!("SELECT ", user_columns!(), " FROM users WHERE customer_no = $1 AND role = 'customer'"))
            .bind(customer_no)
            .fetch_optional(db)
            .await?;
    row.map(User::try_from).transpose()
}

pub(crate) async fn insert_token(db: &mut dyn Db, token: &NewToken, audit: &AuditEntry) -> StoreResult<()> {
    query(
        "INSERT INTO tokens (id, token_hash, user_id, kind, scope, label, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&token.id.0)
    .bind(&token.token_hash)
    .bind(&token.user_id.0)
    .bind(token.kind.as_str())
    .bind(token.scope.as_str())
    .bind(&token.label)
    .bind(millis(token.created_at))
    .bind(millis(token.expires_at))
    .execute(db)
    .await?;
    write_audit(db, &about(audit, "token", &token.id.0), token.created_at).await?;
    Ok(())
}

pub(crate) async fn token(
    db: &mut dyn Db,
    token_hash: &str,
    kind: TokenKind,
    now: Timestamp,
) -> StoreResult<Option<TokenGrant>> {
    let row: Option<(String, String, String)> = query(
        "SELECT id, scope, user_id FROM tokens \
         WHERE token_hash = $1 AND kind = $2 AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(kind.as_str())
    .bind(millis(now))
    .fetch_optional(db)
    .await?;
    let Some((token_id, scope, user_id)) = row else { return Ok(None) };
    let scope = TokenScope::parse(&scope).ok_or_else(|| StoreError::Corrupt(format!("scope {scope:?}")))?;
    let user = crate::accounts::user(db, &UserId(user_id)).await?.ok_or(StoreError::NotFound)?;
    Ok(Some(TokenGrant { token_id: vocdesk_domain::ids::TokenId(token_id), scope, user }))
}

pub(crate) async fn revoke_token(
    db: &mut dyn Db,
    token_hash: &str,
    audit: &AuditEntry,
    now: Timestamp,
) -> StoreResult<bool> {
    let revoked: Option<(String,)> =
        query("UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id")
            .bind(millis(now))
            .bind(token_hash)
            .fetch_optional(db)
            .await?;
    let Some((id,)) = revoked else { return Ok(false) };
    write_audit(db, &about(audit, "token", &id), now).await?;
    Ok(true)
}

pub(crate) async fn set_user_locale(
    db: &mut dyn Db,
    user: &UserId,
    locale: Locale,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let changed = query("UPDATE users SET locale = $1 WHERE id = $2 AND locale <> $1")
        .bind(locale.tag())
        .bind(&user.0)
        .execute(db)
        .await?;
    if changed > 0 {
        let detail = serde_json::json!({ "locale": locale.tag() });
        write_audit(db, &entry(acting, "user.locale_changed", "user", &user.0, detail), now).await?;
    }
    Ok(())
}

/// R3: the language of a user's notification mail, apart from their pages'; audited
/// when it changes.
pub(crate) async fn set_mail_locale(
    db: &mut dyn Db,
    user: &UserId,
    locale: Locale,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let changed = query("UPDATE users SET mail_locale = $1 WHERE id = $2 AND mail_locale <> $1")
        .bind(locale.tag())
        .bind(&user.0)
        .execute(db)
        .await?;
    if changed > 0 {
        let detail = serde_json::json!({ "mail_locale": locale.tag() });
        write_audit(db, &entry(acting, "user.mail_locale_changed", "user", &user.0, detail), now).await?;
    }
    Ok(())
}

pub(crate) async fn developers_of_seller(db: &mut dyn Db, seller: &SellerId) -> StoreResult<Vec<User>> {
    let rows: Vec<UserRow> = query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE seller_id = $1 AND role = 'developer' ORDER BY created_at, id"
    ))
    .bind(&seller.0)
    .fetch_all(db)
    .await?;
    rows::convert(rows)
}
