//! The purchase ledger: recorded by operators or the payment system, read by the buyer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{PurchaseId, UserId};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::purchase::{NewPurchase, PurchaseInput};
use vocdesk_domain::{FieldError, ValidationErrors};
use vocdesk_store::{RecordOutcome, Rejection};

use super::catalog::bad_page;
use super::dto::{ListDto, PageParams, PurchaseDto, RecordPurchaseRequest};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// Records one purchase from the payment system, idempotent on `tid`: the first call
/// answers 201, a repeat with the same content 200 with the same purchase, the same
/// `tid` with different content 409.
#[utoipa::path(post, path = "/api/v1/purchases", tag = "purchases", security(("bearer" = [])), request_body = RecordPurchaseRequest,
    responses(
        (status = 201, description = "Recorded", body = PurchaseDto),
        (status = 200, description = "Already recorded with this content", body = PurchaseDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator or payment-system token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tid was recorded with other content", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid purchase", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record(
    State(state): State<AppState>,
    who: ApiActor,
    ApiJson(body): ApiJson<RecordPurchaseRequest>,
) -> ApiResult<Response> {
    policy::record_purchase(&who.actor)?;
    let customer_id = resolve_customer(&state, &body).await?;
    let purchase = NewPurchase::parse(&PurchaseInput {
        customer_id: customer_id.as_str(),
        app_id: &body.app_id,
        item_id: body.item_id.as_deref(),
        amount_minor: body.amount_minor,
        currency: &body.currency,
        purchased_at: &body.purchased_at,
        tid: &body.tid,
        txid: body.txid.as_deref(),
        receipt_no: body.receipt_no.as_deref(),
        status: body.status.as_deref(),
    })?;
    let actor = AuditActor::user(who.user.id.clone(), who.user.role);
    let mut outcomes = state.store().record_purchases(&[purchase], &actor, Channel::Api, state.now()).await?;
    match outcomes.pop() {
        Some(RecordOutcome::Created(view)) => {
            let location = format!("/api/v1/purchases/{}", view.purchase.id);
            Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(PurchaseDto::from(&view))).into_response())
        }
        Some(RecordOutcome::AlreadyRecorded(view)) => {
            Ok((StatusCode::OK, Json(PurchaseDto::from(&view))).into_response())
        }
        Some(RecordOutcome::Rejected(Rejection::Conflict { what })) => Err(ApiError::Conflict { what }),
        Some(RecordOutcome::Rejected(Rejection::Invalid(errors))) => Err(ApiError::Validation(errors)),
        None => Err(ApiError::internal(std::io::Error::other("the store returned no outcome"))),
    }
}

/// Exactly one of `customer_id` and `customer_no` names the buyer.
async fn resolve_customer(state: &AppState, body: &RecordPurchaseRequest) -> ApiResult<String> {
    match (&body.customer_id, &body.customer_no) {
        (Some(id), None) => Ok(id.clone()),
        (None, Some(number)) => {
            let customer = state.store().customer_by_number(number.trim()).await?;
            customer.map(|c| c.id.0).ok_or_else(|| {
                ApiError::Validation(ValidationErrors(vec![FieldError::new(
                    "customer_no",
                    "unknown_customer",
                    "the number of an existing customer",
                )]))
            })
        }
        _ => Err(ApiError::Validation(ValidationErrors(vec![FieldError::new(
            "customer_id",
            "one_of",
            "exactly one of customer_id and customer_no",
        )]))),
    }
}

/// One purchase: its buyer and operators only.
#[utoipa::path(get, path = "/api/v1/purchases/{purchase_id}", tag = "purchases", security(("bearer" = [])),
    params(("purchase_id" = String, Path, description = "Purchase id")),
    responses(
        (status = 200, description = "The purchase", body = PurchaseDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such purchase, or not yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_purchase(
    State(state): State<AppState>,
    who: ApiActor,
    Path(purchase_id): Path<String>,
) -> ApiResult<Json<PurchaseDto>> {
    let view = state.store().purchase(&PurchaseId(purchase_id)).await?.ok_or(ApiError::NotFound)?;
    policy::view_purchase(&who.actor, &view)?;
    Ok(Json(PurchaseDto::from(&view)))
}

/// The signed-in customer's purchase history, newest first.
#[utoipa::path(get, path = "/api/v1/me/purchases", tag = "purchases", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "A page of purchases", body = ListDto<PurchaseDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a customer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn my_purchases(
    State(state): State<AppState>,
    who: ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<ListDto<PurchaseDto>>> {
    policy::list_own_purchases(&who.actor)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let customer: &UserId = &who.user.id;
    let purchases = state.store().purchases_of_customer(customer, &page).await?;
    Ok(Json(ListDto::from_page(&purchases)))
}
