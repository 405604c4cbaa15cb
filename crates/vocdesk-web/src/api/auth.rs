//! Sign-in, sign-out, the current user, and payment-system tokens.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use vocdesk_app::Caller;
use vocdesk_app::accounts::{self, SignInAttempt, TokenSpec};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::role::TokenScope;
use vocdesk_domain::{FieldError, ValidationErrors, policy};
use vocdesk_store::TokenKind;

use super::dto::{LoginRequest, LoginResponse, MeUpdate, TokenRequest, TokenResponse, UserDto};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, read_json};
use crate::state::AppState;
use crate::throttle::PeerAddress;

/// Exchanges email and password for a bearer token. A wrong email and a wrong password
/// answer alike. Attempts spend from the client address's and the account's budgets,
/// shared with the sign-in page (item 19): past them, 429 with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-in attempts from this address or for this account; `Retry-After` says when to try again",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn login(
    State(state): State<AppState>,
    PeerAddress(client): PeerAddress,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let attempt = SignInAttempt { client, email: &body.email, password: &body.password };
    let user = accounts::sign_in(state.app(), attempt).await?.ok_or(ApiError::InvalidCredentials)?;
    let spec = TokenSpec {
        kind: TokenKind::Api,
        scope: TokenScope::Full,
        label: "api sign-in",
        ttl: state.config().api_token_ttl,
    };
    let issued = accounts::issue_token(state.app(), &user, spec, Channel::Api).await?;
    Ok(Json(LoginResponse {
        token: issued.secret,
        token_type: "Bearer".to_owned(),
        expires_at: issued.expires_at,
        user: UserDto::from(&user),
    }))
}

/// Revokes the token this request carries.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "Token revoked"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A payment-system token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn logout(State(state): State<AppState>, who: ApiActor) -> ApiResult<StatusCode> {
    accounts::sign_out(state.app(), caller(&who), &who.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user and role.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = UserDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A payment-system token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(who: ApiActor) -> ApiResult<Json<UserDto>> {
    policy::use_account(&who.actor)?;
    Ok(Json(UserDto::from(&who.user)))
}

/// Changes the signed-in user's languages: `locale` for the pages, `mail_locale` for
/// notification mail (R3), each audited when it changes; answers the user as now kept.
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), request_body = MeUpdate,
    responses(
        (status = 200, description = "The user, as now kept", body = UserDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A payment-system token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A language other than `ko` or `en`, or an unknown field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_me(State(state): State<AppState>, who: ApiActor, request: Request) -> ApiResult<Json<UserDto>> {
    policy::use_account(&who.actor)?;
    let body: MeUpdate = read_json(request).await?;
    let mut errors = ValidationErrors::default();
    let mut language = |field: &str, value: Option<String>| {
        let value = value?;
        let locale = Locale::ALL.into_iter().find(|l| l.tag() == value.trim());
        if locale.is_none() {
            errors.push(FieldError::new(field, "unknown_locale", "ko or en"));
        }
        locale
    };
    let (locale, mail_locale) = (language("locale", body.locale), language("mail_locale", body.mail_locale));
    errors.finish(|| Some(()))?;
    if let Some(locale) = mail_locale {
        accounts::set_mail_locale(state.app(), caller(&who), locale).await?;
    }
    if let Some(locale) = locale {
        accounts::set_locale(state.app(), caller(&who), locale).await?;
    }
    let user = state.store().user(&who.user.id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(UserDto::from(&user)))
}

/// Issues a token that may only record purchases, for the payment system's export job.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", security(("bearer" = [])), request_body = TokenRequest,
    responses(
        (status = 201, description = "Issued; the secret is shown only now", body = TokenResponse),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid label", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn issue_payment_system_token(
    State(state): State<AppState>,
    who: ApiActor,
    request: Request,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    policy::issue_payment_system_token(&who.actor)?;
    let body: TokenRequest = read_json(request).await?;
    let ttl = state.config().payment_token_ttl;
    let issued = accounts::issue_payment_system_token(state.app(), caller(&who), &body.label, ttl).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            id: issued.id.0,
            token: issued.secret,
            scope: TokenScope::PaymentSystem.as_str().to_owned(),
            expires_at: issued.expires_at,
        }),
    ))
}

fn caller(who: &ApiActor) -> Caller<'_> {
    Caller { user: &who.user, actor: &who.actor, channel: Channel::Api }
}
