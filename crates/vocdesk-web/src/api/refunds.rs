//! R5-R9 over the JSON API: a customer's purchases seen from an inquiry (masked ids),
//! the consented and audited payment details, the customer's consent, cancellation
//! requests (submitted from a thread or filed for an email or phone refund), the
//! operators' queue and decisions, and cancelling an overdue inquiry's purchase on the
//! developer's behalf. Every handler authenticates with [`ApiActor`] and hands the work
//! to the use cases in [`vocdesk_app::refunds`], which the pages share and which ask the
//! policy; here the answers become DTOs. A role that may never use a route is refused
//! (403) before the body, the query or the `Idempotency-Key` is read.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, PurchaseId, SellerId};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::refund::{OffStoreInput, RequestStatus};

use super::catalog::bad_page;
use super::dto::{
    ApproveRequest, CancelPurchaseDto, CancellationRequestDto, CancellationRequestListParams, ConsentRequest,
    CreateCancellationRequest, InquiryDto, InquiryPurchaseDto, ListDto, OffStoreFiledDto, OffStoreRequestBody,
    PageParams, PurchaseDto, RejectRequest,
};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{read_json, read_json_or_default, read_query};
use crate::headers::location;
use crate::state::AppState;
use vocdesk_app::Caller;
use vocdesk_app::off_store::{self, Filed};
use vocdesk_app::refunds::{self, RequestInput, Submitted};

/// The header a client sends to make a submission safe to retry.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

fn caller(who: &ApiActor) -> Caller<'_> {
    Caller { user: &who.user, actor: &who.actor, channel: Channel::Api }
}

fn inquiry_dto(state: &AppState, inquiry: &vocdesk_domain::inquiry::Inquiry) -> InquiryDto {
    InquiryDto::new(inquiry, state.now(), state.response_limit())
}

fn request_location(id: &CancellationRequestId) -> HeaderValue {
    location(&format!("/api/v1/cancellation-requests/{id}"))
}

