//! R15/R16 over the JSON API: the operators' queue of received mail (what waits, and
//! everything received), one mail and its original bytes, releasing a held mail into
//! its thread or discarding it, and the addresses that bounced. Every handler asks
//! [`policy::work_inbound_mail`] before it reads a query or a body, so that a refused
//! request is answered the same whatever it carries, and then calls the use cases in
//! [`vocdesk_app::inbound`]. Mail is anyone's words to anyone: every answer that holds
//! some is sent `Cache-Control: no-store`.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use vocdesk_app::Caller;
use vocdesk_app::inbound;
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::InboundId;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::{FieldError, ValidationErrors, policy};

use super::catalog::bad_page;
use super::dto::{
    BouncingAddressDto, ClearBouncingRequest, InboundDecisionRequest, InboundListParams, InboundMailDto, ListDto,
    ReleasedDto,
};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{read_json, read_json_or_default, read_query};
use crate::state::AppState;

/// What every answer carrying mail content says to caches: keep nothing.
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

fn caller(who: &ApiActor) -> Caller<'_> {
    Caller { user: &who.user, actor: &who.actor, channel: Channel::Api }
}

/// A JSON answer that no cache keeps.
fn no_store<T: serde::Serialize>(status: StatusCode, body: T) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, NO_STORE);
    response
}

/// R15: received mail. `status=waiting` (the default): what waits for an operator,
/// the longest waiting first; `status=all`: everything received, newest first, with
/// what became of it. Operators only, checked before the query is read.
#[utoipa::path(get, path = "/api/v1/inbound", tag = "inbound", security(("bearer" = [])), params(InboundListParams),
    responses(
        (status = 200, description = "A page of received mail (`Cache-Control: no-store`)", body = ListDto<InboundMailDto>),
        (status = 400, description = "Unknown status, bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(State(state): State<AppState>, who: ApiActor, uri: axum::http::Uri) -> ApiResult<Response> {
    policy::work_inbound_mail(&who.actor)?;
    let params: InboundListParams = read_query(&uri)?;
    let waiting = match params.status.as_deref().map(str::trim) {
        None | Some("") | Some("waiting") => true,
        Some("all") => false,
        Some(_) => {
            return Err(ApiError::BadRequest {
                code: "invalid_query",
                detail: "status: expected waiting or all".to_owned(),
            });
        }
    };
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let found = inbound::list(state.app(), &who.actor, waiting, &page).await?;
    Ok(no_store(StatusCode::OK, ListDto::<InboundMailDto>::from_page(&found)))
}

/// R15: one received mail, without its bytes. Operators only.
#[utoipa::path(get, path = "/api/v1/inbound/{id}", tag = "inbound", security(("bearer" = [])),
    params(("id" = String, Path, description = "Received mail id")),
    responses(
        (status = 200, description = "The mail (`Cache-Control: no-store`)", body = InboundMailDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn one(State(state): State<AppState>, who: ApiActor, Path(id): Path<String>) -> ApiResult<Response> {
    policy::work_inbound_mail(&who.actor)?;
    let mail = inbound::one(state.app(), &who.actor, &InboundId(id)).await?;
    Ok(no_store(StatusCode::OK, InboundMailDto::from(&mail)))
}

/// R15: the original of a received mail, byte for byte as it arrived, as a download
/// (`message/rfc822`, `<id>.eml`). Operators only; never cached.
#[utoipa::path(get, path = "/api/v1/inbound/{id}/raw", tag = "inbound", security(("bearer" = [])),
    params(("id" = String, Path, description = "Received mail id")),
    responses(
        (status = 200, description = "The original (`Cache-Control: no-store`, `Content-Disposition: attachment; filename=\"<id>.eml\"`)", content_type = "message/rfc822", body = Vec<u8>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn raw(State(state): State<AppState>, who: ApiActor, Path(id): Path<String>) -> ApiResult<Response> {
    policy::work_inbound_mail(&who.actor)?;
    let id = InboundId(id);
    let bytes = inbound::raw(state.app(), &who.actor, &id).await?;
    Ok(eml_download(&id, bytes))
}

/// The original bytes of a received mail as a download no cache keeps, sandboxed and
/// never sniffed: the API's `raw` and the console's link answer with it.
pub fn eml_download(id: &InboundId, bytes: Vec<u8>) -> Response {
    let filename: String =
        id.0.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(64).collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}.eml\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"mail.eml\""));
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("message/rfc822"));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::CACHE_CONTROL, NO_STORE);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    response
}

