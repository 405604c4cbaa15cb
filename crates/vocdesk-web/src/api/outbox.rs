//! R3/R16: the outbox of queued notification mail, for operators: what was sent, what
//! waits and why, and a retry of what failed.

use axum::Json;
use axum::extract::{Path, State};
use vocdesk_app::Caller;
use vocdesk_app::delivery;
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::OutboxId;
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;

use super::catalog::bad_page;
use super::dto::{ListDto, OutboxDto, OutboxParams};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::read_query;
use crate::state::AppState;

/// Queued mail, newest first, optionally of one delivery status.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox", security(("bearer" = [])), params(OutboxParams),
    responses(
        (status = 200, description = "A page of queued mail", body = ListDto<OutboxDto>),
        (status = 400, description = "Unknown status, bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<OutboxDto>>> {
    policy::read_outbox(&who.actor)?;
    let params: OutboxParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let status = match params.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(word) => Some(MailStatus::parse(word).ok_or_else(|| ApiError::BadRequest {
            code: "invalid_query",
            detail: "status: expected pending, sent or failed".to_owned(),
        })?),
    };
    let mails = state.store().outbox(status, &page).await?;
    Ok(Json(ListDto::from_page(&mails)))
}

/// R16: sends a mail that failed for good again (due now, with a new day of attempts).
/// Operators only, checked before anything is read; pending or sent mail: 409.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outbox mail id")),
    responses(
        (status = 200, description = "Pending again", body = OutboxDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The mail is pending or was sent (`mail_not_failed`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn retry(State(state): State<AppState>, who: ApiActor, Path(id): Path<String>) -> ApiResult<Json<OutboxDto>> {
    policy::retry_mail(&who.actor)?;
    let caller = Caller { user: &who.user, actor: &who.actor, channel: Channel::Api };
    let mail = delivery::retry(state.app(), caller, &OutboxId(id)).await?;
    Ok(Json(OutboxDto::from(&mail)))
}