/// R6: the inquiry's customer's purchases of the inquiry's seller's apps and items,
/// newest first, with the payment ids masked (R7). For the seller's developers and
/// operators; nothing of other sellers is listed.
#[utoipa::path(get, path = "/api/v1/inquiries/{inquiry_id}/purchases", tag = "refunds", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id"), PageParams),
    responses(
        (status = 200, description = "A page of purchases, payment ids masked (`payment_ids_masked: true`)", body = ListDto<InquiryPurchaseDto>),
        (status = 400, description = "Bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer (who has `/api/v1/me/purchases`), for any inquiry, or a token that may not read inquiries; refused before the query is read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn purchases(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<InquiryPurchaseDto>>> {
    policy::view_inquiry_purchases(&who.actor)?;
    let params: PageParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let (_, found) = refunds::purchases(state.app(), &who.actor, &InquiryId(inquiry_id), &page).await?;
    Ok(Json(ListDto {
        items: found.items.iter().map(InquiryPurchaseDto::masked).collect(),
        next_cursor: found.next_cursor.as_ref().map(|c| c.encode()),
    }))
}

/// R7: the same purchases with their TID, TXID and receipt number in full. A developer
/// gets them only where the customer consented on this inquiry (otherwise 403
/// `consent_required`: ask the customer); operators always. Every purchase shown is
/// written to the audit log (`payment_ids.revealed`) before the answer is sent.
#[utoipa::path(get, path = "/api/v1/inquiries/{inquiry_id}/payment-details", tag = "refunds", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id"), PageParams),
    responses(
        (status = 200, description = "A page of purchases with payment ids (`payment_ids_masked: false`); each reveal audited", body = ListDto<InquiryPurchaseDto>),
        (status = 400, description = "Bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`consent_required`: the customer has not consented on this inquiry; ask them. `forbidden`: a customer (for any inquiry), or a token that may not read inquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn payment_details(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<InquiryPurchaseDto>>> {
    policy::view_inquiry_purchases(&who.actor)?;
    let params: PageParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let (_, found) = refunds::payment_details(state.app(), caller(&who), &InquiryId(inquiry_id), &page).await?;
    Ok(Json(ListDto {
        items: found.items.iter().map(InquiryPurchaseDto::revealed).collect(),
        next_cursor: found.next_cursor.as_ref().map(|c| c.encode()),
    }))
}

/// R7: the inquiry's customer gives (`true`) or withdraws (`false`) consent to share
/// personal information on it; the time is recorded (`consent_at`) and audited.
#[utoipa::path(put, path = "/api/v1/inquiries/{inquiry_id}/consent", tag = "refunds", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id")),
    request_body = ConsentRequest,
    responses(
        (status = 200, description = "The inquiry with its consent and `consent_at`", body = InquiryDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a customer: developers and operators never consent for one, on any inquiry (refused before the body is read)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing, mistyped or unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_consent(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
    request: Request,
) -> ApiResult<Json<InquiryDto>> {
    policy::consent_to_sharing(&who.actor)?;
    let body: ConsentRequest = read_json(request).await?;
    let inquiry =
        refunds::set_consent(state.app(), caller(&who), &InquiryId(inquiry_id), body.consent_personal_info).await?;
    Ok(Json(inquiry_dto(&state, &inquiry)))
}

/// R8: a developer of the seller asks the store to cancel a purchase of the customer
/// they agreed a refund with in `inquiry_id`. One open request per purchase: a repeat
/// answers the open one with 200. With `Idempotency-Key`, the same key and request
/// answer the first 201 again; the same key with another request is 422.
#[utoipa::path(post, path = "/api/v1/purchases/{purchase_id}/cancellation-requests", tag = "refunds", security(("bearer" = [])),
    params(
        ("purchase_id" = String, Path, description = "Purchase id"),
        ("Idempotency-Key" = Option<String>, Header, description = "1 to 255 visible ASCII characters; retries with the same key and body get the same answer"),
    ),
    request_body = CreateCancellationRequest,
    responses(
        (status = 201, description = "Submitted (or the replay of a submission with this `Idempotency-Key`); `Location` names it", body = CancellationRequestDto,
            headers(("location" = String, description = "/api/v1/cancellation-requests/{id}"))),
        (status = 200, description = "The purchase has an open request already: that request", body = CancellationRequestDto),
        (status = 400, description = "Malformed JSON, or a malformed `Idempotency-Key` (`bad_idempotency_key`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer (customers and operators do not submit requests)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such purchase or inquiry, or not your seller's or not this inquiry's customer's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`purchase_cancelled` or `nothing_to_refund` (a free purchase)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (empty or too long reason, unknown inquiry), or `idempotency_key_reused` with a different request", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn request_cancellation(
    State(state): State<AppState>,
    who: ApiActor,
    Path(purchase_id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    policy::request_cancellations(&who.actor)?;
    let key = idempotency_key(request.headers())?.map(str::to_owned);
    let body: CreateCancellationRequest = read_json(request).await?;
    let key = key.as_deref();
    let input = RequestInput { inquiry_id: &body.inquiry_id, reason: &body.reason, message: body.message.as_deref() };
    match refunds::request_cancellation(state.app(), caller(&who), &PurchaseId(purchase_id), input, key).await? {
        Submitted::Created(request) => Ok((
            StatusCode::CREATED,
            [(header::LOCATION, request_location(&request.id))],
            Json(CancellationRequestDto::from(&request)),
        )
            .into_response()),
        Submitted::Existing(request) => {
            Ok((StatusCode::OK, Json(CancellationRequestDto::from(&request))).into_response())
        }
    }
}

/// The `Idempotency-Key` header: absent, or exactly one value of visible ASCII (its
/// length and characters are checked with the request, in the use case).
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let mut values = headers.get_all(IDEMPOTENCY_KEY).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let bad = |detail: &str| ApiError::BadRequest { code: "bad_idempotency_key", detail: detail.to_owned() };
    if values.next().is_some() {
        return Err(bad("send one Idempotency-Key"));
    }
    first.to_str().map(Some).map_err(|_| bad("Idempotency-Key: 1 to 255 visible ASCII characters"))
}

/// R9: a developer files a refund the customer asked for by email or phone, with the
/// store's form (consent O/X, customer number, purchase date and time, purchased item).
/// The customer's purchase of that item of the developer's seller in that minute is
/// found, or the one `purchase_id` names (from `GET /api/v1/off-store/purchases`); a new inquiry (channel `email`/`phone`, the form as its first message) and its
/// request join the same queue as R8 requests.
#[utoipa::path(post, path = "/api/v1/cancellation-requests/off-store", tag = "refunds", security(("bearer" = [])),
    request_body = OffStoreRequestBody,
    responses(
        (status = 201, description = "Filed: the inquiry and its request; `Location` names the request", body = OffStoreFiledDto,
            headers(("location" = String, description = "/api/v1/cancellation-requests/{id}"))),
        (status = 200, description = "The purchase has an open request already: nothing filed, `{request}` only", body = OffStoreFiledDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`purchase_cancelled` or `nothing_to_refund`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every malformed form field at once; an unknown customer number (`customer_no`); no purchase of that item of your seller at that time (`purchased_at`), or `purchase_id` names none of this customer's purchases of your seller (`purchase_id`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn file_off_store(State(state): State<AppState>, who: ApiActor, request: Request) -> ApiResult<Response> {
    policy::file_off_store_request(&who.actor)?;
    let body: OffStoreRequestBody = read_json(request).await?;
    let input = OffStoreInput {
        channel: &body.channel,
        consent: &body.consent_personal_info,
        customer_no: &body.customer_no,
        purchased_at: &body.purchased_at,
        product_id: &body.product_id,
        purchase_id: &body.purchase_id,
        reason: &body.reason,
    };
    match off_store::file_off_store(state.app(), caller(&who), &input).await? {
        Filed::New { inquiry, request } => {
            let answer = OffStoreFiledDto {
                inquiry: Some(inquiry_dto(&state, &inquiry)),
                request: CancellationRequestDto::from(request.as_ref()),
            };
            Ok((StatusCode::CREATED, [(header::LOCATION, request_location(&request.id))], Json(answer)).into_response())
        }
        Filed::Existing(request) => {
            let answer = OffStoreFiledDto { inquiry: None, request: CancellationRequestDto::from(&request) };
            Ok((StatusCode::OK, Json(answer)).into_response())
        }
    }
}

/// R8: the cancellation requests, oldest first (the queue is worked in order).
/// Developers see their own seller's; operators all, or one seller's with `seller_id`.
#[utoipa::path(get, path = "/api/v1/cancellation-requests", tag = "refunds", security(("bearer" = [])),
    params(CancellationRequestListParams),
    responses(
        (status = 200, description = "A page of requests, oldest first", body = ListDto<CancellationRequestDto>),
        (status = 400, description = "Unknown status word, bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "A developer named another seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_requests(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<CancellationRequestDto>>> {
    policy::list_cancellation_requests(&who.actor, None)?;
    let params: CancellationRequestListParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let status = match non_empty(params.status) {
        None => None,
        Some(word) => Some(RequestStatus::parse(&word).ok_or_else(|| ApiError::BadRequest {
            code: "invalid_query",
            detail: "status: expected open, approved or rejected".to_owned(),
        })?),
    };
    let seller = non_empty(params.seller_id).map(SellerId);
    let found = refunds::list_requests(state.app(), &who.actor, seller.as_ref(), status, &page).await?;
    Ok(Json(ListDto::from_page(&found)))
}

/// R8: one request, for its seller's developers and operators.
#[utoipa::path(get, path = "/api/v1/cancellation-requests/{request_id}", tag = "refunds", security(("bearer" = [])),
    params(("request_id" = String, Path, description = "Cancellation request id")),
    responses(
        (status = 200, description = "The request", body = CancellationRequestDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request, or another seller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_request(
    State(state): State<AppState>,
    who: ApiActor,
    Path(request_id): Path<String>,
) -> ApiResult<Json<CancellationRequestDto>> {
    let request = refunds::read_request(state.app(), &who.actor, &CancellationRequestId(request_id)).await?;
    Ok(Json(CancellationRequestDto::from(&request)))
}

/// R8: an operator approves: the purchase is cancelled (at most once, even when two
/// operators click at once), the customer and the seller's developers are told by mail,
/// and the inquiry shows it. Approving an approved request answers it unchanged.
#[utoipa::path(post, path = "/api/v1/cancellation-requests/{request_id}/approve", tag = "refunds", security(("bearer" = [])),
    params(("request_id" = String, Path, description = "Cancellation request id")),
    request_body(content = Option<ApproveRequest>, description = "Empty, or `{}`"),
    responses(
        (status = 200, description = "Approved (now or before)", body = CancellationRequestDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`request_decided` (rejected before) or `purchase_cancelled`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn approve(
    State(state): State<AppState>,
    who: ApiActor,
    Path(request_id): Path<String>,
    request: Request,
) -> ApiResult<Json<CancellationRequestDto>> {
    policy::decide_cancellation(&who.actor)?;
    let ApproveRequest {} = read_json_or_default(request).await?;
    let request = refunds::decide(state.app(), caller(&who), &CancellationRequestId(request_id), true, "").await?;
    Ok(Json(CancellationRequestDto::from(&request)))
}

/// R8: an operator rejects with a reason; the purchase stays paid and both sides are
/// told the reason by mail. Rejecting a rejected request answers it unchanged.
#[utoipa::path(post, path = "/api/v1/cancellation-requests/{request_id}/reject", tag = "refunds", security(("bearer" = [])),
    params(("request_id" = String, Path, description = "Cancellation request id")),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "Rejected (now or before)", body = CancellationRequestDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`request_decided`: approved before", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long reason, unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reject(
    State(state): State<AppState>,
    who: ApiActor,
    Path(request_id): Path<String>,
    request: Request,
) -> ApiResult<Json<CancellationRequestDto>> {
    policy::decide_cancellation(&who.actor)?;
    let body: RejectRequest = read_json(request).await?;
    let id = CancellationRequestId(request_id);
    let request = refunds::decide(state.app(), caller(&who), &id, false, &body.reason).await?;
    Ok(Json(CancellationRequestDto::from(&request)))
}

/// R5: an operator cancels the purchase of an inquiry whose customer has waited longer
/// than the response limit, on the developer's behalf (recorded so, with the operator);
/// the customer and the developers are told. At most once per purchase.
#[utoipa::path(post, path = "/api/v1/inquiries/{inquiry_id}/cancel-purchase", tag = "refunds", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id")),
    responses(
        (status = 200, description = "Cancelled: the inquiry and its purchase", body = CancelPurchaseDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_overdue`, `no_purchase`, `purchase_cancelled` or `nothing_to_refund`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_purchase(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
) -> ApiResult<Json<CancelPurchaseDto>> {
    let (inquiry, purchase) = refunds::cancel_on_behalf(state.app(), caller(&who), &InquiryId(inquiry_id)).await?;
    Ok(Json(CancelPurchaseDto { inquiry: inquiry_dto(&state, &inquiry), purchase: PurchaseDto::from(&purchase) }))
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
