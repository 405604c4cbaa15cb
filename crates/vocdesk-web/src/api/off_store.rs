//! R9 over the JSON API (issue 12 item 6): a developer finds the purchase an off-store
//! request is about by the customer's number, then files it with `purchase_id`
//! (`POST /api/v1/cancellation-requests/off-store`). Developers only, refused before the
//! query is read; throttled per developer; audited; `Cache-Control: no-store` (the
//! layer in `cache.rs` marks every signed-in answer).

use axum::Json;
use axum::extract::State;
use vocdesk_domain::audit::Channel;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;

use super::catalog::bad_page;
use super::dto::{InquiryPurchaseDto, ListDto, OffStoreLookupParams};
use crate::auth::ApiActor;
use crate::error::{ApiResult, Problem};
use crate::extract::read_query;
use crate::state::AppState;
use vocdesk_app::Caller;
use vocdesk_app::off_store;

/// R9: the customer's purchases of your seller's apps and items, newest first, payment
/// ids masked (R7), to pick the one an off-store request is about. A number nobody
/// has answers exactly like a customer without purchases of your seller: an empty
/// list. Each call is audited (`purchases.looked_up`) and counts against your budget
/// of look-ups (30, then one per 10 seconds).
#[utoipa::path(get, path = "/api/v1/off-store/purchases", tag = "refunds", security(("bearer" = [])),
    params(OffStoreLookupParams),
    responses(
        (status = 200, description = "A page of the customer's purchases of your seller, payment ids masked; empty for an unknown number too", body = ListDto<InquiryPurchaseDto>),
        (status = 400, description = "Bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer (refused before the query is read)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or malformed `customer_no` (letters, digits and -)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_lookups`: wait the seconds `Retry-After` says", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn look_up(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<InquiryPurchaseDto>>> {
    policy::look_up_off_store_purchases(&who.actor)?;
    let params: OffStoreLookupParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let caller = Caller { user: &who.user, actor: &who.actor, channel: Channel::Api };
    let customer_no = params.customer_no;
    let found = off_store::look_up(state.app(), caller, &customer_no, &page).await?;
    Ok(Json(ListDto {
        items: found.items.iter().map(InquiryPurchaseDto::masked).collect(),
        next_cursor: found.next_cursor.as_ref().map(|c| c.encode()),
    }))
}