/// R15: an operator puts a held mail into the thread its reply address names, as the
/// message of the person the address was issued to (the operator vouches for the
/// sender), or opens the inquiry a support mail asks for; the other side is notified.
/// Operators only, checked before the body is read. A mail decided already, or one
/// that still cannot join (its thread closed to a developer, its text refused): 409.
#[utoipa::path(post, path = "/api/v1/inbound/{id}/release", tag = "inbound", security(("bearer" = [])),
    params(("id" = String, Path, description = "Received mail id")),
    request_body(content = Option<InboundDecisionRequest>, description = "Empty, or `{}`"),
    responses(
        (status = 200, description = "Released: the mail and its thread (`Cache-Control: no-store`)", body = ReleasedDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`mail_not_releasable`: decided already, unreadable, naming no thread, or refused again (the detail says why)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn release(
    State(state): State<AppState>,
    who: ApiActor,
    Path(id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    policy::work_inbound_mail(&who.actor)?;
    let InboundDecisionRequest {} = read_json_or_default(request).await?;
    let (mail, inquiry) = inbound::release(state.app(), caller(&who), &InboundId(id)).await?;
    Ok(no_store(StatusCode::OK, ReleasedDto { mail: InboundMailDto::from(&mail), inquiry_id: inquiry.0 }))
}

/// R15: an operator decides a waiting mail is nothing: it is kept (its original stays
/// readable), never shown in a thread, and audited. Operators only, checked before the
/// body is read; a mail decided already: 409.
#[utoipa::path(post, path = "/api/v1/inbound/{id}/discard", tag = "inbound", security(("bearer" = [])),
    params(("id" = String, Path, description = "Received mail id")),
    request_body(content = Option<InboundDecisionRequest>, description = "Empty, or `{}`"),
    responses(
        (status = 200, description = "Discarded (`Cache-Control: no-store`)", body = InboundMailDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`mail_not_releasable`: decided already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn discard(
    State(state): State<AppState>,
    who: ApiActor,
    Path(id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    policy::work_inbound_mail(&who.actor)?;
    let InboundDecisionRequest {} = read_json_or_default(request).await?;
    let mail = inbound::discard(state.app(), caller(&who), &InboundId(id)).await?;
    Ok(no_store(StatusCode::OK, InboundMailDto::from(&mail)))
}

/// R16: the addresses no mail goes to, because they bounced permanently, the most
/// recent first. One page (`next_cursor` is always `null`). Operators only.
#[utoipa::path(get, path = "/api/v1/bouncing-addresses", tag = "inbound", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every bouncing address (`Cache-Control: no-store`)", body = ListDto<BouncingAddressDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn bouncing(State(state): State<AppState>, who: ApiActor) -> ApiResult<Response> {
    policy::work_inbound_mail(&who.actor)?;
    let addresses = inbound::bouncing(state.app(), &who.actor).await?;
    let list = ListDto { items: addresses.iter().map(BouncingAddressDto::from).collect(), next_cursor: None };
    Ok(no_store(StatusCode::OK, list))
}

/// R16: an operator clears a bouncing address (the person fixed their mailbox), so
/// that mail goes to it again; audited. Mail that failed meanwhile is retried by hand
/// (`POST /api/v1/outbox/{id}/retry`). Operators only, checked before the body is read.
#[utoipa::path(post, path = "/api/v1/bouncing-addresses/clear", tag = "inbound", security(("bearer" = [])),
    request_body = ClearBouncingRequest,
    responses(
        (status = 204, description = "Cleared: mail goes to the address again"),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The address is not bouncing", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or empty `email`, unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn clear_bouncing(State(state): State<AppState>, who: ApiActor, request: Request) -> ApiResult<StatusCode> {
    policy::work_inbound_mail(&who.actor)?;
    let body: ClearBouncingRequest = read_json(request).await?;
    let email = body.email.trim();
    if email.is_empty() {
        return Err(ApiError::Validation(ValidationErrors(vec![FieldError::new("email", "required", "an address")])));
    }
    inbound::clear_bouncing(state.app(), caller(&who), email).await?;
    Ok(StatusCode::NO_CONTENT)
}
