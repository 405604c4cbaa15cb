//! The purchase ledger: recorded by operators or the payment system, read by the buyer.
//! A caller whose role may never use a route is refused before its body or query is read.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use vocdesk_app::Caller;
use vocdesk_app::purchases::{self, Buyer, Recorded};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::PurchaseId;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseInput;

use super::catalog::bad_page;
use super::dto::{ListDto, PageParams, PurchaseDto, RecordPurchaseRequest};
use crate::auth::ApiActor;
use crate::error::{ApiResult, Problem};
use crate::extract::{read_json, read_query};
use crate::headers::location;
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
pub async fn record(State(state): State<AppState>, who: ApiActor, request: Request) -> ApiResult<Response> {
    policy::record_purchase(&who.actor)?;
    let body: RecordPurchaseRequest = read_json(request).await?;
    let buyer = Buyer { customer_id: body.customer_id.as_deref(), customer_no: body.customer_no.as_deref() };
    let input = PurchaseInput {
        customer_id: "",
        app_id: &body.app_id,
        item_id: body.item_id.as_deref(),
        amount_minor: body.amount_minor,
        currency: &body.currency,
        purchased_at: &body.purchased_at,
        tid: &body.tid,
        txid: body.txid.as_deref(),
        receipt_no: body.receipt_no.as_deref(),
        status: body.status.as_deref(),
    };
    let caller = Caller { user: &who.user, actor: &who.actor, channel: Channel::Api };
    match purchases::record(state.app(), caller, buyer, &input).await? {
        Recorded::Created(view) => {
            let location = location(&format!("/api/v1/purchases/{}", view.purchase.id));
            Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(PurchaseDto::from(&view))).into_response())
        }
        Recorded::AlreadyRecorded(view) => Ok((StatusCode::OK, Json(PurchaseDto::from(&view))).into_response()),
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
    let view = purchases::read(state.app(), &who.actor, &PurchaseId(purchase_id)).await?;
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
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<PurchaseDto>>> {
    policy::list_own_purchases(&who.actor)?;
    let params: PageParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let found = purchases::of_customer(state.app(), &who.actor, &page).await?;
    Ok(Json(ListDto::from_page(&found)))
}
