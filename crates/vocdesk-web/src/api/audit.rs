//! R14: the audit log, for operators only; anyone else is refused before the query is
//! read.

use axum::Json;
use axum::extract::State;
use vocdesk_domain::audit::ACTIONS;
use vocdesk_domain::ids::{InquiryId, PurchaseId, UserId};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::{FieldError, policy};
use vocdesk_store::AuditFilter;

use super::catalog::bad_page;
use super::dto::{AuditDto, AuditParams, ListDto};
use crate::auth::ApiActor;
use crate::error::{ApiResult, Problem};
use crate::extract::read_query;
use crate::state::AppState;

/// The audit log, newest first, optionally about one thing, by one user (by id, or by
/// any part of their name or email), of one action, within a time range, without
/// signing in and out, or (R14) the whole story of one inquiry or one purchase; filters
/// combine.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditParams),
    responses(
        (status = 200, description = "A page of entries", body = ListDto<AuditDto>),
        (status = 400, description = "Bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator (developers never read the audit log)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`subject_type` without `subject_id` or the other way round, or an unknown `action`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<AuditDto>>> {
    policy::operate_store(&who.actor)?;
    let params: AuditParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let subject = match (params.subject_type, params.subject_id) {
        (Some(kind), Some(id)) => Some((kind, id)),
        (None, None) => None,
        _ => return Err(FieldError::new("subject_id", "together", "subject_type and subject_id together").into()),
    };
    let action = non_empty(params.action);
    if action.as_deref().is_some_and(|a| !ACTIONS.contains(&a)) {
        return Err(FieldError::new("action", "unknown_action", "one of the audit log's actions").into());
    }
    let filter = AuditFilter {
        subject,
        actor: non_empty(params.actor_id).map(UserId),
        inquiry: non_empty(params.inquiry_id).map(InquiryId),
        purchase: non_empty(params.purchase_id).map(PurchaseId),
        person: non_empty(params.person),
        action,
        from: params.from,
        until: params.until,
        hide_sign_ins: params.sign_ins == Some(false),
    };
    let entries = state.store().audit_log(&filter, &page).await?;
    Ok(Json(ListDto::from_page(&entries)))
}

/// An empty query value is no filter.
fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
