//! Reports and moderation (R12) over the JSON API: customers and developers report,
//! operators work the queue, hide and unhide with a reason, or dismiss the reports.
//! Each route authorizes before it reads the body.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use vocdesk_domain::ids::ReviewId;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::review::ReportTarget;

use super::catalog::bad_page;
use super::dto::{
    DismissRequest, ListDto, ModerationRequest, PageParams, ReportDto, ReportRequest, ReportedItemDto, ReviewDto,
};
use super::reviews::caller;
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{read_json, read_json_or_default, read_query};
use crate::state::AppState;
use vocdesk_app::moderation;

/// R12: reports a review (customers and the app's developers) or its reply
/// (`"target": "reply"`, customers). One open report per reporter and item.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reports", tag = "moderation", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Reported", body = ReportDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An operator, or a developer reporting a reply", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such (shown) review, or another seller's to a developer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_reported`, or `no_reply` to report", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown reason or target, note too long", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    let permit = moderation::permit_report(state.app(), &who.actor, &ReviewId(review_id)).await?;
    let body: ReportRequest = read_json(request).await?;
    let filed =
        moderation::report(state.app(), caller(&who), &permit, &body.target, &body.reason, body.note.as_deref())
            .await?;
    Ok((StatusCode::CREATED, Json(ReportDto::from(&filed))).into_response())
}

/// R12: the moderation queue: reported items, the longest waiting first, each with its
/// open report count and reasons. Operators only.
#[utoipa::path(get, path = "/api/v1/moderation/reports", tag = "moderation", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "A page of reported items", body = ListDto<ReportedItemDto>),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<ReportedItemDto>>> {
    vocdesk_domain::policy::moderate(&who.actor)?;
    let params: PageParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let found = moderation::queue(state.app(), &who.actor, &page).await?;
    Ok(Json(ListDto::from_page(&found)))
}

async fn moderate(
    state: AppState,
    who: ApiActor,
    review_id: String,
    target: ReportTarget,
    hide: bool,
    request: Request,
) -> ApiResult<Json<ReviewDto>> {
    let permit = moderation::permit_moderation(state.app(), &who.actor, &ReviewId(review_id)).await?;
    let body: ModerationRequest = read_json(request).await?;
    let review = moderation::set_hidden(state.app(), caller(&who), &permit, target, hide, &body.reason).await?;
    Ok(Json(ReviewDto::full(&review)))
}

/// R12/R13: hides a review with a reason: it leaves the public list and the summary at
/// once, its reports are resolved and its author is told why. Operators only.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/hide", tag = "moderation", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")), request_body = ModerationRequest,
    responses(
        (status = 200, description = "The review, hidden", body = ReviewDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn hide(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<Json<ReviewDto>> {
    moderate(state, who, review_id, ReportTarget::Review, true, request).await
}

/// R12/R13: shows a hidden review again, with a reason; its author is told.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/unhide", tag = "moderation", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")), request_body = ModerationRequest,
    responses(
        (status = 200, description = "The review, shown", body = ReviewDto),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unhide(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<Json<ReviewDto>> {
    moderate(state, who, review_id, ReportTarget::Review, false, request).await
}

/// R12: hides the official reply with a reason; the seller's developers are told.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reply/hide", tag = "moderation", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")), request_body = ModerationRequest,
    responses(
        (status = 200, description = "The review, its reply hidden", body = ReviewDto),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_reply`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn hide_reply(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<Json<ReviewDto>> {
    moderate(state, who, review_id, ReportTarget::Reply, true, request).await
}

/// R12: shows a hidden reply again, with a reason; the seller's developers are told.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reply/unhide", tag = "moderation", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")), request_body = ModerationRequest,
    responses(
        (status = 200, description = "The review, its reply shown", body = ReviewDto),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_reply`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unhide_reply(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<Json<ReviewDto>> {
    moderate(state, who, review_id, ReportTarget::Reply, false, request).await
}

/// R12: keeps a reported review (or, with `"target": "reply"`, its reply) as it is and
/// resolves its open reports. Operators only.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reports/dismiss", tag = "moderation", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")), request_body(content = Option<DismissRequest>, description = "Empty, or `{\"target\": \"reply\"}`"),
    responses(
        (status = 204, description = "Reports resolved"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown target", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dismiss(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<StatusCode> {
    let permit = moderation::permit_moderation(state.app(), &who.actor, &ReviewId(review_id)).await?;
    let body: DismissRequest = read_json_or_default(request).await?;
    let target =
        match body.target.as_deref() {
            None | Some("review") => ReportTarget::Review,
            Some("reply") => ReportTarget::Reply,
            Some(_) => {
                return Err(ApiError::Validation(vocdesk_domain::ValidationErrors(vec![
                    vocdesk_domain::FieldError::new("target", "target", "review or reply"),
                ])));
            }
        };
    moderation::dismiss(state.app(), caller(&who), &permit, target).await?;
    Ok(StatusCode::NO_CONTENT)
}
