//! A seller's saved replies over the JSON API. Developers of the seller only; another
//! seller's template is refused (403), before the body is read.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use vocdesk_domain::ids::ReplyTemplateId;

use super::dto::{TemplateDto, TemplateRequest};
use super::reviews::caller;
use crate::auth::ApiActor;
use crate::error::{ApiResult, Problem};
use crate::extract::read_json;
use crate::state::AppState;
use vocdesk_app::reply_templates;

/// The seller's saved replies, by title.
#[utoipa::path(get, path = "/api/v1/reply-templates", tag = "reviews", security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved replies", body = Vec<TemplateDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(State(state): State<AppState>, who: ApiActor) -> ApiResult<Json<Vec<TemplateDto>>> {
    let seller = reply_templates::permit(&who.actor)?;
    let templates = reply_templates::list(state.app(), &seller).await?;
    Ok(Json(templates.iter().map(TemplateDto::from).collect()))
}

/// Saves a reply template (title, text with `{customer_name}` / `{app_title}`, language).
#[utoipa::path(post, path = "/api/v1/reply-templates", tag = "reviews", security(("bearer" = [])),
    request_body = TemplateRequest,
    responses(
        (status = 201, description = "Saved", body = TemplateDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long title or text, unknown language", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(State(state): State<AppState>, who: ApiActor, request: Request) -> ApiResult<Response> {
    let seller = reply_templates::permit(&who.actor)?;
    let body: TemplateRequest = read_json(request).await?;
    let created =
        reply_templates::create(state.app(), caller(&who), &seller, &body.title, &body.text, &body.lang).await?;
    Ok((StatusCode::CREATED, Json(TemplateDto::from(&created))).into_response())
}

/// Changes a saved reply of the caller's seller.
#[utoipa::path(put, path = "/api/v1/reply-templates/{template_id}", tag = "reviews", security(("bearer" = [])),
    params(("template_id" = String, Path, description = "Template id")), request_body = TemplateRequest,
    responses(
        (status = 200, description = "Changed", body = TemplateDto),
        (status = 403, description = "Not a developer, or another seller's template", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    who: ApiActor,
    Path(template_id): Path<String>,
    request: Request,
) -> ApiResult<Json<TemplateDto>> {
    let template = reply_templates::permit_change(state.app(), &who.actor, &ReplyTemplateId(template_id)).await?;
    let body: TemplateRequest = read_json(request).await?;
    let changed =
        reply_templates::update(state.app(), caller(&who), &template, &body.title, &body.text, &body.lang).await?;
    Ok(Json(TemplateDto::from(&changed)))
}

/// Deletes a saved reply of the caller's seller.
#[utoipa::path(delete, path = "/api/v1/reply-templates/{template_id}", tag = "reviews", security(("bearer" = [])),
    params(("template_id" = String, Path, description = "Template id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not a developer, or another seller's template", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    who: ApiActor,
    Path(template_id): Path<String>,
) -> ApiResult<StatusCode> {
    let template = reply_templates::permit_change(state.app(), &who.actor, &ReplyTemplateId(template_id)).await?;
    reply_templates::delete(state.app(), caller(&who), &template).await?;
    Ok(StatusCode::NO_CONTENT)
}
