//! The public catalog: apps with their R13 rating summary.

use axum::Json;
use axum::extract::{Path, State};
use vocdesk_domain::ids::AppId;
use vocdesk_domain::page::PageRequest;

use super::dto::{AppDetailDto, AppDto, ItemDto, ListDto, PageParams};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Apps, newest first. Public.
#[utoipa::path(get, path = "/api/v1/apps", tag = "catalog", params(PageParams),
    responses(
        (status = 200, description = "A page of apps", body = ListDto<AppDto>),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_apps(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<ListDto<AppDto>>> {
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let apps = state.store().list_apps(None, &page).await?;
    Ok(Json(ListDto::from_page(&apps)))
}

/// One app with its in-app items. Public.
#[utoipa::path(get, path = "/api/v1/apps/{app_id}", tag = "catalog", params(("app_id" = String, Path, description = "App id")),
    responses(
        (status = 200, description = "The app", body = AppDetailDto),
        (status = 404, description = "No such app", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_app(State(state): State<AppState>, Path(app_id): Path<String>) -> ApiResult<Json<AppDetailDto>> {
    let id = AppId(app_id);
    let app = state.store().app(&id).await?.ok_or(ApiError::NotFound)?;
    let items = state.store().items_of_app(&id).await?;
    Ok(Json(AppDetailDto { app: AppDto::from(&app), items: items.iter().map(ItemDto::from).collect() }))
}

/// A bad `limit` or `cursor` is a malformed request, not a broken rule.
pub(crate) fn bad_page(error: vocdesk_domain::FieldError) -> ApiError {
    ApiError::BadRequest { code: "invalid_query", detail: format!("{}: expected {}", error.field, error.expected) }
}
