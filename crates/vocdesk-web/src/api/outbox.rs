//! R3: the outbox of queued notification mail, for operators to check until delivery
//! exists.

use axum::Json;
use axum::extract::State;
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;

use super::catalog::bad_page;
use super::dto::{ListDto, OutboxDto, OutboxParams};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ApiQuery;
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
    ApiQuery(params): ApiQuery<OutboxParams>,
) -> ApiResult<Json<ListDto<OutboxDto>>> {
    policy::read_outbox(&who.actor)?;
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
